"""The live class grid: what each cell and row shows, the stuck reasons, and the refresh."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classrooms import actions, grid
from classrooms.models import Member
from lessons.catalog import get_lesson
from podstudio.builder.models import Design

from .helpers import FINISH_REQUESTS_LIMITS, HTMX, edit, join, joined, start_exercise

pytestmark = pytest.mark.django_db

CPU = "spec.containers[0].resources.requests.cpu"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _row_html(page: str, member: Member) -> str:
    match = re.search(rf'<tr id="m-{member.pk}".*?</tr>', page, re.S)
    assert match, f"no row for {member.name}"
    return match.group(0)


def _cells(classroom, member) -> dict[str, grid.Cell]:
    row = grid.build(classroom, member_id=member.pk).rows[0]
    return {f"{cell.item.kind}:{cell.item.slug}": cell for cell in row.cells}


def test_the_grid_shows_learners_by_items(instructor_client, classroom):
    joined(classroom, "Ada")
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    assert page.status_code == 200
    text = _text(page.content.decode())
    assert "Ada" in text
    for title in ("Requests and limits", "Set requests and limits", "Add a readiness probe"):
        assert title in text
    assert classroom.code in text
    assert "Nobody has joined yet" not in text


def test_an_empty_class_says_how_to_join(instructor_client, classroom):
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    assert "Nobody has joined yet" in _text(page.content.decode())


def test_cells_show_not_started_working_with_goals_and_validity_and_done(classroom):
    client, member = joined(classroom, "Bo")
    cells = _cells(classroom, member)
    assert cells["exercise:set-requests-limits"].state == "todo"
    design = start_exercise(client, "set-requests-limits")
    edit(client, design, {CPU: "250", f"{CPU}@unit": "m"})
    cell = _cells(classroom, member)["exercise:set-requests-limits"]
    assert (cell.state, cell.text, cell.valid) == ("working", "3/5", True)
    edit(client, design, {CPU: "lots"})
    cell = _cells(classroom, member)["exercise:set-requests-limits"]
    assert cell.valid is False and "it has 1 problem" in cell.detail
    edit(client, design, FINISH_REQUESTS_LIMITS)
    cell = _cells(classroom, member)["exercise:set-requests-limits"]
    assert cell.state == "done"
    assert cell.text == f"Done {timezone.localtime(cell.done_at):%H:%M}"


def test_quiz_cells_show_the_first_attempt_score(classroom):
    client, member = joined(classroom, "Cy")
    lesson = get_lesson("resources")
    first, second = lesson.quiz[0], lesson.quiz[1]
    wrong = next(c for c in first.choices if not c.correct)
    client.post(reverse("lessons:answer", args=[lesson.slug, first.id]), {"choice": wrong.id})
    client.post(
        reverse("lessons:answer", args=[lesson.slug, first.id]), {"choice": first.answer.id}
    )
    client.post(
        reverse("lessons:answer", args=[lesson.slug, second.id]), {"choice": second.answer.id}
    )
    cell = _cells(classroom, member)["lesson:resources"]
    assert cell.text == f"1/{len(lesson.quiz)} (2 answered)"  # right first time, of those
    assert cell.answered == 2 and cell.attempts == 3
    assert f"1 of {len(lesson.quiz)} right on the first try" in cell.detail


def test_now_names_the_exercise_or_lesson_touched_last(instructor_client, classroom):
    client, member = joined(classroom, "Gus")
    design = start_exercise(client, "set-requests-limits")
    edit(client, design, {"metadata.name": "resizer-2"})

    def now_text() -> str:
        page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
        row = _row_html(page.content.decode(), member)
        return _text(re.search(r'<td class="now">.*?</td>', row, re.S).group(0))

    assert now_text().startswith("on Set requests and limits")
    lesson = get_lesson("resources")
    question = lesson.quiz[0]
    client.post(
        reverse("lessons:answer", args=[lesson.slug, question.id]), {"choice": question.answer.id}
    )
    assert now_text().startswith(f"on {lesson.title}")
    edit(client, design, {"metadata.name": "resizer-3"})
    assert now_text().startswith("on Set requests and limits")


def test_a_raised_hand_and_idle_time_show_on_the_row(instructor_client, classroom):
    client, member = joined(classroom, "Dee")
    client.post(reverse("classrooms:hand"), {"message": "Is <script> allowed?"})
    Member.objects.filter(pk=member.pk).update(joined_at=timezone.now() - timedelta(minutes=12))
    Member.objects.filter(pk=member.pk).update(
        hand_raised_at=timezone.now() - timedelta(minutes=12)
    )
    page = instructor_client.get(
        reverse("classrooms:detail", args=[classroom.code])
    ).content.decode()
    row = _row_html(page, member)
    assert "Hand up" in row and "idle 12 min" in row
    assert "Is &lt;script&gt; allowed?" in page and "<script> allowed" not in page


def test_a_stuck_learner_is_flagged_with_the_reason(instructor_client, classroom):
    client, member = joined(classroom, "Eve")
    design = start_exercise(client, "set-requests-limits")
    for name in "abcdef":
        edit(client, design, {CPU: "lots", "metadata.name": f"resizer-{name}"})
    Design.objects.filter(pk=design.pk).update(error_since=timezone.now() - timedelta(minutes=7))
    page = instructor_client.get(
        reverse("classrooms:detail", args=[classroom.code])
    ).content.decode()
    reason = (
        "7 min on Set requests and limits, same error: "
        "spec.containers[0].resources.requests[cpu]: must be a quantity"
    )
    assert reason in _text(_row_html(page, member))
    assert "1 stuck" in _text(page)


def test_tuned_thresholds_change_who_is_stuck(instructor_client, classroom):
    client, member = joined(classroom, "Fay")
    design = start_exercise(client, "set-requests-limits")
    edit(client, design, {"metadata.name": "resizer-2"})
    Design.objects.filter(pk=design.pk).update(goal_at=timezone.now() - timedelta(minutes=3))
    assert grid.build(classroom).rows[0].stuck is None
    response = instructor_client.post(
        reverse("classrooms:thresholds", args=[classroom.code]),
        {"stuck_minutes": 2, "same_error_minutes": 4, "same_error_edits": 5, "idle_minutes": 5},
    )
    assert response.status_code == 302
    classroom.refresh_from_db()
    found = grid.build(classroom).rows[0].stuck
    assert (
        found is not None and "3 min on Set requests and limits without a new goal" in found.reason
    )
    bad = instructor_client.post(
        reverse("classrooms:thresholds", args=[classroom.code]),
        {"stuck_minutes": 0, "same_error_minutes": 4, "same_error_edits": 5, "idle_minutes": 5},
        follow=True,
    )
    assert "The thresholds were not changed" in bad.content.decode()
    classroom.refresh_from_db()
    assert classroom.stuck_minutes == 2


def _refresh(instructor_client, classroom, shown: str):
    url = reverse("classrooms:refresh", args=[classroom.code])
    return instructor_client.post(url, {"shown": shown}, **HTMX)


def _shown(response) -> str:
    return unescape(
        re.search(r'id="grid-shown" value="([^"]*)"', response.content.decode()).group(1)
    )


def test_the_refresh_sends_only_what_changed(instructor_client, classroom):
    ada_client, ada = joined(classroom, "Ada")
    _, bo = joined(classroom, "Bo")
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    shown = _shown(page)
    nothing = _refresh(instructor_client, classroom, shown)
    assert nothing.status_code == 200
    assert "<tr" not in nothing.content.decode() and "grid-summary" not in nothing.content.decode()
    design = start_exercise(ada_client, "set-requests-limits")
    edit(ada_client, design, {CPU: "250", f"{CPU}@unit": "m"})
    changed = _refresh(instructor_client, classroom, shown).content.decode()
    assert f'id="m-{ada.pk}"' in changed and f'id="m-{bo.pk}"' not in changed
    assert 'hx-swap-oob="true"' in changed and "<template>" in changed
    _, cy = joined(classroom, "Cy")
    added = _refresh(instructor_client, classroom, _shown(page)).content.decode()
    assert 'hx-swap-oob="beforeend:#grid-rows"' in added and f'id="m-{cy.pk}"' in added
    assert 'id="grid-summary" hx-swap-oob="innerHTML"' in added  # three learners now
    bo_id = bo.pk
    actions.remove_member(member=bo)
    gone = _refresh(instructor_client, classroom, _shown(page) + " 12x 9999999999999999999")
    assert f'<tr id="m-{bo_id}" hx-swap-oob="delete"></tr>' in gone.content.decode()
    assert gone.content.decode().count('hx-swap-oob="delete"') == 1  # (not what is no id)


def test_hints_a_learner_used_show_in_their_cell_and_update_the_row(instructor_client, classroom):
    client, member = joined(classroom, "Dee")
    design = start_exercise(client, "add-readiness-probe")
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    cell = _cells(classroom, member)["exercise:add-readiness-probe"]
    assert cell.hints == 0 and "hint" not in cell.detail
    assert "hints-used" not in _row_html(page.content.decode(), member)

    builder = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "Your instructor sees how many you used." in builder  # (a class's learner is told)
    for level in ("1", "2"):  # a nudge, then where to look
        client.post(reverse("lessons:hint", args=[design.slug]), {"level": level}, **HTMX)
    cell = _cells(classroom, member)["exercise:add-readiness-probe"]
    assert cell.hints == 2
    assert cell.detail.endswith("; 2 hints used (up to where to look)")
    changed = _refresh(instructor_client, classroom, _shown(page)).content.decode()
    row = _row_html(changed, member)  # the live refresh sends the row again
    assert '<span class="hints-used">2 hints</span>' in row
    assert "2 hints used (up to where to look)" in _text(row)

    # Finished after the solution was shown: the done cell still says so.
    client.post(reverse("lessons:hint", args=[design.slug]), {"level": "3"}, **HTMX)
    edit(
        client,
        design,
        {
            "spec.containers[0].readinessProbe@kind": "httpGet",
        },
    )
    edit(
        client,
        design,
        {
            "spec.containers[0].readinessProbe.httpGet.path": "/ready",
            "spec.containers[0].readinessProbe.initialDelaySeconds": "5",
        },
    )
    cell = _cells(classroom, member)["exercise:add-readiness-probe"]
    assert cell.state == "done" and cell.hints == 3
    assert "3 hints used (up to the solution)" in cell.detail


def test_without_javascript_the_refresh_button_reloads_the_page(instructor_client, classroom):
    page = instructor_client.get(
        reverse("classrooms:detail", args=[classroom.code])
    ).content.decode()
    form = re.search(r'<form id="grid-refresh" method="get" action="([^"]+)"', page)
    assert form and form.group(1) == reverse("classrooms:detail", args=[classroom.code])
    plain = instructor_client.post(reverse("classrooms:refresh", args=[classroom.code]))
    assert plain.status_code == 302


@pytest.mark.parametrize("learners", [3, 30])
def test_a_refresh_costs_the_same_queries_whatever_the_class_size(
    instructor_client, classroom, learners, django_assert_max_num_queries
):
    lesson = get_lesson("resources")
    for number in range(learners):
        client, _ = joined(classroom, f"Learner {number}")
        design = start_exercise(client, "set-requests-limits")
        edit(client, design, {CPU: "250", f"{CPU}@unit": "m"})
        question = lesson.quiz[0]
        client.post(reverse("lessons:answer", args=[lesson.slug, question.id]), {"choice": "a"})
        client.post(reverse("lessons:read", args=[lesson.slug]))
        client.post(reverse("lessons:hint", args=[design.slug]), {"level": "1"})
    # the session, the user, the classroom, then members, designs (with their hints), done,
    # answers, reads
    with django_assert_max_num_queries(8):
        response = _refresh(instructor_client, classroom, "")
    assert response.content.decode().count("<tr") == learners
    assert response.content.decode().count('<span class="hints-used">1 hint</span>') == learners


def test_an_ended_classroom_stops_the_polling_once_shown(instructor_client, classroom):
    joined(classroom, "Gil")
    classroom.ends_at = timezone.now() - timedelta(minutes=1)
    classroom.save()
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    assert _refresh(instructor_client, classroom, _shown(page)).status_code == 286
    # ... and the page says so, rather than promising updates every 2 seconds
    assert "the grid no longer updates by itself" in page.content.decode()
    assert "Updates by itself every 2 seconds" not in page.content.decode()


def test_a_running_classroom_says_its_grid_updates_by_itself(instructor_client, classroom):
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    assert "Updates by itself every 2 seconds" in page.content.decode()


def test_work_after_the_end_is_not_counted(classroom):
    client, member = joined(classroom, "Hu")
    design = start_exercise(client, "set-requests-limits")
    actions.end_classroom(classroom=classroom)
    edit(client, design, FINISH_REQUESTS_LIMITS)  # after the end: goes to a copy
    cell = _cells(classroom, member)["exercise:set-requests-limits"]
    assert cell.state == "working" and cell.text == "1/5"
    assert Design.objects.filter(learner_id=member.learner_id).count() == 2


def test_each_column_counts_the_learners_done_and_the_refresh_updates_it(
    instructor_client, classroom
):
    ada_client, _ = joined(classroom, "Ada")
    joined(classroom, "Bo")
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    html = page.content.decode()
    columns = grid.build(classroom).items
    index = next(i for i, item in enumerate(columns) if item.slug == "set-requests-limits")
    count = rf'<span id="col-count-{index}" class="col-count"[^>]*>([^<]*)</span>'
    assert re.search(count, html).group(1) == "0 of 2 done"
    design = start_exercise(ada_client, "set-requests-limits")
    edit(ada_client, design, FINISH_REQUESTS_LIMITS)
    changed = _refresh(instructor_client, classroom, _shown(page)).content.decode()
    assert re.search(count, changed).group(1) == "1 of 2 done"


def test_an_ended_class_shows_no_one_active_and_no_hands_to_lower(instructor_client, classroom):
    client, member = joined(classroom, "Ada")
    client.post(reverse("classrooms:hand"), {"message": "one more question"})
    classroom.ends_at = timezone.now() - timedelta(minutes=1)
    classroom.save()
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    summary = re.search(r'<div id="grid-summary".*?</div>\s*</div>', page.content.decode(), re.S)
    text = _text(summary.group(0))
    assert "active now" not in text and "Lower" not in text
    assert "Raised hands The classroom has ended." in text


def test_after_the_end_a_row_says_how_the_learner_was_at_the_end_not_active_now(
    instructor_client, classroom
):
    """The grid's clock stops at the end; a learner busy in its last minute is not "active
    now" beside "Ended at …", nor "on" an exercise any more."""
    busy_client, busy = joined(classroom, "Ada")
    _, never = joined(classroom, "Bo")
    design = start_exercise(busy_client, "set-requests-limits")
    edit(busy_client, design, {CPU: "250", f"{CPU}@unit": "m"})
    classroom.ends_at = timezone.now()  # ended right after the edit
    classroom.save()
    html = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    html = html.content.decode()
    learner_page = instructor_client.get(
        reverse("classrooms:learner", args=[classroom.code, busy.pk])
    ).content.decode()
    busy_row, never_row = _text(_row_html(html, busy)), _text(_row_html(html, never))
    assert "active at the end" in busy_row and "was on" in busy_row
    assert "active now" not in busy_row and "just joined" not in never_row
    assert "no activity" in never_row
    assert "active at the end" in learner_page and "active now" not in learner_page


