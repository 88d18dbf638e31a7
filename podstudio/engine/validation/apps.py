"""Deployments, ReplicaSets, StatefulSets, DaemonSets (``pkg/apis/apps/validation``) and
ReplicationControllers (their core ancestor, ``ValidateReplicationController``).

Each rule reads the object after the defaults of ``pkg/apis/apps/v1/defaults.go``: an unset
``replicas`` is 1, a Deployment's strategy is RollingUpdate with 25% surge and unavailability and
its ``progressDeadlineSeconds`` 600, a StatefulSet's pod management policy OrderedReady. The
template is judged by ``template`` (the Pod rules); the rules here are the controller's own.
"""

import re
from typing import Any

from podstudio.engine.goyaml import atoi
from podstudio.engine.kinds import KINDS, pod_view
from podstudio.engine.paths import as_dict, as_list, join, join_key
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.results import FieldError
from podstudio.engine.validation.checker import Checker, as_int, as_text
from podstudio.engine.validation.formats import dns_label_errors
from podstudio.engine.validation.scheduling import check_labels
from podstudio.engine.validation.selectors import (
    check_label_selector,
    is_empty_selector,
    selector_matches,
)
from podstudio.engine.validation.template import (
    active_deadline_errors,
    restart_policy_errors,
    template_errors,
    template_schema_errors,
)
from podstudio.engine.validation.volumes import check_pvc_spec

_PERCENT = compile_lazily(r"[0-9]+%")
PERCENT_MESSAGE = "must be a number or a percentage such as '25%' (digits followed by '%')"
MISMATCH = (
    "`selector` does not match template `labels` (the Pods' labels must include every label "
    "of spec.selector, with the same value: add the missing ones to these labels, or change "
    "the selector to match them)"
)
TEMPLATE_UNCHECKED = (
    "invalid label selector: until it is fixed, the API server checks nothing in the Pod template"
)
STORAGE_REQUIRED = "required: how much storage each Pod's claim asks for (e.g. 1Gi)"
UNNAMED_CLAIM = (
    "required: each Pod gets a volume and a PersistentVolumeClaim named after this claim "
    "template (generateName is not used here)"
)


def non_negative(c: Checker, data: dict, key: str, path: str) -> None:
    value = as_int(data.get(key))
    if value is not None and value < 0:
        c.add(join(path, key), "must be greater than or equal to 0")


def _percent_value(value: Any) -> int | None:
    if isinstance(value, str) and _PERCENT.fullmatch(value):
        return atoi(value[:-1])[0]
    return None


def _int_or_percent(value: Any) -> int:
    """``getIntOrPercentValue``: a percentage's number, a number, or 0."""
    percent = _percent_value(value)
    if percent is not None:
        return percent
    if isinstance(value, str):
        # IntValue: Go's Atoi, ASCII digits only ("１" is 0), clamped past int64 (not 0).
        return atoi(value)[0] if re.fullmatch(r"[+-]?[0-9]+", value) else 0
    return as_int(value) or 0


def check_int_or_percent(c: Checker, value: Any, path: str, at_most_100: bool = True) -> None:
    """``ValidatePositiveIntOrPercent`` and ``IsNotMoreThan100Percent``."""
    if isinstance(value, str):
        percent = _percent_value(value)
        if percent is None:
            c.add(path, PERCENT_MESSAGE)
        elif at_most_100 and percent > 100:
            c.add(path, "must not be greater than 100%")
    elif as_int(value) is not None and as_int(value) < 0:
        c.add(path, "must be greater than or equal to 0")


