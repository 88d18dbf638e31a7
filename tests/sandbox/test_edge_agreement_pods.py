# ruff: noqa: E501 (a table of manifests, one case a line)
"""Edge cases in newer Pod fields where the engine and the API server once disagreed, found by
hand, with the answer kube-apiserver v1.37.2 gave to each (a server-side dry run with
fieldValidation=Strict of the YAML text as written): the fields it refused, none when it
accepted. Each disagreement keeps a neighbour or two the server accepts, so that a fix does not
refuse too much.

The engine is checked against the recorded answer on every run; the sandbox suite checks the
recorded answer against the live server (as ``test_edge_agreement`` does, with its helpers).
"""

import pytest

from tests.sandbox.test_edge_agreement import (  # noqa: F401 (namespace: a fixture)
    _indented,
    check_engine,
    dry_run,
    edge,
    namespace,
)


def pod(spec: str = "", container: str = "") -> str:
    """A Pod with ``spec`` before its one container and ``container`` inside it."""
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: edge\nspec:\n"
        f"{_indented(spec, 2) if spec else ''}  containers:\n  - name: app\n"
        f"    image: nginx:1.27\n{_indented(container, 4) if container else ''}"
    )


def static(spec: str, kind: str = "Pod") -> str:
    """A static Pod (the kubelet's mirror annotation), or a workload whose template has one."""
    annotations = "annotations: {kubernetes.io/config.mirror: x}"
    if kind == "Pod":
        return pod(spec).replace("  name: edge\n", f"  name: edge\n  {annotations}\n", 1)
    api = "apps/v1" if kind == "Deployment" else "batch/v1"
    policy = "restartPolicy: Never\n" if kind == "Job" else ""
    return (
        f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: edge\nspec:\n"
        + ("  selector:\n    matchLabels: {app: web}\n" if kind == "Deployment" else "")
        + f"  template:\n    metadata:\n      labels: {{app: web}}\n      {annotations}\n"
        + f"    spec:\n{_indented(policy + spec, 6)}      containers:\n      - name: app\n"
        + "        image: nginx:1.27\n"
    )


def certificate(annotations: str) -> str:
    return pod(
        "volumes:\n- name: cert\n  projected:\n    sources:\n    - podCertificate:\n"
        "        signerName: example.com/foo\n        keyType: ED25519\n"
        f"        credentialBundlePath: creds.pem\n        userAnnotations: {annotations}"
    )


def huge_pages(count: str) -> str:
    """A container asking for ``count`` 2 MiB huge pages (the request defaults to the limit)."""
    return pod(container=f"resources:\n  limits: {{memory: 1Gi, hugepages-2Mi: '{count}'}}")


def nameless(annotation: str, container: str) -> str:
    """A Pod whose second container has no name (Go reads ""), with the AppArmor annotation of
    the container named "" and a Localhost profile for the Pod."""
    return (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: edge\n"
        f"  annotations: {{'container.apparmor.security.beta.kubernetes.io/': '{annotation}'}}\n"
        "spec:\n  securityContext: {appArmorProfile: {type: Localhost, localhostProfile: k8s-x}}\n"
        f"  containers:\n  - name: app\n    image: nginx:1.27\n  - {container}\n"
    )


HUGE = (
    "spec.containers[0].resources.limits[hugepages-2Mi]",
    "spec.containers[0].resources.requests[hugepages-2Mi]",
)
AA = "container.apparmor.security.beta.kubernetes.io/"
CERT = "spec.volumes[0].projected.sources[0].podCertificate"
CLAIMS = "resourceClaims: [{name: gpu, resourceClaimName: my-claim}]"


def annotated(key: str) -> str:
    """A Pod with one annotation too large for the annotations' 256 KiB."""
    return pod().replace(
        "  name: edge\n", f"  name: edge\n  annotations:\n    {key}: {'x' * 262200}\n", 1
    )


def projected(source: str) -> str:
    return pod(f"volumes:\n- name: v\n  projected:\n    sources:\n    - {source}")


PROJECTED = "spec.volumes[0].projected.sources[0]"
TERM = "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"
SPREAD = "spec.topologySpreadConstraints[0]"
SPREAD_KEYLESS = (f"{SPREAD}.labelSelector.matchExpressions[0].key", f"{SPREAD}.labelSelector.matchLabels", f"{SPREAD}.matchLabelKeys[0]", f"{SPREAD}[0]")  # fmt: skip

