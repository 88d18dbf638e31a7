"""The Pod spec as a whole: scheduling, DNS, security context, and ``validate_pod``
(``ValidatePodCreate``, ``ValidatePodSpec``)."""

import logging
from typing import Any

from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.results import FieldError
from podstudio.engine.schema import (
    resolve_version,
    schema_errors,
)
from podstudio.engine.validation.checker import (
    Checker,
    as_int,
    as_text,
    is_empty,
    is_set,
    one_of,
)
from podstudio.engine.validation.containers import (
    APPARMOR_TYPES,
    SECCOMP_TYPES,
    check_containers,
    check_profile,
)
from podstudio.engine.validation.formats import (
    DNS_SUBDOMAIN_HINT,
    DNS_SUBDOMAIN_UNDERSCORE,
    MAX_INT32,
    SYSCTL_NAME,
    dns_label_errors,
    dns_subdomain_errors,
    ip_errors,
    label_value_errors,
    qualified_name_errors,
)
from podstudio.engine.validation.metadata import (
    check_labels,
    check_metadata,
)
from podstudio.engine.validation.resources import (
    check_pod_resources,
)
from podstudio.engine.validation.volumes import (
    check_volumes,
)

logger = logging.getLogger(__name__)

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PREEMPTION_POLICIES = ("PreemptLowerPriority", "Never")
TOLERATION_OPERATORS = ("Equal", "Exists")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
NODE_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
LABEL_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
FS_GROUP_CHANGE_POLICIES = ("OnRootMismatch", "Always")
SUPPLEMENTAL_GROUPS_POLICIES = ("Merge", "Strict")
SELINUX_CHANGE_POLICIES = ("Recursive", "MountOption")
WHEN_UNSATISFIABLE = ("DoNotSchedule", "ScheduleAnyway")
NODE_INCLUSION_POLICIES = ("Ignore", "Honor")
OPERATING_SYSTEMS = ("linux", "windows")


def _check_tolerations(c: Checker, spec: dict) -> None:
    for index, toleration in enumerate(as_list(spec.get("tolerations"))):
        if not isinstance(toleration, dict):
            continue
        path = f"spec.tolerations[{index}]"
        key = as_text(toleration.get("key")) or ""
        operator = as_text(toleration.get("operator")) or ""
        value = as_text(toleration.get("value")) or ""
        effect = as_text(toleration.get("effect")) or ""
        if key:
            c.add_all(join(path, "key"), qualified_name_errors(key))
        elif operator != "Exists":
            c.add(join(path, "operator"), "must be Exists when `key` is empty (matches all keys)")
        if is_set(toleration, "tolerationSeconds") and effect != "NoExecute":
            c.add(join(path, "effect"), "must be NoExecute when `tolerationSeconds` is set")
        if operator in ("Equal", ""):
            c.add_all(join(path, "value"), label_value_errors(value))
        elif operator == "Exists":
            if value:
                c.add(join(path, "value"), "must be empty when `operator` is Exists")
        else:
            c.add(join(path, "operator"), one_of(TOLERATION_OPERATORS))
        if effect and effect not in TAINT_EFFECTS:
            c.add(join(path, "effect"), one_of(TAINT_EFFECTS))


def _check_node_selector_requirement(
    c: Checker, requirement: dict, path: str, check_values: bool
) -> None:
    operator = as_text(requirement.get("operator"))
    values = as_list(requirement.get("values"))
    values_path = join(path, "values")
    if operator in ("In", "NotIn") and not values:
        c.add(values_path, "must be specified when `operator` is In or NotIn")
    elif operator in ("Exists", "DoesNotExist") and values:
        c.add(values_path, "may not be specified when `operator` is Exists or DoesNotExist")
    elif operator in ("Gt", "Lt") and len(values) != 1:
        c.add(values_path, "must have exactly one value when `operator` is Gt or Lt")
    elif operator is not None and operator not in NODE_SELECTOR_OPERATORS:
        c.add(join(path, "operator"), one_of(NODE_SELECTOR_OPERATORS))
    key = as_text(requirement.get("key"))
    if key is not None:
        c.add_all(join(path, "key"), qualified_name_errors(key))
    if check_values:
        for index, value in enumerate(values):
            if isinstance(value, str):
                c.add_all(join(values_path, index), label_value_errors(value))


