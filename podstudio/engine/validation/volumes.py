"""Volumes and their sources (``ValidateVolumes``, ``validateVolumeSource``,
``validateProjectionSources``).

Paths are the API server's own, quirks included: the second source of a volume is reported in
the order upstream checks them, a GCE disk's fields under ``persistentDisk``, a second
``downwardAPI`` source under ``downwarAPI``, downward API files without their index, and
duplicate projected paths at ``projected``. A volume with errors is not one mounts may name, so
a mount of it is reported too, as upstream does.
"""

from typing import Any

from podstudio.engine.paths import as_dict, as_list, join, join_key
from podstudio.engine.patterns import compile_lazily
from podstudio.engine.validation.checker import (
    Checker,
    as_int,
    as_quantity,
    as_text,
    is_empty,
    is_set,
    one_of,
)
from podstudio.engine.validation.downward import check_downward_file
from podstudio.engine.validation.files import (
    check_items,
    check_local_descending_path,
    check_local_non_reserved_path,
    check_mode,
    check_no_backsteps,
    check_user,
)
from podstudio.engine.validation.formats import (
    MAX_ANNOTATIONS_BYTES,
    dns_label_errors,
    dns_subdomain_errors,
    go_len,
    go_lower,
    is_absolute,
    is_host_port,
    label_value_errors,
    qualified_name_errors,
    signer_name_errors,
)
from podstudio.engine.validation.scheduling import check_label_selector

# In the order validateVolumeSource looks at them (the second one set is the one reported),
# with the path upstream reports a second source at when it differs from the field name.
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
_SECOND_SOURCE_PATH = {"cephfs": "cephFS", "downwardAPI": "downwarAPI"}
_SOURCE_PATH = {"gcePersistentDisk": "persistentDisk"}
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
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
VOLUME_MODES = ("Block", "Filesystem")
KEY_TYPES = ("RSA3072", "RSA4096", "ECDSAP256", "ECDSAP384", "ECDSAP521", "ED25519")
# Go's iscsiInitiatorIqnRegex: its \d is ASCII, and its $ is the end of the text (Python's $
# also matches before a last newline: \Z is Go's $).
_IQN = compile_lazily(r"iqn\.[0-9]{4}-[0-9]{2}\.([a-zA-Z0-9.-]+)(:[^,;*&$|\t\n\f\r ]+)\Z")
_EUI = compile_lazily(r"eui.[a-zA-Z0-9]{16}")
_NAA = compile_lazily(r"naa.[a-zA-Z0-9]{32}")
_TEMPLATE_META_FIELDS = (
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
)
# Pointers and slices: set once present, even empty or 0 (reflect.DeepEqual with nil says so).
_TEMPLATE_META_POINTERS = (
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
    "finalizers",
    "managedFields",
)


def _required(c: Checker, data: dict, key: str, path: str) -> None:
    if is_empty(data.get(key)):
        c.required(join(path, key))


def _check_iqn(c: Checker, value: str, path: str, prefix_message: str) -> None:
    if not value.startswith(("iqn", "eui", "naa")):
        c.add(path, prefix_message)
    elif (
        (value.startswith("iqn") and not _IQN.search(value))
        or (value.startswith("eui") and not _EUI.fullmatch(value))
        or (value.startswith("naa") and not _NAA.fullmatch(value))
    ):
        c.add(path, "must be valid format")


