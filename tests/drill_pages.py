"""A learner's drill through the pages, in either mode (offline: tests/test_drills.py; in the
sandbox: tests/sandbox/test_drills_sandbox.py)."""

import copy
import re
import time
from html import unescape

from django.urls import reverse

from lessons import catalog, drillrun
from podstudio.builder.models import Design


def shows_symptom(drill, html: str) -> bool:
    """Whether the drill's result shows the symptom the drill is about, as ``kubectl get pods``
    (or the API server's refusal) would."""
    if drill.expect == "Forbidden":
        return "The API server refused the Pod (Forbidden)" in html
    if drill.expect == "NotReady":  # Running, but not Ready: READY 0/1
        return bool(re.search(r"<td>0/\d+</td><td class=\"drill-status\">Running</td>", html))
    return f'<td class="drill-status">{drill.expect}</td>' in html


def drill_in_the_builder(client, slug: str, *, mode: str, wait: float = 0) -> str:
    """A learner's drill through the pages: start it, run the broken Pod and watch its status
    until it shows the drill's symptom, fix the Pod, run it again and watch it become Running
    and Ready. Returns the design's slug."""
    drill = catalog.course().drills[slug]
    start = client.get("/builder/start", {"exercise": f"drill:{slug}"})
    design = Design.objects.get(slug=start["Location"].rstrip("/").rsplit("/", 1)[-1])
    page = client.get(start["Location"]).content.decode()
    assert f"Drill: {drill.title}" in unescape(page)
    run_url = reverse("lessons:drill-run", args=[design.slug])
    status_url = reverse("lessons:drill-status", args=[design.slug])
    where = "in your sandbox namespace" if mode == drillrun.SANDBOX else "Played by Pod Studio"

    def watch(until) -> tuple[int, str]:
        deadline = time.monotonic() + wait
        while True:
            answer = client.get(status_url, HTTP_HX_REQUEST="true")
            html = unescape(answer.content.decode())
            if until(answer.status_code, html) or time.monotonic() > deadline:
                return answer.status_code, html
            time.sleep(1)

    html = unescape(client.post(run_url, HTTP_HX_REQUEST="true").content.decode())
    assert where in html
    if not shows_symptom(drill, html):  # the cluster is still deciding: watch as the page does
        _, html = watch(lambda _code, html: shows_symptom(drill, html))
    assert shows_symptom(drill, html), html
    assert "Fixed:" not in html

    design.manifest = copy.deepcopy(drill.solution)  # the learner's fix
    design.save()
    html = unescape(client.post(run_url, HTTP_HX_REQUEST="true").content.decode())
    if "Fixed:" not in html:
        code, html = watch(lambda code, _html: code == 286)  # the page stops polling once fixed
        assert code == 286, html
    assert "Fixed: the Pod is Running and Ready." in html
    assert '<td class="drill-status">Running</td>' in html
    return design.slug
