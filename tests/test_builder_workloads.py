# ruff: noqa: E501 (tables of paths read best one case a line)
"""The builder with workloads and files of several documents: import, the form at the template's
real paths, wrap and unwrap, switching documents, and downloading the whole file."""

import copy
import json
import re
from html import unescape

import pytest
import yaml
from django.urls import reverse

from podstudio.builder.edit import field_id, iter_inputs, iter_slots
from podstudio.builder.files import import_text, render_file
from podstudio.builder.models import Design
from podstudio.builder.workloads import (
    apply_design_action,
    apply_design_form,
    build_design_form,
    change_kind,
    design_form_data,
    design_kept,
    design_slot_for,
)
from podstudio.engine.analyze import analyze
from podstudio.engine.documents import load_object as load_manifest
from podstudio.engine.documents import read_documents
from podstudio.engine.kinds import wrap
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import ManifestError
from tests.conftest import builder_page_base

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

SERVICE = """\
# the Service in front
apiVersion: v1
kind: Service
metadata:
  name: shop     # keep
spec:
  ports: [{port: 80, targetPort: 8080}]
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 3
  strategy: {type: Recreate}
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""
CONFIG = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {MODE: prod}\n"
FILE = f"{SERVICE}---\n{DEPLOYMENT}---\n{CONFIG}"
POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
}


def _import(client, text: str) -> Design:
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _post(client, design: Design, changes: dict, **extra):
    data = dict(design_form_data(design.manifest))
    data.update(changes)
    return client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX, **extra)


# --- import --------------------------------------------------------------------------------------


def test_importing_a_file_edits_its_first_workload_and_keeps_the_file(client):
    design = _import(client, FILE)
    assert design.document == 1
    assert design.manifest["kind"] == "Deployment"
    assert design.source == FILE
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "Documents in this file" in page
    assert 'name="spec.template.spec.containers[0].image"' in page
    assert 'name="spec.containers[0].image"' not in page
    assert 'name="spec.replicas"' in page
    assert "This is document 2 of 3 in the imported file" in page


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n---\n",
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n...\n",
        "# header\n\n---\n\n" + DEPLOYMENT + "---\n# end\n",
    ],
)
def test_empty_documents_and_trailing_markers_are_fine(client, text):
    design = _import(client, text)
    assert design.manifest["kind"] in ("Pod", "Deployment")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "the input is empty"),
        ("# only comments\n---\n", "only comments or empty documents"),
        (SERVICE, "no Pod or workload to edit here (found Service shop)"),
        (f"{SERVICE}---\n{CONFIG}", "found Service shop, ConfigMap settings"),
        (f"{SERVICE}---\nkind: [\n", "document 2: line 10"),
        ("- a\n- b\n", "not a list"),
        (
            '[{"apiVersion": "v1", "kind": "Pod"}]',
            "a list of one object (Pod): kubectl reads no list",
        ),
        ("metadata: {name: x}\n", "has no kind"),
        ("Name:  web\nNamespace:  default\nStatus:  Running\n", "kubectl get pod NAME -o yaml"),
        ("```yaml\nkind: Pod\n```\n", "line 1 is a Markdown code fence"),
        ("apiVersion: v1\nkind: 5\n", "kind must be a string such as Deployment"),
        ("apiVersion: v1\nkind: [Pod]\n", "kind must be a string such as Deployment"),
        ("apiVersion: v1\nkind: List\nitems: []\n", "this List is empty: kubectl get prints one"),
    ],
)
def test_refused_imports_say_why(text, fragment):
    with pytest.raises(ManifestError) as info:
        import_text(text)
    assert fragment in str(info.value)


def test_a_refused_import_is_shown_at_the_import_box(client):
    response = client.post(reverse("builder:import"), {"yaml": SERVICE})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="import-error" role="alert"' in page
    assert 'aria-describedby="import-error import-help"' in page
    assert "autofocus" in page
    assert "js/builder-start.js" in page


# --- the download: one function makes the file -----------------------------------------------


def test_an_untouched_import_downloads_byte_for_byte(client):
    design = _import(client, FILE)
    response = client.get(reverse("builder:download", args=[design.slug]))
    assert response.content.decode() == FILE
    assert response["Content-Disposition"] == 'attachment; filename="shop.yaml"'


def test_a_file_of_several_documents_keeps_its_name_whichever_one_is_edited(client):
    """It downloaded under the name of the Deployment being edited, another for the next."""
    second = DEPLOYMENT.replace("name: shop\n", "name: admin\n", 1)
    design = _import(client, f"{CONFIG}---\n{DEPLOYMENT}---\n{second}")
    edited, names = [], set()
    for index in (2, 1):  # admin, then shop
        client.post(reverse("builder:document", args=[design.slug]), {"document": str(index)})
        design.refresh_from_db()
        edited.append(design.manifest["metadata"]["name"])
        page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
        assert 'download="settings.yaml"' in page
        response = client.get(reverse("builder:download", args=[design.slug]))
        names.add(response["Content-Disposition"])
    assert edited == ["admin", "shop"]
    assert names == {'attachment; filename="settings.yaml"'}


def test_an_edit_rewrites_only_its_own_document(client):
    design = _import(client, FILE)
    response = _post(client, design, {"spec.template.spec.containers[0].image@tag": "1.28"})
    assert response.status_code == 200
    design.refresh_from_db()
    text = render_file(design)
    segments, documents = read_documents(text)
    original, _ = read_documents(FILE)
    assert segments[0].text == original[0].text  # the Service, comments and all
    assert segments[2].text == original[2].text  # the ConfigMap
    edited = documents[1].data
    assert edited["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert edited["spec"]["strategy"] == {"type": "Recreate"}  # kept, though the form has none


def test_a_json_stream_is_edited_one_object_at_a_time_and_stays_a_json_stream(client):
    # jq -c '.items[]' writes one object a line; kubectl apply -f reads each of them.
    service = json.dumps(yaml.safe_load(SERVICE), separators=(",", ":"))
    deployment = json.dumps(yaml.safe_load(DEPLOYMENT), separators=(",", ":"))
    text = f"{service}\n{deployment}\n"
    design = _import(client, text)
    assert design.manifest["kind"] == "Deployment"
    assert design.document == 1
    response = _post(client, design, {"spec.template.spec.containers[0].image@tag": "1.28"})
    assert response.status_code == 200
    design.refresh_from_db()
    lines = render_file(design).splitlines()
    assert lines[0] == service
    edited = json.loads(lines[1])
    assert edited["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert edited["spec"]["strategy"] == {"type": "Recreate"}
    assert len(lines) == 2


def test_an_imported_json_file_downloads_as_json_and_its_canonical_form_as_yaml(client):
    text = json.dumps(yaml.safe_load(DEPLOYMENT), indent=2) + "\n"
    design = _import(client, text)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert 'download="shop.json" id="download-link"' in page
    assert 'download="shop.yaml" id="download-canonical"' in page
    assert "kubectl apply -f shop.json" in page
    url = reverse("builder:download", args=[design.slug])
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="shop.json"'
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == yaml.safe_load(DEPLOYMENT)
    response = client.get(url + "?format=canonical")
    assert response["Content-Disposition"] == 'attachment; filename="shop.yaml"'
    assert yaml.safe_load(response.content) == yaml.safe_load(DEPLOYMENT)
    # Renamed as it is edited; a YAML file stays .yaml.
    response = _post(client, design, {"metadata.name": "shop-2"})
    assert 'download="shop-2.json"' in response.content.decode()
    yaml_design = _import(client, DEPLOYMENT)
    page = client.get(reverse("builder:design", args=[yaml_design.slug])).content.decode()
    assert 'download="shop.yaml" id="download-link"' in page


def test_a_service_of_the_file_that_selects_none_of_the_pods_is_said_while_editing(client):
    service = SERVICE.replace("spec:\n", "spec:\n  selector: {app: shop, tier: web}\n")
    design = _import(client, f"{service}---\n{DEPLOYMENT}")
    said = "In this file: The Service shop selects app=shop, tier=web, and no Pod in this file"
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert said in page
    response = _post(client, design, {"spec.template.metadata.labels": "app=shop\ntier=web"})
    assert response.status_code == 200 and said not in response.content.decode()
    response = _post(client, design, {"spec.template.metadata.labels": "app=shop"})
    assert said in response.content.decode()


def _shown_sections(html: str) -> str:
    return re.search(r'id="shown-sections" value="([^"]*)"', html)[1]


def test_the_list_of_documents_marks_the_service_and_follows_the_edits(client):
    service = SERVICE.replace("spec:\n", "spec:\n  selector: {app: shop, tier: web}\n")
    design = _import(client, f"{service}---\n{DEPLOYMENT}")
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    nav = re.search(r'<nav class="documents card".*?</nav>', page, re.S)[0]
    assert (
        '<span class="document-notes" id="document-notes-0"><span class="badge warn">warning'
        "</span> selects none of the Pods in this file</span>"
    ) in nav
    assert '<span class="document-notes" id="document-notes-1"></span>' in nav
    # The labels now carry the selector: the mark goes, live.
    fixed = {"spec.template.metadata.labels": "app=shop\ntier=web"}
    response = _post(client, design, {**fixed, "_shown_sections": _shown_sections(page)})
    body = response.content.decode()
    assert '<span class="document-notes" id="document-notes-0" hx-swap-oob="true"></span>' in body
    # A keystroke that changes nothing the list shows sends none of it.
    response = _post(
        client, design, {**fixed, "spec.replicas": "3", "_shown_sections": _shown_sections(body)}
    )
    assert response.status_code == 200 and "document-notes-" not in response.content.decode()
    # Renamed, the edited document's entry follows.
    response = _post(
        client,
        design,
        {**fixed, "metadata.name": "shop-2", "_shown_sections": _shown_sections(body)},
    )
    assert re.search(
        r'id="document-title-1" hx-swap-oob="true">.*?<span class="document-name">shop-2</span>',
        response.content.decode(),
    )


def test_a_design_of_one_document_sends_no_list_of_documents(client):
    design = _import(client, DEPLOYMENT)
    response = _post(client, design, {"metadata.name": "shop-2"})
    assert response.status_code == 200 and "document-title-" not in response.content.decode()


def test_a_key_the_files_configmap_lacks_is_an_error_of_the_edited_workload(client):
    deployment = DEPLOYMENT.replace(
        "        image: nginx:1.27\n",
        "        image: nginx:1.27\n        env:\n        - name: MODE\n          valueFrom:\n"
        "            configMapKeyRef: {name: settings, key: mode}\n",
    )
    design = _import(client, f"{CONFIG}---\n{deployment}")
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "reads the key mode of ConfigMap settings, defined in this file without that key" in page
    fixed = deployment.replace("key: mode}", "key: MODE}")
    design = _import(client, f"{CONFIG}---\n{fixed}")
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "defined in this file without that key" not in page
    # Another workload's missing key waits until that one is edited.
    other = deployment.replace("name: shop\n", "name: other\n", 1)
    design = _import(client, f"{CONFIG}---\n{fixed}---\n{other}")
    assert design.document == 1
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "defined in this file without that key" not in page


# --- the form at the template's real paths --------------------------------------------------


def test_a_workloads_form_names_only_document_paths():
    deployment = load_manifest(DEPLOYMENT)
    names = [item.name for item in iter_inputs(build_design_form(deployment))]
    template = [name for name in names if name.startswith("spec.template.")]
    assert "spec.template.spec.containers[0].image" in names
    assert "spec.template.metadata.labels" in names
    assert {"metadata.name", "spec.replicas"} <= set(names)
    assert not any(name.startswith(("spec.containers", "spec.volumes")) for name in names)
    assert len(template) > 10


def test_posting_template_fields_edits_the_template_and_nothing_else():
    deployment = load_manifest(DEPLOYMENT)
    before = copy.deepcopy(deployment)
    result = apply_design_form(
        deployment,
        {
            "spec.template.spec.containers[0].resources.limits.memory": "256",
            "spec.template.spec.containers[0].resources.limits.memory@unit": "Mi",
            "spec.replicas": "4",
            "metadata.name": "shop-v2",
        },
    )
    after = result.manifest
    assert deployment == before  # a copy was edited
    assert after["spec"]["replicas"] == 4
    assert after["metadata"]["name"] == "shop-v2"
    limits = after["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]
    assert limits == {"memory": "256Mi"}
    assert set(after["spec"]) == set(before["spec"])


@pytest.mark.parametrize(
    "form",
    [
        {"metadata.name": "shop-v2"},
        {"spec.template.spec.containers[0].image@tag": "1.28"},
        {"spec.template.spec.containers[0].image@tag": "1.28", "spec.replicas": "4"},
        {"spec.template.metadata.labels": "app=shop\ntier=web"},
    ],
)
def test_an_edit_shares_nothing_with_the_manifest_it_was_made_from(form):
    """The saved manifest and the one the request read are two objects: changing the new one
    (as the selector that follows the labels does) leaves the old one as it was."""
    deployment = load_manifest(DEPLOYMENT)
    before = copy.deepcopy(deployment)
    after = apply_design_form(deployment, form).manifest

    def scribble(node):
        if isinstance(node, dict):
            for value in node.values():
                scribble(value)
            node["scribbled"] = True
        elif isinstance(node, list):
            for value in node:
                scribble(value)
            node.append("scribbled")

    scribble(after)
    assert deployment == before


def test_the_selector_follows_the_pod_labels():
    deployment = load_manifest(DEPLOYMENT)
    after = apply_design_form(deployment, {"spec.template.metadata.labels": "app=shop\ntier=web"})
    assert after.manifest["spec"]["selector"] == {"matchLabels": {"app": "shop", "tier": "web"}}
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "shop"}}


def test_a_cronjobs_job_fields_are_under_its_job_template():
    cronjob = wrap(copy.deepcopy(POD), "CronJob")
    names = [item.name for item in iter_inputs(build_design_form(cronjob))]
    assert "spec.schedule" in names and "spec.jobTemplate.spec.backoffLimit" in names
    assert "spec.jobTemplate.spec.template.spec.containers[0].image" in names
    after = apply_design_form(
        cronjob,
        {"spec.jobTemplate.spec.parallelism": "2", "spec.schedule": "@hourly"},
    ).manifest
    assert after["spec"]["jobTemplate"]["spec"]["parallelism"] == 2
    assert after["spec"]["schedule"] == "@hourly"


def test_a_cronjobs_time_zone_and_concurrency_are_in_its_form():
    cronjob = wrap(copy.deepcopy(POD), "CronJob")
    form = dict(design_form_data(cronjob))
    assert form["spec.timeZone"] == "" and form["spec.concurrencyPolicy"] == ""
    untouched = apply_design_form(cronjob, form).manifest
    assert "timeZone" not in untouched["spec"] and "concurrencyPolicy" not in untouched["spec"]
    changes = {"spec.timeZone": "Europe/Paris", "spec.concurrencyPolicy": "Forbid"}
    after = apply_design_form(cronjob, {**form, **changes}).manifest
    assert after["spec"]["timeZone"] == "Europe/Paris"
    assert after["spec"]["concurrencyPolicy"] == "Forbid"
    assert not analyze(after).errors
    wrong = apply_design_form(cronjob, {**form, "spec.timeZone": "Europe/Pari"}).manifest
    assert [e.path for e in analyze(wrong).errors] == ["spec.timeZone"]


def test_restart_policy_offers_what_the_kind_allows():
    job = wrap(copy.deepcopy(POD), "Job")
    policy = next(
        item
        for item in iter_inputs(build_design_form(job))
        if item.name == "spec.template.spec.restartPolicy"
    )
    assert [value for value, _ in policy.choices] == ["OnFailure", "Never"]


def test_list_actions_work_inside_the_template():
    deployment = load_manifest(DEPLOYMENT)
    added = apply_design_action(deployment, "add:spec.template.spec.containers")
    assert len(added["spec"]["template"]["spec"]["containers"]) == 2
    assert "containers" not in added["spec"]
    removed = apply_design_action(added, "remove:spec.template.spec.containers[1]")
    assert (
        removed["spec"]["template"]["spec"]["containers"]
        == deployment["spec"]["template"]["spec"]["containers"]
    )
    assert apply_design_action(deployment, "add:spec.containers") is None


@pytest.mark.parametrize(
    ("path", "slot"),
    [
        ("spec.template.spec.containers[0].ports[0].containerPort", "spec.template.spec.containers[0].ports[0].containerPort"),
        ("spec.template.spec.containers[0].securityContext.runAsNonRoot", "spec.template.spec.containers[0].securityContext.runAsNonRoot"),
        ("spec.template.metadata.labels[bad key]", "spec.template.metadata.labels"),
        ("spec.replicas", "spec.replicas"),
        ("metadata.name", "metadata.name"),
        ("spec.selector", None),
    ],
)  # fmt: skip
def test_errors_find_their_place_in_the_form(path, slot):
    assert design_slot_for("Deployment", path) == slot
    deployment = load_manifest(DEPLOYMENT)
    deployment["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    if slot:
        assert slot in set(iter_slots(build_design_form(deployment)))


def test_what_the_form_does_not_edit_is_listed_as_kept():
    deployment = load_manifest(DEPLOYMENT)
    deployment["status"] = {"replicas": 3}
    deployment["spec"]["template"]["metadata"]["creationTimestamp"] = None
    kept = {item.path for item in design_kept(deployment)}
    assert {"spec.strategy", "status", "spec.template.metadata.creationTimestamp"} <= kept
    assert not any(
        path.startswith(("spec.replicas", "metadata.name", "spec.selector")) for path in kept
    )


# --- wrap and unwrap ------------------------------------------------------------------------


def test_change_kind_through_the_form(client):
    client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get()
    response = _post(client, design, {"action": "kind", "_kind": "StatefulSet"})
    assert response.status_code == 200
    design.refresh_from_db()
    assert design.manifest["kind"] == "StatefulSet"
    assert design.manifest["spec"]["serviceName"] == "my-pod"
    assert 'name="spec.serviceName"' in response.content.decode()
    _post(client, design, {"action": "kind", "_kind": "Pod"})
    design.refresh_from_db()
    assert design.manifest["kind"] == "Pod"
    assert design.manifest["metadata"]["name"] == "my-pod"


def test_a_change_of_kind_says_what_it_did_to_the_restart_policy(client):
    """A Job's Pods may not restart Always: the wrap changes it, and the author is told so
    (and, back as a Pod, that the Job's policy stayed)."""
    client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get()
    page = _post(client, design, {"action": "kind", "_kind": "Job"}).content.decode()
    assert (
        "Now a Job. A Job&#x27;s Pods may not restart Always: restartPolicy is now Never." in page
    )
    design.refresh_from_db()
    page = _post(client, design, {"action": "kind", "_kind": "Deployment"})
    assert "Deployment&#x27;s Pods may not restart Never: restartPolicy is now Always." in (
        page.content.decode()
    )
    design.refresh_from_db()
    page = _post(client, design, {"action": "kind", "_kind": "Pod"}).content.decode()
    assert "<p><span>Now a Pod. Not kept, as a Pod has no place for them: replicas 2" in page
    design.refresh_from_db()
    _post(client, design, {"action": "kind", "_kind": "CronJob"})
    design.refresh_from_db()
    page = _post(client, design, {"action": "kind", "_kind": "Pod"}).content.decode()
    assert "restartPolicy stays Never, as in the CronJob; a Pod&#x27;s default is Always." in page


def test_a_change_of_kind_names_the_workloads_fields_it_could_not_keep(client):
    """A Deployment made a Pod lost its replicas, strategy and its own labels without a word
    (and made a StatefulSet, its strategy)."""
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
        "  labels: {app: web, team: payments}\n  annotations: {owner: alice}\nspec:\n"
        "  replicas: 3\n  strategy: {type: Recreate}\n  selector:\n    matchLabels: {app: web}\n"
        "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n"
        "      - name: app\n        image: nginx:1.27\n"
    )
    response = client.post(reverse("builder:import"), {"yaml": text})
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    page = _post(client, design, {"action": "kind", "_kind": "StatefulSet"}).content.decode()
    assert "Not kept, as a StatefulSet has no place for them: strategy (Undo brings" in page
    assert "replicas 3" not in page.split("Not kept")[1].split("</p>")[0]  # carried over
    design.refresh_from_db()
    page = _post(client, design, {"action": "kind", "_kind": "Pod"}).content.decode()
    said = re.search(r"Not kept, as a Pod has no place for them: (.*?) \(Undo brings", page)
    # (in the order the database keeps the keys: PostgreSQL's jsonb sorts them)
    assert set(said.group(1).split(", ")) == {
        "serviceName web",
        "replicas 3",
        "the StatefulSet&#x27;s own labels",
        "the StatefulSet&#x27;s own annotations",
    }


