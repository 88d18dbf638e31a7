"""The rules behind issue 10's disagreements, case by case from upstream's test tables.

Each table names the upstream test it follows (``pkg/apis/core/validation/validation_test.go``
of Kubernetes v1.37.2) and expects the field path the API server reports. A case with no path
is one the API server accepts.
"""

import pytest

from podstudio.engine.validation import validate_pod
from tests.test_validation import C0, DELETE, make_pod

ANNOTATIONS = "metadata.annotations"
APPARMOR = "container.apparmor.security.beta.kubernetes.io/app"
SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"


def paths_of(manifest: dict) -> set[str]:
    return {error.path for error in validate_pod(manifest)}


def messages_at(manifest: dict, path: str) -> list[str]:
    return [error.message for error in validate_pod(manifest) if error.path == path]


def check(changes, path):
    manifest = make_pod(*changes)
    if path is None:
        assert validate_pod(manifest) == []
    else:
        assert path in paths_of(manifest), validate_pod(manifest)


# TestValidateSeccompAnnotationsAndFieldsMatch (at pod level)
SECCOMP_MATCH = [
    ("unconfined", {"type": "Unconfined"}, None),
    ("runtime/default", {"type": "RuntimeDefault"}, None),
    ("docker/default", {"type": "RuntimeDefault"}, None),
    ("localhost/test.json", {"type": "Localhost", "localhostProfile": "test.json"}, None),
    (
        "localhost/test.json",
        {"type": "Localhost", "localhostProfile": "other.json"},
        "localhostProfile",
    ),
    ("localhost/test.json", {"type": "Unconfined"}, "type"),
    ("localhost/test.json", {"type": "RuntimeDefault"}, "type"),
]


@pytest.mark.parametrize(("annotation", "profile", "where"), SECCOMP_MATCH)
def test_seccomp_annotation_and_field_must_match(annotation, profile, where):
    manifest = make_pod(
        (ANNOTATIONS, {SECCOMP_POD: annotation}),
        ("spec.securityContext.seccompProfile", profile),
    )
    expected = None if where is None else f"spec.securityContext.seccompProfile.{where}"
    check(
        [
            (ANNOTATIONS, {SECCOMP_POD: annotation}),
            ("spec.securityContext.seccompProfile", profile),
        ],
        expected,
    )
    del manifest


# TestValidateAppArmorProfileFormat, through ValidateAppArmorPodAnnotations
@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("", True),
        ("runtime/default", True),
        ("unconfined", True),
        ("baz", False),
        ("localhost//usr/sbin/ntpd", True),
        ("localhost/foo-bar", True),
    ],
)
def test_apparmor_annotation_value_format(value, valid):
    check([(ANNOTATIONS, {APPARMOR: value})], None if valid else f"{ANNOTATIONS}[{APPARMOR}]")


def test_apparmor_annotation_for_a_missing_container():
    key = "container.apparmor.security.beta.kubernetes.io/nope"
    assert messages_at(
        make_pod((ANNOTATIONS, {key: "runtime/default"})), f"{ANNOTATIONS}[{key}]"
    ) == ['container "nope" not found']


@pytest.mark.parametrize(
    ("annotation", "container_profile", "pod_profile", "where"),
    [
        ("unconfined", {"type": "Unconfined"}, None, None),
        ("runtime/default", {"type": "Unconfined"}, None, "type"),
        ("localhost/a", {"type": "Localhost", "localhostProfile": "b"}, None, "localhostProfile"),
        ("localhost/a", {"type": "RuntimeDefault"}, None, "type"),
        # applyAppArmorVersionSkew copies the annotation to the container's field first.
        ("unconfined", None, {"type": "RuntimeDefault"}, None),
        # ...unless it cannot be a field: then the Pod's profile is compared.
        ("localhost/", None, {"type": "RuntimeDefault"}, "type"),
    ],
)
def test_apparmor_annotation_and_field_must_match_on_create(
    annotation, container_profile, pod_profile, where
):
    changes = [(ANNOTATIONS, {APPARMOR: annotation})]
    if container_profile:
        changes.append((f"{C0}.securityContext.appArmorProfile", container_profile))
    if pod_profile:
        changes.append(("spec.securityContext.appArmorProfile", pod_profile))
    expected = None if where is None else f"{C0}.securityContext.appArmorProfile.{where}"
    if annotation == "localhost/" and where:
        assert expected in paths_of(make_pod(*changes))
    else:
        check(changes, expected)


# GetDeletionCostFromPodAnnotations
@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("10", True),
        ("-5", True),
        ("0", True),
        ("+10", False),
        ("008", False),
        ("2147483648", False),
        ("", False),
    ],
)
def test_deletion_cost_is_a_32bit_integer(value, valid):
    key = "controller.kubernetes.io/pod-deletion-cost"
    check([(ANNOTATIONS, {key: value})], None if valid else f"{ANNOTATIONS}[{key}]")


