"""Builder actions outside the views: the gallery, creating designs, and one preview per change."""

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from lessons.models import Learner
from podstudio.builder import files, livestate
from podstudio.builder.diagram import pod_diagram_svg
from podstudio.builder.edit import Group, Input, field_id
from podstudio.builder.highlight import highlight_yaml
from podstudio.builder.models import Design
from podstudio.builder.schedule import describe_schedule, next_runs_text
from podstudio.builder.workloads import (
    SELECTOR_ACTION,
    VERSION_ACTION,
    design_kept,
    design_kind,
    design_slot_for,
    selector_text,
    template_pod,
)
from podstudio.engine.admission.pss import blocking_next_level
from podstudio.engine.analyze import analyze
from podstudio.engine.documents import is_json
from podstudio.engine.kinds import (
    made_by_create,
    needs_selector,
    removed_version,
    shown_name,
)
from podstudio.engine.memo import short_text_cache
from podstudio.engine.paths import as_dict, join
from podstudio.engine.results import LEVELS
from podstudio.engine.yamldump import dump_manifest
from podstudio.engine.yamlio import MAX_BYTES, load_manifest

GALLERY_DIR = Path(__file__).parent / "gallery"
BLANK_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "my-pod"},
    "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
}


@dataclass(frozen=True)
class GalleryEntry:
    name: str
    title: str
    about: str
    manifest: dict
    qos: str
    pss: str


@cache
def gallery() -> tuple[GalleryEntry, ...]:
    """The gallery's patterns, read once: title and explanation are the file's first comments."""
    entries = []
    for path in sorted(GALLERY_DIR.glob("*.yaml")):
        text = path.read_text()
        comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        manifest = load_manifest(text)
        report = analyze(manifest)
        name = path.stem.split("-", 1)[1]
        entries.append(
            GalleryEntry(
                name, comments[0], comments[1], manifest, report.qos.qos_class, report.pss.level
            )
        )
    return tuple(entries)


def gallery_manifest(name: str) -> dict | None:
    for entry in gallery():
        if entry.name == name:
            return entry.manifest
    return None


_EXAMPLE_NAME = re.compile(r"[a-z0-9-]{1,80}")


def example_manifest(name: str) -> dict | None:
    """A lesson's example Pod by name; ``None`` for names that are not a plain slug or not there."""
    if not _EXAMPLE_NAME.fullmatch(name or ""):
        return None
    from lessons.catalog import course  # the lessons app owns its examples (lessons/content)

    example = course().examples.get(name)
    return load_manifest(example.yaml) if example is not None else None


def create_design(
    *,
    manifest: dict,
    learner: Learner,
    exercise: str = "",
    source: str = "",
    document: int = 0,
    source_encoding: str = "",
) -> Design:
    """A new design of ``learner``'s; an exercise's design starts with its goals checked.
    ``source``, ``document`` and ``source_encoding``: the file it was imported from (see
    ``files``)."""
    state = {}
    if exercise:
        state = livestate.initial_state(
            goals=exercise_goals(exercise, manifest),
            errors=analyze(manifest, settings.PODSTUDIO_K8S_VERSION).errors,
            now=timezone.now(),
        )
    return Design.objects.create(
        manifest=manifest,
        learner=learner,
        exercise=exercise,
        source=source,
        document=document,
        source_encoding=source_encoding,
        **state,
    )


# --- what can be stored ---------------------------------------------------------------------------
# A saved design is never larger than an import may be (its canonical YAML is at most
# MAX_DESIGN_BYTES), so every design can be downloaded and imported again, and no sequence of
# edits can grow one without bound. The databases cannot keep NUL characters (PostgreSQL) nor
# non-finite numbers (JSON), so those are refused with a message instead of failing on save.

MAX_DESIGN_BYTES = MAX_BYTES
NUL_MESSAGE = "contains a NUL character (\\0), which cannot be saved: remove it"
TOO_LARGE_MESSAGE = (
    f"Not saved: the design would be larger than {MAX_DESIGN_BYTES // 1024} KiB "
    "as YAML, the most a design can be."
)


