"""The Pod as a whole, and ``validate_pod`` (``ValidatePodCreate``, ``ValidatePodSpec``).

``validate_pod`` answers what the API server answers when the Pod is created: the schema of the
chosen version (types, unknown fields), the validation rules of ``validation.go`` on the Pod as
the API server stores it (fields of gates that are off dropped first, defaults in place), and
the admission plugins every cluster runs whose answer needs no cluster object
(``podstudio.engine.admission``).
"""

import copy
from typing import Any

from podstudio.engine.admission.priority import check_priority
from podstudio.engine.admission.runtimeclass import check_overhead_admission
from podstudio.engine.admission.serviceaccount import check_mirror_pod
from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.results import FieldError
from podstudio.engine.schema import (
    fill_null_structs,
    has_null_entry,
    resolve_version,
    schema_errors,
)
from podstudio.engine.validation.annotations import (
    check_annotations_match_fields,
    check_pod_annotations,
)
from podstudio.engine.validation.checker import (
    Checker,
    as_int,
    as_text,
    is_empty,
    one_of,
    rule_crashed,
)
from podstudio.engine.validation.containers import check_containers
from podstudio.engine.validation.env import check_file_key_ref_volumes
from podstudio.engine.validation.features import drop_disabled_fields
from podstudio.engine.validation.formats import (
    DNS_SUBDOMAIN_HINT,
    MAX_INT32,
    dns_label_errors,
    dns_subdomain_errors,
    dns_subdomain_underscore_errors,
    go_len,
    ip_errors,
    qualified_name_errors,
)
from podstudio.engine.validation.metadata import check_metadata, generated_name
from podstudio.engine.validation.mounts import token_volume
from podstudio.engine.validation.resources import check_overhead, check_pod_resources
from podstudio.engine.validation.scheduling import (
    check_affinity,
    check_labels,
    check_tolerations,
    check_topology_spread,
)
from podstudio.engine.validation.security import (
    check_host_users,
    check_os,
    check_pod_security_context,
    check_windows_host_process,
)
from podstudio.engine.validation.volumes import check_volumes

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PREEMPTION_POLICIES = ("PreemptLowerPriority", "Never")


def _check_dns(c: Checker, spec: dict) -> None:
    policy = spec.get("dnsPolicy")
    if isinstance(policy, str) and policy and policy not in DNS_POLICIES:
        c.add("spec.dnsPolicy", one_of(DNS_POLICIES))
    config = spec.get("dnsConfig")
    if policy == "None":
        if not isinstance(config, dict):
            if config is None:
                c.add("spec.dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None")
            return
        if not as_list(config.get("nameservers")):
            c.add(
                "spec.dnsConfig.nameservers",
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            )
            return
    if not isinstance(config, dict):
        return
    nameservers = as_list(config.get("nameservers"))
    if len(nameservers) > 3:
        c.add("spec.dnsConfig.nameservers", "must not have more than 3 nameservers")
    for index, server in enumerate(nameservers):
        if isinstance(server, str):
            c.add_all(f"spec.dnsConfig.nameservers[{index}]", ip_errors(server))
    searches = as_list(config.get("searches"))
    if len(searches) > 32:
        c.add("spec.dnsConfig.searches", "must not have more than 32 search paths")
    texts = [search for search in searches if isinstance(search, str)]
    if go_len(" ".join(texts)) > 2048:  # bytes, as Go counts
        c.add("spec.dnsConfig.searches", "must not have more than 2048 characters in total")
    for index, search in enumerate(searches):
        if not isinstance(search, str) or search == ".":
            continue
        path = f"spec.dnsConfig.searches[{index}]"
        domain = search.removesuffix(".")
        if c.relaxed_dns_search:
            c.add_all(path, dns_subdomain_underscore_errors(domain))
        else:
            c.add_all(path, dns_subdomain_errors(domain))
    for index, option in enumerate(as_list(config.get("options"))):
        if isinstance(option, dict) and is_empty(option.get("name")):
            c.add(f"spec.dnsConfig.options[{index}]", "must not be empty")


def _check_hostname_override(c: Checker, spec: dict) -> None:
    """validatePodHostName (HostnameOverride, beta and on since 1.35, GA in 1.37)."""
    override = spec.get("hostnameOverride")
    if not isinstance(override, str) or not c.on("HostnameOverride"):
        return
    path = "spec.hostnameOverride"
    if spec.get("setHostnameAsFQDN") is True:
        c.add(path, "may not be specified when setHostnameAsFQDN is true")
    if spec.get("hostNetwork") is True:
        c.add(path, "may not be specified when hostNetwork is true")
    if len(override) > 64:
        c.add(path, "must be no more than 64 characters")
    c.add_all(path, dns_subdomain_errors(override))