# validateProjectionSources
P = "spec.volumes[1].projected"


def projected(*sources):
    return ("spec.volumes[1]", {"name": "proj", "projected": {"sources": list(sources)}})


@pytest.mark.parametrize(
    ("sources", "path"),
    [
        ([{"configMap": {"name": "a", "items": [{"key": "k", "path": "x"}]}}], None),
        (
            [
                {"configMap": {"name": "a", "items": [{"key": "k", "path": "x"}]}},
                {"secret": {"name": "b", "items": [{"key": "k", "path": "x"}]}},
            ],
            P,
        ),
        ([{"serviceAccountToken": {"path": "t", "expirationSeconds": 600}}], None),
        (
            [{"serviceAccountToken": {"path": "t", "expirationSeconds": 599}}],
            f"{P}.sources[0].serviceAccountToken.expirationSeconds",
        ),
        (
            [{"serviceAccountToken": {"path": "t", "expirationSeconds": 2**32 + 1}}],
            f"{P}.sources[0].serviceAccountToken.expirationSeconds",
        ),
        ([{"serviceAccountToken": {"path": ""}}], f"{P}.path"),
        ([{"secret": {"name": "a"}, "configMap": {"name": "b"}}], f"{P}.sources[0]"),
        ([{"clusterTrustBundle": {"path": "ca.pem"}}], f"{P}.sources[0].clusterTrustBundle"),
        (
            [{"clusterTrustBundle": {"name": "b", "signerName": "x.io/s", "path": "ca.pem"}}],
            f"{P}.sources[0].clusterTrustBundle",
        ),
        (
            [{"clusterTrustBundle": {"name": "b", "labelSelector": {}, "path": "ca.pem"}}],
            f"{P}.sources[0].clusterTrustBundle.labelSelector",
        ),
        (
            [{"clusterTrustBundle": {"signerName": "nodomain", "path": "ca.pem"}}],
            f"{P}.sources[0].clusterTrustBundle.signerName",
        ),
        ([{"clusterTrustBundle": {"signerName": "example.com/s", "path": "ca.pem"}}], None),
        (
            [
                {
                    "podCertificate": {
                        "signerName": "example.com/s",
                        "keyType": "ED25519",
                        "keyPath": "k",
                    }
                }
            ],
            None,
        ),
        (
            [{"podCertificate": {"signerName": "example.com/s", "keyType": "DSA", "keyPath": "k"}}],
            f"{P}.sources[0].podCertificate.keyType",
        ),
        (
            [{"podCertificate": {"signerName": "example.com/s", "keyType": "ED25519"}}],
            f"{P}.sources[0].podCertificate",
        ),
        (
            [
                {
                    "downwardAPI": {
                        "items": [{"path": "ip", "fieldRef": {"fieldPath": "status.podIP"}}]
                    }
                }
            ],
            f"{P}.sources[0].downwardAPI.fieldRef.fieldPath",
        ),
    ],
)
def test_projected_sources(sources, path):
    check([projected(*sources)], path)


# validateDownwardAPIVolumeFile and the downward API in env (TestValidateEnv's valueFrom cases)
D = "spec.volumes[1].downwardAPI"