def check_pvc_spec(c: Checker, spec: dict, path: str, storage_required: str = "") -> None:
    """``ValidatePersistentVolumeClaimSpec``: an ephemeral volume's claim template and a
    StatefulSet's volume claim templates. ``storage_required``: the message when no storage is
    requested (upstream's bare Required when empty)."""
    modes = as_list(spec.get("accessModes"))
    if not modes:
        c.add(join(path, "accessModes"), "at least 1 access mode is required")
    once_pod = other = False
    for mode in modes:
        if isinstance(mode, str) and mode not in ACCESS_MODES:
            c.add(join(path, "accessModes"), one_of(ACCESS_MODES))
        once_pod = once_pod or mode == "ReadWriteOncePod"
        other = other or (mode in ACCESS_MODES and mode != "ReadWriteOncePod")
    if once_pod and other:
        c.add(join(path, "accessModes"), "may not use ReadWriteOncePod with other access modes")
    selector = spec.get("selector")
    if isinstance(selector, dict):
        check_label_selector(c, selector, join(path, "selector"))
    requests = as_dict(as_dict(spec.get("resources")).get("requests"))
    # Upstream names the quantity ``resources[storage]``, though it sits under ``requests``.
    storage_path = join_key(join(path, "resources"), "storage")
    if "storage" not in requests:
        if storage_required:
            c.add(storage_path, storage_required)
        else:
            c.required(storage_path)
    else:
        amount = as_quantity(requests["storage"])
        if amount is not None and amount <= 0:
            c.add(storage_path, "must be greater than zero")
    class_name = as_text(spec.get("storageClassName"))
    if class_name:
        c.add_all(join(path, "storageClassName"), dns_subdomain_errors(class_name))
    c.enum(spec, "volumeMode", path, VOLUME_MODES)
    _check_data_sources(c, spec, path)
    attributes_class = as_text(spec.get("volumeAttributesClassName"))
    if attributes_class:
        c.add_all(join(path, "volumeAttributesClassName"), dns_subdomain_errors(attributes_class))


DEFAULT_GROUP_KIND = "must be 'PersistentVolumeClaim' when referencing the default apiGroup"


def _check_data_source(c: Checker, source: dict, path: str, with_namespace: bool) -> None:
    """``validateDataSource`` and ``validateDataSourceRef``: a named kind, a PersistentVolumeClaim
    unless an apiGroup is given, and a group (and the ref's namespace) of the right form."""
    _required(c, source, "name", path)
    _required(c, source, "kind", path)
    kind = as_text(source.get("kind")) or ""
    group = as_text(source.get("apiGroup")) or ""
    if not group and kind != "PersistentVolumeClaim":
        c.add(path, f"kind {kind!r}: {DEFAULT_GROUP_KIND}")
    if group:
        c.add_all(join(path, "apiGroup"), dns_subdomain_errors(group))
    namespace = as_text(source.get("namespace")) if with_namespace else None
    if namespace:
        c.add_all(join(path, "namespace"), dns_label_errors(namespace))


def _check_data_sources(c: Checker, spec: dict, path: str) -> None:
    """dataSource and dataSourceRef: each valid, and the same object when both are set (their
    apiGroup compared as Go compares two pointers: an empty apiGroup is not a missing one),
    except that a ref to another namespace allows no dataSource at all."""
    source, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    if isinstance(source, dict):
        _check_data_source(c, source, join(path, "dataSource"), with_namespace=False)
    if isinstance(ref, dict):
        _check_data_source(c, ref, join(path, "dataSourceRef"), with_namespace=True)
    if not isinstance(ref, dict) or source is None:
        return
    if as_text(ref.get("namespace")):
        c.add(path, "dataSource may not be specified when dataSourceRef.namespace is specified")
    elif isinstance(source, dict) and (
        source.get("apiGroup") != ref.get("apiGroup")
        or any((source.get(key) or "") != (ref.get(key) or "") for key in ("kind", "name"))
    ):
        c.add(path, "dataSource must match dataSourceRef")