def test_a_kind_picked_without_the_button_changes_nothing(client):
    client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get()
    _post(client, design, {"_kind": "Deployment"})
    design.refresh_from_db()
    assert design.manifest["kind"] == "Pod"


def test_change_kind_to_the_same_kind_is_nothing():
    assert change_kind(copy.deepcopy(POD), "Pod") is None
    assert change_kind(copy.deepcopy(POD), "Secret") is None


# --- switching documents ----------------------------------------------------------------------


def test_switching_documents_writes_the_edits_into_the_file_first(client):
    second = DEPLOYMENT.replace("name: shop\nspec", "name: admin\nspec")
    design = _import(client, f"{DEPLOYMENT}---\n{SERVICE}---\n{second}")
    _post(client, design, {"spec.replicas": "7"})
    response = client.post(reverse("builder:document", args=[design.slug]), {"document": "2"})
    assert response.status_code == 302
    design.refresh_from_db()
    assert design.document == 2 and design.manifest["metadata"]["name"] == "admin"
    _, documents = read_documents(render_file(design))
    assert documents[0].data["spec"]["replicas"] == 7
    assert render_file(design).split("---\n")[1] == SERVICE


@pytest.mark.parametrize("index", ["\u00b2", "\u0661", "9" * 5000, "-1", ""])
def test_switching_to_a_document_number_that_is_none_says_so(client, index):
    """A "²" is a digit to str.isdigit and no number to int: it answered 500."""
    design = _import(client, f"{DEPLOYMENT}---\n{SERVICE}")
    response = client.post(reverse("builder:document", args=[design.slug]), {"document": index})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "That document is not a Pod or workload the builder can edit." in page
    design.refresh_from_db()
    assert design.document == 0


