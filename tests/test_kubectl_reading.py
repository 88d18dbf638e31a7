"""Files the API server would read but ``kubectl apply -f`` refuses: found at their line, said
as an error finding (``kubectl-cannot-read``) by the command line and the builder.

The table follows apimachinery's ``YAMLReader.Read`` (k8s.io/apimachinery/pkg/util/yaml,
decoder.go): it cuts the file at each line that starts with ``---``; more than spaces and a
comment after the dashes is "invalid Yaml document separator"; a separator line read while
nothing is held yet is kept in the next piece (so a first line ``---#`` stays text to YAML);
every piece goes to go-yaml alone, so directives cut from their ``---`` are no document, nor is a
piece that starts with ``...``. kubectl's FileVisitor drops a byte order mark first, and reads a
file that starts with ``{`` (within its first 4096 bytes) as JSON, up to the first value that is
not JSON when that is the first or second: the rest is YAML, by the same rules, and go-yaml
(apimachinery's ``YAMLOrJSONDecoder``). Each row was also checked against a reader built from
kubectl v1.37's own modules.
"""

import io
import json

import pytest
from django.urls import reverse

from podstudio.cli import main
from podstudio.engine.files import check_file
from podstudio.engine.kubectlfiles import kubectl_refusals

CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"
JSON = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}'
JSON_B = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "b"}\n}'
POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
    "  - name: web\n    image: nginx:1.27\n"
)


@pytest.mark.parametrize(
    ("text", "lines", "said"),
    [
        # Separators kubectl takes: dashes alone, then spaces, a tab or a comment.
        ("---\n" + CONFIG_MAP.format(name="a"), [], ""),
        (CONFIG_MAP.format(name="a") + "--- # the second\n" + CONFIG_MAP.format(name="b"), [], ""),
        (CONFIG_MAP.format(name="a") + "---#b\n" + CONFIG_MAP.format(name="b"), [], ""),
        (CONFIG_MAP.format(name="a") + "---\t\r\n" + CONFIG_MAP.format(name="b"), [], ""),
        ("---\n---#c\n" + CONFIG_MAP.format(name="a"), [], ""),  # cut by the line before it
        # More than a comment after the dashes: kubectl stops there.
        (CONFIG_MAP.format(name="a") + "--- {kind: ConfigMap}\n", [5], "separator: {kind:"),
        ("--- !!map\n" + CONFIG_MAP.format(name="a"), [1], "separator: !!map"),
        ("----\n" + CONFIG_MAP.format(name="a"), [1], "separator: -"),
        ("---x\n" + CONFIG_MAP.format(name="a") + "--- |\n", [1], "separator: x"),  # the first
        ("\ufeff--- {a: 1}\n", [1], "separator: {a: 1}"),  # the mark is dropped first
        # Directives are handed to YAML alone, cut from their "---".
        ("%YAML 1.1\n---\n" + CONFIG_MAP.format(name="a"), [1], "<document start>"),
        ("# made by hand\n%YAML 1.2\n%TAG ! tag:x,2000:\n---\n" + POD, [2], "<document start>"),
        (CONFIG_MAP.format(name="a") + "---\n%YAML 1.1\n...\n", [6], "<document start>"),
        # ... after a document in the same piece: YAML stops before the directive.
        (CONFIG_MAP.format(name="a") + "...\n%YAML 1.1\n---\n" + POD, [], ""),
        # A "..." that starts a piece ends a document that has not begun.
        (CONFIG_MAP.format(name="a") + "---\n...\n", [6], "expected node content"),
        # A first line "---#" is not cut: YAML reads it as text.
        ("---#top\n" + CONFIG_MAP.format(name="a"), [1], "as text"),
        # Go's TrimSpace takes Unicode's spaces: "---" and a no-break space (pasted from a web
        # page) separates, and is text to YAML only where kubectl keeps it, at the start.
        (CONFIG_MAP.format(name="a") + "---\xa0\n" + CONFIG_MAP.format(name="b"), [], ""),
        (CONFIG_MAP.format(name="a") + "---\u3000# b\n" + CONFIG_MAP.format(name="b"), [], ""),
        ("---\xa0\n" + CONFIG_MAP.format(name="a"), [1], "as text"),
        ("--- \xa0\n" + CONFIG_MAP.format(name="a"), [1], "as text"),
        (CONFIG_MAP.format(name="a") + "---\xa0x\n", [5], "separator: x"),
        # JSON is read as JSON, up to the first value that is not: from the end of the first
        # object on, kubectl reads YAML, and says the JSON error when its first piece fails.
        (JSON + "\n" + JSON_B, [], ""),
        (JSON + JSON_B + "\n", [], ""),
        (JSON + "\n# the end\n", [], ""),
        (JSON + "\n---\n" + CONFIG_MAP.format(name="b"), [], ""),
        (JSON + "\n--- x\n", [2], "invalid character '-' in numeric literal"),
        (JSON + "\n...\n---\n" + JSON_B, [2], "invalid character '.' looking for beginning"),
        (JSON + "\n---#c\n" + CONFIG_MAP.format(name="b"), [2], "as text"),
        (JSON + "\n%YAML 1.1\n---\n" + POD, [2], "invalid character '%'"),
        (JSON + "\n---\n" + CONFIG_MAP.format(name="b") + "--- x\n", [7], "invalid character '-'"),
        (JSON + "\n---\n" + CONFIG_MAP.format(name="b") + "---\n" + CONFIG_MAP.format(name="c")
         + "--- x\n", [12], "separator: x"),
        (JSON + "\n---\n" + CONFIG_MAP.format(name="b") + "---\n...\n", [8], "node content"),
        ("\ufeff" + JSON + "\r\n...\r\n", [2], "looking for beginning of value"),
        # go-yaml, not JSON, then reads the objects after it: it refuses some JSON.
        (JSON + "\n---\n" + JSON_B[:-1] + ', "data": {"k": "\x7f"}}', [7], "#x007f"),
        (JSON + "\n---\n" + JSON_B[:-1] + ', "data": {"k"\n: "v"}}', [8], "expected ','"),
        (JSON + "\n---\n" + CONFIG_MAP.format(name="b") + "---\n" + JSON_B[:-1]
         + ', "data": {"k": "\\ud83d"}}', [12], "converting YAML to JSON"),
        # Fewer than 4 bytes after the object, not JSON: kubectl gives up on YAML.
        (JSON + "\n#\n", [1], "fewer than 4 bytes"),
        # A file that starts with { but is not JSON is YAML all through.
        ("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n--- x\n", [2], "not JSON"),
        # kubectl looks for the { in the first 4096 bytes only.
        ("\n" * 4095 + JSON + "\n--- x\n", [4097], "invalid character '-'"),
        ("\n" * 4096 + JSON + "\n--- x\n", [4098], "separator: x"),
        ("\n" * 4096 + JSON + "\n" + JSON_B + "\n", [4098], "silently drops this one"),
        # Text in a value is not a line of the file's own.
        (CONFIG_MAP.format(name="a") + "data:\n  note: |\n    --- {not: a separator}\n", [], ""),
        ('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "%a"}\n', [], ""),
    ],
)  # fmt: skip
def test_the_lines_kubectl_stops_at(text, lines, said):
    refusals = kubectl_refusals(text)
    assert [refusal.line for refusal in refusals] == lines
    if said:
        assert said in refusals[0].message
        assert refusals[0].message.startswith("kubectl cannot read this file")
        assert refusals[0].fix


