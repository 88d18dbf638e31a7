"""What an instructor does during a class, and what learners see of it on their pages."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms import actions
from classrooms.models import Member
from lessons.exercises import get_exercise
from lessons.models import ExerciseDone
from podstudio.builder.edit import form_data
from podstudio.builder.models import Design
from tests.conftest import builder_page_base

from .helpers import FINISH_REQUESTS_LIMITS, HTMX, edit, joined, start_exercise

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _version(response) -> str:
    html = response.content.decode()
    return re.search(r'id="bar-version" name="v" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("page", ["/lessons/", "/lessons/probes/", "/builder/"])
def test_joined_learners_see_the_agenda_and_a_raise_hand_button_on_lesson_and_builder_pages(
    classroom, page
):
    client, _ = joined(classroom, "Ada")
    response = client.get(page)
    text = _text(response)
    assert "Pods workshop" in text and "You are Ada" in text
    assert "Agenda (3)" in text and "Add a readiness probe" in text
    assert ">Raise hand</button>" in response.content.decode()


def test_the_builder_page_of_a_joined_learner_shows_the_bar(classroom):
    client, _ = joined(classroom, "Ada")
    design = start_exercise(client, "set-requests-limits")
    page = client.get(reverse("builder:design", args=[design.slug]))
    assert ">Raise hand</button>" in page.content.decode()


def test_visitors_who_never_joined_see_no_bar(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/")
    assert "Raise hand" not in response.content.decode()


def test_raising_and_lowering_a_hand_with_and_without_javascript(classroom):
    client, member = joined(classroom, "Bo")
    response = client.post(
        reverse("classrooms:hand"), {"message": "  stuck   on probes ", "next": "/lessons/"}
    )
    assert response["Location"] == "/lessons/"
    member.refresh_from_db()
    assert member.hand_raised_at is not None and member.hand_message == "stuck on probes"
    lowered = client.post(reverse("classrooms:hand"), {"lower": "1"}, **HTMX)
    assert "Raise hand" in lowered.content.decode() and "<html" not in lowered.content.decode()
    member.refresh_from_db()
    assert member.hand_raised_at is None


def test_the_bar_an_answer_draws_sends_a_plain_post_back_to_the_page_it_is_on(classroom):
    """Its forms posted before htmx takes them (or without it) once went to the answer's own
    URL, /classroom/hand, which answers a GET with 405."""
    client, _ = joined(classroom, "Bo")
    page = "http://testserver/lessons/probes/"
    raised = client.post(reverse("classrooms:hand"), {}, HTTP_HX_CURRENT_URL=page, **HTMX)
    assert 'name="next" value="/lessons/probes/"' in raised.content.decode()
    lowered = client.post(reverse("classrooms:hand"), {"lower": "1", "next": "/lessons/probes/"})
    assert lowered["Location"] == "/lessons/probes/"


def test_a_next_address_elsewhere_is_not_followed(classroom):
    client, _ = joined(classroom, "Bo")
    response = client.post(reverse("classrooms:hand"), {"next": "//evil.example/"})
    assert response["Location"] == reverse("classrooms:mine")


def test_a_hint_reaches_the_learner_within_one_poll(instructor_client, classroom):
    client, member = joined(classroom, "Cy")
    page = client.get("/lessons/")
    version = _version(page)
    poll = client.get(reverse("classrooms:bar"), {"v": version}, **HTMX)
    assert poll.status_code == 204  # nothing new: nothing to swap
    url = reverse("classrooms:hint", args=[classroom.code, member.pk])
    instructor_client.post(url, {"text": "Look at the port name", "exercise": ""})
    poll = client.get(reverse("classrooms:bar"), {"v": version}, **HTMX)
    assert poll.status_code == 200
    assert "Hint for you" in _text(poll) and "Look at the port name" in _text(poll)
    assert client.get(reverse("classrooms:bar"), {"v": _version(poll)}, **HTMX).status_code == 204


def test_a_class_that_ends_on_time_tells_the_bar_once_and_the_polling_stops(classroom):
    """Nothing is saved when the end time passes: the bar once kept saying "until HH:MM" (and
    no end) until the learner reloaded."""
    client, _ = joined(classroom, "Cy")
    version = _version(client.get("/lessons/"))
    ended_at = timezone.now() - timezone.timedelta(minutes=1)
    type(classroom).objects.filter(pk=classroom.pk).update(ends_at=ended_at)
    poll = client.get(reverse("classrooms:bar"), {"v": version}, **HTMX)
    assert poll.status_code == 286  # htmx swaps it and stops polling
    html = poll.content.decode()
    when = re.search(r'<span id="bar-when" hx-swap-oob="true">(.*?)</span>', html)
    said = re.sub(r"<[^>]+>", "", when.group(1)) if when else ""
    assert said == f"ended at {timezone.localtime(ended_at):%H:%M} UTC"
    assert "This classroom has ended" in _text(poll) and "Raise hand" not in html


def test_an_announcement_reaches_every_learner(instructor_client, classroom):
    ada, _ = joined(classroom, "Ada")
    bo, _ = joined(classroom, "Bo")
    versions = {client: _version(client.get("/lessons/")) for client in (ada, bo)}
    url = reverse("classrooms:announce", args=[classroom.code])
    assert instructor_client.post(url, {"text": "Pens down in 5"}).status_code == 302
    for client, version in versions.items():
        poll = client.get(reverse("classrooms:bar"), {"v": version}, **HTMX)
        assert "Announcement" in _text(poll) and "Pens down in 5" in _text(poll)
    assert "Pens down in 5" in _text(ada.get("/builder/"))  # and on the next page, without JS


def test_the_instructor_lowers_a_hand(instructor_client, classroom):
    client, member = joined(classroom, "Dee")
    client.post(reverse("classrooms:hand"), {"message": "help"})
    url = reverse("classrooms:lower-hand", args=[classroom.code, member.pk])
    instructor_client.post(url, {"from": "grid"})
    member.refresh_from_db()
    assert member.hand_raised_at is None
    assert ">Raise hand</button>" in client.get("/lessons/").content.decode()


def test_reset_puts_the_exercise_back_to_its_start_and_tells_the_learner(
    instructor_client, classroom
):
    client, member = joined(classroom, "Eve")
    design = start_exercise(client, "set-requests-limits")
    edit(client, design, FINISH_REQUESTS_LIMITS)
    assert ExerciseDone.objects.filter(learner_id=member.learner_id).exists()
    url = reverse("classrooms:reset", args=[classroom.code, member.pk])
    done = instructor_client.post(url, {"exercise": "set-requests-limits"}, follow=True)
    assert "“Set requests and limits” is back at its starting Pod for Eve, who is told." in (
        _text(done)
    )
    design.refresh_from_db()
    assert "resources" not in design.manifest["spec"]["containers"][0]
    assert (design.goals_met, design.goals_best) == (1, 1)
    assert not ExerciseDone.objects.filter(learner_id=member.learner_id).exists()
    text = _text(client.get("/lessons/"))
    assert "Your instructor put “Set requests and limits” back to its start" in text
    assert instructor_client.post(url, {"exercise": "not-in-class"}).status_code == 404
    _, idle = joined(classroom, "Ida")
    idle_url = reverse("classrooms:reset", args=[classroom.code, idle.pk])
    nothing = instructor_client.post(idle_url, {"exercise": "set-requests-limits"}, follow=True)
    assert "Ida has not started “Set requests and limits”: nothing to reset." in _text(nothing)


def test_a_builder_page_left_open_saves_nothing_over_a_reset(instructor_client, classroom):
    """The learner's builder page still shows their work after the instructor reset it: its
    next edit (here the whole form, as an Add button posts it) would bring that work back over
    the reset. It is not saved; the page is drawn again with the exercise's start."""
    client, member = joined(classroom, "Ida")
    design = start_exercise(client, "set-requests-limits")
    base = builder_page_base(client, design.slug)
    mark = {"_base": base, "_edit": "00aa11bb22cc33dd:1"}
    assert edit(client, design, {**FINISH_REQUESTS_LIMITS, **mark}).status_code == 200
    design.refresh_from_db()
    old_form = dict(form_data(design.manifest))
    url = reverse("classrooms:reset", args=[classroom.code, member.pk])
    instructor_client.post(url, {"exercise": "set-requests-limits"})
    stale = {**old_form, "_base": base, "_edit": "00aa11bb22cc33dd:2", "action": "preview"}
    response = client.post(reverse("builder:preview", args=[design.slug]), stale, **HTMX)
    assert response["Podstudio-Not-Saved"].startswith("Not saved: this design was changed")
    assert "by your instructor" in _text(response)
    design.refresh_from_db()
    assert "resources" not in design.manifest["spec"]["containers"][0]
    assert not ExerciseDone.objects.filter(learner_id=member.learner_id).exists()