def check_selector_and_template(
    c: Checker, spec: dict, kind_name: str, required: bool = True
) -> None:
    """The selector is there, valid, not empty, and selects the template's Pods."""
    selector = spec.get("selector")
    labels = as_dict(as_dict(as_dict(spec.get("template")).get("metadata")).get("labels"))
    if selector is None:
        if kind_name == "DaemonSet":
            # ValidateDaemonSetSpec has no Required check: no selector selects nothing.
            c.add(
                "spec.template.metadata.labels",
                f"{MISMATCH}: a DaemonSet without spec.selector selects no Pods; "
                "set spec.selector.matchLabels to these labels",
            )
        elif required:
            c.add(
                "spec.selector",
                f"required: a {kind_name} finds its Pods by this selector; "
                "set matchLabels to the template's labels",
            )
            # LabelSelectorAsSelector(nil) is labels.Nothing(): it matches no template.
            c.add("spec.template.metadata.labels", f"{MISMATCH}: there is no selector")
        return
    if not isinstance(selector, dict):
        return  # the schema's to report
    convertible = check_label_selector(c, selector, "spec.selector")
    if not convertible and kind_name != "DaemonSet":
        c.add("spec.selector", TEMPLATE_UNCHECKED)
    if is_empty_selector(selector):
        c.add("spec.selector", f"empty selector is invalid for {kind_name.lower()}")
        return
    if convertible and not selector_matches(selector, labels):
        c.add("spec.template.metadata.labels", MISMATCH)


def defaulted(value: Any, default: str) -> Any:
    """A string field after defaults.go: an empty or null one is set to ``default``
    (``if obj.Spec.X == ""``), so the API server accepts ``''`` where it means "unset"."""
    return default if value in (None, "") else value


def template_unchecked(errors: list[FieldError], kind_name: str) -> bool:
    """Whether the API server leaves the Pod template unchecked: ValidateDeploymentSpec,
    ValidateReplicaSetSpec and ValidateStatefulSetSpec validate the template only with a
    selector ``LabelSelectorAsSelector`` can read (a DaemonSet's template is always checked).
    ``check_selector_and_template`` has said so in ``errors`` (the controller's own)."""
    return kind_name in ("Deployment", "ReplicaSet", "StatefulSet") and any(
        error.message == TEMPLATE_UNCHECKED for error in errors
    )


def _check_rolling_update_deployment(c: Checker, strategy: dict) -> None:
    kind = defaulted(strategy.get("type"), "RollingUpdate")
    rolling = strategy.get("rollingUpdate")
    path = "spec.strategy.rollingUpdate"
    if kind == "Recreate":
        if rolling is not None:
            c.add(path, "may not be specified when strategy `type` is 'Recreate'")
        return
    if kind != "RollingUpdate":
        if isinstance(kind, str):
            # NotSupported at the strategy itself (ValidateDeploymentStrategy's fldPath)
            c.add(
                "spec.strategy",
                f'type {kind!r} is not supported: use "Recreate" or "RollingUpdate"',
            )
        return
    rolling = as_dict(rolling)
    unavailable = rolling.get("maxUnavailable", "25%")
    surge = rolling.get("maxSurge", "25%")
    if unavailable is None:
        unavailable = "25%"
    if surge is None:
        surge = "25%"
    check_int_or_percent(c, unavailable, join(path, "maxUnavailable"))
    check_int_or_percent(c, surge, join(path, "maxSurge"), at_most_100=False)
    if _int_or_percent(unavailable) == 0 and _int_or_percent(surge) == 0:
        c.add(join(path, "maxUnavailable"), "may not be 0 when `maxSurge` is 0")


ROLLBACK_TO = "deprecated.deployment.rollback.to"
TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"
_PARSE_INT = compile_lazily(r"[+-]?[0-9]+")


def _parse_int64(text: object) -> int | None:
    """Go's ``strconv.ParseInt(text, 10, 64)``: the number, or None where Go has an error."""
    if not isinstance(text, str) or not _PARSE_INT.fullmatch(text):
        return None
    number, in_range = atoi(text)
    return number if in_range else None


def _check_int64_annotation(c: Checker, manifest: dict, key: str, kind_name: str) -> int | None:
    """An annotation the v1 to internal conversion reads as an int64: one it cannot read stops
    the API server before validation (400, the object "cannot be handled")."""
    value = as_dict(as_dict(manifest.get("metadata")).get("annotations")).get(key)
    number = _parse_int64("" if value is None else value)
    if number is None and (value is None or isinstance(value, str)):  # (else the schema's)
        c.add(
            join_key("metadata.annotations", key),
            f"must be a whole number (an int64): the API server reads it when it converts the "
            f"{kind_name}, and refuses the {kind_name} when it cannot",
        )
    return number