BIG_POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n  - name: c\n"


@pytest.mark.parametrize(
    ("second", "refused"),
    [
        (  # fine alone in a file of 89 KB, and 5 s and 11 MB a page once switched to
            BIG_POD
            + "    image: b\n    env:\n"
            + "".join(f"    - {{name: V{n}, value: x}}\n" for n in range(3000)),
            "spec.containers[0].env has 3000 entries",
        ),
        (BIG_POD + '    image: "nginx\\0"\n', "spec.containers[0].image"),  # a 500 on PostgreSQL
        (
            BIG_POD  # six containers of 900 fields the form does not edit: none too big alone
            + "    image: b\n"
            + "".join(f"    x{n}: 1\n" for n in range(900))
            + "".join(
                f"  - name: d{m}\n    image: b\n" + "".join(f"    y{n}: 1\n" for n in range(900))
                for m in range(5)
            ),
            "it holds more than 5000 values",
        ),
    ],
    ids=["a list too long", "a NUL character", "too many values"],
)
def test_a_document_that_could_not_be_imported_alone_is_not_switched_to(client, second, refused):
    """The switch stored what an import of that document alone refuses."""
    alone = client.post(reverse("builder:import"), {"yaml": second})
    assert alone.status_code == 400 and refused in unescape(alone.content.decode())
    text = f"{DEPLOYMENT}---\n{second}"
    design = _import(client, text)
    response = client.post(reverse("builder:document", args=[design.slug]), {"document": "1"})
    assert response.status_code == 302
    page = unescape(client.get(response["Location"]).content.decode())
    assert "Document 2 is not opened: " in page and refused in page
    design.refresh_from_db()
    assert design.document == 0 and design.manifest["kind"] == "Deployment"
    download = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert download == text


