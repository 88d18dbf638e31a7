"""Edits that keep the author's file: only the changed values' text changes."""

import copy
import json

import pytest
import yaml

from podstudio.engine.sourcemap import MAPPING, SCALAR, read_source
from podstudio.engine.textedit import rewrite, rewrite_source, same, text_for
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import load_manifest
from tests.textedit_helpers import (
    FORMATTING,
    REMOVE,
    changed_region,
    document_places,
    other_value,
    read_text,
    with_value,
)


def _edited(text: str, data, document: int = 0) -> str:
    result = rewrite(text, document, data)
    again = read_source(result)
    assert same(again.documents[document].data, data)
    return result


# --- the formatting corpus ---------------------------------------------------------------------


@pytest.mark.parametrize("path", FORMATTING, ids=lambda p: p.name)
def test_no_edit_gives_every_byte_back(path):
    text = read_text(path)
    for index, document in enumerate(read_source(text).documents):
        assert rewrite(text, index, document.data) == text


@pytest.mark.parametrize("path", FORMATTING, ids=lambda p: p.name)
def test_editing_one_value_changes_only_its_text(path):
    text = read_text(path)
    source = read_source(text)
    for index, document in enumerate(source.documents):
        for keys, node, shared in document_places(text, index):
            if node.kind != SCALAR:
                continue
            data = with_value(document.data, keys, other_value(node.data))
            result = _edited(text, data, index)
            if shared:
                continue  # an anchor's or alias's value shows in more than one place
            start, end_before, _ = changed_region(text, result)
            assert node.content <= start and end_before <= node.end, (keys, result)


@pytest.mark.parametrize("path", FORMATTING, ids=lambda p: p.name)
def test_removing_a_field_or_item_takes_one_stretch_of_text(path):
    text = read_text(path)
    source = read_source(text)
    for index, document in enumerate(source.documents):
        parents = {keys: node for keys, node, _ in document_places(text, index)}
        for keys, _, shared in document_places(text, index):
            if not keys:
                continue
            parent = parents[keys[:-1]]
            data = with_value(document.data, keys, REMOVE)
            result = _edited(text, data, index)
            if shared or parent.style == "flow" or len(parent.entries) == 1:
                continue
            start, end_before, end_after = changed_region(text, result)
            assert end_after == start, (keys, text[start:end_before])  # nothing written
            assert text[start:end_before].strip(), keys


@pytest.mark.parametrize("path", FORMATTING, ids=lambda p: p.name)
def test_adding_a_field_inserts_text_and_changes_nothing_else(path):
    text = read_text(path)
    source = read_source(text)
    for index, document in enumerate(source.documents):
        for keys, node, shared in document_places(text, index):
            if node.kind != MAPPING or shared:
                continue
            value = {"a": ["b", 1]}
            data = with_value(document.data, keys, {**node.data, "zz-added": value})
            result = _edited(text, data, index)
            start, end_before, _ = changed_region(text, result)
            if node.style == "flow":
                assert node.content <= start and end_before <= node.end
            else:
                assert end_before == start, keys  # a pure insertion


# --- what an author sees ------------------------------------------------------------------------

POD = """\
# DO NOT remove the seccomp profile
apiVersion: v1
kind: Pod
metadata:
  name: web   # the name
  labels:
    app: web
spec:
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  containers:
  # the main container
  - name: web
    image: 'nginx:1.27'
    env:
    - name: PORT
      value: "8080"
  # the sidecar
  - name: log
    image: busybox
"""


def test_a_string_keeps_its_quotes_and_a_number_like_string_gets_them():
    data = load_manifest(POD)
    data["spec"]["containers"][0]["image"] = "nginx:1.28"
    data["spec"]["containers"][0]["env"][0]["value"] = "5432"
    data["metadata"]["name"] = "8080"
    result = _edited(POD, data)
    assert "    image: 'nginx:1.28'\n" in result
    assert '      value: "5432"\n' in result
    assert '  name: "8080"   # the name\n' in result


def test_a_number_in_a_quoted_place_is_written_as_a_number():
    data = load_manifest(POD)
    data["spec"]["containers"][0]["env"][0]["value"] = 5432
    assert "      value: 5432\n" in _edited(POD, data)


