"""Containers, init containers and ephemeral containers (``validateContainers``,
``validateInitContainers``, ``validateEphemeralContainers``, ``validateContainerCommon``).

The API server validates the Pod after defaulting, so values that defaulting fills in
(``imagePullPolicy``, ``terminationMessagePolicy``, a probe's timings, an HTTP probe's path and
scheme, a port's protocol) are never "missing" here, and an empty string counts as unset.
"""

from typing import Any

from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.validation.checker import (
    Checker,
    as_int,
    as_text,
    is_empty,
    is_set,
    one_of,
)
from podstudio.engine.validation.env import check_env, check_env_from
from podstudio.engine.validation.formats import (
    HTTP_HEADER_NAME,
    dns_label_errors,
    go_trim_space,
    port_name_errors,
    port_number_errors,
)
from podstudio.engine.validation.mounts import check_mounts
from podstudio.engine.validation.resources import check_resources, container_resource_name
from podstudio.engine.validation.security import check_container_security_context

PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
PROTOCOLS = ("SCTP", "TCP", "UDP")
HTTP_SCHEMES = ("HTTP", "HTTPS")
RESIZE_RESOURCES = ("cpu", "memory")
RESIZE_POLICIES = ("NotRequired", "RestartContainer")
CONTAINER_RESTART_POLICIES = ("Always", "Never", "OnFailure")
RESTART_RULE_OPERATORS = ("In", "NotIn")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
NOT_FOR_INIT = "may not be set for init containers without restartPolicy=Always"
# allowedEphemeralContainerFields: everything else "cannot be set for an Ephemeral Container".
EPHEMERAL_ALLOWED = frozenset(
    {
        "name",
        "image",
        "command",
        "args",
        "workingDir",
        "env",
        "envFrom",
        "volumeMounts",
        "volumeDevices",
        "terminationMessagePath",
        "terminationMessagePolicy",
        "imagePullPolicy",
        "securityContext",
        "stdin",
        "stdinOnce",
        "tty",
        "targetContainerName",
    }
)


def _check_port_value(c: Checker, value: Any, path: str) -> None:
    """ValidatePortNumOrName: a number 1-65535 or an IANA service name (an empty name too)."""
    number = as_int(value)
    if number is not None:
        c.add_all(path, port_number_errors(number))
    elif isinstance(value, str):
        c.add_all(path, port_name_errors(value) or [])
        if not value:
            c.add(path, "must contain at least one letter (a-z)")
    elif value is None:
        c.add_all(path, port_number_errors(0))


def _check_handler(
    c: Checker, handler: dict, path: str, kinds: tuple[str, ...], grace: int | None
) -> None:
    present = [kind for kind in kinds if is_set(handler, kind)]
    if not present:
        c.add(path, "must specify a handler type")
        return
    for extra in present[1:]:
        c.add(join(path, extra), "may not specify more than 1 handler type")
    kind = present[0]
    action = handler.get(kind)
    if not isinstance(action, dict):
        return
    action_path = join(path, kind)
    if kind == "exec":
        if not as_list(action.get("command")):
            c.required(join(action_path, "command"))
    elif kind == "httpGet":
        _check_port_value(c, action.get("port"), join(action_path, "port"))
        scheme = action.get("scheme")
        if isinstance(scheme, str) and scheme and scheme not in HTTP_SCHEMES:
            c.add(join(action_path, "scheme"), one_of(HTTP_SCHEMES))
        for header in as_list(action.get("httpHeaders")):
            name = as_dict(header).get("name")
            name = name if isinstance(name, str) else ""
            if not HTTP_HEADER_NAME.fullmatch(name):
                c.add(
                    join(action_path, "httpHeaders"),
                    f"header name \"{name}\" must consist of letters, digits or '-'",
                )
    elif kind == "tcpSocket":
        _check_port_value(c, action.get("port"), join(action_path, "port"))
    elif kind == "grpc":
        port = action.get("port")
        port = as_int(port) if port is not None else 0
        if port is not None:
            c.add_all(join(action_path, "port"), port_number_errors(port))
    elif kind == "sleep":
        seconds = action.get("seconds")
        seconds = as_int(seconds) if seconds is not None else 0
        if seconds is not None and grace is not None:
            low = 0 if c.sleep_zero_allowed else 1
            if not low <= seconds <= grace:
                c.add(
                    action_path,
                    "seconds must be non-negative and not more than "
                    f"terminationGracePeriodSeconds ({grace})",
                )


