"""Containers and init containers (``validateContainers``,
``validateInitContainers``, ``validateContainerCommon``)."""

import re
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
from podstudio.engine.validation.formats import (
    HTTP_HEADER_NAME,
    MAX_INT32,
    config_map_key_errors,
    dns_label_errors,
    dns_subdomain_errors,
    env_var_name_errors,
    port_name_errors,
    port_number_errors,
    qualified_name_errors,
)
from podstudio.engine.validation.resources import (
    check_resources,
    container_resource_name,
)
from podstudio.engine.validation.volumes import (
    relative_path_errors,
)

PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
PROTOCOLS = ("TCP", "UDP", "SCTP")
MOUNT_PROPAGATIONS = ("None", "HostToContainer", "Bidirectional")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
HTTP_SCHEMES = ("HTTP", "HTTPS")
PROC_MOUNTS = ("Default", "Unmasked")
SECCOMP_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
APPARMOR_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
RESIZE_RESOURCES = ("cpu", "memory")
RESIZE_POLICIES = ("NotRequired", "RestartContainer")
ENV_FIELD_PATHS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
)
ENV_RESOURCE_FIELDS = (
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
)
NOT_FOR_INIT = "may not be set for init containers without restartPolicy=Always"


def _check_port_value(c: Checker, value: Any, path: str) -> None:
    """ValidatePortNumOrName: a number 1-65535 or an IANA service name."""
    number = as_int(value)
    if number is not None:
        c.add_all(path, port_number_errors(number))
    elif isinstance(value, str):
        c.add_all(path, port_name_errors(value))


def _check_handler(
    c: Checker, handler: dict, path: str, kinds: tuple[str, ...], grace: int | None
) -> None:
    present = [kind for kind in kinds if is_set(handler, kind)]
    if not present:
        c.add(path, "must specify a handler type (" + ", ".join(kinds) + ")")
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
        c.enum(action, "scheme", action_path, HTTP_SCHEMES)
        for header in as_list(action.get("httpHeaders")):
            header_name = as_text(as_dict(header).get("name"))
            if header_name is not None and not HTTP_HEADER_NAME.fullmatch(header_name):
                c.add(
                    join(action_path, "httpHeaders"),
                    f"header name \"{header_name}\" must consist of letters, digits or '-'",
                )
    elif kind == "tcpSocket":
        _check_port_value(c, action.get("port"), join(action_path, "port"))
    elif kind == "grpc":
        port = as_int(action.get("port"))
        if port is not None:
            c.add_all(join(action_path, "port"), port_number_errors(port))
    elif kind == "sleep":
        seconds = as_int(action.get("seconds"))
        if seconds is not None and grace is not None:
            if c.sleep_zero_allowed and not 0 <= seconds <= grace:
                c.add(
                    action_path,
                    "seconds must be non-negative and not more than "
                    f"terminationGracePeriodSeconds ({grace})",
                )
            elif not c.sleep_zero_allowed and not 0 < seconds <= grace:
                c.add(
                    action_path,
                    "seconds must be greater than 0 and not more than "
                    f"terminationGracePeriodSeconds ({grace})",
                )


def _check_probe(c: Checker, probe: dict, path: str, kind: str, grace: int | None) -> None:
    _check_handler(c, probe, path, PROBE_HANDLERS, grace)
    for field in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        c.non_negative(probe, field, path)
    success = as_int(probe.get("successThreshold"))
    # 0 is defaulted to 1 before validation.
    if kind in ("livenessProbe", "startupProbe") and success not in (None, 0, 1):
        c.add(join(path, "successThreshold"), "must be 1")
    probe_grace = as_int(probe.get("terminationGracePeriodSeconds"))
    if kind == "readinessProbe" and is_set(probe, "terminationGracePeriodSeconds"):
        c.add(join(path, "terminationGracePeriodSeconds"), "must not be set for readinessProbes")
    elif probe_grace is not None and probe_grace <= 0:
        c.add(join(path, "terminationGracePeriodSeconds"), "must be greater than 0")


def _check_probes_and_lifecycle(c: Checker, ctr: dict, path: str, grace: int | None) -> None:
    lifecycle = ctr.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                hook_path = join(join(path, "lifecycle"), hook)
                _check_handler(c, lifecycle[hook], hook_path, LIFECYCLE_HANDLERS, grace)
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(ctr.get(kind), dict):
            _check_probe(c, ctr[kind], join(path, kind), kind, grace)