@pytest.mark.parametrize(
    ("item", "path"),
    [
        ({"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}, None),
        ({"path": "labels", "fieldRef": {"fieldPath": "metadata.labels['app']"}}, None),
        ({"path": "ip", "fieldRef": {"fieldPath": "status.podIP"}}, f"{D}.fieldRef.fieldPath"),
        (
            {"path": "cpu", "resourceFieldRef": {"resource": "limits.cpu"}},
            f"{D}.resourceFieldRef.containerName",
        ),
        (
            {"path": "cpu", "resourceFieldRef": {"containerName": "app", "resource": "limits.cpu"}},
            None,
        ),
        ({"path": "x"}, D),
        ({"path": "/abs", "fieldRef": {"fieldPath": "metadata.name"}}, f"{D}.path"),
        ({"path": "..x", "fieldRef": {"fieldPath": "metadata.name"}}, f"{D}.path"),
    ],
)
def test_downward_api_volume_files(item, path):
    check([("spec.volumes[1]", {"name": "info", "downwardAPI": {"items": [item]}})], path)


E = f"{C0}.env[0].valueFrom"


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ({"fieldRef": {"fieldPath": "status.podIP"}}, None),
        ({"fieldRef": {"fieldPath": "spec.host"}}, None),  # spec.nodeName for old v1 clients
        (
            {"fieldRef": {"apiVersion": "v2", "fieldPath": "metadata.name"}},
            f"{E}.fieldRef.fieldPath",
        ),
        ({"fieldRef": {"fieldPath": "metadata.labels"}}, f"{E}.fieldRef.fieldPath"),
        ({"fieldRef": {"fieldPath": "metadata.labels['bad key']"}}, f"{E}.fieldRef"),
        ({"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}, None),
        (
            {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1Mi"}},
            f"{E}.resourceFieldRef.divisor",
        ),
        ({"resourceFieldRef": {"resource": "requests.memory", "divisor": "1Mi"}}, None),
        (
            {"resourceFieldRef": {"resource": "requests.memory", "divisor": "3"}},
            f"{E}.resourceFieldRef.divisor",
        ),
        ({"resourceFieldRef": {"resource": "limits.hugepages-2Mi"}}, None),
        ({"resourceFieldRef": {"resource": "cpu"}}, f"{E}.resourceFieldRef.resource"),
    ],
)
def test_downward_api_in_env(source, path):
    check([(f"{C0}.env", [{"name": "X", "valueFrom": source}])], path)


# TestValidateFileKeyRefVolume and TestValidateEnvVarValueFromFileKeyRef (EnvFiles, beta and on)
F = f"{C0}.env[0].valueFrom.fileKeyRef"


@pytest.mark.parametrize(
    ("ref", "volume", "path"),
    [
        ({"volumeName": "data", "path": "env", "key": "KEY"}, {"emptyDir": {}}, None),
        (
            {"volumeName": "data", "path": "env", "key": "KEY"},
            {"configMap": {"name": "c"}},
            f"{F}.volumeName",
        ),
        ({"volumeName": "nope", "path": "env", "key": "KEY"}, {"emptyDir": {}}, f"{F}.volumeName"),
        ({"volumeName": "data", "path": "../env", "key": "KEY"}, {"emptyDir": {}}, f"{F}.path"),
        ({"volumeName": "data", "path": "env", "key": "A=B"}, {"emptyDir": {}}, f"{F}.key"),
        ({"volumeName": "data", "path": "env"}, {"emptyDir": {}}, f"{F}.key"),
    ],
)
def test_env_files(ref, volume, path):
    check(
        [
            ("spec.volumes[0]", {"name": "data", **volume}),
            (f"{C0}.env", [{"name": "KEY", "valueFrom": {"fileKeyRef": ref}}]),
        ],
        path,
    )


# ValidateVolumeMounts and validateMountRecursiveReadOnly, TestAlphaValidateVolumeDevices
M = f"{C0}.volumeMounts"


@pytest.mark.parametrize(
    ("mount", "path"),
    [
        ({"readOnly": True, "recursiveReadOnly": "Enabled"}, None),
        ({"readOnly": True, "recursiveReadOnly": "IfPossible"}, None),
        ({"recursiveReadOnly": "Disabled"}, None),
        ({"recursiveReadOnly": "Enabled"}, f"{M}.recursiveReadOnly"),
        (
            {
                "readOnly": True,
                "recursiveReadOnly": "Enabled",
                "mountPropagation": "HostToContainer",
            },
            f"{M}.recursiveReadOnly",
        ),
        ({"readOnly": True, "recursiveReadOnly": "Always"}, f"{M}.recursiveReadOnly"),
        ({"subPath": "a", "subPathExpr": "$(X)"}, f"{M}[0].subPathExpr"),
    ],
)
def test_volume_mounts(mount, path):
    check([(f"{M}[0]", {"name": "data", "mountPath": "/data", **mount})], path)


@pytest.mark.parametrize(
    ("volume", "device", "path"),
    [
        (
            {"persistentVolumeClaim": {"claimName": "c"}},
            {"name": "block", "devicePath": "/dev/xvdb"},
            None,
        ),
        (
            {"emptyDir": {}},
            {"name": "block", "devicePath": "/dev/xvdb"},
            f"{C0}.volumeDevices[0].name",
        ),
        (
            {"persistentVolumeClaim": {"claimName": "c"}},
            {"name": "block", "devicePath": "/dev/../x"},
            f"{C0}.volumeDevices[0].devicePath",
        ),
        (
            {"persistentVolumeClaim": {"claimName": "c"}},
            {"name": "block", "devicePath": "/data"},
            f"{C0}.volumeDevices[0].devicePath",
        ),
        (
            {"persistentVolumeClaim": {"claimName": "c"}},
            {"name": "nope", "devicePath": "/dev/x"},
            f"{C0}.volumeDevices[0].name",
        ),
    ],
)
def test_volume_devices(volume, device, path):
    check(
        [("spec.volumes[1]", {"name": "block", **volume}), (f"{C0}.volumeDevices", [device])], path
    )


# TestValidateEphemeralVolume, validateImageVolumeSource
EPHEMERAL = "spec.volumes[1].ephemeral"


@pytest.mark.parametrize(
    ("source", "path"),
    [
        (
            {
                "volumeClaimTemplate": {
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "1Gi"}},
                    }
                }
            },
            None,
        ),
        ({}, f"{EPHEMERAL}.volumeClaimTemplate"),
        (
            {"volumeClaimTemplate": {"spec": {"resources": {"requests": {"storage": "1Gi"}}}}},
            f"{EPHEMERAL}.volumeClaimTemplate.spec.accessModes",
        ),
        (
            {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"]}}},
            f"{EPHEMERAL}.volumeClaimTemplate.spec.resources[storage]",
        ),
        (
            {
                "volumeClaimTemplate": {
                    "spec": {
                        "accessModes": ["ReadWriteOncePod", "ReadOnlyMany"],
                        "resources": {"requests": {"storage": "1Gi"}},
                    }
                }
            },
            f"{EPHEMERAL}.volumeClaimTemplate.spec.accessModes",
        ),
        (
            {
                "volumeClaimTemplate": {
                    "metadata": {"name": "x"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "1Gi"}},
                    },
                }
            },
            f"{EPHEMERAL}.volumeClaimTemplate.metadata.name",
        ),
    ],
)
def test_ephemeral_volumes(source, path):
    check([("spec.volumes[1]", {"name": "scratch", "ephemeral": source})], path)


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ({"reference": "busybox"}, None),
        ({"reference": "busybox", "pullPolicy": "Never"}, None),
        ({"reference": "busybox", "pullPolicy": "Sometimes"}, "spec.volumes[1].image.pullPolicy"),
        ({"pullPolicy": "Always"}, "spec.volumes[1].image.reference"),
    ],
)
def test_image_volumes(source, path):
    check([("spec.volumes[1]", {"name": "img", "image": source})], path)


