"""What ``podstudio analyze`` prints: the text report grouped by file, ``--brief`` lines as
compilers print them, one JSON report per document, SARIF for GitHub code scanning, GitHub
Actions' annotations and JUnit XML for other CI systems.

Every report is made from the same ``FileResult``s (``engine.files``); whatever a manifest
puts into a kind, a name or a value is shown escaped, one line being one line.
"""

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def printable(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\n``, ``\\x1b``, ``\\u202e``):
    a kind, a name or a value a manifest chose must not start a line of the report of its own,
    nor send escape sequences to the terminal."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escaped(char) for char in text)


def _escaped(char: str) -> str:
    """A byte of a file name that is not UTF-8 (Python holds it as a lone surrogate) is shown
    as the byte it is, ``\\xff``; anything else as Python writes it in a string."""
    if "\udc80" <= char <= "\udcff":
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1]


def _where(file: str, line: int | None) -> str:
    return f"{file}:{line}" if line else file


def brief_chunks(results: list) -> Iterator[str]:
    """``--brief``: one line per error or warning, as compilers and linters print them, then
    the summary: a CI log of a whole repository to read at a glance. Made line by line, for
    writing as it is made (see ``json_chunks``)."""
    for result in results:
        for doc in result.documents:
            for line in said_lines(result.name, doc):
                yield line + "\n"
    yield printable(summary(results)) + "\n"


def said_lines(file: str, doc) -> list[str]:
    """A document's errors and warnings, a line each as ``--brief`` prints them (infos are in
    the full report); ``podstudio edit`` says the edited document's the same way."""
    lines = []
    for problem, what in _said(doc):
        if problem.severity in ("error", "warning"):
            where = _where(file, problem.line or doc.line)
            lines.append(f"{where}: {problem.severity}: {problem.rule}: {doc.title}: {what}")
    return [printable(line) for line in lines]


def _said(doc) -> list:
    """``(problem, text)`` for each problem of a document as one line says it (``--brief``,
    a CI annotation, a test failure): a document that is not checked says its note, a
    Service its findings. What cannot be read is said once, as the file's (on stderr)."""
    said = doc.file_findings
    shown = []
    for problem in doc.problems:
        if problem.rule == "unreadable":
            continue
        text = f"{problem.path}: {problem.message}" if problem.path else problem.message
        if not doc.checked and problem not in said:
            text = doc.note
        shown.append((problem, text))
    return shown


def _with_fix(problem, text: str) -> str:
    return text + (f"\nFix: {problem.fix}" if problem.fix else "")


def text_chunks(results: list, version: str) -> Iterator[str]:
    """Grouped by file; every problem as ``file:line: severity: ...`` so editors can jump.
    Made file by file, for writing as it is made: the report of ten thousand files is not
    held in memory as one string (nor as a list of its lines)."""
    last: str | None = None  # the last line made, None before the first
    for result in results:
        if result.nothing_readable:
            continue  # on stderr
        if result.skipped:
            # One line, no group: on a big tree these are many and say little.
            last = f"{result.name}: skipped: {result.skipped}"
            yield printable(last) + "\n"
            continue
        lines = [""] if last else []
        lines += _text_group(result, version)
        last = lines[-1]
        yield "".join(printable(line) + "\n" for line in lines)
    if last:
        yield "\n"
    # Every line is one line: whatever a manifest put into a kind, a name, a value quoted in a
    # message (or a file's name) is shown escaped.
    yield printable(summary(results)) + "\n"


