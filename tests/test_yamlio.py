"""Reading manifests safely and writing them canonically, without losing anything."""

import json
import re
import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podstudio.engine import goyaml
from podstudio.engine.documents import read_documents
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import MAX_DEPTH, ManifestError, load_manifest
from tests.conftest import POD_FILES, SEED

SEED_FILES = sorted(SEED.glob("*.yaml"))
ALL_MANIFESTS = POD_FILES

POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\n"
    "spec:\n  containers:\n  - name: app\n    image: nginx:1.27\n"
)


def test_reads_the_eight_seed_pods():
    assert len(SEED_FILES) == 8
    for path in SEED_FILES:
        manifest = load_manifest(path.read_text())
        assert manifest["kind"] == "Pod"


@pytest.mark.parametrize("path", ALL_MANIFESTS, ids=lambda p: p.name)
def test_round_trip_is_equal_as_data(path):
    original = load_manifest(path.read_text())
    emitted = dump_manifest(original)
    assert load_manifest(emitted) == original
    assert dump_manifest(load_manifest(emitted)) == emitted  # a fixed point


def test_strings_that_look_like_numbers_stay_strings(seed):
    pod = seed("my-app-pod")
    assert pod["metadata"]["labels"]["version"] == "1.0"
    proxy = seed("app-with-proxy")
    out = dump_manifest(proxy)
    again = load_manifest(out)
    ports = [
        env["value"] for env in again["spec"]["containers"][0]["env"] if env["name"] == "DB_PORT"
    ]
    assert ports == ["5432"]


@pytest.mark.parametrize(
    "text",
    [
        '"1.0"',
        '"5432"',
        '"true"',
        '"yes"',
        '"on"',
        '"null"',
        '"~"',
        '"0x1F"',
        '"1e3"',
        '"0440"',
        '"2024-01-01"',
        '""',
        '"- item"',
        '"key: value"',
        '"#comment"',
        '"@at"',
        '" padded "',
    ],
)
def test_scalar_strings_survive_a_round_trip(text):
    value = json.loads(text)
    manifest = load_manifest(POD)
    manifest["metadata"]["labels"] = {"v": value}
    assert load_manifest(dump_manifest(manifest))["metadata"]["labels"]["v"] == value


def test_octal_mode_keeps_its_value():
    text = (
        POD
        + "  volumes:\n  - name: secret\n    secret:\n"
        + "      secretName: s\n      defaultMode: 0440\n"
    )
    manifest = load_manifest(text)
    assert manifest["spec"]["volumes"][0]["secret"]["defaultMode"] == 288
    assert (
        load_manifest(dump_manifest(manifest))["spec"]["volumes"][0]["secret"]["defaultMode"] == 288
    )


def test_yaml_11_booleans_and_dates_as_kubernetes_reads_them():
    manifest = load_manifest(POD + "  hostNetwork: yes\n  hostname: 2024-01-01\n")
    assert manifest["spec"]["hostNetwork"] is True
    assert manifest["spec"]["hostname"] == "2024-01-01"


def test_json_input_is_read_too():
    manifest = load_manifest(json.dumps(load_manifest(POD)))
    assert manifest["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_output_has_canonical_key_order_and_name_first():
    scrambled = (
        "spec:\n  containers:\n  - image: nginx:1.27\n    ports:\n    - protocol: TCP\n"
        "      containerPort: 80\n      name: http\n    name: web\n"
        "metadata:\n  labels: {b: '2', a: '1'}\n  name: demo\nkind: Pod\napiVersion: v1\n"
    )
    out = dump_manifest(load_manifest(scrambled))
    assert out.splitlines()[:4] == ["apiVersion: v1", "kind: Pod", "metadata:", "  name: demo"]
    assert "- name: web\n    image: nginx:1.27" in out
    assert "- name: http\n      containerPort: 80" in out
    assert out.index("a: '1'") < out.index("b: '2'")


def test_output_does_not_depend_on_input_key_order():
    a = load_manifest(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: y}\nspec: {containers: []}\n"
    )
    b = load_manifest(
        "spec: {containers: []}\nmetadata: {namespace: y, name: x}\nkind: Pod\napiVersion: v1\n"
    )
    assert dump_manifest(a) == dump_manifest(b)


