"""The simulators on the lesson pages: forms with and without htmx, accessible drawings."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


def test_the_probes_lesson_draws_the_default_story(client):
    html = unescape(client.get("/lessons/probes/").content.decode())
    assert '<svg class="timeline"' in html and 'role="img"' in html
    assert '<title id="tl-title">Probe timeline over 150 seconds</title>' in html
    # The hang story: every probe times out from 60 s, liveness kills at 80 s.
    assert "The container was restarted 1 time: at 80 s (liveness)." in html
    assert "<td>80</td><td>liveness</td><td>timeout</td><td>restart</td>" in html


def test_every_story_link_works_without_javascript(client):
    from lessons.simulators import PRESETS

    for name, preset in PRESETS.items():
        html = unescape(client.get(f"/lessons/probes/?preset={name}").content.decode())
        assert preset.title in html, name
        assert 'class="notice error"' not in html, name


def test_changed_timings_change_the_timeline(client):
    # The slow-start story, but with liveness waiting 80 s: the app (75 s) is up in time.
    query = {
        "preset": "slow-start",
        "duration": "150",
        "liveness-on": "on",
        "liveness-initial_delay": "80",
        "liveness-period": "10",
        "liveness-timeout": "1",
        "liveness-success_threshold": "1",
        "liveness-failure_threshold": "3",
        "healthy_after": "75",
    }
    html = unescape(client.get("/lessons/probes/", query).content.decode())
    assert "The container was never restarted." in html
    assert 'name="liveness-initial_delay" value="80"' in html


def test_unchecked_probes_are_left_out(client):
    query = {"preset": "hang", "duration": "100", "hangs_at": "60"}
    html = unescape(client.get("/lessons/probes/", query).content.decode())
    # No probe at all: nobody notices the hang and traffic keeps flowing.
    assert "The container was never restarted." in html
    assert "Traffic first reached the Pod at 0 s." in html


def test_bad_input_is_explained_not_crashed_on(client):
    query = {
        "preset": "hang",
        "duration": "100",
        "liveness-on": "on",
        "liveness-period": "0",
        "liveness-success_threshold": "2",
    }
    response = client.get("/lessons/probes/", query)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "liveness-period must be between 1 and 120" in html
    assert "liveness: successThreshold must be 1" in html
    assert '<svg class="timeline"' not in html


def test_htmx_form_gets_only_the_timeline(client):
    response = client.get(
        "/lessons/simulate/probes",
        {"preset": "outage"},
        headers={"HX-Request": "true", "HX-Target": "probe-sim-output"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert '<svg class="timeline"' in html


def test_htmx_story_link_gets_the_form_and_the_timeline(client):
    response = client.get(
        "/lessons/simulate/probes",
        {"preset": "outage"},
        headers={"HX-Request": "true", "HX-Target": "probe-sim-body"},
    )
    html = response.content.decode()
    assert '<form id="probe-sim-form"' in html
    assert 'aria-current="true">A dependency is down' in html


def test_the_simulator_url_without_htmx_sends_you_to_the_lesson(client):
    response = client.get("/lessons/simulate/probes", {"preset": "outage"})
    assert response.status_code == 302
    assert response["Location"] == "/lessons/probes/?preset=outage#probe-simulator"


def test_the_lifecycle_lesson_steps_through_a_story(client):
    html = unescape(
        client.get("/lessons/lifecycle/", {"story": "crash-loop", "step": "7"}).content.decode()
    )
    assert 'role="img"' in html
    assert "After step 8 the Pod is Running." in html
    assert "<td>0/1</td><td>CrashLoopBackOff</td><td>1</td><td>Running</td>" in html
    assert "step=6#lifecycle-stepper" in html and "step=8#lifecycle-stepper" in html


def test_changing_the_policy_changes_the_ending(client):
    html = unescape(
        client.get(
            "/lessons/lifecycle/", {"story": "crash-loop", "policy": "Never", "step": "99"}
        ).content.decode()
    )
    assert "<td>0/1</td><td>Error</td><td>0</td><td>Failed</td>" in html
    assert "Not here: the Pod is Failed" in html


def test_htmx_stepper_gets_the_fragment(client):
    response = client.get(
        "/lessons/simulate/lifecycle",
        {"story": "web-server", "step": "4"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "<td>1/1</td><td>Running</td><td>0</td><td>Running</td>" in html


def test_unknown_story_and_step_fall_back_safely(client):
    response = client.get("/lessons/lifecycle/", {"story": "x", "policy": "y", "step": "z"})
    assert response.status_code == 200


class _FormReader(HTMLParser):
    """What a browser would send for the probe simulator's form, as shown."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.data: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == "probe-sim-form"
        elif tag == "input" and self.inside and attrs.get("name"):
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            self.data[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _form_as_shown(client, preset: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(client.get("/lessons/probes/", {"preset": preset}).content.decode())
    assert "duration" in reader.data
    return reader.data


def _caption(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r'<p class="sim-story">(.*?)</p>', html, re.S)[1])


def test_the_story_caption_follows_the_result_once_timings_change(client):
    from lessons.simulators import PRESETS

    query = _form_as_shown(client, "slow-start")
    html = unescape(client.get("/lessons/probes/", query).content.decode())
    # Run unchanged, the story is told with its own caption.
    assert PRESETS["slow-start"].explain in _caption(html)
    assert "The container was restarted" in html

    # Liveness now waits 80 s: the app (up at 75 s) is never restarted, so the story's "restart
    # loop" caption would contradict the result; the caption says these are the learner's timings.
    query["liveness-initial_delay"] = "80"
    for headers in ({}, {"HX-Request": "true", "HX-Target": "probe-sim-output"}):
        url = "/lessons/simulate/probes" if headers else "/lessons/probes/"
        html = unescape(client.get(url, query, headers=headers).content.decode())
        assert "The container was never restarted." in html
        caption = _caption(html)
        assert "restart loop" not in caption and PRESETS["slow-start"].explain not in caption
        assert "Your timings" in caption and PRESETS["slow-start"].title in caption


def test_every_story_run_unchanged_keeps_its_caption(client):
    from lessons.simulators import PRESETS

    for name, preset in PRESETS.items():
        query = _form_as_shown(client, name)
        html = unescape(client.get("/lessons/probes/", query).content.decode())
        assert preset.explain in _caption(html), name