def test_a_tab_still_on_the_first_document_saves_nothing_into_the_second(client):
    """Another tab switched the design to the file's other Deployment: this tab's form is the
    first one's, and its edit (a whole form) would turn the second into a copy of the first."""
    second = DEPLOYMENT.replace("name: shop\nspec", "name: admin\nspec")
    design = _import(client, f"{DEPLOYMENT}---\n{SERVICE}---\n{second}")
    base = builder_page_base(client, design.slug)
    mark = {"_base": base, "_edit": "abcdef0123456789:1"}
    assert "Podstudio-Not-Saved" not in _post(client, design, {"spec.replicas": "4", **mark})
    design.refresh_from_db()
    stale_form = dict(design_form_data(design.manifest))  # this tab saved last, then:
    client.post(reverse("builder:document", args=[design.slug]), {"document": "2"})
    stale_form.update({"spec.replicas": "9", "_base": base, "_edit": "abcdef0123456789:2"})
    response = client.post(reverse("builder:preview", args=[design.slug]), stale_form, **HTMX)
    assert response["Podstudio-Not-Saved"].startswith("Not saved: this design was changed")
    design.refresh_from_db()
    assert design.document == 2 and design.manifest["metadata"]["name"] == "admin"
    assert design.manifest["spec"].get("replicas") != 9
    _, documents = read_documents(render_file(design))
    assert documents[0].data["metadata"]["name"] == "shop"
    assert documents[0].data["spec"]["replicas"] == 4


