import pytest

from podstudio.models import RateCounter
from podstudio.ratelimit import Limit, allow, forget_old, is_spent, seconds_left, used

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


def test_uses_stop_counting_a_span_after_they_were_made():
    for _ in range(3):
        allow("sandbox:a", PER_MINUTE, now=125.0)
    assert not allow("sandbox:a", PER_MINUTE, now=179.0)
    assert allow("sandbox:a", PER_MINUTE, now=180.0)


def test_a_window_boundary_does_not_give_a_second_allowance():
    """Fixed windows let three uses at 0:59 and three more at 1:00 all pass."""
    assert [allow("sign-in:a", PER_MINUTE, now=119.5) for _ in range(3)] == [True] * 3
    assert not allow("sign-in:a", PER_MINUTE, now=120.0)
    assert is_spent("sign-in:a", PER_MINUTE, now=150.0)


def test_uses_spread_over_the_span_come_free_one_by_one():
    for moment in (100.0, 120.0, 140.0):
        assert allow("sandbox:a", PER_MINUTE, now=moment)
    assert not allow("sandbox:a", PER_MINUTE, now=150.0)
    assert allow("sandbox:a", PER_MINUTE, now=160.0)  # the use at 100 no longer counts
    assert not allow("sandbox:a", PER_MINUTE, now=170.0)


def test_a_refused_use_is_not_counted():
    """Told to come back in N seconds, a learner who does is let in: the refusals they met
    while waiting do not push the wait further."""
    for _ in range(3):
        allow("sandbox:a", PER_MINUTE, now=120.0)
    for moment in (130.0, 150.0, 170.0):
        assert not allow("sandbox:a", PER_MINUTE, now=moment)
    assert used("sandbox:a", PER_MINUTE, now=170.0) == 3
    wait = seconds_left("sandbox:a", PER_MINUTE, now=170.0)
    assert allow("sandbox:a", PER_MINUTE, now=170.0 + wait)


def test_seconds_left_counts_to_when_the_oldest_uses_stop_counting():
    for moment in (120.0, 130.0, 140.0):
        allow("sandbox:a", PER_MINUTE, now=moment)
    assert seconds_left("sandbox:a", PER_MINUTE, now=145.0) == 35
    assert not allow("sandbox:a", PER_MINUTE, now=179.0)
    assert allow("sandbox:a", PER_MINUTE, now=180.0)


def test_seconds_left_waits_for_as_many_uses_as_must_go():
    """With two uses to lose before one is allowed, the wait is for the second."""
    limit = Limit(count=2, seconds=60)
    for moment in (120.0, 132.0):  # at the start of 6 s buckets, as uses are counted
        allow("sandbox:a", limit, now=moment)
    allow("sandbox:a", Limit(count=10, seconds=60), now=138.0)  # a third, under a looser limit
    assert seconds_left("sandbox:a", limit, now=145.0) == 47
    assert not allow("sandbox:a", limit, now=191.0)
    assert allow("sandbox:a", limit, now=192.0)


def test_counters_of_keys_not_used_for_long_are_forgotten():
    allow("sandbox:a", PER_MINUTE, now=0.0)
    allow("sandbox:b", PER_MINUTE, now=100_000.0)
    assert forget_old(older_than_seconds=3600, now=100_000.0) == 1
    assert used("sandbox:b", PER_MINUTE, now=100_000.0) == 1


def test_is_spent_says_when_the_allowance_is_used_up_without_counting():
    assert not is_spent("join:a", PER_MINUTE, now=120.0)
    for _ in range(2):
        allow("join:a", PER_MINUTE, now=120.0)
    assert not is_spent("join:a", PER_MINUTE, now=121.0)
    assert not is_spent("join:a", PER_MINUTE, now=121.0)  # looking counts nothing
    allow("join:a", PER_MINUTE, now=122.0)
    assert is_spent("join:a", PER_MINUTE, now=123.0)
    assert not is_spent("join:a", PER_MINUTE, now=180.0)


def test_a_key_used_all_day_keeps_a_handful_of_counters():
    """An open sandbox panel polls every two seconds: a row for each 6 s bucket of the day
    would be 14,400 a learner before the nightly clean-up."""
    for second in range(0, 3600, 2):
        allow("sandbox-reads:a", Limit(count=120, seconds=60), now=1_000_020.0 + second)
    assert RateCounter.objects.filter(key="sandbox-reads:a").count() <= 11
    assert used("sandbox-reads:a", Limit(count=120, seconds=60), now=1_003_619.0) == 30
