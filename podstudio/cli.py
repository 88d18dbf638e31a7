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
import os
import stat
import sys
from typing import TextIO

# Which files a run checks (--exclude, Helm charts, kustomize patches): ``cliinputs``; how each
# report is written: ``clireports``; the engine's dependencies loaded quickly: ``clistart``.
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
from podstudio.clireports import (
    brief_chunks,
    github_chunks,
    json_chunks,
    junit_chunks,
    printable,
    sarif_chunks,
    text_chunks,
)
from podstudio.clistart import load_engine_dependencies

EXIT_VALID = 0
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2

LEVELS = ("privileged", "baseline", "restricted")


class CliError(Exception):
    """A problem to report in one line on stderr, with exit code 2."""


# A file the CLI reads may be larger than the web's 1 MiB: a project's install file (Argo CD's
# is 1.9 MB) is checked in CI as it is. Each document keeps the engine's node and depth limits.
CLI_MAX_BYTES = 4 * 1024 * 1024


def read_input(source: str, stdin: TextIO) -> bytes:
    """Reads at most CLI_MAX_BYTES + 1 bytes, so a huge file is refused without being loaded."""
    limit = CLI_MAX_BYTES
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
        segments, documents = read_documents(read_text(data, CLI_MAX_BYTES), with_lines=True)
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


# The results of a run are held until its folders are judged together and its report is
# written: each file's should hold little. The same message, path, fix and reason come back in
# file after file (the same containers, the same templates), so equal values are kept once.
# The table is bounded: emptied once it holds this many values (what it gave stays shared).
MAX_SHARED = 50_000
_shared: dict[type, dict] = {}


def _share(value):
    """``value``, or an equal value of the same type met before (a str, a Problem...)."""
    same = _shared.setdefault(type(value), {})
    try:
        return same.setdefault(value, value)
    except TypeError:  # unhashable (a list): kept as it is
        return value


def _share_each(records: list) -> list:
    """Each named tuple of ``records`` (Problem, Finding...) made of shared values, and shared."""
    return [_share(type(record)(*map(_share, record))) for record in records]


