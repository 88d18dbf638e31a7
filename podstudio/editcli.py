"""``podstudio edit`` and ``podstudio explain``: the builder's edits and field docs in a terminal.

``podstudio edit FILE --set PATH=VALUE [--set ...] [--unset PATH] [--in-place]`` changes the
fields given and nothing else of the file (comments, order, quoting and the other documents
stay byte for byte), prints the result or writes it back, and checks the edited document as
``podstudio analyze`` does: problems on stderr, exit 0 (accepted), 1 (rejected), 2 (unreadable
input or a wrong command line). Values are typed as the schema of the field says: a string
field stays a string (``value=5432`` writes ``"5432"``), an integer field gets a number.

``podstudio explain PATH [--k8s-version X]`` prints a field's docs, like ``kubectl explain``.
"""

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
import textwrap
from typing import Any, TextIO

EXIT_VALID = 0
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2

_INTEGER = re.compile(r"^[-+]?[0-9]+$")


class EditError(Exception):
    """A problem to report in one line on stderr, with exit code 2."""


def add_parsers(commands) -> None:
    """Adds ``edit`` and ``explain`` to the ``podstudio`` command's subcommands."""
    edit = commands.add_parser(
        "edit",
        help="set or remove fields of a manifest, keeping everything else of the file as it is",
        description="Set or remove fields of one document of a YAML file. Only the values "
        "edited change; comments, key order, quoting and other documents are kept.",
    )
    edit.add_argument("file", metavar="FILE", help="a YAML file, or - for stdin")
    edit.add_argument(
        "--set",
        dest="edits",
        action="append",
        type=lambda text: ("set", text),
        metavar="PATH=VALUE",
        help="set a field, e.g. spec.containers[name=web].image=nginx:1.28 (repeatable)",
    )
    edit.add_argument(
        "--unset",
        dest="edits",
        action="append",
        type=lambda text: ("unset", text),
        metavar="PATH",
        help="remove a field or a list item, e.g. spec.containers[1] (repeatable)",
    )
    edit.add_argument("--in-place", "-i", action="store_true", help="write the result to FILE")
    edit.add_argument(
        "--document",
        type=int,
        metavar="N",
        help="the document to edit, from 0 (default: the only document, or the only workload)",
    )
    edit.add_argument("--k8s-version", metavar="X.Y", help="Kubernetes version of the rules")
    edit.set_defaults(handler=cmd_edit)

    explain = commands.add_parser(
        "explain", help="describe a field from the OpenAPI schema, like kubectl explain"
    )
    explain.add_argument(
        "path",
        metavar="PATH",
        help="e.g. pod.spec.containers.readinessProbe or deployment.spec.template.spec",
    )
    explain.add_argument("--k8s-version", metavar="X.Y", help="Kubernetes version of the schema")
    explain.add_argument(
        "--kind",
        metavar="KIND",
        help="the kind the path starts from when it does not name one (default: Pod), "
        "e.g. --kind Deployment spec.template.spec.containers",
    )
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.set_defaults(handler=cmd_explain)


# --- edit ----------------------------------------------------------------------------------


def split_assignment(text: str) -> tuple[str, str]:
    """``spec.containers[name=web].image=nginx`` -> path and value (``=`` in brackets kept)."""
    depth = 0
    for position, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "=" and depth == 0:
            if not text[:position].strip():
                raise EditError(f"--set needs a path before '=', got {text!r}")
            return text[:position], text[position + 1 :]
    raise EditError(f"--set needs PATH=VALUE, got {text!r}")


# Maps of text in kinds Pod Studio has no schema of: whatever a value there looks like
# (``1.10``, ``off``), a ConfigMap, a Secret and a Service hold it as a string.
_STRING_MAPS = {
    "configmap": (("data",), ("binaryData",)),
    "secret": (("data",), ("stringData",)),
    "service": (("spec", "selector"),),
}
_NOT_SET = object()


def _schema_type(kind: str | None, path: str, version: str | None) -> str | None:
    """The type the schema gives ``path`` in ``kind`` (the docs' label), or ``None``.

    The workload kinds have their schema; every kind's ``metadata`` is the same ObjectMeta
    (read from the Pod's); a few maps of other kinds are known to hold strings."""
    from podstudio.engine import fielddocs, pathedit

    lowered = (kind or "").lower()
    if lowered not in fielddocs.KINDS:
        if not path.startswith("metadata."):
            try:
                steps = pathedit.parse_path(path)
            except pathedit.PathError:
                return None
            parent = tuple(steps[:-1])
            return "string" if parent in _STRING_MAPS.get(lowered, ()) else None
        lowered = "pod"
    try:
        label = fielddocs.explain(f"{lowered}.{path}", version)["type"]
    except fielddocs.UnknownFieldError:
        return None
    if label and label.startswith("[]") and re.search(r"\[\d+\]$", path):
        label = label[2:]  # one item of the list (the docs name the list's type)
    return label


