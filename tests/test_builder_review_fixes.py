"""What a usability review of the builder found, on the server's side: a save status that said
"Saved." before any edit, "+ Add port" that made a second port 8080, removals that could not be
told apart, and a change of kind that set defaults without saying so."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from podstudio.builder.models import Design
from podstudio.builder.workloads import design_form_data
from tests.classroom_mode.helpers import FINISH_REQUESTS_LIMITS

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "manifests" / "seed"
HTMX = {"HTTP_HX_REQUEST": "true"}

POD_WITH_PORT = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n"
    "    image: nginx:1.27\n    ports:\n    - name: http\n      containerPort: 8080\n"
)


def _import(client: Client, text: str) -> Design:
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _post(client: Client, design: Design, changes: dict):
    design.refresh_from_db()
    data = dict(design_form_data(design.manifest))
    data.update(changes)
    return client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)


def _save_status(content: str) -> str:
    return re.search(r'<p class="save-status[^>]*>(.*?)</p>', content, re.S).group(1)


def _form_status(content: str) -> str:
    found = re.search(r'<div id="form-status"[^>]*>(.*?)</div>', content, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def test_a_design_just_opened_says_nothing_of_saving(client):
    """Nothing was saved yet: "Saved." on opening a shared or closed design misled."""
    design = _import(client, POD_WITH_PORT)
    content = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert _save_status(content) == ""
    assert 'id="save-status" role="status"' in content  # the live region is there to fill


def test_a_new_port_is_one_no_container_of_the_pod_has(client):
    design = _import(client, POD_WITH_PORT)
    response = _post(client, design, {"action": "add:spec.containers[0].ports"})
    design.refresh_from_db()
    ports = design.manifest["spec"]["containers"][0]["ports"]
    assert [port["containerPort"] for port in ports] == [8080, 8081]
    assert "Added port 8081." in _form_status(response.content.decode())


def test_a_new_port_skips_the_ports_of_the_other_containers(client):
    text = POD_WITH_PORT + "  - name: sidecar\n    image: busybox:1.36\n    ports:\n"
    text += "    - containerPort: 8081\n"
    design = _import(client, text)
    _post(client, design, {"action": "add:spec.containers[0].ports"})
    design.refresh_from_db()
    assert design.manifest["spec"]["containers"][0]["ports"][1] == {"containerPort": 8082}


def test_removing_one_of_two_alike_ports_names_it_by_its_place(client):
    text = POD_WITH_PORT.replace("    - name: http\n      containerPort", "    - containerPort")
    design = _import(client, text + "    - containerPort: 8080\n      protocol: UDP\n")
    response = _post(client, design, {"action": "remove:spec.containers[0].ports[1]"})
    status = _form_status(response.content.decode())
    assert "Removed port 2 (8080)." in status
    response = _post(client, design, {"action": "undo"})
    assert "Restored port 2 (8080)." in _form_status(response.content.decode())
    # A port whose number no other entry has is named by it, as before.
    response = _post(client, design, {"action": "remove:spec.containers[0].ports[0]"})
    assert "Removed port 8080." not in _form_status(response.content.decode())
    assert "Removed port 1 (8080)." in _form_status(response.content.decode())


def test_wrapping_kubectls_output_says_its_empty_status_went(client):
    """``kubectl run --dry-run=client -o yaml`` ends in ``status: {}``: wrapping the Pod left
    it out of the file without a word."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n"
        "    run: web\n  name: web\nspec:\n  containers:\n  - image: nginx:1.27\n    name: web\n"
        "    resources: {}\nstatus: {}\n"
    )
    design = _import(client, text)
    response = _post(client, design, {"_kind": "Deployment", "action": "kind"})
    status = _form_status(response.content.decode())
    assert "The Pod's status went: the cluster writes a status." in unescape(status)
    design.refresh_from_db()
    assert "status" not in design.manifest


def test_wrapping_a_pod_says_which_fields_it_set(client):
    """Wrapping a Pod into a Deployment sets replicas 2: the status line said only "Now a
    Deployment."."""
    design = _import(client, POD_WITH_PORT)
    response = _post(client, design, {"_kind": "Deployment", "action": "kind"})
    content = response.content.decode()
    assert "Now a Deployment. The Deployment starts with replicas 2." in _form_status(content)
    design.refresh_from_db()
    response = _post(client, design, {"_kind": "Job", "action": "kind"})
    status = _form_status(response.content.decode())
    assert "The Job starts with completions 1, backoffLimit 3." in status


