"""The export: learners × items as CSV and JSON, with the numbers an instructor reports."""

import csv
import io

import pytest
from django.urls import reverse

from classrooms import actions
from lessons.catalog import get_lesson

from .helpers import FINISH_REQUESTS_LIMITS, edit, joined, start_exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_with_work(classroom, instructor):
    ada_client, ada = joined(classroom, "Ada")
    design = start_exercise(ada_client, "set-requests-limits")
    edit(ada_client, design, {"metadata.name": "resizer-2"})
    edit(ada_client, design, FINISH_REQUESTS_LIMITS)
    lesson = get_lesson("resources")
    for question in lesson.quiz:
        wrong = next(c for c in question.choices if not c.correct)
        url = reverse("lessons:answer", args=[lesson.slug, question.id])
        if question is lesson.quiz[0]:
            ada_client.post(url, {"choice": wrong.id})
        ada_client.post(url, {"choice": question.answer.id})
    bo_client, bo = joined(classroom, "=HYPERLINK(1)")
    probe = start_exercise(bo_client, "add-readiness-probe")
    edit(bo_client, probe, {"metadata.name": "search-2"})
    actions.send_hint(
        member=bo, text="Try httpGet", exercise="add-readiness-probe", user=instructor
    )
    actions.send_hint(member=bo, text="Port 8080", exercise="add-readiness-probe", user=instructor)
    bo_client.post(reverse("lessons:hint", args=[probe.slug]), {"level": "1"})  # a nudge
    return classroom


def _by(rows, learner, item):
    return next(row for row in rows if row["learner"] == learner and row["item"] == item)


def test_the_json_export_has_every_learner_and_item(instructor_client, class_with_work):
    url = reverse("classrooms:results", args=[class_with_work.code, "json"])
    response = instructor_client.get(url)
    assert response["Content-Type"] == "application/json"
    assert f"classroom-{class_with_work.code}-results.json" in response["Content-Disposition"]
    data = response.json()
    assert data["classroom"]["code"] == class_with_work.code
    rows = data["results"]
    assert len(rows) == 2 * 3  # two learners, three items
    done = _by(rows, "Ada", "set-requests-limits")
    assert done["status"] == "done" and done["goals_met"] == done["goals_total"] == 5
    assert done["attempts"] == 2 and done["done_at"] and done["time_spent_seconds"] >= 0
    quiz = _by(rows, "Ada", "resources")
    questions = len(get_lesson("resources").quiz)
    assert quiz["item_kind"] == "quiz" and quiz["status"] == "done"
    assert quiz["first_attempt_correct"] == questions - 1  # the first one came on the 2nd try
    assert quiz["answered"] == questions and quiz["attempts"] == questions + 1
    working = _by(rows, "=HYPERLINK(1)", "add-readiness-probe")
    assert working["status"] == "working" and working["hints_received"] == 2
    assert working["hints_used"] == 1  # the nudge Bo asked for in the builder
    assert done["hints_used"] == 0 and quiz["hints_used"] is None
    assert working["goals_met"] == 1 and working["goals_total"] == 4
    untouched = _by(rows, "=HYPERLINK(1)", "set-requests-limits")
    assert untouched["status"] == "not started" and untouched["hints_received"] == 0


def test_the_csv_export_has_the_same_rows_and_no_formulas(instructor_client, class_with_work):
    url = reverse("classrooms:results", args=[class_with_work.code, "csv"])
    response = instructor_client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 6
    assert set(rows[0]) >= {
        "learner",
        "item",
        "status",
        "goals_met",
        "attempts",
        "first_attempt_correct",
        "time_spent_seconds",
        "hints_received",
        "hints_used",
    }
    assert _by(rows, "Ada", "set-requests-limits")["status"] == "done"
    assert _by(rows, "'=HYPERLINK(1)", "add-readiness-probe")["hints_received"] == "2"
    assert _by(rows, "'=HYPERLINK(1)", "add-readiness-probe")["hints_used"] == "1"
    assert _by(rows, "Ada", "resources")["hints_used"] == ""  # a quiz has no hints to use


def test_the_export_of_an_ended_classroom_stays_as_it_was(instructor_client, class_with_work):
    url = reverse("classrooms:results", args=[class_with_work.code, "json"])
    before = instructor_client.get(url).json()["results"]
    actions.end_classroom(classroom=class_with_work)
    after = instructor_client.get(url).json()["results"]
    assert after == before


def test_an_exercise_not_started_counts_its_goals(instructor_client, classroom):
    from lessons.exercises import get_exercise

    joined(classroom, "Wes")
    response = instructor_client.get(reverse("classrooms:results", args=[classroom.code, "json"]))
    rows = [row for row in response.json()["results"] if row["item"] == "set-requests-limits"]
    assert rows[0]["status"] == "not started" and rows[0]["goals_met"] == 0
    assert rows[0]["goals_total"] == len(get_exercise("set-requests-limits").goals) > 0