def test_multi_line_strings_are_literal_blocks(seed):
    out = dump_manifest(seed("app-with-init"))
    assert "- |\n      until nc -z postgres-service 5432; do" in out


def test_block_style_and_no_anchors():
    text = POD + "  nodeSelector: &sel {disktype: ssd}\n  x-copy: *sel\n"
    manifest = load_manifest(text)
    out = dump_manifest(manifest)
    assert "&" not in out and "*" not in out and "{disktype" not in out
    # An alias gives an independent copy: changing one place does not change the other.
    manifest["spec"]["nodeSelector"]["disktype"] = "hdd"
    assert manifest["spec"]["x-copy"]["disktype"] == "ssd"


# --- bad input: a clear one-line error, bounded time and memory -------------------------------


def _billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "apiVersion: v1\nkind: Pod\n" + "\n".join(lines) + "\n"


BAD_INPUTS = {
    "empty": ("", "empty"),
    "whitespace": ("  \n\n", "empty"),
    "only comments": ("# nothing here\n", "no manifest"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
    "latin-1": (
        b"kind: Pod\nmetadata:\n  name: caf\xe9\n",
        "not UTF-8 text: line 3 has the byte 0xE9",
    ),
    "nul bytes": ("kind: Pod\x00\n", "binary"),
    "syntax error": ("apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n", "line"),
    "bad indentation": ("apiVersion: v1\nkind: Pod\n metadata:\n  name: x\n", "line 3"),
    "tab indentation": ("kind: Pod\nspec:\n\tcontainers: []\n", "line 3"),
    "alias bomb": (_billion_laughs(), "the aliases of this file expand to more than 50000"),
    "recursive alias": ("kind: Pod\nspec: &s\n  again: *s\n", "refers to itself"),
    "undefined alias": ("kind: Pod\nspec: *nope\n", "not defined"),
    "deep nesting": ("kind: Pod\nspec: " + "[" * 10_000 + "]" * 10_000 + "\n", "nesting"),
    "two documents": (POD + "---\n" + POD, "more than one"),
    "a list": ("- kind: Pod\n", "not a list"),
    "a scalar": ("just text\n", "not a single value"),
    "no kind": ("apiVersion: v1\nmetadata: {name: x}\n", "no kind"),
    "empty kind": ("apiVersion: v1\nkind: ''\nmetadata: {name: x}\n", "no kind"),
    "no apiVersion": ("kind: Pod\nmetadata: {name: x}\n", "no apiVersion"),
    "empty apiVersion": ("apiVersion:\nkind: Pod\nmetadata: {name: x}\n", "no apiVersion"),
    "a deployment": ("apiVersion: apps/v1\nkind: Deployment\n", "Deployment, not a Pod"),
    "duplicate key": ("kind: Pod\nspec: {}\nspec: {}\n", "appears twice"),
    "collection as key": ("kind: Pod\n? [a, b]\n: c\n", "key"),
    "bad int": ("kind: Pod\nspec:\n  x: !!int abc\n", "cannot decode !!str `abc` as a !!int"),
    "bad binary": ("kind: Pod\nspec:\n  x: !!binary '%%%'\n", "invalid base64"),
    # go-yaml turns an int or an int64 into a float, never a uint64
    "uint64 as a float": (
        "kind: Pod\nspec:\n  x: !!float 18446744073709551615\n",
        "cannot decode !!int `18446744073709551615` as a !!float",
    ),
    "infinity": ("kind: Pod\nspec:\n  terminationGracePeriodSeconds: .inf\n", "line 3, column"),
    "minus infinity": ("kind: Pod\nspec:\n  x: [-.inf]\n", "unsupported value: -Inf"),
    "not a number": ("kind: Pod\nspec:\n  x: .nan\n", "unsupported value: NaN"),
    "null key": ("kind: Pod\nspec:\n  ~: x\n", "null"),
    "key past int64": ("kind: Pod\nspec:\n  9223372036854775808: x\n", "int64"),
}


# Tags never build objects. go-yaml v2 (and so kubectl and the API server) ignores a tag on a
# mapping or a list and keeps the text of a scalar whose tag it does not know.
TAGGED = {
    "python object tag on a list": (
        "spec: !!python/object/apply:os.system ['echo hi']",
        ["echo hi"],
    ),
    "python name tag on an empty scalar": ("spec: !!python/name:os.system", ""),
    "binary tag": ("spec: !!binary aGVsbG8=", "hello"),
    "set tag on a mapping": ("spec: !!set {a, b}", {"a": None, "b": None}),
    "custom tag": ("spec: !Ref thing", "thing"),
    "map tag on a scalar": ("spec: !!map foo", "foo"),
    "seq tag on a scalar": ("spec: !!seq foo", "foo"),
    "str tag on a mapping": ("spec: !!str {a: 1}", {"a": 1}),
    "float tag on an integer": ("spec: !!float 3", 3),
    "non-specific tag": ("spec: ! 5", "5"),
}


@pytest.mark.parametrize("name", TAGGED)
def test_tags_are_read_as_go_yaml_reads_them(name):
    text, expected = TAGGED[name]
    assert load_manifest(f"apiVersion: v1\nkind: Pod\n{text}\n")["spec"] == expected


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_gives_a_clear_one_line_error(name):
    text, expected = BAD_INPUTS[name]
    started = time.monotonic()
    with pytest.raises(ManifestError) as info:
        load_manifest(text)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message and "Traceback" not in message
    assert time.monotonic() - started < 2


def test_twenty_megabytes_is_refused_before_parsing():
    big = ("kind: Pod\n" + "# padding\n" * 2_000_000).encode()
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(ManifestError, match="larger than 1024 KiB"):
        load_manifest(big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.monotonic() - started < 1
    assert peak < 5 * 1024 * 1024


def test_alias_bomb_is_refused_within_bounded_memory():
    tracemalloc.start()
    with pytest.raises(ManifestError):
        load_manifest(_billion_laughs(12))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50 * 1024 * 1024


# A document whose aliases add about 41,000 values: each alone is within the limits.
_WIDE_ALIASES = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{n}}}\n"
    "x: &a [x,x,x,x,x,x,x,x,x,x]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "z: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nw: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "v: [*d,*d,*d]\n"
)


