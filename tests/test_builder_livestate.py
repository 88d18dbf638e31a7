"""Each saved edit keeps the design's live exercise state, with no query beyond the save."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podstudio.builder.edit import form_data
from podstudio.builder.models import Design

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CPU = "spec.containers[0].resources.requests.cpu"


def _start(client, exercise: str = "set-requests-limits") -> Design:
    response = client.get(reverse("builder:start") + f"?exercise={exercise}")
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _edit(client, design: Design, changes: dict, htmx: bool = True):
    design.refresh_from_db()
    data = dict(form_data(design.manifest), **changes)
    url = reverse("builder:preview", args=[design.slug])
    return client.post(url, data, **(HTMX if htmx else {}))


def test_a_new_exercise_design_starts_with_its_goals_checked(client):
    design = _start(client)
    assert (design.goals_met, design.goals_total, design.goals_best) == (1, 5, 1)  # valid
    assert design.error_count == 0 and design.first_error == ""
    assert design.edits == 0


def test_a_new_goal_moves_goal_at_and_the_best_count(client):
    design = _start(client)
    design.goal_at = timezone.now() - timedelta(minutes=30)
    design.save()
    _edit(client, design, {CPU: "250", f"{CPU}@unit": "m"})
    design.refresh_from_db()
    assert (design.goals_met, design.goals_best, design.edits) == (3, 3, 1)  # and Burstable
    assert timezone.now() - design.goal_at < timedelta(minutes=1)


def test_losing_a_goal_and_meeting_it_again_is_not_progress(client):
    design = _start(client)
    _edit(client, design, {CPU: "250", f"{CPU}@unit": "m"})
    design.refresh_from_db()
    earlier = design.goal_at - timedelta(minutes=20)
    Design.objects.filter(pk=design.pk).update(goal_at=earlier)
    _edit(client, design, {CPU: "", f"{CPU}@unit": "m"})
    _edit(client, design, {CPU: "250", f"{CPU}@unit": "m"})
    design.refresh_from_db()
    assert (design.goals_met, design.goals_best) == (3, 3)
    assert design.goal_at == earlier


@pytest.mark.parametrize("htmx", [True, False])
def test_the_same_error_on_edit_after_edit_is_counted(client, htmx):
    design = _start(client)
    for name in ("a", "b", "c"):
        _edit(client, design, {CPU: "lots", "metadata.name": f"resizer-{name}"}, htmx=htmx)
    design.refresh_from_db()
    assert design.error_count == 1
    assert design.first_error.startswith("spec.containers[0].resources.requests[cpu]: ")
    assert design.error_edits == 3
    since = design.error_since
    _edit(client, design, {CPU: "250", f"{CPU}@unit": "m"}, htmx=htmx)  # fixed
    design.refresh_from_db()
    assert (design.error_count, design.first_error, design.error_edits) == (0, "", 0)
    assert design.error_since is None and since is not None


def test_a_keystroke_still_costs_one_read_and_one_write(client, django_assert_num_queries):
    design = _start(client)
    data = dict(form_data(design.manifest), **{"metadata.name": "typed"})
    with django_assert_num_queries(2):  # the design with the session, the save (state included)
        client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)
    design.refresh_from_db()
    assert design.edits == 1


def test_a_closed_design_is_read_only_and_an_edit_makes_a_copy(client):
    design = _start(client)
    Design.objects.filter(pk=design.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "this design is read-only" in page
    _edit(client, design, {"metadata.name": "after-the-class"})
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "image-resizer"
    copy = Design.objects.exclude(pk=design.pk).get()
    assert copy.manifest["metadata"]["name"] == "after-the-class"
    assert copy.closes_at is None and copy.learner_id == design.learner_id
