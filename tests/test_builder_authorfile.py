"""The builder keeps the author's file: an imported manifest comes back (in the preview and the
download) with only the values edited in the form changed; a canonical export is still there."""

import difflib
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from podstudio.builder import files
from podstudio.builder.models import Design
from podstudio.builder.workloads import design_form_data
from podstudio.engine.documents import load_object, read_documents
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import MAX_BYTES, load_manifest

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
SEED = Path(__file__).parent / "manifests" / "seed"

COMMENTED = """\
# DO NOT remove the seccomp profile: the cluster's policy refuses Pods without it.
# Owner: platform team

kind: Pod
apiVersion: v1
metadata:
  labels: {app: "web", tier: 'front'}   # a flow map, quoted values
  name: "web-frontend"  # the Service selects by label, not by this
  namespace: shop
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault   # keep!
    runAsNonRoot: true
  containers:
    # the main container
    - image: "nginx:1.27"
      name: web
      ports:
        - {containerPort: 8080, name: http}
      resources:
        limits:
          memory: "128Mi"   # measured under load
          cpu: '500m'
        requests: {cpu: 250m, memory: 64Mi}
      env:
        - name: MODE
          value: 'production'   # quoted on purpose
  restartPolicy: Always
"""


# The image field and its tag box share a name: builder.js posts both after a change to either.
IMAGE_128 = {"spec.containers[0].image": "nginx", "spec.containers[0].image@tag": "1.28"}


def _import(client: Client, text: str) -> Design:
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _keystroke(client: Client, design: Design, fields: dict) -> None:
    """What builder.js posts after typing in a field: that field (and its parts) and what the
    page shows."""
    url = reverse("builder:preview", args=[design.slug])
    data = {**fields, "_shown_errors": "", "_shown_sections": ""}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert "Podstudio-Not-Saved" not in response


