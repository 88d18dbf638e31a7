"""The ``podstudio`` command: the engine in a terminal, a CI job or a pre-commit hook.

``podstudio analyze [PATH ...]`` checks every document of every file: files, directories
(recursively, ``*.yaml``, ``*.yml``, ``*.json``; hidden folders such as ``.git`` are skipped)
and ``-`` for stdin. Pods and workloads are analyzed; other documents are listed as not checked.
A Helm chart, kustomize's files and YAML that is no Kubernetes object are skipped with one line
each saying how to check them, and ``--exclude`` leaves out more (``cliinputs``).

Exit codes (for scripts and CI):
  0  every gate passes: by default, the API server would accept every Pod and workload
  1  a gate fails: a document Kubernetes would reject, or what --fail-on / --min-pss add
  2  an input cannot be read (the others are still checked and reported), or a wrong command

Start-up matters in CI (one process per hook run): the engine is imported only when a command
needs it, and the schemas are prepared files (``engine.schemadata``).
"""

import argparse
import gc
import json
import os
import stat
import sys
from typing import TextIO

# Which files a run checks (--exclude, Helm charts, kustomize patches).
from podstudio.cliinputs import (
    JSONC,
    OTHER_YAML,
    Input,
    expand_paths,
    jsonc,
    judge_folders_together,
    kustomization,
    kustomize_file,
    kustomize_note,
    other_yaml,
)

EXIT_VALID = 0
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2

LEVELS = ("privileged", "baseline", "restricted")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class CliError(Exception):
    """A problem to report in one line on stderr, with exit code 2."""


def _max_bytes() -> int:
    from podstudio.engine.yamlio import MAX_BYTES

    return MAX_BYTES