def _text_group(result, version: str) -> list[str]:
    """The lines of one file's group in the text report, the blank line that ends it last."""
    lines = [f"== {result.name}"]
    if result.empty:
        lines.append(f"{result.name}: {result.empty}")
    for doc in result.documents:
        title = doc.title
        where = _where(result.name, doc.line)
        if doc.unreadable:
            continue  # on stderr
        if not doc.checked:
            severity = doc.problems[0].severity if doc.problems else "info"
            if doc.problems and doc.problems[0].line:  # a field it cannot have: at its line
                where = _where(result.name, doc.problems[0].line)
            lines.append(f"{where}: {severity}: {title}: {doc.note}")
            for problem in doc.file_findings:
                location = _where(result.name, problem.line)
                lines.append(
                    f"  {location}: {problem.severity}: {problem.rule}: "
                    f"{_at_path(problem)}{problem.message}"
                )
                lines.append(f"      fix: {problem.fix}")
            continue
        report = doc.report
        verdict = "valid" if report.valid else "INVALID: Kubernetes would reject it"
        lines.append(f"{where}: {title}: {verdict} (Kubernetes {version} rules)")
        for problem in doc.problems:
            if problem.rule != "invalid":
                continue
            location = _where(result.name, problem.line)
            where = f"{problem.path}: " if problem.path else ""  # "": the whole document
            lines.append(f"  {location}: error: {where}{problem.message}")
        lines.append(f"  QoS class: {report.qos.qos_class}")
        lines.extend(f"    - {reason}" for reason in report.qos.reasons)
        lines.append(f"  Pod Security Standards: meets {report.pss.level}")
        for problem in doc.problems:
            if problem.rule.startswith("pod-security"):
                location = _where(result.name, problem.line)
                level = problem.rule.removeprefix("pod-security-")
                lines.append(f"  {location}: {level}: {problem.path}: {problem.message}")
                lines.append(f"      fix: {problem.fix}")
        findings = [p for p in doc.problems if p.rule not in ("invalid",)]
        findings = [p for p in findings if not p.rule.startswith("pod-security")]
        lines.append(f"  Best-practice findings: {len(findings) or 'none'}")
        for problem in findings:
            location = _where(result.name, problem.line)
            lines.append(
                f"  {location}: {problem.severity}: {problem.rule}: "
                f"{_at_path(problem)}{problem.message}"
            )
            lines.append(f"      fix: {problem.fix}")
        if report.notes:
            lines.append("  Notes (what Pod Studio cannot check without the cluster):")
            lines.extend(f"    - {note}" for note in report.notes)
    lines.append("")
    return lines


def _at_path(problem) -> str:
    """``path: `` before a problem's message; nothing for one about the whole file."""
    return f"{problem.path}: " if problem.path else ""


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def summary(results: list) -> str:
    """The last line of the text report: on a long CI log, what the run found, in one place."""
    documents = [doc for result in results for doc in result.documents]
    checked = [doc for doc in documents if doc.checked]
    rejected = sum(not doc.report.valid for doc in checked)
    others = [doc for doc in documents if not doc.checked and not doc.unreadable]
    other = len(others)
    # A typo of a kind, a field the API server cannot decode: it refuses the object too.
    refused = sum(any(p.rule == "invalid" for p in doc.problems) for doc in others)
    skipped = sum(bool(result.skipped or result.empty) for result in results)
    unreadable = sum(result.unreadable for result in results)
    severities = {"error": 0, "warning": 0, "info": 0}
    for doc in documents:
        for problem in doc.problems if doc.checked else doc.file_findings:
            if problem.rule != "invalid" and not problem.rule.startswith("pod-security"):
                severities[problem.severity] = severities.get(problem.severity, 0) + 1
    parts = [
        _count(len(checked), "Pod or workload checked", "Pods and workloads checked")
        + (f" ({rejected} Kubernetes would reject)" if rejected else ""),
        _count(other, "other object")
        + " not checked"
        + (f" ({refused} Kubernetes would reject)" if refused else "")
        if other
        else "",
        _count(skipped, "file") + " skipped" if skipped else "",
        _count(unreadable, "file") + " cannot be read" if unreadable else "",
    ]
    findings = ", ".join(f"{severity} {number}" for severity, number in severities.items())
    head = f"Summary: {_count(len(results), 'file')}: "
    return (
        head + ", ".join(part for part in parts if part) + f"; best-practice findings: {findings}"
    )


def json_chunks(results: list) -> Iterator[str]:
    """``--format json``, piece by piece, for writing as it is made: a report of a hundred
    thousand findings is not held twice over in memory as one string, nor as the JSON data of
    every document at once (each document's is made as its turn comes)."""
    alone = len(results) == 1 and len(results[0].documents) == 1
    one = results[0].documents[0] if alone else None
    if one and one.checked and one.item is None:
        # One Pod in one file: the shape this command has always printed.
        return _chunks(one.report.to_dict())
    return _list_chunks(_json_items(results), 0)