def test_a_volume_without_a_source_is_an_empty_dir():
    check([("spec.volumes[0]", {"name": "data"})], None)


# TestValidateContainerRestartPolicy (ContainerRestartRules, beta and on since 1.35)
R = C0


@pytest.mark.parametrize(
    ("policy", "rules", "path"),
    [
        ("Always", None, None),
        ("Never", None, None),
        ("OnFailure", None, None),
        ("Never", [{"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}], None),
        (
            "Never",
            [{"action": "RestartAllContainers", "exitCodes": {"operator": "In", "values": [42]}}],
            None,
        ),
        ("invalid", None, f"{R}.restartPolicy"),
        ("", None, f"{R}.restartPolicy"),
        (
            None,
            [{"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}],
            f"{R}.restartPolicy",
        ),
        (
            "Never",
            [{"action": "invalid", "exitCodes": {"operator": "In", "values": [42]}}],
            f"{R}.restartPolicyRules[0].action",
        ),
        (
            "Never",
            [{"action": "", "exitCodes": {"operator": "In", "values": [42]}}],
            f"{R}.restartPolicyRules[0].action",
        ),
        ("Never", [{"action": "Restart"}], f"{R}.restartPolicyRules[0].exitCodes"),
        (
            "Never",
            [{"action": "Restart", "exitCodes": {"operator": "invalid", "values": [42]}}],
            f"{R}.restartPolicyRules[0].exitCodes.operator",
        ),
        (
            "Never",
            [{"action": "Restart", "exitCodes": {"operator": "In", "values": [0] * 256}}],
            f"{R}.restartPolicyRules[0].exitCodes.values",
        ),
        (
            "Never",
            [{"action": "Restart", "exitCodes": {"operator": "In", "values": [1]}}] * 21,
            f"{R}.restartPolicyRules",
        ),
    ],
)
def test_container_restart_policy_and_rules(policy, rules, path):
    changes = []
    if policy is not None:
        changes.append((f"{C0}.restartPolicy", policy))
    if rules is not None:
        changes.append((f"{C0}.restartPolicyRules", rules))
    check(changes, path)


# TestValidateResizePolicy
@pytest.mark.parametrize(
    ("pod_policy", "policies", "path"),
    [
        ("Always", [{"resourceName": "cpu", "restartPolicy": "RestartContainer"}], None),
        ("Never", [{"resourceName": "cpu", "restartPolicy": "NotRequired"}], None),
        (
            "Never",
            [{"resourceName": "cpu", "restartPolicy": "RestartContainer"}],
            f"{C0}.resizePolicy",
        ),
        (
            "Always",
            [{"resourceName": "cpu", "restartPolicy": "NotRequired"}] * 2,
            f"{C0}.resizePolicy[1]",
        ),
        ("Always", [{"resourceName": "gpu", "restartPolicy": "NotRequired"}], f"{C0}.resizePolicy"),
        ("Always", [{"restartPolicy": "NotRequired"}], f"{C0}.resizePolicy"),
    ],
)
def test_resize_policy(pod_policy, policies, path):
    check([("spec.restartPolicy", pod_policy), (f"{C0}.resizePolicy", policies)], path)


# TestValidateWindowsSecurityContextOptions (runAsUserName and gMSA)
W = f"{C0}.securityContext.windowsOptions"


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"gmsaCredentialSpecName": "dummy-gmsa-crep-spec-name", "gmsaCredentialSpec": "x"}, None),
        ({"gmsaCredentialSpecName": "not_a-valid-gmsa-crep-spec-name"}, "DNS subdomain"),
        ({"gmsaCredentialSpec": ""}, "gmsaCredentialSpec cannot be an empty string"),
        ({"gmsaCredentialSpec": "a" * (64 * 1024 + 1)}, "gmsaCredentialSpec size must be under"),
        ({"runAsUserName": "Container. User"}, None),
        ({"runAsUserName": "Network Service\\Container. User"}, None),
        ({"runAsUserName": "fOo" * 20 + ".liSH\\Container. User"}, None),
        ({"runAsUserName": "a" * 42 + "\\Container. User"}, None),
        ({"runAsUserName": ""}, "runAsUserName cannot be an empty string"),
        ({"runAsUserName": "Container\tUser"}, "runAsUserName cannot contain control characters"),
        ({"runAsUserName": "Container\\Foo\\Lish"}, "more than one backslash"),
        ({"runAsUserName": "\\User"}, "Domain doesn't match the NetBios nor the DNS format"),
        ({"runAsUserName": "Container\\"}, "runAsUserName's User cannot be empty"),
        ({"runAsUserName": "NetBios " + "a" * 8 + "\\user"}, "Domain doesn't match the NetBios"),
        ({"runAsUserName": ("a" * 63 + ".") * 4 + ".com\\user"}, "Domain length must be under"),
        ({"runAsUserName": "a" * 105}, "User length must not be longer than 104"),
        ({"runAsUserName": "... ..."}, "cannot contain only periods or spaces"),
        ({"runAsUserName": ".FooLish\\User"}, "Domain doesn't match the NetBios"),
        ({"runAsUserName": "Foo? Lish?\\User"}, "Domain doesn't match the NetBios"),
        ({"runAsUserName": "Container/User"}, "cannot contain the following characters"),
    ],
)
def test_windows_security_context_options(options, fragment):
    path = f"{W}.{next(iter(options))}"
    manifest = make_pod(
        ("spec.os", {"name": "windows"}), (f"{C0}.securityContext.windowsOptions", options)
    )
    messages = messages_at(manifest, path)
    if fragment is None:
        assert validate_pod(manifest) == []
    else:
        assert any(fragment in message for message in messages), validate_pod(manifest)


# TestValidateWindowsHostProcessPod
@pytest.mark.parametrize(
    ("pod_value", "container_value", "host_network", "paths"),
    [
        (True, None, True, set()),
        (True, True, True, set()),
        (True, False, True, {f"{C0}.securityContext.windowsOptions.hostProcess"}),
        (None, True, False, {"spec.hostNetwork"}),
    ],
)
def test_windows_host_process(pod_value, container_value, host_network, paths):
    changes = [("spec.os", {"name": "windows"}), ("spec.hostNetwork", host_network)]
    if pod_value is not None:
        changes.append(("spec.securityContext.windowsOptions", {"hostProcess": pod_value}))
    if container_value is not None:
        changes.append((f"{C0}.securityContext.windowsOptions", {"hostProcess": container_value}))
    assert paths_of(make_pod(*changes)) == paths


# TestValidateHostUsers
@pytest.mark.parametrize(
    ("field", "path"),
    [("hostNetwork", "spec.hostNetwork"), ("hostPID", "spec.HostPID"), ("hostIPC", "spec.HostIPC")],
)
def test_a_pod_in_a_user_namespace_shares_no_host_namespace(field, path):
    check([("spec.hostUsers", False), (f"spec.{field}", True)], path)


# TestValidatePodHostName (HostnameOverride, GA in 1.37)
@pytest.mark.parametrize(
    ("override", "extra", "valid"),
    [
        ("custom-host", [], True),
        ("a" * 64, [], True),
        ("a" * 65, [], False),
        ("Not-RFC1123", [], False),
        ("", [], False),
        ("custom-host", [("spec.setHostnameAsFQDN", True)], False),
        ("custom-host", [("spec.setHostnameAsFQDN", False)], True),
        ("custom-host", [("spec.hostNetwork", True)], False),
    ],
)
def test_hostname_override(override, extra, valid):
    check([("spec.hostnameOverride", override), *extra], None if valid else "spec.hostnameOverride")


# TestValidateTopologySpreadConstraints and validatePodAffinityTerm: matchLabelKeys
T = "spec.topologySpreadConstraints[0]"
SPREAD = {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}


@pytest.mark.parametrize(
    ("constraint", "path"),
    [
        (
            {**SPREAD, "labelSelector": {"matchLabels": {"tier": "x"}}, "matchLabelKeys": ["app"]},
            None,
        ),
        ({**SPREAD, "matchLabelKeys": ["app"]}, f"{T}.matchLabelKeys"),
        ({**SPREAD, "labelSelector": {}, "matchLabelKeys": ["-bad"]}, f"{T}.matchLabelKeys[0]"),
        # The Pod's label app=demo is merged into the selector, which names app already.
        (
            {
                **SPREAD,
                "labelSelector": {"matchLabels": {"app": "demo"}},
                "matchLabelKeys": ["app"],
            },
            f"{T}[0]",
        ),
        ({**SPREAD, "minDomains": 2, "whenUnsatisfiable": "ScheduleAnyway"}, f"{T}.minDomains"),
    ],
)
def test_topology_spread_match_label_keys(constraint, path):
    check([("spec.topologySpreadConstraints", [constraint])], path)


A = "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"


@pytest.mark.parametrize(
    ("term", "path"),
    [
        (
            {
                "topologyKey": "zone",
                "labelSelector": {},
                "matchLabelKeys": ["app"],
                "mismatchLabelKeys": ["tier"],
            },
            None,
        ),
        ({"topologyKey": "zone", "matchLabelKeys": ["app"]}, f"{A}.matchLabelKeys"),
        (
            {
                "topologyKey": "zone",
                "labelSelector": {},
                "matchLabelKeys": ["app"],
                "mismatchLabelKeys": ["app"],
            },
            f"{A}.matchLabelKeys[0]",
        ),
        (
            {
                "topologyKey": "zone",
                "labelSelector": {"matchLabels": {"app": "demo"}},
                "matchLabelKeys": ["app"],
            },
            f"{A}[0]",
        ),
        ({"labelSelector": {}}, f"{A}.topologyKey"),
        ({"topologyKey": "zone", "namespaces": ["Bad_NS"]}, f"{A}.namespace"),
    ],
)
def test_pod_affinity_match_label_keys(term, path):
    check(
        [("spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution", [term])], path
    )


# ValidateOwnerReferences, validatePodResourceClaims
@pytest.mark.parametrize(
    ("reference", "path"),
    [
        ({"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u"}, None),
        (
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs"},
            "metadata.ownerReferences[0].uid",
        ),
        (
            {"kind": "ReplicaSet", "name": "rs", "uid": "u"},
            "metadata.ownerReferences[0].apiVersion",
        ),
        (
            {"apiVersion": "a/b/c", "kind": "ReplicaSet", "name": "rs", "uid": "u"},
            "metadata.ownerReferences[0].apiVersion",
        ),
        (
            {"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "u"},
            "metadata.ownerReferences[0]",
        ),
    ],
)
def test_owner_references(reference, path):
    check([("metadata.ownerReferences", [reference])], path)


@pytest.mark.parametrize(
    ("claim", "path"),
    [
        ({"name": "gpu", "resourceClaimName": "c"}, None),
        ({"name": "gpu", "resourceClaimTemplateName": "t"}, None),
        ({"name": "gpu"}, "spec.resourceClaims[0]"),
        (
            {"name": "gpu", "resourceClaimName": "c", "resourceClaimTemplateName": "t"},
            "spec.resourceClaims[0]",
        ),
        ({"name": "Bad_Name", "resourceClaimName": "c"}, "spec.resourceClaims[0].name"),
    ],
)
def test_resource_claims(claim, path):
    check([("spec.resourceClaims", [claim])], path)


def test_a_container_claim_must_name_a_pod_claim():
    check([(f"{C0}.resources.claims", [{"name": "nope"}])], f"{C0}.resources.claims[0]")


# Schema ranges and list entries as Go decodes them
def test_int32_overflow_cannot_be_read():
    check(
        [(f"{C0}.livenessProbe", {"exec": {"command": ["x"]}, "timeoutSeconds": 2**31})],
        f"{C0}.livenessProbe.timeoutSeconds",
    )


def test_a_null_container_is_a_container_without_fields():
    assert {"spec.containers[1].name", "spec.containers[1].image"} <= paths_of(
        make_pod(("spec.containers[1]", None))
    )


def test_no_image_for_a_deleted_field():
    check([(f"{C0}.image", DELETE)], f"{C0}.image")


# A null entry of a list, or a null value of a map, is Go's zero value of its type (checked
# against the sandbox's API server): "" for a string, 0 for an integer, an empty struct.
@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        ([("spec.dnsConfig", {"nameservers": [None]})], {"spec.dnsConfig.nameservers[0]"}),
        ([("spec.dnsConfig", {"searches": [None]})], {"spec.dnsConfig.searches[0]"}),
        (
            [("spec.hostAliases", [{"ip": "10.0.0.1", "hostnames": [None]}])],
            {"spec.hostAliases[0].hostnames[0]"},
        ),
        ([("metadata.finalizers", [None])], {"metadata.finalizers", "metadata.finalizers[0]"}),
        ([("spec.schedulingGates", [None])], {"spec.schedulingGates[0]"}),
        ([("spec.securityContext", {"sysctls": [None]})], {"spec.securityContext.sysctls[0].name"}),
        (
            [(ANNOTATIONS, {"controller.kubernetes.io/pod-deletion-cost": None})],
            {"metadata.annotations[controller.kubernetes.io/pod-deletion-cost]"},
        ),
        ([(ANNOTATIONS, {SECCOMP_POD: None})], {f"{ANNOTATIONS}.{SECCOMP_POD}"}),
        ([("metadata.labels", {"-a": None})], {"metadata.labels"}),
        # accepted: an empty string or a zero is valid there
        ([(f"{C0}.args", [None])], set()),
        ([(f"{C0}.securityContext", {"capabilities": {"add": [None]}})], set()),
        ([("spec.securityContext", {"supplementalGroups": [None]})], set()),
        ([("metadata.labels", {"a": None}), (ANNOTATIONS, {"b": None})], set()),
        ([("spec.nodeSelector", {"a": None})], set()),
        ([(f"{C0}.resources", {"limits": {"cpu": None}})], set()),
    ],
    ids=lambda value: str(value)[:60],
)
def test_null_entries_are_zero_values(changes, paths):
    assert paths_of(make_pod(*changes)) == paths