def too_large(yaml_text: str) -> bool:
    return len(yaml_text) > MAX_DESIGN_BYTES or len(yaml_text.encode()) > MAX_DESIGN_BYTES


# The form draws every entry of every list (a container alone is some 35 KB of form), so a
# design of a few KiB with thousands of tiny entries would cost seconds and megabytes on every
# page load. Real Pods stay far below this; larger ones are for `podstudio analyze`.
MAX_LIST_ITEMS = 100
# The form draws every entry of every list: lists within lists (100 containers of 45 env
# entries each, in 200 KiB of YAML) drew a page of 40 MB in 5 s. 500 entries in all draw some
# 2 MB in under a second, and real Pods hold far fewer.
MAX_TOTAL_ITEMS = 500


# A map (labels, annotations, a ConfigMap's data) is drawn as one box, but every key is read,
# checked and written on each keystroke: 60,000 labels cost 1.3 s a request. Real Pods hold tens.
MAX_MAP_KEYS = 1000
# Every value the form does not edit is drawn as YAML of its own under "Kept as is": 20,000 of
# them (40 containers of 500 unknown fields, 231 KiB) took 6 s and 11 MB a page. Real Pods and
# workloads hold a few hundred values; the richest in the tests, 349.
MAX_VALUES = 5000


def too_many_entries(path: str, count: int) -> str:
    return (
        f"{path} has {count} entries: the builder edits at most {MAX_LIST_ITEMS} per list "
        "(check a larger manifest with `podstudio analyze`)"
    )


def unstorable(manifest: object) -> str | None:
    """Why a manifest cannot be saved as it is (its path and the reason), or ``None``.

    Each value remembers only where it hangs (its parent's place and its key); the path is
    written out for the problem found, not for every value of every keystroke's manifest.
    """
    stack: list[tuple[object, tuple | None]] = [(manifest, None)]
    total = values = 0
    while stack:
        value, place = stack.pop()
        values += 1
        if values > MAX_VALUES:
            return (
                f"it holds more than {MAX_VALUES} values: the builder draws each one it does not "
                "edit (check a larger manifest with `podstudio analyze`)"
            )
        if isinstance(value, dict):
            if len(value) > MAX_MAP_KEYS:
                return (
                    f"{_path(place) or 'the manifest'} has {len(value)} keys: the builder edits "
                    f"at most {MAX_MAP_KEYS} per mapping (check a larger manifest with "
                    "`podstudio analyze`)"
                )
            for key, item in value.items():
                if isinstance(key, str) and "\x00" in key:
                    return f"a key in {_path(place) or 'the manifest'} {NUL_MESSAGE}"
                stack.append((item, (place, str(key))))
        elif isinstance(value, list):
            if len(value) > MAX_LIST_ITEMS:
                return too_many_entries(_path(place) or "the manifest", len(value))
            total += len(value)
            if total > MAX_TOTAL_ITEMS:
                return (
                    f"its lists hold more than {MAX_TOTAL_ITEMS} entries in all: the builder "
                    "draws every entry in its form (check a larger manifest with "
                    "`podstudio analyze`)"
                )
            for index, item in enumerate(value):
                stack.append((item, (place, index)))
        elif isinstance(value, str) and "\x00" in value:
            return f"{_path(place)} {NUL_MESSAGE}"
        elif isinstance(value, float) and not math.isfinite(value):
            return f"{_path(place)} is {value}, which is not a number Kubernetes can store"
    return None


def unstorable_document(manifest: object) -> str | None:
    """``unstorable``, and then the size of the manifest as YAML: what an import or a switch
    to another document of a file checks before a design holds ``manifest``."""
    if problem := unstorable(manifest):
        return problem
    if too_large(dump_manifest(manifest)):
        return TOO_LARGE_MESSAGE.removeprefix("Not saved: ").removesuffix(".")
    return None