def _chunks(data: Any) -> Iterator[str]:
    yield from json.JSONEncoder(indent=2).iterencode(data)
    yield "\n"


def _list_chunks(items: Iterator[Any], depth: int, end: str = "\n") -> Iterator[str]:
    """A JSON list as ``json.JSONEncoder(indent=2)`` writes it at ``depth`` (0: the whole
    document), made from ``items`` one by one: no list of them all is held. A string in JSON
    holds no line break, so each item's own lines are indented by replacing them."""
    encoder = json.JSONEncoder(indent=2)
    inner = "\n" + "  " * (depth + 1)
    opening = "[" + inner
    for item in items:
        yield opening
        opening = "," + inner
        for chunk in encoder.iterencode(item):
            yield chunk.replace("\n", inner)
    yield ("[]" if opening.startswith("[") else "\n" + "  " * depth + "]") + end


def _json_items(results: list) -> Iterator[dict]:
    """Each file that gives nothing to check, and each document, as ``--format json`` lists
    them."""
    from podstudio.engine.files import document_report

    for result in results:
        if result.error or result.empty or result.skipped:
            # The whole file, with the keys of a document that is not checked.
            item = {
                "file": result.name,
                "document": None,
                "kind": None,
                "name": None,
                "line": None,
                "checked": False,
                "valid": not result.error,
                "note": result.error or result.empty or result.skipped,
            }
            if result.error:
                item["error"] = result.error
            yield item
        for doc in result.documents:
            yield document_report(doc, result.name)


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


SRCROOT = "%SRCROOT%"


def _artifact(file: str) -> dict:
    """A file as SARIF's ``artifactLocation``. Code scanning places a result by its path in
    the repository, and the job runs at its root: a file below the working directory is
    relative to it (``k8s/web.yaml``, whatever way it was named: ``./k8s/``, an absolute
    path), percent-encoded (``my%20app.yaml``); any other is an absolute ``file://`` URI.
    stdin is ``-``, as on the command line."""
    from urllib.parse import quote, quote_from_bytes

    if file == "<stdin>":
        return {"uri": "-"}
    relative = _below_working_directory(file)
    if relative is None:
        # Path.as_uri() without pathlib, which interns each folder name it parses: new names
        # could make the interpreter resize its table of interned strings (1.8 MB) while the
        # report is written, as tests/test_cli_memory.py saw after other tests.
        return {"uri": "file://" + quote_from_bytes(os.fsencode(os.path.abspath(file)))}
    # (A name of bytes that are not UTF-8 keeps them, as %XX: "bad%FF.yaml".)
    return {"uri": quote(relative, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def _below_working_directory(file: str) -> str | None:
    """``file`` relative to the working directory, with ``/``, if it is below it; else
    ``None``. A CI job runs at the repository's root, so this is its path in the repository."""
    relative = os.path.relpath(os.path.abspath(file))
    return None if relative.startswith("..") else relative.replace(os.sep, "/")


def _directory_uri() -> str:
    from pathlib import Path

    uri = Path(os.getcwd()).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def sarif_chunks(results: list, version: str) -> Iterator[str]:
    """``--format sarif``, SARIF 2.1.0 for GitHub code scanning, piece by piece (see
    ``json_chunks``). The rules the results use come before them in the log: the results are
    made twice, once only to learn their rules, rather than held all at once."""
    used = dict.fromkeys(rule_id for rule_id, *_ in _sarif_entries(results))
    head, _, tail = "".join(_chunks(_sarif_log(list(used), version))).partition(
        json.dumps(_RESULTS)
    )
    yield head
    entries = (_sarif_result(*entry) for entry in _sarif_entries(results))
    yield from _list_chunks(entries, 3, end="")
    yield tail


# Where the results go in the log (``sarif_chunks``): no rule or path is this string.
_RESULTS = "\x00results\x00"


def _sarif_log(used: list[str], version: str) -> dict:
    """SARIF 2.1.0, as GitHub code scanning reads it, with the rules ``used`` and a mark in
    place of its results (one per problem)."""
    from podstudio.engine.findings import FINDING_RULES

    rules = {
        "invalid": ("Kubernetes would reject it", "The API server refuses this object.", "error"),
        "unreadable": ("Cannot be read", "The file is not readable YAML or JSON.", "error"),
        "pod-security-baseline": (
            "Pod Security: baseline",
            "A namespace enforcing the baseline Pod Security Standard refuses these Pods.",
            "warning",
        ),
        "pod-security-restricted": (
            "Pod Security: restricted",
            "A namespace enforcing the restricted Pod Security Standard refuses these Pods.",
            "note",
        ),
        "not-checked": ("Not checked", "Pod Studio checks Pods and workloads only.", "note"),
    }
    for rule_id, rule in FINDING_RULES.items():
        rules[rule_id] = (rule.title, rule.explanation, _SARIF_LEVEL[rule.severity])
    driver_rules = [
        {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": rules[rule_id][0]},
            "fullDescription": {"text": rules[rule_id][1]},
            "defaultConfiguration": {"level": rules[rule_id][2]},
        }
        for rule_id in used
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "podstudio",
                        "semanticVersion": "0.1.0",
                        "rules": driver_rules,
                        "properties": {"kubernetesVersion": version},
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri()}},
                "results": _RESULTS,
            }
        ],
    }
    return log