def test_a_new_field_goes_where_canonical_order_puts_it():
    data = load_manifest(POD)
    data["spec"]["containers"][1]["imagePullPolicy"] = "Always"
    data["spec"]["containers"][1]["resources"] = {"limits": {"memory": "64Mi"}}
    data["spec"]["restartPolicy"] = "Never"
    result = _edited(POD, data)
    assert result.endswith(
        "  - name: log\n    image: busybox\n    imagePullPolicy: Always\n"
        "    resources:\n      limits:\n        memory: 64Mi\n"
    )
    assert "  restartPolicy: Never\n  securityContext:\n" in result


def test_a_cronjobs_new_time_zone_and_policy_go_beside_its_schedule():
    text = (
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n"
        "  schedule: '0 3 * * *'   # every night\n  jobTemplate:\n    spec:\n      template:\n"
        "        spec:\n          restartPolicy: Never\n          containers:\n"
        "          - {name: job, image: busybox:1.36}\n"
    )
    data = yaml.safe_load(text)
    data["spec"]["concurrencyPolicy"] = "Forbid"
    data["spec"]["timeZone"] = "Europe/Paris"
    result = rewrite(text, 0, data)
    assert (
        "  schedule: '0 3 * * *'   # every night\n  timeZone: Europe/Paris\n"
        "  concurrencyPolicy: Forbid\n  jobTemplate:\n"
    ) in result
    assert yaml.safe_load(result) == data


def test_removing_a_list_item_takes_its_own_comment_and_nothing_else():
    data = load_manifest(POD)
    del data["spec"]["containers"][1]
    result = _edited(POD, data)
    assert "# the sidecar" not in result and "# the main container" in result
    assert result == POD[: POD.index("  # the sidecar")]


def test_removing_the_first_item_keeps_the_comment_of_the_next():
    data = load_manifest(POD)
    del data["spec"]["containers"][0]
    result = _edited(POD, data)
    assert "# the main container" not in result
    assert "# DO NOT remove the seccomp profile" in result
    assert result.endswith("  containers:\n  # the sidecar\n  - name: log\n    image: busybox\n")


def test_removing_the_first_key_of_an_item_moves_the_next_key_onto_the_dash():
    data = load_manifest(POD)
    del data["spec"]["containers"][1]["name"]
    assert _edited(POD, data).endswith("  # the sidecar\n  - image: busybox\n")


def test_adding_containers_and_env_entries_appends_them_in_the_file_style():
    text = read_text(next(p for p in FORMATTING if p.name == "four-spaces-indented-lists.yaml"))
    data = read_source(text).documents[0].data
    data["spec"]["containers"][0]["env"].append({"name": "DEBUG", "value": "1"})
    data["spec"]["containers"].append({"name": "side", "image": "busybox", "args": ["a"]})
    result = _edited(text, data)
    assert result.startswith(text[: text.index("                    value: '3'\n")])
    assert result.endswith(
        "                    value: '3'\n"
        "                -   name: DEBUG\n"
        '                    value: "1"\n'
        "        -   name: side\n"
        "            image: busybox\n"
        "            args:\n"
        "                - a\n"
    )