def _path(place: tuple | None) -> str:
    """The field path of a place in ``unstorable``'s walk: ``(parent's place, key or index)``."""
    keys: list[str | int] = []
    while place is not None:
        place, key = place
        keys.append(key)
    path = ""
    for key in reversed(keys):
        path = join(path, key)
    return path


def refused_inputs(data: QueryDict) -> dict[str, str]:
    """Posted fields whose values cannot be saved, by field name (``@`` parts folded in)."""
    return {
        name.partition("@")[0]: NUL_MESSAGE
        for name, values in data.lists()
        if any("\x00" in value for value in values)
    }


# The refused fields a page names one by one; the rest are counted. The messages wait in the
# session for the page: a post of thousands of made-up fields must not grow it by megabytes.
REFUSED_NAMED = 5


def refused_lines(refused: dict[str, str]) -> list[str]:
    """``refused_inputs`` as the page's messages: the first few named, the others counted."""
    named = list(refused.items())[:REFUSED_NAMED]
    lines = [f"{shortened(name)} {message}." for name, message in named]
    if len(refused) > REFUSED_NAMED:
        more = len(refused) - REFUSED_NAMED
        lines.append(f"{more} more fields contain a NUL character (\\0) too, and were not saved.")
    return lines


def shortened(name: str, longest: int = 200) -> str:
    """A posted field's name as a message quotes it: a client can post a name of megabytes,
    which would be kept in the session with the message."""
    return name if len(name) <= longest else f"{name[: longest // 2]}…{name[-20:]}"


def without_fields(data: QueryDict, names: dict[str, str]) -> QueryDict:
    """The posted data less the named fields (and their ``@`` parts)."""
    kept = data.copy()
    for name in list(kept):
        if name.partition("@")[0] in names:
            del kept[name]
    return kept


def errors_of(manifest: dict) -> list:
    """What the API server would reject in ``manifest`` (for saves that draw no preview)."""
    return analyze(manifest, settings.PODSTUDIO_K8S_VERSION).errors


@lru_cache(maxsize=1024)
def download_url(slug: str) -> str:
    """The design's download link, worked out once per design and process."""
    return reverse("builder:download", args=[slug])


_FILE_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]{0,200}[a-z0-9])?")


def download_name(manifest: dict, *, json: bool = False, documents: Sequence = ()) -> str:
    """``<metadata.name>.yaml`` if the name is a safe file name, else ``<kind>.yaml``; a file
    kept as ``json`` ends in ``.json``. A file of several ``documents`` (``files.Listed``) is
    named after the first of them with such a name, whichever one is edited: it holds them
    all, and its name stays the same from one document to the next."""
    extension = "json" if json else "yaml"
    if len(documents) > 1:
        for document in documents:
            if _FILE_NAME.fullmatch(document.name):
                return f"{document.name}.{extension}"
    metadata = manifest.get("metadata") if isinstance(manifest, dict) else None
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if isinstance(name, str) and _FILE_NAME.fullmatch(name):
        return f"{name}.{extension}"
    return f"{design_kind(manifest).name.lower()}.{extension}"


# --- the preview ------------------------------------------------------------------------------


def exercises_module():
    """``lessons.exercises``, imported late: the lessons app owns it."""
    try:
        from lessons import exercises
    except ImportError:
        return None
    return exercises


_SEVERITY_BADGE = {"error": "bad", "warning": "warn"}