def test_aliases_are_limited_for_the_whole_file_not_each_document():
    """500 documents of 200 bytes, each within the limits alone, would expand to 20 million
    values: past the file's budget, each document is refused at its first alias, quickly."""
    text = "---\n".join(_WIDE_ALIASES.format(n=n) for n in range(500))
    tracemalloc.start()
    started = time.monotonic()
    _, documents = read_documents(text)
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not documents[0].error
    assert len(documents[0].data["v"]) == 3
    refused = [document.error for document in documents[1:]]
    assert all("the aliases of this file expand to more than 50000 values" in e for e in refused)
    assert refused[0].startswith("line 16, column ")  # its w: the budget is spent there
    assert elapsed < 5 and peak < 100 * 1024 * 1024


def test_a_large_document_without_aliases_is_not_said_to_expand():
    containers = "".join(f"  - {{name: c{i}, image: x, args: [a, b, c, d]}}\n" for i in range(6000))
    text = f"apiVersion: v1\nkind: Pod\nmetadata: {{name: big}}\nspec:\n containers:\n{containers}"
    with pytest.raises(ManifestError) as refused:
        load_manifest(text)
    assert "the document is too large (more than 50000 values)" in str(refused.value)


def test_nesting_at_the_limit_is_accepted():
    nested = "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
    manifest = load_manifest(f"apiVersion: v1\nkind: Pod\nspec:\n  x: {nested}\n")
    assert isinstance(manifest["spec"]["x"], list)


def test_byte_order_mark_is_ignored():
    assert load_manifest(b"\xef\xbb\xbf" + POD.encode())["metadata"]["name"] == "demo"


# --- property: anything we can load, we can dump and load back ---------------------------------

label_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"
    ),
    max_size=30,
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    label_text,
    st.sampled_from(
        [
            "1.0",
            "5432",
            "yes",
            "no",
            "on",
            "off",
            "null",
            "~",
            "0o17",
            "0x10",
            "1e3",
            "2024-01-01",
            "=",
            "<<",
            "true",
            "False",
            "-",
            ".inf",
            ".NaN",
            "multi\nline\n",
        ]
    ),
)
keys = st.one_of(label_text, st.sampled_from(["name", "image", "<<", "=", "1", "true", "null"]))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=st.dictionaries(keys, values, max_size=5))
def test_any_data_survives_dump_and_load(extra):
    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": extra}
    assert load_manifest(dump_manifest(manifest)) == as_json(manifest)


