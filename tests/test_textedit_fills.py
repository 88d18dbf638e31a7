"""Edits of the author's file that once wrote broken or wrong YAML: an empty value filled in
(``image:`` given an image), list items moved (the builder's Move buttons), a ``!!str`` tag
on a value that is no longer a string, a file whose lines end in a lone carriage return.

Every expectation is on the rewritten text, and every rewritten text must read back as
exactly the data the builder holds."""

import copy

import pytest

from podstudio.engine.documents import read_documents
from podstudio.engine.sourcemap import SEQUENCE, read_source
from podstudio.engine.textedit import rewrite, same
from podstudio.engine.yamlio import load_manifest
from tests.textedit_helpers import (
    FORMATTING,
    REPOSITORY_MANIFESTS,
    document_places,
    read_text,
    with_value,
)


def _data(text: str):
    return copy.deepcopy(read_source(text).documents[0].data)


def _edited(text: str, data) -> str:
    """``rewrite`` with the invariant: the result reads back as ``data`` (both readers)."""
    result = rewrite(text, 0, data)
    assert same(read_source(result).documents[0].data, data), result
    _, documents = read_documents(result)
    assert not documents[0].error, (documents[0].error, result)
    assert same(documents[0].data, data), result
    return result


# --- an empty value filled in --------------------------------------------------------------------

POD_WITHOUT_IMAGE = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image:
"""

DEPLOYMENT_WITHOUT_REPLICAS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
"""