@dataclass
class Preview:
    """Everything the preview partial shows, worked out here so the template only prints it.

    Lists hold plain dicts of escaped text: the template engine reads a dict key faster than an
    attribute, and has nothing left to escape.
    """

    yaml: str
    yaml_html: SafeString
    diagram: SafeString
    report: object
    status: str  # "Valid" or "3 problems"
    status_badge: str
    qos_class: str
    qos_badge: str
    qos_reasons: list[str]
    pss_level: str
    pss_badge: str
    next_level: str
    blocking: list  # the Violations between this level and the next
    errors_by_slot: dict[str, list[str]]  # slot path -> messages
    error_slot_ids: dict[str, list[str]]  # field id -> messages
    errors_elsewhere: list
    error_items: list[dict]  # path, message, target
    findings: list  # the report's Findings
    kept_fields: list  # edit.Kept: the parts the form does not edit
    goals: list[dict]
    filename: str
    canonical_filename: str
    kind: str = "Pod"
    kind_summary: str = ""  # what the controller makes of the template ("" for a Pod)
    next_runs: str = ""  # a CronJob's next runs, in words
    selector_note: str = ""  # the form's read-only selector line, which follows the labels
    authored: bool = False  # ``yaml`` is the author's imported text with the edits, not canonical
    # The edit could not be placed in the author's text: the document is written anew (no case
    # is known; the page says so rather than claim the comments stayed).
    written_anew: bool = False
    create: bool = False  # only generateName: made with ``kubectl create``, not apply
    # The imported file's documents (``files.Listed``), with what they say of the edited Pods.
    documents: tuple = ()

    @property
    def all_goals_pass(self) -> bool:
        return all_pass(self.goals)

    def __getitem__(self, name: str) -> object:
        # Templates try ``preview[name]`` before ``preview.name``; answering it directly spares
        # an exception per variable on every keystroke.
        return getattr(self, name)

    # The lists below are built only when their section is rendered: a keystroke that leaves the
    # findings alone never formats them.

    @cached_property
    def finding_items(self) -> list[dict]:  # severity, badge, message, fix, target, name
        return [
            {
                "severity": _html(finding.severity),
                "badge": _SEVERITY_BADGE.get(finding.severity, "info"),
                "message": _html(finding.message),
                "fix": _html(finding.fix),
                "target": _target(finding.path, self.kind)[1],
                # what its "Go to field" link is called, among a dozen ("missing liveness probe")
                "name": _html(finding.id.replace("-", " ")),
            }
            for finding in self.findings
        ]

    @cached_property
    def blocking_items(self) -> list[dict]:  # control, message, fix, target (field id or "")
        return [
            {
                "control": _html(violation.control),
                "message": _html(violation.message),
                "fix": _html(violation.fix),
                "target": _target(violation.path, self.kind)[1],
            }
            for violation in self.blocking
        ]

    @cached_property
    def kept(self) -> list[dict]:  # path, yaml
        return [{"path": _html(k.path), "yaml": _html(k.yaml)} for k in self.kept_fields]

    @cached_property
    def digests(self) -> dict[str, str]:
        """A short digest of what each optional section shows.

        Python's ``hash`` of the report's frozen results: cheap, and the same in every worker a
        server forks. Another process may answer other digests; that only re-sends a section.
        """
        goals = tuple(tuple(goal.items()) for goal in self.goals)
        shown = {
            "status": (
                self.status,
                self.status_badge,
                self.qos_class,
                self.pss_level,
                self.kind,
                self.kind_summary,
                self.next_runs,
            ),
            "goals": (goals, self.all_goals_pass),
            "problems": tuple(self.report.errors),
            # Validity too: an invalid Pod's QoS, level and findings read "not checked".
            "qos": (self.status_badge, self.qos_class, *self.qos_reasons),
            "pss": (self.status_badge, self.pss_level, self.next_level, *self.blocking),
            "findings": (self.status_badge, *self.findings),
            "documents": self.documents,
            "kept": tuple((kept.path, kept.yaml) for kept in self.kept_fields),
        }
        return {name: f"{hash(data) & 0xFFFFFFFFFFFF:x}" for name, data in shown.items()}

    @property
    def shown_sections(self) -> str:
        return " ".join(f"{name}:{digest}" for name, digest in self.digests.items())

    def changed_sections(self, shown: str) -> set[str]:
        """The optional sections that differ from what the page shows (``shown_sections``)."""
        before = dict(item.partition(":")[::2] for item in shown.split())
        return {name for name, digest in self.digests.items() if before.get(name) != digest}