def _check_projection(c: Checker, projection: dict, path: str, index: int, seen: set) -> None:
    """One entry of validateProjectionSources; ``path`` is the projected source's path."""
    source_path = join(join(path, "sources"), index)
    kinds = [kind for kind in _PROJECTIONS if is_set(projection, kind)]

    def claim(target: Any) -> None:
        if isinstance(target, str) and target:
            if target in seen:
                c.add(path, "conflicting duplicate paths")
            seen.add(target)

    for kind in kinds:
        source = projection.get(kind)
        if not isinstance(source, dict):
            continue
        kind_path = join(source_path, kind)
        if kind in ("secret", "configMap"):
            _required(c, source, "name", kind_path)
            for target in check_items(c, source.get("items"), join(kind_path, "items")):
                claim(target)
        elif kind == "downwardAPI":
            for item in as_list(source.get("items")):
                if isinstance(item, dict):
                    check_downward_file(c, item, kind_path)
                    claim(item.get("path"))
        elif kind == "serviceAccountToken":
            seconds = as_int(source.get("expirationSeconds"))
            if seconds is not None and seconds < 600:
                c.add(
                    join(kind_path, "expirationSeconds"),
                    "may not specify a duration less than 10 minutes",
                )
            if seconds is not None and seconds > 2**32:
                c.add(
                    join(kind_path, "expirationSeconds"),
                    "may not specify a duration larger than 2^32 seconds",
                )
            target = source.get("path")
            if is_empty(target):
                c.required(join(path, "path"))
            elif isinstance(target, str):
                check_local_non_reserved_path(c, target, join(path, "path"))
            check_user(c, source, "user", kind_path)
        elif kind == "clusterTrustBundle":
            _check_cluster_trust_bundle(c, source, kind_path)
            check_user(c, source, "user", kind_path)
            target = source.get("path")
            if is_empty(target):
                c.required(join(kind_path, "path"))
            # A missing path is Go's "" and claims it like any other (unlike items' paths).
            target = target if isinstance(target, str) else ""
            check_local_non_reserved_path(c, target, join(kind_path, "path"))
            if target in seen:
                c.add(path, "conflicting duplicate paths")
            seen.add(target)
        elif kind == "podCertificate":
            _check_pod_certificate(c, source, kind_path, claim)
            check_user(c, source, "user", kind_path)
    if len(kinds) > 1:
        c.add(source_path, "may not specify more than 1 volume type per source")


_PROJECTIONS = (
    "secret",
    "configMap",
    "downwardAPI",
    "serviceAccountToken",
    "clusterTrustBundle",
    "podCertificate",
)


def _check_cluster_trust_bundle(c: Checker, source: dict, path: str) -> None:
    name, signer = source.get("name"), source.get("signerName")
    if name is not None and signer is not None:
        c.add(path, "only one of name and signerName may be used")
    elif isinstance(name, str):
        if not name:
            c.add(join(path, "name"), "must be a valid object name")
        signer_from_name = name.rpartition(":")[0].replace(":", "/") if ":" in name else ""
        if signer_from_name:
            prefix = signer_from_name.replace("/", ":") + ":"
            rest = name.removeprefix(prefix)
            c.add_all(join(path, "name"), dns_subdomain_errors(rest) if rest else ["is empty"])
        elif name:
            c.add_all(join(path, "name"), dns_subdomain_errors(name))
        if source.get("labelSelector") is not None:
            c.add(join(path, "labelSelector"), "labelSelector must be unset if name is specified")
    elif isinstance(signer, str):
        if not signer:
            c.add(join(path, "signerName"), "must be a valid signer name")
        c.add_all(join(path, "signerName"), signer_name_errors(signer))
        check_label_selector(c, source.get("labelSelector"), join(path, "labelSelector"))
    elif name is None and signer is None:
        c.add(path, "either name or signerName must be specified")


def _check_pod_certificate(c: Checker, source: dict, path: str, claim: Any) -> None:
    signer = source.get("signerName")
    if isinstance(signer, str) or signer is None:
        c.add_all(join(path, "signerName"), signer_name_errors(signer or ""))
    key_type = source.get("keyType")
    if (isinstance(key_type, str) or key_type is None) and key_type not in KEY_TYPES:
        c.add(join(path, "keyType"), one_of(KEY_TYPES))
    seconds = as_int(source.get("maxExpirationSeconds"))
    if seconds is not None:
        kubernetes = isinstance(signer, str) and (
            signer.split("/")[0] == "kubernetes.io"
            or signer.split("/")[0].endswith(".kubernetes.io")
        )
        most = 24 * 3600 if kubernetes else 91 * 24 * 3600
        if seconds < 3600:
            c.add(join(path, "maxExpirationSeconds"), "if provided, must be >= 3600")
        if seconds > most:
            c.add(join(path, "maxExpirationSeconds"), f"if provided, must be <= {most}")
    count = 0
    for key in ("credentialBundlePath", "keyPath", "certificateChainPath"):
        target = as_text(source.get(key))
        if target:
            count += 1
            check_local_non_reserved_path(c, target, join(path, key))
            claim(target)
    if not count:
        c.add(
            path, "specify at least one of credentialBundlePath, keyPath, and certificateChainPath"
        )
    _check_user_annotations(c, source.get("userAnnotations"), join(path, "userAnnotations"))


