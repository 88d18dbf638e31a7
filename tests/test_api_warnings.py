# ruff: noqa: E501 (one case a line, as in upstream's tables)
"""The API server's warnings on create, as ``kubectl apply`` prints them ("Warning: …").

The cases follow the rules of ``pkg/api/pod/warnings.go`` (and its ``warnings_test.go``), the
registry strategies' ``WarningsOnCreate`` and ``applyAppArmorVersionSkew``: each changes a small
valid object and gives the warnings the server answers, word for word. The same table is sent
to the sandbox's API server in ``tests/sandbox/test_agreement_warnings.py``.
"""

import pytest

from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import KINDS
from podstudio.engine.validation.warnings import MAX_PAIRS, api_warnings, printed_warnings
from tests.test_workload_validation import DELETE, changed

T = "spec.template.spec"
C0 = "spec.containers[0]"
DNS_LABEL = "a DNS label is recommended"
NULL_SELECTOR = "a null labelSelector results in matching no pod"
PREFERRED = (
    "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference"
)
LABEL_VALUE_ERROR = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
OWNER = {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": "1"}
DUPLICATE_OWNERS = (
    ".metadata.ownerReferences contains duplicate entries; API server dedups owner references in "
    "1.20+, and may reject such requests as early as 1.24; please fix your requests; duplicate "
    "UID(s) observed: "
)
INDEXED_LIMITS = (
    "In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher "
    "than 10^4, Kubernetes might not be able to track completedIndexes when a big number of "
    "indexes fail"
)

# (kind, changes, the warnings) — a Pod's paths are written from the Pod's root.
CASES = [
    # A name that is no DNS label: Pods and the kinds whose name starts their Pods' names.
    (
        "Pod",
        {"metadata.name": "web.v2"},
        [
            f"metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; {DNS_LABEL}: [must not contain dots]"
        ],
    ),
    (
        "Deployment",
        {"metadata.name": "web.v2"},
        [
            f"metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; {DNS_LABEL}: [must not contain dots]"
        ],
    ),
    (
        "Job",
        {"metadata.name": "web.v2"},
        [
            f"metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; {DNS_LABEL}: [must not contain dots]"
        ],
    ),
    ("DaemonSet", {"metadata.name": "web.v2"}, []),
    (
        "Pod",
        {"metadata.name": "web-" + "a" * 70},
        [
            f"metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; {DNS_LABEL}: [must be no more than 63 characters]"
        ],
    ),
    (
        "Pod",
        {"metadata.name": DELETE, "metadata.generateName": "web.x-"},
        [
            f"metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; {DNS_LABEL}: [must not contain dots]"
        ],
    ),
    # The API server cuts generateName to 58 characters before it adds five: no name it
    # makes is too long, and a dot past the cut is gone.
    ("Pod", {"metadata.name": DELETE, "metadata.generateName": "g" * 70}, []),
    ("Deployment", {"metadata.name": DELETE, "metadata.generateName": "d" * 58 + ".v1-"}, []),
    ("Pod", {"metadata.name": "web-2"}, []),
    # Deprecated node labels in the node selector, node affinity and topology spread.
    (
        "Pod",
        {"spec.nodeSelector": {"beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}},
        [
            'spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead'
        ],
    ),
    (
        "Deployment",
        {f"{T}.nodeSelector": {"beta.kubernetes.io/arch": "amd64"}},
        [
            'spec.template.spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead'
        ],
    ),
    (
        "Pod",
        {
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms": [
                {
                    "matchExpressions": [
                        {
                            "key": "failure-domain.beta.kubernetes.io/zone",
                            "operator": "In",
                            "values": ["a"],
                        }
                    ]
                }
            ]
        },
        [
            'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead'
        ],
    ),
    (
        "Pod",
        {
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution": [
                {
                    "weight": 1,
                    "preference": {
                        "matchExpressions": [
                            {"key": "beta.kubernetes.io/instance-type", "operator": "Exists"}
                        ]
                    },
                }
            ]
        },
        [
            'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key: beta.kubernetes.io/instance-type is deprecated since v1.17; use "node.kubernetes.io/instance-type" instead'
        ],
    ),
    (
        "Pod",
        {
            "spec.topologySpreadConstraints": [
                {
                    "maxSkew": 1,
                    "topologyKey": "failure-domain.beta.kubernetes.io/region",
                    "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {"matchLabels": {"app": "web"}},
                }
            ]
        },
        [
            'spec.topologySpreadConstraints[0].topologyKey: failure-domain.beta.kubernetes.io/region is deprecated since v1.17; use "topology.kubernetes.io/region" instead'
        ],
    ),
    # A null label selector matches no Pod.
    (
        "Pod",
        {
            "spec.topologySpreadConstraints": [
                {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway"}
            ]
        },
        [f"spec.topologySpreadConstraints[0].labelSelector: {NULL_SELECTOR}"],
    ),
    (
        "Pod",
        {
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": "zone"}
            ]
        },
        [
            f"spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: {NULL_SELECTOR}"
        ],
    ),
    (
        "StatefulSet",
        {
            f"{T}.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 5, "podAffinityTerm": {"topologyKey": "zone"}}
            ]
        },
        [
            f"spec.template.spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector: {NULL_SELECTOR}"
        ],
    ),
    (
        "Pod",
        {
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": "zone", "labelSelector": {}}
            ]
        },
        [],
    ),
    # Deprecated annotations: critical-pod, sysctls, seccomp without its field, AppArmor.
    (
        "Pod",
        {"metadata.annotations": {"scheduler.alpha.kubernetes.io/critical-pod": ""}},
        [
            'metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead'
        ],
    ),
    (
        "Job",
        {"spec.template.metadata.annotations": {"security.alpha.kubernetes.io/sysctls": "a=1"}},
        [
            'spec.template.metadata.annotations[security.alpha.kubernetes.io/sysctls]: non-functional in v1.11+; use the "sysctls" field instead'
        ],
    ),
    (
        "Pod",
        {
            "metadata.annotations": {
                "seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
                "container.seccomp.security.alpha.kubernetes.io/app": "runtime/default",
            }
        },
        [
            'metadata.annotations[container.seccomp.security.alpha.kubernetes.io/app]: non-functional in v1.27+; use the "seccompProfile" field instead',
            'metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead',
        ],
    ),
    (
        "Pod",
        {
            "metadata.annotations": {"seccomp.security.alpha.kubernetes.io/pod": "runtime/default"},
            "spec.securityContext.seccompProfile": {"type": "RuntimeDefault"},
        },
        [],
    ),
    (
        "Pod",
        {
            "metadata.annotations": {
                "container.apparmor.security.beta.kubernetes.io/app": "runtime/default"
            }
        },
        [
            'metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]: deprecated since v1.30; use the "appArmorProfile" field instead'
        ],
    ),
    (
        "Pod",
        {
            "metadata.annotations": {
                "container.apparmor.security.beta.kubernetes.io/app": "runtime/default"
            },
            "spec.securityContext.appArmorProfile": {"type": "RuntimeDefault"},
        },
        [],
    ),
    (
        "Deployment",
        {
            "spec.template.metadata.annotations": {
                "container.apparmor.security.beta.kubernetes.io/app": "localhost/web"
            }
        },
        [
            'spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]: deprecated since v1.30; use the "appArmorProfile" field instead'
        ],
    ),
    # Volume types that are deprecated or gone; a fraction of a byte.
    (
        "Pod",
        {
            "spec.volumes": [
                {"name": "src", "gitRepo": {"repository": "https://example.com/app.git"}}
            ]
        },
        ["spec.volumes[0].gitRepo: deprecated in v1.11, and disabled by default in v1.33+"],
    ),
    # Two files of one volume at one path, or one inside the other (no path in the words).
    (
        "Pod",
        {
            "spec.volumes": [
                {
                    "name": "conf",
                    "configMap": {
                        "name": "web",
                        "items": [
                            {"key": "a", "path": "app/"},
                            {"key": "b", "path": "app/b.conf"},
                            {"key": "c", "path": "c"},
                        ],
                    },
                },
                {
                    "name": "keys",
                    "secret": {
                        "secretName": "tls",
                        "items": [{"key": "crt", "path": "tls"}, {"key": "key", "path": "tls"}],
                    },
                },
                {
                    "name": "info",
                    "downwardAPI": {
                        "items": [
                            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                            {"path": "labels", "fieldRef": {"fieldPath": "metadata.annotations"}},
                        ]
                    },
                },
            ]
        },
        [
            'volume "conf" (ConfigMap "web"): overlapping paths: "app/b.conf" with "app"',
            'volume "keys" (Secret "tls"): overlapping paths: "tls" with "tls"',
            'volume "info" (DownwardAPI): overlapping paths: "labels" with "labels"',
        ],
    ),
    (
        "Deployment",
        {
            f"{T}.volumes": [
                {
                    "name": "all",
                    "projected": {
                        "sources": [
                            {
                                "configMap": {
                                    "name": "web",
                                    "items": [{"key": "a", "path": "token"}],
                                }
                            },
                            {"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}},
                            {
                                "secret": {
                                    "name": "tls",
                                    "items": [{"key": "crt", "path": "certs/tls.crt"}],
                                }
                            },
                            {
                                "downwardAPI": {
                                    "items": [
                                        {
                                            "path": "certs",
                                            "fieldRef": {"fieldPath": "metadata.name"},
                                        }
                                    ]
                                }
                            },
                            {"configMap": {"name": "whole"}},
                        ]
                    },
                },
            ]
        },
        [
            'volume "all" (Projected): overlapping paths: "token" (ServiceAccountToken) with "token" (ConfigMap "web")',
            'volume "all" (Projected): overlapping paths: "certs" (DownwardAPI) with "certs/tls.crt" (Secret "tls")',
        ],
    ),
    (  # its JSON name is storageos; the warning names the Go field
        "Pod",
        {"spec.volumes": [{"name": "data", "storageos": {"volumeName": "data"}}]},
        ["spec.volumes[0].storageOS: deprecated in v1.22, non-functional in v1.25+"],
    ),
    (
        "StatefulSet",
        {
            f"{T}.volumes": [
                {"name": "disk", "rbd": {"monitors": ["10.0.0.1:6789"], "image": "disk"}}
            ]
        },
        ["spec.template.spec.volumes[0].rbd: deprecated in v1.28, non-functional in v1.31+"],
    ),
    (
        "Pod",
        {
            f"{C0}.resources": {
                "requests": {"memory": "100.5", "ephemeral-storage": "1.5Ki"},
                "limits": {"memory": 200.5},
            }
        },
        [
            'spec.containers[0].resources.limits[memory]: fractional byte value "200500m" is invalid, must be an integer',
            'spec.containers[0].resources.requests[memory]: fractional byte value "100500m" is invalid, must be an integer',
        ],
    ),
    (  # a Pod's requests are defaulted from its limits first; a template's are not
        "Pod",
        {f"{C0}.resources.limits.memory": "1.5"},
        [
            'spec.containers[0].resources.limits[memory]: fractional byte value "1500m" is invalid, must be an integer',
            'spec.containers[0].resources.requests[memory]: fractional byte value "1500m" is invalid, must be an integer',
        ],
    ),
    (
        "Job",
        {f"{T}.containers[0].resources.limits.memory": "1.5"},
        [
            'spec.template.spec.containers[0].resources.limits[memory]: fractional byte value "1500m" is invalid, must be an integer'
        ],
    ),
    (  # the defaults round a byte count up to thousandths first: 1n is 1m
        "Pod",
        {
            f"{C0}.resources.requests": {
                "memory": "1n",
                "ephemeral-storage": "1.0000000000000000001",
            }
        },
        [
            'spec.containers[0].resources.requests[ephemeral-storage]: fractional byte value "1001m" is invalid, must be an integer',
            'spec.containers[0].resources.requests[memory]: fractional byte value "1m" is invalid, must be an integer',
        ],
    ),
    ("Pod", {f"{C0}.resources.requests.memory": "0.5Gi"}, []),
    (
        "Pod",
        {
            "spec.volumes": [
                {
                    "name": "scratch",
                    "ephemeral": {
                        "volumeClaimTemplate": {
                            "spec": {
                                "accessModes": ["ReadWriteOnce"],
                                "resources": {"requests": {"storage": "1.5"}},
                            }
                        }
                    },
                }
            ]
        },
        [
            'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer'
        ],
    ),
    (
        "StatefulSet",
        {
            "spec.volumeClaimTemplates": [
                {
                    "metadata": {"name": "data"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "0.5"}},
                    },
                }
            ],
            "spec.revisionHistoryLimit": -1,
        },
        [
            "spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended",
            'spec.volumeClaimTemplates[0].resources.requests[storage]: fractional byte value "500m" is invalid, must be an integer',
        ],
    ),
    # MilliValue in int64: past 2^63 / 1000 bytes the product wraps (positiveScaleInt64), and
    # what is left is rarely a multiple of 1000. Whole numbers of bytes, warned of all the same.
    (
        "Pod",
        {
            f"{C0}.resources.limits.memory": "9223372036854776",
            f"{C0}.resources.requests.ephemeral-storage": "10Pi",
        },
        [
            'spec.containers[0].resources.limits[memory]: fractional byte value "9223372036854776" is invalid, must be an integer',
            'spec.containers[0].resources.requests[ephemeral-storage]: fractional byte value "10Pi" is invalid, must be an integer',
            'spec.containers[0].resources.requests[memory]: fractional byte value "9223372036854776" is invalid, must be an integer',
        ],
    ),
    # One byte less, and sizes whose product wraps to a multiple of 1000: no warning.
    (
        "Pod",
        {
            f"{C0}.resources.limits.memory": 9223372036854775,
            f"{C0}.resources.requests.ephemeral-storage": "8Ei",
        },
        [],
    ),
    # A decimal count past E has no suffix: the API server writes its mantissa alone.
    (
        "Deployment",
        {f"{T}.containers[0].resources.requests.memory": "100000000000000000000000"},
        [
            'spec.template.spec.containers[0].resources.requests[memory]: fractional byte value "100" is invalid, must be an integer'
        ],
    ),
    # A preferred node affinity term's values that are no label values (a required term's are
    # refused by validation): each reason of IsValidLabelValue, one warning each.
    (
        "Pod",
        {
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution": [
                {
                    "weight": 1,
                    "preference": {
                        "matchExpressions": [
                            {
                                "key": "disk",
                                "operator": "In",
                                "values": ["a b", "ssd", "", "-" + "x" * 63],
                            },
                            {"key": "beta.kubernetes.io/os", "operator": "NotIn", "values": ["é"]},
                        ],
                        "matchFields": [
                            {"key": "metadata.name", "operator": "In", "values": ["n1"]}
                        ],
                    },
                }
            ]
        },
        [
            f"{PREFERRED}.matchExpressions[0].values[0]: a b is invalid, {LABEL_VALUE_ERROR}",
            f"{PREFERRED}.matchExpressions[0].values[3]: -{'x' * 63} is invalid, must be no more than 63 bytes",
            f"{PREFERRED}.matchExpressions[0].values[3]: -{'x' * 63} is invalid, {LABEL_VALUE_ERROR}",
            f'{PREFERRED}.matchExpressions[1].key: beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead',
            f"{PREFERRED}.matchExpressions[1].values[0]: é is invalid, {LABEL_VALUE_ERROR}",
        ],
    ),
    (
        "Deployment",
        {
            f"{T}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution": [
                {
                    "weight": 5,
                    "preference": {
                        "matchExpressions": [
                            {"key": "rack", "operator": "In", "values": ["r_1", "r 2"]}
                        ]
                    },
                }
            ]
        },
        [
            f"spec.template.{PREFERRED}.matchExpressions[0].values[1]: r 2 is invalid, {LABEL_VALUE_ERROR}"
        ],
    ),
    # The server's warning recorder: a text said before is not said again, and one with a
    # control character (the tab) cannot be a header, so it is not sent.
    (
        "Pod",
        {
            "spec.volumes": [
                {
                    "name": "conf",
                    "configMap": {"name": "web", "items": [{"key": "k", "path": "a"}] * 3},
                }
            ],
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution": [
                {
                    "weight": 1,
                    "preference": {
                        "matchExpressions": [
                            {"key": "disk", "operator": "In", "values": ["a\tb", "a b"]}
                        ]
                    },
                }
            ],
        },
        [
            'volume "conf" (ConfigMap "web"): overlapping paths: "a" with "a"',
            f"{PREFERRED}.matchExpressions[0].values[1]: a b is invalid, {LABEL_VALUE_ERROR}",
        ],
    ),
    (
        "Deployment",
        {
            f"{T}.nodeSelector": {"node-role.kubernetes.io/master": ""},
            f"{T}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms": [
                {
                    "matchExpressions": [
                        {"key": "node-role.kubernetes.io/master", "operator": "Exists"}
                    ]
                }
            ],
        },
        [
            'spec.template.spec.nodeSelector[node-role.kubernetes.io/master]: use "node-role.kubernetes.io/control-plane" instead',
            'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: node-role.kubernetes.io/master is use "node-role.kubernetes.io/control-plane" instead',
        ],
    ),
    # Past 4,096 characters of warnings the recorder cuts each, those sent before too, to its
    # first 256; once the cut ones pass 4,096 again, it leaves the rest out: 20 values of about
    # 406 characters each are sent as the first 16, cut.
    (
        "Pod",
        {
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution": [
                {
                    "weight": 1,
                    "preference": {
                        "matchExpressions": [
                            {
                                "key": "disk",
                                "operator": "In",
                                "values": [f"v {i:02d}" for i in range(20)],
                            }
                        ]
                    },
                }
            ]
        },
        [
            f"{PREFERRED}.matchExpressions[0].values[{i}]: v {i:02d} is invalid, {LABEL_VALUE_ERROR}"[
                :256
            ]
            for i in range(16)
        ],
    ),
    # An owner reference written twice: the create handler drops the copy, of every kind.
    (
        "Pod",
        {"metadata.ownerReferences": [OWNER, OWNER, {**OWNER, "name": "other"}, OWNER]},
        [f"{DUPLICATE_OWNERS}1, 1"],
    ),
    (
        "Deployment",
        {"metadata.ownerReferences": [OWNER, {**OWNER, "controller": False}, dict(OWNER)]},
        [f"{DUPLICATE_OWNERS}1"],
    ),
    # An Indexed Job past both soft limits (validation allows parallelism up to 10^5).
    (
        "Job",
        {"spec.completionMode": "Indexed", "spec.completions": 100_001, "spec.parallelism": 10_001},
        [f"spec: {INDEXED_LIMITS}"],
    ),
    (
        "CronJob",
        {
            "spec.jobTemplate.spec.completionMode": "Indexed",
            "spec.jobTemplate.spec.completions": 200_000,
            "spec.jobTemplate.spec.parallelism": 50_000,
        },
        [f"spec.jobTemplate.spec: {INDEXED_LIMITS}"],
    ),
    (
        "Job",
        {"spec.completionMode": "Indexed", "spec.completions": 100_000, "spec.parallelism": 20_000},
        [],
    ),
    ("Job", {"spec.completions": 200_000, "spec.parallelism": 20_000}, []),
    # Duplicates: host aliases, pull secrets, env, ports and port names.
    (
        "Pod",
        {
            "spec.hostAliases": [
                {"ip": "10.0.0.1", "hostnames": ["a"]},
                {"ip": "10.0.0.1", "hostnames": ["b"]},
            ]
        },
        ['spec.hostAliases[1].ip: duplicate ip "10.0.0.1"'],
    ),
    (
        "Pod",
        {"spec.imagePullSecrets": [{"name": "registry"}, {"name": "registry"}, {"name": ""}]},
        [
            'spec.imagePullSecrets[1].name: duplicate name "registry"',
            'spec.imagePullSecrets[2].name: invalid empty name ""',
        ],
    ),
    (
        "Pod",
        {
            f"{C0}.env": [
                {"name": "X", "value": "a"},
                {"name": "X", "value": "b"},
                {"name": "Y", "value": "a"},
                {"name": "Y", "value": "$(Y):b"},
                {"name": "Z", "value": "a"},
                {"name": "Z", "value": "$(Z)"},
            ]
        },
        [
            'spec.containers[0].env[1]: hides previous definition of "X", which may be dropped when using apply',
            'spec.containers[0].env[5]: hides previous definition of "Z", which may be dropped when using apply',
        ],
    ),
    (
        "CronJob",
        {
            "spec.jobTemplate.spec.template.spec.containers[0].env": [
                {"name": "A", "value": "x"},
                {"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            ]
        },
        [
            'spec.jobTemplate.spec.template.spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply'
        ],
    ),
    (
        "Pod",
        {
            f"{C0}.ports": [
                {"containerPort": 80, "name": "http"},
                {"containerPort": 80, "hostPort": 8080},
                {"containerPort": 81, "hostIP": "10.0.0.1"},
            ],
            "spec.containers[1]": {
                "name": "side",
                "image": "nginx:1.27",
                "ports": [
                    {"containerPort": 80, "name": "http"},
                    {"containerPort": 82, "hostPort": 9090, "hostIP": "127.0.0.1"},
                    {"containerPort": 82, "hostPort": 9090},
                ],
            },
        },
        [
            "spec.containers[0].ports[1]: overlapping port definition with spec.containers[0].ports[0]",
            "spec.containers[0].ports[2]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:81 Protocol:TCP HostIP:10.0.0.1}",
            "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]",
            'spec.containers[1].ports[0]: duplicate port name "http" with spec.containers[0].ports[0], services and probes that select ports by name will use spec.containers[0].ports[0]',
            "spec.containers[1].ports[0]: overlapping port definition with spec.containers[0].ports[1]",
            "spec.containers[1].ports[2]: dangerously ambiguous port definition with spec.containers[1].ports[1]",
        ],
    ),
    (
        "Pod",
        {
            f"{C0}.ports": [
                {"containerPort": 53, "protocol": "UDP"},
                {"containerPort": 53, "protocol": "TCP"},
            ]
        },
        [],
    ),
    # A negative grace period: a Pod's becomes 1 when defaulted, a template's is warned about.
    ("Pod", {"spec.terminationGracePeriodSeconds": -5}, []),
    (
        "Job",
        {f"{T}.terminationGracePeriodSeconds": -1},
        [
            "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"
        ],
    ),
    # IPv6 written otherwise than RFC 5952's canonical form.
    (
        "Pod",
        {
            "spec.dnsPolicy": "None",
            "spec.dnsConfig": {"nameservers": ["2001:db8:0:0:0:0:0:1", "10.0.0.10"]},
        },
        [
            'spec.dnsConfig.nameservers[0]: IPv6 address "2001:db8:0:0:0:0:0:1" should be in RFC 5952 canonical format ("2001:db8::1")'
        ],
    ),
    (
        "Pod",
        {
            "spec.hostAliases": [
                {"ip": "2001:DB8::1", "hostnames": ["c"]},
                {"ip": "::1", "hostnames": ["d"]},
            ]
        },
        [
            'spec.hostAliases[0].ip: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")'
        ],
    ),
    (  # names and paths are quoted as Go's %q quotes them: a tab, a no-break space, a newline
        "Pod",
        {
            "spec.volumes": [
                {
                    "name": "conf",
                    "configMap": {
                        "name": "web\u00a0conf",
                        "items": [{"key": "a", "path": "a\tb"}, {"key": "b", "path": "a\tb"}],
                    },
                },
                {
                    "name": "keys",
                    "secret": {
                        "secretName": "s\nx",
                        "items": [{"key": "a", "path": "k\u200b"}, {"key": "b", "path": "k\u200b"}],
                    },
                },
            ]
        },
        [
            'volume "conf" (ConfigMap "web\\u00a0conf"): overlapping paths: "a\\tb" with "a\\tb"',
            'volume "keys" (Secret "s\\nx"): overlapping paths: "k\\u200b" with "k\\u200b"',
        ],
    ),
]


def case_id(case) -> str:
    kind, changes, _ = case
    return f"{kind}:{','.join(changes)}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_engine_gives_the_api_servers_warnings(case):
    kind, changes, expected = case
    manifest = changed(kind, changes)
    assert not analyze(manifest).errors  # a refused object gets no warnings
    said = sorted(printed_warnings(manifest, KINDS[kind]))
    assert said == sorted(expected)


def test_a_warning_is_a_finding_with_a_fix_and_can_be_ignored():
    manifest = changed("Pod", {"spec.nodeSelector": {"beta.kubernetes.io/os": "linux"}})
    finding = next(f for f in analyze(manifest).findings if f.id == "api-warning")
    assert finding.path == "spec.nodeSelector[beta.kubernetes.io/os]"
    assert finding.message == (
        "The API server accepts this with a warning; kubectl apply prints: Warning: "
        'spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" '
        "instead"
    )
    assert finding.fix == "Use the label kubernetes.io/os, which every node has."
    manifest["metadata"]["annotations"] = {"podstudio.dev/ignore": "api-warning"}
    assert not [f for f in analyze(manifest).findings if f.id == "api-warning"]


@pytest.mark.parametrize(
    "value",
    ["x", 5, None, [], {"a": 1}, True, -1.5, "1e400", "∞"],
)
def test_junk_in_the_warned_fields_never_crashes(value):
    fields = [
        "metadata.name", "metadata.annotations", "spec.nodeSelector", "spec.affinity",
        "spec.topologySpreadConstraints", "spec.volumes", "spec.hostAliases",
        "spec.imagePullSecrets", "spec.dnsConfig", "spec.overhead",
        f"{C0}.env", f"{C0}.ports", f"{C0}.resources", f"{C0}.resources.requests",
        "spec.terminationGracePeriodSeconds",
    ]  # fmt: skip
    for field in fields:
        for kind in ("Pod", "StatefulSet"):
            path = field if kind == "Pod" else field.replace("spec.", f"{T}.", 1)
            api_warnings(changed(kind, {path: value}), KINDS[kind])


def test_thousands_of_equal_ports_and_files_are_compared_within_a_budget():
    """The server compares every pair; 5,000 equal ports and 5,000 files at one path would be
    25 million comparisons and warnings of each (minutes and gigabytes): a document's pairs
    stop at MAX_PAIRS."""
    many = 5000
    manifest = changed(
        "Pod",
        {
            f"{C0}.ports": [{"containerPort": 80} for _ in range(many)],
            "spec.volumes": [
                {
                    "name": "conf",
                    "configMap": {"name": "web", "items": [{"key": "a", "path": "a"}] * many},
                }
            ],
        },
    )
    said = api_warnings(manifest, KINDS["Pod"])
    assert 0 < len(said) <= MAX_PAIRS
    assert said[0].printed == 'volume "conf" (ConfigMap "web"): overlapping paths: "a" with "a"'


# What older API servers said, read in their source (pkg/api/pod/warnings.go and the strategies
# of v1.25.0 to v1.36.0): each case gives the last release without a warning, or with other
# words, next to the first with the words of today. (version, kind, changes, the warnings)
TZ_SCHEDULE = {"spec.schedule": "TZ=UTC 0 3 * * *"}
ENV_TWICE = {f"{C0}.env": [{"name": "A", "value": "1"}, {"name": "A", "value": "$(A):2"}]}
ENV_HIDDEN = {f"{C0}.env": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]}
SAME_PORT = {f"{C0}.ports": [{"containerPort": 80, "name": "web"}, {"containerPort": 80}]}
SAME_NAME = {  # in two containers (in one, validation refuses it)
    "spec.containers": [
        {"name": "app", "image": "nginx:1.27", "ports": [{"containerPort": 80, "name": "web"}]},
        {"name": "side", "image": "nginx:1.27", "ports": [{"containerPort": 81, "name": "web"}]},
    ]
}
ANNOTATION_KEYS = "spec.template.metadata.annotations"
SECCOMP_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/app"
PORTS_AT = "spec.containers[0].ports"
PREFERRED_AND_IPV6 = {
    "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution": [
        {
            "weight": 1,
            "preference": {
                "matchExpressions": [{"key": "disk", "operator": "In", "values": ["a b"]}]
            },
        }
    ],
    "spec.hostAliases": [{"ip": "2001:DB8::1", "hostnames": ["c"]}],
}
TWO_FILES_AT_ONE_PATH = {
    "spec.volumes": [
        {
            "name": "conf",
            "configMap": {
                "name": "web",
                "items": [{"key": "a", "path": "x"}, {"key": "b", "path": "x"}],
            },
        }
    ]
}
HALF_BYTE_CLAIM = {
    "spec.volumes": [
        {
            "name": "scratch",
            "ephemeral": {
                "volumeClaimTemplate": {
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "0.5"}},
                    }
                }
            },
        }
    ]
}
VERSION_CASES = [
    ("1.26", "Deployment", {"metadata.name": "web.v2"}, []),
    (
        "1.27",
        "Deployment",
        {"metadata.name": "web.v2"},
        [
            f"metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; {DNS_LABEL}: [must not contain dots]"
        ],
    ),
    ("1.27", "Pod", ENV_TWICE, [f'{C0}.env[1].name: duplicate name "A"']),
    ("1.28", "Pod", ENV_TWICE, []),
    ("1.29", "Pod", ENV_HIDDEN, [f'{C0}.env[1]: hides previous definition of "A"']),
    (
        "1.30",
        "Pod",
        ENV_HIDDEN,
        [f'{C0}.env[1]: hides previous definition of "A", which may be dropped when using apply'],
    ),
    ("1.27", "Pod", SAME_PORT, []),
    ("1.28", "Pod", SAME_PORT, [f"{PORTS_AT}[1]: duplicate port definition with {PORTS_AT}[0]"]),
    ("1.32", "Pod", SAME_NAME, []),
    (
        "1.33",
        "Pod",
        SAME_NAME,
        [
            f'spec.containers[1].ports[0]: duplicate port name "web" with {PORTS_AT}[0], services and probes that select ports by name will use {PORTS_AT}[0]'
        ],
    ),
    (
        "1.26",
        "Deployment",
        {
            f"{T}.volumes": [
                {"name": "a", "flocker": {"datasetName": "d"}},
                {"name": "b", "glusterfs": {"endpoints": "e", "path": "p"}},
            ]
        },
        [
            f"{T}.volumes[0].flocker: deprecated in v1.22, support removal is planned in v1.26",
            f"{T}.volumes[1].glusterfs: deprecated in v1.25, this feature will be removed soon after in a subsequent release",
        ],
    ),
    (
        "1.27",
        "Deployment",
        {
            f"{T}.volumes": [
                {"name": "a", "flocker": {"datasetName": "d"}},
                {"name": "b", "cephfs": {"monitors": ["m"]}},
            ]
        },
        [f"{T}.volumes[0].flocker: deprecated in v1.22, non-functional in v1.25+"],
    ),
    (
        "1.28",
        "Deployment",
        {f"{T}.volumes": [{"name": "b", "cephfs": {"monitors": ["m"]}}]},
        [f"{T}.volumes[0].cephfs: deprecated in v1.28, non-functional in v1.31+"],
    ),
    (
        "1.32",
        "Pod",
        {"spec.volumes": [{"name": "g", "gitRepo": {"repository": "r"}}]},
        ["spec.volumes[0].gitRepo: deprecated in v1.11"],
    ),
    (
        "1.26",
        "Deployment",
        {
            ANNOTATION_KEYS: {SECCOMP_ANNOTATION: "runtime/default"},
            f"{T}.terminationGracePeriodSeconds": -1,
        },
        [
            f'{ANNOTATION_KEYS}[{SECCOMP_ANNOTATION}]: deprecated since v1.19, non-functional in a future release; use the "seccompProfile" field instead'
        ],
    ),
    (
        "1.27",
        "Deployment",
        {
            ANNOTATION_KEYS: {SECCOMP_ANNOTATION: "runtime/default"},
            f"{T}.terminationGracePeriodSeconds": -1,
        },
        [
            f'{ANNOTATION_KEYS}[{SECCOMP_ANNOTATION}]: non-functional in v1.27+; use the "seccompProfile" field instead',
            f"{T}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1",
        ],
    ),
    ("1.29", "Deployment", {ANNOTATION_KEYS: {APPARMOR_ANNOTATION: "runtime/default"}}, []),
    (
        "1.30",
        "Deployment",
        {ANNOTATION_KEYS: {APPARMOR_ANNOTATION: "runtime/default"}},
        [
            f'{ANNOTATION_KEYS}[{APPARMOR_ANNOTATION}]: deprecated since v1.30; use the "appArmorProfile" field instead'
        ],
    ),
    (
        "1.30",
        "Pod",
        {"metadata.annotations": {APPARMOR_ANNOTATION: "runtime/default"}},
        [
            f'metadata.annotations[{APPARMOR_ANNOTATION}]: deprecated since v1.30; use the "appArmorProfile" field instead'
        ],
    ),
    ("1.29", "Pod", {"metadata.annotations": {APPARMOR_ANNOTATION: "runtime/default"}}, []),
    (
        "1.27",
        "Pod",
        {
            "spec.topologySpreadConstraints": [
                {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}
            ]
        },
        [],
    ),
    (
        "1.28",
        "Pod",
        {
            "spec.topologySpreadConstraints": [
                {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}
            ]
        },
        [f"spec.topologySpreadConstraints[0].labelSelector: {NULL_SELECTOR}"],
    ),
    ("1.30", "Pod", {"spec.nodeSelector": {"node-role.kubernetes.io/master": ""}}, []),
    (
        "1.31",
        "Pod",
        {"spec.nodeSelector": {"node-role.kubernetes.io/master": ""}},
        [
            'spec.nodeSelector[node-role.kubernetes.io/master]: use "node-role.kubernetes.io/control-plane" instead'
        ],
    ),
    (
        "1.32",
        "Pod",
        PREFERRED_AND_IPV6,
        [],
    ),
    (
        "1.33",
        "Pod",
        PREFERRED_AND_IPV6,
        [
            f"{PREFERRED}.matchExpressions[0].values[0]: a b is invalid, {LABEL_VALUE_ERROR}",
            'spec.hostAliases[0].ip: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")',
        ],
    ),
    (
        "1.31",
        "Pod",
        TWO_FILES_AT_ONE_PATH,
        [],
    ),
    (
        "1.32",
        "Pod",
        TWO_FILES_AT_ONE_PATH,
        ['volume "conf" (ConfigMap "web"): overlapping paths: "x" with "x"'],
    ),
    (
        "1.25",
        "Pod",
        HALF_BYTE_CLAIM,
        [],
    ),
    (
        "1.26",
        "Pod",
        HALF_BYTE_CLAIM,
        [
            'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests[storage]: fractional byte value "500m" is invalid, must be an integer'
        ],
    ),
    (
        "1.27",
        "Job",
        {"spec.completionMode": "Indexed", "spec.completions": 100_001, "spec.parallelism": 10_001},
        [],
    ),
    (
        "1.28",
        "Job",
        {"spec.completionMode": "Indexed", "spec.completions": 100_001, "spec.parallelism": 10_001},
        [f"spec: {INDEXED_LIMITS}"],
    ),
    ("1.32", "StatefulSet", {"spec.revisionHistoryLimit": -1}, []),
    (
        "1.33",
        "StatefulSet",
        {"spec.revisionHistoryLimit": -1},
        [
            "spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended"
        ],
    ),
    (
        "1.28",
        "CronJob",
        TZ_SCHEDULE,
        [
            "CRON_TZ or TZ used in spec.spec.schedule is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details"
        ],
    ),
]