@pytest.mark.parametrize("index", ["1", "9", "x", ""])
def test_switching_to_a_document_that_is_no_workload_is_refused(client, index):
    design = _import(client, f"{DEPLOYMENT}---\n{SERVICE}")
    response = client.post(reverse("builder:document", args=[design.slug]), {"document": index})
    assert response.status_code == 302
    design.refresh_from_db()
    assert design.document == 0


def test_someone_elses_design_is_copied_with_its_file(client):
    design = _import(client, FILE)
    other = type(client)()
    response = _post(other, design, {"spec.replicas": "1"})
    assert response.status_code == 200
    copy_ = Design.objects.exclude(pk=design.pk).get()
    assert copy_.source == FILE and copy_.document == 1
    assert copy_.manifest["spec"]["replicas"] == 1
    design.refresh_from_db()
    assert design.manifest["spec"]["replicas"] == 3


def test_the_preview_of_a_workload_shows_its_kind_and_stack(client):
    design = _import(client, DEPLOYMENT)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert 'id="status-kind">Deployment · 3 replicas' in page
    assert "Pods of Deployment shop" in page and "dg-stack" in page
    assert "Deployment builder" in page


def test_an_invalid_workload_waits_for_its_own_kind_to_be_valid(client):
    design = _import(client, DEPLOYMENT.replace("replicas: 3", "replicas: -1"))
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "Not checked until the Deployment is valid" in page


GENERATED_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  generateName: nightly-
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: run
        image: busybox:1.36
"""


def test_a_job_with_only_generate_name_is_called_by_it_and_made_with_create(client):
    """kubectl apply refuses an object without a name; the page says to create it, and calls
    it by its generateName rather than "(unnamed)"."""
    design = _import(client, f"{SERVICE}---\n{GENERATED_JOB}")
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert '<span class="pod-name">nightly-…</span>' in page
    assert '<span class="document-name">nightly-…</span>' in page
    assert "Pods of Job nightly-…" in page
    # (The file is named after its first document, the Service, whichever one is edited.)
    assert '<code id="kubectl-line">kubectl create -f shop.yaml</code>' in page
    # Given a name, it is applied like any other object.
    named = _post(client, design, {"metadata.name": "nightly"}).content.decode()
    assert '<code id="kubectl-line">kubectl apply -f shop.yaml</code>' in named
    assert "only <code>generateName</code>" not in named


SUBSET_SELECTOR = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: exporter
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: exporter
  template:
    metadata:
      labels:
        app.kubernetes.io/name: exporter
        app.kubernetes.io/version: 0.28.0
    spec:
      containers:
      - name: exporter
        image: quay.io/example/exporter:v0.28.0
"""


def test_an_image_edit_leaves_a_selector_written_as_part_of_the_labels(client):
    """The API server refuses any change of a Deployment's selector: an edit that does not
    touch it must not rewrite it to all the labels (as the builder once did)."""
    design = _import(client, f"{SERVICE}---\n{SUBSET_SELECTOR}")
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "kept as written: the Pod labels below must include it" in page
    _post(
        client,
        design,
        {"spec.template.spec.containers[0].image": "quay.io/example/exporter:v0.29.0"},
    )
    design.refresh_from_db()
    _post(
        client,
        design,
        {
            "spec.template.metadata.labels": "app.kubernetes.io/name=exporter\napp.kubernetes.io/version=0.29.0"
        },
    )
    text = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert text == f"{SERVICE}---\n{SUBSET_SELECTOR}".replace("0.28.0", "0.29.0")


def test_a_missing_selector_is_added_only_when_asked(client):
    """A file without a selector may be a patch (kustomize) that must not set one: an edit
    elsewhere leaves it out; the form offers a button, and an edit of the labels sets it."""
    without = DEPLOYMENT.replace("  selector:\n    matchLabels: {app: shop}\n", "")
    design = _import(client, without)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "none: the API server refuses a Deployment without one" in page
    assert 'value="selector"' in page and "Select the Pods by their labels" in page
    assert 'data-focus="selector-action"' in page  # the problem's "Go to field" link
    _post(client, design, {"spec.template.spec.containers[0].image": "nginx:1.28"})
    design.refresh_from_db()
    assert "selector" not in design.manifest["spec"]
    html = _post(client, design, {"action": "selector"}).content.decode()
    design.refresh_from_db()
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"app": "shop"}}
    # The file is the author's: the selector the button set stays as it is when labels change.
    assert "app=shop (kept as written: the Pod labels below must include it)" in html
    assert 'value="selector"' not in html
    text = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert load_manifest(text)["spec"]["selector"] == {"matchLabels": {"app": "shop"}}


def test_an_edit_of_the_labels_gives_a_missing_selector_and_says_so(client):
    design = _import(client, DEPLOYMENT.replace("  selector:\n    matchLabels: {app: shop}\n", ""))
    html = _post(
        client, design, {"spec.template.metadata.labels": "app=shop\ntier=web"}
    ).content.decode()
    assert "had no selector, which it needs to find its Pods" in html
    design.refresh_from_db()
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"app": "shop", "tier": "web"}}