def _check_node_selector_term(c: Checker, term: dict, path: str, check_values: bool) -> None:
    for index, requirement in enumerate(as_list(term.get("matchExpressions"))):
        if isinstance(requirement, dict):
            requirement_path = join(join(path, "matchExpressions"), index)
            _check_node_selector_requirement(c, requirement, requirement_path, check_values)
    for index, requirement in enumerate(as_list(term.get("matchFields"))):
        if not isinstance(requirement, dict):
            continue
        requirement_path = join(join(path, "matchFields"), index)
        operator = as_text(requirement.get("operator"))
        values = as_list(requirement.get("values"))
        if operator in ("In", "NotIn"):
            if len(values) != 1:
                c.add(join(requirement_path, "values"), "must have exactly one value")
        elif operator is not None:
            c.add(join(requirement_path, "operator"), one_of(("In", "NotIn")))
        key = as_text(requirement.get("key"))
        if key is not None and key != "metadata.name":
            c.add(join(requirement_path, "key"), "must be metadata.name")
        for value_index, value in enumerate(values):
            if isinstance(value, str):
                value_path = join(join(requirement_path, "values"), value_index)
                c.add_all(value_path, dns_subdomain_errors(value))


def _check_label_selector(c: Checker, selector: Any, path: str) -> None:
    if not isinstance(selector, dict):
        return
    check_labels(c, selector.get("matchLabels"), join(path, "matchLabels"))
    for index, requirement in enumerate(as_list(selector.get("matchExpressions"))):
        if not isinstance(requirement, dict):
            continue
        requirement_path = join(join(path, "matchExpressions"), index)
        operator = as_text(requirement.get("operator"))
        values = as_list(requirement.get("values"))
        if operator in ("In", "NotIn") and not values:
            c.add(
                join(requirement_path, "values"),
                "must be specified when `operator` is In or NotIn",
            )
        elif operator in ("Exists", "DoesNotExist") and values:
            c.add(
                join(requirement_path, "values"),
                "may not be specified when `operator` is Exists or DoesNotExist",
            )
        elif operator is not None and operator not in LABEL_SELECTOR_OPERATORS:
            c.add(join(requirement_path, "operator"), one_of(LABEL_SELECTOR_OPERATORS))
        key = as_text(requirement.get("key"))
        if key is not None:
            c.add_all(join(requirement_path, "key"), qualified_name_errors(key))
        for value_index, value in enumerate(values):
            if isinstance(value, str):
                value_path = join(join(requirement_path, "values"), value_index)
                c.add_all(value_path, label_value_errors(value))


def _check_weight(c: Checker, data: dict, path: str) -> None:
    weight = as_int(data.get("weight"))
    if weight is not None and not 1 <= weight <= 100:
        c.add(join(path, "weight"), "must be in the range 1-100")


def _check_pod_affinity_term(c: Checker, term: dict, path: str) -> None:
    _check_label_selector(c, term.get("labelSelector"), join(path, "labelSelector"))
    _check_label_selector(c, term.get("namespaceSelector"), join(path, "namespaceSelector"))
    for index, namespace in enumerate(as_list(term.get("namespaces"))):
        if isinstance(namespace, str):
            c.add_all(join(join(path, "namespaces"), index), dns_label_errors(namespace))
    topology_key = as_text(term.get("topologyKey"))
    if is_empty(term.get("topologyKey")):
        c.add(join(path, "topologyKey"), "can not be empty")
    elif topology_key:
        c.add_all(join(path, "topologyKey"), qualified_name_errors(topology_key))


