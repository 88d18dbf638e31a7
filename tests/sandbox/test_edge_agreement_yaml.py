# ruff: noqa: E501 (a table of manifests, one case a line)
"""YAML syntax where the engine's reader and the API server once disagreed, found by hand, with
the answer kube-apiserver v1.37.2 gave to each (a server-side dry run with fieldValidation=Strict
of the YAML text as written, sent as application/yaml): the fields it refused, none when it
accepted, or the part of its message when it could not read the text at all. Each disagreement
keeps a neighbour or two, so that a fix does not refuse too much.

The API server reads YAML with sigs.k8s.io/yaml over go-yaml v2, which is not libyaml: it reads
``\\'`` in double quotes (libyaml refuses it) and not ``\\/`` (libyaml and JSON read it), takes only
``%YAML 1.1``, takes a merge (``<<``) of an alias only when it names a mapping, and tells map keys
apart by type before they become JSON strings (``1`` and ``'1'`` are two keys; one is kept).

The engine is checked against the recorded answer on every run; the sandbox suite checks the
recorded answer against the live server (as ``test_edge_agreement`` does, with its helpers).
"""

import json
from dataclasses import dataclass

import pytest

from podstudio.engine.analyze import analyze
from podstudio.engine.documents import read_documents, read_text
from podstudio.engine.yamlio import ManifestError, load_manifest
from podstudio.sandbox.client import path
from tests.sandbox.test_edge_agreement import _indented, namespace  # noqa: F401 (a fixture)


@dataclass(frozen=True)
class YamlEdge:
    id: str
    text: str | bytes
    server: frozenset[str]  # the fields the API server refused; empty: it accepted
    unreadable: str  # part of the API server's message when it could not read the text
    value: str | None  # the annotation ``a`` as read, when it matters
    kind: str


def case(
    id: str, text: str | bytes, *server: str, unreadable: str = "", value: str | None = None
) -> YamlEdge:
    if isinstance(text, bytes):
        utf16 = text.startswith((b"\xff\xfe", b"\xfe\xff"))
        shown = text.decode("utf-16" if utf16 else "utf-8", "replace")
    else:
        shown = text
    kind = "Deployment" if "kind: Deployment" in shown else "Pod"
    return YamlEdge(id, text, frozenset(server), unreadable, value, kind)


def pod(metadata: str = "", spec: str = "") -> str:
    """A Pod with ``metadata`` fields after its name and ``spec`` fields before its container."""
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: edge\n{_indented(metadata, 2) if metadata else ''}"
        f"spec:\n{_indented(spec, 2) if spec else ''}  containers:\n  - name: app\n    image: nginx:1.27\n"
    )


def deployment(labels: str, selector: str = "{app: web}") -> str:
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: edge\nspec:\n  selector:\n"
        f"    matchLabels: {selector}\n  template:\n    metadata:\n      labels:\n"
        f"{_indented(labels, 8)}    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n"
    )


def annotation(text: str) -> str:
    return pod(f"annotations:\n  a: {text}")


JSON_POD = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "edge", "annotations": {"a": %s}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}'
JSON_ENV = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "edge"}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "env": [{"name": "%s", "value": "x"}]}]}}'
JSON_IMAGE = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "edge"}, "spec": {"containers": [{"name": "app", "image": %s}]}}'
JSON_VOLUME = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "edge"}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}], "volumes": [{"name": "v", "csi": {"driver": "example.com", "volumeAttributes": {%s}}}]}}'
NUMBER = "cannot unmarshal number"
ESCAPE = "found unknown escape character"
TWICE = "already set in map"
MERGE = "map merge requires map or sequence of maps"