PLACEHOLDER_SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: hf-secret
stringData:
  token: {{HF_TOKEN}}
"""


def test_a_document_that_cannot_be_read_is_kept_and_listed_with_its_problem(client):
    """A template placeholder in a Secret is no reason to refuse the Deployment beside it."""
    text = f"{DEPLOYMENT}---\n{PLACEHOLDER_SECRET}"
    design = _import(client, text)
    assert design.manifest["kind"] == "Deployment"
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "kept as is, but cannot be read: line 23, column 11: a mapping key must be" in page
    assert client.get(reverse("builder:download", args=[design.slug])).content.decode() == text
    _post(client, design, {"spec.template.spec.containers[0].image": "nginx:1.28"})
    edited = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert edited == text.replace("nginx:1.27", "nginx:1.28")


def test_a_file_with_nothing_readable_to_edit_says_what_cannot_be_read(client):
    response = client.post(
        reverse("builder:import"), {"yaml": f"{SERVICE}---\n{PLACEHOLDER_SECRET}"}
    )
    assert response.status_code == 400
    assert "document 2: line 14, column 11: a mapping key must be" in response.content.decode()


def test_an_apiversion_no_longer_served_is_named_and_fixed_by_its_button(client):
    old = DEPLOYMENT.replace("apps/v1", "extensions/v1beta1")
    design = _import(client, f"{SERVICE}---\n{old}")
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "extensions/v1beta1 no longer serves Deployment (removed in Kubernetes 1.16)" in page
    assert 'id="apiversion-action">Use apps/v1</button>' in page
    assert 'href="#apiversion-action" class="focus-link" data-focus="apiversion-action"' in page
    html = _post(client, design, {"action": "apiversion"}).content.decode()
    assert 'id="apiversion-action"' not in html and "no longer serves" not in html
    assert "Now apps/v1, the apiVersion Kubernetes serves for a Deployment." in html
    text = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert text == f"{SERVICE}---\n{DEPLOYMENT}"  # that line, and nothing else


def test_a_file_of_hundreds_of_documents_folds_its_list_so_the_form_comes_first(client):
    """An install file of 299 ConfigMaps and a Deployment put the form 3,000 px down (12,000
    on a phone) under the list of documents."""
    configmaps = "".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{number}}}\n"
        for number in range(299)
    )
    text = configmaps + "---\n" + DEPLOYMENT
    response = client.post(reverse("builder:import"), {"yaml": text})
    page = client.get(response["Location"]).content.decode()
    assert '<details class="document-more"><summary>300 documents: editing number 300, ' in page
    listed = page.index('<details class="document-more">')
    assert page.index("</details>", listed) < page.index('id="builder-form"')
    # A short file keeps its list in view.
    short = configmaps.split("---\n", 4)
    response = client.post(
        reverse("builder:import"), {"yaml": "---\n".join(short[:4]) + "---\n" + DEPLOYMENT}
    )
    assert "document-more" not in client.get(response["Location"]).content.decode()


def test_a_file_of_more_documents_than_the_builder_lists_is_refused_with_the_way_out(client):
    text = "---\n".join([CONFIG] * 500 + [DEPLOYMENT])
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 400
    assert "the file has more than 500 documents: the builder edits files of at most 500" in (
        response.content.decode()
    )
    assert "podstudio analyze" in response.content.decode()


API_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
  labels: {app: api, team: payments}
  annotations: {owner: alice}
spec:
  replicas: 4
  minReadySeconds: 10
  revisionHistoryLimit: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api, version: "1"}
    spec:
      containers:
      - name: api
        image: ghcr.io/example/api:2.1.0
"""


def test_a_workload_changed_to_another_keeps_what_the_two_kinds_share():
    """A Deployment made a StatefulSet lost its labels, annotations, replicas (back to 2) and
    minReadySeconds, with no word; back to a Deployment, the same Deployment."""
    deployment = load_manifest(API_DEPLOYMENT)
    stateful = change_kind(deployment, "StatefulSet")
    assert stateful["metadata"] == deployment["metadata"]
    spec = stateful["spec"]
    assert (spec["replicas"], spec["minReadySeconds"], spec["revisionHistoryLimit"]) == (4, 10, 3)
    assert spec["selector"] == {"matchLabels": {"app": "api"}}  # as written: a subset
    assert spec["serviceName"] == "api"
    assert change_kind(stateful, "Deployment") == deployment
    cronjob = change_kind(change_kind(deployment, "Job"), "CronJob")
    assert cronjob["metadata"] == deployment["metadata"]
    assert "replicas" not in cronjob["spec"]  # a CronJob has none


def test_change_kind_of_a_document_in_a_file_lists_it_as_its_new_kind_and_keeps_focus(client):
    text = f"apiVersion: v1\nkind: Service\nmetadata: {{name: api}}\n---\n{API_DEPLOYMENT}"
    response = client.post(reverse("builder:import"), {"yaml": text})
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    response = _post(client, design, {"action": "kind", "_kind": "StatefulSet"})
    assert response.status_code == 200
    assert '"focus": "f-kind"' in response["HX-Trigger-After-Settle"]
    listed = response.content.decode().split('class="document-list"')[1].split("</ol>")[0]
    assert '<span class="document-kind">StatefulSet</span>' in listed
    assert '<span class="document-kind">Deployment</span>' not in listed
    design.refresh_from_db()
    assert design.manifest["spec"]["replicas"] == 4


def test_an_imported_replicaset_is_offered_as_itself_in_the_kind_picker(client):
    text = API_DEPLOYMENT.replace("kind: Deployment", "kind: ReplicaSet").replace(
        "  revisionHistoryLimit: 3\n", ""
    )
    response = client.post(reverse("builder:import"), {"yaml": text})
    page = client.get(response["Location"]).content.decode()
    picker = page.split('id="f-kind"')[1].split("</select>")[0]
    assert '<option value="ReplicaSet" selected>' in picker
    assert '<option value="Pod">' in picker


