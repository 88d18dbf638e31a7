"""Workloads analyzed like Pods: their template's QoS class, Pod Security level and findings,
at the template's real paths, plus findings about the controller's own settings.

Pod Security Admission evaluates a workload's template exactly as it evaluates a Pod, and
answers with warnings (it enforces on the Pods the controller makes); the QoS class is that of
every Pod the controller makes. Paths and the field names quoted in messages are carried to the
document (``spec.securityContext`` of a Deployment's template is
``spec.template.spec.securityContext``).
"""

from datetime import date
from functools import lru_cache
from typing import TypeVar

from podstudio.engine.admission.pss import LATEST, PolicyVersion, evaluate_pss
from podstudio.engine.findings import FINDING_RULES, lint_pod
from podstudio.engine.kinds import Kind, document_path, pod_view, template_of
from podstudio.engine.memo import short_text_cache
from podstudio.engine.paths import as_dict, as_list
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.qos import compute_qos
from podstudio.engine.results import Finding, PssResult, QosResult, Violation
from podstudio.engine.validation.cron import rare_schedule
from podstudio.engine.validation.cronclock import clock_changes, describe_clock_changes

_MENTION = compile_lazily(r"(?<![\w.\[])spec\.")
Moved = TypeVar("Moved", Violation, Finding)


@short_text_cache(4096, longest=2000)
def _reworded(text: str, prefix: str) -> str:
    """Field names a message quotes, from the Pod's root to the document's."""
    return _MENTION.sub(prefix + ".spec.", text) if "spec." in text else text


@short_text_cache(8192)
def _moved(path: str, prefix: str) -> str:
    return f"{prefix}.{path}" if path else prefix


def template_qos(manifest: dict, kind: Kind, pod: dict | None = None) -> QosResult:
    """The QoS class of every Pod the workload makes (``pod``: its ``pod_view``, if made)."""
    result = compute_qos(pod if pod is not None else pod_view(manifest, kind))
    prefix = kind.template_path
    return QosResult(result.qos_class, [_reworded(reason, prefix) for reason in result.reasons])


def template_pss(
    manifest: dict, kind: Kind, pod: dict | None = None, version: PolicyVersion = LATEST
) -> PssResult:
    """Pod Security of the template, at the template's paths."""
    view = pod if pod is not None else pod_view(manifest, kind)
    result = evaluate_pss(view, version, template=True)
    prefix = kind.template_path
    return PssResult(result.level, [_at_template(v, prefix) for v in result.violations])


@lru_cache(maxsize=4096)
def _at_template(item: Moved, prefix: str) -> Moved:
    """A violation or finding of the Pod view at the template's path (the same few come back
    for every document of a run, so each is moved once)."""
    return item._replace(
        path=_moved(item.path, prefix),
        message=_reworded(item.message, prefix),
        fix=_reworded(item.fix, prefix),
    )


def template_findings(
    manifest: dict, kind: Kind, pod: dict | None = None, k8s_version: str | None = None
) -> list[Finding]:
    """The template's findings at its paths, then the controller's own."""
    prefix = kind.template_path
    pod = pod if pod is not None else pod_view(manifest, kind)
    findings = [_at_template(f, prefix) for f in lint_pod(pod)]
    findings += pods_refused(kind, pod, k8s_version)
    return findings + controller_findings(manifest, kind)


def pods_refused(kind: Kind, pod: dict, k8s_version: str | None = None) -> list[Finding]:
    """What refuses each Pod the workload makes, though the API server accepts the workload.

    The API server judges a template as less than a Pod: admission (Priority, RuntimeClass)
    sees only Pods; SetDefaults_Pod (requests from limits, pod-level requests, and from 1.28
    hostPort under hostNetwork) runs on Pods only; a few rules are ValidatePodCreate's alone.
    Where any of these can apply, the template is judged again as the Pod it makes, and what
    only the Pod fails is reported here.
    """
    spec = as_dict(pod.get("spec"))
    if not _pod_only_rules_may_apply(spec):
        return []
    from podstudio.engine.validation.pod import validate_pod
    from podstudio.engine.validation.template import kept_in_template

    in_template = {
        (error.path, error.message)
        for error in validate_pod(pod, k8s_version, template=True)
        if kept_in_template(error)
    }
    return [
        _finding(
            "template-pods-refused",
            document_path(kind, error.path),
            f"The API server accepts this {kind.name}, but refuses every Pod it makes: "
            f"{document_path(kind, error.path)}: {error.message}"
            + (_HOST_PORT_NOTE if error.path.endswith(".hostPort") else "")
            + ".",
            "Change the template as the message says; the Pods made from it are then accepted.",
        )
        for error in validate_pod(pod, k8s_version)
        if error.path.startswith("spec") and (error.path, error.message) not in in_template
    ]


_HOST_PORT_NOTE = " (with hostNetwork each Pod's unset hostPort is set to its containerPort)"


