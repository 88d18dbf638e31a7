"""A form that keeps the author's place: Add, Remove and Move redraw only their list, say where
focus goes, Remove can be undone, typed values are read with a note; with htmx and without."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from podstudio.builder import place
from podstudio.builder.edit import form_data
from podstudio.builder.models import Design
from podstudio.builder.workloads import design_form_data

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "manifests" / "seed"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _import(client: Client, name: str = "", text: str = "") -> Design:
    text = text or (SEED / f"{name}.yaml").read_text()
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 302
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _post(client: Client, design: Design, changes: dict, htmx: bool = True):
    design.refresh_from_db()
    data = dict(design_form_data(design.manifest))
    data.update(changes)
    url = reverse("builder:preview", args=[design.slug])
    return client.post(url, data, **(HTMX if htmx else {}))


def _place(response) -> dict:
    return json.loads(response["HX-Trigger-After-Settle"])["builder:place"]


def _oob_ids(content: str) -> list[str]:
    return re.findall(r'<[a-z]+ [^>]*id="([^"]+)"[^>]*hx-swap-oob="true"', content)


def _status(content: str) -> str:
    match = re.search(r'<div id="form-status"[^>]*>(.*?)</div>', content, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def _page(client: Client, location: str) -> str:
    return client.get(location.partition("#")[0]).content.decode()


# --- Add, Remove, Move: only their list -------------------------------------------------------


def test_add_container_answers_with_the_containers_region_and_the_preview_only(client):
    design = _import(client, "nginx-pod")
    response = _post(client, design, {"action": "add:spec.containers"})
    content = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"  # every part is out of band
    assert "HX-Retarget" not in response
    oob = _oob_ids(content)
    assert "sec-f-spec-containers" in oob and "pv-yaml" in oob
    assert "sec-f-metadata" not in oob and "sec-f-spec-volumes" not in oob
    assert 'name="metadata.name"' not in content  # the rest of the form is left alone
    assert 'name="spec.containers[1].name" value="app-1"' in content
    assert _place(response) == {"focus": "f-spec-containers_1", "list": "f-spec-containers"}
    assert _status(content) == "Added container app-1."


def test_add_port_redraws_the_ports_of_that_container_open(client):
    design = _import(client, "web-with-logging")
    response = _post(client, design, {"action": "add:spec.containers[1].ports"})
    content = response.content.decode()
    oob = _oob_ids(content)
    assert "sub-f-spec-containers_1-ports" in oob
    assert "sec-f-spec-containers" not in oob
    region = re.search(r'<details class="sub" id="sub-f-spec-containers_1-ports"[^>]*>', content)
    assert " open" in region.group(0)
    assert _place(response)["focus"] == "f-spec-containers_1-ports_0"
    design.refresh_from_db()
    assert design.manifest["spec"]["containers"][1]["ports"] == [{"containerPort": 8080}]


@pytest.mark.parametrize(
    ("index", "focus"),
    [(0, "f-spec-containers_0"), (1, "f-spec-containers_1"), (2, "f-spec-containers_1")],
)
def test_remove_focuses_the_next_entry_or_else_the_previous(client, index, focus):
    design = _import(client, "web-with-logging")
    _post(client, design, {"action": "add:spec.containers"})  # three containers
    response = _post(client, design, {"action": f"remove:spec.containers[{index}]"})
    assert _place(response) == {"focus": focus, "list": "f-spec-containers", "removed": index}
    design.refresh_from_db()
    assert len(design.manifest["spec"]["containers"]) == 2


def test_removing_the_last_entry_focuses_the_add_button(client):
    design = _import(client, "nginx-pod")
    response = _post(client, design, {"action": "remove:spec.containers[0].ports[0]"})
    content = response.content.decode()
    assert _place(response)["focus"] == "add-f-spec-containers_0-ports"
    assert 'id="add-f-spec-containers_0-ports"' in content  # the button is in the new region
    assert "Removed port http." in _status(content) and 'value="undo"' in content


def test_move_says_how_entries_were_renumbered(client):
    design = _import(client, "web-with-logging")
    response = _post(client, design, {"action": "down:spec.containers[0]"})
    assert _place(response) == {
        "focus": "f-spec-containers_1",
        "list": "f-spec-containers",
        "moved": [0, 1],
    }
    assert _status(response.content.decode()) == "Moved container web-app down."


def test_without_javascript_an_action_redirects_to_the_place(client):
    design = _import(client, "nginx-pod")
    response = _post(client, design, {"action": "add:spec.containers"}, htmx=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("builder:design", args=[design.slug]) + (
        "#f-spec-containers_1"
    )
    page = _page(client, response["Location"])
    assert 'id="f-spec-containers_1"' in page
    assert "Added container app-1." in page
    assert "Added container app-1." not in _page(client, response["Location"])  # said once


def test_a_workload_redraws_its_template_list(client):
    design = _import(client, "nginx-pod")
    _post(client, design, {"_kind": "Deployment", "action": "kind"})
    response = _post(client, design, {"action": "add:spec.template.spec.containers"})
    assert "sec-f-spec-template-spec-containers" in _oob_ids(response.content.decode())
    assert _place(response)["focus"] == "f-spec-template-spec-containers_1"


# --- Undo ---------------------------------------------------------------------------------------


def test_undo_puts_the_removed_container_back_exactly(client):
    design = _import(client, "web-with-logging")
    before = Design.objects.get(pk=design.pk)
    download = client.get(reverse("builder:download", args=[design.slug])).content
    response = _post(client, design, {"action": "remove:spec.containers[0]"})
    design.refresh_from_db()
    assert [c["name"] for c in design.manifest["spec"]["containers"]] == ["log-shipper"]
    assert "Removed container web-app." in _status(response.content.decode())

    response = _post(client, design, {"action": "undo"})
    assert _place(response) == {"focus": "f-spec-containers_0", "list": "f-spec-containers"} | {
        "inserted": 0
    }
    assert _status(response.content.decode()) == "Restored container web-app."
    design.refresh_from_db()
    assert json.dumps(design.manifest) == json.dumps(before.manifest)  # keys in the same order
    assert client.get(reverse("builder:download", args=[design.slug])).content == download


def test_undo_puts_an_emptied_list_back_where_its_key_stood(client):
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n"
        "    image: nginx:1.27\n    env:\n    - name: A\n      value: x\n"
        "    resources:\n      limits:\n        memory: 64Mi\n"
    )
    design = _import(client, text=text)
    before = json.dumps(Design.objects.get(pk=design.pk).manifest)
    _post(client, design, {"action": "remove:spec.containers[0].env[0]"})
    design.refresh_from_db()
    assert "env" not in design.manifest["spec"]["containers"][0]
    _post(client, design, {"action": "undo"})
    design.refresh_from_db()
    assert json.dumps(design.manifest) == before


def test_undo_without_javascript(client):
    design = _import(client, "web-with-logging")
    before = json.dumps(Design.objects.get(pk=design.pk).manifest)
    response = _post(client, design, {"action": "remove:spec.containers[1].env[0]"}, htmx=False)
    assert response["Location"].endswith("#add-f-spec-containers_1-env")
    page = _page(client, response["Location"])
    assert "Removed variable FLUENT_ELASTICSEARCH_HOST." in page
    assert '<button type="submit" name="action" value="undo"' in page
    response = _post(client, design, {"action": "undo"}, htmx=False)
    assert response["Location"].endswith("#f-spec-containers_1-env_0")
    design.refresh_from_db()
    assert json.dumps(design.manifest) == before
    page = _page(client, response["Location"])
    assert "Restored variable FLUENT_ELASTICSEARCH_HOST." in page
    assert 'value="undo"' not in page


def test_another_list_change_ends_the_undo(client):
    design = _import(client, "web-with-logging")
    _post(client, design, {"action": "remove:spec.containers[1].env[0]"})
    _post(client, design, {"action": "up:spec.containers[1]"})  # the env's container moved
    response = _post(client, design, {"action": "undo"})
    assert "Nothing to undo" in _status(response.content.decode())
    design.refresh_from_db()
    assert "env" not in design.manifest["spec"]["containers"][0]


def test_switching_to_another_document_ends_the_undo(client):
    """Undo after a switch put the entry removed from the first Pod into the second."""
    first = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: first\nspec:\n  containers:\n"
        "  - name: app\n    image: nginx\n  - name: debug-shell\n    image: busybox\n"
    )
    second = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: second\nspec:\n  containers:\n"
        "  - name: web\n    image: httpd\n"
    )
    design = _import(client, text=first + "---\n" + second)
    _post(client, design, {"action": "remove:spec.containers[1]"})
    client.post(reverse("builder:document", args=[design.slug]), {"document": "1"})
    page = _page(client, reverse("builder:design", args=[design.slug]))
    assert 'value="undo"' not in page
    response = _post(client, design, {"action": "undo"})
    assert "Nothing to undo" in _status(response.content.decode())
    download = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert download == first.replace("  - name: debug-shell\n    image: busybox\n", "") + (
        "---\n" + second
    )


def test_undo_belongs_to_the_session_that_removed(client):
    design = _import(client, "web-with-logging")
    _post(client, design, {"action": "remove:spec.containers[0]"})
    other = Client()
    _post(other, design, {"action": "undo"})  # makes its own copy, with nothing restored
    copy = Design.objects.exclude(pk=design.pk).get()
    assert [c["name"] for c in copy.manifest["spec"]["containers"]] == ["log-shipper"]


def test_restore_refuses_a_place_that_is_gone():
    record = {"path": "spec.containers[3].ports", "index": 0, "item": {"containerPort": 80}}
    manifest = {"spec": {"containers": [{"name": "a"}]}}
    assert place.restore(manifest, record) is None
    record = {"path": "spec.containers", "index": 5, "item": {"name": "b"}}
    assert place.restore(manifest, record) is None


# --- values people type -----------------------------------------------------------------------


def _note(content: str, field: str) -> str:
    slot = rf'<p id="note-{re.escape(field)}" hx-swap-oob="innerHTML">(.*?)</p>'
    match = re.search(slot, content)
    return match.group(1) if match else ""


def test_an_image_typed_with_its_tag_keeps_that_tag_with_a_note(client):
    design = _import(client, "nginx-pod")
    response = _post(
        client,
        design,
        {"spec.containers[0].image": "redis:7.2", "spec.containers[0].image@tag": "1.21"},
    )
    design.refresh_from_db()
    assert design.manifest["spec"]["containers"][0]["image"] == "redis:7.2"
    note = _note(response.content.decode(), "f-spec-containers_0-image")
    assert "7.2" in note and "1.21" in note
    # The boxes split as the page shows them: the note goes away.
    response = _post(
        client, design, {"spec.containers[0].image": "redis", "spec.containers[0].image@tag": "7.2"}
    )
    assert 'id="note-f-spec-containers_0-image" hx-swap-oob="innerHTML"></p>' in (
        response.content.decode()
    )


def test_half_a_cpu_typed_with_millicores_is_half_a_cpu(client):
    design = _import(client, "nginx-pod")
    name = "spec.containers[0].resources.requests.cpu"
    response = _post(client, design, {name: "0.5", f"{name}@unit": "m"})
    design.refresh_from_db()
    assert design.manifest["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "500m"
    assert "500m" in _note(response.content.decode(), "f-spec-containers_0-resources-requests-cpu")


def test_a_fraction_of_a_millicore_is_kept_with_a_note(client):
    design = _import(client, "nginx-pod")
    name = "spec.containers[0].resources.limits.cpu"
    response = _post(client, design, {name: "250.5", f"{name}@unit": "m"})
    design.refresh_from_db()
    assert design.manifest["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "250.5m"
    assert "whole number" in _note(
        response.content.decode(), "f-spec-containers_0-resources-limits-cpu"
    )


def test_labels_typed_the_yaml_way_are_read_as_key_value(client):
    design = _import(client, "nginx-pod")
    response = _post(client, design, {"metadata.labels": "app: web\ntier: 'front'\nteam=a"})
    design.refresh_from_db()
    assert design.manifest["metadata"]["labels"] == {"app": "web", "tier": "front", "team": "a"}
    note = _note(response.content.decode(), "f-metadata-labels")
    assert "“app: web” as app=web" in note and "as tier=front" in note


def test_notes_show_at_the_field_without_javascript(client):
    design = _import(client, "nginx-pod")
    response = _post(client, design, {"metadata.labels": "app: web"}, htmx=False)
    page = _page(client, response["Location"])
    note = re.search(r'<p class="field-note" id="note-f-metadata-labels"[^>]*>(.*?)</p>', page)
    assert "“app: web” as app=web" in note.group(1)
    assert 'id="f-metadata-labels"' in page and "app=web</textarea>" in page


def test_a_mount_added_before_any_volume_brings_its_volume(client):
    design = _import(client, "nginx-pod")
    response = _post(client, design, {"action": "add:spec.containers[0].volumeMounts"})
    content = response.content.decode()
    design.refresh_from_db()
    spec = design.manifest["spec"]
    mount = spec["containers"][0]["volumeMounts"][0]
    assert spec["volumes"] == [{"name": mount["name"], "emptyDir": {}}]
    oob = _oob_ids(content)
    assert "sub-f-spec-containers_0-volumeMounts" in oob and "sec-f-spec-volumes" in oob
    assert "volume" in _status(content)
    note = re.search(r'id="note-f-spec-containers_0-volumeMounts_0-name"[^>]*>(.*?)</p>', content)
    assert "empty one named data" in note.group(1)
    assert "problem" not in re.search(r'id="status-valid">([^<]*)<', content).group(1)


def test_adding_a_volume_updates_the_mount_selects(client):
    design = _import(client, "web-with-logging")
    response = _post(client, design, {"action": "add:spec.volumes"})
    content = response.content.decode()
    select = re.search(
        r'<div hx-swap-oob="innerHTML:#f-spec-containers_0-volumeMounts_0-name">(.*?)</div>',
        content,
    )
    assert select and 'value="volume-1"' in select.group(1)
    assert 'value="logs" selected' in select.group(1)


# --- titles that follow names -------------------------------------------------------------------


def test_entry_titles_name_the_input_they_follow(client):
    design = _import(client, "web-with-logging")
    page = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert (
        '<legend data-name-from="f-spec-containers_1-name" data-base-title="Container 2">'
        "Container 2: log-shipper</legend>"
    ) in page
    assert '<legend data-name-from="f-spec-volumes_0-name" data-base-title="Volume 1">' in page
    assert 'aria-label="Remove Container 2: log-shipper" data-label="Remove {}"' in page


def test_form_data_posts_back_unchanged_with_the_notes_code(client):
    """Reading typed values never changes a value the form only shows."""
    for path in sorted(SEED.glob("*.yaml")):
        design = _import(client, text=path.read_text())
        before = json.dumps(design.manifest)
        data = dict(form_data(design.manifest))
        url = reverse("builder:preview", args=[design.slug])
        assert client.post(url, data, **HTMX).status_code == 200
        design.refresh_from_db()
        assert json.dumps(design.manifest) == before, path.name


@pytest.mark.parametrize(
    ("amount", "unit", "stored", "noted"),
    [
        ("0.5", "m", "500m", "0.5 CPU = 500m"),
        ("1.25", "m", "1250m", "= 1250m"),
        ("250", "m", "250m", ""),
        ("0.5", "", "0.5", ""),
        ("500", "", "500", "millicores"),
        ("2", "", "2", ""),
        ("300m", "", "300m", ""),  # typed with its unit: the select is not used
        # more digits than Python turns into an int (found by the junk-edit fuzz test): a note
        ("9" * 5000, "", "9" * 5000, "millicores"),
        ("0" * 4400 + "2", "", "0" * 4400 + "2", ""),
    ],
)
def test_cpu_amounts_are_read_as_meant(amount, unit, stored, noted):
    from podstudio.builder.edit import read_quantity

    text, note = read_quantity("spec.containers[0].resources.requests.cpu", amount, unit)
    assert text == stored
    assert (noted in note) if noted else note == ""


def test_memory_is_not_read_as_cpu():
    from podstudio.builder.edit import read_quantity

    assert read_quantity("spec.containers[0].resources.limits.memory", "0.5", "Gi") == (
        "0.5Gi",
        "",
    )


@pytest.mark.parametrize(
    ("repo", "tag", "image", "noted"),
    [
        ("redis", "7.2", "redis:7.2", False),
        ("redis:7.2", "", "redis:7.2", False),
        ("redis:7.2", "7.2", "redis:7.2", False),
        ("redis:7.2", "1.27", "redis:7.2", True),
        ("registry.local:5000/app", "1.0", "registry.local:5000/app:1.0", False),
        ("redis@sha256:" + "a" * 64, "7.2", "redis@sha256:" + "a" * 64, True),
    ],
)
def test_image_and_tag_boxes_are_read_as_meant(repo, tag, image, noted):
    from podstudio.builder.edit import read_image

    text, note = read_image(repo, tag)
    assert text == image
    assert bool(note) == noted


@pytest.mark.parametrize(
    ("list_path", "region", "focus"),
    [
        ("spec.initContainers", "sec-f-spec-initContainers", "f-spec-initContainers_0"),
        ("spec.volumes", "sec-f-spec-volumes", "f-spec-volumes_0"),
        ("spec.containers[0].env", "sub-f-spec-containers_0-env", "f-spec-containers_0-env_0"),
        ("spec.tolerations", "sub-f-spec-tolerations", "f-spec-tolerations_0"),
        ("spec.imagePullSecrets", "sub-f-spec-imagePullSecrets", "f-spec-imagePullSecrets_0"),
    ],
)
def test_every_list_redraws_only_itself(client, list_path, region, focus):
    design = _import(client, "nginx-pod")
    response = _post(client, design, {"action": f"add:{list_path}"})
    oob = _oob_ids(response.content.decode())
    assert region in oob
    assert not [name for name in oob if name.startswith(("sec-", "sub-")) and name != region]
    assert _place(response)["focus"] == focus
    response = _post(client, design, {"action": f"remove:{list_path}[0]"})
    assert _place(response)["focus"] == "add-" + region[4:]


def test_a_renamed_container_moves_with_its_own_comments_and_quoting(client):
    """Renamed, then moved: the items were rewritten by position, so the comments and quotes
    stayed where they were and described the other container."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        '  # serves the site\n  - name: app      # main\n    image: "nginx:1.25"\n'
        "  # ships the logs\n  - name: logs\n    image: fluent-bit:3.0   # sidecar\n"
    )
    design = _import(client, text=text)
    _post(client, design, {"spec.containers[0].name": "web"})
    _post(client, design, {"action": "down:spec.containers[0]"})
    download = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert download == (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "  # ships the logs\n  - name: logs\n    image: fluent-bit:3.0   # sidecar\n"
        '  # serves the site\n  - name: web      # main\n    image: "nginx:1.25"\n'
    )