def validate_deployment(c: Checker, manifest: dict, spec: dict) -> None:
    annotations = as_dict(as_dict(manifest.get("metadata")).get("annotations"))
    if annotations.get(ROLLBACK_TO):  # "" is no rollback
        revision = _check_int64_annotation(c, manifest, ROLLBACK_TO, "Deployment")
        if revision is not None and revision < 0:  # ValidateRollback, as spec.rollbackTo
            c.add("spec.rollback.version", "must be greater than or equal to 0")
    non_negative(c, spec, "replicas", "spec")
    check_selector_and_template(c, spec, "Deployment")
    _check_rolling_update_deployment(c, as_dict(spec.get("strategy")))
    non_negative(c, spec, "minReadySeconds", "spec")
    non_negative(c, spec, "revisionHistoryLimit", "spec")
    non_negative(c, spec, "progressDeadlineSeconds", "spec")
    deadline = spec.get("progressDeadlineSeconds")
    deadline = 600 if deadline is None else as_int(deadline)  # SetDefaults_Deployment
    min_ready = as_int(spec.get("minReadySeconds", 0)) or 0
    if deadline is not None and deadline <= min_ready:
        c.add("spec.progressDeadlineSeconds", "must be greater than minReadySeconds")


def validate_replica_set(c: Checker, manifest: dict, spec: dict) -> None:
    non_negative(c, spec, "replicas", "spec")
    non_negative(c, spec, "minReadySeconds", "spec")
    check_selector_and_template(c, spec, "ReplicaSet")


def _check_rolling_update_stateful_set(c: Checker, strategy: dict) -> None:
    kind = defaulted(strategy.get("type"), "RollingUpdate")
    rolling = strategy.get("rollingUpdate")
    path = "spec.updateStrategy.rollingUpdate"
    if kind == "RollingUpdate":
        rolling = as_dict(rolling)
        non_negative(c, rolling, "partition", path)
        if "maxUnavailable" in rolling and rolling["maxUnavailable"] is not None:
            value = rolling["maxUnavailable"]
            check_int_or_percent(c, value, join(path, "maxUnavailable"))
            if _int_or_percent(value) == 0:
                c.add(join(path, "maxUnavailable"), "cannot be 0")
    elif kind == "OnDelete":
        if rolling is not None:
            c.add(path, "only allowed for updateStrategy 'RollingUpdate'")
    elif isinstance(kind, str):
        c.add(
            "spec.updateStrategy",
            f'type {kind!r} is not supported: use "RollingUpdate" or "OnDelete"',
        )


def stateful_set_validation_view(manifest: dict) -> tuple[dict, dict[int, str]]:
    """The StatefulSet as ValidateStatefulSetSpec validates its template, and where each of
    the view's volumes sits in the document.

    Hostname and subdomain are cleared (the controller sets them). With claim templates, the
    volumes are rebuilt as the server (and the controller, for each Pod) builds them: one
    persistentVolumeClaim volume per claim name first, then the template's volumes whose name
    is not a claim's (a template volume named after a claim is replaced, so never checked).
    The second value maps a view volume's index to its place in the document: the claim
    template's name for a claim's volume, the template's own index for the others, so an error
    points at what the author wrote rather than at the server's renumbered list.
    """
    spec = as_dict(manifest.get("spec"))
    template = spec.get("template")
    if not isinstance(template, dict) or not isinstance(template.get("spec"), dict):
        return manifest, {}
    pod_spec = dict(template["spec"])
    pod_spec.pop("hostname", None)
    pod_spec.pop("subdomain", None)
    claims: dict[str, int] = {}
    for index, claim in enumerate(as_list(spec.get("volumeClaimTemplates"))):
        # volumesToAddForTemplates: a claim template without a name still gives a volume,
        # named "" (generateName is not used), which the Pod rules then refuse.
        name = as_dict(as_dict(claim).get("metadata")).get("name")
        claims.setdefault(name if isinstance(name, str) else "", index)
    places: dict[int, str] = {}
    if claims:
        volumes = [{"name": name, "persistentVolumeClaim": {"claimName": name}} for name in claims]
        places = {
            position: f"spec.volumeClaimTemplates[{index}].metadata" + (".name" if not name else "")
            for position, (name, index) in enumerate(claims.items())
        }
        for index, volume in enumerate(as_list(pod_spec.get("volumes"))):
            volume_name = as_dict(volume).get("name")
            if (volume_name if isinstance(volume_name, str) else "") not in claims:
                places[len(volumes)] = f"spec.template.spec.volumes[{index}]"
                volumes.append(volume)
        pod_spec["volumes"] = volumes
    view = {**manifest, "spec": {**spec, "template": {**template, "spec": pod_spec}}}
    return view, places