def _check_affinity(c: Checker, spec: dict) -> None:
    affinity = as_dict(spec.get("affinity"))
    node = as_dict(affinity.get("nodeAffinity"))
    path = "spec.affinity.nodeAffinity"
    required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, dict):
        required_path = join(path, "requiredDuringSchedulingIgnoredDuringExecution")
        terms = as_list(required.get("nodeSelectorTerms"))
        if not terms:
            c.add(join(required_path, "nodeSelectorTerms"), "must have at least one term")
        for index, term in enumerate(terms):
            if isinstance(term, dict):
                term_path = join(join(required_path, "nodeSelectorTerms"), index)
                _check_node_selector_term(c, term, term_path, check_values=True)
    preferred_path = join(path, "preferredDuringSchedulingIgnoredDuringExecution")
    for index, item in enumerate(
        as_list(node.get("preferredDuringSchedulingIgnoredDuringExecution"))
    ):
        if not isinstance(item, dict):
            continue
        item_path = join(preferred_path, index)
        _check_weight(c, item, item_path)
        if isinstance(item.get("preference"), dict):
            preference_path = join(item_path, "preference")
            _check_node_selector_term(c, item["preference"], preference_path, check_values=False)

    for kind in ("podAffinity", "podAntiAffinity"):
        pod = as_dict(affinity.get(kind))
        kind_path = f"spec.affinity.{kind}"
        required_terms = as_list(pod.get("requiredDuringSchedulingIgnoredDuringExecution"))
        for index, term in enumerate(required_terms):
            if isinstance(term, dict):
                term_path = f"{kind_path}.requiredDuringSchedulingIgnoredDuringExecution[{index}]"
                _check_pod_affinity_term(c, term, term_path)
        preferred_terms = as_list(pod.get("preferredDuringSchedulingIgnoredDuringExecution"))
        for index, item in enumerate(preferred_terms):
            if not isinstance(item, dict):
                continue
            item_path = f"{kind_path}.preferredDuringSchedulingIgnoredDuringExecution[{index}]"
            _check_weight(c, item, item_path)
            if isinstance(item.get("podAffinityTerm"), dict):
                term_path = join(item_path, "podAffinityTerm")
                _check_pod_affinity_term(c, item["podAffinityTerm"], term_path)


def _check_dns(c: Checker, spec: dict) -> None:
    c.enum(spec, "dnsPolicy", "spec", DNS_POLICIES)
    config = spec.get("dnsConfig")
    if spec.get("dnsPolicy") == "None":
        if not isinstance(config, dict):
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
    if len(" ".join(texts)) > 2048:
        c.add("spec.dnsConfig.searches", "must not have more than 2048 characters in total")
    for index, search in enumerate(searches):
        if not isinstance(search, str):
            continue
        path = f"spec.dnsConfig.searches[{index}]"
        if c.relaxed_dns_search:
            if search != ".":
                domain = search.removesuffix(".")
                if len(domain) > 253:
                    c.add(path, "must be no more than 253 characters")
                if not DNS_SUBDOMAIN_UNDERSCORE.fullmatch(domain):
                    c.add(path, DNS_SUBDOMAIN_HINT.replace("'-' and '.'", "'-', '_' and '.'"))
        else:
            c.add_all(path, dns_subdomain_errors(search.removesuffix(".")))
    for index, option in enumerate(as_list(config.get("options"))):
        if isinstance(option, dict) and not as_text(option.get("name")):
            c.add(f"spec.dnsConfig.options[{index}]", "name must not be empty")


def _check_pod_security_context(c: Checker, spec: dict) -> None:
    # Kubernetes keeps hostNetwork, hostPID, hostIPC and hostUsers in its internal security context.
    if spec.get("shareProcessNamespace") is True and spec.get("hostPID") is True:
        c.add("spec.shareProcessNamespace", "cannot be true when hostPID is true")
    if spec.get("hostUsers") is False:
        for field in ("hostNetwork", "hostPID", "hostIPC"):
            if spec.get(field) is True:
                c.add(f"spec.{field}", "may not be true when `hostUsers` is false")
    context = spec.get("securityContext")
    if not isinstance(context, dict):
        return
    path = "spec.securityContext"
    for field in ("fsGroup", "runAsUser", "runAsGroup"):
        c.int_range(context, field, path, 0, MAX_INT32)
    for index, group in enumerate(as_list(context.get("supplementalGroups"))):
        group = as_int(group)
        if group is not None and not 0 <= group <= MAX_INT32:
            c.add(
                f"{path}.supplementalGroups[{index}]",
                f"must be between 0 and {MAX_INT32}, inclusive",
            )
    c.enum(context, "fsGroupChangePolicy", path, FS_GROUP_CHANGE_POLICIES)
    c.enum(context, "supplementalGroupsPolicy", path, SUPPLEMENTAL_GROUPS_POLICIES)
    c.enum(context, "seLinuxChangePolicy", path, SELINUX_CHANGE_POLICIES)
    check_profile(c, context, "seccompProfile", path, SECCOMP_TYPES)
    check_profile(c, context, "appArmorProfile", path, APPARMOR_TYPES)
    seen: set[str] = set()
    for index, sysctl in enumerate(as_list(context.get("sysctls"))):
        name = as_text(as_dict(sysctl).get("name"))
        name_path = f"{path}.sysctls[{index}].name"
        if name is None:
            continue
        if not name:
            c.required(name_path)
        elif len(name) > 253 or not SYSCTL_NAME.fullmatch(name):
            c.add(name_path, "must be a sysctl name such as net.ipv4.ip_forward")
        elif name in seen:
            c.add(name_path, f'duplicate sysctl "{name}"')
        seen.add(name)
        if spec.get("hostNetwork") is True and name.startswith("net."):
            c.add(name_path, "may not be specified when 'hostNetwork' is true")
        if spec.get("hostIPC") is True and (name.startswith(("kernel.", "fs.mqueue."))):
            c.add(name_path, "may not be specified when 'hostIPC' is true")