CASES = [
    # go-yaml reads \' in double quotes as ' (libyaml stops at it)
    case("quote-escape", annotation('"it\\\'s"'), value="it's"),
    case("quote-escape-twice-and-escaped-backslash", annotation('"\\\'a\\\\\' \\\'"'), value="'a\\' '"),
    case("quote-escape-over-lines", annotation('"x\n  \\\' y"'), value="x ' y"),
    case("quote-escape-in-flow-and-key", pod('annotations: {"a": "\\\'", "b\\\'": x}'), "metadata.annotations"),
    case("quote-escape-deployment", deployment("app: web\ntier: \"\\'\""), "spec.template.labels"),
    case("backslash-quote-single-quoted", annotation("'x\\'"), value="x\\"),
    case("backslash-quote-plain", annotation("x\\'y"), value="x\\'y"),
    # ...and has no \/ (libyaml and JSON have)
    case("slash-escape", annotation('"a\\/b"'), unreadable=ESCAPE),
    case("slash-escape-in-a-key", pod('annotations:\n  "a\\/b": x'), unreadable=ESCAPE),
    # A JSON file is sent as JSON (kubectl decodes it as JSON, as PHP's json_encode writes it).
    case("slash-escape-json", JSON_POD % '"http:\\/\\/a\\/b"', value="http://a/b"),
    case("surrogate-pair-json", JSON_POD % '"\\ud83d\\ude80"', value="\U0001f680"),
    case("slash-after-escaped-backslash", annotation('"a\\\\/b"'), value="a\\/b"),
    case("slash-escape-single-quoted", annotation("'a\\/b'"), value="a\\/b"),
    case("slash-escape-block", annotation("|-\n    a\\/b"), value="a\\/b"),
    case("slash-json", JSON_POD % '"a/b"', value="a/b"),
    # go-yaml takes %YAML 1.1 only, and a document's directives belong to it
    case("yaml-1.1", "%YAML 1.1\n---\n" + annotation("yes please"), value="yes please"),
    case("yaml-1.1-after-a-comment", "# a comment\n%YAML 1.1 # and another\n---\n" + pod()),
    case("yaml-1.2", "%YAML 1.2\n---\n" + pod(), unreadable="found incompatible YAML document"),
    case("tag-directive", "%TAG !e! tag:example.com,2000:\n---\n" + annotation("!e!foo bar"), value="bar"),
    case("tag-directive-standard", "%TAG !e! tag:yaml.org,2002:\n---\n" + pod(spec="activeDeadlineSeconds: !e!int '5'")),
    case("tag-directive-deployment", "%TAG !e! tag:yaml.org,2002:\n--- !e!map\n" + deployment("app: web")),
    # go-yaml merges an alias only of a mapping; a list of mappings only written in place
    case("merge-alias-of-a-list", pod(spec="tolerations: &t [{operator: Exists}]\nnodeSelector:\n  <<: *t"), unreadable=MERGE),
    case("merge-list-of-aliases", pod("labels: &l {app: web}\nannotations:\n  <<: [*l]")),
    case("merge-list-in-place", pod("labels:\n  <<: &l [{app: web}]")),
    # go-yaml tells keys apart by type: the API server keeps one of two that JSON writes alike
    case("int-and-string-key", pod("labels:\n  1: a\n  '1': a")),
    case("bool-and-string-key", pod("labels:\n  true: a\n  'true': a")),
    case("int-float-and-string-key", pod("annotations:\n  1: a\n  1.0: a\n  '1': a")),
    case("float-keys-alike-as-float32", pod("annotations:\n  0.1: a\n  0.10000000001: a")),
    case("string-tagged-and-int-key", pod("annotations:\n  !!str 1: a\n  1: a")),
    case("bool-and-string-key-deployment", deployment("app: web\ntrue: x\n'true': x", "{app: web, 'true': x}")),
    case("two-booleans-key", pod("labels:\n  y: a\n  true: a"), unreadable=TWICE),
    case("two-ints-key", pod("labels:\n  1: a\n  01: a"), unreadable=TWICE),
    case("string-key-twice-beside-an-int", pod("labels:\n  '1': a\n  1: a\n  \"1\": a"), unreadable=TWICE),
    case("int-and-string-key-bad-value", pod("labels:\n  1: a b\n  '1': a b"), "metadata.labels"),
    # 7th sweep. A merged key keeps the type it was written with: go-yaml merges before JSON.
    case("merged-int-and-string-key", pod("labels:\n  <<: {1: a}\n  '1': b")),
    case("string-and-merged-int-key", pod("labels:\n  '1': b\n  <<: {1: a}")),
    case("merged-bool-and-string-key", pod("labels:\n  <<: {true: a}\n  'true': b")),
    case("merged-int-and-string-keys-in-a-list", pod("labels:\n  <<: [{1: a}, {'1': b}]")),
    case("merged-int-and-int-key", pod("labels:\n  <<: {1: a}\n  1: b"), unreadable=TWICE),
    case("int-key-and-merged-int", pod("labels:\n  1: b\n  <<: {1: a}"), unreadable=TWICE),
    case("merged-true-and-y-key", pod("labels:\n  <<: {true: a}\n  y: b"), unreadable=TWICE),
    case("merged-alias-int-key", pod("annotations: &m {<<: {1: a}}\nlabels:\n  <<: *m\n  1: b"), unreadable=TWICE),
    case("merged-alias-int-and-string-key", pod("annotations: &m {<<: {1: a}}\nlabels:\n  <<: *m\n  '1': b")),
    # ...and a NaN key is never the same key as another (NaN != NaN in a Go map), while two
    # infinities are; JSON writes either as ".nan" or ".inf", not a label key.
    case("nan-keys-are-never-the-same", pod("labels:\n  .nan: a\n  .NaN: b"), "metadata.labels"),
    case("nan-key-twice-in-annotations", pod("annotations:\n  .nan: a\n  .nan: b"), "metadata.annotations"),
    case("infinite-keys-are-the-same", pod("labels:\n  .Inf: a\n  .inf: b"), unreadable=TWICE),
    # go-yaml reads "," "[" "]" into a tag (libyaml ends it there): the value after it stands alone
    case("tag-takes-a-comma-in-a-flow-list", pod("finalizers: [!!str, example.com/x]")),
    case("tag-takes-a-comma-in-a-block-value", annotation("!!str, x"), value="x"),
    case("tag-takes-a-comma-in-a-flow-mapping", pod("annotations: {a: !!str, b: x}"), unreadable="did not find expected ',' or '}'"),
    case("tag-takes-a-bracket", pod("finalizers: [!a,b]"), unreadable="did not find expected ',' or ']'"),
    case("two-tags-take-commas", pod("finalizers: [!x, !y, example.com/x]"), unreadable="did not find expected ',' or ']'"),
    case("verbatim-tag-with-a-comma", pod("finalizers: [!<tag:yaml.org,2002:str> example.com/x]")),
    case("tag-then-a-space-and-a-comma", pod("finalizers: [!!str example.com/x, example.com/y]")),
    # json.Marshal writes U+FFFD for each byte of a cut-off UTF-8 sequence
    case("binary-cut-off-utf8", annotation("!!binary 4oI="), value="\ufffd\ufffd"),
    case("binary-invalid-utf8", annotation("!!binary 7aCA"), value="\ufffd\ufffd\ufffd"),
    case("binary-utf8", annotation("!!binary 4oKs"), value="\u20ac"),
    # go-yaml reads UTF-16 text that starts with its byte order mark
    case("utf-16-little-endian", b"\xff\xfe" + annotation("\u20ac").encode("utf-16-le"), value="\u20ac"),
    case("utf-16-big-endian", b"\xfe\xff" + deployment("app: web").encode("utf-16-be")),
    case("utf-8-byte-order-mark", b"\xef\xbb\xbf" + annotation("\u20ac").encode(), value="\u20ac"),
    case("utf-16-cut-off", b"\xff\xfe" + pod().encode("utf-16-le") + b"a", unreadable="incomplete UTF-16"),
    # 4th sweep. go-yaml ends a plain scalar at '?' inside [ ] and { } (libyaml 0.2 reads on).
    case("question-mark-in-flow-sequence", pod(spec="").replace("image: nginx:1.27\n", "image: nginx:1.27\n    command: [curl, -fsS, http://svc/health?verbose=1]\n"), unreadable="did not find expected ',' or ']'"),
    case("question-mark-in-flow-mapping", pod("annotations: {note: why?}"), unreadable="did not find expected ',' or '}'"),
    case("question-mark-quoted-in-flow", pod("annotations: {note: 'why?'}")),
    case("question-mark-in-block-value", annotation("why?"), value="why?"),
    # 6th sweep. go-yaml keeps a ':' followed by ',' ']' or '}' in the plain scalar it ends.
    case("colon-before-flow-sequence-end", pod(spec="").replace("image: nginx:1.27\n", "image: nginx:1.27\n    args: [--bind=::]\n")),
    case("colon-before-flow-mapping-end", pod("annotations: {a: b:}"), value="b:"),
    case("colon-before-flow-comma", pod("annotations: {a: http:, c: d}"), value="http:"),
    case("colon-ends-a-flow-key", pod("annotations: {a:, c: d}"), "metadata.annotations"),
    case("colon-before-flow-sequence-start", pod(spec="").replace("image: nginx:1.27\n", "image: nginx:1.27\n    args: [--bind=::[]\n"), unreadable="did not find expected ',' or ']'"),
    case("colon-before-space-in-flow", pod("annotations: {a: b: c}"), unreadable="did not find expected ',' or '}'"),
    # go-yaml reads one document and stops: what follows it is never read, nor refused.
    case("heredoc-end-under-an-indented-manifest", "".join(f"  {line}\n" for line in pod().splitlines()) + "EOF\n"),
    case("text-after-a-flow-root", "# pod\n{apiVersion: v1, kind: Pod, metadata: {name: edge}, spec: {containers: [{name: app, image: 'nginx:1.27'}]}}\nnotes: never read\n"),
    case("text-after-document-end-on-its-line", pod() + "... unread: [\n"),
    case("directive-after-a-document", pod() + "%YAML 1.1\n"),
    case("unscannable-text-after-a-flow-root", "# pod\n{apiVersion: v1, kind: Pod, metadata: {name: edge}, spec: {containers: [{name: app, image: 'nginx:1.27'}]}}\n@x\n", unreadable="cannot start any token"),
    # go-yaml reads the comments and blank lines around a document as well.
    case("tab-line-after-a-document", deployment("app: web") + "\t\n", unreadable="found a tab character that violates indentation"),
    case("tab-before-a-first-comment", "\t# web tier\n" + deployment("app: web"), unreadable="found character that cannot start any token"),
    case("escape-in-a-last-comment", deployment("app: web") + "# end\x1b[0m\n", unreadable="control characters are not allowed"),
    case("non-ascii-in-a-last-comment", deployment("app: web") + "# fin de l'\u00e9t\u00e9\n"),
    # ParseGroupVersion: an empty group before the slash is the core group.
    case("api-version-with-an-empty-group", pod().replace("apiVersion: v1", "apiVersion: /v1")),
    # A byte order mark at the start of a line is text for go-yaml (libyaml skips it).
    case("byte-order-mark-starts-a-line", pod("annotations:\n  a: b").replace("\n    a: b", "\n\ufeff    a: b"), unreadable="unknown field"),
    case("byte-order-mark-inside-a-string", annotation('"x\n  \ufeffy"'), value="x \ufeffy"),
    # What follows "..." is never read: kubectl cuts at "---" only, the server reads one document.
    case("text-after-document-end", pod() + "...\ngarbage: [\n"),
    # Go's time parsers read ASCII digits only.
    case("timestamp-tag-full-width-digit", annotation("!!timestamp 2024-\uff101-02"), unreadable="cannot decode"),
    case("creation-timestamp-one-digit-hour", pod("creationTimestamp: '2024-01-02T9:04:05Z'")),
    # 8th sweep: a JSON file is read by Go's JSON decoder, whose rules are not YAML's
    case("json-lone-surrogate", JSON_POD % '"\\ud800"', value="\ufffd"),
    case("json-lone-low-surrogate-then-a-letter", JSON_POD % '"\\udc00A"', value="\ufffdA"),
    case("json-surrogate-pair-after-a-lone-one", JSON_POD % '"\\ud800\\ud83d\\ude80"', value="\ufffd\U0001f680"),
    case("json-raw-delete-character", JSON_POD % '"a\x7fb"', value="a\x7fb"),
    case("json-raw-c1-control", JSON_POD % '"a\x80b"', value="a\x80b"),
    case("json-raw-noncharacter", JSON_POD % '"a\uffffb"', value="a\uffffb"),
    case("json-raw-next-lines-kept", JSON_POD % '"a\x85\x85b"', value="a\x85\x85b"),
    case("json-raw-line-separator-kept", JSON_POD % '"a\u2028 b"', value="a\u2028 b"),
    case("json-raw-next-line-in-an-env-name", JSON_ENV % "A\x85B", "spec.containers[0].env[0].name"),
    case("json-tab-line-after", JSON_POD % '"x"' + "\n\t\n", value="x"),
    case("json-tab-before", "\t" + JSON_POD % '"x"', value="x"),
    case("json-metadata-generation-a-fraction", JSON_POD.replace('"name": "edge"', '"name": "edge", "generation": 1.0') % '"x"', unreadable="cannot unmarshal number 1.0"),
    case("json-metadata-grace-period-an-exponent", JSON_POD.replace('"name": "edge"', '"name": "edge", "deletionGracePeriodSeconds": 3e1') % '"x"', unreadable="cannot unmarshal number 3e1"),
    case("json-metadata-generation-an-integer", JSON_POD.replace('"name": "edge"', '"name": "edge", "generation": 1') % '"x"', value="x"),
    # 9th sweep. A JSON number past float64's range is no string, as go-yaml reads it in YAML.
    case("json-number-past-float64-image", JSON_IMAGE % "1e400", unreadable=NUMBER),
    case("json-negative-number-past-float64-image", JSON_IMAGE % "-1e400", unreadable=NUMBER),
    case("json-number-just-past-float64-image", JSON_IMAGE % "1.8e308", unreadable=NUMBER),
    case("json-400-digit-image", JSON_IMAGE % ("9" * 400), unreadable=NUMBER),
    case("json-number-past-float64-written-as-a-string", JSON_POD % '"1e400"', value="1e400"),
    case("yaml-number-past-float64-is-a-string", annotation("1e400"), value="1e400"),
    case("yaml-image-past-float64-is-a-string", pod().replace("image: nginx:1.27", "image: 1e400")),
    # JSON has no simple keys: a key may end its line before its ':', and be of any length
    case("json-line-break-before-colon", (JSON_POD % '"x"').replace('"kind"', '"kind"\n'), value="x"),
    case("json-crlf-before-colon", (JSON_POD % '"x"').replace('"a": ', '"a"\r\n  :\r\n '), value="x"),
    case("json-long-gap-before-colon", (JSON_POD % '"x"').replace('"a": ', '"a"' + " " * 1100 + ": "), value="x"),
    case("json-long-key", JSON_VOLUME % ('"' + "k" * 1100 + '": "x"')),
    case("json-long-key-twice", JSON_VOLUME % ('"' + "k" * 1100 + '": "x", "' + "k" * 1100 + '": "y"'), unreadable="duplicate field"),
    # Go's JSON decoder reads each byte that is not UTF-8 as U+FFFD; go-yaml refuses it
    # go-yaml reads the text before the first --- too, even when it holds no document
    case("document-end-before-the-first-marker", "...\n---\n" + pod(), unreadable="did not find expected node content"),
    case("document-end-after-a-comment-before-the-first-marker", "# pods\n... # end\n---\n" + pod(), unreadable="did not find expected node content"),
    case("tab-comment-before-the-first-marker", "\t# pods\n---\n" + deployment("app: web"), unreadable="found character that cannot start any token"),
    case("space-and-tab-line-before-the-first-marker", " \t\n---\n" + pod(), unreadable="found character that cannot start any token"),
    case("comment-before-the-first-marker", "# pods\n---\n" + pod()),
    case("indented-comment-before-the-first-marker", "  # pods\n\n---\n" + pod()),
    case("json-latin-1-byte", (JSON_POD % '"caf\u00e9"').encode("latin-1"), value="caf\ufffd"),
    case("json-cut-off-utf-8", (JSON_POD % '"x"').encode()[:-70] + b"\xe2\x82" + (JSON_POD % '"x"').encode()[-70:], value="x\ufffd\ufffd"),
    case("yaml-latin-1-byte", annotation("caf\u00e9").encode("latin-1"), unreadable="invalid trailing UTF-8 octet"),
    case("yaml-latin-1-byte-after-document-end", (pod() + "...\ncaf\u00e9\n").encode("latin-1")),
    case("yaml-latin-1-byte-in-a-comment-before-document-end", (pod() + "# caf\u00e9\n...\n").encode("latin-1"), unreadable="invalid trailing UTF-8 octet"),
    case("yaml-long-key", pod(spec="volumes:\n- name: v\n  csi:\n    driver: example.com\n    volumeAttributes: {" + "k" * 1100 + ": x}"), unreadable="did not find expected"),
]  # fmt: skip


