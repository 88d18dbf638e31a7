"""Volume mounts and block devices of a container (``ValidateVolumeMounts``,
``ValidateVolumeDevices``).

Some errors are reported by upstream at the list, not at the mount (``volumeMounts.subPath``,
``volumeMounts.mountPropagation``, ``volumeMounts.recursiveReadOnly``): the paths here say the
same.
"""

from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.validation.checker import Checker, as_text, is_empty, one_of
from podstudio.engine.validation.files import check_local_descending_path
from podstudio.engine.validation.formats import has_backsteps

MOUNT_PROPAGATIONS = ("Bidirectional", "HostToContainer", "None")
RECURSIVE_READ_ONLY = ("Disabled", "IfPossible", "Enabled")
_BLOCK_SOURCES = ("persistentVolumeClaim", "ephemeral")


def _text(value) -> str:
    return value if isinstance(value, str) else ""


# The ServiceAccount admission plugin mutates a Pod before it is validated: every init and
# regular container without a mount at this path gets one, read-only, of the API token's volume
# (the Pod's first volume named kube-api-access-…, else one it adds). A device at this path, or
# a reused volume that is invalid or used as a device, is then refused at the mount it added.
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"  # noqa: S105 (a path)
TOKEN_VOLUME_PREFIX = "kube-api-access-"  # noqa: S105 (a name)
ADDED_TOKEN_VOLUME = TOKEN_VOLUME_PREFIX + "x7k2q"  # the generated name: never the user's
_TOKEN_NOTE = (
    f"the ServiceAccount admission mounts the API token at {TOKEN_MOUNT_PATH} in every "
    "container (automountServiceAccountToken: false turns that off)"
)


def token_volume(spec: dict) -> str:
    """The volume the ServiceAccount admission mounts the token from: the first one whose name
    starts with kube-api-access-, else the one it adds."""
    for volume in as_list(spec.get("volumes")):
        name = as_dict(volume).get("name")
        if isinstance(name, str) and name.startswith(TOKEN_VOLUME_PREFIX):
            return name
    return ADDED_TOKEN_VOLUME


def check_mounts(
    c: Checker, ctr: dict, path: str, volumes: dict[str, str], token: str | None = None
) -> None:
    """``token``: the token volume the ServiceAccount admission mounts in this container, if it
    does (``token_volume``)."""
    mounts = [m for m in as_list(ctr.get("volumeMounts")) if isinstance(m, dict)]
    if token is not None and all(m.get("mountPath") != TOKEN_MOUNT_PATH for m in mounts):
        _check_with_token_mount(c, ctr, path, volumes, token)
        return
    devices = [d for d in as_list(ctr.get("volumeDevices")) if isinstance(d, dict)]
    # GetVolumeMountMap / GetVolumeDeviceMap: name -> path, later entries win.
    mount_map = {_text(m.get("name")): _text(m.get("mountPath")) for m in mounts}
    device_map = {_text(d.get("name")): _text(d.get("devicePath")) for d in devices}
    _check_volume_mounts(c, ctr, join(path, "volumeMounts"), volumes, device_map)
    _check_volume_devices(c, ctr, join(path, "volumeDevices"), volumes, mount_map)


def _check_with_token_mount(
    c: Checker, ctr: dict, path: str, volumes: dict[str, str], token: str
) -> None:
    """The container's mounts as validation sees them, the token's appended; what is refused
    because of it says so."""
    written = as_list(ctr.get("volumeMounts"))
    added = {"name": token, "mountPath": TOKEN_MOUNT_PATH, "readOnly": True}
    if token == ADDED_TOKEN_VOLUME:
        volumes = {**volumes, token: "projected"}
    before = len(c.errors)
    check_mounts(c, {**ctr, "volumeMounts": [*written, added]}, path, volumes)
    added_path = join(join(path, "volumeMounts"), len(written))
    clashing = {  # the devices with the token's volume or at its path
        join(join(path, "volumeDevices"), index)
        for index, device in enumerate(as_list(ctr.get("volumeDevices")))
        if as_dict(device).get("name") == token
        or as_dict(device).get("devicePath") == TOKEN_MOUNT_PATH
    }
    for index in range(before, len(c.errors)):
        error = c.errors[index]
        device = error.path.rsplit(".", 1)[0]
        if (
            error.path == added_path
            or error.path.startswith(f"{added_path}.")
            or (device in clashing and "in volumeMounts" in error.message)
        ):
            c.errors[index] = error._replace(message=f"{error.message}: {_TOKEN_NOTE}")


