"""Multi-document files: cut at their markers, read one by one, located, written back byte for
byte except the document that changed."""

import json
import time

import pytest
import yaml

from podstudio.engine.documents import (
    TooManyDocuments,
    locate,
    object_problem,
    read_documents,
    read_text,
    render_stream,
    split_segments,
)
from podstudio.engine.yamlio import ManifestError

SERVICE = """\
# The web app: a Service and its Deployment.
apiVersion: v1
kind: Service
metadata:
  name: web   # keep this name: the ingress points at it
spec:
  ports:
  - {port: 80, targetPort: 8080}
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""
FILE = f"{SERVICE}---\n# the app itself\n{DEPLOYMENT}---\n"


@pytest.mark.parametrize(
    "text",
    [
        FILE,
        "",
        "---\n",
        "# only a comment\n",
        "a: 1\n---\nb: 2",
        "--- !!map\na: 1\n...\n---\nb: 2\n...\n",
        "a: 1\r\n---\r\nb: 2\r\n",
        "---\n---\n---\n",
        "key: |\n  ---not a marker\n  text\n",
        "--- {a: 1}\n--- [1, 2]\n",
    ],
)
def test_segments_join_back_to_the_file(text):
    assert "".join(segment.text for segment in split_segments(text)) == text


def test_documents_are_listed_with_kind_name_and_line():
    _, documents = read_documents(FILE)
    assert [(d.index, d.kind, d.name, d.line) for d in documents] == [
        (0, "Service", "web", 2),
        (1, "Deployment", "web", 11),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "# nothing\n# at all\n",
        "---\n",
        "---\n# trailing\n---\n",
        "--- ~\n",
        "---\n...\n",
    ],
)
def test_empty_documents_and_trailing_markers_are_no_documents(text):
    assert read_documents(text)[1] == []


def test_a_trailing_marker_after_one_pod_is_fine():
    _, documents = read_documents("apiVersion: v1\nkind: Pod\n---\n")
    assert [document.kind for document in documents] == ["Pod"]


def test_a_broken_document_does_not_stop_the_others_and_says_its_line():
    _, documents = read_documents("a: 1\n---\nb: [1,\n  : :\n---\nc: 3\n")
    assert [d.data for d in documents] == [{"a": 1}, None, {"c": 3}]
    assert documents[1].error.startswith("line 4, column ")
    assert not documents[0].error and not documents[2].error


def test_unchanged_file_renders_byte_for_byte():
    segments, _ = read_documents(FILE)
    assert render_stream(FILE, segments, 1, None) == FILE


def test_replacing_one_document_keeps_every_other_byte():
    segments, documents = read_documents(FILE)
    new_body = DEPLOYMENT.replace("nginx:1.27", "nginx:1.28")
    out = render_stream(FILE, segments, documents[1].segment, new_body)
    assert out == FILE.replace("nginx:1.27", "nginx:1.28")
    assert out.startswith(SERVICE + "---\n# the app itself\n")


def test_crlf_files_keep_their_line_ends():
    text = FILE.replace("\n", "\r\n")
    segments, documents = read_documents(text)
    out = render_stream(text, segments, documents[1].segment, "kind: Deployment\n")
    assert out.startswith(SERVICE.replace("\n", "\r\n"))
    assert "kind: Deployment\r\n" in out


def test_a_replaced_last_document_without_newline_still_separates():
    text = "a: 1\n---\nb: 2"
    segments, documents = read_documents(text)
    out = render_stream(text, segments, documents[0].segment, "a: 5\n")
    assert out == "a: 5\n---\nb: 2"


@pytest.mark.parametrize(
    ("keys", "line"),
    [
        (["spec", "template", "spec", "containers", 0, "image"], 24),
        (["spec", "template", "spec", "containers", 0], 23),
        (["spec", "template", "spec", "containers", 0, "ports"], 23),  # missing: its parent
        (["spec", "selector", "matchLabels", "app"], 17),
        (["metadata", "name"], 14),
        (["nothing", "here"], 11),
    ],
)
def test_field_paths_are_located_at_their_lines(keys, line):
    segments, documents = read_documents(FILE)
    document = documents[1]
    assert locate(document, segments[document.segment].body, keys) == line
    assert FILE.splitlines()[line - 1].strip()


def test_located_lines_point_at_the_text():
    segments, documents = read_documents(FILE)
    document = documents[1]
    line = locate(
        document,
        segments[document.segment].body,
        ["spec", "template", "spec", "containers", 0, "image"],
    )
    assert FILE.splitlines()[line - 1].strip() == "image: nginx:1.27"


@pytest.mark.parametrize(
    "text",
    ["\ufeffapiVersion: v1\nkind: Pod\n", "\ufeff---\n# c\nkind: Pod\n---\nkind: Service\n"],
)
def test_a_byte_order_mark_opens_the_first_prefix_and_no_body(text):
    segments = split_segments(text)
    assert "".join(segment.text for segment in segments) == text
    assert segments[0].prefix.startswith("\ufeff")
    assert not any(segment.body.startswith("\ufeff") for segment in segments)
    assert segments[0].body_line == (1 if text.startswith("\ufeffapi") else 3)


A_POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n"


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # Right after a --- line the mark opens the piece kubectl hands go-yaml, which skips
        # it there: both Pods are created (kubectl v1.32, checked here).
        (A_POD + "---\n\ufeff" + A_POD, [True, True]),
        (A_POD + "--- \r\n\ufeff" + A_POD, [True, True]),
        (A_POD + "--- # b.yaml\n\ufeff" + A_POD, [True, True]),
        ("\ufeff\ufeff" + A_POD, [True]),  # the file's own mark, then the piece's
        # Anywhere else it is text: kubectl says "apiVersion not set" (or "kind not set").
        (A_POD + "---\n# joined\n\ufeff" + A_POD, [True, False]),
        (A_POD + "---\n\n\ufeff" + A_POD, [True, False]),
        (A_POD + "---\n\ufeff\ufeff" + A_POD, [True, False]),
        ("# a\n\ufeff" + A_POD, [False]),
        # A marker met with nothing held stays in the piece (a file's first line, or the second
        # of two in a row): the mark after it is text too.
        ("---\n\ufeff" + A_POD, [False]),
        (A_POD + "---\n---\n\ufeff" + A_POD, [True, False]),
        (A_POD + "---\n# c\n---\n\ufeff" + A_POD, [True, True]),
    ],
)
def test_a_byte_order_mark_is_skipped_only_where_kubectl_starts_a_piece(text, read):
    """Files joined together (``cat a.yaml b.yaml``) keep each file's mark: after a --- line it
    was refused as an unknown field, which kubectl applies. ``read``: each document comes back
    as the Pod written (elsewhere the mark spoils it, as it does for kubectl)."""
    _, documents = read_documents(text)
    pod = yaml.safe_load(A_POD)
    assert [not document.error and document.data == pod for document in documents] == read


@pytest.mark.parametrize("end", ["\n", "\n...\n", "\n---\n", "   # the whole Pod on one line\n"])
def test_a_document_written_on_its_marker_line_is_read(end):
    """``--- {...}`` holds a document (kubectl sends it): it was dropped as an empty marker, so a
    file of such lines had "no manifest" and an invalid Pod in it passed a CI gate."""
    pod = "--- {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: []}}"
    segments, documents = read_documents(f"{pod}{end}---\napiVersion: v1\nkind: Service\n")
    assert [(d.kind, d.line) for d in documents] == [
        ("Pod", 1),
        ("Service", 3 + end.count("\n") - 1),
    ]
    assert documents[0].data["metadata"] == {"name": "a"}
    assert "".join(segment.text for segment in segments).startswith(pod + end)


def test_a_file_of_one_document_on_its_marker_line_without_a_newline_is_read():
    _, documents = read_documents("--- {apiVersion: v1, kind: Pod, metadata: {name: a}}")
    assert [(d.kind, d.name) for d in documents] == [("Pod", "a")]


def test_a_classic_mac_file_with_lone_cr_line_ends_is_cut_and_located_like_any_other():
    """YAML reads a lone \\r as a line break: a first comment line once swallowed the whole
    file ("no manifest") and its --- markers cut nothing."""
    text = FILE.replace("\n", "\r")
    segments, documents = read_documents(text)
    assert "".join(segment.text for segment in segments) == text
    assert [(d.kind, d.name, d.line) for d in documents] == [
        ("Service", "web", 2),
        ("Deployment", "web", 11),
    ]
    lf_documents = read_documents(FILE)[1]
    assert [d.data for d in documents] == [d.data for d in lf_documents]
    for keys in (["metadata", "name"], ["spec", "template", "spec", "containers", 0, "image"]):
        assert locate(documents[1], segments[documents[1].segment].body, keys) == locate(
            lf_documents[1], read_documents(FILE)[0][lf_documents[1].segment].body, keys
        )


HELM_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
"""