def _goal_bar(content: str) -> str:
    found = re.search(r'<div id="pv-goalbar"[^>]*>(.*?)</div>', content, re.S)
    return found.group(1) if found else ""


def test_the_status_bar_counts_the_goals_and_says_when_all_are_met(client):
    """On a phone the goals come after the whole form: the bar at the bottom of the screen
    said nothing of them, so the exercise was done without the learner seeing it."""
    client.get(reverse("builder:start"), {"exercise": "set-requests-limits"})
    design = Design.objects.get()
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    bar = _goal_bar(page)
    total = page.count('class="goal ')
    assert re.search(rf'href="#goals-heading">Goals [0-{total - 1}]/{total}<', bar)
    assert 'id="goals-heading"' in page
    # Beside the status, not inside its live region (#goals-live says the count once).
    status_bar = page[page.index('id="status-bar"') : page.index('id="pv-goals"')]
    assert 'id="pv-status" role="status"' in status_bar and 'id="pv-goalbar"' in status_bar

    keystroke = _post(client, design, FINISH_REQUESTS_LIMITS).content.decode()
    bar = _goal_bar(keystroke)
    assert 'hx-swap-oob="true"' in keystroke[keystroke.index('<div id="pv-goalbar"') :][:60]
    assert "All goals met" in bar
    assert (
        'class="goal-next" href="/lessons/qos/">Next lesson: Quality of Service classes</a>' in bar
    )
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "Next lesson: Quality of Service" in _goal_bar(page)
    # A keystroke that leaves the goals as they are does not send the bar again.
    shown = re.search(r'id="shown-sections" value="([^"]*)"', keystroke).group(1)
    again = _post(client, design, {"metadata.name": "renamed", "_shown_sections": shown})
    again = again.content.decode()
    assert "name: renamed" in re.sub(r"<[^>]+>", "", again)
    assert 'id="pv-goalbar"' not in again


def test_a_design_without_an_exercise_has_no_goal_bar(client):
    design = _import(client, POD_WITH_PORT)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert 'id="pv-goalbar"' not in page and "Goals " not in page


def test_the_problem_count_links_to_the_problems(client):
    design = _import(client, POD_WITH_PORT)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert re.search(r'<span class="badge ok" id="status-valid">Valid</span>', page)
    response = _post(client, design, {"spec.containers[0].name": "Not a name"})
    content = response.content.decode()
    link = re.search(
        r'<a class="badge bad status-link" id="status-valid"([^>]*)>1 problem</a>', content
    )
    assert link and 'href="#problems-heading"' in link.group(1)
    assert 'id="problems-heading"' in content


def test_your_designs_tells_designs_of_one_name_apart(client):
    client.get(reverse("builder:start") + "?exercise=set-requests-limits")
    client.get(reverse("builder:start") + "?exercise=first-pod")
    page = client.get(reverse("builder:new")).content.decode()
    recent = page.split('id="start-recent"', 1)[1]
    assert "Pod, exercise “Set requests and limits”, changed just now" in recent
    assert "minutes ago" not in recent


def test_a_change_of_kind_says_what_it_dropped_whatever_the_restart_policy(client):
    """A ``restartPolicy: 5`` made the status line stop at "Now a Pod."."""
    text = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  labels: {team: a}\nspec:\n"
        "  completions: 5\n  template:\n    spec:\n      restartPolicy: 5\n      containers:\n"
        "      - name: a\n        image: busybox:1.36\n"
    )
    design = _import(client, text)
    response = _post(client, design, {"_kind": "Pod", "action": "kind"})
    status = unescape(_form_status(response.content.decode()))
    assert "completions 5" in status and "the Job's own labels" in status


def test_a_change_of_kind_names_a_dozen_dropped_fields_at_most_each_short(client):
    """A Deployment of 950 long made-up keys gave a status line of 862 KB."""
    keys = "".join(f"  {'k' * 300}{n}: 1\n" for n in range(30))
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
        + keys
        + "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
        "      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n"
        "        image: nginx:1.27\n"
    )
    design = _import(client, text)
    response = _post(client, design, {"_kind": "Pod", "action": "kind"})
    status = unescape(_form_status(response.content.decode()))
    assert "18 more" in status and len(status) < 1200
    assert "k" * 39 + "…" in status and "k" * 41 not in status
