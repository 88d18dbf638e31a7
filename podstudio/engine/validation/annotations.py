"""Annotations the API server reads on a Pod (``ValidatePodSpecificAnnotations``) and the
checks that annotations and fields agree when a Pod is created
(``validateSeccompAnnotationsAndFields``, ``validateAppArmorAnnotationsAndFieldsMatchOnCreate``).

The AppArmor annotation of a container without an ``appArmorProfile`` becomes the field when the
Pod is created (``applyAppArmorVersionSkew``), so only a disagreement between the two is an error.
"""

import json

from podstudio.engine.goyaml import atoi
from podstudio.engine.paths import as_dict, as_list, join_key
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.validation.checker import Checker, as_text
from podstudio.engine.validation.files import check_local_descending_path
from podstudio.engine.validation.formats import go_len, go_trim_space
from podstudio.engine.validation.scheduling import check_toleration_list

MIRROR = "kubernetes.io/config.mirror"
TOLERATIONS = "scheduler.alpha.kubernetes.io/tolerations"
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/"
APPARMOR_CONTAINER = "container.apparmor.security.beta.kubernetes.io/"
_DELETION_COST = compile_lazily(r"-[0-9]+|0|[1-9][0-9]*")  # no "+", no leading zeros
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def _containers(spec: dict) -> list[tuple[str, dict]]:
    """Every container with its path; a ``null`` entry is the empty container Go decodes."""
    return [
        (f"spec.{field}[{index}]", {} if ctr is None else ctr)
        for field in CONTAINER_LISTS
        for index, ctr in enumerate(as_list(spec.get(field)))
        if ctr is None or isinstance(ctr, dict)
    ]


def _name(ctr: dict) -> str:
    """The container's name as Go reads it: "" when it has none (the annotations of the name ""
    then apply to it)."""
    name = ctr.get("name")
    return name if isinstance(name, str) else ""


def _seccomp_profile_errors(c: Checker, value: str, path: str) -> None:
    """ValidateSeccompProfile for an annotation value."""
    if value in ("runtime/default", "docker/default", "unconfined"):
        return
    if value.startswith("localhost/"):
        check_local_descending_path(c, value.removeprefix("localhost/"), path)
        return
    c.add(path, "must be a valid seccomp profile")


# core.Toleration's fields, which have no JSON names: Go matches a key to one whatever its case.
_TOLERATION_FIELDS = {
    "key": ("Key", "key"),
    "operator": ("Operator", "operator"),
    "value": ("Value", "value"),
    "effect": ("Effect", "effect"),
    "tolerationseconds": ("TolerationSeconds", "tolerationSeconds"),
}


class _GoNumber(str):
    """A JSON number as written: Go decodes ``5`` into an int64, and neither ``5.0`` nor
    ``1e3``."""


def _json_kind(value: object) -> str:
    if isinstance(value, _GoNumber):
        return "number"
    if isinstance(value, bool):
        return "bool"
    return {str: "string", list: "array"}.get(type(value), "object")


def _go_tolerations(text: str) -> tuple[list[dict], str]:
    """``json.Unmarshal`` of the annotation into ``[]core.Toleration``, as the API server
    reads it (``GetTolerationsFromPodAnnotations``): the tolerations, or Go's error. ``null``
    is none and a ``null`` entry an empty toleration; keys match whatever their case, the last
    of two wins, and unknown ones are left out."""

    def constant(name: str) -> None:
        raise ValueError(name)  # NaN and Infinity are no JSON to Go

    try:
        parsed = json.loads(
            text,
            object_pairs_hook=lambda pairs: ("object", pairs),
            parse_int=_GoNumber,
            parse_float=_GoNumber,
            parse_constant=constant,
        )
    except (ValueError, RecursionError):
        return [], "not valid JSON"
    if parsed is None:
        return [], ""
    if not isinstance(parsed, list):
        kind = "object" if isinstance(parsed, tuple) else _json_kind(parsed)
        return [], f"json: cannot unmarshal {kind} into Go value of type []core.Toleration"
    tolerations, problem = [], ""
    for entry in parsed:
        toleration: dict = {}
        if isinstance(entry, tuple):
            for name, value in entry[1]:
                field = _TOLERATION_FIELDS.get(name.casefold())
                if field is None or value is None:
                    continue
                go_name, key = field
                if key == "tolerationSeconds":
                    whole = isinstance(value, _GoNumber) and value.lstrip("-").isdigit()
                    number, in_range = atoi(value) if whole else (0, False)
                    if in_range:
                        toleration[key] = number
                        continue
                    wanted, written = "int64", f" {value}" if isinstance(value, _GoNumber) else ""
                elif isinstance(value, str) and not isinstance(value, _GoNumber):
                    toleration[key] = value
                    continue
                else:
                    wanted, written = "string", ""
                kind = "object" if isinstance(value, tuple) else _json_kind(value)
                problem = problem or (
                    f"json: cannot unmarshal {kind}{written} into Go struct field "
                    f"Toleration.{go_name} of type {wanted}"
                )
        elif entry is not None:
            kind = _json_kind(entry)
            problem = (
                problem or f"json: cannot unmarshal {kind} into Go value of type core.Toleration"
            )
        tolerations.append(toleration)
    return ([], problem) if problem else (tolerations, "")


