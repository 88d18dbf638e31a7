"""Feature gates that change what the API server accepts in a Pod, as each release ships them.

From ``pkg/features/kube_features.go`` of Kubernetes v1.37.2: the first minor release in which
the gate is on by default (beta or GA), or ``None`` when it is still off by default (alpha, or a
beta that is off). A rule that depends on a gate says so where it is written, through
``Checker.on(name)``. The sandbox runs v1.37.2 with no gate changed, so "on" means on by default.

Fields of gates that are off are dropped by the API server before validation
(``DropDisabledPodFields``): ``drop_disabled_fields`` removes them the same way, so the engine
ignores them too and says so in a note instead of judging them.
"""

# gate -> first minor release where it is on by default (None: off in every shipped release)
ON_BY_DEFAULT_SINCE: dict[str, int | None] = {
    "SidecarContainers": 29,  # GA and removed from the gate list since 1.33
    "RelaxedEnvironmentVariableValidation": 32,
    "RelaxedDNSSearchValidation": 33,  # GA and removed
    "PodLifecycleSleepActionAllowZero": 33,  # GA and removed
    "PodLevelResources": 34,
    "InPlacePodVerticalScaling": 33,  # resizePolicy is validated (and allowed on sidecars)
    "ContainerRestartRules": 35,  # beta: container restartPolicy (and rules) on any container
    "RestartAllContainersOnContainerExits": 36,  # beta: the RestartAllContainers action
    "EnvFiles": 35,  # beta: env[].valueFrom.fileKeyRef
    "HostnameOverride": 35,  # GA in 1.37
    "RecursiveReadOnlyMounts": 31,
    "ImageVolume": 35,
    "MatchLabelKeysInPodAffinity": 31,
    "MatchLabelKeysInPodTopologySpread": 27,
    "MatchLabelKeysInPodTopologySpreadSelectorMerge": 34,
    "PodLevelResourcesFixDefaulting": 37,  # pod-level requests/limits defaulted when created
    "PodLevelResourcesFixKubeletQOSClass": 37,  # QoS from pod-level cpu/memory/hugepages only
    "SELinuxMount": 37,  # any seLinuxChangePolicy (only Recursive without it)
    "ClusterTrustBundleProjection": 37,
    "PodCertificateRequest": 37,
    "SELinuxChangePolicy": 33,
    "UserNamespacesSupport": 33,
    "SupplementalGroupsPolicy": 33,
    "ProcMountType": 33,
    "DynamicResourceAllocation": 34,
    "PodDeletionCost": 22,
    # off by default in v1.37 (alpha, or beta that is off)
    "UserNamespacesHostNetworkSupport": None,
    "ContainerStopSignals": None,
    "EmptyDirVolumeMode": None,
    "VolumeBindMountOptions": None,
    "AtomicWriteVolumeUserFields": None,
    "GRPCContainerProbeTLS": None,
    "H2CContainerProbe": None,
    "ImageVolumeWithDigest": None,
    "TaintTolerationComparisonOperators": None,
    "GenericWorkload": None,
    "EvictionRequestAPI": None,
}

_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
# The orders of dropDisabledAtomicWriteVolumeUserFields' switches.
_FILE_SOURCES = ("secret", "configMap", "downwardAPI", "projected")
_PROJECTIONS = ("secret", "downwardAPI", "configMap", "serviceAccountToken")
_PROJECTIONS += ("clusterTrustBundle", "podCertificate")


def on_by_default(gate: str, minor: int) -> bool:
    """Whether ``gate`` is on by default in release 1.``minor``."""
    since = ON_BY_DEFAULT_SINCE[gate]
    return since is not None and minor >= since


def _dicts(value) -> list:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


class _Dropper(list):
    """Collects ``(path, gate)``; removes the fields too unless it only looks."""

    def __init__(self, remove: bool):
        super().__init__()
        self.remove = remove


def _drop(holder, key: str, path: str, gate: str, dropped: _Dropper) -> None:
    if isinstance(holder, dict) and key in holder:
        if dropped.remove:
            del holder[key]
        dropped.append((path, gate))


# The annotations init containers were written as before Kubernetes 1.8: ``DropDisabledPodFields``
# deletes them from every Pod and template, whatever the gates, before anything measures them.
LEGACY_INIT_ANNOTATIONS = (
    "pod.beta.kubernetes.io/init-containers",
    "pod.alpha.kubernetes.io/init-containers",
    "pod.beta.kubernetes.io/init-container-statuses",
    "pod.alpha.kubernetes.io/init-container-statuses",
)
LEGACY = ""  # the "gate" of a field dropped whatever the gates (DropInitContainerAnnotations)


