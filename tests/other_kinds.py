"""Objects of the kinds whose fields alone are checked (``schema.FIELD_CHECKED_KINDS``), as
people write them beside their workloads: one well-formed example of each namespaced kind, the
API path a dry run posts it to, and the slips of each that the API server cannot decode. Shared
by the unit tests and the sandbox's agreement test, which sends every one to the API server."""

import copy
import random

EXAMPLES: dict[str, tuple[str, dict]] = {
    "ConfigMap": (
        "/api/v1/namespaces/{ns}/configmaps",
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "settings", "labels": {"app": "web"}},
            "data": {"PORT": "8080", "app.properties": "greeting=hello\n"},
            "binaryData": {"logo.png": "iVBORw0KGgo="},
            "immutable": False,
        },
    ),
    "Secret": (
        "/api/v1/namespaces/{ns}/secrets",
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "credentials"},
            "type": "Opaque",
            "data": {"password": "czNjcjN0", "empty": ""},
            "stringData": {"username": "admin"},
        },
    ),
    "Service": (
        "/api/v1/namespaces/{ns}/services",
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "annotations": {"team": "shop"}},
            "spec": {
                "type": "ClusterIP",
                "selector": {"app": "web"},
                "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}],
            },
        },
    ),
    "ServiceAccount": (
        "/api/v1/namespaces/{ns}/serviceaccounts",
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "web"},
            "automountServiceAccountToken": False,
            "imagePullSecrets": [{"name": "registry"}],
        },
    ),
    "PersistentVolumeClaim": (
        "/api/v1/namespaces/{ns}/persistentvolumeclaims",
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
                "storageClassName": "standard",
            },
        },
    ),
    "Ingress": (
        "/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses",
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "web"},
            "spec": {
                "rules": [
                    {
                        "host": "shop.example.com",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": "web", "port": {"number": 80}}},
                                }
                            ]
                        },
                    }
                ]
            },
        },
    ),
    "NetworkPolicy": (
        "/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies",
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "web"},
            "spec": {
                "podSelector": {"matchLabels": {"app": "web"}},
                "policyTypes": ["Ingress"],
                "ingress": [{"ports": [{"port": 8080, "protocol": "TCP"}, {"port": "http"}]}],
            },
        },
    ),
    "PodDisruptionBudget": (
        "/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": "web"},
            "spec": {"minAvailable": "50%", "selector": {"matchLabels": {"app": "web"}}},
        },
    ),
    "HorizontalPodAutoscaler": (
        "/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers",
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "minReplicas": 2,
                "maxReplicas": 10,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "cpu",
                            "target": {"type": "Utilization", "averageUtilization": 70},
                        },
                    }
                ],
            },
        },
    ),
    "Role": (
        "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": "reader"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}],
        },
    ),
}

# What a copy-paste slip puts where a field was: a number or a boolean for text, text for a
# number, a list or a mapping for a scalar, null, numbers past 32 bits, bytes that are no base64.
SLIPS = (
    *(1, 0, -1, 2**31, 1.5, True, None),
    *("x", "", "80", "1Gi", "1e", "=="),
    *([], {}, ["a"], {"a": 1}),
)
UNKNOWN_NAMES = ("selectors", "Name", "port ", "extra")


def _places(node, keys=()):
    yield keys
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, (*keys, key))
    elif isinstance(node, list):
        for number, value in enumerate(node):
            yield from _places(value, (*keys, number))


def slipped(seed: int) -> tuple[str, dict]:
    """An example with one slip (``seed`` picks which): a value replaced by one of ``SLIPS``
    or an unknown field put beside it. Its kind's API path comes with it."""
    rng = random.Random(seed)
    kind = rng.choice(sorted(EXAMPLES))
    path, example = EXAMPLES[kind]
    document = copy.deepcopy(example)
    places = [
        keys
        for keys in _places(document)
        if keys
        and keys[0] not in ("apiVersion", "kind")
        and keys not in (("metadata",), ("metadata", "name"))
    ]
    keys = rng.choice(places)
    parent = document
    for key in keys[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and rng.random() < 0.25:
        parent[rng.choice(UNKNOWN_NAMES)] = "on"
    else:
        parent[keys[-1]] = copy.deepcopy(rng.choice(SLIPS))
    document["metadata"]["name"] = f"{document['metadata']['name']}-{seed}"
    return path, document