def _check_topology_spread(c: Checker, spec: dict) -> None:
    constraints = [as_dict(item) for item in as_list(spec.get("topologySpreadConstraints"))]
    for index, constraint in enumerate(constraints):
        path = f"spec.topologySpreadConstraints[{index}]"
        max_skew = as_int(constraint.get("maxSkew"))
        if max_skew is not None and max_skew <= 0:
            c.add(join(path, "maxSkew"), "must be greater than zero")
        if "topologyKey" in constraint and not as_text(constraint.get("topologyKey")):
            c.add(join(path, "topologyKey"), "can not be empty")
        c.enum(constraint, "whenUnsatisfiable", path, WHEN_UNSATISFIABLE)
        pair = (constraint.get("topologyKey"), constraint.get("whenUnsatisfiable"))
        if any(
            (other.get("topologyKey"), other.get("whenUnsatisfiable")) == pair
            for other in constraints[index + 1 :]
        ):
            c.add(path, f"duplicate constraint for topologyKey {pair[0]} and {pair[1]}")
        min_domains = as_int(constraint.get("minDomains"))
        if min_domains is not None:
            if min_domains <= 0:
                c.add(join(path, "minDomains"), "must be greater than zero")
            if constraint.get("whenUnsatisfiable") != "DoNotSchedule":
                c.add(
                    join(path, "minDomains"),
                    "can only be used when whenUnsatisfiable is DoNotSchedule",
                )
        c.enum(constraint, "nodeAffinityPolicy", path, NODE_INCLUSION_POLICIES)
        c.enum(constraint, "nodeTaintsPolicy", path, NODE_INCLUSION_POLICIES)
        _check_label_selector(c, constraint.get("labelSelector"), join(path, "labelSelector"))


def _check_os(c: Checker, spec: dict) -> None:
    os_name = as_text(as_dict(spec.get("os")).get("name"))
    if os_name is None:
        return
    if os_name not in OPERATING_SYSTEMS:
        c.add("spec.os.name", one_of(OPERATING_SYSTEMS))
        return
    context = as_dict(spec.get("securityContext"))
    containers = [
        (f"spec.{field}[{index}].securityContext", as_dict(as_dict(ctr).get("securityContext")))
        for field in ("initContainers", "containers", "ephemeralContainers")
        for index, ctr in enumerate(as_list(spec.get(field)))
    ]
    if os_name == "linux":
        for path, ctx in [("spec.securityContext", context)] + containers:
            if is_set(ctx, "windowsOptions"):
                c.add(join(path, "windowsOptions"), "windows options cannot be set for a linux pod")
        return
    pod_only = ("appArmorProfile", "seLinuxOptions", "seccompProfile", "fsGroup")
    pod_only += ("fsGroupChangePolicy", "sysctls", "runAsUser", "runAsGroup")
    pod_only += ("supplementalGroups", "supplementalGroupsPolicy", "seLinuxChangePolicy")
    for field in pod_only:
        if is_set(context, field):
            c.add(f"spec.securityContext.{field}", "cannot be set for a windows pod")
    for field in ("hostPID", "hostIPC", "shareProcessNamespace", "hostUsers"):
        if spec.get(field) is True or (field == "hostUsers" and is_set(spec, field)):
            c.add(f"spec.{field}", "cannot be set for a windows pod")
    container_only = ("appArmorProfile", "seLinuxOptions", "seccompProfile", "capabilities")
    container_only += ("readOnlyRootFilesystem", "privileged", "allowPrivilegeEscalation")
    container_only += ("procMount", "runAsUser", "runAsGroup")
    for path, ctx in containers:
        for field in container_only:
            if is_set(ctx, field):
                c.add(join(path, field), "cannot be set for a windows pod")