def _sarif_result(rule_id: str, level: str, message: str, file: str, line: int | None) -> dict:
    # Code scanning places a result only with a region: a whole-file problem is on line 1.
    location = {
        "artifactLocation": _artifact(file),
        "region": {"startLine": line or 1},
    }
    return {
        "ruleId": rule_id,
        "level": level,
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
    }


def _sarif_entries(results: list) -> Iterator[tuple[str, str, str, str, int | None]]:
    """``(rule, level, message, file, line)`` of each SARIF result, one per problem."""
    for result in results:
        if result.error:
            yield "unreadable", "error", result.error, result.name, None
        for doc in result.documents:
            if not doc.checked:
                what = " ".join(part for part in (doc.kind or "document", doc.name) if part)
                text = f"{what}: {doc.note}"
                said = doc.file_findings
                for problem in doc.problems:
                    if problem.rule == "not-checked" and problem.severity == "info":
                        continue  # a Service, a ConfigMap: nothing to fix, so no alert
                    if problem in said:
                        text = f"{what}: {_at_path(problem)}{problem.message} Fix: {problem.fix}"
                    line = problem.line or doc.line
                    yield problem.rule, _SARIF_LEVEL[problem.severity], text, result.name, line
                continue
            for problem in doc.problems:
                text = f"{problem.path}: {problem.message}" if problem.path else problem.message
                if problem.fix:
                    text += f" Fix: {problem.fix}"
                level = _SARIF_LEVEL[problem.severity]
                yield problem.rule, level, text, result.name, problem.line


# --- CI systems' own formats ------------------------------------------------------------------


def _repository_path(file: str) -> str:
    """A file as a CI system places it: relative to the working directory (the repository's
    root in a CI job) when below it, else as named."""
    if file == "<stdin>":
        return "-"
    relative = _below_working_directory(file)
    return file if relative is None else relative


def _command_data(text: str) -> str:
    """A workflow command's message, as GitHub's runner reads it back (actions/toolkit)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(level: str, file: str, line: int | None, title: str, message: str) -> str:
    properties = [f"file={_command_property(_repository_path(file))}"]
    if line:
        properties.append(f"line={line}")
    properties.append(f"title={_command_property(title)}")
    return f"::{level} {','.join(properties)}::{_command_data(message)}"


def github_chunks(results: list, fails: Callable) -> Iterator[str]:
    """GitHub Actions' workflow commands: each error and warning becomes an annotation at its
    file and line, shown on the pull request's diff without code scanning. What fails a gate
    (``fails(problem)``) is an error; an info that fails none is left to the full report.
    The summary line ends the log. Made line by line (see ``json_chunks``)."""
    for result in results:
        if result.error:
            yield _command(_annotation("error", result.name, None, "cannot be read", result.error))
        for doc in result.documents:
            if doc.unreadable:
                line = _unreadable_line(doc)
                yield _command(_annotation("error", result.name, line, "cannot be read", doc.note))
                continue
            for problem, text in _said(doc):
                level = "error" if fails(problem) or problem.severity == "error" else "warning"
                if problem.severity == "info" and level != "error":
                    continue
                title, line = f"{problem.rule}: {doc.title}", problem.line or doc.line
                said = _with_fix(problem, text)
                yield _command(_annotation(level, result.name, line, title, said))
    yield printable(summary(results)) + "\n"


def _command(annotation: str) -> str:
    """A name or value with a control character must not end the command early: escaped as
    the text report escapes it, after the runner's own escapes."""
    return printable(annotation) + "\n"