def read_input(source: str, stdin: TextIO) -> bytes:
    """Reads at most MAX_BYTES + 1 bytes, so a huge file is refused without being loaded."""
    limit = _max_bytes()
    try:
        if source == "-":
            stream = getattr(stdin, "buffer", None)
            data = stream.read(limit + 1) if stream else stdin.read(limit + 1).encode()
        else:
            with _open_regular(source) as handle:
                data = handle.read(limit + 1)
                if not data and stat.S_ISFIFO(os.fstat(handle.fileno()).st_mode):
                    raise CliError(f"{source}: {EMPTY_PIPE}")
    except FileNotFoundError:
        raise CliError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{source}: is a directory, not a file") from None
    except OSError as exc:
        raise CliError(f"{source}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise CliError(f"{source}: the input is larger than {limit // 1024} KiB")
    return data


# Opening a FIFO waits for a writer, forever if none comes: a file is opened without waiting.
# A pipe named on the command line is read (``podstudio analyze <(helm template .)``; one without
# a writer reads as empty, and says so); a socket or a device is not.
EMPTY_PIPE = (
    "is a pipe that gave nothing to read (a named pipe is read only while something writes to "
    "it: start its writer first, or pipe the data to -)"
)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _open_regular(source: str):
    descriptor = os.open(source, _OPEN_FLAGS)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            what = "a socket" if stat.S_ISSOCK(mode) else "a device"
            raise CliError(f"{source}: is {what}, not a file (to check a stream, pipe it to -)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


# --- analyze ---------------------------------------------------------------------------------


# Many files are checked by as many worker processes as there are cores (at most this many),
# forked once the engine is loaded; fewer files are not worth the forks.
MAX_WORKERS = 4
FILES_PER_WORKER = 32


def _check_one(item: tuple[Input, bytes | None, str]):
    """One input, read (unless given) and checked: what a worker does for each file."""
    from podstudio.engine.documents import TEMPLATE_HINT, read_documents, read_text
    from podstudio.engine.files import FileResult, check_read
    from podstudio.engine.yamlio import ManifestError

    (name, named, problem, skipped), data, version = item
    shown = "<stdin>" if name == "-" else name
    if problem:
        return FileResult(shown, error=problem)
    if not skipped and name != "-":
        skipped = kustomize_file(name)
    if skipped:
        result = FileResult(shown)
        result.skipped = skipped
        return result
    if data is None:
        try:
            data = read_input(name, sys.stdin)
        except CliError as exc:
            return FileResult(shown, error=str(exc).removeprefix(f"{name}: "))
    try:
        segments, documents = read_documents(read_text(data))
    except ManifestError as exc:
        return FileResult(shown, error=str(exc))
    if any(document.error for document in documents) and jsonc(name, data):
        skipped = JSONC
    elif documents and all(kustomization(document) for document in documents):
        skipped = kustomize_note(name, "")
    elif documents and all(other_yaml(document) for document in documents):
        skipped = OTHER_YAML
    if skipped:
        result = FileResult(shown)
        result.skipped = skipped
        return result
    try:
        result = check_read(shown, segments, documents, version)
    except ManifestError as exc:
        return FileResult(shown, error=str(exc))
    if not result.error and not result.documents:
        note = "holds no Kubernetes object (it is empty or only comments)"
        if named:
            result.error = note
        else:
            result.empty = note
    for doc in result.documents:
        if doc.unreadable and doc.note.endswith(TEMPLATE_HINT):
            doc.note += ", or leave the file out with --exclude"
    return result


def _workers(count: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_WORKERS, count // FILES_PER_WORKER))


def _check_inputs(args: argparse.Namespace, stdin: TextIO) -> list:
    from podstudio.engine.files import FileResult

    items = []
    for found in expand_paths(args.paths, args.exclude):
        data = None
        if found.name == "-" and not found.problem:
            try:
                data = read_input(found.name, stdin)
            except CliError as exc:
                found = found._replace(problem=str(exc).removeprefix("-: "))
        items.append((found, data, args.version))
    workers = _workers(len(items))
    if workers == 1:
        return [_check_one(item) for item in items]
    import multiprocessing

    from podstudio.engine.kinds import KINDS
    from podstudio.engine.schema import _validator

    # Compiled once here, shared by every worker the fork makes.
    for kind in KINDS.values():
        _validator(args.version, kind.definition, not kind.is_pod)
    _validator(args.version)
    gc.freeze()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_check_one, items, chunksize=max(1, len(items) // (workers * 8)))
    return [result if result is not None else FileResult("?") for result in results]


def _gate_failures(result, args: argparse.Namespace) -> bool:
    """Whether a document fails a gate: rejected by the API server, or --fail-on, --min-pss."""
    report = result.report
    if report is None:
        failing = ("error", "warning") if args.fail_on == "warning" else ("error",)
        return any(
            problem.rule == "invalid" or (args.fail_on and problem.severity in failing)
            for problem in result.problems
        )
    if report.errors:
        return True
    severities = {"error": ("error",), "warning": ("error", "warning")}.get(args.fail_on, ())
    if any(finding.severity in severities for finding in report.findings):
        return True
    return bool(args.min_pss) and LEVELS.index(report.pss.level) < LEVELS.index(args.min_pss)


def exit_code(results: list, args: argparse.Namespace) -> int:
    if any(result.unreadable for result in results):
        return EXIT_UNREADABLE
    failed = any(_gate_failures(doc, args) for result in results for doc in result.documents)
    if args.fail_on == "warning" and any(r.empty for r in results):
        failed = True
    return EXIT_REJECTED if failed else EXIT_VALID


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


def format_brief(results: list) -> str:
    """``--brief``: one line per error or warning, as compilers and linters print them, then
    the summary: a CI log of a whole repository to read at a glance."""
    lines = []
    for result in results:
        for doc in result.documents:
            title = doc.title
            said = doc.file_findings
            for problem in doc.problems:
                if problem.severity not in ("error", "warning") or problem.rule == "unreadable":
                    continue  # infos are in the full report; what cannot be read is on stderr
                what = f"{problem.path}: {problem.message}" if problem.path else problem.message
                if not doc.checked and problem not in said:
                    what = doc.note
                where = _where(result.name, problem.line or doc.line)
                lines.append(f"{where}: {problem.severity}: {problem.rule}: {title}: {what}")
    lines.append(summary(results))
    return "\n".join(printable(line) for line in lines) + "\n"


def format_text(results: list, version: str) -> str:
    """Grouped by file; every problem as ``file:line: severity: ...`` so editors can jump."""
    lines: list[str] = []
    for result in results:
        if result.nothing_readable:
            continue  # on stderr
        if result.skipped:
            # One line, no group: on a big tree these are many and say little.
            lines.append(f"{result.name}: skipped: {result.skipped}")
            continue
        if lines and lines[-1]:
            lines.append("")
        lines.append(f"== {result.name}")
        if result.empty:
            lines.append(f"{result.name}: {result.empty}")
        for doc in result.documents:
            title = doc.title
            where = _where(result.name, doc.line)
            if doc.unreadable:
                continue  # on stderr
            if not doc.checked:
                severity = doc.problems[0].severity if doc.problems else "info"
                lines.append(f"{where}: {severity}: {title}: {doc.note}")
                for problem in doc.file_findings:
                    location = _where(result.name, problem.line)
                    lines.append(
                        f"  {location}: {problem.severity}: {problem.rule}: {problem.path}: "
                        f"{problem.message}"
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
                    f"  {location}: {problem.severity}: {problem.rule}: {problem.path}: "
                    f"{problem.message}"
                )
                lines.append(f"      fix: {problem.fix}")
            if report.notes:
                lines.append("  Notes (what Pod Studio cannot check without the cluster):")
                lines.extend(f"    - {note}" for note in report.notes)
        lines.append("")
    if lines and lines[-1]:
        lines.append("")
    lines.append(summary(results))
    # Every line is one line: whatever a manifest put into a kind, a name, a value quoted in a
    # message (or a file's name) is shown escaped.
    return "\n".join(printable(line) for line in lines) + "\n"


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def summary(results: list) -> str:
    """The last line of the text report: on a long CI log, what the run found, in one place."""
    documents = [doc for result in results for doc in result.documents]
    checked = [doc for doc in documents if doc.checked]
    rejected = sum(not doc.report.valid for doc in checked)
    other = sum(not doc.checked and not doc.unreadable for doc in documents)
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
        _count(other, "other object") + " not checked" if other else "",
        _count(skipped, "file") + " skipped" if skipped else "",
        _count(unreadable, "file") + " cannot be read" if unreadable else "",
    ]
    findings = ", ".join(f"{severity} {number}" for severity, number in severities.items())
    head = f"Summary: {_count(len(results), 'file')}: "
    return (
        head + ", ".join(part for part in parts if part) + f"; best-practice findings: {findings}"
    )


def format_json(results: list) -> str:
    from podstudio.engine.files import document_report

    checked = [(r, d) for r in results for d in r.documents]
    one = len(results) == 1 and len(checked) == 1 and checked[0][1]
    if one and one.checked and one.item is None:
        # One Pod in one file: the shape this command has always printed.
        return json.dumps(checked[0][1].report.to_dict(), indent=2) + "\n"
    items = []
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
            items.append(item)
        items += [document_report(doc, result.name) for doc in result.documents]
    return json.dumps(items, indent=2) + "\n"


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


SRCROOT = "%SRCROOT%"


def _artifact(file: str) -> dict:
    """A file as SARIF's ``artifactLocation``. Code scanning places a result by its path in
    the repository, and the job runs at its root: a file below the working directory is
    relative to it (``k8s/web.yaml``, whatever way it was named: ``./k8s/``, an absolute
    path), percent-encoded (``my%20app.yaml``); any other is an absolute ``file://`` URI.
    stdin is ``-``, as on the command line."""
    from pathlib import Path
    from urllib.parse import quote

    if file == "<stdin>":
        return {"uri": "-"}
    absolute = os.path.abspath(file)
    relative = os.path.relpath(absolute)
    if relative.startswith(".."):
        return {"uri": Path(absolute).as_uri()}
    return {"uri": quote(relative.replace(os.sep, "/"), safe="/"), "uriBaseId": SRCROOT}


def _directory_uri() -> str:
    from pathlib import Path

    uri = Path(os.getcwd()).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def format_sarif(results: list, version: str) -> str:
    """SARIF 2.1.0, as GitHub code scanning reads it: one result per problem."""
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
    sarif_results = []
    used: dict[str, None] = {}

    def add(rule_id: str, level: str, message: str, file: str, line: int | None) -> None:
        used[rule_id] = None
        # Code scanning places a result only with a region: a whole-file problem is on line 1.
        location = {
            "artifactLocation": _artifact(file),
            "region": {"startLine": line or 1},
        }
        sarif_results.append(
            {
                "ruleId": rule_id,
                "level": level,
                "message": {"text": message},
                "locations": [{"physicalLocation": location}],
            }
        )

    for result in results:
        if result.error:
            add("unreadable", "error", result.error, result.name, None)
        for doc in result.documents:
            if not doc.checked:
                what = " ".join(part for part in (doc.kind or "document", doc.name) if part)
                text = f"{what}: {doc.note}"
                said = doc.file_findings
                for problem in doc.problems:
                    if problem.rule == "not-checked" and problem.severity == "info":
                        continue  # a Service, a ConfigMap: nothing to fix, so no alert
                    if problem in said:
                        text = f"{what}: {problem.path}: {problem.message} Fix: {problem.fix}"
                    line = problem.line or doc.line
                    add(problem.rule, _SARIF_LEVEL[problem.severity], text, result.name, line)
                continue
            for problem in doc.problems:
                text = f"{problem.path}: {problem.message}" if problem.path else problem.message
                if problem.fix:
                    text += f" Fix: {problem.fix}"
                add(problem.rule, _SARIF_LEVEL[problem.severity], text, result.name, problem.line)
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
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _read_again(name: str) -> bytes | None:
    try:
        return read_input(name, sys.stdin)
    except CliError:
        return None


def _imported() -> None:
    """The engine is loaded: the objects made so far live as long as the process, so the
    collector need not look at them again (see ``main``)."""
    gc.freeze()
    gc.enable()


def cmd_analyze(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if args.paths.count("-") > 1:
        raise CliError("analyze: - (stdin) is given more than once: stdin can be read once")
    args.version = _resolve_version(args.k8s_version)
    import podstudio.engine.analyze
    import podstudio.engine.files  # noqa: F401 (loaded before the collector is on again)

    _imported()
    results = _check_inputs(args, stdin)
    judge_folders_together(results, _read_again)
    if args.format == "text" and all(result.nothing_readable for result in results):
        pass  # nothing could be read: the reasons go to stderr only
    elif args.format == "json":  # always a whole document, which CI steps after this can read
        stdout.write(format_json(results))
    elif args.format == "sarif":
        stdout.write(format_sarif(results, args.version))
    elif args.brief:
        stdout.write(format_brief(results))
    else:
        stdout.write(format_text(results, args.version))
    code = exit_code(results, args)
    for result in results:
        if result.error:
            print(printable(f"podstudio: {result.name}: {result.error}"), file=sys.stderr)
        for doc in result.documents:
            if doc.unreadable:
                print(printable(f"podstudio: {result.name}: {doc.note}"), file=sys.stderr)
    return code


def cmd_normalize(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from podstudio.engine.analyze import analyze
    from podstudio.engine.documents import read_documents, read_text
    from podstudio.engine.yamlio import ManifestError, dump_manifest

    version = _resolve_version(args.k8s_version)
    data = read_input(args.file, stdin)
    try:
        _, documents = read_documents(read_text(data))
    except ManifestError as exc:
        raise CliError(f"{args.file}: {exc}") from None
    if not documents:
        raise CliError(f"{args.file}: the input is empty: nothing to normalize")
    for document in documents:
        if document.error:
            raise CliError(f"{args.file}: {document.error}")
    texts = [dump_manifest(document.data) for document in documents]
    stdout.write("---\n".join(texts))
    rejected = any(
        not analyze(document.data, version).valid
        for document in documents
        if document.kind and document.kind in _checked_kinds()
    )
    return EXIT_REJECTED if rejected else EXIT_VALID


def _checked_kinds() -> frozenset[str]:
    from podstudio.engine.kinds import KINDS

    return frozenset(KINDS)


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, told the terminal's width: argparse would import ``shutil`` (and
    its compression modules) for it, a few milliseconds of every run that prints no help."""

    def __init__(self, prog: str, **options) -> None:
        options.setdefault("width", _help_width())
        super().__init__(prog, **options)


def _help_width() -> int:
    """As argparse reckons it: the terminal's columns (``$COLUMNS`` first, else 80), less 2."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit() and int(columns) > 0:
        return int(columns) - 2
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns - 2
    except (AttributeError, ValueError, OSError):
        return 78


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise CliError(message)


def _versions() -> str:
    """The range of versions with a prepared schema, read without importing the engine."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "engine", "schemadata")
    minors = sorted(
        int(name[2:-5])
        for name in os.listdir(folder)
        if name.startswith("1.") and name.endswith(".json")
    )
    return f"1.{minors[0]}–1.{minors[-1]}" if minors else "none"


def _resolve_version(value: str | None) -> str:
    from podstudio.engine.schema import UnknownVersionError, resolve_version

    try:
        return resolve_version(value)
    except UnknownVersionError as exc:
        raise CliError(str(exc)) from None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or, when ``command`` names one, only what that command needs:
    argparse lays out every argument as it is added, which costs a short run more than
    checking a Pod, and the other commands' modules need not be imported at all."""
    parser = _Parser(
        prog="podstudio",
        description="Check Kubernetes Pods and workloads as a cluster would.",
        epilog="Exit codes: 0 every gate passes, 1 a gate fails (by default: Kubernetes would "
        "reject a document), 2 an input cannot be read.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    adders = [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for add in adders:
        add(commands)
    return parser


def _add_analyze(commands) -> None:
    analyze_parser = commands.add_parser(
        "analyze",
        help="validate Pods and workloads, give their QoS class, security level and findings",
        description="Checks every document of every file: Pods, Deployments, StatefulSets, "
        "DaemonSets, ReplicaSets, Jobs, CronJobs and ReplicationControllers. Other kinds are "
        "listed as not checked. In a tree, a Helm chart (a folder with Chart.yaml), kustomize's "
        "files and YAML that is no Kubernetes object (values, Compose, CI files) are skipped "
        "with one line saying how to check them: render a chart first, as in "
        "`helm template CHART | podstudio analyze -`.",
    )
    analyze_parser.add_argument(
        "paths",
        metavar="PATH",
        nargs="+",
        help="a manifest file (YAML or JSON, any number of documents), a directory (searched "
        "for *.yaml, *.yml and *.json), or - for stdin",
    )
    analyze_parser.add_argument(
        "-o",
        "--format",
        choices=("text", "json", "sarif"),
        default="text",
        help="text (grouped by file), json (one report per document) or sarif (GitHub code "
        "scanning); -o as in kubectl",
    )
    analyze_parser.add_argument(
        "--k8s-version",
        metavar="X.Y",
        help=f"Kubernetes version whose rules apply ({_versions()})",
    )
    analyze_parser.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="also fail (exit 1) on best-practice findings of this severity or worse",
    )
    analyze_parser.add_argument(
        "--min-pss",
        choices=("baseline", "restricted"),
        help="also fail (exit 1) when a Pod or template meets a lower Pod Security level",
    )
    analyze_parser.add_argument(
        "-b",
        "--brief",
        action="store_true",
        help="text output as one line per error or warning (file:line: severity: rule: "
        "object: message), then the summary; for the log of a whole repository",
    )
    analyze_parser.add_argument(
        "--exclude",
        metavar="PATTERN",
        action="append",
        default=[],
        help="leave out what a directory holds that matches this glob (repeatable); as in "
        ".gitignore, a pattern without / matches a file or folder name at any depth "
        "(--exclude 'values*.yaml' --exclude _archived), one with / the path relative to the "
        "directory given (--exclude 'overlays/*/patch*.yaml'); named files are matched as "
        "given",
    )
    analyze_parser.set_defaults(handler=cmd_analyze)


def _add_normalize(commands) -> None:
    normalize_parser = commands.add_parser(
        "normalize", help="print the canonical YAML the builder would export"
    )
    normalize_parser.add_argument("file", metavar="FILE", help="a manifest, or - for stdin")
    normalize_parser.add_argument("--k8s-version", metavar="X.Y", help=f"({_versions()})")
    normalize_parser.set_defaults(handler=cmd_normalize)


def _add_sandbox(commands) -> None:
    from podstudio.sandbox.cli import add_parser

    add_parser(commands)


def _add_edit_and_explain(commands) -> None:
    from podstudio.editcli import add_parsers

    add_parsers(commands)


# In the order ``podstudio --help`` lists them; one adder may add more than one command.
COMMANDS = {
    "analyze": _add_analyze,
    "normalize": _add_normalize,
    "sandbox": _add_sandbox,
    "edit": _add_edit_and_explain,
    "explain": _add_edit_and_explain,
}


def main(
    argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    # Start-up is most of a short run, and loading the engine makes many objects that live
    # until the end: the cyclic collector would only walk them again and again.
    gc.disable()
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = build_parser(argv[0] if argv else None).parse_args(argv)
        return args.handler(args, stdin, stdout)
    except CliError as exc:
        print(printable(f"podstudio: {exc}"), file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_VALID
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
