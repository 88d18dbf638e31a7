"""The builder's views: happy paths, wrong methods, bad input, htmx partials, CSRF."""

import html
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from podstudio.builder.edit import form_data
from podstudio.builder.models import Design
from podstudio.engine.yamlio import load_manifest
from tests.conftest import base_in, builder_page_base
from tests.content_files import EXAMPLES

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "manifests" / "seed"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _import(client: Client, name: str) -> Design:
    response = client.post(reverse("builder:import"), {"yaml": (SEED / f"{name}.yaml").read_text()})
    assert response.status_code == 302
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _post_form(client: Client, design: Design, changes: dict, htmx: bool = True, **extra):
    data = dict(form_data(design.manifest))
    data.update(changes)
    url = reverse("builder:preview", args=[design.slug])
    return client.post(url, data, **(HTMX if htmx else {}), **extra)


def test_it_shows_the_start_page_with_the_gallery(client):
    response = client.get(reverse("builder:new"))
    assert response.status_code == 200
    assert b"Simple web server" in response.content
    assert b"Database with a persistent volume" in response.content


def test_start_page_refuses_post(client):
    assert client.post(reverse("builder:new")).status_code == 405


def test_it_creates_a_blank_design_and_redirects_to_its_permalink(client):
    response = client.post(reverse("builder:start"), {"blank": "1"})
    design = Design.objects.get()
    assert response["Location"] == reverse("builder:design", args=[design.slug])
    assert design.manifest["kind"] == "Pod"


def test_it_creates_a_design_from_a_gallery_pattern(client):
    client.post(reverse("builder:start"), {"gallery": "database"})
    assert Design.objects.get().manifest["metadata"]["name"] == "postgres"


def test_unknown_gallery_pattern_is_404(client):
    assert client.post(reverse("builder:start"), {"gallery": "nope"}).status_code == 404


@pytest.mark.parametrize("name", ["../settings", "Hello", "no-such-example", "a/b", ""])
def test_example_names_are_validated_strictly(client, name):
    response = client.get(reverse("builder:start"), {"example": name})
    assert response.status_code == 404
    assert not Design.objects.exists()


def test_it_starts_from_a_lesson_example(client):
    example = EXAMPLES[0]
    response = client.get(reverse("builder:start"), {"example": example.stem})
    assert response.status_code == 302
    assert Design.objects.get().manifest == load_manifest(example.read_text())


def test_unknown_exercise_is_404(client):
    assert client.get(reverse("builder:start"), {"exercise": "no-such-exercise"}).status_code == 404


def test_exercise_design_shows_its_goals(client):
    exercises = pytest.importorskip("lessons.exercises")
    slug = sorted(exercises.EXERCISES)[0]
    response = client.get(reverse("builder:start"), {"exercise": slug}, follow=True)
    design = Design.objects.get()
    assert design.exercise == slug
    assert b"Exercise goals" in response.content
    goals = exercises.check_exercise(slug, design.manifest)
    assert response.content.count(b'class="goal ') == len(goals)


def test_start_without_parameters_goes_back_to_the_start_page(client):
    assert client.get(reverse("builder:start"))["Location"] == reverse("builder:new")


def test_import_keeps_the_text_and_explains_unreadable_input(client):
    response = client.post(reverse("builder:import"), {"yaml": "kind: Service\nmetadata: {}"})
    assert response.status_code == 400
    assert b"there is no Pod or workload to edit here (found Service)" in response.content
    assert b"kind: Service" in response.content
    assert b'aria-invalid="true"' in response.content
    assert not Design.objects.exists()


