"""What the API server accepts with a warning: kubectl prints each as ``Warning: …`` on apply.

The registry's ``WarningsOnCreate`` of each kind (``pkg/registry/*/strategy.go``): a name that
is no DNS label, then ``GetWarningsForPodTemplate`` or ``GetWarningsForPod``
(``pkg/api/pod/warnings.go``): deprecated node labels, annotations and volume types, a null
label selector, fractional byte counts, an environment variable or a port declared twice, a
negative grace period, an IPv6 address not in canonical form; an Indexed Job past its soft
limits; and, from the create handler itself, an owner reference written twice. Each comes back
as an ``api-warning`` finding at the path the server names, with the server's words and a fix.
"""

from typing import Any

from podstudio.engine.kinds import Kind
from podstudio.engine.paths import as_dict, as_list
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.results import Finding
from podstudio.engine.schema import resolve_version, version_tuple
from podstudio.engine.validation.formats import DNS_LABEL, DNS_SUBDOMAIN, dns_label_errors, go_len
from podstudio.engine.validation.metadata import dedup_owner_references, generated_name
from podstudio.engine.validation.podwarnings import (
    MAX_PAIRS,
    SINCE,
    Warned,
    claim_warnings,
    is_int,
    pod_warnings,
)

__all__ = ["MAX_PAIRS", "Warned", "api_warnings", "as_sent", "printed_warnings", "warning_findings"]

DNS_LABEL_REGEX_ERROR = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
# Kinds whose name the controller puts in its Pods' names (StatefulSet and DaemonSet: none).
_NAMES_PODS = {"Deployment", "ReplicaSet", "ReplicationController", "Job", "CronJob"}


def warning_findings(
    manifest: Any, kind: Kind | None, k8s_version: str | None = None
) -> list[Finding]:
    """What kubectl prints of ``api_warnings`` as ``api-warning`` findings, each in full (none
    for a document of another kind)."""
    if kind is None or not isinstance(manifest, dict):
        return []
    findings = []
    warned = api_warnings(manifest, kind, k8s_version)
    for one, sent in zip(warned, as_sent(warned), strict=True):
        if sent == _UNSENDABLE:
            continue
        if sent is None:
            said = (
                "The API server accepts this with a warning it leaves out, as its warnings "
                f"already passed {TOTAL_RUNES:,} characters: {one.printed}"
            )
        else:
            said = (
                f"The API server accepts this with a warning; kubectl apply prints: Warning: {sent}"
            )
            if sent != one.printed:
                said += (
                    f"… (its warnings passed {TOTAL_RUNES:,} characters, so each is cut at "
                    f"{ITEM_RUNES}; in full: {one.printed})"
                )
        findings.append(Finding("api-warning", "warning", one.path, said, one.fix))
    return findings


def printed_warnings(manifest: dict, kind: Kind, k8s_version: str | None = None) -> list[str]:
    """What kubectl prints after ``Warning:`` when this object is created, in order."""
    warned = api_warnings(manifest, kind, k8s_version)
    return [sent for sent in as_sent(warned) if sent]


def api_warnings(manifest: dict, kind: Kind, k8s_version: str | None = None) -> list[Warned]:
    """The warnings the API server of ``k8s_version`` (the newest by default) gives a create of
    this Pod or workload, in that release's words (``SINCE`` says from when), each text once,
    as its warning recorder keeps them; ``as_sent`` says what it sends of each."""
    said: set[str] = set()
    kept = []
    minor = version_tuple(resolve_version(k8s_version))[1]
    for warned in _warnings_on_create(manifest, kind, minor):
        if warned.printed not in said:
            said.add(warned.printed)
            kept.append(warned)
    return kept


# The API server's warning recorder (apiserver's endpoints/filters/warning.go): once its
# warnings pass 4,096 characters in all, each is cut to its first 256 (those sent before too)
# and, once those pass 4,096 again, the rest are left out.
TOTAL_RUNES = 4 * 1024
ITEM_RUNES = 256
# unicode.IsControl: C0, DEL and C1. A text holding one cannot be a header, so it is not sent.
_GO_CONTROL = compile_lazily("[\x00-\x1f\x7f-\x9f]")
_UNSENDABLE = ""


def as_sent(warned: list[Warned]) -> list[str | None]:
    """What the recorder sends of each warning: its text, cut to 256 characters once it
    truncates, ``None`` once it leaves them out, or ``""`` when the (cut) text holds a
    control character."""
    sent: list[str | None] = []
    written, truncating = 0, False
    for index, one in enumerate(warned):
        text = one.printed
        if truncating:
            if written >= TOTAL_RUNES:
                sent.append(None)
                continue
            text = text[:ITEM_RUNES]
        elif written + len(text) > TOTAL_RUNES and not _GO_CONTROL.search(text):
            # Truncation starts: every warning so far is sent again, cut.
            truncating = True
            sent = [_sendable(w.printed[:ITEM_RUNES]) for w in warned[: index + 1]]
            written = sum(len(cut) for cut in sent if cut)
            continue
        text = _sendable(text)
        written += len(text)
        sent.append(text)
    return sent


def _sendable(text: str) -> str:
    return _UNSENDABLE if _GO_CONTROL.search(text) else text