def as_json(data):
    """The data as the API server receives it in JSON: a whole float is written as an integer
    (Go writes 5.885081943847234e+16 as 58850819438472340)."""
    if isinstance(data, dict):
        return {key: as_json(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_json(item) for item in data]
    return goyaml.json_value(data)


MERGED = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\n"
    "x-defaults: &defaults {image: nginx:1.27, imagePullPolicy: IfNotPresent}\n"
    "spec:\n  containers:\n  - <<: *defaults\n    name: web\n"
)


def test_merge_keys_are_applied_as_the_api_server_reads_them():
    container = load_manifest(MERGED)["spec"]["containers"][0]
    assert container == {"name": "web", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent"}


KEY_BEFORE_MERGE = "  - name: web\n    image: a\n    <<: *defaults\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Checked against kube-apiserver v1.37.2 (YAML body, fieldValidation=Strict): each is
        # refused with 'key "…" already set in map'. Each message names the value kubectl's
        # lenient reading takes instead (checked with `kubectl create --dry-run=server`).
        (
            MERGED + "    imagePullPolicy: Always\n",
            "line 10, column 5: the key 'imagePullPolicy' is also set by the merge (<<) in this "
            "mapping: kubectl takes the value written here",
        ),
        (
            MERGED.replace("  - <<: *defaults\n    name: web\n", KEY_BEFORE_MERGE),
            "line 10, column 5: the merge (<<) sets the key 'image', which this mapping already "
            "has: kubectl takes the merged value over the one written here",
        ),
        (
            MERGED.replace("<<: *defaults", "<<: [*defaults, {image: b}]"),
            "two mappings this merge (<<) lists set the key 'image': kubectl takes the first "
            "one's value",
        ),
        (
            MERGED + "    <<: {image: c}\n",
            "the merge (<<) sets the key 'image', which an earlier merge in this mapping sets "
            "too: kubectl takes this later merge's value",
        ),
    ],
)
def test_a_key_set_twice_through_a_merge_is_refused(text, message):
    with pytest.raises(ManifestError, match=re.escape(message)) as refusal:
        load_manifest(text)
    assert (
        'the API server reads YAML strictly and refuses a key set twice ("key already set in '
        in (str(refusal.value))
    )


def test_a_quoted_merge_key_is_an_ordinary_key():
    manifest = load_manifest("apiVersion: v1\nkind: Pod\nspec:\n  '<<': text\n")
    assert manifest["spec"] == {"<<": "text"}
    assert load_manifest(dump_manifest(manifest)) == manifest


# --- the fast writer writes exactly what libyaml writes ---------------------------------------

tricky_text = st.one_of(
    label_text,
    st.text(alphabet=" ab:#-'\"\\\t\r{}[]&*!|>%@`,?=~é😀", max_size=12),
    st.text(alphabet="ab ", min_size=60, max_size=140),
    st.sampled_from(["", " ", "-", "- a", "a: b", "#x", "x #y", "@a", "'", "0755", "1_000", "NO"]),
)
plain_data = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), tricky_text),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(tricky_text, children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(tricky_text, plain_data, min_size=1, max_size=5))
def test_the_fast_writer_matches_libyaml(data):
    from podstudio.engine.yamldump import _libyaml_dump, _ordered

    assert dump_manifest(data) == _libyaml_dump(_ordered(data))


def test_every_seed_is_written_as_libyaml_writes_it():
    from podstudio.engine.yamldump import _libyaml_dump, _ordered

    for path in ALL_MANIFESTS:
        manifest = load_manifest(path.read_text())
        assert dump_manifest(manifest) == _libyaml_dump(_ordered(manifest)), path.name