def _check_ports(c: Checker, ctr: dict, path: str) -> None:
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
        container_port = as_int(port.get("containerPort"))
        if container_port is not None:
            c.add_all(join(port_path, "containerPort"), port_number_errors(container_port))
        host_port = as_int(port.get("hostPort"))
        if host_port:
            c.add_all(join(port_path, "hostPort"), port_number_errors(host_port))
        c.enum(port, "protocol", port_path, PROTOCOLS)


def _check_host_port_conflicts(c: Checker, containers: list[tuple[str, dict]]) -> None:
    """AccumulateUniqueHostPorts: one protocol/hostIP/hostPort per group of containers."""
    seen: set[tuple[Any, Any, int]] = set()
    for path, ctr in containers:
        for index, port in enumerate(as_list(ctr.get("ports"))):
            port = as_dict(port)
            host_port = as_int(port.get("hostPort"))
            if not host_port:
                continue
            key = (port.get("protocol") or "TCP", port.get("hostIP") or "", host_port)
            if key in seen:
                c.add(
                    f"{path}.ports[{index}].hostPort",
                    f"host port {host_port}/{key[0]} is already used by another container",
                )
            seen.add(key)


def _check_env(c: Checker, ctr: dict, path: str) -> None:
    for index, var in enumerate(as_list(ctr.get("env"))):
        if not isinstance(var, dict):
            continue
        var_path = join(join(path, "env"), index)
        name = as_text(var.get("name"))
        if name:
            c.add_all(join(var_path, "name"), env_var_name_errors(name, c.relaxed_env_names))
        elif is_empty(var.get("name")):
            c.required(join(var_path, "name"))
        value_from = var.get("valueFrom")
        if not isinstance(value_from, dict):
            continue
        from_path = join(var_path, "valueFrom")
        sources = [
            key
            for key in (
                "fieldRef",
                "resourceFieldRef",
                "configMapKeyRef",
                "secretKeyRef",
                "fileKeyRef",
            )
            if is_set(value_from, key)
        ]
        if not sources:
            c.add(
                from_path,
                "must specify one of: fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef",
            )
        elif as_text(var.get("value")):
            c.add(from_path, "may not be specified when `value` is not empty")
        elif len(sources) > 1:
            c.add(from_path, "may not have more than one field specified at a time")
        for source in sources:
            _check_env_source(c, source, as_dict(value_from.get(source)), join(from_path, source))


def _check_env_source(c: Checker, kind: str, source: dict, path: str) -> None:
    if kind in ("configMapKeyRef", "secretKeyRef"):
        name = as_text(source.get("name"))
        if is_empty(source.get("name")):
            c.required(join(path, "name"))
        elif name:
            c.add_all(join(path, "name"), dns_subdomain_errors(name))
        key = as_text(source.get("key"))
        if is_empty(source.get("key")):
            c.required(join(path, "key"))
        elif key:
            c.add_all(join(path, "key"), config_map_key_errors(key))
    elif kind == "fieldRef":
        field_path = as_text(source.get("fieldPath"))
        if is_empty(source.get("fieldPath")):
            c.required(join(path, "fieldPath"))
        if not field_path:
            return
        subscript = re.fullmatch(r"metadata\.(labels|annotations)\['(.*)'\]", field_path)
        if subscript:
            key = subscript.group(2)
            key = key.lower() if subscript.group(1) == "annotations" else key
            c.add_all(path, qualified_name_errors(key))
        elif field_path not in ENV_FIELD_PATHS:
            c.add(join(path, "fieldPath"), one_of(ENV_FIELD_PATHS))
    elif kind == "resourceFieldRef":
        resource = as_text(source.get("resource"))
        if is_empty(source.get("resource")):
            c.required(join(path, "resource"))
        elif (
            resource
            and resource not in ENV_RESOURCE_FIELDS
            and not resource.startswith(("limits.hugepages-", "requests.hugepages-"))
        ):
            c.add(join(path, "resource"), one_of(ENV_RESOURCE_FIELDS))


def _check_env_from(c: Checker, ctr: dict, path: str) -> None:
    for index, source in enumerate(as_list(ctr.get("envFrom"))):
        if not isinstance(source, dict):
            continue
        source_path = join(join(path, "envFrom"), index)
        prefix = as_text(source.get("prefix"))
        if prefix:
            c.add_all(join(source_path, "prefix"), env_var_name_errors(prefix, c.relaxed_env_names))
        kinds = [kind for kind in ("configMapRef", "secretRef") if is_set(source, kind)]
        if not kinds:
            c.add(source_path, "must specify one of: configMapRef or secretRef")
        elif len(kinds) > 1:
            c.add(source_path, "may not have more than one field specified at a time")
        for kind in kinds:
            ref = as_dict(source.get(kind))
            name = as_text(ref.get("name"))
            if is_empty(ref.get("name")):
                c.required(join(join(source_path, kind), "name"))
            elif name:
                c.add_all(join(join(source_path, kind), "name"), dns_subdomain_errors(name))