def _check_resource_claims(c: Checker, spec: dict, annotations: dict) -> set[str]:
    """validatePodResourceClaims; returns the claim names containers may refer to."""
    claims = as_list(spec.get("resourceClaims"))
    names = {
        claim["name"]
        for claim in claims
        if isinstance(claim, dict) and isinstance(claim.get("name"), str) and claim["name"]
    }
    seen: set[str] = set()
    for index, claim in enumerate(claims):
        if not isinstance(claim, dict):
            continue
        if "kubernetes.io/config.mirror" in annotations and not c.template:
            # reported at "[]", once however many claims there are
            c.add("[]", "static pods do not support resource claims")
            continue
        path = f"spec.resourceClaims[{index}]"
        name = claim.get("name")
        if is_empty(name):
            c.required(join(path, "name"))
        elif isinstance(name, str):
            if name in seen:
                c.add(join(path, "name"), f'duplicate claim "{name}"')
            else:
                c.add_all(join(path, "name"), dns_label_errors(name))
                seen.add(name)
        claim_name = claim.get("resourceClaimName")
        template = claim.get("resourceClaimTemplateName")
        if claim_name is not None and template is not None:
            c.add(path, "at most one of `resourceClaimName` or `resourceClaimTemplateName`")
        if claim_name is None and template is None:
            c.add(path, "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`")
        for key, value in (
            ("resourceClaimName", claim_name),
            ("resourceClaimTemplateName", template),
        ):
            if isinstance(value, str):
                c.add_all(join(path, key), dns_subdomain_errors(value))
    return names


def _check_gates(c: Checker, spec: dict) -> None:
    for index, gate in enumerate(as_list(spec.get("readinessGates"))):
        condition = as_dict(gate).get("conditionType")
        if isinstance(condition, str) or condition is None:
            path = f"spec.readinessGates[{index}].conditionType"
            c.add_all(path, qualified_name_errors(condition or ""))
    gates: set[str] = set()
    for index, gate in enumerate(as_list(spec.get("schedulingGates"))):
        name = as_dict(gate).get("name")
        if not isinstance(name, str) and name is not None:
            continue
        name = name or ""
        c.add_all(f"spec.schedulingGates[{index}]", qualified_name_errors(name))
        if name in gates:
            c.add(f"spec.schedulingGates[{index}]", f'duplicate scheduling gate "{name}"')
        gates.add(name)
    if as_text(spec.get("nodeName")) and as_list(spec.get("schedulingGates")):
        c.add("spec.nodeName", "cannot be set until all schedulingGates have been cleared")


def _check_spec(c: Checker, spec: dict, metadata: dict, pod: dict) -> None:
    annotations = as_dict(metadata.get("annotations"))
    named = bool(as_text(metadata.get("name")))
    # A template is validated without Pod metadata (ValidatePodSpec(spec, nil, ...)): no name
    # to make the ephemeral volumes' claim names from.
    pod_name = "" if c.template else generated_name(metadata)
    volumes = check_volumes(c, spec, pod_name, name_generated=not named)
    # Mutating admission before validation: the ServiceAccount plugin mounts the API token
    # (Pods only; never a mirror Pod, nor one that turns automounting off).
    mirror = "kubernetes.io/config.mirror" in annotations
    if not c.template and not mirror and spec.get("automountServiceAccountToken") is not False:
        c.token_volume = token_volume(spec)
    claims = _check_resource_claims(c, spec, annotations)
    check_containers(c, spec, volumes, claims)
    check_pod_resources(c, spec, pod, claims)
    c.enum(spec, "restartPolicy", "spec", RESTART_POLICIES + ("",), said=RESTART_POLICIES)
    _check_dns(c, spec)
    check_labels(c, spec.get("nodeSelector"), "spec.nodeSelector")
    check_pod_security_context(c, spec)
    check_affinity(c, spec, as_dict(metadata.get("labels")))
    _check_gates(c, spec)
    check_topology_spread(c, spec, as_dict(metadata.get("labels")))
    check_windows_host_process(c, spec)
    check_host_users(c, spec)
    _check_hostname_override(c, spec)
    for field, check in (
        ("serviceAccountName", dns_subdomain_errors),
        ("nodeName", dns_subdomain_errors),
        ("priorityClassName", dns_subdomain_errors),
        ("runtimeClassName", dns_subdomain_errors),
        ("hostname", dns_label_errors),
        ("subdomain", dns_label_errors),
    ):
        c.name_like(spec, field, "spec", check)
    alias = spec.get("serviceAccount")
    if not as_text(spec.get("serviceAccountName")) and isinstance(alias, str) and alias:
        # SetDefaults_PodSpec copies the deprecated alias into serviceAccountName first.
        c.add_all("spec.serviceAccountName", dns_subdomain_errors(alias))
    if spec.get("runtimeClassName") == "":  # a pointer: an empty name is checked, and fails
        c.add_all("spec.runtimeClassName", dns_subdomain_errors(""))
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and as_int(deadline) is not None:
        c.int_range(spec, "activeDeadlineSeconds", "spec", 1, MAX_INT32)
    preemption = spec.get("preemptionPolicy")
    if preemption == "":
        c.required("spec.preemptionPolicy")
    else:
        c.enum(spec, "preemptionPolicy", "spec", PREEMPTION_POLICIES)
    check_tolerations(c, spec)
    for index, alias in enumerate(as_list(spec.get("hostAliases"))):
        alias = as_dict(alias)
        alias_path = f"spec.hostAliases[{index}]"
        ip = alias.get("ip")
        if isinstance(ip, str) or ip is None:
            c.add_all(join(alias_path, "ip"), ip_errors(ip or ""))
        for name_index, hostname in enumerate(as_list(alias.get("hostnames"))):
            if isinstance(hostname, str):
                hostname_path = join(join(alias_path, "hostnames"), name_index)
                c.add_all(hostname_path, dns_subdomain_errors(hostname))
    check_overhead(c, spec)
    check_os(c, spec)
    check_file_key_ref_volumes(c, spec)


