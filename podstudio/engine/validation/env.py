"""A container's environment (``ValidateEnv``, ``validateEnvVarValueFrom``, ``ValidateEnvFrom``)
and the volumes env files read (``validateFileKeyRefVolumes``)."""

from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.validation.checker import Checker, as_text, is_empty, is_set
from podstudio.engine.validation.downward import (
    ENV_FIELD_PATHS,
    check_object_field_selector,
    check_resource_field_selector,
)
from podstudio.engine.validation.files import check_no_backsteps
from podstudio.engine.validation.formats import (
    config_map_key_errors,
    dns_label_errors,
    dns_subdomain_errors,
    env_var_name_errors,
    mask_trailing_dash,
)

_SOURCES = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef")


def _name_errors(c: Checker, name: str) -> list[str]:
    return list(env_var_name_errors(name, c.relaxed_env_names))


def check_env(c: Checker, ctr: dict, path: str) -> None:
    for index, var in enumerate(as_list(ctr.get("env"))):
        if not isinstance(var, dict):
            continue
        var_path = join(join(path, "env"), index)
        name = var.get("name")
        if is_empty(name):
            c.required(join(var_path, "name"))
        elif isinstance(name, str):
            c.add_all(join(var_path, "name"), _name_errors(c, name))
        value_from = var.get("valueFrom")
        if isinstance(value_from, dict):
            _check_value_from(c, value_from, as_text(var.get("value")), join(var_path, "valueFrom"))


def _check_value_from(c: Checker, value_from: dict, value: str | None, path: str) -> None:
    sources = [key for key in _SOURCES if is_set(value_from, key)]
    if not c.on("EnvFiles") and "fileKeyRef" in sources:
        sources.remove("fileKeyRef")  # dropped before validation while the gate is off
    for source in sources:
        ref = value_from.get(source)
        if isinstance(ref, dict):
            _check_source(c, source, ref, join(path, source))
    if not sources:
        names = "`fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef`"
        names += " or `fileKeyRef`" if c.on("EnvFiles") else ""
        c.add(path, f"must specify one of: {names}")
    elif value:
        c.add(path, "may not be specified when `value` is not empty")
    elif len(sources) > 1:
        c.add(path, "may not have more than one field specified at a time")


def _check_source(c: Checker, kind: str, ref: dict, path: str) -> None:
    if kind == "fieldRef":
        check_object_field_selector(c, ref, ENV_FIELD_PATHS, path)
    elif kind == "resourceFieldRef":
        check_resource_field_selector(c, ref, path, volume=False)
    elif kind in ("configMapKeyRef", "secretKeyRef"):
        name = ref.get("name")
        if isinstance(name, str) or name is None:
            # An empty name is checked as a name too: it is not a DNS subdomain.
            c.add_all(join(path, "name"), dns_subdomain_errors(name or ""))
        key = ref.get("key")
        if is_empty(key):
            c.required(join(path, "key"))
        elif isinstance(key, str):
            c.add_all(join(path, "key"), config_map_key_errors(key))
    elif kind == "fileKeyRef":
        key = ref.get("key")
        if is_empty(key):
            c.required(join(path, "key"))
        elif isinstance(key, str):
            c.add_all(join(path, "key"), env_var_name_errors(key, True))
        volume = ref.get("volumeName")
        if is_empty(volume):
            c.required(join(path, "volumeName"))
        elif isinstance(volume, str):
            c.add_all(join(path, "volumeName"), dns_label_errors(volume))
        target = ref.get("path")
        if is_empty(target):
            c.required(join(path, "path"))
        elif isinstance(target, str):
            check_no_backsteps(c, target, join(path, "path"))


def check_env_from(c: Checker, ctr: dict, path: str) -> None:
    list_path = join(path, "envFrom")
    for index, source in enumerate(as_list(ctr.get("envFrom"))):
        if not isinstance(source, dict):
            continue
        source_path = join(list_path, index)
        prefix = as_text(source.get("prefix"))
        if prefix:
            c.add_all(join(source_path, "prefix"), _name_errors(c, prefix))
        kinds = [kind for kind in ("configMapRef", "secretRef") if is_set(source, kind)]
        for kind in kinds:
            name = as_dict(source.get(kind)).get("name")
            if is_empty(name):
                c.required(join(join(source_path, kind), "name"))
            elif isinstance(name, str):
                # ValidateConfigMapName / ValidateSecretName with prefix=true: as generateName,
                # a trailing dash (and the character before it) is masked.
                masked = mask_trailing_dash(name)
                c.add_all(join(join(source_path, kind), "name"), dns_subdomain_errors(masked))
        # Both are reported at envFrom itself, without the index.
        if not kinds:
            c.add(list_path, "must specify one of: `configMapRef` or `secretRef`")
        elif len(kinds) > 1:
            c.add(list_path, "may not have more than one field specified at a time")


def check_file_key_ref_volumes(c: Checker, spec: dict) -> None:
    """validateFileKeyRefVolumes: an env file must be read from an emptyDir volume of the Pod."""
    if not c.on("EnvFiles"):
        return
    sources = {}
    for volume in as_list(spec.get("volumes")):
        if isinstance(volume, dict) and isinstance(volume.get("name"), str):
            name = volume["name"]
            has_source = any(value is not None for key, value in volume.items() if key != "name")
            sources[name] = volume.get("emptyDir") is not None or not has_source
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for index, ctr in enumerate(as_list(spec.get(field))):
            for env_index, var in enumerate(as_list(as_dict(ctr).get("env"))):
                ref = as_dict(as_dict(as_dict(var).get("valueFrom")).get("fileKeyRef"))
                if not ref and as_dict(as_dict(var).get("valueFrom")).get("fileKeyRef") is None:
                    continue
                name = ref.get("volumeName")
                name = name if isinstance(name, str) else ""
                path = f"spec.{field}[{index}].env[{env_index}].valueFrom.fileKeyRef.volumeName"
                if name not in sources:
                    c.add(path, f'no volume named "{name}" in spec.volumes')
                elif not sources[name]:
                    c.add(path, "referenced volume must be of type emptyDir")