def _download(client: Client, design: Design, **query) -> str:
    response = client.get(reverse("builder:download", args=[design.slug]), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml"
    return response.content.decode()


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(old line, new line) for each line that changed; anything else (a line added, removed
    or moved) fails the test."""
    pairs = []
    matcher = difflib.SequenceMatcher(None, before.splitlines(True), after.splitlines(True))
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        assert tag == "replace" and i2 - i1 == j2 - j1, (tag, before[i1:i2], after[j1:j2])
        old, new = before.splitlines(True)[i1:i2], after.splitlines(True)[j1:j2]
        pairs += list(zip(old, new, strict=True))
    return pairs


def test_three_edits_in_the_form_change_only_those_three_values_in_the_download(client):
    design = _import(client, COMMENTED)
    _keystroke(client, design, IMAGE_128)
    _keystroke(
        client,
        design,
        {
            "spec.containers[0].resources.limits.memory": "256",
            "spec.containers[0].resources.limits.memory@unit": "Mi",
        },
    )
    _keystroke(client, design, {"metadata.labels": "app=web\ntier=back"})
    # Then the whole form as a browser without JavaScript posts it: nothing else may move.
    design.refresh_from_db()
    data = dict(design_form_data(design.manifest))
    response = client.post(reverse("builder:preview", args=[design.slug]), data)
    assert response.status_code == 302

    downloaded = _download(client, design)
    assert _changed_lines(COMMENTED, downloaded) == [
        (
            "  labels: {app: \"web\", tier: 'front'}   # a flow map, quoted values\n",
            "  labels: {app: \"web\", tier: 'back'}   # a flow map, quoted values\n",
        ),
        ('    - image: "nginx:1.27"\n', '    - image: "nginx:1.28"\n'),
        (
            '          memory: "128Mi"   # measured under load\n',
            '          memory: "256Mi"   # measured under load\n',
        ),
    ]
    edited = load_manifest(downloaded)
    assert edited == Design.objects.get(pk=design.pk).manifest


def test_the_preview_shows_the_authors_text_and_says_so(client):
    design = _import(client, COMMENTED)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "DO NOT remove the seccomp profile" in page
    assert "Shown as you imported it, with your edits" in page
    assert 'id="download-link">Download as imported, with my edits</a>' in page
    assert f'href="{reverse("builder:download", args=[design.slug])}?format=canonical"' in page

    url = reverse("builder:preview", args=[design.slug])
    data = {"metadata.namespace": "shop-2", "_shown_errors": "", "_shown_sections": ""}
    answer = client.post(url, data, **HTMX).content.decode()
    assert "DO NOT remove the seccomp profile" in answer  # a keystroke keeps the header
    assert "shop-2" in answer
    assert "measured under load" in answer
    assert "Download as imported, with my edits" in answer


def test_a_no_op_import_and_download_is_byte_identical(client):
    design = _import(client, COMMENTED)
    # The whole form posted back unchanged, as the "Update preview" button does.
    data = dict(design_form_data(design.manifest))
    client.post(reverse("builder:preview", args=[design.slug]), data)
    assert _download(client, design) == COMMENTED


@pytest.mark.parametrize("path", sorted(SEED.glob("*.yaml")), ids=lambda path: path.stem)
def test_each_seed_comes_back_byte_for_byte_after_the_whole_form_is_posted(client, path):
    text = path.read_text()
    design = _import(client, text)
    data = dict(design_form_data(design.manifest))
    client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)
    assert _download(client, design) == text


REGRESSIONS = Path(__file__).parent / "regressions" / "agreement"


@pytest.mark.parametrize(
    "path", sorted(REGRESSIONS.glob("*.yaml")), ids=lambda path: path.stem[:40]
)
def test_an_adversarial_pod_comes_back_byte_for_byte_after_the_whole_form_is_posted(client, path):
    """The Pods that once split the engine from the API server hold the values a form is most
    tempted to tidy (``cpu: 0.5m``, which once came back as 500m; nulls; odd spacing): posted
    back untouched, none of them may change."""
    text = path.read_text()
    response = client.post(reverse("builder:import"), {"yaml": text})
    if response.status_code != 302:
        pytest.skip("not importable (the builder says why)")
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    data = dict(design_form_data(design.manifest))
    client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)
    design.refresh_from_db()
    response = client.get(reverse("builder:download", args=[design.slug]))
    assert response.content.decode() == text


def test_the_canonical_export_is_canonical_yaml(client):
    design = _import(client, COMMENTED)
    _keystroke(client, design, IMAGE_128)
    design.refresh_from_db()
    canonical = _download(client, design, format="canonical")
    assert canonical == dump_manifest(design.manifest)
    assert "#" not in canonical
    assert canonical.startswith("apiVersion: v1\nkind: Pod\n")
    assert "image: nginx:1.28" in canonical


def test_a_design_started_in_the_builder_offers_only_canonical_yaml(client):
    client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get()
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "Download as imported" not in page
    assert "format=canonical" not in page
    assert "Shown as canonical YAML" in page
    _keystroke(client, design, {"metadata.name": "renamed"})
    design.refresh_from_db()
    assert _download(client, design) == dump_manifest(design.manifest)
    assert _download(client, design, format="canonical") == dump_manifest(design.manifest)


SERVICE = "# the Service\napiVersion: v1\nkind: Service\nmetadata: {name: web}  # keep\n"


def test_a_file_of_documents_keeps_its_other_documents_and_switching_keeps_edits(client):
    text = SERVICE + "---\n" + COMMENTED + "---\n" + COMMENTED.replace("web-frontend", "other")
    design = _import(client, text)
    assert design.document == 1
    _keystroke(client, design, IMAGE_128)
    design.refresh_from_db()
    # The preview shows the edited document only, as written.
    shown = files.shown_text(design)
    assert shown.startswith("---\n# DO NOT remove")
    assert '"nginx:1.28"' in shown and "apiVersion: v1\nkind: Service" not in shown

    # Switch to the third document and back: the first edit stays, in the author's text.
    client.post(reverse("builder:document", args=[design.slug]), {"document": "2"})
    design.refresh_from_db()
    assert design.document == 2
    _keystroke(client, design, {"metadata.namespace": "elsewhere"})
    client.post(reverse("builder:document", args=[design.slug]), {"document": "1"})
    design.refresh_from_db()
    downloaded = _download(client, design)
    assert len(_changed_lines(text, downloaded)) == 2
    assert '- image: "nginx:1.28"\n' in downloaded
    assert "namespace: elsewhere\n" in downloaded
    assert downloaded.startswith(SERVICE + "---\n")

    canonical = _download(client, design, format="canonical")
    _, documents = read_documents(canonical)
    assert [document.kind for document in documents] == ["Service", "Pod", "Pod"]
    assert canonical.split("---\n")[0] == dump_manifest(yaml.safe_load(SERVICE))
    assert "#" not in canonical


def test_an_edit_that_would_grow_the_file_past_the_limit_is_not_saved(client):
    # A file just under the limit: a long comment, which the author's text keeps.
    padding = "# " + "x" * 98 + "\n"
    room = MAX_BYTES - len(COMMENTED.encode()) - 20
    text = padding * (room // len(padding)) + COMMENTED
    design = _import(client, text)
    url = reverse("builder:preview", args=[design.slug])
    data = {"metadata.annotations": "note=" + "y" * 200, "_shown_errors": ""}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert "Not saved" in response["Podstudio-Not-Saved"]
    design.refresh_from_db()
    assert "annotations" not in design.manifest["metadata"]
    assert _download(client, design) == text
    # A small edit still fits.
    _keystroke(client, design, {"metadata.namespace": "shop2"})
    assert len(_download(client, design).encode()) <= MAX_BYTES


def test_pasted_text_keeps_unix_line_ends_and_an_uploaded_crlf_file_keeps_its_own(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # What a browser posts from the import box: every line ended by CRLF.
    pasted = _import(client, COMMENTED.replace("\n", "\r\n"))
    assert _download(client, pasted) == COMMENTED

    crlf = COMMENTED.replace("\n", "\r\n")
    upload = SimpleUploadedFile("web.yaml", crlf.encode())
    response = client.post(reverse("builder:import"), {"upload": upload})
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    _keystroke(client, design, IMAGE_128)
    downloaded = _download(client, design)
    assert downloaded == crlf.replace('"nginx:1.27"', '"nginx:1.28"')
    # The preview shows one line per line, not a CR the browser would draw as another.
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    code = page[page.index('<code id="yaml-code">') : page.index("</code></pre>")]
    assert "\r" not in code
    assert code.count('<span class="line">') == COMMENTED.count("\n")


BOM = "\ufeff"  # what some Windows editors write before the first byte of a UTF-8 file
NIGHTLY = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly  # runs at night
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: job
            image: busybox:1.36
"""
NIGHTLY_IMAGE = {
    "spec.jobTemplate.spec.template.spec.containers[0].image": "busybox",
    "spec.jobTemplate.spec.template.spec.containers[0].image@tag": "1.37",
}


@pytest.mark.parametrize("how", ["upload", "paste"])
def test_a_byte_order_mark_is_kept_and_edits_land_where_they_belong(client, how):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if how == "upload":
        upload = SimpleUploadedFile("nightly.yaml", (BOM + NIGHTLY).encode())
        response = client.post(reverse("builder:import"), {"upload": upload})
    else:
        response = client.post(reverse("builder:import"), {"yaml": BOM + NIGHTLY})
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert _download(client, design) == BOM + NIGHTLY  # untouched: the same bytes
    _keystroke(client, design, {"metadata.name": "nightly-report", **NIGHTLY_IMAGE})
    after = _download(client, design)
    assert after.startswith(BOM)
    # The mark counts no character of the document: each value changes in place.
    assert _changed_lines(BOM + NIGHTLY, after) == [
        ("  name: nightly  # runs at night\n", "  name: nightly-report  # runs at night\n"),
        ("            image: busybox:1.36\n", "            image: busybox:1.37\n"),
    ]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_downloads_as_utf16_and_its_canonical_form_as_utf8(client, codec):
    """PowerShell's ``>`` writes UTF-16: the edited file goes back in the encoding it came in,
    so the author's diff shows the edit and nothing else."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    raw = (BOM + NIGHTLY).encode(codec)
    upload = SimpleUploadedFile("nightly.yaml", raw)
    response = client.post(reverse("builder:import"), {"upload": upload})
    design = Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])
    url = reverse("builder:download", args=[design.slug])
    untouched = client.get(url)
    assert untouched["Content-Type"] == "application/yaml; charset=utf-16"
    assert untouched.content == raw
    _keystroke(client, design, {"metadata.name": "nightly-report", **NIGHTLY_IMAGE})
    edited = client.get(url).content
    assert edited.startswith(raw[:2])  # its byte order mark, and so its byte order
    assert _changed_lines(BOM + NIGHTLY, edited.decode(codec)) == [
        ("  name: nightly  # runs at night\n", "  name: nightly-report  # runs at night\n"),
        ("            image: busybox:1.36\n", "            image: busybox:1.37\n"),
    ]
    # Someone else's edit makes a copy of their own, still UTF-16.
    other = Client()
    other.post(reverse("builder:preview", args=[design.slug]), {"metadata.name": "mine"}, **HTMX)
    copy = Design.objects.exclude(pk=design.pk).get()
    copied = other.get(reverse("builder:download", args=[copy.slug])).content
    assert copied.decode(codec).startswith(BOM) and "name: mine" in copied.decode(codec)
    canonical = client.get(url, {"format": "canonical"})
    assert canonical["Content-Type"] == "application/yaml"
    assert "nightly-report" in canonical.content.decode("utf-8")


def test_a_json_file_with_surrogate_pair_escapes_keeps_them_through_an_edit(client):
    text = (
        '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "rocket", '
        '"annotations": {"note": "\\ud83d\\ude80 launch"}}, '
        '"spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}\n'
    )
    design = _import(client, text)
    assert design.manifest["metadata"]["annotations"]["note"] == "\U0001f680 launch"
    _keystroke(client, design, IMAGE_128)
    response = client.get(reverse("builder:download", args=[design.slug]))
    assert response.content.decode() == text.replace("nginx:1.27", "nginx:1.28")


def test_a_colon_before_the_end_of_a_flow_list_is_read_as_kubectl_reads_it(client):
    """``[--bind=::]``: go-yaml keeps the last ':' in the value, libyaml stopped there."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: edge\nspec:\n  containers:\n"
        "  - name: app\n    image: nginx:1.27\n    args: [--bind=::]   # any address\n"
        "    env: [{name: PROXY, value: http:}]\n"
    )
    design = _import(client, text)
    container = design.manifest["spec"]["containers"][0]
    assert container["args"] == ["--bind=::"]
    assert container["env"] == [{"name": "PROXY", "value": "http:"}]
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "--bind=::" in page
    _keystroke(client, design, IMAGE_128)
    assert _download(client, design) == text.replace("nginx:1.27", "nginx:1.28")