def test_status_follows_spec_and_a_condition_starts_with_its_type():
    text = (
        "status:\n  conditions:\n  - status: 'True'\n    type: Ready\n  phase: Running\n"
        "spec: {containers: []}\nkind: Pod\napiVersion: v1\nmetadata: {name: x}\n"
    )
    out = dump_manifest(load_manifest(text))
    assert out.index("spec:") < out.index("status:")
    assert "- type: Ready\n    status: 'True'" in out


def test_a_tab_used_to_indent_is_named_in_the_error():
    """libyaml (and go-yaml) say only "found character that cannot start any token", which
    does not tell a person pasting from an editor that the character is a tab."""
    with pytest.raises(ManifestError) as raised:
        load_manifest("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n")
    assert str(raised.value) == (
        "line 4, column 1: found character that cannot start any token "
        "(a tab: YAML indents with spaces, never with tabs)"
    )


def test_another_character_that_cannot_start_a_token_gets_no_tab_hint():
    with pytest.raises(ManifestError) as raised:
        load_manifest("apiVersion: v1\nkind: Pod\nmetadata:\n  name: `a`\n")
    assert "cannot start any token" in str(raised.value)
    assert "tab" not in str(raised.value)


def test_a_no_break_space_in_the_indentation_is_named_in_the_error():
    """Text copied from a web page often has U+00A0 where a space was; YAML reads it as text,
    so the error is somewhere else (here the next line) and says nothing of it by itself."""
    text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  -\u00a0name: a\n    image: nginx\n"
    with pytest.raises(ManifestError) as raised:
        load_manifest(text)
    assert str(raised.value) == (
        "line 6, column 10: mapping values are not allowed in this context (line 5 holds a "
        "no-break space, U+00A0, as text copied from a web page often does: YAML reads it as "
        "text, not as a space; type a plain space instead)"
    )


def test_a_no_break_space_inside_a_value_gets_no_hint():
    """Where a no-break space is text (in a quoted value), another error says nothing of it."""
    text = 'metadata:\n  annotations: {note: "10\u00a0GB"}\n  name: [a\n'
    with pytest.raises(ManifestError) as raised:
        load_manifest(text)
    assert "U+00A0" not in str(raised.value)


def test_an_em_space_after_a_colon_is_named_with_its_article():
    with pytest.raises(ManifestError) as raised:
        load_manifest("metadata:\n  name:\u2003a\n  labels: [x\n")
    assert "an em space, U+2003" in str(raised.value)


POD_HEAD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n"


@pytest.mark.parametrize(
    ("lines", "hint"),
    [
        # The reader stops on the line after, and says only that a colon is missing.
        (
            "    image:nginx:1.27\n",
            "(`image:nginx:1.27`: YAML needs a space after a key's colon, `image: nginx:1.27`)",
        ),
        (
            "    image: nginx: 1.27\n",
            "(a colon and a space start a key in YAML: put a value that holds them in quotes, "
            "image: 'nginx: 1.27'; a new key needs a line of its own)",
        ),
        ("    image: nginx\n    args: [*]\n", 'put a value that starts with one in quotes, "*"'),
        ("    image: nginx\n   ports: []\n", "(check this line's indentation: the keys of one"),
    ],
)
def test_the_slips_of_yaml_typed_by_hand_are_named_in_the_error(lines, hint):
    with pytest.raises(ManifestError) as raised:
        load_manifest(POD_HEAD + lines + "    env: []\n")
    assert hint in str(raised.value)


@pytest.mark.parametrize(
    ("key", "refused"),
    [
        ("k" * 1024, False),  # the longest key libyaml and go-yaml read
        ("k" * 1025, True),
        ('"' + "q" * 1023 + '"', True),  # the quotes count
        ("k" * 1020 + "    ", False),  # spaces before the colon count too
        ("k" * 1021 + "    ", True),
    ],
)
@pytest.mark.parametrize("flow", [False, True])
def test_a_key_longer_than_yaml_reads_is_named_as_such(key, refused, flow):
    # kubectl v1.32 says 'yaml: line 6: mapping values are not allowed in this context' for a
    # 1,100-character annotation key ("did not find expected ',' or '}'" in a {…} mapping), and
    # reads one of 1,020 (then the API server refuses its length).
    annotations = f"{{a: b, {key}: v}}\n" if flow else f"\n    {key}: v\n"
    text = POD_HEAD.replace("  name: a\n", f"  name: a\n  annotations: {annotations}")
    if not refused:
        assert len(load_manifest(text)["metadata"]["annotations"]) == 1 + flow
        return
    with pytest.raises(ManifestError) as raised:
        load_manifest(text)
    assert f"(the key before this ':' is {len(key):,} characters long: YAML reads a key of at " in (
        str(raised.value)
    )
    assert "a colon and a space start a key" not in str(raised.value)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('// the web Pod\n{"apiVersion": "v1", "kind": "Pod"}\n', 1),
        ('{\n  "apiVersion": "v1",\n  // why\n\n  "kind": "Pod"\n}\n', 3),
    ],
)
def test_a_slash_comment_in_json_is_named_as_what_stops_the_reading(text, line):
    with pytest.raises(ManifestError) as raised:
        load_manifest(text)
    assert f"(line {line} holds a // comment: JSON has none, and YAML reads // as text" in str(
        raised.value
    )


