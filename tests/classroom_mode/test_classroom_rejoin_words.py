"""What a learner coming back is told: a wrong PIN says what to do and how many tries are left."""

import re
from html import unescape

import pytest
from django.test import Client

from .helpers import join, joined

pytestmark = pytest.mark.django_db


def _error(response) -> str:
    found = re.search(
        r'<span class="field-error" id="pin-error"[^>]*>(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    assert found, response.content.decode()[:2000]
    return unescape(found.group(1))


def test_a_wrong_pin_counts_down_the_tries_and_names_the_instructor(classroom):
    first, _ = joined(classroom, "Tao")
    pin = first.session["classroom_rejoin"]["pin"]
    wrong = [f"{n:06d}" for n in range(10) if f"{n:06d}" != pin][:5]
    said = [_error(join(Client(), classroom, "tao", pin=guess)) for guess in wrong]
    assert said[0] == (
        "That PIN does not match “Tao”. Check the six digits you were shown when you first "
        "joined (4 tries left), or ask your instructor for a new PIN."
    )
    assert "(3 tries left)" in said[1]
    assert "(1 try left)" in said[3]
    assert said[4] == (
        "That PIN does not match “Tao”, and it was the last try for now: wait a quarter of an "
        "hour, or ask your instructor for a new PIN."
    )