def test_flow_maps_stay_flow_maps():
    text = "resources:\n  requests: {cpu: 100m, memory: 64Mi}\n"
    data = {"resources": {"requests": {"memory": "64Mi", "ephemeral-storage": "1Gi"}}}
    assert rewrite(text, 0, data) == (
        "resources:\n  requests: {ephemeral-storage: 1Gi, memory: 64Mi}\n"
    )
    data = {"resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "1"}}}
    assert _edited(text, data).endswith('  limits: {cpu: "1"}\n')


# A Pod written in the JSON-like flow style some documentation uses: quoted strings, a trailing
# comma after every entry, and a comment after a value.
JSONISH = """\
{
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "probe-demo",
  },
  spec: {
    containers: [{
      name: "app",
      image: "busybox:1.36", # pinned: the probe below needs its shell
      # how the kubelet checks it
      readinessProbe: {
        exec: {command: ["cat", "/tmp/ready"]},
      },
    }],
  },
}
"""


def test_a_field_added_to_a_flow_mapping_keeps_its_comments_and_trailing_commas():
    data = read_source(JSONISH).documents[0].data
    data["spec"]["containers"][0]["resources"] = {"limits": {"memory": "64Mi"}}
    result = _edited(JSONISH, data)
    # In canonical order, after the image: right after its line (and comment), before the
    # comment line that belongs to the probe.
    # Its strings are quoted as the strings beside it are.
    shell = "the probe below needs its shell\n"
    added = '      resources: {limits: {memory: "64Mi"}},\n'
    assert result == JSONISH.replace(shell, shell + added)


def test_a_field_removed_from_a_flow_mapping_takes_only_its_own_line():
    data = read_source(JSONISH).documents[0].data
    del data["spec"]["containers"][0]["image"]  # its comment goes with it
    assert _edited(JSONISH, data) == JSONISH.replace(
        '      image: "busybox:1.36", # pinned: the probe below needs its shell\n', ""
    )
    data = read_source(JSONISH).documents[0].data
    del data["spec"]["containers"][0]["readinessProbe"]  # the last: the comment line before it too
    assert _edited(JSONISH, data) == JSONISH.replace(
        "      # how the kubelet checks it\n      readinessProbe: {\n"
        '        exec: {command: ["cat", "/tmp/ready"]},\n      },\n',
        "",
    )


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        ("a: {b: 1, c: 2}\n", {"b": 1, "c": 2, "d": 3}, "a: {b: 1, c: 2, d: 3}\n"),
        ("a: { b: 1, c: 2 }\n", {"c": 2}, "a: { c: 2 }\n"),
        # (the closer as deep as the entries: at column 0 a strict YAML reader refuses it)
        ("a: {b: 1, # note\n  c: 2}\n", {"b": 1}, "a: {b: 1 # note\n  }\n"),
        ("a: {b: 1,}\n", {"b": 1, "c": 2}, "a: {b: 1, c: 2,}\n"),
        ("a: {\n  b: 1\n}\n", {"b": 1, "c": 2}, "a: {\n  b: 1,\n  c: 2\n}\n"),
    ],
)
def test_flow_mappings_keep_their_layout_when_keys_come_and_go(text, change, expected):
    assert _edited(text, {"a": change}) == expected


ARGS = 'args: [\n  "--port=8080",  # where the app listens\n  "--verbose",\n]\n'


@pytest.mark.parametrize(
    ("text", "items", "expected"),
    [
        (ARGS, ["--port=8080", "--verbose", "--debug"], ARGS.replace(",\n]", ',\n  "--debug",\n]')),
        (ARGS, ["--verbose"], 'args: [\n  "--verbose",\n]\n'),
        (ARGS, ["--port=8080"], 'args: [\n  "--port=8080",  # where the app listens\n]\n'),
        ("args: ['sleep', '5']\n", ["sleep", "5", "it's"], "args: ['sleep', '5', 'it''s']\n"),
        ("args: [a, b]\n", ["a"], "args: [a]\n"),
    ],
)
def test_flow_sequences_keep_comments_commas_and_quotes_when_items_come_and_go(
    text, items, expected
):
    assert _edited(text, {"args": items}) == expected


def test_crlf_files_get_crlf_lines():
    text = read_text(next(p for p in FORMATTING if p.name == "crlf-line-endings.yaml"))
    data = read_source(text).documents[0].data
    data["spec"]["containers"][0]["env"].append({"name": "B", "value": "c"})
    data["spec"]["nodeName"] = "n1"
    result = _edited(text, data)
    assert "\n" not in result.replace("\r\n", "")
    assert result.startswith(text[: text.index("spec:")])


def test_other_documents_are_untouched():
    text = read_text(next(p for p in FORMATTING if p.name == "multi-document.yaml"))
    source = read_source(text)
    data = source.documents[2].data
    data["spec"]["containers"][0]["image"] = "nginx:1.28"
    result = _edited(text, data, 2)
    assert result == text.replace("image: nginx:1.27", "image: nginx:1.28")


