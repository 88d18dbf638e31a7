"""Which files ``podstudio analyze`` checks, and which it leaves out and why.

A repository holds more YAML than manifests: a Helm chart's templates are not YAML until
rendered, its ``values.yaml`` and ``Chart.yaml`` are no objects, a kustomize patch is half an
object. A CI run over the whole tree must not fail on those, nor stay silent about them: each
is named with one line saying what it is and how to check it (``helm template … |
podstudio analyze -``). ``--exclude`` leaves out what the user says.
"""

import fnmatch
import os
import re
import stat
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from podstudio.engine.patterns import compile_lazily

EXTENSIONS = (".yaml", ".yml", ".json")
CHART_FILE = "Chart.yaml"


class Input(NamedTuple):
    """One thing to check: a file, stdin (``-``), or a Helm chart named by its folder."""

    name: str
    named: bool  # given on the command line (an empty named file is an error)
    problem: str = ""  # why it gives nothing to check: exit code 2
    skipped: str = ""  # why it is not checked though it is no failure (a Helm chart)


def helm_note(chart: str) -> str:
    """What to do with a Helm chart: its templates become manifests only once rendered."""
    import shlex

    return f"render it to check it: `helm template {shlex.quote(chart)} | podstudio analyze -`"


def chart_of(folder: str) -> str:
    """The Helm chart folder ``folder`` is in (it or a parent holds ``Chart.yaml``), or "".

    A file named on the command line (a pre-commit hook names every staged file) can be a
    chart's template, its values or its ``Chart.yaml``."""
    return _chart_of(os.path.abspath(folder))


@lru_cache(maxsize=1024)
def _chart_of(current: str) -> str:
    while True:
        if os.path.isfile(os.path.join(current, CHART_FILE)):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return ""
        current = parent


def _as_typed(chart: str) -> str:
    """A path as the user would type it: relative to here when it is below here."""
    relative = os.path.relpath(chart)
    return chart if relative.startswith("..") else relative


def _slashed(path: str) -> str:
    path = os.path.normpath(path).replace(os.sep, "/")
    return "" if path == "." else path


def excluded(relative: str, patterns: list[str]) -> bool:
    """Whether ``--exclude`` leaves out a path (``/``-separated, relative to the argument).

    As in ``.gitignore``: a pattern without ``/`` matches a file or folder name at any depth
    (``values*.yaml``, ``charts``); one with ``/`` matches the path from the argument on
    (``deploy/overlays/*``), and a folder it matches takes all it holds with it."""
    if not relative:
        return False
    parts = relative.split("/")
    for pattern in patterns:
        pattern = pattern.replace(os.sep, "/").removeprefix("./").strip("/")
        if not pattern:
            continue
        if "/" not in pattern:
            if any(fnmatch.fnmatchcase(part, pattern) for part in parts):
                return True
        elif any(
            fnmatch.fnmatchcase("/".join(parts[:end]), pattern) for end in range(1, len(parts) + 1)
        ):
            return True
    return False