def test_the_learner_detail_shows_their_design_read_only(instructor_client, classroom):
    client, member = joined(classroom, "Fay")
    design = start_exercise(client, "set-requests-limits")
    edit(client, design, {"spec.containers[0].resources.requests.cpu": "lots"})
    url = reverse("classrooms:learner", args=[classroom.code, member.pk])
    page = instructor_client.get(url)
    text = _text(page)
    html = page.content.decode()
    assert "1 problem" in text and "QoS: not checked until valid" in text  # badges
    assert "The worker requests 250m of CPU." in text  # goals
    assert "must be a quantity" in text  # errors
    assert "<svg" in html and re.search(r"name\s*:\s*image-resizer", text)  # diagram, YAML
    assert 'id="builder-form"' not in html  # nothing to edit
    assert "The sandbox cluster is off" in text or "Sandbox Pods" in text
    # No form here: the link opens the learner's design at the field, where the instructor's
    # first keystroke makes a copy of their own, as its words say.
    builder = reverse("builder:design", args=[design.slug])
    assert re.search(rf'href="{builder}#f-spec-containers_0-resources-requests-cpu"', html)
    assert "Open a copy at the field" in html and "Go to field" not in html


def test_the_learner_detail_lists_exercises_to_switch_between_once_there_is_a_design(
    instructor_client, classroom
):
    client, member = joined(classroom, "Hal")
    url = reverse("classrooms:learner", args=[classroom.code, member.pk])
    before = instructor_client.get(url).content.decode()
    # Nothing to switch to yet: the grid row and one sentence say so, not a row of "not started".
    assert 'aria-label="Exercises"' not in before
    assert "has not started any exercise of the class yet" in _text(instructor_client.get(url))
    start_exercise(client, "set-requests-limits")
    after = instructor_client.get(url).content.decode()
    assert 'aria-label="Exercises"' in after
    assert 'href="?exercise=set-requests-limits" aria-current="page"' in after


