"""Edits in the builder to files written as real projects write them (the shapes found in
kubernetes/examples, istio's samples, ingress-nginx and microservices-demo, rewritten small):
what the author switched off in a comment stays when the entry below it goes."""

import difflib

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from podstudio.builder.models import Design
from podstudio.builder.workloads import design_form_data

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

SERVICE = """\
# the ratings Service
apiVersion: v1
kind: Service
metadata: {name: ratings}
spec:
  selector: {app: ratings}
  ports: [{port: 9080}]
"""
RATINGS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ratings
spec:
  selector:
    matchLabels: {app: ratings}
  template:
    metadata:
      labels: {app: ratings}
    spec:
      # hostNetwork keeps the client's address; not needed behind the balancer
      # hostNetwork: true
      terminationGracePeriodSeconds: 60
      containers:
      - name: ratings
        image: ratings:2.0
        env:
          # to use MySQL, set these and create its Service:
          # - name: DB_TYPE
          #   value: "mysql"
          - name: MONGO_DB_URL
            value: mongodb://mongodb:27017/test
"""
FILE = SERVICE + "---\n" + RATINGS


def _import(client: Client, text: str) -> Design:
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _post(client: Client, design: Design, changes: dict) -> None:
    """The whole form, as a list button (or a browser without JavaScript) posts it."""
    design.refresh_from_db()
    data = {**dict(design_form_data(design.manifest)), **changes}
    response = client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)
    assert response.status_code == 200


def _download(client: Client, design: Design) -> str:
    return client.get(reverse("builder:download", args=[design.slug])).content.decode()


def _removed_lines(before: str, after: str) -> list[str]:
    """The lines the edit took away; any other change fails the test."""
    removed = []
    matcher = difflib.SequenceMatcher(None, before.splitlines(True), after.splitlines(True))
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "delete"), (tag, before.splitlines()[i1:i2], after[j1:j2])
        if tag == "delete":
            removed += before.splitlines(True)[i1:i2]
    return removed


def test_clearing_a_field_keeps_the_setting_switched_off_above_it(client):
    design = _import(client, FILE)
    _post(client, design, {"spec.template.spec.terminationGracePeriodSeconds": ""})
    after = _download(client, design)
    assert _removed_lines(FILE, after) == ["      terminationGracePeriodSeconds: 60\n"]
    assert (
        "terminationGracePeriodSeconds"
        not in list(yaml.safe_load_all(after))[1]["spec"]["template"]["spec"]
    )


def test_removing_the_last_variable_keeps_the_variables_switched_off_in_the_list(client):
    design = _import(client, FILE)
    _post(client, design, {"action": "remove:spec.template.spec.containers[0].env[0]"})
    after = _download(client, design)
    assert _removed_lines(FILE, after) == [
        "        env:\n",
        "          - name: MONGO_DB_URL\n",
        "            value: mongodb://mongodb:27017/test\n",
    ]
    assert "# - name: DB_TYPE" in after
    service, deployment = yaml.safe_load_all(after)
    assert "env" not in deployment["spec"]["template"]["spec"]["containers"][0]
    assert after.startswith(SERVICE + "---\n")


POD = """\
# the cache, one Pod for now
apiVersion: v1
kind: Pod
metadata:
  name: cache
  labels:
    app: cache
spec:
  containers:
  # the server
  - name: redis
    image: "redis:7.2"   # pinned: 7.4 changed its licence
    args:
    - --appendonly
    - "yes"
  # hostNetwork: true
  # redis saves its file on SIGTERM: give it the time
  terminationGracePeriodSeconds: 60
  # emptyDir: the cache may go with the Pod
  volumes:
  - name: data
    emptyDir: {}
"""


def test_a_change_of_kind_moves_the_pod_spec_with_its_comments_and_back(client):
    """The Pod's spec goes into the template as the author wrote it (the kind select wraps
    it); back to a Pod, it comes out again: the file is the one imported."""
    design = _import(client, POD)
    url = reverse("builder:preview", args=[design.slug])
    client.post(url, {"action": "kind", "_kind": "Deployment"}, **HTMX)
    wrapped = _download(client, design)
    spec = POD[POD.index("  containers:") :]
    assert "".join("    " + line for line in spec.splitlines(True)) in wrapped  # template.spec
    design.refresh_from_db()
    assert list(yaml.safe_load_all(wrapped)) == [design.manifest]
    client.post(url, {"action": "kind", "_kind": "Pod"}, **HTMX)
    assert _download(client, design) == POD


@pytest.mark.parametrize("htmx", [True, False])
def test_a_form_posted_as_shown_writes_no_template_into_a_file_without_one(client, htmx):
    """A kustomize patch that deletes a Deployment has no spec: the whole form posted back
    unchanged (as a browser without JavaScript posts it) once wrote ``spec: {template: {spec:
    {}}}`` into it."""
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: frontend\n$patch: delete\n"
    design = _import(client, text)
    data = dict(design_form_data(design.manifest))
    client.post(reverse("builder:preview", args=[design.slug]), data, **(HTMX if htmx else {}))
    assert _download(client, design) == text


def test_an_edit_the_authors_text_cannot_take_is_said_on_the_page(client, monkeypatch):
    """No real file is known to need it; if one does, the page must not claim the comments
    stayed while the document is written anew."""
    from podstudio.builder import files
    from podstudio.engine.yamlio import ManifestError

    design = _import(client, f"{SERVICE}---\n{RATINGS}")
    client.post(reverse("builder:document", args=[design.slug]), {"document": "1"})
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "your comments, key order and quoting stay as they were" in page

    def cannot(*args, **kwargs):
        raise ManifestError("cannot place it")

    monkeypatch.setattr(files, "rewrite_kept", cannot)
    url = reverse("builder:preview", args=[design.slug])
    response = client.post(url, {"metadata.name": "ratings-v2", "_shown_sections": ""}, **HTMX)
    answer = response.content.decode()
    assert "written anew in the builder" in answer
    assert "stay as they were" not in answer
    assert "ratings-v2" in answer


def test_rewrite_says_when_it_wrote_the_document_anew(monkeypatch):
    from podstudio.engine import textedit

    text = "# a note\nkind: Pod\nmetadata: {name: a}  # named\n"
    assert textedit.rewrite_kept(text, 0, {"kind": "Pod", "metadata": {"name": "b"}}) == (
        "# a note\nkind: Pod\nmetadata: {name: b}  # named\n",
        True,
    )
    # Place-keeping edits that came out wrong: the check catches it and writes anew.
    monkeypatch.setattr(textedit, "rewrite_source", lambda source, document, data: source.text)
    result, kept = textedit.rewrite_kept(text, 0, {"kind": "Pod"}, check=True)
    assert not kept and "kind: Pod" in result and "metadata" not in result


def test_an_edit_after_a_kept_block_scalar_leaves_its_empty_lines_in_it(client):
    """The new variable went between the |+ value and its empty line, which changed it."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: motd\nspec:\n  containers:\n"
        "  - name: web\n    image: nginx:1.27\n    env:\n    - name: MOTD\n"
        "      value: |+\n        hello\n\n"
    )
    design = _import(client, text)
    _post(client, design, {"action": "add:spec.containers[0].env"})
    after = yaml.safe_load(_download(client, design))
    env = after["spec"]["containers"][0]["env"]
    assert env[0] == {"name": "MOTD", "value": "hello\n\n"}
    assert len(env) == 2