# A quantity string is parsed while the Pod is decoded (Quantity.UnmarshalJSON: spaces
# trimmed, then ParseQuantity), wherever it is; checked against the sandbox's API server.
@pytest.mark.parametrize(
    ("value", "readable"),
    [
        ("1Gi", True),
        (" 1", True),
        ("1 ", True),
        ("+1", True),
        ("1.", True),
        (".5", True),
        ("1E3", True),
        ("1Ei", True),
        ("0x", False),
        ("1.5.5", False),
        ("1e", False),
        ("", False),
        (" ", False),
        ("\t1", False),  # JSON writes the tab as \t, which is not trimmed
        ("- 1", False),
    ],
)
@pytest.mark.parametrize(
    ("where", "path"),
    [
        ("spec.volumes[0].emptyDir.sizeLimit", "spec.volumes[0].emptyDir.sizeLimit"),
        (f"{C0}.env[0].valueFrom.resourceFieldRef.divisor", None),
        (f"{C0}.resources.limits.memory", f"{C0}.resources.limits[memory]"),
    ],
    ids=["sizeLimit", "divisor", "limits"],
)
def test_a_quantity_must_be_readable_wherever_it_is(value, readable, where, path):
    changes = [
        (
            f"{C0}.env",
            [{"name": "A", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}}],
        ),
        (where, value),
    ]
    path = path or f"{C0}.env[0].valueFrom.resourceFieldRef.divisor"
    errors = validate_pod(make_pod(*changes))
    if readable:
        assert [e for e in errors if "quantity" in e.message] == []
    else:
        memory = path.endswith("[memory]")  # (its examples are of memory)
        examples = "256Mi or 1Gi" if memory else "500m or 1Gi"
        assert [(e.path, e.message) for e in errors] == [
            (path, f"must be a quantity such as {examples}")
        ]