def test_a_template_that_cannot_be_read_says_it_must_be_rendered_first():
    (document,) = read_documents(HELM_TEMPLATE)[1]
    # The reader alone would say only that a mapping cannot be a key.
    assert document.error.startswith("line 4, column ")
    assert "a template is YAML only once rendered" in document.error
    assert "helm template" in document.error


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        # A snippet copied from a README, with its Markdown fences.
        ("```yaml\napiVersion: v1\nkind: Pod\n```\n", "line 1 is a Markdown code fence, ```"),
        ("# pod\n---\n~~~\nkind: Pod\n", "line 3 is a Markdown code fence, ~~~"),
        # ... or from a tutorial, with the command that fed it to kubectl.
        (
            "$ kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nEOF\n",
            "line 1 is a shell command, not YAML: keep only the manifest between <<EOF and EOF",
        ),
        (
            "# a Pod\ncat <<'END' | kubectl apply -f -\napiVersion: v1\nkind: Pod\n",
            "line 2 is a shell command, not YAML: keep only the manifest between <<END and END",
        ),
    ],
)
def test_text_around_a_copied_snippet_is_named(text, hint):
    (document,) = read_documents(text)[1]
    assert document.error and hint in document.error


def test_kubectl_describe_output_is_told_apart_from_a_manifest():
    text = "Name:         web\nNamespace:    default\nContainers:\n  app:\n    Image:  nginx\n"
    (document,) = read_documents(text)[1]
    problem = object_problem(document.data)
    assert "has no kind" in problem and "`kubectl get pod NAME -o yaml`" in problem
    assert "kubectl describe" not in object_problem({"metadata": {"name": "web"}})