def _pod_only_rules_may_apply(spec: dict) -> bool:
    """Whether the template sets a field that admission, Pod-only defaulting or a Pod-only rule
    looks at (checked first, so a plain template is judged once)."""
    if any(spec.get(field) is not None for field in _POD_ONLY_FIELDS):
        return True
    if spec.get("hostNetwork") is True or spec.get("nodeName") not in (None, ""):
        return True
    for field in ("containers", "initContainers"):
        for container in as_list(spec.get(field)):
            image = as_dict(container).get("image")
            if isinstance(image, str) and image != image.strip():
                return True
    return any(
        "serviceAccountToken" in as_dict(source)
        for volume in as_list(spec.get("volumes"))
        for source in as_list(as_dict(as_dict(volume).get("projected")).get("sources"))
    )


# Read by admission (priority, preemptionPolicy, overhead) or defaulted in Pods (resources).
_POD_ONLY_FIELDS = ("priority", "preemptionPolicy", "overhead", "resources")


def template_notes(kind: Kind, pod: dict) -> list[str]:
    """What the engine cannot know about the Pods the workload makes (``admission.notes``)."""
    from podstudio.engine.admission.notes import cluster_notes

    return [_reworded(note, kind.template_path) for note in cluster_notes(pod)]


def _finding(rule_id: str, path: str, message: str, fix: str) -> Finding:
    return Finding(rule_id, FINDING_RULES[rule_id].severity, path, message, fix)


def _replicas(spec: dict) -> int | None:
    """The replica count, or ``None`` when it is not one the API server reads (a 32-bit
    integer): that is an error already, and a finding about it would only repeat it."""
    value = spec.get("replicas", 1)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31:
        return value
    return None


def _spreads(pod_spec: dict) -> bool:
    affinity = as_dict(pod_spec.get("affinity"))
    return bool(as_dict(affinity.get("podAntiAffinity"))) or bool(
        as_list(pod_spec.get("topologySpreadConstraints"))
    )


def controller_findings(manifest: dict, kind: Kind) -> list[Finding]:
    """Findings about the controller's settings, where the common linters have them
    (kube-linter's no-anti-affinity and job-ttl-seconds-after-finished, Polaris'
    deploymentMissingReplicas, kube-score's cronjob-has-deadline)."""
    spec = as_dict(manifest.get("spec"))
    findings = []
    if kind.name in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"):
        replicas = _replicas(spec)
        pod_spec = as_dict(as_dict(template_of(manifest, kind)).get("spec"))
        if replicas == 1:
            findings.append(
                _finding(
                    "single-replica",
                    "spec.replicas",
                    f"The {kind.name} runs one replica: while it is replaced (a rollout, a "
                    "drained node, a crash) nothing answers.",
                    "Set replicas: 2 or more for anything people depend on.",
                )
            )
        elif replicas is not None and replicas > 1 and not _spreads(pod_spec):
            findings.append(
                _finding(
                    "no-anti-affinity",
                    document_path(kind, "spec.affinity"),
                    f"The {replicas} replicas may all land on one node: nothing asks the "
                    "scheduler to spread them.",
                    "Add a topologySpreadConstraint on kubernetes.io/hostname (maxSkew: 1, "
                    "whenUnsatisfiable: ScheduleAnyway) or a preferred podAntiAffinity on the "
                    "template's labels.",
                )
            )
    if kind.name == "Job" and spec.get("ttlSecondsAfterFinished") is None:
        findings.append(
            _finding(
                "job-ttl-after-finished",
                "spec.ttlSecondsAfterFinished",
                "The finished Job and its Pods stay in the cluster until someone deletes them.",
                "Set ttlSecondsAfterFinished (e.g. 3600) so the cluster deletes them an hour "
                "after the Job finishes.",
            )
        )
    if kind.name == "CronJob":
        job_spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
        if job_spec.get("ttlSecondsAfterFinished") is not None:
            findings.append(
                _finding(
                    "job-ttl-after-finished",
                    "spec.jobTemplate.spec.ttlSecondsAfterFinished",
                    "The CronJob's history limits already delete old Jobs; a TTL can delete a "
                    "Job before its history is kept.",
                    "Remove ttlSecondsAfterFinished and use successfulJobsHistoryLimit and "
                    "failedJobsHistoryLimit.",
                )
            )
        schedule = spec.get("schedule")
        rare = rare_schedule(schedule) if isinstance(schedule, str) else None
        if rare:
            findings.append(
                _finding(
                    "cronjob-rare-schedule",
                    "spec.schedule",
                    f"The schedule {schedule!r} is valid, but {rare}.",
                    "Pick a day every month it names has (1 to 28), or name the months with that "
                    "day; a weekday field of its own (not * or ?) makes it run on those weekdays.",
                )
            )
        zone = spec.get("timeZone")
        moved = (
            clock_changes(schedule, zone, date.today())
            if isinstance(schedule, str) and isinstance(zone, str)
            else ()
        )
        if moved:
            findings.append(
                _finding(
                    "cronjob-clock-change",
                    "spec.schedule",
                    f"{describe_clock_changes(moved, zone)}.",
                    "Move the runs out of the hours in which the clocks change, or set timeZone "
                    "to Etc/UTC and write the schedule in UTC.",
                )
            )
        if spec.get("startingDeadlineSeconds") is None:
            findings.append(
                _finding(
                    "cronjob-starting-deadline",
                    "spec.startingDeadlineSeconds",
                    "A run that cannot start on time starts however late it is.",
                    "Set startingDeadlineSeconds (e.g. 300) to skip runs more than 5 minutes late.",
                )
            )
    return findings