_VIEW_VOLUME = compile_lazily(r"spec\.template\.spec\.volumes\[(\d+)\]")


def _at_document_volume(error: FieldError, places: dict[int, str]) -> FieldError:
    """``error`` with a view volume's path replaced by where that volume is written."""
    found = _VIEW_VOLUME.match(error.path)
    if not found or int(found[1]) not in places:
        return error
    place = places[int(found[1])]
    if place.endswith(".metadata.name"):
        # The volume of a claim template without a name: its name and claimName are empty.
        return FieldError(place, UNNAMED_CLAIM)
    message = error.message
    if place.startswith("spec.volumeClaimTemplates"):
        message = f"each Pod gets a volume of this name, so it {message}"
    return FieldError(place + error.path[found.end() :], message)


def validate_stateful_set(c: Checker, manifest: dict, spec: dict) -> None:
    policy = defaulted(spec.get("podManagementPolicy"), "OrderedReady")
    if isinstance(policy, str) and policy not in ("OrderedReady", "Parallel"):
        c.add("spec.podManagementPolicy", "must be 'OrderedReady' or 'Parallel'")
    _check_rolling_update_stateful_set(c, as_dict(spec.get("updateStrategy")))
    retention = as_dict(spec.get("persistentVolumeClaimRetentionPolicy"))
    for key in ("whenDeleted", "whenScaled"):
        value = defaulted(retention.get(key), "Retain")
        if isinstance(value, str) and value not in ("Retain", "Delete"):
            c.add(
                f"spec.persistentVolumeClaimRetentionPolicy.{key}", 'must be "Retain" or "Delete"'
            )
    for index, claim in enumerate(as_list(spec.get("volumeClaimTemplates"))):
        if isinstance(claim, dict):
            claim_spec = as_dict(claim.get("spec"))
            path = f"spec.volumeClaimTemplates[{index}].spec"
            check_pvc_spec(c, claim_spec, path, storage_required=STORAGE_REQUIRED)
    non_negative(c, spec, "replicas", "spec")
    non_negative(c, spec, "minReadySeconds", "spec")
    non_negative(c, as_dict(spec.get("ordinals")), "start", "spec.ordinals")
    service = as_text(spec.get("serviceName"))
    if service:
        c.add_all("spec.serviceName", dns_label_errors(service))
    check_selector_and_template(c, spec, "StatefulSet")
    # ValidateStatefulSetSpec does not check revisionHistoryLimit (DaemonSets and Deployments do).


def _check_daemon_set_strategy(c: Checker, strategy: dict) -> None:
    kind = defaulted(strategy.get("type"), "RollingUpdate")
    path = "spec.updateStrategy.rollingUpdate"
    if kind == "OnDelete":
        return
    if kind != "RollingUpdate":
        if isinstance(kind, str):
            c.add(
                "spec.updateStrategy",
                f'type {kind!r} is not supported: use "RollingUpdate" or "OnDelete"',
            )
        return
    rolling = as_dict(strategy.get("rollingUpdate"))
    unavailable = rolling.get("maxUnavailable")
    surge = rolling.get("maxSurge")
    unavailable = 1 if unavailable is None else unavailable
    surge = 0 if surge is None else surge
    check_int_or_percent(c, unavailable, join(path, "maxUnavailable"))
    check_int_or_percent(c, surge, join(path, "maxSurge"))
    has_unavailable = _int_or_percent(unavailable) != 0
    has_surge = _int_or_percent(surge) != 0
    if has_unavailable and has_surge:
        c.add(join(path, "maxSurge"), "may not be set when maxUnavailable is non-zero")
    elif not has_unavailable and not has_surge:
        c.add(join(path, "maxUnavailable"), "cannot be 0 when maxSurge is 0")