def _current_value(data: Any, path: str) -> Any:
    """What the document holds at ``path`` now (``_NOT_SET`` if nothing)."""
    from podstudio.engine import pathedit

    try:
        keys = pathedit.concrete_keys(data, pathedit.parse_path(path), creating=False)
    except pathedit.PathError:
        return _NOT_SET
    for key in keys:
        data = data[key]
    return data


def typed_value(
    kind: str | None,
    path: str,
    text: str,
    version: str | None,
    data: Any = None,
    notes: list[str] | None = None,
) -> Any:
    """``text`` as the value the schema wants at ``path`` (``kind``'s schema); without a
    schema, a string where the document (``data``) holds a string now, else YAML (said in
    ``notes`` when that makes it a number, a boolean or null)."""
    from podstudio.engine import sourcemap
    from podstudio.engine.goyaml import atoi
    from podstudio.engine.yamlio import ManifestError

    label = _schema_type(kind, path, version)
    if label is None and isinstance(_current_value(data, path), str):
        return text  # the author's file says it is text
    if label == "string" or label in ("Time", "MicroTime"):
        return text
    if label == "integer":
        if not _INTEGER.match(text.strip()):
            raise EditError(f"{path} is an integer field: {text!r} is not a whole number")
        number, in_range = atoi(text.strip())
        if not in_range:
            raise EditError(f"{path} is an integer field: {text[:40]!r}… is past int64")
        return number
    if label == "boolean":
        if text.strip().lower() not in ("true", "false"):
            raise EditError(f"{path} is a true/false field: {text!r} is neither")
        return text.strip().lower() == "true"
    if label in ("IntOrString", "Quantity"):
        if _INTEGER.match(text.strip()) and atoi(text.strip())[1]:
            return int(text)
        return text
    try:
        documents = sourcemap.read_source(text).documents
    except ManifestError as exc:
        raise EditError(f"{path}: the value is not YAML: {exc}") from None
    if len(documents) != 1:
        raise EditError(f"{path}: the value must be one YAML value")
    value = documents[0].data
    if label and label.startswith("[]") and not isinstance(value, list):
        raise EditError(f"{path} is a list ({label}): write it as [a, b]")
    if label and label[0].isupper() and label != "Object" and not isinstance(value, dict):
        raise EditError(f"{path} is a mapping ({label}): write it as {{key: value}}")
    if label and label.startswith("map[") and not isinstance(value, dict):
        raise EditError(f"{path} is a map ({label}): write it as {{key: value}}")
    scalar = not isinstance(value, str | dict | list)
    if label is None and notes is not None and scalar:
        if type(_current_value(data, path)) is type(value):
            return value  # a number where the file has a number: as the author means
        shown = {bool: "true/false value", type(None): "null"}.get(type(value), "number")
        notes.append(
            f"note: {path}: no schema says what {kind or 'this document'} holds there, so "
            f"{text!r} was read as YAML: a {shown}; quote it (\"'{text}'\") for a string"
        )
    return value


def _read(source: str, stdin: TextIO) -> bytes:
    """``analyze``'s reading: at most the size limit, a named pipe without waiting for a
    writer, no device or socket."""
    from podstudio.cli import CliError, read_input

    try:
        return read_input(source, stdin)
    except CliError as exc:
        raise EditError(str(exc)) from None


def _write_in_place(path: str, data: bytes) -> None:
    """Writes the file the name leads to (a symlink's target): a whole new file beside it,
    swapped in with the old one's permissions and owner, so a crash never leaves half a file.
    A file with other hard links is overwritten where it is instead, so that every name of it
    still shows the same, edited file."""
    target = os.path.realpath(path)
    info = os.stat(target)
    if info.st_nlink > 1:
        with open(target, "r+b") as out:
            out.write(data)
            out.truncate()
        return
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".podstudio-edit-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, info.st_mode & 0o7777)
        if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def check_document(name: str, text: str, document: int, version: str) -> tuple[list[str], int]:
    """Problems of the edited ``document`` of the file ``text``, one line each as
    ``podstudio analyze --brief`` prints them, and the exit code ``analyze`` gives: every kind
    ``analyze`` checks, a workload as much as a Pod."""
    from podstudio.clireports import printable, said_lines
    from podstudio.engine.files import check_file

    result = check_file(name, text, version)
    if result.error:
        return [printable(f"{name}: error: {result.error}")], EXIT_UNREADABLE
    lines, code = [], EXIT_VALID
    for doc in result.documents:
        if doc.document != document:
            continue
        if doc.unreadable:
            lines.append(printable(f"{name}:{doc.line}: error: {doc.note}"))
            code = EXIT_UNREADABLE
        elif not doc.checked and not doc.file_findings:
            lines.append(printable(f"{name}: note: {doc.title}: {doc.note}"))
        lines += said_lines(name, doc)
        if code == EXIT_VALID and any(
            problem.rule == "invalid" or problem.severity == "error" for problem in doc.problems
        ):
            code = EXIT_REJECTED
    return lines, code