def test_a_yaml_error_without_template_braces_gets_no_template_hint():
    (document,) = read_documents("metadata:\n  name: {a: 1}: b\n")[1]
    assert document.error and "template" not in document.error


def _compact(text: str) -> str:
    return json.dumps(yaml.safe_load(text), separators=(",", ":"))


JSON_STREAM = f"{_compact(SERVICE)}\n\n{_compact(DEPLOYMENT)}\n"


@pytest.mark.parametrize(
    "text",
    [
        JSON_STREAM,
        JSON_STREAM.rstrip("\n"),
        JSON_STREAM.replace("\n\n", ""),  # {...}{...}: Go's JSON decoder reads one after another
        JSON_STREAM.replace("\n", "\r\n"),
        "  \n" + JSON_STREAM + "\n\n",
    ],
)
def test_a_stream_of_json_objects_is_one_document_each_as_kubectl_reads_it(text):
    """kubectl reads a file that starts with ``{`` as JSON values one after another (what
    ``jq -c '.items[]'`` writes); as YAML the second object was "did not find expected
    <document start>"."""
    segments, documents = read_documents(text)
    assert "".join(segment.text for segment in segments) == text
    assert [(d.kind, d.name, d.error) for d in documents] == [
        ("Service", "web", ""),
        ("Deployment", "web", ""),
    ]
    assert documents[1].data == yaml.safe_load(DEPLOYMENT)
    second = segments[documents[1].segment]
    lines = text.splitlines()
    assert second.body[:40] in lines[documents[1].line - 1]


SCRIPT_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: job}
spec:
  containers:
  - name: job
    image: busybox:1.36
    args:
    - |
      echo start

      # the end of the script