# metav1.Time is parsed as Go's time.RFC3339 while the Pod is decoded.
@pytest.mark.parametrize(
    ("value", "readable"),
    [
        ("2024-01-01T00:00:00Z", True),
        ("2024-01-01T00:00:00.123456789+02:00", True),
        ("2024-01-01T00:00:00,5Z", True),
        ("2024-01-01T00:00:00+23:60", True),
        ("0000-02-29T00:00:00Z", True),
        (None, True),
        ("2024-01-01", False),
        ("2024-01-01t00:00:00z", False),
        ("2024-01-01 00:00:00Z", False),
        ("2024-02-30T00:00:00Z", False),
        ("2024-01-01T24:00:00Z", False),
        ("2024-01-01T23:59:60Z", False),
        ("2024-01-01T00:00:00+25:00", False),
        ("0001-02-29T00:00:00Z", False),
        ("", False),
    ],
)
def test_a_timestamp_must_be_readable(value, readable):
    paths = paths_of(make_pod(("metadata.creationTimestamp", value)))
    assert paths == (set() if readable else {"metadata.creationTimestamp"})


# SetDefaults_ResourceList rounds every value up to thousandths before validation.
@pytest.mark.parametrize(
    ("resources", "valid"),
    [
        ({"limits": {"cpu": "0.1m"}, "requests": {"cpu": "0.5m"}}, True),  # both 1m
        ({"limits": {"cpu": "1.0001"}, "requests": {"cpu": "1.0009"}}, True),  # both 1001m
        ({"limits": {"cpu": "1.0001"}, "requests": {"cpu": "1.0019"}}, False),  # 1002m > 1001m
    ],
)
def test_requests_and_limits_compare_as_stored(resources, valid):
    assert (paths_of(make_pod((f"{C0}.resources", resources))) == set()) is valid


