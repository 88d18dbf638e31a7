"""The ``podstudio`` command: the engine in a terminal or a CI job.

Exit codes (for scripts and CI):
  0  the Pod is one the API server would accept
  1  the input is a readable Pod manifest, but Kubernetes would reject it
  2  the input is not readable as a Pod manifest, or the command line is wrong
"""

import argparse
import json
import sys
from typing import TextIO

from podstudio.editcli import add_parsers as add_edit_parsers
from podstudio.engine.analyze import Report, analyze
from podstudio.engine.schema import SUPPORTED_VERSIONS, UnknownVersionError, resolve_version
from podstudio.engine.validation import validate_pod
from podstudio.engine.yamlio import MAX_BYTES, ManifestError, dump_manifest, load_manifest
from podstudio.sandbox.cli import add_parser as add_sandbox_parser

EXIT_VALID = 0
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2


class CliError(Exception):
    """A problem to report in one line on stderr, with exit code 2."""


def read_input(source: str, stdin: TextIO) -> bytes:
    """Reads at most MAX_BYTES + 1 bytes, so a huge file is refused without being loaded."""
    try:
        if source == "-":
            stream = getattr(stdin, "buffer", None)
            data = stream.read(MAX_BYTES + 1) if stream else stdin.read(MAX_BYTES + 1).encode()
        else:
            with open(source, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise CliError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{source}: is a directory, not a file") from None
    except OSError as exc:
        raise CliError(f"{source}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise CliError(f"{source}: the input is larger than {MAX_BYTES // 1024} KiB")
    return data


def load(source: str, stdin: TextIO) -> dict:
    data = read_input(source, stdin)
    try:
        return load_manifest(data)
    except ManifestError as exc:
        raise CliError(f"{source}: {exc}") from None


def format_text(report: Report, name: str, version: str) -> str:
    lines = []
    verdict = "valid" if report.valid else "INVALID: Kubernetes would reject it"
    lines.append(f"Pod {name}: {verdict} (Kubernetes {version} rules)")
    for error in report.errors:
        lines.append(f"  error  {error.path}: {error.message}")
    lines.append("")
    lines.append(f"QoS class: {report.qos.qos_class}")
    lines.extend(f"  - {reason}" for reason in report.qos.reasons)
    lines.append("")
    lines.append(f"Pod Security Standards: meets {report.pss.level}")
    for violation in report.pss.violations:
        lines.append(f"  {violation.level:<10} {violation.control} at {violation.path}")
        lines.append(f"             {violation.message}")
        lines.append(f"             fix: {violation.fix}")
    lines.append("")
    if report.findings:
        lines.append(f"Best-practice findings: {len(report.findings)}")
        for finding in report.findings:
            lines.append(f"  {finding.severity:<8} {finding.id} at {finding.path}")
            lines.append(f"           {finding.message}")
            lines.append(f"           fix: {finding.fix}")
    else:
        lines.append("Best-practice findings: none")
    if report.notes:
        lines.append("")
        lines.append("Notes (what Pod Studio cannot check without the cluster):")
        lines.extend(f"  - {note}" for note in report.notes)
    return "\n".join(lines) + "\n"


def cmd_analyze(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    version = resolve_version(args.k8s_version)
    manifest = load(args.file, stdin)
    report = analyze(manifest, version)
    if args.format == "json":
        stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        name = (
            manifest.get("metadata", {}).get("name")
            if isinstance(manifest.get("metadata"), dict)
            else None
        )
        stdout.write(format_text(report, str(name or "(unnamed)"), version))
    return EXIT_VALID if report.valid else EXIT_REJECTED


def cmd_normalize(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    version = resolve_version(args.k8s_version)
    manifest = load(args.file, stdin)
    stdout.write(dump_manifest(manifest))
    return EXIT_VALID if not validate_pod(manifest, version) else EXIT_REJECTED


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise CliError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="podstudio",
        description="Analyze and normalize Kubernetes Pod manifests as a cluster would.",
        epilog="Exit codes: 0 accepted by Kubernetes, 1 rejected by it, 2 unreadable input.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    versions = f"{SUPPORTED_VERSIONS[0]}–{SUPPORTED_VERSIONS[-1]}"

    analyze_parser = commands.add_parser(
        "analyze", help="validate a Pod, give its QoS class, security level and findings"
    )
    analyze_parser.add_argument(
        "file", metavar="FILE", help="a Pod manifest (YAML or JSON), or - for stdin"
    )
    analyze_parser.add_argument("--format", choices=("text", "json"), default="text")
    analyze_parser.add_argument(
        "--k8s-version", metavar="X.Y", help=f"Kubernetes version whose rules apply ({versions})"
    )
    analyze_parser.set_defaults(handler=cmd_analyze)

    normalize_parser = commands.add_parser(
        "normalize", help="print the canonical YAML the builder would export"
    )
    normalize_parser.add_argument("file", metavar="FILE", help="a Pod manifest, or - for stdin")
    normalize_parser.add_argument("--k8s-version", metavar="X.Y", help=f"({versions})")
    normalize_parser.set_defaults(handler=cmd_normalize)
    add_sandbox_parser(commands)
    add_edit_parsers(commands)
    return parser


def main(
    argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args, stdin, stdout)
    except (CliError, UnknownVersionError) as exc:
        print(f"podstudio: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_VALID


if __name__ == "__main__":
    sys.exit(main())