def _check_probe(c: Checker, probe: dict, path: str, kind: str, grace: int | None) -> None:
    _check_handler(c, probe, path, PROBE_HANDLERS, grace)
    for field in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds"):
        c.non_negative(probe, field, path)
    c.non_negative(probe, "successThreshold", path)
    c.non_negative(probe, "failureThreshold", path)
    probe_grace = probe.get("terminationGracePeriodSeconds")
    value = as_int(probe_grace)
    if value is not None and value <= 0:
        c.add(join(path, "terminationGracePeriodSeconds"), "must be greater than 0")
    success = as_int(probe.get("successThreshold"))
    # 0 (or unset) is defaulted to 1 before validation.
    if kind in ("livenessProbe", "startupProbe") and success not in (None, 0, 1):
        c.add(join(path, "successThreshold"), "must be 1")
    if kind == "readinessProbe" and probe_grace is not None:
        c.add(join(path, "terminationGracePeriodSeconds"), "must not be set for readinessProbes")


def _check_probes_and_lifecycle(c: Checker, ctr: dict, path: str, grace: int | None) -> None:
    lifecycle = ctr.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                hook_path = join(join(path, "lifecycle"), hook)
                _check_handler(c, lifecycle[hook], hook_path, LIFECYCLE_HANDLERS, grace)
    for kind in PROBES:
        if isinstance(ctr.get(kind), dict):
            _check_probe(c, ctr[kind], join(path, kind), kind, grace)


def _host_port(port: dict, host_network: bool) -> Any:
    """hostPort as stored: with hostNetwork an unset hostPort is the containerPort."""
    host_port = port.get("hostPort")
    if host_network and (host_port is None or as_int(host_port) == 0):
        return port.get("containerPort")
    return host_port


def _check_ports(c: Checker, ctr: dict, path: str, host_network: bool) -> None:
    names: set[str] = set()
    for index, port in enumerate(as_list(ctr.get("ports"))):
        if not isinstance(port, dict):
            continue
        port_path = join(join(path, "ports"), index)
        name = as_text(port.get("name"))
        if name:
            messages = port_name_errors(name)
            c.add_all(join(port_path, "name"), messages)
            if not messages and name in names:
                c.add(join(port_path, "name"), f'duplicate port name "{name}"')
            names.add(name)
        container_port = port.get("containerPort")
        number = as_int(container_port) if container_port is not None else 0
        if number == 0:
            c.required(join(port_path, "containerPort"))
        elif number is not None:
            c.add_all(join(port_path, "containerPort"), port_number_errors(number))
        host_port = as_int(_host_port(port, host_network))
        if host_port:
            c.add_all(join(port_path, "hostPort"), port_number_errors(host_port))
        protocol = port.get("protocol")
        if isinstance(protocol, str) and protocol and protocol not in PROTOCOLS:
            c.add(join(port_path, "protocol"), one_of(PROTOCOLS))


def check_host_port_conflicts(
    c: Checker, containers: list[tuple[str, dict]], host_network: bool
) -> None:
    """AccumulateUniqueHostPorts: one protocol/hostIP/hostPort per group of containers."""
    seen: set[tuple[Any, Any, int]] = set()
    for path, ctr in containers:
        for index, port in enumerate(as_list(ctr.get("ports"))):
            port = as_dict(port)
            host_port = as_int(_host_port(port, host_network))
            if not host_port:
                continue
            protocol, host_ip = port.get("protocol"), port.get("hostIP")
            key = (
                protocol if isinstance(protocol, str) and protocol else "TCP",
                host_ip if isinstance(host_ip, str) else "",
                host_port,
            )
            if key in seen:
                c.add(
                    f"{path}.ports[{index}].hostPort",
                    f"host port {host_port}/{key[0]} is already used by another container",
                )
            seen.add(key)