def test_pod_level_limits_compare_as_stored():
    assert paths_of(make_pod(("spec.resources", {"limits": {"cpu": "0.1m"}}))) == set()


# ValidatePersistentVolumeClaimSpec: validateDataSource, validateDataSourceRef and
# isDataSourceEqualDataSourceRef (TestValidatePersistentVolumeClaimSpec's data source cases),
# in an ephemeral volume's claim template.
CLAIM_SPEC = f"{EPHEMERAL}.volumeClaimTemplate.spec"
PVC = {"kind": "PersistentVolumeClaim", "name": "src"}
SNAPSHOT = {"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "snap"}


@pytest.mark.parametrize(
    ("sources", "paths"),
    [
        ({"dataSource": PVC}, set()),
        ({"dataSource": SNAPSHOT}, set()),
        ({"dataSource": None}, set()),
        ({"dataSourceRef": SNAPSHOT}, set()),
        ({"dataSource": PVC, "dataSourceRef": PVC}, set()),
        ({"dataSource": {**PVC, "apiGroup": None}, "dataSourceRef": PVC}, set()),
        # a ref to another namespace takes no dataSource (and is not copied into one)
        ({"dataSourceRef": {**PVC, "namespace": "other"}}, set()),
        ({"dataSource": {"kind": "VolumeSnapshot", "name": "snap"}}, {"dataSource"}),
        ({"dataSourceRef": {"kind": "Foo", "name": "x"}}, {"dataSourceRef"}),
        ({"dataSource": {"name": "x"}}, {"dataSource.kind", "dataSource"}),
        ({"dataSource": {"kind": None, "name": "x"}}, {"dataSource.kind", "dataSource"}),
        ({"dataSource": {}}, {"dataSource.kind", "dataSource.name", "dataSource"}),
        ({"dataSourceRef": {"kind": "PersistentVolumeClaim"}}, {"dataSourceRef.name"}),
        ({"dataSource": {**SNAPSHOT, "apiGroup": "Not A Group"}}, {"dataSource.apiGroup"}),
        ({"dataSourceRef": {**SNAPSHOT, "apiGroup": "Not A Group"}}, {"dataSourceRef.apiGroup"}),
        ({"dataSourceRef": {**PVC, "namespace": "A_B"}}, {"dataSourceRef.namespace"}),
        ({"dataSource": PVC, "dataSourceRef": {**PVC, "name": "other"}}, {""}),
        ({"dataSource": PVC, "dataSourceRef": SNAPSHOT}, {""}),
        # the apiGroups are compared as pointers: "" is not a missing one
        ({"dataSource": {**PVC, "apiGroup": ""}, "dataSourceRef": PVC}, {""}),
        ({"dataSource": PVC, "dataSourceRef": {**PVC, "namespace": "other"}}, {""}),
        # an empty namespace is no namespace: the two must match
        ({"dataSource": PVC, "dataSourceRef": {**PVC, "name": "b", "namespace": ""}}, {""}),
    ],
)
def test_claim_data_sources(sources, paths):
    claim = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    manifest = make_pod(
        (
            "spec.volumes[1]",
            {
                "name": "scratch",
                "ephemeral": {"volumeClaimTemplate": {"spec": {**claim, **sources}}},
            },
        )
    )
    expected = {f"{CLAIM_SPEC}.{path}" if path else CLAIM_SPEC for path in paths}
    assert paths_of(manifest) == expected, validate_pod(manifest)


def test_claim_data_source_messages():
    manifest = make_pod(
        (
            "spec.volumes[1]",
            {
                "name": "scratch",
                "ephemeral": {
                    "volumeClaimTemplate": {
                        "spec": {
                            "accessModes": ["ReadWriteOnce"],
                            "resources": {"requests": {"storage": "1Gi"}},
                            "dataSource": {"kind": "VolumeSnapshot", "name": "snap"},
                        }
                    }
                },
            },
        )
    )
    [message] = messages_at(manifest, f"{CLAIM_SPEC}.dataSource")
    assert "must be 'PersistentVolumeClaim' when referencing the default apiGroup" in message


# ValidateObjectMeta checks a generation that is not negative, but on create the API server
# resets it first (PrepareForCreate): a negative one is accepted.
def test_a_negative_generation_is_accepted_on_create():
    assert validate_pod(make_pod(("metadata.generation", -1))) == []
