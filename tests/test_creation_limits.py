"""One network address can make only so many designs, learners and classroom joins an hour
(podstudio/creation_limits.py); a class of 300 behind one address stays well within."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from classrooms.models import Member
from lessons.models import Learner
from podstudio.builder.edit import form_data
from podstudio.builder.models import Design
from tests.classroom_mode.helpers import ITEMS, join, make_instructor

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
"""
SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n"
START = 1_000_080.0  # the start of a 6-minute bucket: a use made then counts for an hour


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, standing still until a test moves ``clock.now``."""
    clock = SimpleNamespace(now=START)
    monkeypatch.setattr("podstudio.ratelimit.time", SimpleNamespace(time=lambda: clock.now))
    return clock


@pytest.fixture
def one_each(settings, clock):
    """One of each per address and hour, so the second is refused."""
    settings.PODSTUDIO_NEW_DESIGNS_PER_ADDRESS = 1
    settings.PODSTUDIO_JOINS_PER_ADDRESS = 1
    settings.PODSTUDIO_NEW_LEARNERS_PER_ADDRESS = 1000
    settings.PODSTUDIO_CREATION_LIMIT_SECONDS = 3600
    return settings


@pytest.fixture
def classroom():
    from classrooms import actions

    return actions.create_classroom(
        title="Pods workshop", instructor=make_instructor(), items=ITEMS
    )


def slug_of(response) -> str:
    return response["Location"].rstrip("/").rsplit("/", 1)[1]


def assert_refused(response, what: str, count: int = 1):
    """A page that says why and when to try again, with ``Retry-After``."""
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    text = response.content.decode()
    assert (
        f"Too many {what} from your network: Pod Studio" in text
        and f"at most {count} an hour from one address. Try again in 60 minutes." in text
    )
    assert 'role="alert"' in text


# --- each way of making a design --------------------------------------------------------------

CREATING = {
    "blank Pod": lambda client: client.post(reverse("builder:start"), {"blank": "1"}),
    "gallery pattern": lambda client: client.post(
        reverse("builder:start"), {"gallery": "web-server"}
    ),
    "lesson example link": lambda client: client.get(
        reverse("builder:start"), {"example": "hello-nginx"}
    ),
    "exercise link": lambda client: client.get(reverse("builder:start"), {"exercise": "first-pod"}),
    "import": lambda client: client.post(reverse("builder:import"), {"yaml": POD}),
}


@pytest.mark.parametrize("how", CREATING)
def test_a_new_design_past_the_limit_is_refused_and_not_made(client, one_each, how):
    assert client.post(reverse("builder:start"), {"blank": "1"}).status_code == 302
    response = CREATING[how](client)
    assert_refused(response, "new designs")
    assert "Request refused" in response.content.decode()  # the page for people
    assert Design.objects.count() == 1


def test_an_exercise_started_from_the_classroom_agenda_is_refused_past_the_limit(client, one_each):
    client.post(reverse("builder:start"), {"blank": "1"})
    response = client.get(reverse("classrooms:exercise", args=["first-pod"]), follow=True)
    assert_refused(response, "new designs")


def someone_elses_design(settings) -> Design:
    """A design made from another address (its count is that address's)."""
    other = Client(REMOTE_ADDR="192.0.2.50")
    response = other.post(
        reverse("builder:import"), {"yaml": POD + "---\n" + SERVICE + "---\n" + POD}
    )
    return Design.objects.get(slug=slug_of(response))


def test_an_edit_that_copies_someone_elses_design_is_refused_where_it_was_typed(client, one_each):
    design = someone_elses_design(one_each)
    client.post(reverse("builder:start"), {"blank": "1"})  # this address's one design
    data = dict(form_data(design.manifest), **{"metadata.name": "mine"})
    response = client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)
    assert_refused(response, "new designs")
    assert "<html" not in response.content.decode()  # a fragment, not a page
    assert response["Podstudio-Refused"].startswith("Too many new designs from your network")
    assert Design.objects.count() == 2
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "web"  # nor was the original changed


def test_opening_another_document_of_someone_elses_file_is_refused_past_the_limit(client, one_each):
    design = someone_elses_design(one_each)
    client.post(reverse("builder:start"), {"blank": "1"})
    response = client.post(reverse("builder:document", args=[design.slug]), {"document": "2"})
    assert_refused(response, "new designs")
    assert Design.objects.count() == 2


def test_keystrokes_in_ones_own_design_are_not_counted(client, one_each):
    slug = slug_of(client.post(reverse("builder:start"), {"blank": "1"}))
    design = Design.objects.get(slug=slug)
    for name in ("a", "ab", "abc"):
        data = dict(form_data(design.manifest), **{"metadata.name": name})
        assert client.post(reverse("builder:preview", args=[slug]), data).status_code == 302
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "abc"


# --- joins and new browsers -------------------------------------------------------------------


def test_a_join_past_the_limit_is_refused_and_no_one_is_added(one_each, classroom):
    assert join(Client(), classroom, "Ada").status_code == 302
    response = join(Client(), classroom, "Bo")
    assert_refused(response, "classroom joins")
    assert list(Member.objects.values_list("name", flat=True)) == ["Ada"]


