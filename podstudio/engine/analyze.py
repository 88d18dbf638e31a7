"""Everything the engine knows about a Pod, as one report in the CLI and API JSON contract."""

from dataclasses import dataclass, field

from podstudio.engine.admission.notes import cluster_notes
from podstudio.engine.admission.pss import evaluate_pss
from podstudio.engine.findings import lint_pod
from podstudio.engine.qos import compute_qos
from podstudio.engine.results import FieldError, Finding, PssResult, QosResult, as_dicts
from podstudio.engine.validation import validate_pod


@dataclass(frozen=True)
class Report:
    errors: list[FieldError]
    qos: QosResult
    pss: PssResult
    findings: list[Finding]
    # What the engine cannot know (cluster objects, gates that are off): never a silent pass.
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "errors": as_dicts(self.errors),
            "qos": {"class": self.qos.qos_class, "reasons": list(self.qos.reasons)},
            "pss": {"level": self.pss.level, "violations": as_dicts(self.pss.violations)},
            "findings": as_dicts(self.findings),
            "notes": list(self.notes),
        }


def analyze(manifest: dict, k8s_version: str | None = None) -> Report:
    """Validates, classifies and lints a Pod manifest (already read by ``yamlio``)."""
    return Report(
        errors=validate_pod(manifest, k8s_version),
        qos=compute_qos(manifest),
        pss=evaluate_pss(manifest),
        findings=lint_pod(manifest),
        notes=cluster_notes(manifest) if isinstance(manifest, dict) else [],
    )