@pytest.mark.parametrize("kind", ["Deployment", "CronJob"])
def test_wrapping_keeps_the_pods_comments_beside_a_flow_style_sibling(client, kind):
    """One ``nodeSelector: {disk: ssd}`` beside the containers made the whole template be
    written anew: comments and quotes gone, while the page said they stayed."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        '  - name: app       # the web server\n    image: "nginx:1.25"   # pinned: 1.26 breaks us\n'
        "  nodeSelector: {disk: ssd}\n"
    )
    design = _import(client, text)
    url = reverse("builder:preview", args=[design.slug])
    page = client.post(url, {"action": "kind", "_kind": kind}, **HTMX).content.decode()
    assert "your comments, key order and quoting stay as they were" in page
    downloaded = _download(client, design)
    assert "- name: app       # the web server\n" in downloaded
    assert 'image: "nginx:1.25"   # pinned: 1.26 breaks us\n' in downloaded
    assert "nodeSelector: {disk: ssd}\n" in downloaded
    design.refresh_from_db()
    assert load_object(downloaded) == design.manifest


def test_a_quantity_written_as_a_number_stays_a_number(client):
    """``cpu: 1`` edited to 2 came back as ``cpu: "2"``: a string where the author wrote a
    number (the same to the API server, not to the author's diff)."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        "  - name: app\n    image: nginx:1.27\n    resources:\n      limits:\n        cpu: 1\n"
    )
    design = _import(client, text)
    _keystroke(client, design, {"spec.containers[0].resources.limits.cpu": "2"})
    assert _download(client, design) == text.replace("cpu: 1", "cpu: 2")
    _keystroke(client, design, {"spec.containers[0].resources.limits.cpu": "1.5"})
    assert _download(client, design) == text.replace("cpu: 1", 'cpu: "1.5"')


