"""Security contexts, Windows options and the OS of a Pod (``ValidateSecurityContext``,
``validatePodSpecSecurityContext``, ``validateWindowsSecurityContextOptions``,
``validateWindowsHostProcessPod``, ``validateHostUsers``, ``validateOS``, ``validateLinux``,
``validateWindows``)."""

from typing import Any

from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.validation.checker import Checker, as_int, as_text, is_empty, one_of
from podstudio.engine.validation.files import check_local_descending_path
from podstudio.engine.validation.formats import (
    SYSCTL_NAME,
    dns_subdomain_errors,
    go_len,
    go_trim_space,
    id_errors,
)

PROFILE_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
PROC_MOUNTS = ("Default", "Unmasked")
FS_GROUP_CHANGE_POLICIES = ("Always", "OnRootMismatch")
SUPPLEMENTAL_GROUPS_POLICIES = ("Merge", "Strict")
SELINUX_CHANGE_POLICIES = ("MountOption", "Recursive")
OPERATING_SYSTEMS = ("linux", "windows")
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")

_CONTROL = compile_lazily(r"[\x00-\x1f\x7f]")
_NETBIOS = compile_lazily(r'^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$')
_DNS_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_WINDOWS_DOMAIN = compile_lazily(rf"^{_DNS_LABEL}(?:\.{_DNS_LABEL})*$")
_BAD_USER_CHARS = compile_lazily(r'["/\\:;|=,+*?<>@\[\]]')
_DOTS_OR_SPACES = compile_lazily(r"^[. ]+$")


def _check_id(c: Checker, data: dict, key: str, path: str) -> None:
    value = as_int(data.get(key))
    if value is not None:
        c.add_all(join(path, key), id_errors(value))


def check_seccomp_profile(c: Checker, context: dict, path: str) -> None:
    """validateSeccompProfileField."""
    profile = context.get("seccompProfile")
    if not isinstance(profile, dict):
        return
    profile_path = join(path, "seccompProfile")
    kind = profile.get("type")
    if is_empty(kind):
        c.add(join(profile_path, "type"), "type is required when seccompProfile is set")
    elif isinstance(kind, str) and kind not in PROFILE_TYPES:
        c.add(join(profile_path, "type"), one_of(PROFILE_TYPES))
    localhost = profile.get("localhostProfile")
    if kind == "Localhost":
        if localhost is None:
            c.add(
                join(profile_path, "localhostProfile"), "must be set when seccomp type is Localhost"
            )
        elif isinstance(localhost, str):
            check_local_descending_path(c, localhost, join(profile_path, "localhostProfile"))
    elif localhost is not None:
        c.add(
            join(profile_path, "localhostProfile"), "can only be set when seccomp type is Localhost"
        )


def check_apparmor_profile(c: Checker, context: dict, path: str) -> None:
    """ValidateAppArmorProfileField."""
    profile = context.get("appArmorProfile")
    if not isinstance(profile, dict):
        return
    profile_path = join(path, "appArmorProfile")
    kind = profile.get("type")
    localhost = profile.get("localhostProfile")
    localhost_path = join(profile_path, "localhostProfile")
    if kind == "Localhost":
        if localhost is None:
            c.add(localhost_path, "must be set when AppArmor type is Localhost")
        elif isinstance(localhost, str):
            if go_trim_space(localhost) != localhost:
                c.add(localhost_path, "must not be padded with whitespace")
            elif not localhost:
                c.add(localhost_path, "must be set when AppArmor type is Localhost")
            if go_len(localhost) > 4095:
                c.add(localhost_path, "must be no more than 4095 bytes")
    elif kind in ("RuntimeDefault", "Unconfined"):
        if localhost is not None:
            c.add(localhost_path, "can only be set when AppArmor type is Localhost")
    elif is_empty(kind):
        c.add(join(profile_path, "type"), "type is required when appArmorProfile is set")
    elif isinstance(kind, str):
        c.add(join(profile_path, "type"), one_of(PROFILE_TYPES))