def drop_disabled_fields(pod: dict, remove: bool = True) -> list[tuple[str, str]]:
    """Removes, in place, the fields of gates that are off (``DropDisabledPodFields``) and
    returns them as ``(path, gate)``: the API server drops them silently before validation.
    With ``remove=False`` it only lists them. The legacy init-container annotations are
    dropped too, with the gate ``LEGACY``."""
    dropped = _Dropper(remove)
    metadata = pod.get("metadata") if isinstance(pod, dict) else None
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if isinstance(annotations, dict):
        for key in LEGACY_INIT_ANNOTATIONS:
            _drop(annotations, key, f"metadata.annotations[{key}]", LEGACY, dropped)
    spec = pod.get("spec") if isinstance(pod, dict) else None
    if not isinstance(spec, dict):
        return list(dropped)
    _drop(spec, "schedulingGroup", "spec.schedulingGroup", "GenericWorkload", dropped)
    _drop(spec, "evictionResponders", "spec.evictionResponders", "EvictionRequestAPI", dropped)
    for field in _CONTAINER_LISTS:
        containers = spec.get(field)
        for index, container in enumerate(containers if isinstance(containers, list) else []):
            if not isinstance(container, dict):
                continue
            base = f"spec.{field}[{index}]"
            lifecycle = container.get("lifecycle")
            path = f"{base}.lifecycle"
            if isinstance(lifecycle, dict) and lifecycle.get("stopSignal") is not None:
                _drop(
                    lifecycle, "stopSignal", f"{path}.stopSignal", "ContainerStopSignals", dropped
                )
                # dropContainerStopSignals: a lifecycle left empty becomes no lifecycle at all
                if remove and all(lifecycle.get(hook) is None for hook in ("postStart", "preStop")):
                    del container["lifecycle"]
                    lifecycle = None
            for hook in ("postStart", "preStop"):
                action = (lifecycle or {}).get(hook) if isinstance(lifecycle, dict) else None
                http = action.get("httpGet") if isinstance(action, dict) else None
                path = f"{base}.lifecycle.{hook}.httpGet.protocol"
                _drop(http, "protocol", path, "H2CContainerProbe", dropped)
            for probe_name in _PROBES:
                probe = container.get(probe_name)
                if not isinstance(probe, dict):
                    continue
                path = f"{base}.{probe_name}"
                _drop(
                    probe.get("grpc"), "mode", f"{path}.grpc.mode", "GRPCContainerProbeTLS", dropped
                )
                path = f"{path}.httpGet.protocol"
                _drop(probe.get("httpGet"), "protocol", path, "H2CContainerProbe", dropped)
            for position, mount in enumerate(_dicts(container.get("volumeMounts"))):
                path = f"{base}.volumeMounts[{position}].bindMountOptions"
                _drop(mount, "bindMountOptions", path, "VolumeBindMountOptions", dropped)
    gate = "AtomicWriteVolumeUserFields"
    for index, volume in enumerate(
        spec.get("volumes") if isinstance(spec.get("volumes"), list) else []
    ):
        if not isinstance(volume, dict):
            continue
        base = f"spec.volumes[{index}]"
        path = f"{base}.emptyDir.mode"
        _drop(volume.get("emptyDir"), "mode", path, "EmptyDirVolumeMode", dropped)
        # dropDisabledAtomicWriteVolumeUserFields: a switch, so only the first kind present (in
        # its order, not the file's) loses its user fields; another kind's are validated.
        kind = next((k for k in _FILE_SOURCES if isinstance(volume.get(k), dict)), None)
        if kind is None:
            continue
        source = volume[kind]
        _drop(source, "defaultUser", f"{base}.{kind}.defaultUser", gate, dropped)
        for item_index, item in enumerate(_dicts(source.get("items"))):
            _drop(item, "user", f"{base}.{kind}.items[{item_index}].user", gate, dropped)
        for source_index, projection in enumerate(_dicts(source.get("sources"))):
            inner = next((k for k in _PROJECTIONS if isinstance(projection.get(k), dict)), None)
            if inner is None:
                continue
            inner_source = projection[inner]
            path = f"{base}.{kind}.sources[{source_index}].{inner}"
            _drop(inner_source, "user", f"{path}.user", gate, dropped)
            for item_index, item in enumerate(_dicts(inner_source.get("items"))):
                _drop(item, "user", f"{path}.items[{item_index}].user", gate, dropped)
    return list(dropped)