def run(argv, stdin: bytes = b""):
    out = io.StringIO()
    reader = io.StringIO()
    reader.buffer = io.BytesIO(stdin)
    return main(argv, stdin=reader, stdout=out), out.getvalue()


def test_the_command_line_says_it_at_the_line_and_fails_with_fail_on_error(tmp_path):
    path = tmp_path / "app.yaml"
    path.write_text("%YAML 1.1\n---\n" + POD)
    code, out = run(["analyze", str(path)])
    assert code == 0  # the API server would accept the Pod
    assert f"{path}:1: error: kubectl-cannot-read: kubectl cannot read this file" in out
    assert ": : " not in out  # a finding about the file has no field path to show
    code, _ = run(["analyze", "--fail-on", "error", str(path)])
    assert code == 1
    code, out = run(["analyze", "--format", "json", str(path)])  # one Pod: the report alone
    [finding] = [f for f in json.loads(out)["findings"] if f["id"] == "kubectl-cannot-read"]
    assert finding["severity"] == "error" and "<document start>" in finding["message"]
    code, out = run(["analyze", "--format", "json", str(path), str(path)])
    for report in json.loads(out):
        [finding] = [f for f in report["findings"] if f["id"] == "kubectl-cannot-read"]
        assert finding["line"] == 1


def test_an_object_that_is_not_checked_says_it_too(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG_MAP.format(name="a") + "--- {apiVersion: v1, kind: ConfigMap}\n")
    code, out = run(["analyze", "--format", "sarif", str(path)])
    log = json.loads(out)
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "kubectl-cannot-read"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    rules = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "kubectl-cannot-read" in rules
    code, out = run(["analyze", "--brief", str(path)])
    assert f"{path}:5: error: kubectl-cannot-read: ConfigMap" in out


def test_the_ignore_annotation_leaves_it_out():
    text = (
        "%YAML 1.1\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n"
        '    podstudio.dev/ignore: "kubectl-cannot-read"\nspec:\n  containers:\n'
        "  - name: web\n    image: nginx:1.27\n"
    )
    [doc] = check_file("pod.yaml", text, "1.37").documents
    assert "kubectl-cannot-read" not in {problem.rule for problem in doc.problems}


@pytest.mark.django_db
def test_the_builder_says_it_among_the_findings_of_an_imported_file(client):
    response = client.post(reverse("builder:import"), {"yaml": "%YAML 1.1\n---\n" + POD})
    page = client.get(response["Location"]).content.decode()
    assert "Line 1 of the imported file: kubectl cannot read this file" in page
    assert "Or download the canonical YAML, which has no such line." in page


@pytest.mark.parametrize("space", ["\xa0", "\u3000", "\u2003", "\x0b", "\x85", " \xa0", "\xa0# b"])
def test_a_separator_kubectl_trims_to_nothing_splits_the_file_for_the_engine_too(space):
    """kubectl cuts the file there and sends both objects; the engine reads both (before, it
    read the line as YAML text and called the file unreadable)."""
    text = CONFIG_MAP.format(name="a") + f"---{space}\n" + CONFIG_MAP.format(name="b")
    result = check_file("config.yaml", text, "1.37")
    assert [(doc.name, doc.unreadable) for doc in result.documents] == [("a", False), ("b", False)]
    assert kubectl_refusals(text) == []