def _check_user_annotations(c: Checker, annotations: Any, path: str) -> None:
    """The annotations copied into each PodCertificateRequest: annotation keys (checked in
    lower case, as metadata's are) that must also carry a domain prefix, and no more bytes
    than metadata.annotations may hold."""
    total = 0
    for key, value in as_dict(annotations).items():
        if not isinstance(key, str):
            continue
        total += go_len(key) + (go_len(value) if isinstance(value, str) else 0)
        messages = qualified_name_errors(go_lower(key))
        if not messages and "/" not in key:
            messages = ['must be a domain-prefixed key (such as "acme.io/foo")']
        c.add_all(path, [f"key {key!r}: {message}" for message in messages])
    if total > MAX_ANNOTATIONS_BYTES:
        c.add(path, f"must have at most {MAX_ANNOTATIONS_BYTES} bytes")


def _check_source(c: Checker, kind: str, source: dict, path: str, name: str, pod_name: str) -> None:
    if kind == "emptyDir":
        size = as_quantity(source.get("sizeLimit"))
        if size is not None and size < 0:
            c.add(join(path, "sizeLimit"), "SizeLimit field must be a valid resource quantity")
    elif kind == "hostPath":
        target = source.get("path")
        if is_empty(target):
            c.required(join(path, "path"))
            return
        if isinstance(target, str):
            check_no_backsteps(c, target, join(path, "path"))
        c.enum(source, "type", path, HOST_PATH_TYPES)
    elif kind == "gitRepo":
        _required(c, source, "repository", path)
        directory = source.get("directory")
        check_local_descending_path(
            c, directory if isinstance(directory, str) else "", join(path, "directory")
        )
    elif kind in ("gcePersistentDisk", "awsElasticBlockStore"):
        _required(c, source, "pdName" if kind == "gcePersistentDisk" else "volumeID", path)
        partition = as_int(source.get("partition"))
        if partition is not None and not 0 <= partition <= 255:
            c.add(join(path, "partition"), "must be greater than or equal to 0 and less than 256")
    elif kind in ("secret", "configMap"):
        _required(c, source, "secretName" if kind == "secret" else "name", path)
        check_mode(c, source, "defaultMode", path)
        check_user(c, source, "defaultUser", path)
        check_items(c, source.get("items"), join(path, "items"))
    elif kind == "nfs":
        _required(c, source, "server", path)
        _required(c, source, "path", path)
        target = source.get("path")
        if (isinstance(target, str) or target is None) and not is_absolute(target or ""):
            c.add(join(path, "path"), "must be an absolute path")
    elif kind == "iscsi":
        _check_iscsi(c, source, path)
    elif kind == "glusterfs":
        _required(c, source, "endpoints", path)
        _required(c, source, "path", path)
    elif kind == "flocker":
        dataset_name, uuid = as_text(source.get("datasetName")), as_text(source.get("datasetUUID"))
        if not dataset_name and not uuid:
            c.add(path, "one of datasetName and datasetUUID is required")
        if dataset_name and uuid:
            c.add(path, "datasetName and datasetUUID can not be specified simultaneously")
        if dataset_name and "/" in dataset_name:
            c.add(join(path, "datasetName"), "must not contain '/'")
    elif kind == "persistentVolumeClaim":
        _required(c, source, "claimName", path)
    elif kind == "rbd":
        if not as_list(source.get("monitors")):
            c.required(join(path, "monitors"))
        _required(c, source, "image", path)
    elif kind == "cinder":
        _required(c, source, "volumeID", path)
        secret = source.get("secretRef")
        if isinstance(secret, dict) and is_empty(secret.get("name")):
            c.required(join(join(path, "secretRef"), "name"))
    elif kind == "cephfs":
        if not as_list(source.get("monitors")):
            c.required(join(path, "monitors"))
    elif kind == "quobyte":
        _check_quobyte(c, source, path)
    elif kind == "downwardAPI":
        check_mode(c, source, "defaultMode", path)
        check_user(c, source, "defaultUser", path)
        for item in as_list(source.get("items")):
            if isinstance(item, dict):
                check_downward_file(c, item, path)
    elif kind == "fc":
        _check_fc(c, source, path)
    elif kind == "flexVolume":
        _required(c, source, "driver", path)
        for option in as_dict(source.get("options")):
            if not isinstance(option, str):
                continue
            namespace = option.split("/", 1)[0] if "/" in option else option
            normalized = "." + go_lower(namespace)
            if normalized.endswith((".kubernetes.io", ".k8s.io")):
                c.add(
                    join_key(join(path, "options"), option),
                    "kubernetes.io and k8s.io namespaces are reserved",
                )
    elif kind == "azureFile":
        _required(c, source, "secretName", path)
        _required(c, source, "shareName", path)
    elif kind == "vsphereVolume":
        _required(c, source, "volumePath", path)
    elif kind == "photonPersistentDisk":
        _required(c, source, "pdID", path)
    elif kind == "portworxVolume":
        _required(c, source, "volumeID", path)
    elif kind == "azureDisk":
        _check_azure_disk(c, source, path)
    elif kind == "storageos":
        _check_storageos(c, source, path)
    elif kind == "projected":
        check_mode(c, source, "defaultMode", path)
        check_user(c, source, "defaultUser", path)
        seen: set[str] = set()
        for index, projection in enumerate(as_list(source.get("sources"))):
            if isinstance(projection, dict):
                _check_projection(c, projection, path, index, seen)
    elif kind == "scaleIO":
        _required(c, source, "gateway", path)
        _required(c, source, "system", path)
        _required(c, source, "volumeName", path)
    elif kind == "csi":
        _check_csi(c, source, path)
    elif kind == "ephemeral":
        _check_ephemeral(c, source, path, name, pod_name)
    elif kind == "image":
        _required(c, source, "reference", path)
        # pullPolicy "" is defaulted (Always for :latest, else IfNotPresent) before validation.
        c.enum(source, "pullPolicy", path, PULL_POLICIES + ("",))