def test_a_join_past_the_limit_is_said_on_the_join_form_kept_filled_in(one_each, classroom):
    join(Client(), classroom, "Ada")
    response = join(Client(), classroom, "Bo")
    assert_refused(response, "classroom joins")
    page = response.content.decode()
    assert 'name="name"' in page and 'value="Bo"' in page  # the form, as the learner filled it
    assert f'value="{classroom.code}"' in page


def test_a_learner_already_in_the_class_is_let_in_again(one_each, classroom):
    browser = Client()
    assert join(browser, classroom, "Ada").status_code == 302
    assert join(browser, classroom, "Ada").status_code == 302  # no new member: not counted


def test_a_new_browser_past_the_limit_is_told_where_it_answered(settings, clock):
    settings.PODSTUDIO_NEW_LEARNERS_PER_ADDRESS = 1
    url = "/lessons/what-is-a-pod/quiz/unit"
    assert Client().post(url, {"choice": "b"}, **HTMX).status_code == 200
    response = Client().post(url, {"choice": "b"}, **HTMX)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert response["Podstudio-Refused"] == (
        "Too many new browsers from your network: Pod Studio keeps progress for at most 1 an "
        "hour from one address. Try again in 60 minutes."
    )
    assert Learner.objects.count() == 1


def test_a_browser_refused_a_learner_makes_no_design_either(client, settings, clock):
    settings.PODSTUDIO_NEW_LEARNERS_PER_ADDRESS = 1
    Client().post(reverse("builder:start"), {"blank": "1"})
    assert_refused(client.post(reverse("builder:start"), {"blank": "1"}), "new browsers")
    assert (Learner.objects.count(), Design.objects.count()) == (1, 1)


# --- who is counted, and for how long ---------------------------------------------------------


def test_another_address_is_not_held_up(client, one_each, classroom):
    client.post(reverse("builder:start"), {"blank": "1"})
    join(Client(), classroom, "Ada")
    assert client.post(reverse("builder:start"), {"blank": "1"}).status_code == 429
    assert join(Client(), classroom, "Bo").status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(reverse("builder:start"), {"blank": "1"}).status_code == 302
    assert join(other, classroom, "Cy").status_code == 302


def test_behind_a_trusted_proxy_each_client_is_counted_not_the_proxy(client, one_each):
    one_each.PODSTUDIO_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    start = reverse("builder:start")
    first = client.post(start, {"blank": "1"}, HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = client.post(start, {"blank": "1"}, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert (first.status_code, second.status_code) == (302, 302)
    again = client.post(start, {"blank": "1"}, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert again.status_code == 429


def test_the_allowance_comes_back_an_hour_after_the_uses(client, one_each, clock, classroom):
    client.post(reverse("builder:start"), {"blank": "1"})
    join(Client(), classroom, "Ada")
    assert client.post(reverse("builder:start"), {"blank": "1"}).status_code == 429
    assert join(Client(), classroom, "Bo").status_code == 429
    clock.now += 3599
    assert client.post(reverse("builder:start"), {"blank": "1"}).status_code == 429
    clock.now += 1  # "Try again in 60 minutes" (3,600 s)
    assert client.post(reverse("builder:start"), {"blank": "1"}).status_code == 302
    assert join(Client(), classroom, "Bo").status_code == 302


def test_pages_are_not_counted(client, one_each, classroom):
    slug = slug_of(client.post(reverse("builder:start"), {"blank": "1"}))
    one_each.PODSTUDIO_NEW_DESIGNS_PER_ADDRESS = 2
    pages = [
        reverse("builder:new"),
        reverse("builder:start"),  # without a pattern it sends to the start page
        reverse("builder:design", args=[slug]),
        reverse("builder:download", args=[slug]),
        reverse("classrooms:join"),
        reverse("classrooms:join-code", args=[classroom.code]),
        "/lessons/what-is-a-pod/",
    ]
    for _ in range(3):
        for page in pages:
            assert Client().get(page).status_code in (200, 302), page
    assert client.post(reverse("builder:start"), {"blank": "1"}).status_code == 302
    assert join(Client(), classroom, "Ada").status_code == 302
    assert client.post(reverse("builder:start"), {"blank": "1"}).status_code == 429


def test_the_api_stores_nothing_and_is_not_counted(client, one_each):
    for _ in range(3):
        response = client.post("/api/v1/analyze", POD, content_type="application/yaml")
        assert response.status_code == 200
    assert client.post(reverse("builder:start"), {"blank": "1"}).status_code == 302


def test_a_class_of_300_behind_one_address_joins_and_starts_an_exercise(settings, classroom):
    """The defaults as shipped: everyone joins within the same minute, then starts the first
    exercise from the agenda, and opens a blank Pod to try something."""
    assert settings.PODSTUDIO_CREATION_LIMIT_SECONDS == 3600
    for number in range(300):
        browser = Client()
        assert join(browser, classroom, f"Learner {number}").status_code == 302
        exercise = browser.get(reverse("classrooms:exercise", args=["set-requests-limits"]))
        assert browser.get(exercise["Location"]).status_code == 302  # to the new design
        assert browser.post(reverse("builder:start"), {"blank": "1"}).status_code == 302
    assert classroom.members.count() == 300
    assert Design.objects.count() == 600