def test_an_error_the_server_names_at_spec_template_labels_is_shown_at_the_pod_labels(client):
    """The API server names a template's labels ``spec.template.labels``; the form's field for
    them is ``spec.template.metadata.labels``, where the message must appear."""
    design = _import(client, DEPLOYMENT)
    html = _post(client, design, {"spec.template.metadata.labels": "app=shop\na b=c"}).content
    html = html.decode()
    slot = field_id("spec.template.metadata.labels")
    assert re.search(rf'id="err-{re.escape(slot)}"[^>]*>\s*<span>key', html), html[:3000]
    assert "spec.template.labels" in html


def test_what_the_cluster_wrote_into_a_deployment_is_removed_and_nothing_else():
    from podstudio.builder.workloads import cluster_written, without_cluster_writes
    from podstudio.engine.documents import load_object
    from tests.test_findings import GOT

    deployment = load_object(GOT)
    assert cluster_written(deployment) == [
        "metadata.resourceVersion",
        "metadata.uid",
        "metadata.creationTimestamp",
        "metadata.generation",
        "metadata.annotations[deployment.kubernetes.io/revision]",
        "status",
    ]
    cleaned = without_cluster_writes(deployment)
    # the controller's revision was the only annotation: the emptied map goes with it
    assert set(cleaned["metadata"]) == {"name", "namespace"}
    assert "status" not in cleaned and cleaned["spec"] == deployment["spec"]
    # the template's `creationTimestamp: null` is what kubectl create writes: it stays
    assert cleaned["spec"]["template"]["metadata"]["creationTimestamp"] is None
    assert without_cluster_writes(cleaned) is None


UNQUOTED_CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  PORT: 8080
"""


def test_a_document_the_api_server_would_refuse_is_kept_and_listed_with_why(client):
    """A ConfigMap's unquoted number: the builder edits the Deployment, keeps the ConfigMap's
    text as it is, and says in the list of documents that Kubernetes would refuse it."""
    text = f"{DEPLOYMENT}---\n{UNQUOTED_CONFIG}"
    design = _import(client, text)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert (
        '<span class="badge bad">error</span> <span class="help">kept as is, but Kubernetes '
        "would refuse it: data[PORT]: must be a string, got the number 8080 (put it in quotes: "
        "YAML reads it as a number)</span>"
    ) in page
    # ...and among the findings, so a green "Valid" (the Deployment's) is not the last word.
    line = text.splitlines().index("kind: ConfigMap")  # the document's first line, counted from 1
    assert (
        f"In this file: ConfigMap settings (line {line}), kept as it is: Kubernetes would "
        "refuse it: data[PORT]: must be a string"
    ) in page
    _post(client, design, {"spec.template.spec.containers[0].image": "nginx:1.28"})
    edited = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert edited == text.replace("nginx:1.27", "nginx:1.28")


def test_a_stray_document_kubectl_refuses_is_listed_with_why(client):
    """The EOF line of a pasted heredoc after a `---`: `kubectl apply -f` stops at it."""
    text = f"{DEPLOYMENT}---\nEOF\n"
    design = _import(client, text)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert (
        "kept as is, but not a Kubernetes object: this document is a single value, not a "
        "mapping, and kubectl refuses it"
    ) in page
    assert client.get(reverse("builder:download", args=[design.slug])).content.decode() == text


@pytest.mark.parametrize(
    ("stray", "said"),
    [
        ("kind: 5\n", "kind must be a string such as Deployment"),
        ("kind: [Service]\napiVersion: v1\n", "kind must be a string"),
        ("apiVersion: 5\nkind: ConfigMap\n", "apiVersion must be a string such as apps/v1"),
    ],
)
def test_a_document_whose_kind_or_api_version_is_no_text_is_listed_with_why(client, stray, said):
    """kubectl refuses it ("kind isn't string type"); the builder's page and download answered
    500 for such a file, while the import had taken it."""
    text = f"{DEPLOYMENT}---\n{stray}"
    design = _import(client, text)
    page = client.get(reverse("builder:design", args=[design.slug]))
    assert page.status_code == 200 and said in page.content.decode()
    assert client.get(reverse("builder:download", args=[design.slug])).content.decode() == text


PATCH_WITHOUT_SELECTOR = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ml-pipeline
spec:
  template:
    spec:
      containers:
      - name: api-server
        image: gcr.io/ml-pipeline/api-server:2.0
"""


def test_a_selector_the_builder_set_follows_the_labels_as_they_are_typed(client):
    """A file without a selector (a kustomize patch): the one the builder sets at the first
    keystroke of a label is its own, so it follows each keystroke after it, and goes when the
    labels are back to the file's. It once stayed at the first half-typed value ("tier: ")."""
    design = _import(client, PATCH_WITHOUT_SELECTOR)
    for typed in ["t", "tier=", "tier=back", "tier=backend"]:
        design.refresh_from_db()
        _post(client, design, {"spec.template.metadata.labels": typed})
    design.refresh_from_db()
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"tier": "backend"}}
    assert not analyze(design.manifest).errors
    _post(client, design, {"spec.template.metadata.labels": ""})
    download = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert download == PATCH_WITHOUT_SELECTOR


def test_a_selector_written_null_is_the_builders_to_follow_and_comes_back_null(client):
    """``selector: null`` is no selector either: the one the first label edit set stayed at
    that label (``app: k`` under labels ``app: web``, which the API server refuses), and the
    file's ``null`` did not come back with its labels."""
    text = PATCH_WITHOUT_SELECTOR.replace(
        "spec:\n  template:", "spec:\n  selector: null\n  template:", 1
    )
    assert "selector: null" in text
    design = _import(client, text)
    for typed in ["tier=k", "tier=backend"]:
        design.refresh_from_db()
        _post(client, design, {"spec.template.metadata.labels": typed})
    design.refresh_from_db()
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"tier": "backend"}}
    _post(client, design, {"spec.template.metadata.labels": ""})
    download = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert download == text