def validate_daemon_set(c: Checker, manifest: dict, spec: dict) -> None:
    if TEMPLATE_GENERATION in as_dict(as_dict(manifest.get("metadata")).get("annotations")):
        _check_int64_annotation(c, manifest, TEMPLATE_GENERATION, "DaemonSet")  # even ""
    check_selector_and_template(c, spec, "DaemonSet")
    non_negative(c, spec, "minReadySeconds", "spec")
    non_negative(c, spec, "templateGeneration", "spec")
    _check_daemon_set_strategy(c, as_dict(spec.get("updateStrategy")))
    non_negative(c, spec, "revisionHistoryLimit", "spec")


def validate_replication_controller(c: Checker, manifest: dict, spec: dict) -> None:
    """After ``SetDefaults_ReplicationController``: an empty selector is the template's labels,
    and so are the controller's own labels when it has none (``ValidateObjectMeta`` then
    checks them at ``metadata.labels``)."""
    non_negative(c, spec, "minReadySeconds", "spec")
    non_negative(c, spec, "replicas", "spec")
    template = spec.get("template")
    labels = as_dict(as_dict(as_dict(template).get("metadata")).get("labels"))
    if not as_dict(as_dict(manifest.get("metadata")).get("labels")):
        check_labels(c, labels, "metadata.labels")
    selector = as_dict(spec.get("selector")) or labels
    if not selector:
        c.add("spec.selector", "required: set it, or give the template labels to default it to")
    if template is None:
        c.add("spec.template", "required: the Pods this controller makes")
        return
    if selector and any(labels.get(key) != value for key, value in selector.items()):
        c.add("spec.template.metadata.labels", MISMATCH)


_RULES = {
    "Deployment": validate_deployment,
    "ReplicaSet": validate_replica_set,
    "StatefulSet": validate_stateful_set,
    "DaemonSet": validate_daemon_set,
    "ReplicationController": validate_replication_controller,
}


def apps_errors(
    manifest: dict, kind_name: str, version: str, pod: dict | None = None
) -> list[FieldError]:
    """The controller's rules and its template's, for one of the kinds above."""
    kind = KINDS[kind_name]
    c = Checker(version)
    spec = as_dict(manifest.get("spec"))
    _RULES[kind_name](c, manifest, spec)
    pod = pod if pod is not None else pod_view(manifest, kind)
    if template_unchecked(c.errors, kind_name):
        # (what the server cannot decode in the template, it refuses before any rule)
        errors = c.errors + template_schema_errors(pod, kind, version)
        if kind_name == "StatefulSet":
            # ValidateStatefulSetSpec checks these two outside the template's validation.
            errors += restart_policy_errors(pod, kind) + active_deadline_errors(pod, kind)
        return errors
    if kind_name == "StatefulSet":
        judged, places = stateful_set_validation_view(manifest)
        errors = c.errors
        # Decoded as written before the rules' view leaves out hostname, subdomain and the
        # volumes claims replace: those are type-checked too.
        judged_errors = template_errors(judged, kind, version)
        as_written = [_at_document_volume(error, places) for error in judged_errors]
        for error in [*template_schema_errors(pod, kind, version), *as_written]:
            if error not in errors:  # an unnamed claim's two errors are one at its name
                errors.append(error)
    elif kind_name == "ReplicationController" and spec.get("template") is None:
        # ValidatePodTemplateSpecForRC says the missing template is required, and no more.
        errors = c.errors
    else:
        errors = c.errors + template_errors(manifest, kind, version, pod)
    errors += active_deadline_errors(pod, kind)
    return errors