def test_end_makes_work_read_only_and_joining_closed_and_extend_reopens(
    instructor_client, classroom
):
    client, member = joined(classroom, "Gus")
    design = start_exercise(client, "set-requests-limits")
    instructor_client.post(reverse("classrooms:end", args=[classroom.code]))
    classroom.refresh_from_db()
    assert classroom.has_ended()
    design.refresh_from_db()
    assert design.is_closed()
    assert "This classroom has ended" in _text(client.get("/lessons/"))
    assert ">Raise hand</button>" not in client.get("/lessons/").content.decode()
    assert client.post(reverse("classrooms:hand"), {"message": "late"}).status_code == 302
    assert Member.objects.get(pk=member.pk).hand_raised_at is None
    late = client.post(reverse("classrooms:join"), {"code": classroom.code, "name": "Late"})
    assert late.status_code == 410
    export = instructor_client.get(reverse("classrooms:results", args=[classroom.code, "json"]))
    assert export.status_code == 200
    instructor_client.post(reverse("classrooms:extend", args=[classroom.code]), {"minutes": 30})
    classroom.refresh_from_db()
    assert not classroom.has_ended()
    assert (classroom.ends_at - timezone.now()).total_seconds() > 29 * 60
    design.refresh_from_db()
    assert not design.is_closed()