def _check_resize_policy(c: Checker, ctr: dict, path: str, pod_restart_policy: str) -> None:
    seen: set[Any] = set()
    policy_path = join(path, "resizePolicy")
    for index, policy in enumerate(as_list(ctr.get("resizePolicy"))):
        policy = as_dict(policy)
        resource = policy.get("resourceName")
        key = "" if resource is None else resource  # Go's zero value for a name not written
        if isinstance(key, str):
            if key in seen:
                c.add(join(policy_path, index), f'duplicate resource "{key}"')
            seen.add(key)
        if is_empty(resource):
            c.required(policy_path)
        elif isinstance(resource, str) and resource not in RESIZE_RESOURCES:
            c.add(policy_path, one_of(RESIZE_RESOURCES))
        restart = policy.get("restartPolicy")
        if is_empty(restart):
            c.required(policy_path)
        elif isinstance(restart, str) and restart not in RESIZE_POLICIES:
            c.add(policy_path, one_of(RESIZE_POLICIES))
        if pod_restart_policy == "Never" and restart != "NotRequired":
            c.add(policy_path, "must be 'NotRequired' when pod `restartPolicy` is 'Never'")


def _check_restart_rules(c: Checker, ctr: dict, path: str) -> None:
    """validateContainerRestartPolicy (ContainerRestartRules, beta and on since 1.35)."""
    policy = ctr.get("restartPolicy")
    rules = as_list(ctr.get("restartPolicyRules"))
    policy_path = join(path, "restartPolicy")
    if policy is None:
        if not rules:
            return
        c.add(policy_path, "must specify restartPolicy when restart rules are used")
    elif isinstance(policy, str) and policy not in CONTAINER_RESTART_POLICIES:
        c.add(policy_path, one_of(CONTAINER_RESTART_POLICIES))
    if len(rules) > 20:
        c.add(join(path, "restartPolicyRules"), "must have at most 20 items")
    actions = ("Restart", "RestartAllContainers")
    if not c.on("RestartAllContainersOnContainerExits"):
        actions = ("Restart",)
    for index, rule in enumerate(rules):
        rule = as_dict(rule)
        rule_path = join(join(path, "restartPolicyRules"), index)
        action = rule.get("action")
        if (isinstance(action, str) or action is None) and action not in actions:
            c.add(join(rule_path, "action"), one_of(actions))
        exit_codes = rule.get("exitCodes")
        if isinstance(exit_codes, dict):
            operator = exit_codes.get("operator")
            if (isinstance(operator, str) or operator is None) and (
                operator not in RESTART_RULE_OPERATORS
            ):
                c.add(
                    join(join(rule_path, "exitCodes"), "operator"), one_of(RESTART_RULE_OPERATORS)
                )
            if len(as_list(exit_codes.get("values"))) > 255:
                c.add(join(join(rule_path, "exitCodes"), "values"), "must have at most 255 items")
        elif exit_codes is None:
            c.add(join(rule_path, "exitCodes"), "must be specified")


def _check_init_restart_policy(c: Checker, ctr: dict, path: str) -> None:
    """validateInitContainerRestartPolicy."""
    policy = ctr.get("restartPolicy")
    if policy is None:
        if as_list(ctr.get("restartPolicyRules")):
            c.add(
                join(path, "restartPolicy"),
                "must specify restartPolicy when restart rules are used",
            )
        return
    if c.on("ContainerRestartRules"):
        if policy != "Always" or c.on("RestartAllContainersOnContainerExits"):
            _check_restart_rules(c, ctr, path)
        elif as_list(ctr.get("restartPolicyRules")):
            c.add(
                join(path, "restartPolicyRules"),
                "restartPolicyRules are not allowed for init containers with restart policy Always",
            )
    elif isinstance(policy, str) and policy != "Always":
        c.add(join(path, "restartPolicy"), one_of(("Always",)))