def _is_regular_or_missing(path: str) -> bool:
    """A file a directory holds is checked if it is a regular file (or a link to one): a FIFO,
    a socket or a device is passed over. One that cannot be looked at is kept, to be reported."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def _walk(root: str, patterns: list[str]) -> list[Input]:
    """The files under ``root`` to check, and each Helm chart in it as one input."""
    found: list[Input] = []

    def unreadable(error: OSError) -> None:
        # os.walk passes over a folder it cannot list: its files would go unchecked, and CI
        # would pass without a word. It is an input that cannot be read (exit 2).
        name = os.path.normpath(error.filename or root)
        found.append(Input(name, False, problem=f"cannot read: {error.strerror or error}"))

    for folder, folders, names in os.walk(root, onerror=unreadable):
        folder = os.path.normpath(folder)  # "k8s/web.yaml", not "./k8s/web.yaml", for "."
        here = _slashed(os.path.relpath(folder, root))
        if here and CHART_FILE in names:
            # Its templates are not YAML yet: one line for the whole chart, not one per file.
            found.append(Input(folder, False, skipped=f"a Helm chart: {helm_note(folder)}"))
            folders[:] = []
            continue
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".") and not excluded(f"{here}/{name}".lstrip("/"), patterns)
        )
        found += [
            Input(name if folder == "." else os.path.join(folder, name), False)
            for name in names
            if name.endswith(EXTENSIONS)
            and not name.startswith(".")
            and not excluded(f"{here}/{name}".lstrip("/"), patterns)
            and _is_regular_or_missing(os.path.join(folder, name))
        ]
    return sorted(found, key=lambda item: item.name)


def expand_paths(paths: list[str], patterns: list[str] | None = None) -> list[Input]:
    """Each input to check: files in directories are found, sorted, recursively, less what
    ``patterns`` (``--exclude``) leave out; a named file is left out when a pattern matches
    it as it was given."""
    patterns = patterns or []
    inputs: list[Input] = []
    for path in paths:
        if path == "-":
            inputs.append(Input(path, True))
        elif os.path.isdir(path):
            chart = chart_of(path)
            if chart:
                shown = _as_typed(chart)
                what = "a Helm chart" if os.path.samefile(chart, path) else f"in the chart {shown}"
                inputs.append(Input(path, True, problem=f"is {what}: {helm_note(shown)}"))
                continue
            found = _walk(path, patterns)
            if not found:
                problem = "is a directory without *.yaml, *.yml or *.json files"
                if patterns:
                    problem += " that --exclude leaves in"
                inputs.append(Input(path, True, problem=problem))
            inputs += found
        elif not excluded(_slashed(path).removeprefix("/"), patterns):
            chart = chart_of(os.path.dirname(path) or ".")
            if chart:
                shown = _as_typed(chart)
                note = f"part of the Helm chart {shown}: {helm_note(shown)}"
                inputs.append(Input(path, True, skipped=note))
            else:
                inputs.append(Input(path, True))
    return inputs


# --- kustomize ---------------------------------------------------------------------------------

KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")


PATCH_KEYS = ("patchesStrategicMerge", "patches", "patchesJson6902")
# A patch entry switched off in a comment, as kubebuilder's scaffold leaves them under
# ``patches:`` ("#- manager_config_patch.yaml", "#- path: manager_webhook_patch.yaml").
_COMMENTED_PATCH = compile_lazily(
    r"^[ \t]*#[ \t]*-[ \t]*(?:path:[ \t]*)?([^\s#'\"]+\.ya?ml)[ \t]*$"
)
_TOP_LEVEL_KEY = compile_lazily(r"^([A-Za-z][\w]*)[ \t]*:")
# How many folders up a kustomization may list a patch from (``overlays/prod/patches/x.yaml``).
_KUSTOMIZATION_LEVELS = 4


@lru_cache(maxsize=1024)
def _patches_listed_in(folder: str) -> tuple[str, frozenset[str]]:
    """The kustomization file of ``folder`` and the patch files it lists (absolute paths),
    those its scaffold left in comments under a patch key included. It is read with the
    engine's reader and its limits (size, depth, aliases)."""
    from podstudio.engine.documents import read_documents, read_text
    from podstudio.engine.yamlio import MAX_BYTES, ManifestError

    for name in KUSTOMIZATIONS:
        path = os.path.join(folder, name)
        if not os.path.isfile(path):  # a FIFO would wait for a writer
            continue
        try:
            with open(path, "rb") as handle:
                text = read_text(handle.read(MAX_BYTES + 1))  # (larger: refused, unread)
            _, documents = read_documents(text, limit=1)
        except (OSError, ManifestError):
            return path, frozenset()
        data = documents[0].data if documents else None
        if not isinstance(data, dict):
            return path, frozenset()
        listed = _commented_patches(text)
        for key in PATCH_KEYS:
            entries = data.get(key)
            for entry in entries if isinstance(entries, list) else []:
                target = entry.get("path") if isinstance(entry, dict) else entry
                # A strategic merge patch may be written inline: only a one-line string is a path.
                if isinstance(target, str) and "\n" not in target:
                    listed.append(target)
        return path, frozenset(os.path.normpath(os.path.join(folder, p)) for p in listed)
    return "", frozenset()


def _commented_patches(text: str) -> list[str]:
    """The patch files a kustomization names in comments below a patch key."""
    found, under_patches = [], False
    for line in text.splitlines():
        key = _TOP_LEVEL_KEY.match(line)
        if key:
            under_patches = key.group(1) in PATCH_KEYS
        elif under_patches and (commented := _COMMENTED_PATCH.match(line)):
            found.append(commented.group(1))
    return found


