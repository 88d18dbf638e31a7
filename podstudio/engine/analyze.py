"""Everything the engine knows about a Pod or a workload, as one report in the CLI and API JSON
contract. A workload's report is its template's (QoS, Pod Security, findings) at the
template's real paths, with the controller's own rules and findings (``workloads``)."""

from typing import NamedTuple

from podstudio.engine.admission.notes import cluster_notes
from podstudio.engine.admission.pss import evaluate_pss
from podstudio.engine.findings import cluster_set_findings, lint_pod
from podstudio.engine.ignore import apply_ignores
from podstudio.engine.kinds import KINDS, kind_of
from podstudio.engine.qos import compute_qos
from podstudio.engine.results import FieldError, Finding, PssResult, QosResult, as_dicts
from podstudio.engine.schema import resolve_version, version_tuple
from podstudio.engine.validation import validate_pod
from podstudio.engine.validation.warnings import warning_findings

# At most this many errors, violations and findings in a report's JSON (see ``to_dict``).
MAX_LISTED = 200


class Report(NamedTuple):
    errors: list[FieldError]
    qos: QosResult
    pss: PssResult
    findings: list[Finding]
    # What the engine cannot know (cluster objects, gates that are off): never a silent pass.
    notes: list[str]

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self, listed: int = MAX_LISTED) -> dict:
        """The report as JSON data. Each list holds at most ``listed`` entries (in their
        order: the first problems of the document); ``truncated`` gives the whole count of a
        list that was cut, so a Pod of thousands of containers gets an answer of a bounded
        size, and its verdict and level, which count every entry, stay whole."""
        lists = {
            "errors": self.errors,
            "violations": self.pss.violations,
            "findings": self.findings,
        }
        truncated = {name: len(items) for name, items in lists.items() if len(items) > listed}
        data = {
            "valid": self.valid,
            "errors": as_dicts(self.errors[:listed]),
            "qos": {"class": self.qos.qos_class, "reasons": list(self.qos.reasons[:MAX_LISTED])},
            "pss": {
                "level": self.pss.level,
                "violations": as_dicts(self.pss.violations[:listed]),
            },
            "findings": as_dicts(self.findings[:listed]),
            "notes": list(self.notes),
        }
        if truncated:
            data["truncated"] = truncated
        return data


# An error's message names the value it refuses: a value of 900,000 digits is cut short in
# its middle, so that the message keeps its start and the reason at its end.
MAX_MESSAGE = 1000


def _bounded(errors: list[FieldError]) -> list[FieldError]:
    if all(len(error.message) <= MAX_MESSAGE for error in errors):
        return errors
    half = MAX_MESSAGE // 2
    return [
        error._replace(message=f"{error.message[:half]}…{error.message[-half:]}")
        if len(error.message) > MAX_MESSAGE
        else error
        for error in errors
    ]


def analyze(manifest: dict, k8s_version: str | None = None) -> Report:
    """Validates, classifies and lints a Pod or workload manifest (already read by ``yamlio``).

    A manifest of another kind is analyzed as a Pod (its errors say why it is not one).
    """
    if isinstance(manifest, dict) and manifest.get("apiVersion") == "/v1":
        # ParseGroupVersion: an empty group before the slash is the core group, so a Pod of
        # "/v1" is a Pod of v1 to kubectl and the API server.
        core = KINDS.get(manifest.get("kind"))  # type: ignore[arg-type]
        if core is not None and core.api_version == "v1":
            manifest = {**manifest, "apiVersion": "v1"}
    kind = kind_of(manifest)
    version = resolve_version(k8s_version)  # raises for an unknown one
    # Pod Security's "latest" on a cluster of that version is its own release's policy.
    policy = version_tuple(version)
    if kind is not None and not kind.is_pod:
        from podstudio.engine import workloads
        from podstudio.engine.kinds import pod_view
        from podstudio.engine.validation.workloads import validate_workload

        pod = pod_view(manifest, kind)
        return Report(
            errors=_bounded(validate_workload(manifest, version, pod=pod)),
            qos=workloads.template_qos(manifest, kind, pod),
            pss=workloads.template_pss(manifest, kind, pod, policy),
            findings=apply_ignores(
                workloads.template_findings(manifest, kind, pod, version)
                + cluster_set_findings(manifest)
                + warning_findings(manifest, kind, version),
                manifest,
                kind,
            ),
            notes=workloads.template_notes(kind, pod),
        )
    return Report(
        errors=_bounded(validate_pod(manifest, version)),
        qos=compute_qos(manifest),
        pss=evaluate_pss(manifest, policy),
        findings=apply_ignores(
            lint_pod(manifest)
            + cluster_set_findings(manifest)
            + warning_findings(manifest, kind, version),
            manifest,
            kind,
        ),
        notes=cluster_notes(manifest) if isinstance(manifest, dict) else [],
    )