def test_a_learner_who_left_is_shown_as_gone_until_they_come_back(instructor_client, classroom):
    """Leave keeps the membership (the PIN brings it back), and the grid showed such a learner
    exactly as one still working: now "left at 10:42 UTC", neither active nor stuck."""
    client, member = joined(classroom, "Lu")
    pin = client.session["classroom_rejoin"]["pin"]
    design = start_exercise(client, "set-requests-limits")
    edit(client, design, {CPU: "250", f"{CPU}@unit": "m"})
    client.post(reverse("classrooms:leave"))
    url = reverse("classrooms:detail", args=[classroom.code])
    page = instructor_client.get(url).content.decode()
    row = _text(_row_html(page, member))
    assert re.search(r"left at \d\d:\d\d UTC", row) and "active now" not in row
    assert grid.build(classroom).active_count == 0
    join(Client(), classroom, "Lu", pin=pin)  # back, from another browser
    row = _text(_row_html(instructor_client.get(url).content.decode(), member))
    assert "left at" not in row


def test_a_learner_who_has_done_nothing_yet_is_just_joined_not_active(instructor_client, classroom):
    client, member = joined(classroom, "Eve")
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    assert "just joined" in _text(_row_html(page.content.decode(), member))
    design = start_exercise(client, "set-requests-limits")
    edit(client, design, {CPU: "250", f"{CPU}@unit": "m"})
    page = instructor_client.get(reverse("classrooms:detail", args=[classroom.code]))
    row = _text(_row_html(page.content.decode(), member))
    assert "active now" in row and "just joined" not in row