def _check_container_common(
    c: Checker, ctr: dict, path: str, volumes: dict[str, str], claims: set[str], spec: dict
) -> None:
    name = ctr.get("name")
    if is_empty(name):
        c.required(join(path, "name"))
    elif isinstance(name, str):
        c.add_all(join(path, "name"), dns_label_errors(name))
    if is_empty(ctr.get("image")):
        c.required(join(path, "image"))
    policy = ctr.get("terminationMessagePolicy")
    if isinstance(policy, str) and policy and policy not in TERMINATION_MESSAGE_POLICIES:
        c.add(join(path, "terminationMessagePolicy"), one_of(TERMINATION_MESSAGE_POLICIES))
    host_network = (
        spec.get("hostNetwork") is True
        and c.default_host_ports
        and not path.startswith("spec.ephemeral")
    )
    _check_ports(c, ctr, path, host_network)
    check_env(c, ctr, path)
    check_env_from(c, ctr, path)
    # (the ServiceAccount admission mounts the token in init and regular containers only)
    token = None if path.startswith("spec.ephemeralContainers") else c.token_volume
    check_mounts(c, ctr, path, volumes, token)
    pull = ctr.get("imagePullPolicy")
    if isinstance(pull, str) and pull and pull not in PULL_POLICIES:
        c.add(join(path, "imagePullPolicy"), one_of(PULL_POLICIES))
    resources = ctr.get("resources")
    check_resources(
        c,
        as_dict(resources),
        join(path, "resources"),
        container_resource_name,
        claims,
        defaulted=not path.startswith("spec.ephemeral"),
    )
    pod_restart = spec.get("restartPolicy") if isinstance(spec.get("restartPolicy"), str) else ""
    _check_resize_policy(c, ctr, path, pod_restart or "Always")
    host_users = spec.get("hostUsers") is not False
    check_container_security_context(c, ctr, path, host_users)


def _grace_period(spec: dict, pod: bool) -> int | None:
    """The grace period after defaulting: 30 when unset (SetDefaults_PodSpec); in a Pod, 1 when
    negative (SetDefaults_Pod, which a workload's template does not get)."""
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is None:
        return 30
    grace = as_int(grace)
    return None if grace is None else max(grace, 1) if grace < 0 and pod else grace


def check_containers(c: Checker, spec: dict, volumes: dict[str, str], claims: set[str]) -> None:
    grace = _grace_period(spec, c.pod_defaults)
    raw = spec.get("containers")
    containers = [
        (f"spec.containers[{i}]", ctr if isinstance(ctr, dict) else {})
        for i, ctr in enumerate(as_list(raw))
        if isinstance(ctr, dict) or ctr is None
    ]
    if not as_list(raw) and (raw is None or isinstance(raw, list)):
        c.required("spec.containers")
    names: set[str] = set()
    for path, ctr in containers:
        _check_container_common(c, ctr, path, volumes, claims, spec)
        name = ctr.get("name")
        name = name if isinstance(name, str) else ""
        if name in names:
            c.add(join(path, "name"), f'duplicate container name "{name}"')
        names.add(name)
        _check_probes_and_lifecycle(c, ctr, path, grace)
        if c.on("ContainerRestartRules"):
            _check_restart_rules(c, ctr, path)
        elif is_set(ctr, "restartPolicy") and c.sidecars:
            c.add(join(path, "restartPolicy"), "may not be set for non-init containers")
    check_host_port_conflicts(
        c, containers, spec.get("hostNetwork") is True and c.default_host_ports
    )
    _check_init_containers(c, spec, volumes, claims, names, grace)
    _check_ephemeral_containers(c, spec, volumes, claims, names)
    for path, ctr in containers:
        if isinstance(ctr.get("image"), str) and ctr["image"] != go_trim_space(ctr["image"]):
            c.add(join(path, "image"), "must not have leading or trailing whitespace")
    if spec.get("hostNetwork") is True:
        for path, ctr in containers:
            for index, port in enumerate(as_list(ctr.get("ports"))):
                port = as_dict(port)
                host_port, container_port = port.get("hostPort"), port.get("containerPort")
                if host_port is None or as_int(host_port) == 0:
                    continue  # defaulted to the containerPort
                if as_int(host_port) is not None and as_int(host_port) != as_int(container_port):
                    c.add(
                        f"{path}.ports[{index}].hostPort",
                        "must match `containerPort` when `hostNetwork` is true",
                    )