def _check_spec(c: Checker, spec: dict) -> None:
    volumes = check_volumes(c, spec)
    check_containers(c, spec, volumes)
    check_pod_resources(c, spec)
    c.enum(spec, "restartPolicy", "spec", RESTART_POLICIES)
    _check_dns(c, spec)
    check_labels(c, spec.get("nodeSelector"), "spec.nodeSelector")
    _check_pod_security_context(c, spec)
    _check_affinity(c, spec)
    _check_tolerations(c, spec)
    _check_topology_spread(c, spec)
    _check_os(c, spec)
    for index, gate in enumerate(as_list(spec.get("readinessGates"))):
        condition = as_text(as_dict(gate).get("conditionType"))
        if condition is not None:
            path = f"spec.readinessGates[{index}].conditionType"
            c.add_all(path, qualified_name_errors(condition))
    gates: set[str] = set()
    for index, gate in enumerate(as_list(spec.get("schedulingGates"))):
        name = as_text(as_dict(gate).get("name"))
        if name is None:
            continue
        c.add_all(f"spec.schedulingGates[{index}].name", qualified_name_errors(name))
        if name in gates:
            c.add(f"spec.schedulingGates[{index}].name", f'duplicate scheduling gate "{name}"')
        gates.add(name)
    if as_text(spec.get("nodeName")) and gates:
        c.add("spec.nodeName", "cannot be set until all schedulingGates have been cleared")
    for field in ("serviceAccountName", "nodeName", "priorityClassName", "runtimeClassName"):
        c.name_like(spec, field, "spec", dns_subdomain_errors)
    for field in ("hostname", "subdomain"):
        c.name_like(spec, field, "spec", dns_label_errors)
    c.int_range(spec, "activeDeadlineSeconds", "spec", 1, MAX_INT32)
    c.enum(spec, "preemptionPolicy", "spec", PREEMPTION_POLICIES)
    for index, alias in enumerate(as_list(spec.get("hostAliases"))):
        alias = as_dict(alias)
        alias_path = f"spec.hostAliases[{index}]"
        ip = as_text(alias.get("ip"))
        if ip is not None:
            c.add_all(join(alias_path, "ip"), ip_errors(ip))
        for name_index, hostname in enumerate(as_list(alias.get("hostnames"))):
            if isinstance(hostname, str):
                hostname_path = join(join(alias_path, "hostnames"), name_index)
                c.add_all(hostname_path, dns_subdomain_errors(hostname))


def _check_pod(c: Checker, pod: dict) -> None:
    for field in ("apiVersion", "kind"):
        if field not in pod:
            c.required(field)
    metadata = pod.get("metadata")
    if isinstance(metadata, dict):
        check_metadata(c, metadata)
    elif "metadata" not in pod:
        c.add("metadata.name", "name or generateName is required")
    spec = pod.get("spec")
    if isinstance(spec, dict):
        _check_spec(c, spec)
    elif "spec" not in pod or spec is None:
        c.add("spec.containers", "must have at least one container")


def validate_pod(pod: dict, k8s_version: str | None = None) -> list[FieldError]:
    """Everything the API server would reject in ``pod`` when it is created, schema errors first.

    ``k8s_version`` (``"1.33"``, ``"v1.33"``, ``None`` for the newest) selects the schema and the
    features that are on by default in that version; an unknown version raises
    ``UnknownVersionError``. A manifest of the wrong shape never raises: the schema reports it.
    """
    version = resolve_version(k8s_version)
    if not isinstance(pod, dict):
        return [FieldError(path="", message="must be a mapping (a Pod manifest)")]
    errors = schema_errors(pod, version)
    checker = Checker(version)
    try:
        _check_pod(checker, pod)
    except Exception:  # a bug in a rule must not break the editor on every keystroke
        logger.exception("a Pod validation rule crashed")
    seen = {(error.path, error.message) for error in errors}
    for error in checker.errors:
        if (error.path, error.message) not in seen:
            seen.add((error.path, error.message))
            errors.append(error)
    return errors