def check_pod_annotations(c: Checker, annotations: dict, spec: dict) -> None:
    path = "metadata.annotations"
    if MIRROR in annotations and not as_text(spec.get("nodeName")):
        c.add(join_key(path, MIRROR), "must set spec.nodeName if mirror pod annotation is set")
    tolerations = annotations.get(TOLERATIONS)
    if isinstance(tolerations, str) and tolerations:
        decoded, problem = _go_tolerations(tolerations)
        if problem:
            c.add(path, f"{TOLERATIONS}: {problem}")
        else:
            # (upstream: fldPath.Child(key), a dot and the key as it is, not in brackets)
            check_toleration_list(c, decoded, f"{path}.{TOLERATIONS}")
    cost = annotations.get(DELETION_COST)
    if isinstance(cost, str) and c.on("PodDeletionCost"):
        valid = _DELETION_COST.fullmatch(cost) and -(2**31) <= atoi(cost)[0] <= 2**31 - 1
        if not valid:
            c.add(join_key(path, DELETION_COST), "must be a 32bit integer")
    # Upstream names seccomp annotations with Child (a dot), AppArmor ones with Key (brackets).
    seccomp = annotations.get(SECCOMP_POD)
    if isinstance(seccomp, str):
        _seccomp_profile_errors(c, seccomp, f"{path}.{SECCOMP_POD}")
    for key, value in annotations.items():
        if isinstance(key, str) and key.startswith(SECCOMP_CONTAINER) and isinstance(value, str):
            _seccomp_profile_errors(c, value, f"{path}.{key}")
    names = {_name(ctr) for _, ctr in _containers(spec)}
    for key, value in annotations.items():
        if not isinstance(key, str) or not key.startswith(APPARMOR_CONTAINER):
            continue
        name = key.removeprefix(APPARMOR_CONTAINER)
        if name not in names:
            c.add(join_key(path, key), f'container "{name}" not found')
        if not isinstance(value, str):
            continue
        if not (value in ("", "runtime/default", "unconfined") or value.startswith("localhost/")):
            c.add(join_key(path, key), f'invalid AppArmor profile name: "{value}"')


def apparmor_field(value: str) -> dict | None:
    """ApparmorFieldForAnnotation: the field an annotation value stands for."""
    if value == "runtime/default":
        return {"type": "RuntimeDefault"}
    if value == "unconfined":
        return {"type": "Unconfined"}
    if value.startswith("localhost/"):
        profile = value.removeprefix("localhost/")
        if not profile or go_trim_space(profile) != profile or go_len(profile) > 4095:
            return None  # not a valid field: left out, as upstream skips copying it
        return {"type": "Localhost", "localhostProfile": profile}
    return None


def check_annotations_match_fields(c: Checker, annotations: dict, spec: dict) -> None:
    """On create, seccomp and AppArmor annotations must say what the fields say."""
    pod_context = as_dict(spec.get("securityContext"))
    pod_seccomp = pod_context.get("seccompProfile")
    if isinstance(pod_seccomp, dict) and isinstance(annotations.get(SECCOMP_POD), str):
        _seccomp_match(
            c, annotations[SECCOMP_POD], pod_seccomp, "spec.securityContext.seccompProfile"
        )
    for path, ctr in _containers(spec):
        profile = as_dict(ctr.get("securityContext")).get("seccompProfile")
        key = f"{SECCOMP_CONTAINER}{_name(ctr)}"
        if isinstance(profile, dict) and isinstance(annotations.get(key), str):
            _seccomp_match(c, annotations[key], profile, f"{path}.securityContext.seccompProfile")
    if as_dict(spec.get("os")).get("name") == "windows":
        return
    pod_profile = pod_context.get("appArmorProfile")
    for path, ctr in _containers(spec):
        profile = as_dict(ctr.get("securityContext")).get("appArmorProfile")
        if profile is None and not c.template:
            # applyAppArmorVersionSkew: a valid annotation becomes the container's field first
            # (in a Pod's PrepareForCreate; a workload's template is checked as written).
            profile = apparmor_profile_from_annotation(annotations, ctr, pod_profile)
        if profile is None:
            profile = pod_profile
        annotation = annotations.get(f"{APPARMOR_CONTAINER}{_name(ctr)}")
        if not isinstance(profile, dict) or not isinstance(annotation, str):
            continue
        field_path = f"{path}.securityContext.appArmorProfile"
        kind = profile.get("type")
        if (kind == "Unconfined" and annotation != "unconfined") or (
            kind == "RuntimeDefault" and annotation != "runtime/default"
        ):
            c.add(f"{field_path}.type", "apparmor type in annotation and field must match")
        elif kind == "Localhost":
            if not annotation.startswith("localhost/"):
                c.add(f"{field_path}.type", "apparmor type in annotation and field must match")
            elif annotation.removeprefix("localhost/") != profile.get("localhostProfile"):
                c.add(
                    f"{field_path}.localhostProfile",
                    "apparmor profile in annotation and field must match",
                )


def _seccomp_match(c: Checker, annotation: str, profile: dict, path: str) -> None:
    kind = profile.get("type")
    if (kind == "Unconfined" and annotation != "unconfined") or (
        kind == "RuntimeDefault" and annotation not in ("runtime/default", "docker/default")
    ):
        c.add(f"{path}.type", "seccomp type in annotation and field must match")
    elif kind == "Localhost":
        if not annotation.startswith("localhost/"):
            c.add(f"{path}.type", "seccomp type in annotation and field must match")
        elif annotation.removeprefix("localhost/") != profile.get("localhostProfile"):
            c.add(f"{path}.localhostProfile", "seccomp profile in annotation and field must match")


def apparmor_profile_from_annotation(annotations: dict, ctr: dict, pod_profile: object) -> object:
    """The appArmorProfile a container ends up with once the annotation is synced to the field
    (None when the annotation adds nothing): used by Pod Security."""
    if as_dict(ctr.get("securityContext")).get("appArmorProfile") is not None:
        return None
    annotation = annotations.get(f"{APPARMOR_CONTAINER}{_name(ctr)}")
    field = apparmor_field(annotation) if isinstance(annotation, str) else None
    return None if field is None or field == pod_profile else field