def cmd_edit(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    try:
        return _edit(args, stdin, stdout)
    except EditError as exc:
        sys.stderr.write(f"podstudio edit: {exc}\n")
        return EXIT_UNREADABLE


def _edit(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from podstudio.engine import pathedit
    from podstudio.engine.schema import UnknownVersionError, resolve_version
    from podstudio.engine.yamlio import BOM, ManifestError, _decode, encode_wide, wide_encoding

    try:
        version = resolve_version(args.k8s_version)
    except UnknownVersionError as exc:
        raise EditError(str(exc)) from None
    if not args.edits:
        raise EditError("nothing to do: give --set PATH=VALUE or --unset PATH")
    if args.in_place and args.file == "-":
        raise EditError("--in-place needs a file, not stdin")
    raw = _read(args.file, stdin)
    bom = raw.startswith(BOM.encode())
    wide = wide_encoding(raw)  # a UTF-16 file is written back as it came
    try:
        text = _decode(raw)
        chosen = pathedit.choose_document(text, args.document)
    except (ManifestError, pathedit.PathError) as exc:
        raise EditError(f"{args.file}: {exc}") from None
    data = pathedit.documents_data(text)[chosen]
    kind = data.get("kind") if isinstance(data, dict) else None
    edits, notes = [], []
    for action, argument in args.edits:
        if action == "unset":
            edits.append(pathedit.unset(argument))
            continue
        path, value = split_assignment(argument)
        edits.append(pathedit.Edit(path, typed_value(kind, path, value, version, data, notes)))
    try:
        result, document = pathedit.apply_edits(text, edits, args.document)
    except (ManifestError, pathedit.PathError) as exc:
        raise EditError(f"{args.file}: {exc}") from None
    encoded = encode_wide(result, wide) if wide else ((BOM if bom else "") + result).encode("utf-8")
    if args.in_place:
        try:
            _write_in_place(args.file, encoded)
        except OSError as exc:
            raise EditError(f"{args.file}: cannot write: {exc.strerror or exc}") from None
    else:
        stream = getattr(stdout, "buffer", None)
        if stream is not None:
            stdout.flush()
            stream.write(encoded)
            stream.flush()
        else:
            stdout.write(result)
    problems, code = check_document(args.file, result, document, version)
    for line in notes:
        sys.stderr.write(f"{args.file}: {line}\n")
    for line in problems:
        sys.stderr.write(line + "\n")
    return code


# --- explain --------------------------------------------------------------------------------


def format_explain(doc: dict) -> str:
    from podstudio.engine.fielddocs import kind_name

    wrap = textwrap.TextWrapper(width=80, initial_indent="    ", subsequent_indent="    ")
    lines = [
        f"KIND:       {kind_name(doc['kind'])}",
        f"VERSION:    {doc['api_version']} (Kubernetes {doc['version']} schema)",
        "",
        f"FIELD:      {doc['path']} <{doc['type']}>" + ("  (required)" if doc["required"] else ""),
    ]
    if not doc["available"]:
        lines.append(f"SINCE:      {doc['since']} (not in {doc['version']})")
    elif doc["since"] != "1.25":
        lines.append(f"SINCE:      {doc['since']}")
    if doc["deprecated"]:
        lines.append("DEPRECATED: yes (see the description)")
    if doc["default"]:
        lines.append(f"DEFAULT:    {doc['default']}")
    if doc["note"]:
        lines += ["", "NOTE:", *wrap.wrap(doc["note"])]
    lines += ["", "DESCRIPTION:"]
    for paragraph in doc["description"].split("\n"):
        lines += wrap.wrap(paragraph) or [""]
    if doc["fields"]:
        lines += ["", "FIELDS:"]
        for child in doc["fields"]:
            required = " -required-" if child["required"] else ""
            lines.append(f"  {child['name']}\t<{child['type']}>{required}")
    return "\n".join(lines) + "\n"


def cmd_explain(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from podstudio.clireports import printable
    from podstudio.engine import fielddocs
    from podstudio.engine.schema import UnknownVersionError

    try:
        doc = fielddocs.explain(args.path, args.k8s_version, args.kind)
    except (fielddocs.UnknownFieldError, UnknownVersionError) as exc:
        sys.stderr.write(printable(f"podstudio explain: {exc}") + "\n")
        return EXIT_UNREADABLE
    if args.format == "json":
        stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        stdout.write(format_explain(doc))
    return EXIT_VALID