def kustomize_file(path: str) -> str:
    """Why kustomize's own files are not checked alone ("" for another file): a kustomization
    says how to build objects, and a patch it lists is part of one (a strategic merge patch
    lacks the selector, the image…). The patch may sit below its kustomization's folder
    (``overlays/prod/patches/replicas.yaml``)."""
    if os.path.basename(path) in KUSTOMIZATIONS:
        return kustomize_note(path, "")
    absolute = os.path.abspath(path)
    folder = os.path.dirname(absolute)
    for _ in range(_KUSTOMIZATION_LEVELS):
        kustomization, listed = _patches_listed_in(folder)
        if absolute in listed:
            return kustomize_note(kustomization, os.path.basename(kustomization))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return ""


def kustomize_note(path: str, listed_in: str) -> str:
    """How to check what kustomize builds from the folder of ``path``."""
    import shlex

    folder = _as_typed(os.path.dirname(os.path.abspath(path))) or "."
    what = f"a kustomize patch (in {listed_in})" if listed_in else "a kustomize file"
    return (
        f"{what}: check the build: `kubectl kustomize {shlex.quote(folder)} | podstudio analyze -`"
    )


JSONC = "JSON with comments (tsconfig.json, editor settings): not a Kubernetes manifest"
OTHER_YAML = "not a Kubernetes manifest: no kind, no metadata (Helm values, Compose, CI files?)"


_COMMENT_LINE = compile_lazily(rb"^[ \t]*//", re.M)


def other_yaml(document) -> bool:
    """YAML that does not try to be a Kubernetes object: no kind, metadata or spec (a Helm
    ``Chart.yaml`` or a Grafana file has an apiVersion of its own). A manifest that lost its
    kind keeps its metadata, and its error."""
    if document.error:
        return False
    from podstudio.engine.documents import listed_objects

    data = document.data
    if not isinstance(data, dict):
        return not listed_objects(data)
    return data.get("kind") in (None, "") and "metadata" not in data and "spec" not in data


def jsonc(name: str, data: bytes) -> bool:
    """A ``.json`` file with ``//`` comment lines: no JSON (nor YAML) reader takes it, and
    tools' configuration is written so (``tsconfig.json``). One with an ``apiVersion`` and a
    ``kind`` is a manifest that kubectl cannot read: it is read, and refused, not skipped."""
    if not name.endswith(".json") or _COMMENT_LINE.search(data) is None:
        return False
    return b'"apiVersion"' not in data or b'"kind"' not in data


def kustomization(document) -> bool:
    data = document.data
    return isinstance(data, dict) and str(data.get("apiVersion")).startswith(
        "kustomize.config.k8s.io/"
    )


# What the findings across files say they judged, for the files of one folder.
ONE_FOLDER = "the files of this folder"


def judge_folders_together(
    results: list, read: Callable[[str], bytes | None], max_bytes: int
) -> None:
    """Judges the findings across files (a Service's selector, the keys a container reads)
    over the files of each folder together, as ``kubectl apply -f FOLDER`` sends them
    together: a Service in ``service.yaml`` selects the Pods of ``deployment.yaml`` beside it.
    Files of other folders are not judged together (a kustomize overlay is a folder of its
    own). ``read`` reads a file again (``None``: it cannot); only regular files are read
    again (a pipe is read once)."""
    from podstudio.engine.filefindings import SAYING_KINDS
    from podstudio.engine.files import add_findings_across, file_objects
    from podstudio.engine.yamlio import ManifestError

    folders: dict[str, list] = {}
    for result in results:
        if result.name != "<stdin>" and not result.skipped:
            folders.setdefault(os.path.dirname(os.path.abspath(result.name)), []).append(result)
    for sent in folders.values():
        # A file that cannot be read (a template not yet rendered) may hold a Service's Pods.
        partial = any(result.unreadable for result in sent)
        members = [r for r in sent if r.documents and os.path.isfile(r.name)]
        saying = [r for r in members if any(doc.kind in SAYING_KINDS for doc in r.documents)]
        working = [r for r in members if any(doc.checked for doc in r.documents)]
        if not any(one is not other for one in saying for other in working):
            continue  # nothing one file could say of another: each file's own findings stand
        together = []
        for result in members:
            data = read(result.name)
            try:
                if data is not None:
                    together.append((result, file_objects(data, max_bytes=max_bytes)))
            except ManifestError:
                continue  # it changed since it was checked: its own findings stand
        add_findings_across(together, ONE_FOLDER, partial)