def test_an_alias_that_no_longer_fits_is_written_out():
    text = read_text(next(p for p in FORMATTING if p.name == "anchors-and-merges.yaml"))
    data = read_source(text).documents[0].data
    data["spec"]["containers"][0]["resources"]["limits"]["memory"] = "128Mi"
    result = _edited(text, data)
    assert "resources: &res" in result and "memory: 128Mi" in result
    assert "resources: *res" not in result  # the worker keeps its 64Mi


def test_an_alias_that_still_fits_is_kept():
    text = read_text(next(p for p in FORMATTING if p.name == "anchors-and-merges.yaml"))
    data = read_source(text).documents[0].data
    for container in data["spec"]["containers"]:
        container["resources"]["limits"]["memory"] = "128Mi"
    result = _edited(text, data)
    assert "resources: *res" in result and result.count("128Mi") == 1


def test_a_changed_merged_value_writes_its_mapping_out():
    # An entry beside the merge would set the key twice, which the API server refuses: the
    # mapping is written out in full instead, and nothing else in the file moves.
    text = read_text(next(p for p in FORMATTING if p.name == "anchors-and-merges.yaml"))
    data = read_source(text).documents[0].data
    data["spec"]["containers"][1]["env"][0]["value"] = "dev"
    result = _edited(text, data)
    assert "    env:\n    - name: MODE\n      value: dev\n    - &level {name: LEVEL" in result
    assert "<<" not in result
    assert read_source(result).documents[0].data == data
    before, after = text.split("    env:\n    - <<:")
    assert result.startswith(before) and result.endswith(after.split("\n", 1)[1])


def test_a_key_added_beside_a_merge_keeps_the_merge():
    text = read_text(next(p for p in FORMATTING if p.name == "anchors-and-merges.yaml"))
    data = read_source(text).documents[0].data
    data["spec"]["containers"][1]["env"][0]["valueFrom"] = None
    del data["spec"]["containers"][1]["env"][0]["valueFrom"]
    data["spec"]["containers"][1]["env"][0]["extra"] = "x"
    result = _edited(text, data)
    assert '    - <<: {name: MODE, value: "prod"}\n      extra: x\n' in result


def test_a_block_scalar_stays_a_block_scalar():
    text = read_text(next(p for p in FORMATTING if p.name == "block-scalars.yaml"))
    data = read_source(text).documents[0].data
    data["spec"]["containers"][0]["command"][2] = "echo one\necho two\n"
    result = _edited(text, data)
    assert "    - |\n      echo one\n      echo two\n    args: [ ]\n" in result


def test_an_emptied_mapping_becomes_an_empty_flow_mapping_and_back():
    text = "a:\n  b: 1 # one\nc: 2\n"
    assert _edited(text, {"a": {}, "c": 2}) == "a: {}\nc: 2\n"
    assert _edited("a: {}\nc: 2\n", {"a": {"b": 1}, "c": 2}) == "a:\n  b: 1\nc: 2\n"


def test_a_file_without_a_final_line_break_keeps_it_that_way():
    text = read_text(next(p for p in FORMATTING if p.name == "json-no-final-newline.json"))
    data = read_source(text).documents[0].data
    data["spec"]["containers"][0]["image"] = "nginx:1.28"
    data["status"] = {"phase": "Pending"}
    result = _edited(text, data)
    assert not result.endswith("\n") and '"image": "nginx:1.28"' in result


def test_sequences_of_scalars_keep_their_neighbours():
    text = "args:\n- --a   # first\n- --b   # second\n- --c\n"
    assert _edited(text, {"args": ["--a", "--c"]}) == "args:\n- --a   # first\n- --c\n"
    assert _edited(text, {"args": ["--a", "--b", "--x", "--c"]}) == (
        "args:\n- --a   # first\n- --b   # second\n- --x\n- --c\n"
    )


def test_renaming_a_container_changes_only_its_name():
    data = load_manifest(POD)
    data["spec"]["containers"][0]["name"] = "frontend"
    assert _edited(POD, data) == POD.replace("  - name: web\n", "  - name: frontend\n")


def test_an_empty_document_gets_the_data():
    assert _edited("# nothing yet\n", {"a": 1}) == "# nothing yet\na: 1\n"


