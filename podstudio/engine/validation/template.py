"""A workload's Pod template (``ValidatePodTemplateSpec``), judged by the Pod rules.

The template is judged as the Pod its controller will make (``kinds.pod_view``), then every
error is carried to the template's real path. A few rules of ``ValidatePodCreate`` are not
rules of a template, because they hold for a Pod that exists, not for a recipe (the table
below); one is worded differently. The restartPolicy a kind allows is checked here too, after
defaulting: an unset restartPolicy is Always, which a Job refuses.
"""

import re

from podstudio.engine.kinds import Kind, document_path, pod_view, server_template_path
from podstudio.engine.paths import as_dict
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.results import FieldError
from podstudio.engine.schema import resolve_version, schema_errors
from podstudio.engine.validation.pod import validate_pod

# (path in the Pod view, message) of ValidatePodCreate rules that ValidatePodTemplateSpec lacks:
# validatePodMetadataAndSpec's Pod-only part, and ValidatePodCreate's scheduling-gate rule.
_POD_ONLY: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"spec\.nodeName"), "cannot be set until all schedulingGates have been cleared"),
    (
        re.compile(r"spec\.(initContainers|containers)\[\d+\]\.image"),
        "must not have leading or trailing whitespace",
    ),
    (
        re.compile(r"spec\.volumes\[\d+\]\.projected\.sources\[\d+\]\.serviceAccountToken"),
        "must not be specified when serviceAccountName is not set",
    ),
    (re.compile(r"spec\.terminationGracePeriodSeconds"), "must be greater than or equal to 0"),
)
_REWORDED = {
    ("spec.ephemeralContainers", "cannot be set on create"): (
        "ephemeral containers not allowed in pod template"
    ),
}
# Of the Pod view's metadata only labels and annotations are the template's to answer for.
_TEMPLATE_METADATA = compile_lazily(r"metadata\.(labels|annotations)(?=$|[.\[])")


def kept_in_template(error: FieldError) -> bool:
    """Whether a rule of the Pod view holds for a template too (not a Pod-only rule)."""
    if error.path.startswith("metadata"):
        return bool(_TEMPLATE_METADATA.match(error.path))
    return not any(
        pattern.fullmatch(error.path) and error.message == message for pattern, message in _POD_ONLY
    )


def template_errors(
    manifest: dict, kind: Kind, version: str, pod: dict | None = None
) -> list[FieldError]:
    """What the API server rejects in the kind's Pod template, at document paths.

    A template that is there but is not a mapping is the schema's to report, alone. ``pod``:
    the template's ``pod_view``, when the caller made it already.
    """
    template = manifest
    for key in kind.template:
        template = as_dict(template).get(key)
    if template is not None and not isinstance(template, dict):
        return []
    pod = pod if pod is not None else pod_view(manifest, kind)
    errors = []
    for error in validate_pod(pod, version, template=True):
        if not kept_in_template(error):
            continue
        message = _REWORDED.get((error.path, error.message), error.message)
        errors.append(FieldError(server_template_path(kind, error.path), message))
    errors += restart_policy_errors(pod, kind)
    return errors


def template_schema_errors(pod: dict, kind: Kind, version: str) -> list[FieldError]:
    """The template's spec as the server decodes it, before any rule runs: what cannot be
    read (a type, an unknown field), at document paths. For where the rules look at another
    view of it (a StatefulSet's) or not at all (after a selector the server never reaches)."""
    found = schema_errors(pod, resolve_version(version))
    return [
        FieldError(server_template_path(kind, error.path), error.message)
        for error in found
        if error.path.startswith("spec") and kept_in_template(error)
    ]


def restart_policy_errors(pod: dict, kind: Kind) -> list[FieldError]:
    """The restartPolicy the kind's controller can work with, after defaulting to Always."""
    policy = as_dict(pod.get("spec")).get("restartPolicy")
    if policy is not None and not isinstance(policy, str):
        return []  # the schema's to report
    policy = policy or "Always"
    path = document_path(kind, "spec.restartPolicy")
    allowed = kind.restart_policies
    if policy in allowed:
        return []
    if "Always" in allowed:
        return [FieldError(path, 'must be "Always" in a ' + kind.name)]
    if policy == "Always":
        written = as_dict(pod.get("spec")).get("restartPolicy") is not None
        return [
            FieldError(
                path,
                f'required: a {kind.name} needs "OnFailure" or "Never"'
                + (', not "Always"' if written else " (an unset restartPolicy means Always)"),
            )
        ]
    return [FieldError(path, 'must be "OnFailure" or "Never" in a ' + kind.name)]


def active_deadline_errors(pod: dict, kind: Kind) -> list[FieldError]:
    """Controllers that keep Pods running refuse a deadline that would end them."""
    if as_dict(pod.get("spec")).get("activeDeadlineSeconds") is None:
        return []
    return [
        FieldError(
            document_path(kind, "spec.activeDeadlineSeconds"),
            f"activeDeadlineSeconds in {kind.name} is not Supported",
        )
    ]
