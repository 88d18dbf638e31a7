"""Volumes and their sources (``ValidateVolumes``, ``validateVolumeSource``)."""

import re
from typing import Any

from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.validation.checker import (
    Checker,
    as_int,
    as_quantity,
    as_text,
    is_empty,
    is_set,
)
from podstudio.engine.validation.formats import (
    dns_label_errors,
)

# In the order validateVolumeSource looks at them: the second one set is the one reported.
VOLUME_SOURCES = (
    "emptyDir",
    "hostPath",
    "gitRepo",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "flocker",
    "persistentVolumeClaim",
    "rbd",
    "cinder",
    "cephfs",
    "quobyte",
    "downwardAPI",
    "fc",
    "flexVolume",
    "configMap",
    "azureFile",
    "vsphereVolume",
    "photonPersistentDisk",
    "portworxVolume",
    "azureDisk",
    "storageos",
    "projected",
    "scaleIO",
    "csi",
    "ephemeral",
    "image",
)
HOST_PATH_TYPES = (
    "",
    "DirectoryOrCreate",
    "Directory",
    "FileOrCreate",
    "File",
    "Socket",
    "CharDevice",
    "BlockDevice",
)
FILE_MODE_MESSAGE = "must be a number between 0 and 0777 (octal), both inclusive"


def _backstep_errors(path: str) -> list[str]:
    return ["must not contain '..'"] if ".." in re.split(r"[/\\]", path) else []


def relative_path_errors(path: str) -> list[str]:
    """validateLocalDescendingPath: relative and without ``..`` elements."""
    errors = []
    if path.startswith(("/", "\\")):
        errors.append("must be a relative path")
    return errors + _backstep_errors(path)


def _local_path_errors(path: str) -> list[str]:
    """ValidateLocalNonReservedPath: also may not start with ``..``."""
    errors = relative_path_errors(path)
    if path.startswith("..") and not errors:
        errors.append("must not start with '..'")
    return errors


def _check_file_mode(c: Checker, data: dict, key: str, path: str) -> None:
    value = as_int(data.get(key))
    if value is not None and not 0 <= value <= 0o777:
        c.add(join(path, key), FILE_MODE_MESSAGE)


def _check_key_to_paths(c: Checker, items: Any, path: str) -> None:
    for index, item in enumerate(as_list(items)):
        if not isinstance(item, dict):
            continue
        item_path = join(path, index)
        if is_empty(item.get("key")):
            c.required(join(item_path, "key"))
        target = as_text(item.get("path"))
        if is_empty(item.get("path")):
            c.required(join(item_path, "path"))
        elif target:
            c.add_all(join(item_path, "path"), _local_path_errors(target))
        _check_file_mode(c, item, "mode", item_path)


def _check_volume_source(c: Checker, kind: str, source: dict, path: str) -> None:
    if kind == "secret":
        if is_empty(source.get("secretName")):
            c.required(join(path, "secretName"))
        _check_file_mode(c, source, "defaultMode", path)
        _check_key_to_paths(c, source.get("items"), join(path, "items"))
    elif kind == "configMap":
        if is_empty(source.get("name")):
            c.required(join(path, "name"))
        _check_file_mode(c, source, "defaultMode", path)
        _check_key_to_paths(c, source.get("items"), join(path, "items"))
    elif kind == "persistentVolumeClaim":
        if is_empty(source.get("claimName")):
            c.required(join(path, "claimName"))
    elif kind == "hostPath":
        host_path = as_text(source.get("path"))
        if is_empty(source.get("path")):
            c.required(join(path, "path"))
        elif host_path:
            c.add_all(join(path, "path"), _backstep_errors(host_path))
        c.enum(source, "type", path, HOST_PATH_TYPES)
    elif kind == "emptyDir":
        size = as_quantity(source.get("sizeLimit"))
        if size is not None and size < 0:
            c.add(join(path, "sizeLimit"), "must be greater than or equal to 0")
    elif kind == "nfs":
        if is_empty(source.get("server")):
            c.required(join(path, "server"))
        nfs_path = as_text(source.get("path"))
        if is_empty(source.get("path")):
            c.required(join(path, "path"))
        elif nfs_path and not nfs_path.startswith("/"):
            c.add(join(path, "path"), "must be an absolute path")
    elif kind == "downwardAPI":
        _check_file_mode(c, source, "defaultMode", path)
        for index, item in enumerate(as_list(source.get("items"))):
            if isinstance(item, dict):
                _check_downward_api_file(c, item, join(join(path, "items"), index))
    elif kind == "projected":
        _check_file_mode(c, source, "defaultMode", path)
        for index, projection in enumerate(as_list(source.get("sources"))):
            projection = as_dict(projection)
            projection_path = join(join(path, "sources"), index)
            for inner in ("secret", "configMap"):
                inner_source = projection.get(inner)
                if isinstance(inner_source, dict):
                    inner_path = join(projection_path, inner)
                    _check_key_to_paths(c, inner_source.get("items"), join(inner_path, "items"))
    elif kind == "csi":
        if is_empty(source.get("driver")):
            c.required(join(path, "driver"))
    elif kind == "ephemeral" and not isinstance(source.get("volumeClaimTemplate"), dict):
        c.required(join(path, "volumeClaimTemplate"))


def _check_downward_api_file(c: Checker, item: dict, path: str) -> None:
    target = as_text(item.get("path"))
    if is_empty(item.get("path")):
        c.required(join(path, "path"))
    elif target:
        c.add_all(join(path, "path"), _local_path_errors(target))
    has_field = is_set(item, "fieldRef")
    has_resource = is_set(item, "resourceFieldRef")
    if has_field and has_resource:
        c.add(path, "fieldRef and resourceFieldRef can not be specified simultaneously")
    elif not has_field and not has_resource:
        c.add(path, "one of fieldRef and resourceFieldRef is required")
    _check_file_mode(c, item, "mode", path)


def check_volumes(c: Checker, spec: dict) -> set[str]:
    """Validates ``spec.volumes`` and returns the volume names mounts may refer to."""
    names: set[str] = set()
    for index, volume in enumerate(as_list(spec.get("volumes"))):
        if not isinstance(volume, dict):
            continue
        path = f"spec.volumes[{index}]"
        name = as_text(volume.get("name"))
        if name:
            c.add_all(join(path, "name"), dns_label_errors(name))
            if name in names:
                c.add(join(path, "name"), f'duplicate volume name "{name}"')
            names.add(name)
        elif is_empty(volume.get("name")):
            c.required(join(path, "name"))
        kinds = [kind for kind in VOLUME_SOURCES if is_set(volume, kind)]
        if not kinds:
            c.add(path, "must specify a volume type (emptyDir, configMap, secret ...)")
        for extra in kinds[1:]:
            c.add(join(path, extra), "may not specify more than 1 volume type")
        if kinds and isinstance(volume.get(kinds[0]), dict):
            _check_volume_source(c, kinds[0], volume[kinds[0]], join(path, kinds[0]))
    return names