def _set(path: tuple, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return data

    return change


IMAGE = ("spec", "containers", 0, "image")


@pytest.mark.parametrize(
    ("text", "change", "old_line", "new_line"),
    [
        (POD_WITHOUT_IMAGE, _set(IMAGE, "nginx:1.26"), "    image:\n", "    image: nginx:1.26\n"),
        (
            POD_WITHOUT_IMAGE.replace("image:", "image:   # fill me"),
            _set(IMAGE, "nginx:1.26"),
            "    image:   # fill me\n",
            "    image: nginx:1.26   # fill me\n",
        ),
        (
            POD_WITHOUT_IMAGE.replace("image:", "image:   "),
            _set(IMAGE, "nginx:1.26"),
            "    image:   \n",
            "    image: nginx:1.26\n",
        ),
        (
            POD_WITHOUT_IMAGE.rstrip("\n"),
            _set(IMAGE, "nginx:1.26"),
            "    image:",
            "    image: nginx:1.26",
        ),
        (
            POD_WITHOUT_IMAGE.replace("\n", "\r\n"),
            _set(IMAGE, "nginx:1.26"),
            "    image:\r\n",
            "    image: nginx:1.26\r\n",
        ),
        (
            POD_WITHOUT_IMAGE.replace("  name: web\nspec", "  name:\nspec"),
            _set(("metadata", "name"), "web"),
            "  name:\nspec",
            "  name: web\nspec",
        ),
        (
            DEPLOYMENT_WITHOUT_REPLICAS,
            _set(("spec", "replicas"), 3),
            "  replicas:\n",
            "  replicas: 3\n",
        ),
        (
            POD_WITHOUT_IMAGE.replace("image:", "image: nginx\n    args:\n    - \n    - b"),
            _set(("spec", "containers", 0, "args", 0), "a"),
            "    - \n",
            "    - a\n",
        ),
        (
            POD_WITHOUT_IMAGE.replace("image:", "image: nginx\n    args:\n    -\n    - b"),
            _set(("spec", "containers", 0, "args", 0), "a"),
            "    -\n",
            "    - a\n",
        ),
        (
            POD_WITHOUT_IMAGE.replace(
                "image:", "image: nginx\n    args:\n    -   # first\n    - b"
            ),
            _set(("spec", "containers", 0, "args", 0), "a"),
            "    -   # first\n",
            "    - a   # first\n",
        ),
        (
            POD_WITHOUT_IMAGE.replace("image:", "image: !!str"),
            _set(IMAGE, "nginx:1.26"),
            "    image: !!str\n",
            "    image: !!str nginx:1.26\n",
        ),
    ],
    ids=[
        "image",
        "image-with-comment",
        "image-with-spaces",
        "no-final-line-break",
        "crlf",
        "metadata-name",
        "replicas",
        "empty-item",
        "bare-dash",
        "bare-dash-with-comment",
        "empty-tagged",
    ],
)
def test_an_empty_value_filled_in_gets_a_space_after_its_colon_or_dash(
    text, change, old_line, new_line
):
    result = _edited(text, change(_data(text)))
    assert result == text.replace(old_line, new_line)


def test_an_empty_value_that_becomes_a_mapping_gets_an_indented_block_under_its_key():
    text = POD_WITHOUT_IMAGE.replace(
        "image:", "image: nginx\n    resources:   # later\n    ports: []"
    )
    data = _data(text)
    data["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "250m"}}
    assert _edited(text, data) == text.replace(
        "    resources:   # later\n",
        "    resources:   # later\n      requests:\n        cpu: 250m\n",
    )


def test_an_empty_value_that_becomes_a_list_gets_its_items_under_its_key():
    text = POD_WITHOUT_IMAGE.replace("image:", "image: nginx\n    args:\n    ports: []")
    data = _data(text)
    data["spec"]["containers"][0]["args"] = ["sleep", "10"]
    assert _edited(text, data) == text.replace(
        "    args:\n", '    args:\n    - sleep\n    - "10"\n'
    )


@pytest.mark.parametrize("dash", ["-", "- ", "-   # to do"])
def test_an_empty_item_that_becomes_a_mapping_starts_on_its_dash_line(dash):
    text = POD_WITHOUT_IMAGE.replace(
        "image:", f"image: nginx\n    env:\n    {dash}\n    - name: B\n      value: b"
    )
    data = _data(text)
    data["spec"]["containers"][0]["env"][0] = {"name": "A", "value": "a"}
    comment = "   # to do" if "#" in dash else ""
    assert _edited(text, data) == text.replace(
        f"    {dash}\n", f"    - name: A{comment}\n      value: a\n"
    )


# --- items that changed places -------------------------------------------------------------------

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

SWAPPED = """\
apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  containers:
  # the sidecar
  - name: side
    image: busybox   # latest on purpose
  # the main app
  - name: web
    image: nginx:1.25   # pinned
"""


def _swap(data, first=0, second=1):
    containers = data["spec"]["containers"]
    containers[first], containers[second] = containers[second], containers[first]
    return data


def test_swapped_containers_take_their_comments_with_them():
    assert _edited(TWO_CONTAINERS, _swap(_data(TWO_CONTAINERS))) == SWAPPED


def test_swapping_back_gives_the_file_back():
    assert _edited(TWO_CONTAINERS, _data(TWO_CONTAINERS)) == TWO_CONTAINERS
    assert _edited(SWAPPED, _swap(_data(SWAPPED))) == TWO_CONTAINERS


def test_a_moved_container_keeps_its_key_order_quoting_and_flow_style():
    text = """\
kind: Pod
apiVersion: v1
metadata: {name: a}
spec:
  containers:
    - image: "nginx:1.25"
      name: web
      env:
        - {name: MODE, value: 'prod'}   # quoted on purpose
      ports:
        - containerPort: 80

    - name: side   # the sidecar
      image: busybox
        # deeper note on the sidecar
  restartPolicy: Always
"""
    expected = """\
kind: Pod
apiVersion: v1
metadata: {name: a}
spec:
  containers:
    - name: side   # the sidecar
      image: busybox
        # deeper note on the sidecar

    - image: "nginx:1.25"
      name: web
      env:
        - {name: MODE, value: 'prod'}   # quoted on purpose
      ports:
        - containerPort: 80
  restartPolicy: Always
"""
    assert _edited(text, _swap(_data(text))) == expected


def test_a_moved_container_that_was_also_edited_keeps_its_text_and_gets_the_edit():
    data = _swap(_data(TWO_CONTAINERS))
    data["spec"]["containers"][1]["image"] = "nginx:1.27"
    data["spec"]["containers"][0]["args"] = ["--verbose"]
    assert _edited(TWO_CONTAINERS, data) == SWAPPED.replace("nginx:1.25", "nginx:1.27").replace(
        "    image: busybox   # latest on purpose\n",
        "    image: busybox   # latest on purpose\n    args:\n    - --verbose\n",
    )


def test_a_container_moved_past_two_others_and_one_added():
    text = TWO_CONTAINERS + "  # the third\n  - name: third\n    image: redis\n"
    data = _data(text)
    containers = data["spec"]["containers"]
    containers.insert(0, containers.pop())  # third goes first
    containers.append({"name": "fourth", "image": "alpine"})
    assert _edited(text, data) == TWO_CONTAINERS.replace(
        "  # the main app\n",
        "  # the third\n  - name: third\n    image: redis\n  # the main app\n",
    ) + ("  - name: fourth\n    image: alpine\n")


def test_moved_items_of_a_file_without_a_final_line_break():
    text = TWO_CONTAINERS.rstrip("\n")
    assert _edited(text, _swap(_data(text))) == SWAPPED.rstrip("\n")


def test_moved_scalar_items_keep_their_comments_and_the_blank_lines_stay_in_place():
    text = "a:\n- x  # one\n\n- w  # two\n- z  # three\n"
    result = _edited(text, {"a": ["z", "x", "w"]})
    assert result == "a:\n- z  # three\n\n- x  # one\n- w  # two\n"


def test_remove_and_undo_still_keep_every_comment():
    data = _data(TWO_CONTAINERS)
    del data["spec"]["containers"][0]
    removed = _edited(TWO_CONTAINERS, data)
    assert removed == TWO_CONTAINERS.replace(
        "  # the main app\n  - name: web\n    image: nginx:1.25   # pinned\n", ""
    )
    assert _edited(TWO_CONTAINERS, _data(TWO_CONTAINERS)) == TWO_CONTAINERS  # undone


@pytest.mark.parametrize("path", [*FORMATTING, *REPOSITORY_MANIFESTS], ids=lambda p: p.name)
def test_every_list_of_the_corpus_reversed_reads_back_and_keeps_every_comment(path):
    text = read_text(path)
    source = read_source(text)
    for index, document in enumerate(source.documents):
        for keys, node, _ in document_places(text, index):
            if node.kind != SEQUENCE or len(node.entries) < 2:
                continue
            data = with_value(document.data, keys, node.data[::-1])
            result = rewrite(text, index, data)
            again = read_source(result)
            assert len(again.documents) == len(source.documents), keys
            assert same(again.documents[index].data, data), (keys, result)
            assert sorted(_comments(result)) == sorted(_comments(text)), keys


def _comments(text: str) -> list[str]:
    return [line[line.index("#") :] for line in text.splitlines() if "#" in line]


# --- tags ----------------------------------------------------------------------------------------

GRACE = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  terminationGracePeriodSeconds: {}\n"
)


@pytest.mark.parametrize(
    ("written", "value", "expected"),
    [
        ("!!str 30", 10, "10"),
        ("!!str 30   # seconds", 10, "10   # seconds"),
        ("&grace !!str 30", 10, "&grace 10"),
        ("!!str &grace 30", 10, "&grace 10"),
        ("!!str 30", "10", '!!str "10"'),
        ("!!int 2", 3, "!!int 3"),
        ("!!int '2'", 3, "!!int 3"),
        ("!!str", 10, "10"),
    ],
)
def test_a_tag_the_new_value_does_not_fit_goes(written, value, expected):
    text = GRACE.format(written)
    data = _data(text)
    data["spec"]["terminationGracePeriodSeconds"] = value
    result = _edited(text, data)
    assert result == GRACE.format(expected)
    if isinstance(value, int):
        assert load_manifest(result)["spec"]["terminationGracePeriodSeconds"] == value


# --- lone carriage returns -----------------------------------------------------------------------

OLD_MAC = POD_WITHOUT_IMAGE.replace("image:", "image: nginx   # pinned").replace("\n", "\r")


def test_a_file_of_lone_carriage_returns_gets_them_on_new_lines_with_the_right_indent():
    data = _data(OLD_MAC)
    data["metadata"]["labels"] = {"app": "web"}
    data["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "250m"}}
    expected = (
        POD_WITHOUT_IMAGE.replace("image:", "image: nginx   # pinned")
        .replace("  name: web\nspec", "  name: web\n  labels:\n    app: web\nspec")
        .replace("# pinned\n", "# pinned\n    resources:\n      requests:\n        cpu: 250m\n")
        .replace("\n", "\r")
    )
    assert _edited(OLD_MAC, data) == expected


def test_a_file_of_lone_carriage_returns_keeps_them_through_edits_and_moves():
    text = TWO_CONTAINERS.replace("\n", "\r")
    data = _swap(_data(text))
    data["spec"]["containers"][0]["image"] = "busybox:1.36"
    assert _edited(text, data) == SWAPPED.replace("busybox ", "busybox:1.36 ").replace("\n", "\r")


def test_a_file_that_mixes_lone_carriage_returns_with_line_feeds_reads_back():
    text = "apiVersion: v1\rkind: Pod\nmetadata:\r  name: a\r\nspec:\n  containers:\r  - name: a\r"
    data = _data(text)
    data["spec"]["containers"][0]["image"] = "nginx"
    data["metadata"]["labels"] = {"app": "a"}
    result = _edited(text, data)
    assert result.startswith("apiVersion: v1\rkind: Pod\nmetadata:\r  name: a\r\n")
    assert "\r\n  labels:\r\n    app: a\r\n" in result