"""


@pytest.mark.parametrize(
    ("end", "value"),
    [
        ("|", "echo start\nsleep 60\n"),
        ("|-", "echo start\nsleep 60"),
        ("|+", "echo start\nsleep 60\n"),
    ],
)
def test_a_block_scalar_at_the_end_of_a_file_without_a_last_line_break_reads_as_kubectl_reads_it(
    end, value
):
    """kubectl's LineReader (apimachinery's util/yaml) hands on every line with a line break, the
    file's last one too: a script at the end of a file saved without one still ends in "\n",
    unless its block says to strip it (``|-``). The engine read "sleep 60" where Kubernetes
    stores "sleep 60\n"."""
    text = SCRIPT_POD.split("    - |")[0] + f"    - {end}\n      echo start\n      sleep 60"
    for file in (text, f"kind: ConfigMap\n---\n{text}"):
        _, documents = read_documents(file)
        assert documents[-1].data["spec"]["containers"][0]["args"] == [value]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # A line that looks like a comment in a block scalar is its text.
        (SCRIPT_POD, "echo start\n\n# the end of the script\n"),
        (SCRIPT_POD + "\n# after the Pod\n---\nkind: ConfigMap\n", None),
        # A kept (|+) scalar keeps its empty lines, up to a comment at a lesser indentation.
        (SCRIPT_POD.replace("- |", "- |+") + "\n\n", "echo start\n\n# the end of the script\n\n\n"),
        (SCRIPT_POD.replace("- |", "- |+") + "\n# after\n\n", None),
        (SCRIPT_POD.replace("- |", "- >-"), "echo start\n# the end of the script"),
    ],
)
def test_a_block_scalar_that_ends_a_document_is_read_to_its_last_line(text, value):
    """What looked like trailing comments and blank lines was cut off the document: the Pod's
    script lost its last line, and an edit put new lines between a |+ scalar and its own."""
    _, documents = read_documents(text)
    expected = next(yaml.safe_load_all(text))
    assert documents[0].data == expected
    if value is not None:
        assert expected["spec"]["containers"][0]["args"] == [value]


def test_a_long_json_stream_is_split_in_one_pass_and_refused_past_the_limit():
    """300,000 empty objects (600 KB) took minutes when each object's line was counted from
    the start of the file."""
    started = time.monotonic()
    with pytest.raises(TooManyDocuments, match="more than 10000 documents"):
        read_documents("{}" * 300_000)
    many = "\r".join(['{"kind":"ConfigMap"}'] * 9_000) + '\r\n\r{"kind":"Pod"}'
    _, documents = read_documents(many)
    assert time.monotonic() - started < 10
    assert (
        documents[-1].kind == "Pod" and documents[-1].line == 9_002
    )  # \r\n is one break, \r another


def test_editing_an_object_of_a_json_stream_keeps_the_others_byte_for_byte():
    segments, documents = read_documents(JSON_STREAM)
    body = segments[documents[0].segment].body.replace('"port":80', '"port":81')
    out = render_stream(JSON_STREAM, segments, documents[0].segment, body)
    assert out == JSON_STREAM.replace('"port":80', '"port":81')


def test_a_field_of_the_second_json_object_is_located_on_its_line():
    segments, documents = read_documents(JSON_STREAM)
    keys = ["spec", "template", "spec", "containers", 0, "image"]
    assert locate(documents[1], segments[documents[1].segment].body, keys) == 3


@pytest.mark.parametrize(
    "text",
    [
        '{"kind": "Pod"}\n{"a": NaN}\n',  # not JSON: Go refuses NaN
        '{"kind": "Pod"}\n[1, 2]\n',  # a list is no object
        '{"kind": "Pod"}\n{"kind": \n',  # cut off
        '{"kind": "Pod"}\n---\n{"kind": "Service"}\n',  # YAML documents that are JSON
        "{kind: Pod}\n{kind: Service}\n",  # YAML flow mappings, not JSON
    ],
)
def test_only_json_objects_with_nothing_but_space_between_make_a_json_stream(text):
    segments, documents = read_documents(text)
    assert "".join(segment.text for segment in segments) == text
    if "---" in text:
        assert [d.kind for d in documents] == ["Pod", "Service"]
    else:
        assert len(documents) == 1 and "did not find expected" in documents[0].error


def test_one_json_object_is_read_as_before():
    text = _compact(DEPLOYMENT) + "\n"
    segments, documents = read_documents(text)
    assert [segment.text for segment in segments] == [text]
    assert [d.kind for d in documents] == ["Deployment"]


def test_the_line_a_reading_hint_names_is_counted_in_the_whole_file():
    """The no-break space hint named its line within the document, not the file."""
    text = FILE + "apiVersion: v1\nkind: Pod\nspec:\n\u00a0 containers: []\n  x: 1\n"
    (*_, pod) = read_documents(text)[1]
    lines = text.splitlines()
    assert pod.error.startswith(f"line {len(lines)}, column 3: ")
    assert f"(line {len(lines) - 1} holds a no-break space" in pod.error
    assert lines[len(lines) - 2].startswith("\u00a0")


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\rkind: Pod\rmetadata:\r  name: a\r---\rapiVersion: v1\rkind: Service\r",
        '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}} {"kind": "Service"}\n',
        '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}{"kind": "Service"}',
    ],
    ids=["lone-cr", "json-objects-on-one-line", "json-objects-touching"],
)
def test_an_edited_document_keeps_what_separates_it_from_the_next(text):
    from podstudio.engine.textedit import rewrite_kept

    segments = split_segments(text)
    body = segments[0].body
    data = read_documents(text)[1][0].data
    edited, _ = rewrite_kept(body, 0, {**data, "metadata": {"name": "b"}})
    result = render_stream(text, segments, 0, edited)
    assert result.replace('"b"', '"a"').replace("name: b", "name: a") == text


def test_json_with_a_character_past_u_ffff_as_two_escapes_is_read():
    """json.dumps and jq -a write 🚀 as \\ud83d\\ude80: valid JSON, which kubectl reads; a YAML
    file with the same escapes is refused, as go-yaml refuses it."""
    text = json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"annotations": {"a": "🚀"}}})
    assert "\\ud83d\\ude80" in text
    [document] = read_documents(text)[1]
    assert not document.error and document.data["metadata"]["annotations"]["a"] == "🚀"
    yaml_text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: {a: "\\ud83d\\ude80"}\n'
    [document] = read_documents(yaml_text)[1]
    assert "invalid Unicode character escape" in document.error


def test_files_joined_with_their_yaml_directives_read_as_kubectl_reads_them():
    """`cat a.yaml b.yaml` of files that each start with `%YAML 1.1` and `---`: kubectl cuts at
    the `---`, and go-yaml never reads the directive left after the first Pod."""
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {}\nspec:\n  containers:\n"
    pod += "  - name: app\n    image: nginx:1.27\n"
    text = "%YAML 1.1\n---\n" + pod.format("one") + "%YAML 1.1\n---\n" + pod.format("two")
    _, documents = read_documents(text)
    assert [(document.name, document.error) for document in documents] == [
        ("one", ""),
        ("two", ""),
    ]


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("1e400", "1e400"),
        ("-1e400", "-1e400"),
        ("1.8e308", "1.8e308"),
        ("9" * 400, "99999999999999999999…(400 digits)"),
    ],
)
def test_a_json_number_past_float64_is_refused_as_kubectl_refuses_it(number, shown):
    """go-yaml reads 1e400 as a string, Go's JSON decoder cannot hold it (convertNumber)."""
    text = '{"apiVersion": "v1", "kind": "Pod",\n "spec": {"activeDeadlineSeconds": NUMBER}}'
    text = text.replace("NUMBER", number)
    [document] = read_documents(text)[1]
    assert document.error == (
        f"line 2, column 36: {shown} is a number past the range of a float64, which kubectl "
        f"cannot read in a JSON file (json: cannot unmarshal number {shown} into Go value of type "
        "float64), so `kubectl apply` refuses the whole file; quote it to mean the text"
    )


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\nkind: Pod\nspec: {image: 1e400}\n",  # YAML: a string
        '{"apiVersion": "v1", "kind": "Pod", "spec": {"image": "1e400"}}',
        '{"apiVersion": "v1", "kind": "Pod", "spec": {"a": 1.7e308, "b": 1e-400}}',
        '{"apiVersion": "v1", "kind": "Pod", "spec": {"image": "sha256:3e123"}}',
    ],
)
def test_a_number_float64_holds_or_a_string_is_read_as_before(text):
    [document] = read_documents(text)[1]
    assert not document.error and document.data["kind"] == "Pod"