def test_wrapping_an_imported_pod_keeps_its_header_and_every_value(client):
    design = _import(client, COMMENTED)
    url = reverse("builder:preview", args=[design.slug])
    assert client.post(url, {"action": "kind", "_kind": "Deployment"}, **HTMX).status_code == 200
    design.refresh_from_db()
    assert design.manifest["kind"] == "Deployment"
    downloaded = _download(client, design)
    assert downloaded.startswith("# DO NOT remove the seccomp profile")
    assert load_object(downloaded) == design.manifest
    # And back: the Pod again, as imported.
    client.post(url, {"action": "kind", "_kind": "Pod"}, **HTMX)
    design.refresh_from_db()
    assert _download(client, design) == COMMENTED


# --- edits that once wrote broken or wrong YAML (tests/test_textedit_fills.py has the rest) ----

NO_IMAGE = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image:   # fill me
"""
TWO_CONTAINERS = """\
apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  containers:
  # the main app
  - name: web
    image: nginx:1.25   # pinned
  # the sidecar
  - name: side
    image: busybox   # latest on purpose
"""


def _upload(client: Client, text: str) -> Design:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("pod.yaml", text.encode())
    response = client.post(reverse("builder:import"), {"upload": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _reads_as_the_design(downloaded: str, design: Design) -> None:
    _, documents = read_documents(downloaded)
    assert not documents[0].error, documents[0].error
    assert documents[0].data == Design.objects.get(pk=design.pk).manifest


def test_an_empty_image_filled_in_the_form_gets_a_space_after_its_colon(client):
    design = _import(client, NO_IMAGE)
    _keystroke(
        client,
        design,
        {"spec.containers[0].image": "nginx", "spec.containers[0].image@tag": "1.26"},
    )
    downloaded = _download(client, design)
    assert downloaded == NO_IMAGE.replace("image:   #", "image: nginx:1.26   #")
    _reads_as_the_design(downloaded, design)


def test_moving_a_container_down_takes_its_comments_with_it(client):
    design = _import(client, TWO_CONTAINERS)
    design.refresh_from_db()
    data = dict(design_form_data(design.manifest))
    data["action"] = "down:spec.containers[0]"
    response = client.post(reverse("builder:preview", args=[design.slug]), data, **HTMX)
    assert response.status_code == 200
    downloaded = _download(client, design)
    assert downloaded == (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n"
        "  # the sidecar\n  - name: side\n    image: busybox   # latest on purpose\n"
        "  # the main app\n  - name: web\n    image: nginx:1.25   # pinned\n"
    )
    _reads_as_the_design(downloaded, design)


def test_a_str_tag_goes_when_the_form_makes_the_value_a_number(client):
    text = TWO_CONTAINERS.replace(
        "  containers:", "  terminationGracePeriodSeconds: !!str 30\n  containers:"
    )
    design = _import(client, text)
    assert design.manifest["spec"]["terminationGracePeriodSeconds"] == "30"
    _keystroke(client, design, {"spec.terminationGracePeriodSeconds": "10"})
    assert Design.objects.get(pk=design.pk).manifest["spec"]["terminationGracePeriodSeconds"] == 10
    downloaded = _download(client, design)
    assert downloaded == text.replace("!!str 30", "10")
    _reads_as_the_design(downloaded, design)


def test_an_uploaded_file_of_lone_carriage_returns_keeps_them_on_added_lines(client):
    old_mac = TWO_CONTAINERS.replace("\n", "\r")
    design = _upload(client, old_mac)
    _keystroke(client, design, {"metadata.labels": "app=web"})
    downloaded = _download(client, design)
    assert downloaded == old_mac.replace("  name: a\r", "  name: a\r  labels:\r    app: web\r")
    _reads_as_the_design(downloaded, design)


SHOP = """\
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector: {app: shop}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop   # the same as the Pod labels, as most files write it
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: shop
        image: shop:1.0
