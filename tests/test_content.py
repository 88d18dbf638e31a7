"""Course content as files: the checker on the shipped course and on a deliberately broken
folder (each mistake with its file and line), and an instructor's folder shown beside the
shipped lessons."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from lessons import catalog
from lessons.content import SHIPPED_DIR, load_course, read_folder

HERE = Path(__file__).parent / "content"
BROKEN = HERE / "broken"
OWN = HERE / "own"


def test_the_shipped_course_has_no_mistakes():
    course = read_folder(SHIPPED_DIR, shipped=True)
    assert course.mistakes == []
    assert len(course.lessons) == 14
    assert len(course.drills) >= 8


def test_the_check_command_passes_on_the_shipped_content():
    out = StringIO()
    call_command("podstudio_content", "check", stdout=out)
    assert "0 mistake(s)" in out.getvalue()


EXPECTED = [
    ("bad-lesson/examples/wrong-facts.yaml", 2, "says qos: Guaranteed, but the Pod is BestEffort"),
    ("bad-lesson/lesson.md", 10, "unknown directive ::: carousel"),
    ("bad-lesson/lesson.md", 12, "template tags are not run in lesson Markdown"),
    ("bad-lesson/quiz.yaml", 5, "exactly one choice must be marked right"),
    ("bad-lesson/exercise.yaml", 21, "the solution does not meet goal 'named-web'"),
    ("bad-lesson/drill.yaml", 5, "shows ImagePullBackOff, not CrashLoopBackOff"),
    ("typo-goal/exercise.yaml", 24, "unknown keys exsits"),
    ("unreadable/quiz.yaml", 4, "not readable as YAML"),
]


def test_the_check_command_reports_each_mistake_with_its_file_and_line():
    out = StringIO()
    with pytest.raises(CommandError, match="8 mistake"):
        call_command("podstudio_content", "check", str(BROKEN), stdout=out)
    lines = out.getvalue().splitlines()
    for file, line, message in EXPECTED:
        wanted = f"{BROKEN / file}:{line}: "
        assert any(x.startswith(wanted) and message in x for x in lines), (file, lines)
    assert len(lines) == len(EXPECTED)


def test_an_exercise_whose_start_already_passes_is_a_mistake(tmp_path):
    lesson = tmp_path / "easy"
    lesson.mkdir()
    (lesson / "lesson.md").write_text("---\ntitle: Easy\nsummary: Too easy.\n---\nText.\n")
    (lesson / "exercise.yaml").write_text(
        (OWN / "my-first-lesson" / "exercise.yaml")
        .read_text()
        .replace(
            "spec:\n    containers:\n      - name: web",
            "spec:\n    containers:\n      - name: web",
            1,
        )
        .replace(
            "        volumeMounts: [{name: logs, mountPath: /var/log/nginx}]\n    volumes",
            "        volumeMounts: [{name: logs, mountPath: /var/log/nginx}]\n"
            "      - name: shipper\n        image: busybox:1.36\n"
            "        volumeMounts: [{name: logs, mountPath: /l, readOnly: true}]\n    volumes",
            1,
        )
    )
    mistakes = [str(m) for m in read_folder(tmp_path, shipped=False).mistakes]
    assert any(
        "exercise.yaml" in m and "the start Pod already meets every goal" in m for m in mistakes
    )


def test_an_instructors_lessons_load_after_the_shipped_ones_and_may_show_shipped_examples():
    course = load_course((str(OWN),))
    assert [lesson.slug for lesson in course.lessons][-1] == "my-first-lesson"
    assert course.lessons[-1].shipped is False
    assert "our-log-sidecar" in course.exercises


def test_an_instructors_lesson_that_reuses_a_shipped_name_is_left_out(tmp_path):
    clash = tmp_path / "qos"
    clash.mkdir()
    (clash / "lesson.md").write_text("---\ntitle: Mine\nsummary: Clashes.\n---\nText.\n")
    course = load_course((str(tmp_path),))
    assert sum(1 for lesson in course.lessons if lesson.slug == "qos") == 1
    assert any("the lesson 'qos' exists already" in str(m) for m in course.mistakes)


@pytest.fixture
def own_content(settings):
    settings.PODSTUDIO_CONTENT_DIRS = [str(OWN)]
    catalog.course.cache_clear()
    yield
    catalog.course.cache_clear()


@pytest.mark.django_db
def test_an_instructors_lesson_is_listed_and_rendered_beside_the_shipped_ones(client, own_content):
    index = client.get(reverse("lessons:index")).content.decode()
    assert "Your instructor's lessons" in index
    assert "Sidecars in our platform" in index
    page = client.get(reverse("lessons:lesson", args=["my-first-lesson"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>sidecar</strong>" in html  # Markdown rendered
    assert 'id="example-web-log-sidecar"' in html  # a shipped example, by its directive
    assert 'href="/builder/start?exercise=our-log-sidecar"' in html


@pytest.mark.django_db
def test_an_instructors_exercise_starts_in_the_builder(client, own_content):
    response = client.get("/builder/start?exercise=our-log-sidecar")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Ship our logs" in page


def test_raw_html_in_lesson_markdown_is_shown_as_text():
    from lessons.markdown import to_html

    assert "<script>" not in to_html("Hello <script>alert(1)</script>")


@pytest.mark.django_db
def test_every_link_in_the_shipped_lessons_leads_somewhere(client):
    """Links between lessons are written as paths; each one a lesson page shows opens a page
    (a start link opens the builder), and no template tag shows as text."""
    course = read_folder(SHIPPED_DIR, shipped=True)
    targets = set()
    for lesson in course.lessons:
        page = client.get(reverse("lessons:lesson", args=[lesson.slug])).content.decode()
        assert "{%" not in page and "{{" not in page, lesson.slug
        body = page.split("<main", 1)[1].split("</main>", 1)[0]
        targets |= set(re.findall(r'href="(/(?!static/)[^"#]*)', body))
    assert any(target.startswith("/lessons/") for target in targets)
    for target in sorted(targets):
        status = client.get(target.replace("&amp;", "&")).status_code
        assert status in (200, 302), target