@pytest.mark.parametrize(
    "value",
    ["yes", "1e3", "0x1F", "", " lead", "a: b", "#x", "- x", "null", "tab\there", "é", "'q'"],
)
def test_strings_are_quoted_exactly_when_they_need_it(value):
    text = "k: plain\nl: [a, b]\n"
    assert same(
        read_source(_edited(text, {"k": value, "l": [value, "b"]})).documents[0].data,
        {"k": value, "l": [value, "b"]},
    )


@pytest.mark.parametrize("value", ["2001-01-01", "2001-01-01T10:00:00Z", "12:30:00", "1:20"])
def test_a_string_a_yaml_1_1_reader_takes_for_a_date_or_number_is_quoted(value):
    """kubectl reads these plain as strings; PyYAML, yamllint and Ansible read a date, or
    ``12:30:00`` as 45000. The canonical YAML quotes them, and so does an edit."""
    result = _edited("env:\n- name: A\n  value: x\n", {"env": [{"name": "A", "value": value}]})
    assert yaml.safe_load(result) == {"env": [{"name": "A", "value": value}]}
    assert yaml.safe_load(dump_manifest({"value": value})) == {"value": value}


def test_sequence_item_kinds_change_cleanly():
    text = "a:\n- 1\n- x: 2\n"
    _edited(text, {"a": [{"y": [1, 2]}, "s"]})
    _edited(text, {"a": "now a string"})
    _edited(text, {"a": [[1, 2], {"x": 2}]})


def test_a_design_without_an_original_keeps_the_canonical_text():
    data = load_manifest(POD)
    assert text_for(data) == dump_manifest(data)
    assert text_for(data, original=POD) == POD


@pytest.mark.parametrize("path", FORMATTING, ids=lambda p: p.name)
def test_any_value_can_become_a_value_of_another_kind(path):
    text = read_text(path)
    for index, document in enumerate(read_source(text).documents):
        for keys, _, _ in document_places(text, index):
            for value in ("replaced", {"x": [1, "two"]}, [{"a": "b"}, 3], {}, []):
                result = _edited(text, with_value(document.data, keys, value), index)
                if keys:  # what is outside the document's root stays
                    assert result.startswith(text[: read_source(text).documents[index].start])


def test_a_json_file_stays_json():
    text = read_text(next(p for p in FORMATTING if p.suffix == ".json"))
    data = read_source(text).documents[0].data
    data["metadata"]["annotations"] = {"team": "web", "count": "3"}
    data["spec"]["containers"][0]["image"] = "nginx:1.28"
    data["spec"]["containers"][0]["ports"][0]["name"] = "8080"
    data["spec"]["containers"].append({"name": "log", "image": "busybox", "args": ["a b", 1]})
    result = _edited(text, data)
    assert json.loads(result) == data
    assert '"annotations": {"count": "3", "team": "web"}' in result


# --- comments that switch an entry off are not notes on the entry below them -----------------

SWITCHED_OFF = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      # hostNetwork keeps the client's address; not needed behind the cloud balancer
      # hostNetwork: true
      terminationGracePeriodSeconds: 60
      containers:
      - name: web
        image: nginx:1.27
        env:
        - name: MODE
          value: production
        # # set PLATFORM where the cluster cannot tell
        # - name: PLATFORM
        #   value: "aws"
        - name: DEBUG
          value: "0"
"""


def test_removing_an_entry_keeps_a_commented_out_sibling_and_its_note_above_it():
    """Real files keep switched-off settings as comments right above the next entry (the
    ingress-nginx and microservices-demo examples): they are not that entry's notes."""
    data = read_source(SWITCHED_OFF).documents[0].data
    del data["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    assert _edited(SWITCHED_OFF, data) == SWITCHED_OFF.replace(
        "      terminationGracePeriodSeconds: 60\n", ""
    )
    data = read_source(SWITCHED_OFF).documents[0].data
    del data["spec"]["template"]["spec"]["containers"][0]["env"][1]
    assert _edited(SWITCHED_OFF, data) == SWITCHED_OFF.replace(
        '        - name: DEBUG\n          value: "0"\n', ""
    )


NOTE_ON_THE_NEXT_KEY = """\
apiVersion: v1
kind: Pod
metadata:
  name: metrics
spec:
  containers:
  - name: metrics
    # resources are set by the nanny sidecar
    resources: {}
  - name: nanny
    image: addon-resizer:1.8
"""