def _check_volume_mounts(c: Checker, ctr: dict, path: str, volumes: set[str]) -> None:
    mount_paths: set[str] = set()
    privileged = as_dict(ctr.get("securityContext")).get("privileged") is True
    for index, mount in enumerate(as_list(ctr.get("volumeMounts"))):
        if not isinstance(mount, dict):
            continue
        mount_path = join(join(path, "volumeMounts"), index)
        name = as_text(mount.get("name"))
        if is_empty(mount.get("name")):
            if is_empty(mount.get("name")):
                c.required(join(mount_path, "name"))
        elif name and name not in volumes:
            c.add(join(mount_path, "name"), f'no volume named "{name}" in spec.volumes')
        target = as_text(mount.get("mountPath"))
        if is_empty(mount.get("mountPath")):
            if is_empty(mount.get("mountPath")):
                c.required(join(mount_path, "mountPath"))
        elif target and target in mount_paths:
            c.add(join(mount_path, "mountPath"), "must be unique")
        if target:
            mount_paths.add(target)
        sub_path = as_text(mount.get("subPath"))
        if sub_path:
            c.add_all(join(mount_path, "subPath"), relative_path_errors(sub_path))
        expression = as_text(mount.get("subPathExpr"))
        if expression:
            if sub_path:
                c.add(
                    join(mount_path, "subPathExpr"),
                    "subPathExpr and subPath are mutually exclusive",
                )
            c.add_all(join(mount_path, "subPathExpr"), relative_path_errors(expression))
        propagation = as_text(mount.get("mountPropagation"))
        if propagation is not None:
            if propagation not in MOUNT_PROPAGATIONS:
                c.add(join(mount_path, "mountPropagation"), one_of(MOUNT_PROPAGATIONS))
            elif propagation == "Bidirectional" and not privileged:
                c.add(
                    join(mount_path, "mountPropagation"),
                    "Bidirectional mount propagation is available only to privileged containers",
                )


def _check_security_context(c: Checker, ctr: dict, path: str, host_users: bool) -> None:
    context = ctr.get("securityContext")
    if not isinstance(context, dict):
        return
    context_path = join(path, "securityContext")
    c.int_range(context, "runAsUser", context_path, 0, MAX_INT32)
    c.int_range(context, "runAsGroup", context_path, 0, MAX_INT32)
    proc_mount = as_text(context.get("procMount"))
    if proc_mount is not None:
        if proc_mount not in PROC_MOUNTS:
            c.add(join(context_path, "procMount"), one_of(PROC_MOUNTS))
        elif proc_mount == "Unmasked" and host_users:
            c.add(join(context_path, "procMount"), "`hostUsers` must be false to use `Unmasked`")
    check_profile(c, context, "seccompProfile", context_path, SECCOMP_TYPES)
    check_profile(c, context, "appArmorProfile", context_path, APPARMOR_TYPES)
    if context.get("allowPrivilegeEscalation") is False:
        if context.get("privileged") is True:
            c.add(
                context_path,
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            )
        added = as_list(as_dict(context.get("capabilities")).get("add"))
        if "CAP_SYS_ADMIN" in added:
            c.add(
                context_path,
                "cannot set `allowPrivilegeEscalation` to false and add CAP_SYS_ADMIN",
            )


def check_profile(c: Checker, context: dict, key: str, path: str, types: tuple[str, ...]) -> None:
    """seccompProfile and appArmorProfile: a known type; localhostProfile only for Localhost."""
    profile = context.get(key)
    if not isinstance(profile, dict):
        return
    profile_path = join(path, key)
    kind = as_text(profile.get("type"))
    if is_empty(profile.get("type")):
        c.required(join(profile_path, "type"))
    elif kind and kind not in types:
        c.add(join(profile_path, "type"), one_of(types))
    localhost = profile.get("localhostProfile")
    if kind == "Localhost":
        if not as_text(localhost):
            c.add(join(profile_path, "localhostProfile"), "must be set when type is Localhost")
        elif key == "seccompProfile":
            c.add_all(join(profile_path, "localhostProfile"), relative_path_errors(localhost))
    elif kind in types and localhost is not None:
        c.add(join(profile_path, "localhostProfile"), "can only be set when type is Localhost")