CASES = [
    # validatePodResources: claims at pod level are refused, and each is still looked up in
    # spec.resourceClaims the way a container's are
    edge("pod-resources-claims-unknown", pod("resources: {claims: [{name: a}]}"), "spec.resources.claims", "spec.resources.claims[0]"),
    edge("pod-resources-claims-declared", pod(f"{CLAIMS}\nresources: {{claims: [{{name: gpu}}]}}"), "spec.resources.claims"),
    edge("pod-resources-claims-empty-name", pod(f"{CLAIMS}\nresources: {{claims: [{{name: ''}}]}}"), "spec.resources.claims", "spec.resources.claims[0]"),
    edge("container-resources-claims-declared", pod(CLAIMS, "resources: {claims: [{name: gpu}]}")),
    # validatePodResourceClaim: a static Pod may not have claims, said once at "[]"; a
    # template's spec is validated without the Pod's metadata (ValidatePodTemplateSpec)
    edge("static-pod-claim", static(f"nodeName: n1\n{CLAIMS}"), "[]"),
    edge("static-pod-claims", static("nodeName: n1\nresourceClaims: [{name: a, resourceClaimName: b}, {name: c, resourceClaimName: d}]"), "[]"),
    edge("static-pod-without-node-claim", static(CLAIMS), "[]", "metadata.annotations[kubernetes.io/config.mirror]"),
    edge("static-deployment-claim", static(f"nodeName: n1\n{CLAIMS}", "Deployment")),
    edge("static-job-claim", static(f"nodeName: n1\n{CLAIMS}", "Job")),
    edge("static-job-bad-claim", static("nodeName: n1\nresourceClaims: [{name: GPU, resourceClaimName: a}]", "Job"), "spec.template.spec.resourceClaims[0].name"),
    # validatePodCertificateProjection: userAnnotations keys are annotation keys (in lower case)
    # with a domain prefix, at most 256 KiB in all
    edge("certificate-annotations", certificate("{example.com/a: b, kubernetes.io/c: d, EXAMPLE.com/e: ''}")),
    edge("certificate-annotations-empty", certificate("{}")),
    edge("certificate-annotations-null", certificate("null")),
    edge("certificate-annotation-without-prefix", certificate("{a: b}"), f"{CERT}.userAnnotations"),
    edge("certificate-annotation-space", certificate("{'example.com/a b': c}"), f"{CERT}.userAnnotations"),
    edge("certificate-annotation-space-without-prefix", certificate("{'a b': c}"), f"{CERT}.userAnnotations"),
    edge("certificate-annotation-empty-name", certificate("{'example.com/': b}"), f"{CERT}.userAnnotations"),
    edge("certificate-annotation-empty-prefix", certificate("{'/a': b}"), f"{CERT}.userAnnotations"),
    edge("certificate-annotation-bad-prefix", certificate("{'example..com/a': b}"), f"{CERT}.userAnnotations"),
    edge("certificate-annotation-long-name", certificate(f"{{example.com/{'a' * 64}: b}}"), f"{CERT}.userAnnotations"),
    edge("certificate-annotations-too-long", certificate(f"{{example.com/a: '{'v' * 262144}'}}"), f"{CERT}.userAnnotations"),
    # The annotation of the container named "" names a container with no name, and a null
    # entry (decoded as an empty container): it is found, synced to the field when valid, and
    # must match the Pod's profile otherwise
    edge("apparmor-nameless-null", nameless("runtime/default", "null"), "metadata.annotations", "spec.containers[1].name", "spec.containers[1].image"),
    edge("apparmor-nameless-localhost", nameless("localhost/other", "{image: nginx}"), "metadata.annotations", "spec.containers[1].name"),
    edge("apparmor-nameless-bad-value", nameless("10", "null"), "metadata.annotations", f"metadata.annotations[{AA}]", "spec.containers[1].name", "spec.containers[1].image", "spec.containers[1].securityContext.appArmorProfile.type"),
    edge("apparmor-nameless-named", nameless("10", "{name: web, image: nginx}"), "metadata.annotations", f"metadata.annotations[{AA}]"),
    # IsHugePageResourceValueDivisible compares Quantity.Value(), an int64: 1e19 is scaled up
    # from 1 one step at a time, overflows, and counts as 0 pages (divisible); the same number
    # written out in digits is kept whole and wraps past 2^64, which is not
    *(edge(f"huge-pages-{count}", huge_pages(count)) for count in ("1e19", "1e21", "1e100", "1e999999", "9.3e18", "8e18", "18446744073709551616", "2097151.9999")),
    # at pod level the request is a copy of the limit's Quantity, int64 Value() and all
    edge("pod-huge-pages-1e19", pod("resources: {limits: {memory: 2Gi, hugepages-2Mi: '1e19'}}")),
    edge("pod-huge-pages-digits", pod("resources: {limits: {memory: 2Gi, hugepages-2Mi: '10000000000000000000'}}"), "spec.resources.limits[hugepages-2Mi]", "spec.resources.requests[hugepages-2Mi]"),
    *(edge(f"huge-pages-{count}", huge_pages(count), *HUGE) for count in ("10000000000000000000", "4e18", "9e18", "9223372036854775807", "2097152.0001")),
    # 6th sweep. DropInitContainerAnnotations deletes the pre-1.8 init-container annotations
    # before anything measures the annotations' size, whatever the gates.
    edge("legacy-init-containers-annotation", annotated("pod.beta.kubernetes.io/init-containers")),
    edge("legacy-init-container-statuses-annotation", annotated("pod.alpha.kubernetes.io/init-container-statuses")),
    edge("legacy-init-containers-annotation-misspelled", annotated("pod.beta.kubernetes.io/init-containerz"), "metadata.annotations"),
    # dropDisabledAtomicWriteVolumeUserFields drops the alpha user fields in a switch: only the
    # first kind of a volume or projected source (in the switch's order) loses them; those of
    # another kind are validated (validateUserField: 0 to 2^31-1)
    edge("user-of-second-projected-kind", projected("{configMap: {name: c}, serviceAccountToken: {path: token, user: -1}}"), f"{PROJECTED}.serviceAccountToken.user", PROJECTED),
    edge("user-of-configmap-after-secret", projected("{configMap: {name: c, items: [{key: k, path: p, user: -1}]}, secret: {name: s}}"), f"{PROJECTED}.configMap.items[0].user", PROJECTED),
    edge("user-of-secret-dropped-first", projected("{downwardAPI: {items: [{path: a, fieldRef: {fieldPath: metadata.name}}]}, secret: {name: s, items: [{key: k, path: p, user: 2147483648}]}}"), PROJECTED),
    edge("user-of-certificate-after-token", projected("{serviceAccountToken: {path: t}, podCertificate: {signerName: example.com/foo, keyType: ED25519, credentialBundlePath: c.pem, user: -1}}"), f"{PROJECTED}.podCertificate.user", PROJECTED),
    edge("user-of-one-kind-dropped", projected("{serviceAccountToken: {path: token, user: -1}}")),
    edge("user-of-downward-volume-beside-configmap", pod("volumes:\n- name: v\n  downwardAPI:\n    defaultUser: -1\n    items: [{path: a, fieldRef: {fieldPath: metadata.name}, user: -1}]\n  configMap: {name: c}"), "spec.volumes[0].downwardAPI.defaultUser", "spec.volumes[0].downwardAPI.user", "spec.volumes[0].configMap"),
    # validateResizePolicy: a resourceName not written is Go's "", the same as one written ''
    edge("resize-policy-name-missing-after-empty", pod(container="resizePolicy:\n- {resourceName: '', restartPolicy: NotRequired}\n- {restartPolicy: NotRequired}"), "spec.containers[0].resizePolicy", "spec.containers[0].resizePolicy[1]"),
    edge("resize-policy-name-null-then-empty", pod(container="resizePolicy:\n- {resourceName: null, restartPolicy: NotRequired}\n- {resourceName: '', restartPolicy: NotRequired}"), "spec.containers[0].resizePolicy", "spec.containers[0].resizePolicy[1]"),
    # ValidateMatchLabelKeysAndMismatchLabelKeys: an expression without a key has the key ""
    edge("match-label-keys-expression-without-key", pod("affinity:\n  podAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n    - topologyKey: zone\n      matchLabelKeys: ['']\n      labelSelector:\n        matchExpressions: [{operator: Exists}, {operator: Exists}]"), f"{TERM}.labelSelector.matchExpressions[0].key", f"{TERM}.labelSelector.matchExpressions[1].key", f"{TERM}.matchLabelKeys[0]", f"{TERM}[0]"),
    edge("spread-match-label-keys-expression-without-key", pod("topologySpreadConstraints:\n- maxSkew: 1\n  topologyKey: zone\n  whenUnsatisfiable: DoNotSchedule\n  matchLabelKeys: ['']\n  labelSelector:\n    matchLabels: {'': x}\n    matchExpressions: [{operator: Exists}]"), *SPREAD_KEYLESS),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_engine_gives_the_recorded_answer_of_the_api_server(case):
    check_engine(case)


@pytest.mark.sandbox
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_live_api_server_gives_the_recorded_answer(namespace, case):  # noqa: F811
    admin, name = namespace
    accepted, fields, text = dry_run(admin, name, case.text)
    assert (accepted, fields) == (not case.server, set(case.server)), text[:500]