def test_removing_the_first_key_of_an_item_keeps_the_comment_above_the_next_key():
    data = load_manifest(NOTE_ON_THE_NEXT_KEY)
    del data["spec"]["containers"][0]["name"]
    assert _edited(NOTE_ON_THE_NEXT_KEY, data) == NOTE_ON_THE_NEXT_KEY.replace(
        "  - name: metrics\n    # resources are set by the nanny sidecar\n    resources: {}\n",
        "  - # resources are set by the nanny sidecar\n    resources: {}\n",
    )


SWITCHED_OFF_LIST = """\
apiVersion: v1
kind: Pod
metadata:
  name: ratings
spec:
  containers:
  - name: ratings
    image: ratings:2.0
    env:
      # to use MySQL, set these and create its Service:
      # - name: DB_TYPE
      #   value: "mysql"
      - name: MONGO_DB_URL   # the default backend
        value: mongodb://mongodb:27017/test
    ports:
    - containerPort: 9080
"""


def test_removing_a_list_keeps_the_entries_switched_off_inside_it():
    """The builder removes ``env`` with its last variable; the variables the author switched
    off in it (istio's bookinfo keeps a whole MySQL setup so) are no part of that edit."""
    data = read_source(SWITCHED_OFF_LIST).documents[0].data
    del data["spec"]["containers"][0]["env"]
    assert _edited(SWITCHED_OFF_LIST, data) == SWITCHED_OFF_LIST.replace("    env:\n", "").replace(
        "      - name: MONGO_DB_URL   # the default backend\n"
        "        value: mongodb://mongodb:27017/test\n",
        "",
    )


def test_removing_the_last_entry_of_a_flow_list_on_its_own_line_keeps_the_closer_indented():
    text = (
        "spec:\n  containers:\n  - name: c\n"
        "    ports: [ {containerPort: 80, name: http},   # web\n"
        "             {containerPort: 9090, name: metrics} ]\n"
    )
    source = read_source(text)
    data = copy.deepcopy(source.documents[0].data)
    del data["spec"]["containers"][0]["ports"][1]
    out = rewrite_source(source, 0, data)
    assert out.endswith("    ports: [ {containerPort: 80, name: http}   # web\n             ]\n")
    assert yaml.safe_load(out) == data


def test_a_new_entry_of_a_flow_mapping_over_several_lines_keeps_crlf_line_ends():
    from podstudio.engine.textedit import rewrite_kept

    text = "metadata: {\r\n  name: a,\r\n  labels: {app: a}\r\n}\r\nkind: Pod\r\n"
    data = {
        "metadata": {"name": "a", "labels": {"app": "a"}, "annotations": {"n": "1"}},
        "kind": "Pod",
    }
    result, kept = rewrite_kept(text, 0, data)
    assert kept and "annotations" in result
    assert result.count("\n") == result.count("\r\n")  # no bare \n among the file's CRLF


# --- new mappings and lists in a JSON file are laid out as the file lays out its own ---------

POD_DATA = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "containers": [{"name": "app", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]
    },
}


@pytest.mark.parametrize("indent", [2, 4])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_new_container_in_pretty_json_is_written_as_kubectl_writes_json(indent, newline):
    text = json.dumps(POD_DATA, indent=indent).replace("\n", newline) + newline
    data = copy.deepcopy(POD_DATA)
    sidecar = {"name": "log", "image": "busybox", "args": ["sleep", "1d"]}
    data["spec"]["containers"].append(sidecar)
    data["spec"]["nodeSelector"] = {"disk": "ssd"}
    result = _edited(text, data)
    # Byte for byte what json.dumps writes with the file's indent (keys in canonical order,
    # which for these is the order given) and line ends.
    assert result == json.dumps(data, indent=indent).replace("\n", newline) + newline


def test_a_new_mapping_in_json_stays_on_one_line_where_its_neighbours_are():
    text = '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "web"},\n' + (
        '  "spec": {"containers": [{"name": "app", "image": "nginx"}]}\n}\n'
    )
    data = json.loads(text)
    data["metadata"]["labels"] = {"app": "web"}
    data["spec"]["containers"].append({"name": "log", "image": "busybox"})
    result = _edited(text, data)
    assert '"metadata": {"name": "web", "labels": {"app": "web"}},\n' in result
    assert '[{"name": "app", "image": "nginx"}, {"name": "log", "image": "busybox"}]' in result


