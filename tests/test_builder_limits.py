"""A saved design never grows past the import limit, and what cannot be stored is refused
at its field with a message (never a server error, on SQLite and PostgreSQL alike)."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from podstudio.builder.edit import form_data
from podstudio.builder.models import Design
from podstudio.builder.views import NOT_SAVED_HEADER
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import MAX_BYTES

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _start_blank(client: Client) -> Design:
    response = client.post(reverse("builder:start"), {"blank": "1"})
    return Design.objects.get(slug=response["Location"].rstrip("/").rsplit("/", 1)[1])


def _post(client: Client, design: Design, changes: dict, htmx: bool = True):
    design.refresh_from_db()
    data = dict(form_data(design.manifest), **changes)
    url = reverse("builder:preview", args=[design.slug])
    return client.post(url, data, **(HTMX if htmx else {}))


def test_no_sequence_of_edits_grows_a_design_past_the_import_limit(client):
    """The reproducer: a huge args value, then "add container" again and again."""
    design = _start_blank(client)
    big = "x" * (MAX_BYTES // 3)
    refusals = []
    for index in range(6):
        response = _post(
            client,
            design,
            {f"spec.containers[{index}].args": big, "action": "add:spec.containers"},
        )
        assert response.status_code == 200
        refusals.append(response.get(NOT_SAVED_HEADER, ""))
        design.refresh_from_db()
        assert len(dump_manifest(design.manifest).encode()) <= MAX_BYTES
    assert refusals[:2] == ["", ""]  # two big containers fit in 1 MiB, the third does not
    assert "larger than 1024 KiB" in refusals[2]


def test_a_refused_edit_leaves_the_saved_design_as_it_was(client):
    design = _start_blank(client)
    response = _post(client, design, {"spec.containers[0].args": "y" * (MAX_BYTES + 10)})
    assert response.status_code == 200
    assert NOT_SAVED_HEADER in response
    design.refresh_from_db()
    assert "args" not in design.manifest["spec"]["containers"][0]


def test_without_javascript_a_refused_edit_is_explained_on_the_page(client):
    design = _start_blank(client)
    response = _post(client, design, {"spec.containers[0].args": "y" * (MAX_BYTES + 10)}, False)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Not saved: the design would be larger than 1024 KiB" in page


def test_an_ordinary_edit_says_nothing_about_saving(client):
    design = _start_blank(client)
    response = _post(client, design, {"metadata.name": "fine"})
    assert NOT_SAVED_HEADER not in response


def test_a_nul_character_in_a_field_is_refused_at_that_field(client):
    design = _start_blank(client)
    response = _post(
        client, design, {"spec.containers[0].image": "nginx\x00", "metadata.name": "ok"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="err-' in html and "NUL character" in html
    design.refresh_from_db()
    assert design.manifest["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert design.manifest["metadata"]["name"] == "ok"  # the other field is still saved


def test_a_nul_character_without_javascript_is_explained_on_the_page(client):
    design = _start_blank(client)
    response = _post(client, design, {"metadata.name": "a\x00b"}, htmx=False)
    page = client.get(response["Location"]).content.decode()
    assert "metadata.name contains a NUL character" in page


def test_posts_of_thousands_of_refused_fields_keep_the_session_small(client):
    """Without JavaScript each refused field became a message waiting in the session: 9,000
    made-up fields with a NUL, posted again and again without loading the page, grew the
    session row by 1.4 MB a post. The page names five and counts the rest; at most 20
    messages wait."""
    from django.contrib.sessions.models import Session

    design = _start_blank(client)
    fields = {f"made-up-{index:04}": "\x00" for index in range(2000)}
    for _ in range(10):
        response = _post(client, design, fields, htmx=False)
        assert response.status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    assert len(session.session_data) < 20_000
    page = client.get(response["Location"]).content.decode()
    assert page.count("1995 more fields contain a NUL character (\\0) too") == 4  # of the last 20
    assert "made-up-0004 contains a NUL character" in page
    assert "made-up-0005" not in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('apiVersion: v1\nkind: Pod\nmetadata: {name: "a\\0b"}\nspec: {containers: []}\n', "NUL"),
        ('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {"k\\0": v}\n', "NUL"),
    ],
)
def test_an_import_with_a_nul_character_is_refused_with_its_place(client, text, message):
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Design.objects.count() == 0


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".Inf", ".NaN"])
def test_an_import_with_a_non_finite_number_is_refused(client, value):
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        f"spec:\n  terminationGracePeriodSeconds: {value}\n  containers: [{{name: a, image: b}}]\n"
    )
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 400
    assert Design.objects.count() == 0


def test_an_uploaded_file_over_the_import_limit_is_refused_in_place(client):
    upload = io.BytesIO(b"# padding\n" * (MAX_BYTES // 10 + 100))
    upload.name = "big.yaml"
    response = client.post(reverse("builder:import"), {"upload": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cannot import big.yaml: the file is larger than 1024 KiB" in html
    # The file input is the field in error, not the paste box the author never touched.
    upload_input = re.search(r'<input type="file"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in upload_input and "autofocus" in upload_input
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert "aria-invalid" not in textarea and "autofocus" not in textarea


def test_an_import_that_expands_past_the_limit_is_refused(client):
    """Aliases let a small file describe a big Pod; what is stored is what counts."""
    value = "v" * 40_000
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: p", "  annotations:"]
    lines.append(f"    a0: &big {value}")
    lines += [f"    a{i}: *big" for i in range(1, 40)]
    lines.append("spec: {containers: [{name: a, image: b}]}")
    text = "\n".join(lines) + "\n"
    assert len(text) < MAX_BYTES
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 400
    assert "larger than 1024 KiB" in response.content.decode()


def test_a_design_never_holds_more_entries_in_a_list_than_the_form_can_draw(client):
    """Thousands of tiny containers fit in 1 MiB but would cost seconds and megabytes of form
    on every page load: Add stops at the cap with a message, and the design stays drawable."""
    from podstudio.builder.services import MAX_LIST_ITEMS

    design = _start_blank(client)
    containers = [{"name": f"c{index}", "image": "nginx"} for index in range(MAX_LIST_ITEMS)]
    design.manifest["spec"]["containers"] = containers
    design.save()
    response = _post(client, design, {"action": "add:spec.containers"})
    assert response.status_code == 200
    assert "at most 100 per list" in response[NOT_SAVED_HEADER]
    design.refresh_from_db()
    assert len(design.manifest["spec"]["containers"]) == MAX_LIST_ITEMS


def test_lists_within_lists_are_capped_in_all_so_the_form_stays_small(client):
    """100 containers of 45 env entries each fit every per-list cap in 200 KiB of YAML, but drew
    a 40 MB page in 5 s: an import past 500 entries in all is refused, one just under it is
    taken and its page stays small."""
    from podstudio.builder.services import MAX_TOTAL_ITEMS

    def pod(containers: int, env: int) -> str:
        entries = "".join(f"    - name: V{index}\n      value: x\n" for index in range(env))
        return (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n"
            + "".join(
                f"  - name: c{index}\n    image: nginx\n    env:\n{entries}"
                for index in range(containers)
            )
        )

    refused = client.post(reverse("builder:import"), {"yaml": pod(100, 45)})
    assert refused.status_code == 400
    assert f"more than {MAX_TOTAL_ITEMS} entries in all" in refused.content.decode()
    taken = client.post(reverse("builder:import"), {"yaml": pod(10, 49)})  # 500 entries
    assert taken.status_code == 302
    assert len(client.get(taken["Location"]).content) < 4_000_000


def test_thousands_of_labels_typed_in_one_box_are_refused_at_once_and_not_stored(client):
    """60,000 lines in the labels box (770 KB, under the request limit) were saved: a design
    that could no longer be imported again, whose every page then took 1.3 s."""
    from podstudio.builder.services import MAX_MAP_KEYS

    design = _start_blank(client)
    for field in ("metadata.labels", "metadata.annotations"):
        lines = "\n".join(f"k{index}=v" for index in range(60_000))
        response = _post(client, design, {field: lines})
        assert response.status_code == 200
        assert response[NOT_SAVED_HEADER] == (
            f"Not saved: {field} has 60000 keys: the builder edits at most {MAX_MAP_KEYS} per "
            "mapping (check a larger manifest with `podstudio analyze`)."
        )
        design.refresh_from_db()
        assert len(design.manifest["metadata"].get(field.split(".")[1], {})) < 10
    lines = "\n".join(f"k{index}=v" for index in range(MAX_MAP_KEYS))
    assert NOT_SAVED_HEADER not in _post(client, design, {"metadata.labels": lines})
    design.refresh_from_db()
    assert len(design.manifest["metadata"]["labels"]) == MAX_MAP_KEYS


def test_an_import_with_a_list_longer_than_the_cap_is_refused_at_the_import_box(client):
    env = "\n".join(f"    - name: V{index}\n      value: x" for index in range(101))
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n"
        f"  - name: app\n    image: nginx\n    env:\n{env}\n"
    )
    response = client.post(reverse("builder:import"), {"yaml": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert "spec.containers[0].env has 101 entries" in page
    assert "podstudio analyze" in page
    assert not Design.objects.exists()


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        # A backslash and "u0000" written out in a value are ordinary text, not a NUL.
        ('apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {a: "\\\\u0000"}}\n', None),
        # A NUL deep in a list of maps, in a key of a map inside a list.
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
            'spec: {containers: [{name: a, image: b, env: [{name: X, value: "\\0"}]}]}\n',
            "spec.containers[0].env[0].value contains a NUL character",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
            'spec: {containers: [{name: a, image: b, resources: {limits: {"c\\0": 1}}}]}\n',
            "a key in spec.containers[0].resources.limits contains a NUL character",
        ),
        # An over-long list under a list.
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
            f"spec: {{containers: [{{name: a, image: b, args: [{', '.join(['x'] * 101)}]}}]}}\n",
            "spec.containers[0].args has 101 entries",
        ),
    ],
)
def test_what_cannot_be_stored_is_named_by_its_path_wherever_it_is(client, text, refused):
    response = client.post(reverse("builder:import"), {"yaml": text})
    if refused is None:
        assert response.status_code == 302
        assert Design.objects.get().manifest["metadata"]["annotations"] == {"a": "\\u0000"}
    else:
        assert response.status_code == 400
        assert refused in response.content.decode()
        assert not Design.objects.exists()


@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan")])
def test_a_non_finite_number_deep_in_a_list_is_never_stored(number):
    """The reader refuses them in files; this guards what an edit could produce."""
    from podstudio.builder.services import unstorable

    manifest = {"spec": {"containers": [{"name": "a", "ports": [{"containerPort": number}]}]}}
    assert unstorable(manifest) == (
        f"spec.containers[0].ports[0].containerPort is {number}, "
        "which is not a number Kubernetes can store"
    )