def _warnings_on_create(manifest: dict, kind: Kind, minor: int) -> list[Warned]:
    metadata = as_dict(manifest.get("metadata"))
    name = metadata.get("name")
    if not name and isinstance(metadata.get("generateName"), str):
        name = generated_name(metadata)  # the server cuts the prefix to fit its 5 characters
    # The create handler's, before the kind's own.
    warned = _owner_reference_warnings(metadata.get("ownerReferences"))
    if minor >= SINCE["name"]:
        warned += _name_warnings(name, kind)
    spec = as_dict(manifest.get("spec"))
    if kind.is_pod:
        return warned + pod_warnings("", spec, metadata, template=False, minor=minor)
    prefix = "spec"
    if kind.name == "CronJob":
        spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
        prefix = "spec.jobTemplate.spec"
    if kind.name in ("Job", "CronJob") and minor >= SINCE["indexed job"]:
        warned += _indexed_job_warnings(prefix, spec)
    template = as_dict(spec.get("template"))
    warned += pod_warnings(
        f"{prefix}.template.",
        as_dict(template.get("spec")),
        as_dict(template.get("metadata")),
        template=True,
        minor=minor,
    )
    if kind.name == "CronJob" and minor < SINCE["cron TZ refused"]:
        schedule = as_dict(manifest.get("spec")).get("schedule")
        if isinstance(schedule, str) and "TZ" in schedule:
            warned.append(_cron_time_zone_warning())
    if kind.name == "StatefulSet":
        for index, claim in enumerate(as_list(spec.get("volumeClaimTemplates"))):
            claim_spec = as_dict(as_dict(claim).get("spec"))
            if minor >= SINCE["claim bytes"]:
                warned += claim_warnings(f"spec.volumeClaimTemplates[{index}]", claim_spec)
        limit = spec.get("revisionHistoryLimit")
        if is_int(limit) and limit < 0 and minor >= SINCE["revision history"]:
            warned.append(
                Warned(
                    "spec.revisionHistoryLimit",
                    "a negative value retains all historical revisions; a value >= 0 is "
                    "recommended",
                    "Set revisionHistoryLimit to how many old revisions to keep, e.g. 10.",
                )
            )
    return warned


def _cron_time_zone_warning() -> Warned:
    """Before 1.29 a schedule with TZ= or CRON_TZ= was accepted with this warning (its path is
    upstream's, ``spec.spec.schedule``); from 1.29 validation refuses it."""
    return Warned(
        "spec.schedule",
        "CRON_TZ or TZ used in spec.spec.schedule is not officially supported, see "
        "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
        "Remove the TZ= prefix and set spec.timeZone instead (e.g. timeZone: Etc/UTC).",
        bare=True,
    )


def _owner_reference_warnings(references: Any) -> list[Warned]:
    """dedupOwnerReferencesAndAddWarning: the uid of each reference dropped as a repeat."""
    if not isinstance(references, list):
        return []
    _, dropped = dedup_owner_references(references)
    if not dropped:
        return []
    text = (
        ".metadata.ownerReferences contains duplicate entries; API server dedups owner "
        "references in 1.20+, and may reject such requests as early as 1.24; please fix your "
        f"requests; duplicate UID(s) observed: {', '.join(dropped)}"
    )
    fix = "Remove the repeated entries: the API server keeps the first of each."
    return [Warned("metadata.ownerReferences", text, fix, bare=True)]


# WarningsForJobSpec (pkg/api/job/warnings.go): past both, failed indexes may go untracked.
INDEXED_COMPLETIONS_SOFT_LIMIT = 100_000
INDEXED_PARALLELISM_SOFT_LIMIT = 10_000


def _indexed_job_warnings(prefix: str, spec: dict) -> list[Warned]:
    if spec.get("completionMode") != "Indexed":
        return []
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    if not (is_int(completions) and completions > INDEXED_COMPLETIONS_SOFT_LIMIT):
        return []
    if not (is_int(parallelism) and parallelism > INDEXED_PARALLELISM_SOFT_LIMIT):
        return []
    text = (
        "In Indexed Jobs with a number of completions higher than 10^5 and a parallelism "
        "higher than 10^4, Kubernetes might not be able to track completedIndexes when a big "
        "number of indexes fail"
    )
    fix = (
        "Keep parallelism at 10,000 or less, or split the work into Jobs of at most 100,000 "
        "completions each."
    )
    return [Warned(prefix, text, fix)]


def _name_warnings(name: Any, kind: Kind) -> list[Warned]:
    """A name that is a DNS subdomain but no DNS label, for the kinds whose name ends up in a
    hostname (StatefulSets and DaemonSets are not warned about)."""
    if kind.is_pod:
        used = "this is used in the Pod's hostname"
    elif kind.name in _NAMES_PODS:
        used = "this is used in Pod names and hostnames"
    else:
        return []
    if not isinstance(name, str) or not name or not dns_label_errors(name):
        return []
    why = []  # IsDNS1123Label's words
    if go_len(name) > 63:
        why.append("must be no more than 63 characters")
    if not DNS_LABEL.fullmatch(name):
        why.append(
            "must not contain dots" if DNS_SUBDOMAIN.fullmatch(name) else DNS_LABEL_REGEX_ERROR
        )
    return [
        Warned(
            "metadata.name",
            f"{used}, which can result in surprising behavior; a DNS label is recommended: "
            f"[{' '.join(why)}]",
            "Use lowercase letters, digits and '-' only, at most 63 characters (no dots).",
        )
    ]