def test_a_json_key_may_end_its_line_before_its_colon_and_lines_are_kept():
    """JSON has no simple keys (YAML's: one line, 1024 characters); kubectl reads the file."""
    text = '{"apiVersion": "v1", "kind"\r\n  : "Pod",\n "metadata": {"name"\n:\n"a"},\n "x": 1e400}'
    [document] = read_documents(text)[1]
    assert document.error.startswith("line 6, column 7: 1e400 is a number past the range")
    [document] = read_documents(text.replace("1e400", "1"))[1]
    assert document.data == {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "x": 1}


def test_a_json_key_of_any_length_is_read_and_named_shortly_when_set_twice():
    key = "k" * 1100 + "\u2028"
    data = {"apiVersion": "v1", "kind": "Pod", "metadata": {"annotations": {key: "\x85"}}}
    [document] = read_documents(json.dumps(data, ensure_ascii=False))[1]
    assert not document.error and document.data == data
    twice = json.dumps(data).replace('"\\u0085"}', f'"x", "{key}": "y"}}')
    [document] = read_documents(twice)[1]
    # (the column is the key's last characters, where its stand-in is read; the line is kept)
    assert document.error.startswith(f"line 1, column 2281: the key '{'k' * 40}…' appears twice")


def test_a_json_file_saved_as_latin_1_is_read_with_a_replacement_character_for_each_byte():
    """Go's JSON decoder (and kubectl's FileVisitor) read a byte that is not UTF-8 as U+FFFD;
    go-yaml refuses it, so a YAML file is refused as before."""
    text = read_text(
        b'{"kind": "Pod", "metadata": {"annotations": {"a": "caf\xe9", "b": "\xe2\x82"}}}'
    )
    [document] = read_documents(text)[1]
    assert document.data["metadata"]["annotations"] == {"a": "caf\ufffd", "b": "\ufffd\ufffd"}
    yaml_file, not_json = (
        b"kind: Pod\nmetadata:\n  name: caf\xe9\n",
        b'{"kind": "Pod", "a": caf\xe9}',
    )
    for data, line in ((yaml_file, 3), (not_json, 1)):
        with pytest.raises(ManifestError) as refused:
            read_text(data)
        assert str(refused.value) == (
            f"the input is not UTF-8 text: line {line} has the byte 0xE9, as a file saved as "
            "Latin-1 or Windows-1252 has for a letter such as é; save it as UTF-8"
        )