def _check_iscsi(c: Checker, source: dict, path: str) -> None:
    _required(c, source, "targetPortal", path)
    iqn = source.get("iqn")
    if is_empty(iqn):
        c.required(join(path, "iqn"))
    elif isinstance(iqn, str):
        _check_iqn(c, iqn, join(path, "iqn"), "must be valid format starting with iqn, eui, or naa")
    lun = as_int(source.get("lun"))
    if lun is not None and not 0 <= lun <= 255:
        c.add(join(path, "lun"), "must be between 0 and 255, inclusive")
    if (source.get("chapAuthDiscovery") is True or source.get("chapAuthSession") is True) and (
        source.get("secretRef") is None
    ):
        c.required(join(path, "secretRef"))
    initiator = source.get("initiatorName")
    if isinstance(initiator, str):
        _check_iqn(
            c,
            initiator,
            join(path, "initiatorname"),
            "must be valid format starting with iqn, eui, or naa",
        )


def _check_quobyte(c: Checker, source: dict, path: str) -> None:
    registry = source.get("registry")
    tenant = as_text(source.get("tenant")) or ""
    if is_empty(registry):
        c.add(
            join(path, "registry"), "must be a host:port pair or multiple pairs separated by commas"
        )
    elif go_len(tenant) >= 65:
        c.add(join(path, "tenant"), "must be a UUID and may not exceed a length of 64 characters")
    elif isinstance(registry, str):
        for pair in registry.split(","):
            if not is_host_port(pair):
                c.add(
                    join(path, "registry"),
                    "must be a host:port pair or multiple pairs separated by commas",
                )
    _required(c, source, "volume", path)


