"""The class grid page's own words: the stuck rule, the times, and what changes at the end."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms import actions
from podstudio.builder.models import Design

from .helpers import edit, joined, start_exercise

pytestmark = pytest.mark.django_db

CPU = "spec.containers[0].resources.requests.cpu"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _page(client, classroom) -> str:
    return client.get(reverse("classrooms:detail", args=[classroom.code])).content.decode()


def _stuck(classroom, name: str):
    client, member = joined(classroom, name)
    design = start_exercise(client, "set-requests-limits")
    for attempt in range(6):
        edit(client, design, {CPU: f"lots{attempt}"})
    Design.objects.filter(pk=design.pk).update(error_since=timezone.now() - timedelta(minutes=6))
    return member


def test_the_stuck_rule_reads_with_the_classrooms_own_numbers(instructor_client, classroom):
    actions.update_thresholds(
        classroom=classroom,
        stuck_minutes=12,
        same_error_minutes=3,
        same_error_edits=7,
        idle_minutes=9,
    )
    text = _text(_page(instructor_client, classroom))
    assert (
        "Stuck: no new goal for 12 min, or the same error for 3 min across 7 edits in a row. "
        "Idle (not stuck) after 9 min without an edit."
    ) in text
    assert "after no new goal minutes" not in text


def test_the_end_is_written_one_way_on_the_whole_page(instructor_client, classroom):
    text = _text(_page(instructor_client, classroom))
    ends = f"{classroom.ends_at:%H:%M} UTC"
    assert text.count(f"Ends at {ends} (in 2 hours, 59 minutes)") == 2
    assert f"{classroom.ends_at:%Y-%m-%d}" not in text
    assert "Extend the classroom" in text


def test_after_the_end_reopen_says_what_it_does_and_the_stuck_list_is_folded(
    instructor_client, classroom
):
    _stuck(classroom, "Bo")
    running = _page(instructor_client, classroom)
    assert 'class="attention-box stuck"' in running
    assert "6 min on Set requests and limits, same error" in _text(running)

    actions.end_classroom(classroom=classroom)
    classroom.refresh_from_db()
    page = _page(instructor_client, classroom)
    text = _text(page)
    assert f"Ended at {classroom.ends_at:%H:%M} UTC" in text
    assert "Reopen for (minutes, from now)" in text
    assert re.search(r"<button [^>]*>Reopen the classroom</button>", page)
    assert "Learners can join, raise hands and edit their work again until the new end." in text
    stuck_box = re.search(r'<section class="attention-box stuck is-over".*?</section>', page, re.S)
    assert stuck_box, "the stuck list is not greyed"
    assert "Stuck when the class ended" in stuck_box.group(0)
    assert "<details>" in stuck_box.group(0)
    assert "1 learner: nobody is flagged any more" in _text(stuck_box.group(0))
