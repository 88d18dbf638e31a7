"""Builder actions outside the views: the gallery, creating designs, and one preview per change."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from podstudio.builder.models import Design
from podstudio.pods.analyze import analyze
from podstudio.pods.diagram import pod_diagram_svg
from podstudio.pods.edit import Group, Input, field_id, kept_as_is, slot_for
from podstudio.pods.highlight import highlight_yaml
from podstudio.pods.pss import blocking_next_level
from podstudio.pods.results import LEVELS
from podstudio.pods.yamlio import dump_manifest, load_manifest

GALLERY_DIR = Path(__file__).parent / "gallery"
EXAMPLES_DIR = Path(settings.BASE_DIR) / "lessons" / "examples"
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
    path = EXAMPLES_DIR / f"{name}.yaml"
    if not path.is_file():
        return None
    return load_manifest(path.read_bytes())


def create_design(*, manifest: dict, owner: str, exercise: str = "") -> Design:
    return Design.objects.create(manifest=manifest, owner_session=owner, exercise=exercise)


def download_name(manifest: dict) -> str:
    """``<metadata.name>.yaml`` if the name is a safe file name, else ``pod.yaml``."""
    metadata = manifest.get("metadata") if isinstance(manifest, dict) else None
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if isinstance(name, str) and re.fullmatch(r"[a-z0-9]([a-z0-9.-]{0,200}[a-z0-9])?", name):
        return f"{name}.yaml"
    return "pod.yaml"


# --- the preview ------------------------------------------------------------------------------


def exercises_module():
    """``lessons.exercises``, imported late: the lessons app owns it."""
    try:
        from lessons import exercises
    except ImportError:
        return None
    return exercises


@dataclass
class Preview:
    yaml: str
    yaml_html: SafeString
    diagram: SafeString
    report: object
    blocking: list
    next_level: str
    errors_by_slot: dict[str, list[str]]  # slot path -> messages
    errors_elsewhere: list
    error_links: list[tuple[object, str]]  # (error, field id or "")
    finding_links: list[tuple[object, str]]
    blocking_links: list[tuple[object, str]]
    kept: list
    goals: list[dict]
    filename: str

    @property
    def all_goals_pass(self) -> bool:
        return bool(self.goals) and all(goal["status"] == "pass" for goal in self.goals)

    def error_slot_ids(self) -> dict[str, list[str]]:
        return {field_id(slot): messages for slot, messages in self.errors_by_slot.items()}


def make_preview(manifest: dict, *, exercise: str = "") -> Preview:
    """Everything the preview shows, from one analysis and one YAML dump."""
    report = analyze(manifest, settings.PODSTUDIO_K8S_VERSION)
    text = dump_manifest(manifest)
    errors_by_slot: dict[str, list[str]] = {}
    elsewhere = []
    error_links = []
    for error in report.errors:
        slot = slot_for(error.path)
        if slot is None:
            elsewhere.append(error)
            error_links.append((error, ""))
        else:
            errors_by_slot.setdefault(slot, []).append(error.message)
            error_links.append((error, field_id(slot)))
    finding_links = []
    for finding in report.findings:
        slot = slot_for(finding.path)
        finding_links.append((finding, field_id(slot) if slot else ""))
    blocking = blocking_next_level(report.pss)
    level_index = LEVELS.index(report.pss.level) if report.pss.level in LEVELS else 0
    goals: list[dict] = []
    if exercise:
        module = exercises_module()
        if module is not None:
            try:
                goals = module.check_exercise(exercise, manifest)
            except KeyError:
                goals = []
    return Preview(
        yaml=text,
        yaml_html=mark_safe(highlight_yaml(text)),  # noqa: S308 (highlight_yaml escapes)
        diagram=mark_safe(pod_diagram_svg(manifest, report)),  # noqa: S308 (escapes all text)
        report=report,
        blocking=blocking,
        blocking_links=[(v, field_id(s) if (s := slot_for(v.path)) else "") for v in blocking],
        next_level=LEVELS[level_index + 1] if level_index + 1 < len(LEVELS) else "",
        errors_by_slot=errors_by_slot,
        errors_elsewhere=elsewhere,
        error_links=error_links,
        finding_links=finding_links,
        kept=kept_as_is(manifest),
        goals=goals,
        filename=download_name(manifest),
    )


def attach_errors(nodes: list, errors_by_slot: dict[str, list[str]]) -> None:
    """Puts each error message on the form node it belongs to, for the full-page render."""
    for node in nodes:
        if isinstance(node, Input):
            node.errors = errors_by_slot.get(node.name, [])
        elif isinstance(node, Group):
            node.errors = errors_by_slot.get(node.path, []) if node.path else []
            attach_errors(node.children, errors_by_slot)