def test_an_added_container_goes_below_the_last_ones_own_comment(client):
    """The comment under the last container of a file was left below the new one: it named
    the wrong container."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        "  - name: c\n    image: busybox\n    # TODO: add a readiness probe to c\n"
    )
    design = _import(client, text=text)
    _post(client, design, {"action": "add:spec.containers"})
    download = client.get(reverse("builder:download", args=[design.slug])).content.decode()
    assert download.startswith(text + "  - name: app-1\n")


def test_a_mount_removed_takes_the_volume_its_add_made_and_undo_brings_both_back(client):
    """Add and then Remove gave the design back with an emptyDir volume it never had."""
    design = _import(client, "nginx-pod")
    download = client.get(reverse("builder:download", args=[design.slug])).content
    _post(client, design, {"action": "add:spec.containers[0].volumeMounts"})
    response = _post(client, design, {"action": "remove:spec.containers[0].volumeMounts[0]"})
    content = response.content.decode()
    design.refresh_from_db()
    assert "volumes" not in design.manifest["spec"]
    assert "sec-f-spec-volumes" in _oob_ids(content)  # the Volumes section is drawn anew
    assert _status(content).startswith("Removed mount /data, and the empty volume data made")
    assert client.get(reverse("builder:download", args=[design.slug])).content == download
    response = _post(client, design, {"action": "undo"})
    assert "sec-f-spec-volumes" in _oob_ids(response.content.decode())
    design.refresh_from_db()
    spec = design.manifest["spec"]
    assert spec["containers"][0]["volumeMounts"] == [{"name": "data", "mountPath": "/data"}]
    assert spec["volumes"] == [{"name": "data", "emptyDir": {}}]


@pytest.mark.parametrize(
    "change",
    [
        {"spec.volumes[0].name": "cache", "spec.containers[0].volumeMounts[0].name": "cache"},
        {"action": "add:spec.volumes"},
    ],
    ids=["renamed by the author", "a second volume"],
)
def test_a_volume_the_author_took_on_stays_when_its_mount_goes(client, change):
    design = _import(client, "nginx-pod")
    _post(client, design, {"action": "add:spec.containers[0].volumeMounts"})
    _post(client, design, change)
    _post(client, design, {"action": "remove:spec.containers[0].volumeMounts[0]"})
    design.refresh_from_db()
    assert design.manifest["spec"]["volumes"]


def test_a_volume_of_the_authors_file_stays_when_the_mount_added_on_it_goes(client):
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "  - name: web\n    image: nginx:1.27\n  volumes:\n  - name: data\n    emptyDir: {}\n"
    )
    design = _import(client, text=text)
    _post(client, design, {"action": "add:spec.containers[0].volumeMounts"})
    _post(client, design, {"action": "remove:spec.containers[0].volumeMounts[0]"})
    assert client.get(reverse("builder:download", args=[design.slug])).content.decode() == text


@pytest.mark.parametrize(
    ("odd", "action", "added"),
    [
        ("- name: [web]\n    image: nginx", "add:spec.containers", "app-1"),
        ("- name: [web]\n    image: nginx", "add:spec.initContainers", "init-1"),
        (
            "- name: web\n    image: nginx\n    ports:\n    - containerPort: {a: 1}",
            "add:spec.containers[0].ports",
            8080,
        ),
        (
            "- name: web\n    image: nginx\n  volumes:\n  - name: {x: 1}\n    emptyDir: {}",
            "add:spec.volumes",
            "volume-1",
        ),
    ],
    ids=["container name a list", "init beside it", "port a mapping", "volume name a mapping"],
)
def test_add_beside_a_name_or_port_that_is_no_scalar_adds_the_entry(client, odd, action, added):
    """Such a file is imported (its errors shown at their fields): Add answered 500."""
    text = f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  {odd}\n"
    design = _import(client, text=text)
    url = reverse("builder:preview", args=[design.slug])
    response = client.post(url, {"action": action}, **HTMX)
    assert response.status_code == 200
    design.refresh_from_db()
    spec = design.manifest["spec"]
    if action.endswith("ports"):
        assert spec["containers"][0]["ports"][-1] == {"containerPort": added}
    else:
        assert spec[action.split(".")[1]][-1]["name"] == added


def test_undo_of_a_mount_whose_volume_is_missing_adds_no_volume(client):
    """Undo put back the mount and made a volume the design never had (``cache``, or one
    named ``null`` for a mount written ``1``)."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "  - name: web\n    image: nginx:1.27\n    volumeMounts:\n    - name: cache\n"
        "      mountPath: /cache\n"
    )
    design = _import(client, text=text)
    _post(client, design, {"action": "remove:spec.containers[0].volumeMounts[0]"})
    _post(client, design, {"action": "undo"})
    assert client.get(reverse("builder:download", args=[design.slug])).content.decode() == text