def _check_fc(c: Checker, source: dict, path: str) -> None:
    wwns, wwids = as_list(source.get("targetWWNs")), as_list(source.get("wwids"))
    if not wwns and not wwids:
        c.add(join(path, "targetWWNs"), "must specify either targetWWNs or wwids, but not both")
    if wwns and wwids:
        c.add(join(path, "targetWWNs"), "targetWWNs and wwids can not be specified simultaneously")
    if wwns:
        lun = source.get("lun")
        if lun is None:
            c.add(join(path, "lun"), "lun is required if targetWWNs is specified")
        elif as_int(lun) is not None and not 0 <= as_int(lun) <= 255:
            c.add(join(path, "lun"), "must be between 0 and 255, inclusive")


def _check_azure_disk(c: Checker, source: dict, path: str) -> None:
    _required(c, source, "diskName", path)
    _required(c, source, "diskURI", path)
    kind = source.get("kind")
    if kind is None:
        kind = "Shared"  # SetDefaults_AzureDiskVolumeSource, before the checks
    caching = source.get("cachingMode")
    if isinstance(caching, str) and caching not in ("None", "ReadOnly", "ReadWrite"):
        c.add(join(path, "cachingMode"), one_of(("None", "ReadOnly", "ReadWrite")))
    if isinstance(kind, str) and kind not in ("Shared", "Dedicated", "Managed"):
        c.add(join(path, "kind"), one_of(("Shared", "Dedicated", "Managed")))
    uri = as_text(source.get("diskURI")) or ""
    if kind == "Managed" and not uri.startswith("/subscriptions/"):
        c.add(join(path, "diskURI"), "must be a valid managed disk resource ID")
    if isinstance(kind, str) and kind != "Managed" and not uri.startswith("https://"):
        c.add(join(path, "diskURI"), "must be a valid blob disk URI (https://...)")


def _check_storageos(c: Checker, source: dict, path: str) -> None:
    _required(c, source, "volumeName", path)
    for key, check in (("volumeName", dns_label_errors), ("volumeNamespace", dns_label_errors)):
        value = as_text(source.get(key))
        if value:
            c.add_all(join(path, key), check(value))
    secret = source.get("secretRef")
    if isinstance(secret, dict) and is_empty(secret.get("name")):
        c.required(join(join(path, "secretRef"), "name"))


def _check_csi(c: Checker, source: dict, path: str) -> None:
    driver = source.get("driver")
    driver_path = join(path, "driver")
    if is_empty(driver):
        c.required(driver_path)
    elif isinstance(driver, str):
        if go_len(driver) > 63:
            c.add(driver_path, "must be no more than 63 bytes")
        c.add_all(driver_path, dns_subdomain_errors(go_lower(driver)))
    secret = source.get("nodePublishSecretRef")
    if isinstance(secret, dict):
        secret_name = secret.get("name")
        if is_empty(secret_name):
            c.required(join(join(path, "nodePublishSecretRef"), "name"))
        elif isinstance(secret_name, str):
            c.add_all(join(path, "name"), dns_subdomain_errors(secret_name))