def test_a_json_pod_wrapped_in_a_deployment_keeps_its_layout():
    from podstudio.builder.workloads import change_kind

    text = json.dumps(POD_DATA, indent=4) + "\n"
    deployment = change_kind(json.loads(text), "Deployment")
    result = _edited(text, deployment)
    lines = result.splitlines()
    # The Deployment's own fields sit where the Pod's containers were, one level in, and its
    # template is laid over lines as the rest of the file.
    assert '        "replicas": 2,' in lines
    assert '        "template": {' in lines
    assert all(len(line) < 60 for line in lines)
    assert json.loads(result) == deployment


def test_a_tag_go_yaml_reads_a_comma_into_is_kept_as_written():
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"
        "  finalizers: [!!str, example.com/x]   # as the API server reads it: one finalizer\n"
        "spec:\n  containers:\n  - name: app\n    image: nginx\n"
    )
    data = read_source(text).documents[0].data
    assert data["metadata"]["finalizers"] == ["example.com/x"]
    data["metadata"]["name"] = "shop"
    assert _edited(text, data) == text.replace("name: web", "name: shop")


ENV_LIST = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    env:
    - {name: A, value: "1"}
    - {name: B, value: "2"}
    # C must stay the Pod's name: the app reads it at start
    - name: C
      valueFrom:
        fieldRef: {fieldPath: metadata.name}   # downward API
    - name: D
      value: "4"   # four
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # B removed and E added in one edit: C and D keep their text and comments.
        (
            lambda env: env[:1] + env[2:] + [{"name": "E", "value": "5"}],
            ENV_LIST.replace('    - {name: B, value: "2"}\n', "")
            + '    - name: E\n      value: "5"\n',
        ),
        # B removed and C renamed in one edit (the builder's Remove with a field changed).
        (
            lambda env: env[:1] + [{**env[2], "name": "CC"}] + env[3:],
            ENV_LIST.replace('    - {name: B, value: "2"}\n', "").replace(
                "- name: C\n", "- name: CC\n"
            ),
        ),
    ],
)
def test_an_item_removed_beside_other_changes_leaves_the_others_text(change, expected):
    data = read_source(ENV_LIST).documents[0].data
    env = data["spec"]["containers"][0]["env"]
    data["spec"]["containers"][0]["env"] = change(env)
    assert _edited(ENV_LIST, data) == expected


# Characters a JSON string may hold as written, which YAML refuses (DEL, C1 controls, U+FFFF)
# or reads as line breaks (U+0085, U+2028), and an escaped surrogate without its pair.
JSON_WITH_RAW_CHARACTERS = (
    '{"apiVersion": "v1", "kind": "Pod",\n\t"metadata": {"name": "web", "annotations": '
    '{"a": "x\x7f\x80\uffffy", "b": "n\x85\x85l\u2028 s", "c": "\\ud800"}},\n'
    '\t"spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}\n\t\n'
)


def test_a_json_file_keeps_the_characters_yaml_would_refuse_or_fold():
    data = read_source(JSON_WITH_RAW_CHARACTERS).documents[0].data
    assert data["metadata"]["annotations"] == {
        "a": "x\x7f\x80\uffffy",
        "b": "n\x85\x85l\u2028 s",
        "c": "\ufffd",  # as Go's decoder reads it
    }
    data["metadata"]["name"] = "api"
    assert _edited(JSON_WITH_RAW_CHARACTERS, data) == JSON_WITH_RAW_CHARACTERS.replace(
        '"web"', '"api"'
    )


def test_a_value_with_a_next_line_character_is_written_as_json_can_read_it():
    data = read_source(JSON_WITH_RAW_CHARACTERS).documents[0].data
    data["metadata"]["annotations"]["d"] = "p\x85q"
    result = _edited(JSON_WITH_RAW_CHARACTERS, data)
    assert json.loads(result)["metadata"]["annotations"]["d"] == "p\x85q"
