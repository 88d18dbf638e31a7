"""Scalars and map keys read as go-yaml v2 and sigs.k8s.io/yaml read them (``goyaml``)."""

import pytest

from podstudio.engine import goyaml
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import ManifestError, load_manifest
from tests.yaml_scalars import REFUSED, SCALARS

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\n"


@pytest.mark.parametrize("text", SCALARS)
def test_a_plain_scalar_reads_as_kubectl_reads_it(text):
    expected = SCALARS[text]
    document = f"{POD}v: {text}\n"
    if isinstance(expected, tuple) and expected[0] is REFUSED:
        with pytest.raises(ManifestError, match=r"line 5, column 4: .*" + expected[1][1:]):
            load_manifest(document)
        return
    value = load_manifest(document)["v"]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("y", "true"),
        ("off", "false"),
        ("0o17", "15"),
        ("1.5", "1.5"),
        ("1e6", "1e+06"),
        ("123456789.0", "1.2345679e+08"),
        ("0.00001", "1e-05"),
        ("100000", "100000"),
        ("1000000.5", "1.0000005e+06"),
        ("-1.5e-7", "-1.5e-07"),
        ("1e39", ".inf"),
        (".inf", ".inf"),
        ("-.inf", "-.inf"),
        ("2001-12-14", "2001-12-14"),
        ("'y'", "y"),
    ],
)
def test_a_map_key_becomes_the_string_sigs_yaml_makes_of_it(key, expected):
    assert list(load_manifest(f"{POD}labels:\n  {key}: x\n")["labels"]) == [expected]


@pytest.mark.parametrize(
    ("key", "message"),
    [("~", "null"), ("null", "null"), ("9223372036854775808", "int64")],
)
def test_a_map_key_json_cannot_hold_is_refused(key, message):
    with pytest.raises(ManifestError, match=message):
        load_manifest(f"{POD}labels:\n  {key}: x\n")


def test_merge_keys_add_the_keys_of_each_mapping_merged():
    read = load_manifest(f"{POD}a:\n  b: 2\n  <<: {{c: 1}}\n  d: 4\n")["a"]
    assert read == {"b": 2, "c": 1, "d": 4}
    read = load_manifest(f"{POD}a:\n  <<: [{{b: 1}}, {{c: 3}}]\n")["a"]
    assert read == {"b": 1, "c": 3}
    # go-yaml v2's strict decoding (the API server's) refuses a key that two of them set
    with pytest.raises(ManifestError, match="two mappings this merge .<<. lists set the key 'b'"):
        load_manifest(f"{POD}a:\n  <<: [{{b: 1}}, {{b: 2, c: 3}}]\n")


@pytest.mark.parametrize("text", [t for t, v in SCALARS.items() if isinstance(v, str)] + ["y"])
def test_strings_that_kubectl_would_read_otherwise_are_quoted_when_written(text):
    manifest = load_manifest(POD)
    manifest["metadata"]["labels"] = {text: text}
    written = dump_manifest(manifest)
    assert load_manifest(written)["metadata"]["labels"] == {text: text}


@pytest.mark.parametrize("text", ["y", "n", "Y", "N", "1e3", "0o644", "09", "+5", "1_000", "1."])
def test_go_yaml_only_numbers_and_booleans_are_quoted(text):
    manifest = load_manifest(POD)
    manifest["metadata"]["labels"] = {"v": text}
    assert f"v: '{text}'" in dump_manifest(manifest)


def test_float32_key_format_matches_go():
    assert goyaml.format_float32_g(0.1) == "0.1"
    assert goyaml.format_float32_g(-0.0) == "-0"
    assert goyaml.format_float32_g(16777217.0) == "1.6777216e+07"