def _go_zero(field: str, value: Any) -> bool:
    """Whether a field the ephemeral allow list leaves out holds Go's zero value once decoded
    (validateFieldAllowList): every such field is a pointer or a slice, so even ``{}``, ``[]``
    or ``""`` is set, except ``resources``, a struct that is zero while its lists are absent."""
    if value is None:
        return True
    if field == "resources" and isinstance(value, dict):
        return all(item is None for item in value.values())
    return False


def _check_init_containers(
    c: Checker,
    spec: dict,
    volumes: dict[str, str],
    claims: set[str],
    names: set[str],
    grace: int | None,
) -> None:
    for index, ctr in enumerate(as_list(spec.get("initContainers"))):
        if not isinstance(ctr, dict):
            if ctr is not None:
                continue
            ctr = {}
        path = f"spec.initContainers[{index}]"
        _check_container_common(c, ctr, path, volumes, claims, spec)
        if isinstance(ctr.get("image"), str) and ctr["image"] != go_trim_space(ctr["image"]):
            c.add(join(path, "image"), "must not have leading or trailing whitespace")
        _check_init_restart_policy(c, ctr, path)
        sidecar = ctr.get("restartPolicy") == "Always"
        name = ctr.get("name")
        name = name if isinstance(name, str) else ""
        if name in names:
            c.add(join(path, "name"), f'duplicate container name "{name}"')
        elif name:
            names.add(name)
        # Each init container runs alone; upstream reports its conflicts at index 0.
        check_host_port_conflicts(
            c,
            [("spec.initContainers[0]", ctr)],
            spec.get("hostNetwork") is True and c.default_host_ports,
        )
        if sidecar:
            _check_probes_and_lifecycle(c, ctr, path, grace)
        else:
            for field in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if is_set(ctr, field):
                    c.add(join(path, field), NOT_FOR_INIT)
            for position, policy in enumerate(as_list(ctr.get("resizePolicy"))):
                if as_dict(policy).get("restartPolicy") == "RestartContainer":
                    c.add(
                        f"{path}.resizePolicy[{position}].restartPolicy",
                        "must not be set to 'RestartContainer' for non-sidecar initContainers",
                    )


def _check_ephemeral_containers(
    c: Checker, spec: dict, volumes: dict[str, str], claims: set[str], names: set[str]
) -> None:
    ephemeral = as_list(spec.get("ephemeralContainers"))
    if not ephemeral:
        return
    c.add("spec.ephemeralContainers", "cannot be set on create")
    others = set(names)
    for index, ctr in enumerate(ephemeral):
        if not isinstance(ctr, dict):
            continue
        path = f"spec.ephemeralContainers[{index}]"
        _check_container_common(c, ctr, path, volumes, claims, spec)
        if isinstance(ctr.get("image"), str) and ctr["image"] != go_trim_space(ctr["image"]):
            c.add(join(path, "image"), "must not have leading or trailing whitespace")
        name = ctr.get("name") if isinstance(ctr.get("name"), str) else ""
        if name in names:
            c.add(join(path, "name"), f'duplicate container name "{name}"')
        else:
            names.add(name)
        target = as_text(ctr.get("targetContainerName"))
        if target and target not in others:
            c.add(join(path, "targetContainerName"), f'no container named "{target}"')
        for field, value in ctr.items():
            if field not in EPHEMERAL_ALLOWED and not _go_zero(field, value):
                c.add(join(path, field), "cannot be set for an Ephemeral Container")
        for position, mount in enumerate(as_list(ctr.get("volumeMounts"))):
            for key in ("subPath", "subPathExpr"):
                if as_text(as_dict(mount).get(key)):
                    c.add(
                        f"{path}.volumeMounts[{position}].{key}",
                        "cannot be set for an Ephemeral Container",
                    )