def _check_resize_policy(c: Checker, ctr: dict, path: str) -> None:
    seen: set[str] = set()
    policy_path = join(path, "resizePolicy")
    for index, policy in enumerate(as_list(ctr.get("resizePolicy"))):
        policy = as_dict(policy)
        resource = as_text(policy.get("resourceName"))
        if resource in seen:
            c.add(join(policy_path, index), f'duplicate resource "{resource}"')
        if resource:
            seen.add(resource)
        c.enum(policy, "resourceName", join(policy_path, index), RESIZE_RESOURCES)
        c.enum(policy, "restartPolicy", join(policy_path, index), RESIZE_POLICIES)


def _check_container_common(
    c: Checker, ctr: dict, path: str, volumes: set[str], host_users: bool
) -> None:
    name = as_text(ctr.get("name"))
    if name:
        c.add_all(join(path, "name"), dns_label_errors(name))
    elif is_empty(ctr.get("name")):
        c.required(join(path, "name"))
    image = ctr.get("image")
    if image is None or image == "":
        c.required(join(path, "image"))
    elif isinstance(image, str) and image != image.strip():
        c.add(join(path, "image"), "must not have leading or trailing whitespace")
    c.enum(ctr, "terminationMessagePolicy", path, TERMINATION_MESSAGE_POLICIES)
    c.enum(ctr, "imagePullPolicy", path, PULL_POLICIES)
    _check_ports(c, ctr, path)
    _check_env(c, ctr, path)
    _check_env_from(c, ctr, path)
    _check_volume_mounts(c, ctr, path, volumes)
    if isinstance(ctr.get("resources"), dict):
        check_resources(c, ctr["resources"], join(path, "resources"), container_resource_name)
    _check_resize_policy(c, ctr, path)
    _check_security_context(c, ctr, path, host_users)


def check_containers(c: Checker, spec: dict, volumes: set[str]) -> None:
    grace = as_int(spec.get("terminationGracePeriodSeconds"))
    grace = 30 if grace is None else grace
    host_users = spec.get("hostUsers") is not False

    containers = [
        (f"spec.containers[{i}]", ctr)
        for i, ctr in enumerate(as_list(spec.get("containers")))
        if isinstance(ctr, dict)
    ]
    if spec.get("containers") == []:
        c.add("spec.containers", "must have at least one container")
    names: set[str] = set()
    for path, ctr in containers:
        _check_container_common(c, ctr, path, volumes, host_users)
        name = as_text(ctr.get("name"))
        if name and name in names:
            c.add(join(path, "name"), f'duplicate container name "{name}"')
        if name:
            names.add(name)
        _check_probes_and_lifecycle(c, ctr, path, grace)
        if is_set(ctr, "restartPolicy") and c.sidecars:
            c.add(join(path, "restartPolicy"), "may not be set for non-init containers")
    _check_host_port_conflicts(c, containers)

    for index, ctr in enumerate(as_list(spec.get("initContainers"))):
        if not isinstance(ctr, dict):
            continue
        path = f"spec.initContainers[{index}]"
        _check_container_common(c, ctr, path, volumes, host_users)
        name = as_text(ctr.get("name"))
        if name and name in names:
            c.add(join(path, "name"), f'duplicate container name "{name}"')
        if name:
            names.add(name)
        sidecar = False
        if c.sidecars and is_set(ctr, "restartPolicy"):
            c.enum(ctr, "restartPolicy", path, ("Always",))
            sidecar = ctr.get("restartPolicy") == "Always"
        _check_host_port_conflicts(c, [(path, ctr)])
        if sidecar:
            _check_probes_and_lifecycle(c, ctr, path, grace)
        else:
            for field in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if is_set(ctr, field):
                    c.add(join(path, field), NOT_FOR_INIT)

    ephemeral = as_list(spec.get("ephemeralContainers"))
    if ephemeral:
        c.add("spec.ephemeralContainers", "cannot be set on create")
    for index, ctr in enumerate(ephemeral):
        name = as_text(as_dict(ctr).get("name"))
        if name and name in names:
            c.add(f"spec.ephemeralContainers[{index}].name", f'duplicate container name "{name}"')
        if name:
            names.add(name)

    if spec.get("hostNetwork") is True:
        for path, ctr in containers:
            for index, port in enumerate(as_list(ctr.get("ports"))):
                port = as_dict(port)
                host_port = as_int(port.get("hostPort"))
                container_port = as_int(port.get("containerPort"))
                if host_port is not None and host_port != container_port:
                    c.add(
                        f"{path}.ports[{index}].hostPort",
                        "must match `containerPort` when `hostNetwork` is true",
                    )