def _escaped(text: str) -> SafeString:
    return mark_safe(html.escape(text))  # noqa: S308 (escaped as the template would)


_escaped_short = lru_cache(maxsize=8192)(_escaped)


def _html(text: str) -> SafeString:
    """``text`` escaped as ``{{ text }}`` would print it; messages repeat, so short ones are
    escaped once per process and the template has nothing left to escape."""
    return _escaped_short(text) if len(text) <= 1000 else _escaped(text)


@short_text_cache(4096)
def _target(path: str, kind: str = "Pod") -> tuple[str | None, SafeString]:
    """The form slot of a field path and the id of its element ("" if the form has none)."""
    slot = design_slot_for(kind, path)
    return slot, _html(field_id(slot) if slot else "")


def fix_button(manifest: dict, path: str) -> str:
    """The id of the form's button that fixes the error at ``path``, if it has one: an
    apiVersion no longer served (``Use apps/v1``) or a missing selector."""
    if path == "apiVersion" and removed_version(manifest):
        return f"{VERSION_ACTION}-action"
    if path == "spec.selector" and needs_selector(manifest):
        return f"{SELECTOR_ACTION}-action"
    return ""


def exercise_goals(exercise: str, manifest: dict) -> list[dict]:
    """The exercise's goal checklist for this manifest; empty without a (known) exercise."""
    module = exercises_module() if exercise else None
    if module is None:
        return []
    try:
        return module.check_exercise(exercise, manifest)
    except KeyError:
        return []


def _with_targets(goals: list[dict], kind: str) -> list[dict]:
    """Each goal with the id of the form element it is about ("" if none), for its Go to field
    link: a goal's field may be in a collapsed section, dozens of Tabs away."""
    for goal in goals:
        path = goal.get("path") or ""
        goal["target"] = "f-kind" if path == "kind" else _target(path, kind)[1] if path else ""
        goal["name"] = str(goal.get("id", "")).replace("-", " ")
    return goals


def all_pass(goals: list[dict]) -> bool:
    return bool(goals) and all(goal["status"] == "pass" for goal in goals)


def record_if_done(request, exercise: str, goals: list[dict]) -> None:
    """Marks the exercise done in the learner's progress once every goal passes."""
    if exercise and all_pass(goals):
        exercises_module().mark_completed(request, exercise)


def _controller_summary(manifest: dict, kind) -> str:
    """What the controller makes of the template, in a few words."""
    spec = as_dict(manifest.get("spec"))
    if kind.name in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"):
        replicas = spec.get("replicas", 1)
        count = replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else "?"
        return f"{count} replica{'' if count == 1 else 's'}"
    if kind.name == "DaemonSet":
        return "one Pod per node"
    if kind.name == "Job":
        completions = spec.get("completions", 1)
        return f"runs to {completions} completion{'' if completions == 1 else 's'}"
    if kind.name == "CronJob":
        schedule = spec.get("schedule")
        if not isinstance(schedule, str) or not schedule:
            return "no schedule"
        zone = spec.get("timeZone")  # (as written: a list or a mapping is refused, not named)
        return describe_schedule(schedule, zone if isinstance(zone, str) else None)
    return ""


def _next_runs(manifest: dict) -> str:
    spec = as_dict(manifest.get("spec"))
    schedule = spec.get("schedule")
    if not isinstance(schedule, str) or not schedule:
        return ""
    return next_runs_text(schedule, spec.get("timeZone"), timezone.now())