def check_windows_options(c: Checker, context: dict, path: str) -> None:
    """validateWindowsSecurityContextOptions."""
    options = context.get("windowsOptions")
    if not isinstance(options, dict):
        return
    path = join(path, "windowsOptions")
    spec_name = options.get("gmsaCredentialSpecName")
    if isinstance(spec_name, str):
        c.add_all(join(path, "gmsaCredentialSpecName"), dns_subdomain_errors(spec_name))
    credential_spec = options.get("gmsaCredentialSpec")
    if isinstance(credential_spec, str):
        if not credential_spec:
            c.add(join(path, "gmsaCredentialSpec"), "gmsaCredentialSpec cannot be an empty string")
        elif go_len(credential_spec) > 64 * 1024:
            c.add(join(path, "gmsaCredentialSpec"), "gmsaCredentialSpec size must be under 64 KiB")
    user_name = options.get("runAsUserName")
    if isinstance(user_name, str):
        for message in _run_as_user_name_errors(user_name):
            c.add(join(path, "runAsUserName"), message)


def _run_as_user_name_errors(value: str) -> list[str]:
    if not value:
        return ["runAsUserName cannot be an empty string"]
    if _CONTROL.search(value):
        return ["runAsUserName cannot contain control characters"]
    parts = value.split("\\")
    if len(parts) > 2:
        return ["runAsUserName cannot contain more than one backslash"]
    domain, user = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    errors = []
    if go_len(domain) >= 256:
        errors.append("runAsUserName's Domain length must be under 256 characters")
    if len(parts) == 2 and not (_NETBIOS.match(domain) or _WINDOWS_DOMAIN.match(domain)):
        errors.append("runAsUserName's Domain doesn't match the NetBios nor the DNS format")
    if not user:
        errors.append("runAsUserName's User cannot be empty")
    elif go_len(user) > 104:
        errors.append("runAsUserName's User length must not be longer than 104 characters")
    if _DOTS_OR_SPACES.match(user):
        errors.append("runAsUserName's User cannot contain only periods or spaces")
    if _BAD_USER_CHARS.search(user):
        errors.append(
            "runAsUserName's User cannot contain the following characters: \"/\\:;|=,+*?<>@[]"
        )
    return errors