def test_import_escapes_the_users_text(client):
    response = client.post(reverse("builder:import"), {"yaml": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert b"<script>alert(1)</script>" not in response.content


def test_import_accepts_an_upload(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("nginx.yaml", (SEED / "nginx-pod.yaml").read_bytes())
    response = client.post(reverse("builder:import"), {"upload": upload})
    assert response.status_code == 302
    assert Design.objects.get().manifest == load_manifest((SEED / "nginx-pod.yaml").read_text())


def test_a_refused_upload_sent_with_pasted_text_is_said_at_the_file_input(client):
    """The file is what is read when both are sent: its refusal names it, at the file input,
    and the pasted text stays in the box as it was."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pasted = (SEED / "nginx-pod.yaml").read_text()
    upload = SimpleUploadedFile("diagram.png", b"\x00\x01binary")
    response = client.post(reverse("builder:import"), {"yaml": pasted, "upload": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cannot import diagram.png: the input is binary" in page
    assert "press Import to import the text" in page
    assert "Cannot import this" not in page
    assert html.escape(pasted, quote=False) in page
    # As the page says: sent again without the file, the pasted text is imported.
    assert client.post(reverse("builder:import"), {"yaml": pasted}).status_code == 302


def test_import_refuses_get(client):
    assert client.get(reverse("builder:import")).status_code == 405


def test_design_page_renders_form_and_preview(client):
    design = _import(client, "my-app-pod")
    response = client.get(reverse("builder:design", args=[design.slug]))
    content = response.content.decode()
    assert 'name="spec.containers[0].resources.limits.cpu"' in content
    assert "QoS Burstable" in content
    assert "<svg" in content and 'role="img"' in content
    assert "kubectl apply -f my-app-pod.yaml" in content


def test_unknown_design_is_404(client):
    assert client.get(reverse("builder:design", args=["nothere"])).status_code == 404


def test_htmx_preview_saves_and_returns_partials(client):
    design = _import(client, "nginx-pod")
    response = _post_form(client, design, {"metadata.name": "renamed"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert "name: renamed" in re.sub(r"<[^>]+>", "", content)
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "renamed"


def test_a_keystroke_costs_one_read_and_one_write(client, django_assert_num_queries):
    """A keystroke reads the design and the session (who is typing) in one query, and writes
    the design."""
    design = _import(client, "nginx-pod")
    before = Design.objects.get(pk=design.pk).updated
    with django_assert_num_queries(2):
        response = _post_form(client, design, {"metadata.name": "typed"})
    assert response.status_code == 200
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "typed"
    assert design.updated > before
    with django_assert_num_queries(1):  # nothing changed: nothing to write
        _post_form(client, design, {})


PAGE = "0a1b2c3d4e5f6a7b"


def test_an_older_keystroke_is_not_saved_over_a_newer_one(client):
    """The browser replaces a keystroke's request with the next one's, but the server may still
    run the first after the second: what it would save is older and is not saved."""
    design = _import(client, "nginx-pod")
    newer = _post_form(client, design, {"metadata.name": "newer", "_edit": f"{PAGE}:2"})
    assert newer.status_code == 200
    older = _post_form(client, design, {"metadata.name": "older", "_edit": f"{PAGE}:1"})
    assert older.status_code == 204
    assert older["Podstudio-Stale"] == "1"
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "newer"
    assert (design.edit_page, design.edit_seq) == (PAGE, 2)
    # the same number again is no newer either
    assert (
        _post_form(client, design, {"metadata.name": "x", "_edit": f"{PAGE}:2"}).status_code == 204
    )
    # the next edit of the page, another page (a second tab), a garbled mark and none are saved
    for name, mark in [
        ("next", f"{PAGE}:3"),
        ("tab", "ffffffffffffffff:1"),
        ("odd", "z:9"),
        ("plain", None),
    ]:
        changes = {"metadata.name": name} | ({"_edit": mark} if mark else {})
        assert _post_form(client, design, changes).status_code == 200
        design.refresh_from_db()
        assert design.manifest["metadata"]["name"] == name


OTHER_PAGE = "ffffffffffffffff"


def test_an_edit_made_on_a_form_older_than_the_design_is_not_saved_over_it(client):
    """Two tabs on one design: the second tab's form was drawn before the first tab's edit, so
    what it posts (here its whole form, as its Add buttons do) would undo that edit. Nothing is
    saved; the builder is drawn again with the newer version and says why."""
    design = _import(client, "nginx-pod")
    stale_base = builder_page_base(client, design.slug)  # tab B opens
    first = _post_form(  # tab A, opened at the same time, types a new image
        client, design, {"spec.containers[0].image": "nginx:1.27", "_edit": f"{PAGE}:1"}
    )
    assert first.status_code == 200
    response = _post_form(
        client,
        design,
        {"metadata.name": "from-tab-b", "_edit": f"{OTHER_PAGE}:1", "_base": stale_base},
    )
    assert response.status_code == 200
    assert response["Podstudio-Not-Saved"].startswith("Not saved: this design was changed")
    assert response["HX-Retarget"] == "#builder"
    content = response.content.decode()
    assert "changed somewhere else" in content  # in the form's status line
    # and in the form's own status, by the field being typed in (the top of the page is far)
    form_status = re.search(r'<div id="form-status"[^>]*>(.*?)</div>', content, re.S).group(1)
    assert "changed somewhere else" in form_status
    # ... seen there, and heard once: the save status (a live region too) says it aloud.
    assert '<span aria-hidden="true">Not saved: this design was changed' in form_status
    save_status = re.search(r'<p class="save-status[^>]*>(.*?)</p>', content, re.S).group(1)
    assert save_status.startswith("Not saved: this design was changed")
    assert re.search(r'name="spec\.containers\[0\]\.image@tag" value="1\.27"', content)
    new_base = base_in(content)
    assert new_base != stale_base
    design.refresh_from_db()
    assert design.manifest["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert design.manifest["metadata"]["name"] != "from-tab-b"
    # drawn again, tab B's form is current: its next edit is saved
    again = _post_form(
        client,
        design,
        {"metadata.name": "from-tab-b", "_edit": f"{OTHER_PAGE}:2", "_base": new_base},
    )
    assert again.status_code == 200
    assert "Podstudio-Not-Saved" not in again
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "from-tab-b"
    assert design.manifest["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_a_page_keeps_saving_over_its_own_edits(client):
    """A page's own saves make the design newer than the version it drew; that is no conflict."""
    design = _import(client, "nginx-pod")
    base = builder_page_base(client, design.slug)
    for seq, name in enumerate(["a", "ab", "abc"], start=1):
        changes = {"metadata.name": name, "_edit": f"{PAGE}:{seq}", "_base": base}
        response = _post_form(client, design, changes)
        assert response.status_code == 200
        assert "Podstudio-Not-Saved" not in response
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "abc"


def test_a_form_posted_without_javascript_on_an_older_version_is_not_saved(client):
    design = _import(client, "nginx-pod")
    base = builder_page_base(client, design.slug)
    _post_form(client, design, {"metadata.name": "elsewhere"}, htmx=False)  # another window
    response = _post_form(client, design, {"metadata.name": "stale", "_base": base}, htmx=False)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "this design was changed somewhere else" in page
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "elsewhere"
    # a page that saved last is no longer sure of the version once a form without JavaScript
    # has saved over it: the no-JS save took the design from it
    assert design.edit_page == ""


def test_a_page_can_ask_whether_its_version_is_still_the_newest(client):
    """builder.js asks when its tab comes back to the front (``fresh``): 204 while nothing was
    saved from elsewhere, 200 once something was; its own saves do not count."""
    design = _import(client, "nginx-pod")
    base = builder_page_base(client, design.slug)
    url = reverse("builder:fresh", args=[design.slug])
    assert client.get(url, {"base": base, "page": PAGE}).status_code == 204
    _post_form(client, design, {"metadata.name": "mine", "_edit": f"{PAGE}:1", "_base": base})
    assert client.get(url, {"base": base, "page": PAGE}).status_code == 204
    _post_form(client, design, {"metadata.name": "theirs", "_edit": f"{OTHER_PAGE}:1"})
    changed = client.get(url, {"base": base, "page": PAGE})
    assert changed.status_code == 200 and changed.content == b"changed"
    redrawn = builder_page_base(client, design.slug)  # the page drawn again: current
    assert client.get(url, {"base": redrawn, "page": PAGE}).status_code == 204
    page = client.get(reverse("builder:design", args=[design.slug]), {"elsewhere": "1"})
    assert "changed somewhere else" in page.content.decode()
    plain = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert "changed somewhere else" not in plain


@pytest.mark.parametrize(
    "query, status",
    [
        ({}, 204),  # no version: nothing to compare, as ``preview`` saves such a post
        ({"base": "x" * 5000}, 204),
        ({"base": "1" * 20, "page": "zz"}, 200),  # another version, and no page to own it
    ],
)
def test_fresh_with_a_garbled_question_answers_without_error(client, query, status):
    design = _import(client, "nginx-pod")
    response = client.get(reverse("builder:fresh", args=[design.slug]), query)
    assert response.status_code == status


def test_fresh_of_an_unknown_design_is_404_and_refuses_post(client):
    assert client.get(reverse("builder:fresh", args=["nosuchslug"])).status_code == 404
    design = _import(client, "nginx-pod")
    assert client.post(reverse("builder:fresh", args=[design.slug])).status_code == 405


@pytest.mark.parametrize("base", ["", "123", "2026x", "9" * 40])
def test_a_missing_or_garbled_base_is_saved_as_before(client, base):
    design = _import(client, "nginx-pod")
    _post_form(client, design, {"metadata.name": "first", "_edit": f"{PAGE}:1"})
    response = _post_form(client, design, {"metadata.name": "second", "_base": base})
    assert "Podstudio-Not-Saved" not in response
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "second"


def test_preview_of_an_unknown_design_is_404(client):
    design = _import(client, "nginx-pod")
    url = reverse("builder:preview", args=["nosuchslug"])
    assert client.post(url, dict(form_data(design.manifest)), **HTMX).status_code == 404


def test_preview_without_htmx_redirects_to_the_page(client):
    design = _import(client, "nginx-pod")
    response = _post_form(client, design, {"metadata.name": "plain-form"}, htmx=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("builder:design", args=[design.slug])
    page = client.get(response["Location"]).content.decode()
    assert "name: plain-form" in re.sub(r"<[^>]+>", "", page)


def test_preview_refuses_get(client):
    design = _import(client, "nginx-pod")
    assert client.get(reverse("builder:preview", args=[design.slug])).status_code == 405


def test_resources_change_the_qos_class_in_the_preview(client):
    design = _import(client, "nginx-pod")
    response = _post_form(
        client,
        design,
        {
            "spec.containers[0].resources.requests.cpu": "250",
            "spec.containers[0].resources.requests.cpu@unit": "m",
            "spec.containers[0].resources.limits.cpu": "250",
            "spec.containers[0].resources.limits.cpu@unit": "m",
            "spec.containers[0].resources.requests.memory": "64",
            "spec.containers[0].resources.requests.memory@unit": "Mi",
            "spec.containers[0].resources.limits.memory": "64",
            "spec.containers[0].resources.limits.memory@unit": "Mi",
        },
    )
    assert "QoS Guaranteed" in response.content.decode()
    design.refresh_from_db()
    assert design.manifest["spec"]["containers"][0]["resources"]["limits"] == {
        "cpu": "250m",
        "memory": "64Mi",
    }


def test_invalid_value_goes_to_its_field_slot_out_of_band(client):
    design = _import(client, "nginx-pod")
    response = _post_form(client, design, {"spec.containers[0].ports[0].containerPort": "70000"})
    content = response.content.decode()
    slot = re.search(
        r'<p class="field-error" id="err-f-spec-containers_0-ports_0-containerPort" '
        r'hx-swap-oob="true">(.*?)</p>',
        content,
        re.S,
    )
    assert slot and slot.group(1).strip()
    # Fixed again: the slot the client showed is emptied.
    response = _post_form(
        client,
        Design.objects.get(pk=design.pk),
        {
            "spec.containers[0].ports[0].containerPort": "8080",
            "_shown_errors": "f-spec-containers_0-ports_0-containerPort",
        },
    )
    assert re.search(
        r'id="err-f-spec-containers_0-ports_0-containerPort" hx-swap-oob="true"></p>',
        response.content.decode(),
    )


def test_full_page_marks_the_invalid_field(client):
    design = _import(client, "nginx-pod")
    _post_form(client, design, {"spec.containers[0].ports[0].containerPort": "70000"}, htmx=False)
    content = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    field = re.search(r'<input[^>]*id="f-spec-containers_0-ports_0-containerPort"[^>]*>', content)
    assert 'aria-invalid="true"' in field.group(0)


def test_a_switch_of_structure_rerenders_the_whole_builder(client):
    """A select that reshapes the form (a volume's type) redraws it; list actions redraw only
    their list (tests/test_builder_place.py)."""
    design = _import(client, "web-with-logging")
    response = _post_form(client, design, {"spec.volumes[0]@kind": "configMap"})
    assert response["HX-Retarget"] == "#builder"
    assert response["HX-Reswap"] == "outerHTML"
    assert 'name="spec.volumes[0].configMap.name"' in response.content.decode()
    design.refresh_from_db()
    assert "configMap" in design.manifest["spec"]["volumes"][0]


def test_another_sessions_edit_makes_a_copy(client):
    design = _import(client, "nginx-pod")
    other = Client()
    response = _post_form(other, design, {"metadata.name": "mine-now"})
    assert response.status_code == 200
    design.refresh_from_db()
    assert design.manifest["metadata"]["name"] == "nginx-pod"
    copy = Design.objects.exclude(pk=design.pk).get()
    assert copy.manifest["metadata"]["name"] == "mine-now"
    assert response["HX-Push-Url"] == reverse("builder:design", args=[copy.slug])


def test_user_text_is_escaped_everywhere(client):
    design = _import(client, "nginx-pod")
    evil = '<img src=x onerror="alert(1)">'
    _post_form(client, design, {"metadata.labels": f"app={evil}", "spec.containers[0].name": evil})
    content = client.get(reverse("builder:design", args=[design.slug])).content.decode()
    assert evil not in content
    assert "&lt;img" in content


def test_download_is_an_attachment_named_after_the_pod(client):
    design = _import(client, "postgres-pod")
    response = client.get(reverse("builder:download", args=[design.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="postgres-pod.yaml"'
    assert load_manifest(response.content) == load_manifest(
        (SEED / "postgres-pod.yaml").read_text()
    )


def test_download_falls_back_to_a_safe_name(client):
    design = _import(client, "nginx-pod")
    _post_form(client, design, {"metadata.name": '../"evil'})
    response = client.get(reverse("builder:download", args=[design.slug]))
    assert response["Content-Disposition"] == 'attachment; filename="pod.yaml"'


@pytest.mark.parametrize(
    ("url_name", "args", "data"),
    [
        ("builder:start", [], {"blank": "1"}),
        ("builder:import", [], {"yaml": "kind: Pod"}),
        ("builder:preview", ["SLUG"], {"metadata.name": "x"}),
    ],
)
def test_posts_need_a_csrf_token(url_name, args, data):
    design = Design.objects.create(manifest={"kind": "Pod"})
    csrf_client = Client(enforce_csrf_checks=True)
    url = reverse(url_name, args=[design.slug if a == "SLUG" else a for a in args])
    assert csrf_client.post(url, data, **HTMX).status_code == 403


def test_post_with_the_pages_csrf_token_works():
    csrf_client = Client(enforce_csrf_checks=True)
    page = csrf_client.get(reverse("builder:new")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = csrf_client.post(
        reverse("builder:start"), {"blank": "1", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_each_go_to_field_link_names_its_field(client):
    """Fourteen links all named "Go to field": a screen reader's list of links could not tell
    them apart."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n"
        "  - name: Web\n    image: nginx:1.27\n"
    )
    response = client.post(reverse("builder:import"), {"yaml": text})
    page = client.get(response["Location"]).content.decode()
    names = [
        re.sub(r"<[^>]+>", "", link)
        for link in re.findall(r'<a [^>]*class="focus-link"[^>]*>(.*?)</a>', page, re.S)
    ]
    assert len(names) >= 3
    assert all(name.startswith("Go to field ") for name in names)
    assert "Go to field metadata.name" in names
    assert "Go to field spec.containers[0].name" in names
    assert "Go to field for missing liveness probe" in names  # a best-practice finding's
    assert len(set(names)) == len(names), names