def test_slashes_a_block_scalar_holds_above_an_error_are_not_blamed():
    text = "kind: ConfigMap\ndata:\n  app.js: |\n    // greet\n    hello()\n  bad: [\n"
    with pytest.raises(ManifestError) as raised:
        load_manifest(text)
    assert "//" not in str(raised.value)


@pytest.mark.parametrize(
    "text",
    [
        "metadata:\n  name: [a\n",  # a bracket left open: nothing to add
        "metadata:\n  url: http://x\n  name: [a\n",  # a URL is not a key without its space
    ],
)
def test_other_reading_errors_get_no_slip_hint(text):
    with pytest.raises(ManifestError) as raised:
        load_manifest(text)
    assert "(" not in str(raised.value)


def test_a_document_of_thousands_of_tag_directives_is_refused_before_it_is_read():
    tags = "".join(f"%TAG !t{n}! tag:x{n},2000:\n" for n in range(29_000))  # 850 KB
    started = time.monotonic()
    with pytest.raises(ManifestError, match="more than 100 %TAG directives"):
        load_manifest(f"{tags}---\n{POD}")
    assert time.monotonic() - started < 0.5
    few = "%TAG !k! tag:example.com,2000:\n---\n"
    assert load_manifest(few + POD)["metadata"]["name"] == "demo"


@pytest.mark.parametrize("tail", ["EOF\n\ufeffjunk: [\n", 'EOF\nnote: "a\\/b" [\n'])
def test_text_after_the_one_document_go_yaml_reads_is_never_refused_nor_a_crash(tail):
    """go-yaml reads one document and stops (a heredoc's EOF under an indented manifest); the
    checks for byte order marks and \\/ read on past it and raised a parser error (a 500)."""
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
    pod += "  - name: app\n    image: nginx:1.27\n"
    indented = "".join(f"  {line}\n" for line in pod.splitlines())
    assert load_manifest(indented + tail)["metadata"]["name"] == "p"


def test_a_control_character_is_placed_at_its_line_and_column():
    """libyaml's reader names no line for it, only its place in the UTF-8 bytes."""
    text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: é\n  labels: {x: "é\a"}\n'
    with pytest.raises(ManifestError, match=r"^line 5, column 17: .*#x0007"):
        load_manifest(text)
    from podstudio.engine.documents import read_documents

    service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\n"
    _, documents = read_documents(service + text)
    assert documents[1].error.startswith("line 10, column 17: ")


def test_a_control_character_in_a_file_with_a_tag_before_a_comma_is_an_error_not_a_crash():
    """Such a tag sends the text through go-yaml's tag reading first, which stops at the
    character too."""
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\x07\nspec: !foo, x\n"
    with pytest.raises(ManifestError, match=r"^line 4, column 10: .*#x0007"):
        load_manifest(text)
    assert load_manifest(text.replace("\x07", ""))["spec"] == "x"


@pytest.mark.parametrize(
    ("codec", "name"), [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32")]
)
def test_wide_text_without_a_byte_order_mark_is_named(codec, name):
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n"
    with pytest.raises(ManifestError, match=f"looks like {name} text without a byte order mark"):
        load_manifest(text.encode(codec))
    with pytest.raises(ManifestError, match="binary"):
        load_manifest(b"\x00\x01\x02\x03 an image")