def test_an_imported_pod_wrapped_into_a_deployment_keeps_its_selector_following(client):
    """The selector of a Pod wrapped here is the builder's, though the file is the author's."""
    design = _import(client, dump_manifest(POD))
    response = _post(client, design, {"action": "kind", "_kind": "Deployment"})
    assert response.status_code == 200
    design.refresh_from_db()
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    _post(client, design, {"spec.template.metadata.labels": "app=web\ntier=front"})
    design.refresh_from_db()
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"app": "web", "tier": "front"}}


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (  # a kustomize patch of the replicas only
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
            "spec.template.spec.serviceAccountName",
            "robot",
        ),
        (  # a patch that deletes the object
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n$patch: delete\n",
            "spec.replicas",
            "2",
        ),
        (  # a Job whose template has no metadata
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\nspec:\n  template:\n"
            "    spec:\n      restartPolicy: Never\n      containers:\n      - name: train\n"
            "        image: trainer:1.0\n",
            "spec.template.metadata.annotations",
            "team=ml",
        ),
    ],
    ids=["replicas patch", "delete patch", "job template without metadata"],
)
def test_a_value_typed_and_cleared_leaves_no_empty_mapping_behind(client, text, field, value):
    design = _import(client, text)
    _post(client, design, {field: value})
    design.refresh_from_db()
    _post(client, design, {field: ""})
    assert client.get(reverse("builder:download", args=[design.slug])).content.decode() == text


def test_the_page_says_which_document_of_a_file_is_edited_after_an_import_or_a_switch(client):
    """A reload left a keyboard or screen reader user with nothing said of what was now edited."""
    debug = "apiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec:\n  containers: []\n"
    text = f"{DEPLOYMENT}---\n{UNQUOTED_CONFIG}---\n{debug}"
    response = client.post(reverse("builder:import"), {"yaml": text}, follow=True)
    page = response.content.decode()
    assert (
        "Editing document 1 of 3: Deployment shop. The other documents are kept as they are."
        in page
    )
    design = Design.objects.get()
    switched = client.post(
        reverse("builder:document", args=[design.slug]), {"document": "2"}, follow=True
    )
    assert "Editing document 3 of 3: Pod debug." in switched.content.decode()
    single = client.post(reverse("builder:import"), {"yaml": DEPLOYMENT}, follow=True)
    assert "Editing document" not in single.content.decode()


def test_a_design_made_in_the_builder_has_no_document_to_switch_to(client):
    """A switch to its document 0 made it an imported file, whose selector is the author's."""
    response = client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    response = client.post(reverse("builder:document", args=[design.slug]), {"document": "0"})
    page = client.get(response["Location"]).content.decode()
    assert "That document is not a Pod or workload the builder can edit." in page
    design.refresh_from_db()
    assert not design.authored


def test_a_selector_set_for_a_file_without_one_stays_through_other_edits(client):
    """The "Select the Pods by their labels" button's selector stayed only until the next
    keystroke elsewhere: an edit of the replicas took it away again."""
    design = _import(client, DEPLOYMENT.replace("  selector:\n    matchLabels: {app: shop}\n", ""))
    _post(client, design, {"action": "selector"})
    design.refresh_from_db()
    _post(client, design, {"spec.replicas": "4"})
    design.refresh_from_db()
    assert design.manifest["spec"]["replicas"] == 4
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"app": "shop"}}
    assert analyze(design.manifest).errors == []


JOB_WITH_OWN_SELECTOR = """\
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  manualSelector: true
  selector: {matchLabels: {app: pi}}
  template:
    metadata: {labels: {app: pi}}
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: perl}]
"""


def test_a_jobs_manual_selector_is_not_carried_into_a_cronjob(client):
    """The API server refuses manualSelector in a CronJob's Job template, and the selector it
    goes with is not carried: the change of kind says it left manualSelector out (the selector,
    the Pod labels as written, is the one the API server makes anyway)."""
    design = _import(client, JOB_WITH_OWN_SELECTOR)
    html = unescape(_post(client, design, {"action": "kind", "_kind": "CronJob"}).content.decode())
    design.refresh_from_db()
    assert "manualSelector" not in design.manifest["spec"]["jobTemplate"]["spec"]
    assert analyze(design.manifest).errors == []
    assert "manualSelector" in re.search(r"Not kept[^<]*", html).group(0)


def test_a_selector_written_otherwise_than_the_labels_is_named_when_a_kind_drops_it(client):
    """A Job's selector is the API server's: a Deployment's own (here by expression) goes, and
    the status line says so. One that is just the labels comes back from them, unsaid."""
    written = DEPLOYMENT.replace(
        "  selector:\n    matchLabels: {app: shop}\n",
        "  selector:\n    matchExpressions: [{key: app, operator: In, values: [shop]}]\n",
    )
    design = _import(client, written)
    html = unescape(_post(client, design, {"action": "kind", "_kind": "Job"}).content.decode())
    assert re.search(r"Not kept[^<]*\bselector\b", html)
    plain = _import(client, DEPLOYMENT)
    html = unescape(_post(client, plain, {"action": "kind", "_kind": "Job"}).content.decode())
    assert not re.search(r"Not kept[^<]*\bselector\b", html)


CRONJOB_PAUSED = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  suspend: true
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: nightly}}
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
"""


def test_a_cronjobs_paused_schedule_does_not_become_a_suspended_job(client):
    """A CronJob's suspend pauses its schedule; a Job's stops its Pods from starting at all."""
    design = _import(client, CRONJOB_PAUSED)
    html = unescape(_post(client, design, {"action": "kind", "_kind": "Job"}).content.decode())
    design.refresh_from_db()
    assert "suspend" not in design.manifest["spec"]
    assert "suspend" in re.search(r"Not kept[^<]*", html).group(0)
    # And back: a Job's suspend is the Job template's, not the schedule's.
    job = _import(
        client, JOB_WITH_OWN_SELECTOR.replace("  manualSelector: true\n", "  suspend: true\n")
    )
    _post(client, job, {"action": "kind", "_kind": "CronJob"})
    job.refresh_from_db()
    assert "suspend" not in job.manifest["spec"]
    assert job.manifest["spec"]["jobTemplate"]["spec"]["suspend"] is True


def test_an_unsupported_restart_policy_lists_only_the_policies():
    manifest = load_manifest(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        "spec: {restartPolicy: Sometimes, containers: [{name: a, image: b}]}\n"
    )
    messages = [error.message for error in analyze(manifest).errors]
    assert messages == ["must be one of: Always, OnFailure, Never"]