NODE_CONTENT = (
    "did not find expected node content (a ... line ends a document, and none has begun "
    "before it: delete the line)"
)
TAB = (
    "found character that cannot start any token (a tab: YAML indents with spaces, never with tabs)"
)


@pytest.mark.parametrize(
    ("opening", "error"),
    [
        ("...\n---\n", f"line 1, column 1: {NODE_CONTENT}"),
        ("# pods\n... # end\n---\n", f"line 2, column 1: {NODE_CONTENT}"),
        ("...\n", f"line 1, column 1: {NODE_CONTENT}"),
        ("\t# pods\n---\n", f"line 1, column 1: {TAB}"),
        ("# pods\n \t\n---\n", f"line 2, column 2: {TAB}"),
        ("# pods\n---\n", ""),
        ("---\n...\n---\n", ""),
    ],
)
def test_the_text_before_the_first_marker_is_read_as_go_yaml_reads_it(opening, error):
    """kubectl and the API server read what comes before the first --- even when it holds no
    document: a lone ... there, or a line that starts with a tab, makes the file unreadable."""
    [document] = read_documents(opening + SERVICE)[1]
    assert document.error == error
    assert (document.data is None) == bool(error)


@pytest.mark.parametrize("marker", ["---# the app\n", "---#\r\n", "--- \t# the app\n", "---#é\t\n"])
def test_a_marker_with_a_comment_right_after_it_separates_documents_as_kubectl_cuts_them(marker):
    """apimachinery's YAMLReader.Read cuts at a "---" line whose rest, trimmed, is empty or
    starts with "#"; YAML alone would read "---#" as text (the API server reads one document)."""
    text = SERVICE + marker + DEPLOYMENT
    segments, documents = read_documents(text)
    assert [(document.kind, document.line, document.error) for document in documents] == [
        ("Service", 2, ""),
        ("Deployment", 10, ""),
    ]
    assert segments[1].prefix == marker
    renamed = DEPLOYMENT.replace("name: web", "name: app", 1)
    assert render_stream(text, segments, 1, renamed) == SERVICE + marker + renamed


def test_bytes_that_are_not_utf_8_are_refused_only_where_go_yaml_reads_them():
    """What follows a ... line is never read, until the next ---: bytes there are no reason to
    refuse the file; the first in read text is named."""
    pod = SERVICE.encode()
    [document] = read_documents(read_text(pod + b"...\ncaf\xe9\n"))[1]
    assert document.kind == "Service" and not document.error
    with pytest.raises(ManifestError, match="line 12 has the byte 0xE9"):
        read_text(pod + b"...\ncaf\xe9\n---\n# caf\xe9\n" + pod)
