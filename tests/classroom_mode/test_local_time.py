"""Times are shown on the reader's own clock, with the zone they are in.

A workshop's server runs in UTC while its learners sit in Berlin or Tokyo: "until 14:00" sent
them an hour or nine off. ``site.js`` names the browser's zone in a cookie; the pages then show
times in that zone and always say which zone it is.
"""

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from .helpers import joined

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _on(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%H:%M} {local.tzname()}"


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Tokyo", "America/St_Johns"])
def test_a_learner_sees_the_end_of_the_class_on_their_own_clock(classroom, zone):
    client, _ = joined(classroom, "Ada")
    client.cookies["tz"] = zone
    text = _text(client.get("/lessons/"))
    assert f"until {_on(classroom.ends_at, zone)}" in text
    assert "UTC" not in text


@pytest.mark.parametrize("page", ["/lessons/probes/", "/builder/"])
def test_two_learners_in_two_zones_each_see_their_own_clock_on_the_same_page(classroom, page):
    """Lesson pages are kept per process for each state a learner can be in: the time must
    not be kept with them."""
    for name, zone in (("Ada", "Europe/Berlin"), ("Bo", "Asia/Tokyo"), ("Cy", "")):
        client, _ = joined(classroom, name)
        if zone:
            client.cookies["tz"] = zone
        text = _text(client.get(page))
        expected = _on(classroom.ends_at, zone) if zone else f"{classroom.ends_at:%H:%M} UTC"
        assert f"until {expected}" in text


def test_the_instructor_sees_the_end_and_the_class_list_on_their_own_clock(
    instructor_client, classroom
):
    instructor_client.cookies["tz"] = "America/New_York"
    detail = _text(instructor_client.get(reverse("classrooms:detail", args=[classroom.code])))
    assert f"Ends at {_on(classroom.ends_at, 'America/New_York')}" in detail
    listing = _text(instructor_client.get(reverse("classrooms:index")))
    local = classroom.ends_at.astimezone(ZoneInfo("America/New_York"))
    assert f"{local:%Y-%m-%d %H:%M} {local.tzname()}" in listing


@pytest.mark.parametrize(
    "cookie", ["", "Mars/Olympus_Mons", "../../../etc/passwd", "UTC\x00", "utc", "x" * 3000]
)
def test_without_a_zone_the_browser_named_times_are_in_utc_and_say_so(classroom, cookie):
    client, _ = joined(classroom, "Ada")
    if cookie:
        client.cookies["tz"] = cookie
    response = client.get("/lessons/")
    assert response.status_code == 200
    assert f"until {classroom.ends_at:%H:%M} UTC" in _text(response)


def test_a_practice_round_gives_its_times_on_the_learners_clock(client):
    client.cookies["tz"] = "Asia/Kolkata"
    client.post(reverse("lessons:practice"), {"size": 3, "minutes": 10})
    text = _text(client.get(reverse("lessons:practice")))
    found = re.search(r"Round started (\d\d:\d\d) (\w+) ?, ends at (\d\d:\d\d) (\w+) ?:", text)
    assert found, text[:600]
    assert found.group(2) == found.group(4) == "IST"
    started, ends = (datetime.strptime(found.group(n), "%H:%M") for n in (1, 3))
    assert (ends - started).seconds == 10 * 60