@pytest.mark.parametrize("written", ["  volumes: []\n", "  volumes:\n"])
def test_a_mount_added_and_removed_gives_back_volumes_written_empty(client, written):
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        f"  - name: web\n    image: nginx:1.27\n{written}"
    )
    design = _import(client, text=text)
    _post(client, design, {"action": "add:spec.containers[0].volumeMounts"})
    _post(client, design, {"action": "remove:spec.containers[0].volumeMounts[0]"})
    assert client.get(reverse("builder:download", args=[design.slug])).content.decode() == text
    _post(client, design, {"action": "undo"})
    design.refresh_from_db()
    assert design.manifest["spec"]["volumes"] == [{"name": "data", "emptyDir": {}}]


def test_undo_brings_back_the_last_node_rule_group_and_the_maps_around_it(client):
    """Its Remove takes the emptied affinity maps too (the API server refuses them empty), and
    Undo, offered, answered "Nothing to undo"."""
    design = _import(client, "nginx-pod")
    terms = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
    _post(client, design, {"action": f"add:{terms}.nodeSelectorTerms"})
    design.refresh_from_db()
    added = json.dumps(design.manifest)
    response = _post(client, design, {"action": f"remove:{terms}.nodeSelectorTerms[0]"})
    assert "Removed node rule group 1." in _status(response.content.decode())
    design.refresh_from_db()
    assert "affinity" not in design.manifest["spec"]
    response = _post(client, design, {"action": "undo"})
    assert _status(response.content.decode()) == "Restored node rule group 1."
    design.refresh_from_db()
    assert json.dumps(design.manifest) == added
