"""Opt-outs per object: ``podstudio.dev/ignore: "latest-tag,no-readiness-probe"``.

The annotation sits in the object's own ``metadata.annotations`` (a workload's, not its
template's) and lists finding ids, comma- or space-separated. kube-linter's names for the same
checks are understood too, so a file already annotated for it needs no second list. Errors the
API server would give and Pod Security levels cannot be ignored: they are facts about the
cluster, not opinions.
"""

from typing import Any

from podstudio.engine.findings import FINDING_RULES
from podstudio.engine.kinds import Kind, template_of
from podstudio.engine.paths import as_dict, join_key
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.results import Finding

IGNORE_ANNOTATION = "podstudio.dev/ignore"

# kube-linter's check names (docs/findings.md) for the findings that match them.
ALIASES: dict[str, tuple[str, ...]] = {
    "no-read-only-root-fs": ("read-only-root-filesystem",),
    "privilege-escalation-container": ("allow-privilege-escalation",),
    "unset-cpu-requirements": ("missing-cpu-request",),
    "unset-memory-requirements": ("missing-memory-request", "missing-memory-limit"),
    "no-liveness-probe": ("missing-liveness-probe",),
    "no-readiness-probe": ("missing-readiness-probe",),
    "no-startup-probe": ("startup-probe-suggested",),
    "sensitive-host-mounts": ("sensitive-host-path",),
    "docker-sock": ("sensitive-host-path",),
    "container-runtime-sock": ("sensitive-host-path",),
    "writable-host-mount": ("host-path-volume",),
    "job-ttl-seconds-after-finished": ("job-ttl-after-finished",),
    "minimum-three-replicas": ("single-replica",),
    "dangling-service": ("service-selects-nothing",),
}
_SEPARATORS = compile_lazily(r"[\s,]+")


def ignored_ids(manifest: Any) -> tuple[set[str], list[str]]:
    """The finding ids the object opts out of, and the names in the annotation that are none."""
    annotations = as_dict(as_dict(as_dict(manifest).get("metadata")).get("annotations"))
    value = annotations.get(IGNORE_ANNOTATION)
    if not isinstance(value, str):
        return set(), []
    ids: set[str] = set()
    unknown: list[str] = []
    for name in filter(None, _SEPARATORS.split(value.strip())):
        if name in FINDING_RULES:
            ids.add(name)
        elif name in ALIASES:
            ids.update(ALIASES[name])
        else:
            unknown.append(name)
    return ids, unknown


def _in_template(manifest: Any, kind: Kind | None) -> str:
    """The path of an ignore annotation in a workload's template, which is not read ("" if
    there is none): the Pods would carry it, the workload's findings are the workload's."""
    if kind is None or kind.is_pod:
        return ""
    template = as_dict(template_of(as_dict(manifest), kind))
    if IGNORE_ANNOTATION not in as_dict(as_dict(template.get("metadata")).get("annotations")):
        return ""
    return join_key(".".join(kind.template) + ".metadata.annotations", IGNORE_ANNOTATION)


def apply_ignores(findings: list[Finding], manifest: Any, kind: Kind | None) -> list[Finding]:
    """The findings less those the object opts out of, plus one for each unknown name and one
    for an annotation written in a workload's template. ``kind``: the object's, as the caller
    has already worked it out."""
    ids, unknown = ignored_ids(manifest)
    misplaced = _in_template(manifest, kind)
    if not ids and not unknown and not misplaced:
        return findings
    kept = [finding for finding in findings if finding.id not in ids]
    if misplaced:
        kind = as_dict(manifest).get("kind")
        kept.append(
            Finding(
                "ignore-annotation",
                FINDING_RULES["ignore-annotation"].severity,
                misplaced,
                f"{IGNORE_ANNOTATION} is in the Pod template's annotations, where it is not read: "
                "it hides nothing.",
                f"Move it to the {kind}'s own metadata.annotations.",
            )
        )
    path = join_key("metadata.annotations", IGNORE_ANNOTATION)
    for name in unknown:
        kept.append(
            Finding(
                "ignore-annotation",
                FINDING_RULES["ignore-annotation"].severity,
                path,
                f"{IGNORE_ANNOTATION} names {name!r}, which is no finding id: it hides nothing.",
                "Use the ids Pod Studio reports (docs/findings.md), separated by commas.",
            )
        )
    return kept