"""


def test_a_label_added_to_an_imported_deployment_leaves_its_selector_as_written(client):
    """A running Deployment's selector cannot change: a selector that followed a new label
    would make ``kubectl apply`` of the downloaded file fail with "field is immutable"."""
    design = _import(client, SHOP)
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "app=shop (kept as written: the Pod labels below must include it)" in page
    _keystroke(client, design, {"spec.template.metadata.labels": "app=shop\nversion=1.1"})
    design.refresh_from_db()
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"app": "shop"}}
    downloaded = _download(client, design)
    assert "      app: shop   # the same as the Pod labels, as most files write it\n" in downloaded
    assert downloaded.count("version: '1.1'") + downloaded.count('version: "1.1"') == 1
    service, deployment = yaml.safe_load_all(downloaded)
    assert downloaded.startswith(SHOP.split("---")[0])  # the Service as imported
    assert deployment["spec"]["template"]["metadata"]["labels"] == {"app": "shop", "version": "1.1"}
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": "shop"}}
    # A selected label renamed: the selector stays, and the page says the two no longer match.
    url = reverse("builder:preview", args=[design.slug])
    html = client.post(
        url,
        {"spec.template.metadata.labels": "app=store", "_shown_errors": "", "_shown_sections": ""},
        **HTMX,
    ).content.decode()
    design.refresh_from_db()
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"app": "shop"}}
    assert "spec.template.metadata.labels" in html and "selector" in html


def test_a_deployment_made_in_the_builder_keeps_its_selector_following_the_labels(client):
    client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get()
    url = reverse("builder:preview", args=[design.slug])
    client.post(url, {"action": "kind", "_kind": "Deployment"}, **HTMX)
    _keystroke(client, design, {"spec.template.metadata.labels": "app=made\ntier=web"})
    design.refresh_from_db()
    assert design.manifest["spec"]["selector"] == {"matchLabels": {"app": "made", "tier": "web"}}
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "app=made, tier=web (follows the Pod labels below)" in page


DIRECTIVE = """\
%YAML 1.1
---
# the web server
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27   # pinned
"""


def test_a_yaml_directive_stays_once_in_front_of_its_edited_document(client):
    """``%YAML 1.1`` opens the document after it (the API server reads such a file): an edit
    keeps it once, in front of the document it opens."""
    design = _import(client, DIRECTIVE)
    _keystroke(client, design, IMAGE_128)
    after = _download(client, design)
    assert _changed_lines(DIRECTIVE, after) == [
        ("    image: nginx:1.27   # pinned\n", "    image: nginx:1.28   # pinned\n")
    ]
    assert after.count("%YAML") == 1
    design.refresh_from_db()
    # the canonical download is the builder's own YAML, which needs no directive
    assert load_object(_download(client, design, format="canonical")) == design.manifest


ESCAPED_QUOTE = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations: {note: "it\\'s the web server"}   # kubectl reads \\' as '
spec:
  containers:
  - name: web
    image: nginx:1.27   # pinned
"""