def junit_chunks(results: list, fails: Callable, doc_fails: Callable) -> Iterator[str]:
    """JUnit XML, as GitLab, Jenkins and most CI systems show test results: one test suite
    per file, one test case per document. A document that fails a gate (``doc_fails``) is a
    failure listing what fails it; a file or document that cannot be read is an error; a
    skipped file, and a document that is not checked and fails nothing, are skipped.

    Made suite by suite (see ``json_chunks``), as ``ElementTree.indent`` lays out the whole
    document: the totals that open it are counted first, in a pass that makes no XML."""
    from xml.etree import ElementTree as ET

    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for result in results:
        path = printable(_repository_path(result.name))
        for *_, outcome, _, _ in _junit_cases(result, path, fails, doc_fails):
            totals["tests"] += 1
            if outcome:
                totals[_COUNTED[outcome]] += 1
    counted = " ".join(f'{key}="{number}"' for key, number in totals.items())
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    if not results:
        yield f'<testsuites name="podstudio" {counted} />\n'
        return
    yield f'<testsuites name="podstudio" {counted}>\n  '
    for number, result in enumerate(results, start=1):
        suite = _junit_suite(result, fails, doc_fails)
        ET.indent(suite, level=1)
        suite.tail = "\n" if number == len(results) else "\n  "
        yield ET.tostring(suite, "unicode")
    yield "</testsuites>\n"


def _junit_suite(result, fails: Callable, doc_fails: Callable):
    """One file's test suite: a test case per document."""
    from xml.etree import ElementTree as ET

    path = printable(_repository_path(result.name))
    suite = ET.Element("testsuite", name=path)
    counts = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for name, line, outcome, message, text in _junit_cases(result, path, fails, doc_fails):
        case = ET.SubElement(suite, "testcase", classname=path, name=printable(name))
        case.set("file", path)
        if line:
            case.set("line", str(line))
        counts["tests"] += 1
        if outcome:
            counts[_COUNTED[outcome]] += 1
            detail = ET.SubElement(case, outcome, message=printable(message))
            detail.text = printable(text) if text else None
    for key, number in counts.items():
        suite.set(key, str(number))
    return suite


_COUNTED = {"failure": "failures", "error": "errors", "skipped": "skipped"}


def _junit_cases(result, path: str, fails: Callable, doc_fails: Callable):
    """``(name, line, outcome, message, text)`` of each test case of one file; outcome ""
    is a pass."""
    if result.error:
        yield path, None, "error", result.error, ""
    elif result.skipped or result.empty:
        yield path, None, "skipped", result.skipped or result.empty, ""
    for doc in result.documents:
        if doc.unreadable:
            yield doc.title, _unreadable_line(doc), "error", doc.note, ""
        elif doc_fails(doc):
            failing = [
                f"{path}:{problem.line or doc.line}: {problem.severity}: {problem.rule}: "
                + _with_fix(problem, text)
                for problem, text in _said(doc)
                if fails(problem)
            ]
            yield doc.title, doc.line, "failure", _failed(doc, len(failing)), "\n".join(failing)
        elif not doc.checked:
            yield doc.title, doc.line, "skipped", doc.note, ""
        else:
            yield doc.title, doc.line, "", "", ""


def _failed(doc, count: int) -> str:
    if doc.checked and not doc.report.valid:
        return "Kubernetes would reject it"
    if not doc.checked and any(problem.rule == "invalid" for problem in doc.problems):
        return "Kubernetes would reject it"  # a ConfigMap, Service… whose fields it refuses
    return f"fails a gate: {count} problem{'' if count == 1 else 's'}"


def _unreadable_line(doc) -> int | None:
    """Where a document cannot be read: the line its reading error names (as SARIF says), else
    the document's first."""
    found = (problem.line for problem in doc.problems if problem.rule == "unreadable")
    return next((line for line in found if line), doc.line)
