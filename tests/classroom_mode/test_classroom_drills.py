"""Troubleshooting drills on a classroom's agenda: chosen when the class is made, opened from
the learner's agenda, shown in the grid and the export as runs until the learner's fix runs,
reset by the instructor, and frozen at the class's end like the rest."""

import pytest
from django.urls import reverse

from classrooms import actions, grid
from podstudio.builder.models import Design

from .helpers import HTMX, joined

pytestmark = pytest.mark.django_db

DRILL = "crash-loop-env"
ITEMS = [{"kind": "exercise", "slug": "set-requests-limits"}, {"kind": "drill", "slug": DRILL}]
FIX = [{"name": "DATABASE_URL", "value": "postgres://orders-db:5432/orders"}]


@pytest.fixture(autouse=True)
def sandbox_off(settings):
    settings.PODSTUDIO_SANDBOX_KUBECONFIG = ""  # drills are played offline


@pytest.fixture
def drill_class(instructor):
    return actions.create_classroom(title="Fix it", instructor=instructor, items=ITEMS)


def _open_drill(client) -> Design:
    answer = client.get(reverse("classrooms:drill", args=[DRILL]), follow=True)
    assert answer.status_code == 200
    slug = answer.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[1]
    return Design.objects.get(slug=slug)


def _run(client, design: Design) -> str:
    url = reverse("lessons:drill-run", args=[design.slug])
    return client.post(url, **HTMX).content.decode()


def _fix(design: Design) -> None:
    design.refresh_from_db()
    design.manifest["spec"]["containers"][0]["env"] = FIX
    design.save()


def _cell(classroom):
    row = grid.build(classroom).rows[0]
    return next(cell for cell in row.cells if cell.item.kind == "drill")


def _member_id(classroom) -> int:
    from classrooms.models import Member

    return Member.objects.get(classroom=classroom).pk


def _export_row(client, classroom) -> dict:
    url = reverse("classrooms:results", args=[classroom.code, "json"])
    return next(row for row in client.get(url).json()["results"] if row["item"] == DRILL)


def test_an_instructor_puts_a_drill_on_the_agenda(instructor_client):
    page = instructor_client.get(reverse("classrooms:new")).content.decode()
    assert f'value="drill:{DRILL}"' in page
    answer = instructor_client.post(
        reverse("classrooms:new"),
        {"title": "Drills", "minutes": "60", "max_learners": "30", "items": [f"drill:{DRILL}"]},
    )
    assert answer.status_code == 302
    code = answer["Location"].rstrip("/").rsplit("/", 1)[1]
    grid_page = instructor_client.get(answer["Location"]).content.decode()
    assert "Drill</span> The app that keeps crashing" in grid_page
    assert code


def test_a_drill_is_worked_on_in_runs_and_done_when_the_fix_runs(instructor_client, drill_class):
    client, _ = joined(drill_class, "Ada")
    assert _cell(drill_class).state == "todo"
    design = _open_drill(client)
    assert design.exercise == f"drill:{DRILL}"
    assert _open_drill(client) == design  # the agenda link resumes it
    assert (_cell(drill_class).state, _cell(drill_class).text) == ("working", "Started")
    assert "CrashLoopBackOff" in _run(client, design)
    cell = _cell(drill_class)
    assert (cell.state, cell.text, cell.attempts) == ("working", "1 run", 1)
    _fix(design)
    assert "Fixed: the Pod is Running and Ready" in _run(client, design)
    cell = _cell(drill_class)
    assert cell.state == "done" and cell.attempts == 2
    assert "its Pod ran after 2 runs" in cell.detail
    row = _export_row(instructor_client, drill_class)
    assert (row["item_kind"], row["status"], row["attempts"]) == ("drill", "done", 2)
    assert row["goals_met"] is None and row["goals_total"] is None
    mine = client.get(reverse("classrooms:mine"))
    rows = {r["item"].slug: r for r in mine.context["rows"]}
    assert rows[DRILL]["done"]
    assert "troubleshooting drill" in mine.content.decode()
    learner_page = reverse("classrooms:learner", args=[drill_class.code, _member_id(drill_class)])
    page = instructor_client.get(learner_page, {"exercise": f"drill:{DRILL}"}).content.decode()
    assert "Their design:" in page and "aria-current" in page


def test_a_reset_drill_is_done_again_only_by_a_run_after_it(instructor_client, drill_class):
    client, member = joined(drill_class, "Ada")
    design = _open_drill(client)
    _fix(design)
    _run(client, design)
    assert _cell(drill_class).state == "done"
    url = reverse("classrooms:reset", args=[drill_class.code, member.pk])
    answer = instructor_client.post(url, {"exercise": f"drill:{DRILL}"}, follow=True)
    said = [str(message) for message in answer.context["messages"]]
    assert said == [
        "“The app that keeps crashing” is back at its starting Pod for Ada, who is told."
    ]
    assert _cell(drill_class).state == "working"
    bar = client.get(reverse("classrooms:mine")).content.decode()
    assert f'href="/classroom/drill/{DRILL}/">Open it again</a>' in bar
    _fix(design)
    _run(client, design)
    assert _cell(drill_class).state == "done"


def test_a_drill_run_after_the_end_is_not_counted(instructor_client, drill_class):
    client, _ = joined(drill_class, "Ada")
    design = _open_drill(client)
    _run(client, design)
    actions.end_classroom(classroom=drill_class)
    before = _export_row(instructor_client, drill_class)
    _fix(design)
    _run(client, design)
    assert _export_row(instructor_client, drill_class) == before
    assert before["status"] == "working"