def _slim(result):
    """``result`` holding shared values in place of its own equal copies (``_share``), so that
    what a run keeps per file is mostly what is particular to it. Nothing it says changes."""
    for doc in result.documents:
        doc.kind, doc.name, doc.shown_name = map(_share, (doc.kind, doc.name, doc.shown_name))
        doc.note, doc.item_keys = _share(doc.note), _share(doc.item_keys)
        doc.problems = _share_each(doc.problems)
        report = doc.report
        if report is not None:
            doc.report = report._replace(
                errors=_share_each(report.errors),
                qos=report.qos._replace(reasons=[_share(reason) for reason in report.qos.reasons]),
                pss=report.pss._replace(violations=_share_each(report.pss.violations)),
                findings=_share_each(report.findings),
                notes=[_share(note) for note in report.notes],
            )
    if sum(map(len, _shared.values())) > MAX_SHARED:
        _shared.clear()
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
        return [_slim(_check_one(item)) for item in items]
    import multiprocessing

    from podstudio.engine.kinds import KINDS
    from podstudio.engine.schema import _validator

    # Compiled once here, shared by every worker the fork makes.
    for kind in KINDS.values():
        _validator(args.version, kind.definition, not kind.is_pod)
    _validator(args.version)
    gc.freeze()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        chunksize = max(1, len(items) // (workers * 8))
        # Each result slimmed as it comes (``_slim``), not once all are held.
        return [
            _slim(result) if result is not None else FileResult("?")
            for result in pool.imap(_check_one, items, chunksize=chunksize)
        ]


def _problem_fails(problem, args: argparse.Namespace) -> bool:
    """Whether this problem alone fails a gate (``_gate_failures`` asks it of a document)."""
    if problem.rule == "invalid":
        return True
    if problem.rule.startswith("pod-security-"):
        level = problem.rule.removeprefix("pod-security-")
        return bool(args.min_pss) and (level == "baseline" or args.min_pss == "restricted")
    return problem.severity in _FAILING.get(args.fail_on, ())


_FAILING = {"error": ("error",), "warning": ("error", "warning")}


def _gate_failures(result, args: argparse.Namespace) -> bool:
    """Whether a document fails a gate: rejected by the API server, or --fail-on, --min-pss
    (a Pod Security level is below the one asked for when a violation of it is found)."""
    return any(_problem_fails(problem, args) for problem in result.problems)


def exit_code(results: list, args: argparse.Namespace) -> int:
    if any(result.unreadable for result in results):
        return EXIT_UNREADABLE
    failed = any(_gate_failures(doc, args) for result in results for doc in result.documents)
    if args.fail_on == "warning" and any(r.empty for r in results):
        failed = True
    return EXIT_REJECTED if failed else EXIT_VALID


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


def _write_chunks(stdout: TextIO, chunks) -> None:
    """Writes a report made piece by piece in pieces of about 64 KiB (a write per piece of a
    few characters took twice as long as making the report)."""
    batch: list[str] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size > 65536:
            stdout.write("".join(batch))
            batch, size = [], 0
    stdout.write("".join(batch))


def _names_stdin(path: str) -> bool:
    """Whether a path other than "-" is this process's stdin (``/dev/stdin``, ``/dev/fd/0``)."""
    if path == "-" or not path.startswith(("/dev/", "/proc/")):
        return False
    try:
        named, ours = os.stat(path), os.fstat(0)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (ours.st_dev, ours.st_ino)


def cmd_analyze(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    if args.paths.count("-") + sum(map(_names_stdin, args.paths)) > 1:
        raise CliError("analyze: - (stdin) is given more than once: stdin can be read once")
    load_engine_dependencies()
    args.version = _resolve_version(args.k8s_version)
    import podstudio.engine.analyze
    import podstudio.engine.files  # noqa: F401 (loaded before the collector is on again)

    _imported()
    results = _check_inputs(args, stdin)
    judge_folders_together(results, _read_again, CLI_MAX_BYTES)
    if args.format == "text" and all(result.nothing_readable for result in results):
        pass  # nothing could be read: the reasons go to stderr only
    elif args.format == "json":  # always a whole document, which CI steps after this can read
        _write_chunks(stdout, json_chunks(results))
    elif args.format == "sarif":
        _write_chunks(stdout, sarif_chunks(results, args.version))
    elif args.format == "github":
        _write_chunks(stdout, github_chunks(results, lambda problem: _problem_fails(problem, args)))
    elif args.format == "junit":
        fails = lambda problem: _problem_fails(problem, args)  # noqa: E731
        _write_chunks(stdout, junit_chunks(results, fails, lambda doc: _gate_failures(doc, args)))
    elif args.brief:
        _write_chunks(stdout, brief_chunks(results))
    else:
        _write_chunks(stdout, text_chunks(results, args.version))
    code = exit_code(results, args)
    for result in results:
        if result.error:
            print(printable(f"podstudio: {result.name}: {result.error}"), file=sys.stderr)
        for doc in result.documents:
            if doc.unreadable:
                print(printable(f"podstudio: {result.name}: {doc.note}"), file=sys.stderr)
    return code


def cmd_normalize(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    load_engine_dependencies()
    from podstudio.engine.analyze import analyze
    from podstudio.engine.documents import object_problem, read_documents, read_text
    from podstudio.engine.files import list_items, looks_like_an_object
    from podstudio.engine.yamldump import dump_manifest
    from podstudio.engine.yamlio import ManifestError

    version = _resolve_version(args.k8s_version)
    data = read_input(args.file, stdin)
    try:
        _, documents = read_documents(read_text(data, CLI_MAX_BYTES))
    except ManifestError as exc:
        raise CliError(f"{args.file}: {exc}") from None
    if not documents:
        raise CliError(f"{args.file}: the input is empty: nothing to normalize")
    for document in documents:
        if document.error:
            raise CliError(f"{args.file}: {document.error}")
        data = document.data
        if looks_like_an_object(data) and (problem := object_problem(data)):
            # kubectl refuses it before the API server sees it, as ``analyze`` says (exit 2).
            raise CliError(f"{args.file}: line {document.line}: {problem}")
    texts = [dump_manifest(document.data) for document in documents]
    stdout.write("---\n".join(texts))
    # A List's objects are judged too, as kubectl sends them one by one.
    objects = [item for document in documents for item in list_items(document.data)]
    objects += [document.data for document in documents if not list_items(document.data)]
    rejected = any(
        not analyze(data, version).valid
        for data in objects
        if isinstance(data, dict) and data.get("kind") in _checked_kinds()
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
        choices=("text", "json", "sarif", "github", "junit"),
        default="text",
        help="text (grouped by file), json (one report per document), sarif (GitHub code "
        "scanning), github (GitHub Actions annotations on the pull request) or junit (JUnit "
        "XML: GitLab, Jenkins and other CI systems' test reports); -o as in kubectl",
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
