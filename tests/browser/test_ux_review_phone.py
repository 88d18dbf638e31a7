"""What a look at the lessons and classroom pages on a phone (390 px) found."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_probe_name_in_a_lesson_table_stays_whole_on_a_phone(page, live_server):
    """The probes lesson's table broke livenessProbe into "livene", "ssProb" and "e"."""
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/lessons/probes/")
    lines = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.lesson-body td code')]
            .filter((code) => code.textContent.endsWith('Probe'))
            .map((code) => [code.textContent, code.getClientRects().length]))"""
    )
    assert lines == {"livenessProbe": 1, "readinessProbe": 1, "startupProbe": 1}
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