@pytest.mark.parametrize("case", VERSION_CASES, ids=lambda case: f"{case[0]}:{case_id(case[1:])}")
def test_an_older_api_server_gives_the_warnings_of_its_release(case):
    version, kind, changes, expected = case
    manifest = changed(kind, changes)
    assert not analyze(manifest, version).errors
    said = sorted(printed_warnings(manifest, KINDS[kind], version))
    assert said == sorted(expected)
    found = [f.message for f in analyze(manifest, version).findings if f.id == "api-warning"]
    assert len(found) == len(expected)


def test_a_time_zone_in_the_schedule_is_refused_from_1_29_and_only_warned_of_before():
    manifest = changed("CronJob", TZ_SCHEDULE)
    assert [e.path for e in analyze(manifest, "1.29").errors] == ["spec.schedule"]
    assert not api_warnings(manifest, KINDS["CronJob"], "1.29")
    assert not analyze(manifest, "1.28").errors


def test_a_cut_or_left_out_warning_is_still_a_finding_in_full():
    values = [f"v {i:02d}" for i in range(20)]
    term = {"matchExpressions": [{"key": "disk", "operator": "In", "values": values}]}
    manifest = changed(
        "Pod",
        {
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 1, "preference": term}
            ]
        },
    )
    found = [f for f in analyze(manifest).findings if f.id == "api-warning"]
    assert len(found) == 20
    assert "so each is cut at 256; in full: " in found[0].message
    assert found[0].message.endswith(f"v 00 is invalid, {LABEL_VALUE_ERROR})")
    assert found[19].message.startswith(
        "The API server accepts this with a warning it leaves out, as its warnings already passed "
        "4,096 characters: "
    )