def _check_pod(c: Checker, pod: dict) -> None:
    for field in ("apiVersion", "kind"):
        if is_empty(pod.get(field)):
            c.required(field)
    metadata = as_dict(pod.get("metadata"))
    check_metadata(c, metadata)
    spec = pod.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    annotations = as_dict(metadata.get("annotations"))
    check_pod_annotations(c, annotations, spec)
    _check_spec(c, spec, metadata, pod)
    check_annotations_match_fields(c, annotations, spec)


def _dedupe(errors: list[FieldError], extra: list[FieldError]) -> list[FieldError]:
    seen = {(error.path, error.message) for error in errors}
    for error in extra:
        if (error.path, error.message) not in seen:
            seen.add((error.path, error.message))
            errors.append(error)
    return errors


def prepare_for_validation(pod: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The Pod without the fields of gates that are off (the API server drops them before it
    validates), and those fields as ``(path, gate)``. A copy only when something changes."""
    dropped = drop_disabled_fields(pod, remove=False)
    if not dropped and not has_null_entry(pod):
        return pod, dropped
    prepared = copy.deepcopy(pod)
    drop_disabled_fields(prepared)
    return prepared, dropped


def validate_pod(
    pod: Any, k8s_version: str | None = None, *, template: bool = False
) -> list[FieldError]:
    """Everything the API server would reject in ``pod`` when it is created, schema errors first.

    ``k8s_version`` (``"1.33"``, ``"v1.33"``, ``None`` for the newest) selects the schema and the
    features that are on by default in that version; an unknown version raises
    ``UnknownVersionError``. A manifest of the wrong shape never raises: the schema reports it.
    ``template``: ``pod`` is a workload's Pod template, which is defaulted a little less.
    """
    version = resolve_version(k8s_version)
    if not isinstance(pod, dict):
        return [FieldError(path="", message="must be a mapping (a Pod manifest)")]
    prepared, _ = prepare_for_validation(pod)
    errors = schema_errors(pod, version)  # the server decodes before it drops gated fields
    if prepared is not pod:
        fill_null_structs(prepared, version)  # after the schema: a null entry is no type error
    spec = as_dict(prepared.get("spec"))
    # The API server answers in stages: mutating admission (Priority) refuses a Pod before it
    # is validated, validating admission (RuntimeClass overhead) only judges a valid Pod.
    # Admission sees Pods only: a workload's template meets it in each Pod the controller makes
    # (``workloads.pods_refused``).
    before = Checker(version)
    if not template:  # in the order the plugins run: ServiceAccount, then Priority
        annotations = as_dict(as_dict(prepared.get("metadata")).get("annotations"))
        check_mirror_pod(before, annotations, spec)
        if not before.errors:
            check_priority(before, spec)
    if before.errors:
        return _dedupe(errors, before.errors)
    checker = Checker(version)
    checker.default_host_ports = not template or checker.minor < 28
    checker.pod_defaults = not template
    checker.template = template
    try:
        _check_pod(checker, prepared)
    except Exception:  # a bug in a rule must not break the editor on every keystroke
        checker.errors.append(rule_crashed("Pod"))
    errors = _dedupe(errors, checker.errors)
    if errors:
        return errors
    after = Checker(version)
    if not template:
        check_overhead_admission(after, spec)
    return after.errors


__all__ = ["DNS_SUBDOMAIN_HINT", "prepare_for_validation", "validate_pod"]