def _check_volume_mounts(
    c: Checker, ctr: dict, list_path: str, volumes: dict[str, str], devices: dict[str, str]
) -> None:
    privileged = as_dict(ctr.get("securityContext")).get("privileged") is True
    mount_points: set[str] = set()
    for index, mount in enumerate(as_list(ctr.get("volumeMounts"))):
        if not isinstance(mount, dict):
            continue
        mount_path = join(list_path, index)
        name = mount.get("name")
        name_text = _text(name)
        if is_empty(name):
            c.required(join(mount_path, "name"))
        if name_text not in volumes and (isinstance(name, str) or name is None):
            c.add(join(mount_path, "name"), f'no volume named "{name_text}" in spec.volumes')
        target = mount.get("mountPath")
        target_text = _text(target)
        if is_empty(target):
            c.required(join(mount_path, "mountPath"))
        if target_text in mount_points:
            c.add(join(mount_path, "mountPath"), "must be unique")
        mount_points.add(target_text)
        if name_text in devices:
            c.add(join(mount_path, "name"), "must not already exist in volumeDevices")
        if target_text in devices.values():
            c.add(
                join(mount_path, "mountPath"), "must not already exist as a path in volumeDevices"
            )
        sub_path = as_text(mount.get("subPath"))
        if sub_path:
            check_local_descending_path(c, sub_path, join(list_path, "subPath"))
        expression = as_text(mount.get("subPathExpr"))
        if expression:
            if sub_path:
                c.add(
                    join(mount_path, "subPathExpr"),
                    "subPathExpr and subPath are mutually exclusive",
                )
            check_local_descending_path(c, expression, join(list_path, "subPathExpr"))
        propagation = mount.get("mountPropagation")
        if isinstance(propagation, str):
            propagation_path = join(list_path, "mountPropagation")
            if propagation not in MOUNT_PROPAGATIONS:
                c.add(propagation_path, one_of(MOUNT_PROPAGATIONS))
            if propagation == "Bidirectional" and not privileged:
                c.add(
                    propagation_path,
                    "Bidirectional mount propagation is available only to privileged containers",
                )
        _check_recursive_read_only(c, mount, join(list_path, "recursiveReadOnly"))


def _check_recursive_read_only(c: Checker, mount: dict, path: str) -> None:
    mode = mount.get("recursiveReadOnly")
    if not isinstance(mode, str) or not c.on("RecursiveReadOnlyMounts"):
        return
    if mode in ("Enabled", "IfPossible"):
        if mount.get("readOnly") is not True:
            c.add(path, "may only be specified when readOnly is true")
        propagation = mount.get("mountPropagation")
        if isinstance(propagation, str) and propagation != "None":
            c.add(path, "may only be specified when mountPropagation is None or not specified")
    elif mode != "Disabled":
        c.add(path, one_of(RECURSIVE_READ_ONLY))


def _check_volume_devices(
    c: Checker, ctr: dict, list_path: str, volumes: dict[str, str], mounts: dict[str, str]
) -> None:
    device_paths: set[str] = set()
    device_names: set[str] = set()
    for index, device in enumerate(as_list(ctr.get("volumeDevices"))):
        if not isinstance(device, dict):
            continue
        device_path = join(list_path, index)
        name, target = _text(device.get("name")), _text(device.get("devicePath"))
        name_path, target_path = join(device_path, "name"), join(device_path, "devicePath")
        if not name:
            c.required(name_path)
        if name in device_names:
            c.add(name_path, "must be unique")
        if name in volumes and volumes[name] not in _BLOCK_SOURCES:
            c.add(
                name_path,
                "can only use volume source type of PersistentVolumeClaim or Ephemeral "
                "for block mode",
            )
        if name not in volumes:
            c.add(name_path, f'no volume named "{name}" in spec.volumes')
        if not target:
            c.required(target_path)
        if target in device_paths:
            c.add(target_path, "must be unique")
        if target and has_backsteps(target):
            c.add(target_path, "can not contain backsteps ('..')")
        else:
            device_paths.add(target)
        if name in mounts:
            c.add(name_path, "must not already exist in volumeMounts")
        if target in mounts.values():
            c.add(target_path, "must not already exist as a path in volumeMounts")
        if name:
            device_names.add(name)
