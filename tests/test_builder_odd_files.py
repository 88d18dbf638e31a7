"""Files people write that the builder once got wrong: imported, edited and downloaded as the
author expects (only the edited value changes)."""

import pytest

from tests.test_builder_authorfile import _changed_lines, _download, _import, _keystroke

pytestmark = pytest.mark.django_db


def test_a_pod_written_on_its_marker_line_imports_and_edits_in_place(client):
    text = (
        "--- {apiVersion: v1, kind: Pod, metadata: {name: a},"
        ' spec: {containers: [{name: web, image: "nginx:1.25"}]}}\n'
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
    )
    design = _import(client, text)
    assert design.manifest["metadata"]["name"] == "a"
    _keystroke(
        client,
        design,
        {"spec.containers[0].image": "nginx", "spec.containers[0].image@tag": "1.26"},
    )
    after = _download(client, design)
    assert [(old.count("1.25"), new.count("1.26")) for old, new in _changed_lines(text, after)] == [
        (1, 1)
    ]
    assert after.replace("1.26", "1.25") == text