def test_an_edit_on_a_page_opened_before_the_end_says_it_was_saved_as_a_copy(
    instructor_client, classroom
):
    """The page was drawn while the class ran, so it shows no read-only notice: the keystroke
    that makes the copy says so in the form's status, with the builder drawn anew."""
    client, _ = joined(classroom, "Ida")
    design = start_exercise(client, "set-requests-limits")
    instructor_client.post(reverse("classrooms:end", args=[classroom.code]))
    response = edit(client, design, {"metadata.name": "after-the-end"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved as your own copy: this classroom has ended" in html
    assert response["HX-Push-Url"] != reverse("builder:design", args=[design.slug])


def test_a_new_exercise_design_in_class_closes_with_the_class(classroom):
    client, _ = joined(classroom, "Hal")
    design = start_exercise(client, "add-readiness-probe")
    assert design.closes_at == classroom.ends_at
    outside = client.get(reverse("builder:start") + "?exercise=first-pod")
    other = Design.objects.get(slug=outside["Location"].rstrip("/").rsplit("/", 1)[1])
    assert other.closes_at is None  # not an exercise of this classroom


def test_the_agenda_link_opens_the_learners_own_design(classroom):
    client, _ = joined(classroom, "Ivy")
    first = start_exercise(client, "set-requests-limits")
    again = start_exercise(client, "set-requests-limits")
    assert again.pk == first.pk


def test_an_empty_hint_or_announcement_is_refused_with_a_message(instructor_client, classroom):
    _, member = joined(classroom, "Jo")
    hint = reverse("classrooms:hint", args=[classroom.code, member.pk])
    page = instructor_client.post(hint, {"text": ""}, follow=True)
    assert "Write the hint first" in page.content.decode()
    announce = reverse("classrooms:announce", args=[classroom.code])
    page = instructor_client.post(announce, {"text": "   "}, follow=True)
    assert "Write the announcement first" in page.content.decode()
    assert not Member.objects.get(pk=member.pk).messages.exists()


def test_an_announcement_that_cannot_be_sent_says_why(instructor_client, classroom):
    """A null character pasted in was told "Write the announcement first"."""
    announce = reverse("classrooms:announce", args=[classroom.code])
    page = instructor_client.post(announce, {"text": "Break\x00 time"}, follow=True)
    assert (
        "The announcement was not sent: Null characters are not allowed." in page.content.decode()
    )
    page = instructor_client.post(announce, {"text": "x" * 1001}, follow=True)
    assert "The announcement was not sent: Ensure this value has at most 1000 characters" in (
        page.content.decode()
    )


def test_a_learners_page_links_the_learners_before_and_after_in_the_grids_order(
    instructor_client, classroom
):
    _, ada = joined(classroom, "Ada")
    _, bo = joined(classroom, "Bo")
    _, cy = joined(classroom, "Cy")

    def page(member):
        url = reverse("classrooms:learner", args=[classroom.code, member.pk])
        return instructor_client.get(url).content.decode()

    middle = page(bo)
    assert f'href="/classrooms/{classroom.code}/learners/{ada.pk}/" rel="prev">← Ada' in middle
    assert f'href="/classrooms/{classroom.code}/learners/{cy.pk}/" rel="next">Cy →' in middle
    assert 'rel="prev"' not in page(ada) and 'rel="next"' not in page(cy)
    assert instructor_client.head(f"/classrooms/{classroom.code}/").status_code == 200


def test_a_finished_exercise_sends_a_class_learner_along_the_agenda(classroom):
    """ITEMS: the resources lesson, set-requests-limits, add-readiness-probe. The course's own
    next lesson after requests and limits (Quality of Service) is not on this agenda."""
    from .helpers import FINISH_REQUESTS_LIMITS, edit, joined, start_exercise

    client, _ = joined(classroom, "Ida")
    design = start_exercise(client, "set-requests-limits")
    keystroke = edit(client, design, FINISH_REQUESTS_LIMITS).content.decode()
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    for html in (keystroke, page):  # as typed, and as the page draws it again
        assert "Next in your class: Add a readiness probe" in html
        assert "Next lesson: Quality of Service" not in html
    assert reverse("classrooms:exercise", args=["add-readiness-probe"]) in page


def test_the_last_exercise_of_the_agenda_leads_back_to_the_class(classroom):
    from .helpers import joined, start_exercise

    client, _ = joined(classroom, "Jon")
    design = start_exercise(client, "add-readiness-probe")
    Design.objects.filter(pk=design.pk).update(
        manifest=get_exercise("add-readiness-probe").solution
    )
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "That was the last item of your class’s agenda" in page
    assert reverse("classrooms:mine") in page


def test_the_learner_detail_reads_only_the_shown_designs_content(
    instructor_client, classroom, monkeypatch
):
    """A learner may make hundreds of designs of up to 1 MiB each: the page must not read them
    all to show the newest one."""
    client, member = joined(classroom, "Ida")
    for _ in range(5):
        shown = start_exercise(client, "set-requests-limits")
    edit(client, shown, {"spec.containers[0].resources.requests.cpu": "300m"})
    field = Design._meta.get_field("manifest")
    decoded = []
    original = type(field).from_db_value
    monkeypatch.setattr(
        type(field),
        "from_db_value",
        lambda self, value, *rest: decoded.append(self) or original(self, value, *rest),
    )
    url = reverse("classrooms:learner", args=[classroom.code, member.pk])
    assert "300m" in _text(instructor_client.get(url))  # the newest design is shown
    assert sum(1 for decoded_field in decoded if decoded_field is field) == 1


def test_a_class_without_an_agenda_says_what_a_learner_can_do_meanwhile(instructor):
    """An empty "Agenda (0)" and a heading with nothing under it looked broken."""
    empty = actions.create_classroom(title="Open lab", instructor=instructor, items=[])
    client, _ = joined(empty, "Ada")
    page = client.get(reverse("classrooms:mine")).content.decode()
    assert "Agenda (0)" not in page
    assert "has not set any lessons or exercises for this class" in page
    assert 'href="/lessons/"' in page