def make_preview(manifest: dict, *, exercise: str = "", design: Design | None = None) -> Preview:
    """Everything the preview shows, from one analysis and one YAML text: for a ``design``
    imported from a file, its document as the author wrote it with the edits
    (``files.shown_text``), else the canonical YAML."""
    report = analyze(manifest, settings.PODSTUDIO_K8S_VERSION)
    base = files.original_text(design) if design is not None else None
    text, kept = files.shown(design, manifest) if base is not None else (None, True)
    text = dump_manifest(manifest) if text is None else text
    markup_text, markup_base = text, base
    if base is not None and "\r" in base:  # a CRLF file: one line on screen per line
        markup_text, markup_base = text.replace("\r\n", "\n"), base.replace("\r\n", "\n")
    across, documents, as_json = files.NOTHING_ACROSS, (), False
    if base is not None:  # imported: the other documents of the file have their say
        across = files.findings_across(design, manifest)
        documents = tuple(files.document_list(design, manifest, across.notes))
        # A JSON file, still JSON where it was edited, downloads as JSON.
        as_json = files.source_is_json(design.source) and is_json(text)
    kind = design_kind(manifest)
    summary = "" if kind.is_pod else _controller_summary(manifest, kind)
    pod = manifest if kind.is_pod else template_pod(manifest, kind)
    controller = None if kind.is_pod else (kind.name, shown_name(manifest), summary)
    errors_by_slot: dict[str, list[str]] = {}
    elsewhere = []
    error_items = []
    for error in report.errors:
        slot, target = _target(error.path, kind.name)
        if slot is None:
            elsewhere.append(error)
            target = fix_button(manifest, error.path) or target
        else:
            errors_by_slot.setdefault(slot, []).append(error.message)
        error_items.append(
            {"path": _html(error.path), "message": _html(error.message), "target": target}
        )
    level = report.pss.level
    level_index = LEVELS.index(level) if level in LEVELS else 0
    count = len(report.errors)
    return Preview(
        yaml=text,
        yaml_html=mark_safe(highlight_yaml(markup_text, base=markup_base)),  # noqa: S308 (escapes)
        diagram=mark_safe(  # noqa: S308 (escapes all text)
            pod_diagram_svg(pod, report, controller=controller)
        ),
        report=report,
        status="Valid" if not count else f"{count} problem{'' if count == 1 else 's'}",
        status_badge="bad" if count else "ok",
        qos_class=report.qos.qos_class,
        # site.css gives every QoS class and Pod Security level one badge colour, on every page.
        qos_badge=f"qos-{report.qos.qos_class.lower()}",
        qos_reasons=[_html(reason) for reason in report.qos.reasons],
        pss_level=level,
        pss_badge=f"pss-{level}",
        next_level=LEVELS[level_index + 1] if level_index + 1 < len(LEVELS) else "",
        blocking=blocking_next_level(report.pss),
        errors_by_slot=errors_by_slot,
        error_slot_ids={field_id(slot): messages for slot, messages in errors_by_slot.items()},
        errors_elsewhere=elsewhere,
        error_items=error_items,
        findings=[*across.findings, *report.findings],
        documents=documents,
        kept_fields=design_kept(manifest),
        goals=_with_targets(exercise_goals(exercise, manifest), kind.name),
        filename=download_name(manifest, json=as_json, documents=documents),
        canonical_filename=download_name(manifest, documents=documents),
        kind=kind.name,
        kind_summary=summary,
        next_runs=_next_runs(manifest) if kind.name == "CronJob" else "",
        selector_note=""
        if kind.is_pod
        else selector_text(manifest, kind, authored=base is not None),
        authored=base is not None,
        written_anew=not kept,
        create=made_by_create(manifest),
    )


def attach_errors(nodes: list, errors_by_slot: dict[str, list[str]]) -> None:
    """Puts each error message on the form node it belongs to, for the full-page render."""
    for node in nodes:
        if isinstance(node, Input):
            node.errors = errors_by_slot.get(node.name, [])
        elif isinstance(node, Group):
            node.errors = errors_by_slot.get(node.path, []) if node.path else []
            attach_errors(node.children, errors_by_slot)