def _engine_data(data: str | bytes):
    """The one document the engine reads from ``data``, or ``None`` when it cannot read it."""
    try:
        text = read_text(data)
    except ManifestError:
        return None
    documents = read_documents(text)[1]
    assert len(documents) == 1, documents
    return None if documents[0].error else documents[0].data


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_engine_gives_the_recorded_answer_of_the_api_server(case):
    data = _engine_data(case.text)
    if case.unreadable:
        assert data is None
        if case.kind == "Pod":
            with pytest.raises(ManifestError):
                load_manifest(case.text)
        return
    assert data is not None, read_documents(read_text(case.text))[1][0].error
    errors = analyze(data).errors
    assert {error.path for error in errors} == set(case.server), errors
    if case.kind == "Pod":
        assert load_manifest(case.text) == data
    if case.value is not None:
        assert data["metadata"]["annotations"]["a"] == case.value


@pytest.mark.sandbox
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_live_api_server_gives_the_recorded_answer(namespace, case):  # noqa: F811
    admin, name = namespace
    if case.kind == "Pod":
        where = path("api", "v1", "namespaces", name, "pods")
    else:
        where = path("apis", "apps", "v1", "namespaces", name, "deployments")
    text = case.text if isinstance(case.text, bytes) else case.text.encode()
    json_file = text.lstrip(b" \t\r\n")[:1] == b"{"
    if json_file:  # as kubectl sends a JSON file: as JSON
        answer = _post_json_text(admin, where, case.text)
    else:
        answer = admin.request(
            "POST",
            where,
            query={"dryRun": "All", "fieldValidation": "Strict"},
            body=case.text,
            content_type="application/yaml",
        )
    message = str(answer.body.get("message") or answer.text)
    if case.unreadable:
        assert answer.status == 400 and case.unreadable in message, message
        return
    causes = (answer.body.get("details") or {}).get("causes") or []
    fields = {str(cause.get("field") or "") for cause in causes}
    assert (answer.ok, fields) == (not case.server, set(case.server)), message
    if case.value is not None:
        assert answer.body["metadata"]["annotations"]["a"] == case.value


def _post_json_text(admin, where: str, text: str | bytes):
    """A dry run of ``text`` sent as it is, as application/json (the client's own request
    would write a JSON body anew, escapes gone)."""
    from types import SimpleNamespace

    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    admin.api_client.update_params_for_auth(headers, None, ["BearerToken"], None, None, None)
    url = f"{admin.host}{where}?dryRun=All&fieldValidation=Strict"
    response = admin.api_client.rest_client.pool_manager.request(
        "POST", url, body=text if isinstance(text, bytes) else text.encode(), headers=headers
    )
    raw = response.data.decode()
    return SimpleNamespace(
        status=response.status, ok=200 <= response.status < 300, body=json.loads(raw), text=raw
    )