def _check_ephemeral(c: Checker, source: dict, path: str, name: str, pod_name: str) -> None:
    if pod_name and name:  # with or without a claim template
        claim_name = f"{pod_name}-{name}"
        for message in dns_subdomain_errors(claim_name):
            # Reported at the volume's name (spec.volumes[i].name).
            c.add(join(path.rsplit(".", 1)[0], "name"), f'PVC name "{claim_name}": {message}')
    template = source.get("volumeClaimTemplate")
    if not isinstance(template, dict):
        if template is None:
            c.required(join(path, "volumeClaimTemplate"))
        return
    template_path = join(path, "volumeClaimTemplate")
    metadata = as_dict(template.get("metadata"))
    annotations_path = join(join(template_path, "metadata"), "annotations")
    total = 0
    for key, value in as_dict(metadata.get("annotations")).items():
        if isinstance(key, str):
            total += go_len(key) + (go_len(value) if isinstance(value, str) else 0)
            c.add_all(annotations_path, qualified_name_errors(go_lower(key)))
    if total > MAX_ANNOTATIONS_BYTES:  # ValidateTemplateObjectMeta measures them as metadata's
        c.add(annotations_path, f"must have at most {MAX_ANNOTATIONS_BYTES} bytes")
    labels_path = join(join(template_path, "metadata"), "labels")
    for key, value in as_dict(metadata.get("labels")).items():
        if isinstance(key, str):
            c.add_all(labels_path, qualified_name_errors(key))
        if isinstance(value, str):
            c.add_all(labels_path, label_value_errors(value))
    for field in (*_TEMPLATE_META_FIELDS, *_TEMPLATE_META_POINTERS):
        value = metadata.get(field)
        if value is not None and (field in _TEMPLATE_META_POINTERS or value not in ("", 0)):
            # validateFieldAllowList names a field by its Go name, first letter lowered: UID
            # is "uID", the others as in JSON.
            shown = "uID" if field == "uid" else field
            c.add(join(join(template_path, "metadata"), shown), "cannot be set")
    spec = template.get("spec")
    check_pvc_spec(c, spec if isinstance(spec, dict) else {}, join(template_path, "spec"))


def check_volumes(
    c: Checker, spec: dict, pod_name: str = "", *, name_generated: bool = False
) -> dict[str, str]:
    """Validates ``spec.volumes``; returns ``{name: source kind}`` of the volumes without errors
    (those mounts, devices and file references may name). ``name_generated``: ``pod_name`` ends
    in a stand-in for the random characters the server adds, good for lengths only: no claim
    can name what an ephemeral volume of such a Pod will create."""
    volumes = as_list(spec.get("volumes"))
    created_claims = {
        f"{pod_name}-{as_text(v.get('name')) or ''}"
        for v in volumes
        if isinstance(v, dict) and is_set(v, "ephemeral") and pod_name and not name_generated
    }
    found: dict[str, str] = {}
    seen: set[str] = set()
    for index, volume in enumerate(volumes):
        if not isinstance(volume, dict):
            continue
        path = f"spec.volumes[{index}]"
        before = len(c.errors)
        name = volume.get("name")
        name_text = name if isinstance(name, str) else ""
        kinds = [kind for kind in VOLUME_SOURCES if is_set(volume, kind)]
        first = kinds[0] if kinds else "emptyDir"  # no source at all: defaulted to emptyDir
        for extra in kinds[1:]:
            c.add(
                join(path, _SECOND_SOURCE_PATH.get(extra, extra)),
                "may not specify more than 1 volume type",
            )
        if kinds and isinstance(volume.get(first), dict):
            source_path = join(path, _SOURCE_PATH.get(first, first))
            _check_source(c, first, volume[first], source_path, name_text, pod_name)
        iscsi = volume.get("iscsi")
        if isinstance(iscsi, dict) and iscsi.get("initiatorName") is not None:
            # Checked whichever source comes first (outside validateVolumeSource's one-source
            # branch), in bytes as Go counts.
            portal = as_text(iscsi.get("targetPortal")) or ""
            if go_len(f"{name_text}:{portal}") > 64:
                c.add(
                    join(path, "name"),
                    "the volume name and iscsi.targetPortal together must be under 64 characters "
                    "when iscsi.initiatorName is set",
                )
        if is_empty(name):
            c.required(join(path, "name"))
        elif isinstance(name, str):
            c.add_all(join(path, "name"), dns_label_errors(name))
        if isinstance(name, str) and name in seen:
            c.add(join(path, "name"), f'duplicate volume name "{name}"')
        if len(c.errors) == before and isinstance(name, str):
            seen.add(name)
            found[name] = first
        claim = as_dict(volume.get("persistentVolumeClaim")).get("claimName")
        if isinstance(claim, str) and claim in created_claims:
            c.add(
                join(join(path, "persistentVolumeClaim"), "claimName"),
                "must not reference a PVC that gets created for an ephemeral volume",
            )
    return found