def test_a_file_with_a_backslash_quote_in_double_quotes_is_edited_in_place(client):
    """go-yaml (so kubectl and the API server) reads ``"it\\'s"`` as ``it's``; the builder reads
    it so too, and an edit elsewhere leaves that line, and its comment, as written."""
    design = _import(client, ESCAPED_QUOTE)
    assert design.manifest["metadata"]["annotations"] == {"note": "it's the web server"}
    _keystroke(client, design, IMAGE_128)
    assert _changed_lines(ESCAPED_QUOTE, _download(client, design)) == [
        ("    image: nginx:1.27   # pinned\n", "    image: nginx:1.28   # pinned\n")
    ]
    _keystroke(client, design, {"metadata.annotations": "note=it's the proxy"})
    after = _download(client, design)
    assert "# kubectl reads" in after and "nginx:1.28   # pinned" in after
    assert load_object(after)["metadata"]["annotations"] == {"note": "it's the proxy"}


KEEP_CHOMPED = """\
apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  containers:
  - name: w
    image: nginx:1
    env:
    - name: A
      value: |+
        keep
    - name: B
      value: b

  restartPolicy: Always
"""


@pytest.mark.parametrize(
    "action", ["remove:spec.containers[0].env[1]", "down:spec.containers[0].env[0]"]
)
def test_a_kept_line_break_block_stays_as_it_was_when_a_list_around_it_changes(client, action):
    """A |+ block keeps the blank lines after it: once the entry after it is removed (or it
    moves last), the author's blank line would become its text. The value stays "keep\\n"."""
    design = _import(client, KEEP_CHOMPED)
    data = urlencode([*design_form_data(design.manifest), ("action", action)])
    url = reverse("builder:preview", args=[design.slug])
    response = client.post(url, data, content_type="application/x-www-form-urlencoded", **HTMX)
    assert response.status_code == 200
    design.refresh_from_db()
    downloaded = load_object(_download(client, design))
    assert downloaded == design.manifest
    values = [
        var["value"] for var in downloaded["spec"]["containers"][0]["env"] if var["name"] == "A"
    ]
    assert values == ["keep\n"]