def check_container_security_context(c: Checker, ctr: dict, path: str, host_users: bool) -> None:
    """ValidateSecurityContext."""
    context = ctr.get("securityContext")
    if not isinstance(context, dict):
        return
    path = join(path, "securityContext")
    _check_id(c, context, "runAsUser", path)
    _check_id(c, context, "runAsGroup", path)
    proc_mount = context.get("procMount")
    if isinstance(proc_mount, str):
        if proc_mount not in PROC_MOUNTS:
            c.add(join(path, "procMount"), one_of(PROC_MOUNTS))
        if host_users and proc_mount == "Unmasked":
            c.add(join(path, "procMount"), "`hostUsers` must be false to use `Unmasked`")
    check_seccomp_profile(c, context, path)
    if context.get("allowPrivilegeEscalation") is False:
        if context.get("privileged") is True:
            c.add(path, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true")
        added = as_list(as_dict(context.get("capabilities")).get("add"))
        for capability in added:
            if capability == "CAP_SYS_ADMIN":
                c.add(
                    path,
                    "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` "
                    "CAP_SYS_ADMIN",
                )
    check_windows_options(c, context, path)
    check_apparmor_profile(c, context, path)


def check_pod_security_context(c: Checker, spec: dict) -> None:
    """validatePodSpecSecurityContext (and the host namespaces kept beside it)."""
    share = spec.get("shareProcessNamespace")
    if share is True and spec.get("hostPID") is True:
        c.add(
            "spec.shareProcessNamespace", "ShareProcessNamespace and HostPID cannot both be enabled"
        )
    context = spec.get("securityContext")
    if not isinstance(context, dict):
        return
    path = "spec.securityContext"
    for key in ("fsGroup", "runAsUser", "runAsGroup"):
        _check_id(c, context, key, path)
    for index, group in enumerate(as_list(context.get("supplementalGroups"))):
        group = as_int(group)
        if group is not None:
            c.add_all(f"{path}.supplementalGroups[{index}]", id_errors(group))
    _check_sysctls(c, context, spec, join(path, "sysctls"))
    c.enum(context, "fsGroupChangePolicy", path, FS_GROUP_CHANGE_POLICIES)
    check_seccomp_profile(c, context, path)
    check_windows_options(c, context, path)
    check_apparmor_profile(c, context, path)
    c.enum(context, "supplementalGroupsPolicy", path, SUPPLEMENTAL_GROUPS_POLICIES)
    change = context.get("seLinuxChangePolicy")
    if isinstance(change, str):
        # SELinuxMount (GA in 1.37) allows every policy; before it only Recursive.
        allowed = SELINUX_CHANGE_POLICIES if c.on("SELinuxMount") else ("Recursive",)
        if change not in allowed:
            c.add(join(path, "seLinuxChangePolicy"), one_of(allowed))


def _check_sysctls(c: Checker, context: dict, spec: dict, path: str) -> None:
    seen: set[str] = set()
    for index, sysctl in enumerate(as_list(context.get("sysctls"))):
        name = as_dict(sysctl).get("name")
        if not isinstance(name, str) and name is not None:
            continue
        name = name or ""
        name_path = f"{path}[{index}].name"
        if not name:
            c.required(name_path)
        elif len(name) > 253 or not SYSCTL_NAME.fullmatch(name):
            c.add(name_path, "must be a sysctl name such as net.ipv4.ip_forward")
        elif name in seen:
            c.add(name_path, f'duplicate sysctl "{name}"')
        namespace = _sysctl_namespace(name)
        if spec.get("hostNetwork") is True and namespace == "net":
            c.add(name_path, "may not be specified when 'hostNetwork' is true")
        elif spec.get("hostIPC") is True and namespace == "ipc":
            c.add(name_path, "may not be specified when 'hostIPC' is true")
        seen.add(name)


_IPC_SYSCTLS = frozenset(
    {
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
        "kernel.shm",
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.msg",
    }
)


def _sysctl_namespace(name: str) -> str:
    """sysctl.GetNamespace: which namespace a sysctl belongs to ("" for none known)."""
    separator = next((i for i, char in enumerate(name) if char in "./"), -1)
    if separator != -1 and name[separator] == "/":
        name = name.translate(str.maketrans("./", "/."))  # net/ipv4/... written with slashes
    name = name.split("*", 1)[0]
    if name in _IPC_SYSCTLS or name.startswith("fs.mqueue."):
        return "ipc"
    return "net" if name.startswith("net.") else ""


def _containers(spec: dict) -> list[tuple[str, dict]]:
    return [
        (f"spec.{field}[{index}]", ctr)
        for field in CONTAINER_LISTS
        for index, ctr in enumerate(as_list(spec.get(field)))
        if isinstance(ctr, dict)
    ]


def check_windows_host_process(c: Checker, spec: dict) -> None:
    """validateWindowsHostProcessPod."""
    pod_value = as_dict(as_dict(spec.get("securityContext")).get("windowsOptions")).get(
        "hostProcess"
    )
    pod_value = pod_value if isinstance(pod_value, bool) else None
    count = host_process = 0
    for path, ctr in _containers(spec):
        count += 1
        value = as_dict(as_dict(ctr.get("securityContext")).get("windowsOptions")).get(
            "hostProcess"
        )
        value = value if isinstance(value, bool) else None
        if pod_value is not None and value is not None and pod_value != value:
            c.add(
                f"{path}.securityContext.windowsOptions.hostProcess",
                "pod hostProcess value must be identical if both are specified, "
                f"was {str(pod_value).lower()}",
            )
        if value is True or (value is None and pod_value is True):
            host_process += 1
    if host_process:
        if host_process != count:
            c.add(
                "spec",
                "If pod contains any hostProcess containers then all containers must be "
                "HostProcess containers",
            )
        if spec.get("hostNetwork") is not True:
            c.add(
                "spec.hostNetwork",
                "hostNetwork must be true if pod contains any hostProcess containers",
            )


def check_host_users(c: Checker, spec: dict) -> None:
    """validateHostUsers: a Pod in a user namespace shares no host namespace."""
    if spec.get("hostUsers") is not False:
        return
    if spec.get("hostNetwork") is True and not c.on("UserNamespacesHostNetworkSupport"):
        c.add("spec.hostNetwork", "when `hostUsers` is false")
    # Upstream names these two fields with a capital letter.
    if spec.get("hostPID") is True:
        c.add("spec.HostPID", "when `hostUsers` is false")
    if spec.get("hostIPC") is True:
        c.add("spec.HostIPC", "when `hostUsers` is false")
    for path, ctr in _containers(spec):
        if as_list(ctr.get("volumeDevices")):
            c.add(join(path, "volumeDevices"), "when `hostUsers` is false")


_WINDOWS_POD_FIELDS = (
    "appArmorProfile",
    "seLinuxOptions",
    "seccompProfile",
    "fsGroup",
    "fsGroupChangePolicy",
    "sysctls",
    "runAsUser",
    "runAsGroup",
    "supplementalGroups",
    "supplementalGroupsPolicy",
    "seLinuxChangePolicy",
)
_WINDOWS_CONTAINER_FIELDS = (
    "appArmorProfile",
    "seLinuxOptions",
    "seccompProfile",
    "capabilities",
    "readOnlyRootFilesystem",
    "privileged",
    "allowPrivilegeEscalation",
    "procMount",
    "runAsUser",
    "runAsGroup",
)


def check_os(c: Checker, spec: dict) -> None:
    """validateOS, then validateLinux or validateWindows."""
    os_spec = spec.get("os")
    if not isinstance(os_spec, dict):
        return
    name = os_spec.get("name")
    if is_empty(name):
        c.required("spec.os.name")
        return
    if not isinstance(name, str):
        return
    if name not in OPERATING_SYSTEMS:
        c.add("spec.os", one_of(OPERATING_SYSTEMS))
        return
    context = as_dict(spec.get("securityContext"))
    if name == "linux":
        if context.get("windowsOptions") is not None:
            c.add(
                "spec.securityContext.windowsOptions",
                "windows options cannot be set for a linux pod",
            )
        for path, ctr in _containers(spec):
            if as_dict(ctr.get("securityContext")).get("windowsOptions") is not None:
                c.add(
                    f"{path}.securityContext.windowsOptions",
                    "windows options cannot be set for a linux pod",
                )
        return
    for field in _WINDOWS_POD_FIELDS:
        value: Any = context.get(field)
        if value is not None and not (field == "sysctls" and not as_list(value)):
            c.add(f"spec.securityContext.{field}", "cannot be set for a windows pod")
    if spec.get("hostUsers") is not None:
        c.add("spec.hostUsers", "cannot be set for a windows pod")
    for field in ("hostPID", "hostIPC"):
        if spec.get(field) is True:
            c.add(f"spec.{field}", "cannot be set for a windows pod")
    if spec.get("shareProcessNamespace") is not None:
        c.add("spec.shareProcessNamespace", "cannot be set for a windows pod")
    for path, ctr in _containers(spec):
        container_context = as_dict(ctr.get("securityContext"))
        for field in _WINDOWS_CONTAINER_FIELDS:
            if container_context.get(field) is not None:
                c.add(f"{path}.securityContext.{field}", "cannot be set for a windows pod")


def seccomp_annotation_text(profile: dict) -> str | None:
    """The text of the seccomp annotation that means the same as a seccompProfile field."""
    kind = profile.get("type")
    if kind == "Localhost":
        return f"localhost/{as_text(profile.get('localhostProfile')) or ''}"
    return {"RuntimeDefault": "runtime/default", "Unconfined": "unconfined"}.get(kind)
