import pytest

from podstudio.ratelimit import Limit, allow, forget_old, is_spent, seconds_left

pytestmark = pytest.mark.django_db

PER_MINUTE = Limit(count=3, seconds=60)


def test_uses_within_the_limit_are_allowed_and_the_next_is_not():
    answers = [allow("sandbox:a", PER_MINUTE, now=120.0 + i) for i in range(4)]
    assert answers == [True, True, True, False]


def test_each_key_has_its_own_allowance():
    for _ in range(3):
        allow("sandbox:a", PER_MINUTE, now=120.0)
    assert allow("sandbox:b", PER_MINUTE, now=120.0)
    assert not allow("sandbox:a", PER_MINUTE, now=121.0)


def test_a_new_window_starts_a_new_allowance():
    for _ in range(4):
        allow("sandbox:a", PER_MINUTE, now=120.0)
    assert allow("sandbox:a", PER_MINUTE, now=180.0)


def test_seconds_left_counts_to_the_end_of_the_window():
    assert seconds_left(PER_MINUTE, now=125.0) == 55


def test_old_windows_are_forgotten():
    allow("sandbox:a", PER_MINUTE, now=0.0)
    allow("sandbox:a", PER_MINUTE, now=100_000.0)
    assert forget_old(older_than_seconds=3600, now=100_000.0) == 1


def test_is_spent_says_when_the_allowance_is_used_up_without_counting():
    assert not is_spent("join:a", PER_MINUTE, now=120.0)
    for _ in range(2):
        allow("join:a", PER_MINUTE, now=120.0)
    assert not is_spent("join:a", PER_MINUTE, now=121.0)
    assert not is_spent("join:a", PER_MINUTE, now=121.0)  # looking counts nothing
    allow("join:a", PER_MINUTE, now=122.0)
    assert is_spent("join:a", PER_MINUTE, now=123.0)
    assert not is_spent("join:a", PER_MINUTE, now=180.0)
