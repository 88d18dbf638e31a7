# ruff: noqa: E501 (a table of manifests, one case a line)
"""Edge cases where the engine and the API server once disagreed, found by hand, with the
answer kube-apiserver v1.37.2 gave to each (a server-side dry run with fieldValidation=Strict
of the YAML text as written): the fields it refused, none when it accepted.

The engine is checked against the recorded answer on every run; the sandbox suite checks the
recorded answer against the live server. Where the engine points at another field than the
server (a StatefulSet's claim template rather than the volume the server rebuilds from it),
the case says where.
"""

import uuid
from dataclasses import dataclass

import pytest

from podstudio.engine.analyze import analyze
from podstudio.engine.documents import read_documents
from podstudio.engine.kinds import kind_of
from podstudio.sandbox.client import path


@dataclass(frozen=True)
class Edge:
    id: str
    text: str
    server: frozenset[str]  # the fields the API server refused; empty: it accepted
    engine: frozenset[str] | None = None  # where the engine points, when not the same
    # Part of the API server's message when it could not convert the object at all (400, no
    # fields named); the engine names the field in ``engine``.
    unreadable: str = ""


def edge(
    id: str,
    text: str,
    *server: str,
    engine: tuple[str, ...] | None = None,
    unreadable: str = "",
) -> Edge:
    return Edge(
        id, text, frozenset(server), None if engine is None else frozenset(engine), unreadable
    )


def _indented(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.strip("\n").splitlines())


def pod(metadata: str = "", claim: str = "") -> str:
    volumes = ""
    if claim:
        volumes = (
            "  volumes:\n  - name: scratch\n    ephemeral:\n      volumeClaimTemplate:\n"
            "        spec:\n          accessModes: [ReadWriteOnce]\n"
            "          resources: {requests: {storage: 1Gi}}\n" + _indented(claim, 10)
        )
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: edge\n{_indented(metadata, 2) if metadata else ''}"
        f"spec:\n  containers:\n  - name: app\n    image: nginx:1.27\n{volumes}"
    )


def annotated_claim(size: int) -> str:
    """A Pod whose ephemeral volume's claim template has annotations of ``size`` bytes."""
    claim = "  volumes:\n  - name: scratch\n    ephemeral:\n      volumeClaimTemplate:\n"
    annotations = f"        metadata: {{annotations: {{a: {'x' * (size - 1)}}}}}\n"
    return pod() + claim + annotations + _indented(CLAIM, 8)


def workload(kind: str, selector: str, labels: str, metadata: str = "") -> str:
    api = "v1" if kind == "ReplicationController" else "apps/v1"
    return (
        f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: edge\n"
        f"{_indented(metadata, 2) if metadata else ''}spec:\n  selector:\n"
        f"{_indented(selector, 4)}  template:\n    metadata:\n      labels:\n"
        f"{_indented(labels, 8)}    spec:\n      containers:\n      - name: app\n"
        "        image: nginx:1.27\n"
    )


def stateful_set(claims: str) -> str:
    return (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: edge\nspec:\n"
        "  serviceName: edge\n  selector:\n    matchLabels: {app: web}\n"
        f"  volumeClaimTemplates:\n{_indented(claims, 2)}  template:\n    metadata:\n"
        "      labels: {app: web}\n    spec:\n      containers:\n      - name: app\n"
        "        image: nginx:1.27\n"
    )


CLAIM = "spec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n"


def named_claim(extra: str = "", name: str = "data") -> str:
    return f"- metadata: {{name: {name}}}\n" + _indented(CLAIM + extra, 2)


def job(name: str, spec: str = "", labels: str = "{app: web}", key: str = "name") -> str:
    return (
        f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  {key}: {name}\nspec:\n"
        f"{_indented(spec, 2) if spec else ''}  template:\n    metadata:\n"
        f"      labels: {labels}\n    spec:\n      restartPolicy: Never\n      containers:\n"
        "      - name: app\n        image: nginx:1.27\n"
    )


def cron_job(name: str, metadata: str = "", spec: str = "") -> str:
    return (
        f"apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: {name}\n"
        f"{_indented(metadata, 2) if metadata else ''}spec:\n  schedule: '0 3 * * *'\n"
        f"{_indented(spec, 2) if spec else ''}  jobTemplate:\n    spec:\n      template:\n        spec:\n"
        "          restartPolicy: Never\n          containers:\n          - name: app\n"
        "            image: nginx:1.27\n"
    )


def controller(
    kind: str, spec: str = "", selector: str = "matchLabels: {app: web}", pod: str = ""
) -> str:
    """A Deployment, ReplicaSet, StatefulSet or DaemonSet with ``spec`` fields and ``pod``
    fields in its template."""
    service = "  serviceName: edge\n" if kind == "StatefulSet" else ""
    selector = f"  selector:\n{_indented(selector, 4)}" if selector else ""
    return (
        f"apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: edge\nspec:\n{service}"
        f"{_indented(spec, 2) if spec else ''}{selector}  template:\n"
        f"    metadata:\n      labels: {{app: web}}\n    spec:\n{_indented(pod, 6) if pod else ''}"
        "      containers:\n      - name: app\n        image: nginx:1.27\n"
    )


SPEC = "spec.volumes[0].ephemeral.volumeClaimTemplate.spec"
CLAIM0 = "spec.volumeClaimTemplates[0]"
LONG = "a" * 64
ROLLING = "spec.strategy.rollingUpdate"
UPDATE = "spec.updateStrategy.rollingUpdate"
BAD_OPERATOR = "matchExpressions: [{key: app, operator: Equals, values: [web]}]"
EXPRESSION = "spec.selector.matchExpressions[0]"
PVC = "{kind: PersistentVolumeClaim, name: a}"

PFP_EMPTY_NAME = "podFailurePolicy:\n  rules:\n  - action: FailJob\n    onExitCodes: {containerName: '', operator: In, values: [1]}"

CASES = [
    # ValidateObjectMeta's generation check never fails on create: PrepareForCreate resets it.
    edge("generation-pod", pod("generation: -1")),
    edge(
        "generation-deployment",
        workload("Deployment", "matchLabels: {app: web}", "app: web", "generation: -5"),
    ),
    edge("generation-cronjob", cron_job("edge", "generation: -1")),
    # validateDataSource, validateDataSourceRef, isDataSourceEqualDataSourceRef
    edge("data-source-snapshot-without-group", pod(claim="dataSource: {kind: VolumeSnapshot, name: snap}"), f"{SPEC}.dataSource"),
    edge("data-source-snapshot", pod(claim="dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: snap}")),
    edge("data-source-and-ref-differ", pod(claim=f"dataSource: {PVC}\ndataSourceRef: {{kind: PersistentVolumeClaim, name: b}}"), SPEC),
    edge("data-source-and-ref-same", pod(claim=f"dataSource: {PVC}\ndataSourceRef: {PVC}")),
    edge("data-source-empty-group-is-not-none", pod(claim=f"dataSource: {{apiGroup: '', kind: PersistentVolumeClaim, name: a}}\ndataSourceRef: {PVC}"), SPEC),
    edge("data-source-null-group-is-none", pod(claim=f"dataSource: {{apiGroup: null, kind: PersistentVolumeClaim, name: a}}\ndataSourceRef: {PVC}")),
    edge("data-source-with-namespaced-ref", pod(claim=f"dataSource: {PVC}\ndataSourceRef: {{kind: PersistentVolumeClaim, name: a, namespace: other}}"), SPEC),
    edge("data-source-ref-namespaced", pod(claim="dataSourceRef: {kind: PersistentVolumeClaim, name: a, namespace: other}")),
    edge("data-source-ref-without-name", pod(claim="dataSourceRef: {kind: PersistentVolumeClaim}"), f"{SPEC}.dataSourceRef.name"),
    edge("data-source-without-kind", pod(claim="dataSource: {name: x}"), f"{SPEC}.dataSource.kind", f"{SPEC}.dataSource"),
    edge("data-source-ref-other-kind", pod(claim="dataSourceRef: {kind: Foo, name: x}"), f"{SPEC}.dataSourceRef"),
    edge("data-source-bad-group", pod(claim="dataSource: {apiGroup: Not A Group, kind: Foo, name: x}"), f"{SPEC}.dataSource.apiGroup"),
    edge("data-source-ref-bad-namespace", pod(claim="dataSourceRef: {kind: PersistentVolumeClaim, name: x, namespace: A_B}"), f"{SPEC}.dataSourceRef.namespace"),
    # a StatefulSet's claims get ValidatePersistentVolumeClaimSpec too
    edge("claim-storage-class", stateful_set(named_claim("  storageClassName: Fast_SSD")), f"{CLAIM0}.spec.storageClassName"),
    edge("claim-attributes-class", stateful_set(named_claim("  volumeAttributesClassName: Gold_IOPS")), f"{CLAIM0}.spec.volumeAttributesClassName"),
    edge("claim-data-source", stateful_set(named_claim("  dataSource: {kind: VolumeSnapshot, name: snap}")), f"{CLAIM0}.spec.dataSource"),
    edge("claim-data-source-ref-namespace", stateful_set(named_claim("  dataSourceRef: {kind: PersistentVolumeClaim, name: a, namespace: A_B}")), f"{CLAIM0}.spec.dataSourceRef.namespace"),
    edge("claim-access-mode-null", stateful_set("- metadata: {name: data}\n  spec:\n    accessModes: [null]\n    resources: {requests: {storage: 1Gi}}"), f"{CLAIM0}.spec.accessModes"),
    # volumesToAddForTemplates: a claim without a name gives each Pod a volume named ""
    *(
        edge(
            f"claim-{what}",
            stateful_set(claims),
            "spec.template.spec.volumes[0].name",
            "spec.template.spec.volumes[0].persistentVolumeClaim.claimName",
            engine=(f"spec.volumeClaimTemplates[{index}].metadata.name",),
        )
        for what, claims, index in (
            ("without-metadata", "- " + _indented(CLAIM, 2).lstrip(), 0),
            ("name-empty", named_claim(name="''"), 0),
            ("generate-name", "- metadata: {generateName: data-}\n" + _indented(CLAIM, 2), 0),
        )
    ),
    # generateSelector copies a Job's name into the template's job-name labels; a Job without
    # labels shares the template's label map (SetDefaults_Job)
    edge("job-name-64", job(LONG), "spec.template.labels", "metadata.labels"),
    edge("job-name-64-labels-null", job(LONG, labels="null"), "spec.template.labels"),
    edge("job-name-64-manual-selector", job(LONG, "manualSelector: true\nselector:\n  matchLabels: {app: web}")),
    edge("job-name-63", job("a" * 63)),
    edge("job-generate-name-59", job("a" * 59, key="generateName")),
    edge("job-generate-name-70", job("a" * 70, key="generateName")),
    edge("cron-job-name-52", cron_job("c" * 52)),
    # names.SimpleNameGenerator: a generateName is cut to 58 characters and 5 are added, and the
    # name made is what ValidateCronJob measures and validateJob makes hostnames of
    edge("cron-job-generate-name-47", cron_job("c" * 47).replace("metadata:\n  name:", "metadata:\n  generateName:")),
    edge("cron-job-generate-name-48", cron_job("c" * 48).replace("metadata:\n  name:", "metadata:\n  generateName:"), "metadata.name"),
    edge("job-indexed-generate-name-58", job("j" * 58, "completionMode: Indexed\ncompletions: 100", key="generateName"), "metadata.name"),
    edge("job-indexed-generate-name-dotted", job("a.b-", "completionMode: Indexed\ncompletions: 2", key="generateName"), "metadata.name"),
    # generateSelector makes a selector of the uid when there is none: a uid label written in
    # the template is then not selected (validateGeneratedSelector, validateJobSpec)
    edge("job-uid-label-without-selector", job("edge", labels="{batch.kubernetes.io/controller-uid: x}"), "spec.template.metadata.labels", "spec.template.metadata.labels[batch.kubernetes.io/controller-uid]"),
    # a null label value is "" to Go
    edge("null-label-exists", workload("Deployment", "matchExpressions: [{key: app, operator: Exists}]", "app:")),
    edge("null-label-matches-empty", workload("Deployment", "matchLabels: {app: ''}", "app:")),
    edge("null-selector-value-in", workload("Deployment", "matchExpressions: [{key: app, operator: In, values: [null]}]", "app: ''")),
    edge("null-label-does-not-exist", workload("Deployment", "matchLabels: {app: web}\nmatchExpressions: [{key: canary, operator: DoesNotExist}]", "app: web\ncanary:"), "spec.template.metadata.labels"),
    edge("null-selector-value-web", workload("Deployment", "matchLabels: {app: null}", "app: web"), "spec.template.metadata.labels"),
    edge("null-label-replica-set", workload("ReplicaSet", "matchExpressions: [{key: app, operator: Exists}]", "app:")),
    edge("null-label-daemon-set", workload("DaemonSet", "matchExpressions: [{key: app, operator: Exists}]", "app:")),
    edge("null-selector-replication-controller", workload("ReplicationController", "app: null", "app: ''")),
    edge("null-label-job-manual-selector", job("edge", "manualSelector: true\nselector:\n  matchLabels: {app: ''}", labels="{app: null}")),
    # defaults.go sets an empty strategy type, pod management policy, retention policy,
    # condition status and concurrency policy as if unset (SetDefaults_Deployment,
    # SetDefaults_StatefulSet, SetDefaults_DaemonSet, SetDefaults_PodFailurePolicyOnPodConditionsPattern,
    # SetDefaults_CronJob), so '' is accepted and the default's rules apply
    edge("deployment-progress-deadline-null", controller("Deployment", "progressDeadlineSeconds: null\nminReadySeconds: 700"), "spec.progressDeadlineSeconds"),
    edge("deployment-strategy-type-empty", controller("Deployment", "strategy: {type: ''}")),
    edge("deployment-strategy-type-empty-both-zero", controller("Deployment", "strategy:\n  type: ''\n  rollingUpdate: {maxSurge: 0, maxUnavailable: 0}"), f"{ROLLING}.maxUnavailable"),
    edge("deployment-strategy-type-null-both-zero", controller("Deployment", "strategy:\n  type: null\n  rollingUpdate: {maxSurge: 0, maxUnavailable: 0}"), f"{ROLLING}.maxUnavailable"),
    edge("daemon-set-strategy-type-empty-both-zero", controller("DaemonSet", "updateStrategy:\n  type: ''\n  rollingUpdate: {maxSurge: 0, maxUnavailable: 0}"), f"{UPDATE}.maxUnavailable"),
    edge("daemon-set-strategy-type-empty-both-set", controller("DaemonSet", "updateStrategy:\n  type: ''\n  rollingUpdate: {maxSurge: 1, maxUnavailable: 1}"), f"{UPDATE}.maxSurge"),
    edge("stateful-set-strategy-type-empty", controller("StatefulSet", "updateStrategy: {type: ''}")),
    edge("stateful-set-strategy-type-empty-partition", controller("StatefulSet", "updateStrategy:\n  type: ''\n  rollingUpdate: {partition: -1}"), f"{UPDATE}.partition"),
    edge("stateful-set-pod-management-empty", controller("StatefulSet", "podManagementPolicy: ''")),
    edge("stateful-set-retention-empty", controller("StatefulSet", "persistentVolumeClaimRetentionPolicy: {whenDeleted: '', whenScaled: ''}")),
    edge("pod-failure-condition-status-empty", job("edge", "podFailurePolicy:\n  rules:\n  - action: Ignore\n    onPodConditions: [{type: DisruptionTarget, status: ''}]")),
    edge("cron-job-concurrency-empty", cron_job("edge", spec="concurrencyPolicy: ''")),
    # ValidateDeploymentStrategy, ValidateStatefulSetSpec, ValidateDaemonSetUpdateStrategy name
    # the whole strategy for an unknown type; the engine points at the type the author wrote
    edge("deployment-strategy-type-unknown", controller("Deployment", "strategy: {type: BlueGreen}"), "spec.strategy"),
    edge("stateful-set-strategy-type-unknown", controller("StatefulSet", "updateStrategy: {type: Canary}"), "spec.updateStrategy"),
    edge("daemon-set-strategy-type-unknown", controller("DaemonSet", "updateStrategy: {type: Surge}"), "spec.updateStrategy"),
    # ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec: a selector that
    # LabelSelectorAsSelector refuses is "invalid label selector", and the template goes
    # unchecked (a StatefulSet still checks restartPolicy and activeDeadlineSeconds);
    # ValidateDaemonSetSpec checks its template all the same
    edge("deployment-selector-unreadable", controller("Deployment", selector=BAD_OPERATOR, pod="restartPolicy: Never"), "spec.selector", f"{EXPRESSION}.operator"),
    edge("replica-set-selector-unreadable", controller("ReplicaSet", selector="matchLabels: {app: web, 'a b': x}", pod="activeDeadlineSeconds: 5"), "spec.selector", "spec.selector.matchLabels"),
    edge("stateful-set-selector-unreadable", controller("StatefulSet", selector=BAD_OPERATOR, pod="restartPolicy: Never\nhostname: Bad_Host"), "spec.selector", f"{EXPRESSION}.operator", "spec.template.spec.restartPolicy"),
    edge("stateful-set-selector-unreadable-unnamed-claim", controller("StatefulSet", "volumeClaimTemplates:\n- " + _indented(CLAIM, 2).lstrip(), selector=BAD_OPERATOR), "spec.selector", f"{EXPRESSION}.operator"),
    edge("daemon-set-selector-unreadable", controller("DaemonSet", selector=BAD_OPERATOR, pod="restartPolicy: Never"), f"{EXPRESSION}.operator", "spec.template.spec.restartPolicy"),
    # ...and LabelSelectorAsSelector(nil) is labels.Nothing(), which matches no template
    *(
        edge(f"{kind.lower()}-selector-missing", controller(kind, selector=""), "spec.selector", "spec.template.metadata.labels")
        for kind in ("Deployment", "ReplicaSet", "StatefulSet")
    ),
    edge("job-manual-selector-missing", job("edge", "manualSelector: true"), "spec.selector", "spec.template.metadata.labels"),
    # ValidatePodTemplateSpecForRC: a missing template is required, and nothing in it is checked
    edge("replication-controller-without-template", "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: edge\nspec:\n  selector: {app: web}\n", "spec.template"),
    # SetDefaults_ReplicationController gives a controller without labels its template's;
    # ValidatePodTemplateSpec names the template's labels and annotations without "metadata"
    edge("replication-controller-labels-copied", workload("ReplicationController", "app: 'a b'", "app: 'a b'"), "metadata.labels", "spec.template.labels"),
    edge("replication-controller-own-labels", workload("ReplicationController", "app: 'a b'", "app: 'a b'", "labels: {team: web}"), "spec.template.labels"),
    edge("deployment-template-label-key", workload("Deployment", "matchLabels: {app: web}", "app: web\n'a b': c"), "spec.template.labels"),
    edge("deployment-template-annotations", workload("Deployment", "matchLabels: {app: web}", "app: web").replace("      labels:\n", "      annotations: {'x y': z, container.apparmor.security.beta.kubernetes.io/app: bogus}\n      labels:\n", 1), "spec.template.annotations", "spec.template.annotations[container.apparmor.security.beta.kubernetes.io/app]"),
    # SetDefaults_Job gives a Job without labels its template's label map (checked as its own)
    edge("job-template-label-key-copied", job("edge", labels="{app: web, 'a b': c}"), "metadata.labels", "spec.template.labels"),
    edge("job-template-label-key-own-labels", job("edge", labels="{app: web, 'a b': c}").replace("  name: edge\n", "  name: edge\n  labels: {team: x}\n", 1), "spec.template.labels"),
    # Indexes are read as Go's strconv.Atoi reads them: ASCII digits, one sign, a 64-bit int.
    *(
        edge(f"job-success-indexes-{name}", job("edge", f"completionMode: Indexed\ncompletions: 3\nsuccessPolicy:\n  rules: [{{succeededIndexes: '{value}'}}]"), *refused)
        for name, value, refused in (
            ("superscript", "0-\u00b2", ["spec.successPolicy.rules[0].succeededIndexes"]),
            ("arabic-indic", "0-\u0661", ["spec.successPolicy.rules[0].succeededIndexes"]),
            ("two-signs", "+-1", ["spec.successPolicy.rules[0].succeededIndexes"]),
            ("plus-sign", "+1", []),
            ("past-int64", "0-9999999999999999999999", ["spec.successPolicy.rules[0].succeededIndexes"]),
        )
    ),
    # A null label value in a selector is "" once decoded, and selects the template's app: "".
    *(
        edge(f"selector-null-value-{kind.lower()}", workload(kind, "app: null" if kind == "ReplicationController" else "matchLabels: {app: null}", "app: ''"))
        for kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ReplicationController")
    ),
    # Nulls in the template's spec are the Pod rules' to decode (the controllers' own rules of
    # these kinds never read the spec); with a selector that does not match, the only refusal.
    *(
        edge(f"template-spec-nulls-{kind.lower()}", controller(kind, selector=selector, pod="hostname: null\nsubdomain: null\ndnsConfig: {options: [{name: ndots, value: null}]}"), *refused)
        for kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet")
        for selector, refused in (("matchLabels: {app: web}", ()), ("matchLabels: {app: other}", ("spec.template.metadata.labels",)))
    ),
    # Found by a hand-written sweep of workloads (2026-12-05).
    # IsDomainPrefixedPath: the path after the "/" takes URL characters only.
    edge("job-managed-by-path-with-a-space", job("edge", "managedBy: 'example.com/a b'"), "spec.managedBy"),
    edge("job-managed-by-path", job("edge", "managedBy: example.com/batch-controller_1.2")),
    # time.ParseDuration: past int64 nanoseconds is invalid (2562047h is the last whole hour).
    edge("cron-job-every-past-int64", cron_job("edge").replace("'0 3 * * *'", "'@every 2562048h'"), "spec.schedule"),
    edge("cron-job-every-at-int64", cron_job("edge").replace("'0 3 * * *'", "'@every 2562047h'")),
    # strings.Fields: \x1c is no space to Go, so the schedule has four fields.
    edge("cron-job-schedule-file-separator", cron_job("edge").replace("'0 3 * * *'", '"0 3 * *\\x1c*"'), "spec.schedule"),
    # IntOrString.IntValue: Go's Atoi reads ASCII digits only ("１" is 0), clamped past int64.
    edge("daemon-set-full-width-max-unavailable", controller("DaemonSet", "updateStrategy:\n  type: RollingUpdate\n  rollingUpdate: {maxUnavailable: '１', maxSurge: 1}"), f"{UPDATE}.maxUnavailable"),
    edge("deployment-max-surge-past-int64", controller("Deployment", "strategy:\n  rollingUpdate: {maxUnavailable: 0, maxSurge: '99999999999999999999'}"), f"{ROLLING}.maxSurge"),
    # ValidateStatefulSetName: a generateName, as a name, is a DNS label.
    edge("stateful-set-generate-name-with-a-dot", controller("StatefulSet").replace("  name: edge\n", "  generateName: a.b\n", 1), "metadata.generateName", "metadata.name"),
    edge("stateful-set-generate-name-mask", controller("StatefulSet").replace("  name: edge\n", f"  generateName: {'a' * 62}B-\n", 1)),
    # robfig/cron lower-cases names with Go's strings.ToLower: "FRİ" is "fri".
    edge("cron-job-dotted-capital-i-in-a-day-name", cron_job("edge").replace("'0 3 * * *'", "'0 3 * * FRİ'")),
    # RuntimeClassName is a pointer: an empty one is checked, and is no name.
    edge("deployment-empty-runtime-class-name", controller("Deployment", pod="runtimeClassName: ''"), "spec.template.spec.runtimeClassName"),
    # 4th sweep (workloads). A Job named by generateName gets its name before generateSelector
    # runs: no job-name label written ahead can equal it, and the made-up name is checked as a
    # label value in the template only.
    edge("job-generate-name-with-job-name-label", job("pi-", labels="{app: web, job-name: pi}", key="generateName"), "spec.template.metadata.labels[job-name]"),
    edge("job-generate-name-with-batch-job-name-label", job("pi-", labels="{app: web, batch.kubernetes.io/job-name: pi}", key="generateName"), "spec.template.metadata.labels[batch.kubernetes.io/job-name]"),
    edge("job-generate-name-bad-label-value", job("-pi", key="generateName"), "metadata.generateName", "metadata.name", "spec.template.labels"),
    edge("job-generate-name-fine", job("pi-", key="generateName")),
    # The v1 Deployment's rollback annotation is read by conversion: an int64, never negative.
    edge("deployment-rollback-annotation-not-a-number", workload("Deployment", "matchLabels: {app: web}", "app: web", "annotations: {deprecated.deployment.rollback.to: latest}"), engine=("metadata.annotations[deprecated.deployment.rollback.to]",), unreadable="failed to parse annotation[deprecated.deployment.rollback.to]"),
    edge("deployment-rollback-annotation-negative", workload("Deployment", "matchLabels: {app: web}", "app: web", "annotations: {deprecated.deployment.rollback.to: '-1'}"), "spec.rollback.version"),
    edge("deployment-rollback-annotation-revision", workload("Deployment", "matchLabels: {app: web}", "app: web", "annotations: {deprecated.deployment.rollback.to: '+5'}")),
    edge("deployment-rollback-annotation-empty", workload("Deployment", "matchLabels: {app: web}", "app: web", "annotations: {deprecated.deployment.rollback.to: ''}")),
    # The v1 DaemonSet's template generation annotation too, whenever it is there (even "").
    edge("daemon-set-generation-annotation-empty", workload("DaemonSet", "matchLabels: {app: web}", "app: web", "annotations: {deprecated.daemonset.template.generation: ''}"), engine=("metadata.annotations[deprecated.daemonset.template.generation]",), unreadable="strconv.ParseInt"),
    edge("daemon-set-generation-annotation-negative", workload("DaemonSet", "matchLabels: {app: web}", "app: web", "annotations: {deprecated.daemonset.template.generation: '-3'}")),
    # A claim template's apiVersion and kind are blanked by conversion: any value goes.
    edge("stateful-set-claim-kind-any", stateful_set("- apiVersion: storage/v1\n  kind: VolumeClaim\n" + _indented(f"metadata: {{name: data}}\n{CLAIM}", 2))),
    # A ReplicationController's generateName is not validated, only the name made from it.
    edge("replication-controller-generate-name-dot", workload("ReplicationController", "{app: web}", "app: web").replace("  name: edge\n", "  generateName: web.\n")),
    edge("replication-controller-generate-name-dash", workload("ReplicationController", "{app: web}", "app: web").replace("  name: edge\n", "  generateName: '-a'\n"), "metadata.name"),
    # succeededIndexes: at most 64 KiB; its numbers read by Atoi, zero-padded to any length.
    edge("job-succeeded-indexes-too-long", job("idx", "completionMode: Indexed\ncompletions: 30000\nsuccessPolicy:\n  rules:\n  - succeededIndexes: '" + ",".join(str(n) for n in range(0, 30000, 2)) + "'"), "spec.successPolicy.rules[0].succeededIndexes"),
    edge("job-succeeded-indexes-zero-padded", job("idx", "completionMode: Indexed\ncompletions: 2\nsuccessPolicy:\n  rules:\n  - succeededIndexes: '" + "0" * 4300 + "1'")),
    # time.ParseDuration counts by value: leading zeros never overflow.
    edge("cron-job-every-zero-padded", cron_job("tick").replace("'0 3 * * *'", "'@every 000000000000000000001h'")),
    # metav1.Time: Go's general time parser takes a one-digit hour; digits are ASCII only.
    edge("deployment-template-time-one-digit-hour", workload("Deployment", "matchLabels: {app: web}", "app: web").replace("    metadata:\n      labels:", "    metadata:\n      creationTimestamp: '2024-01-01T9:00:00Z'\n      labels:")),
    edge("deployment-template-time-full-width-digits", workload("Deployment", "matchLabels: {app: web}", "app: web").replace("    metadata:\n      labels:", "    metadata:\n      creationTimestamp: '\uff12\uff10\uff12\uff14-01-01T09:00:00Z'\n      labels:"), engine=("spec.template.metadata.creationTimestamp",), unreadable="cannot parse"),
    edge("pod-creation-timestamp-full-width-digit", pod("creationTimestamp: '\uff12024-01-02T09:04:05Z'"), engine=("metadata.creationTimestamp",), unreadable="cannot parse"),
    # Every pod condition pattern is checked, past the 20 allowed too.
    edge("job-pod-conditions-past-twenty", job("conds", "podFailurePolicy:\n  rules:\n  - action: Ignore\n    onPodConditions:\n" + "    - {type: DisruptionTarget}\n" * 21 + "    - {type: 'bad type'}"), "spec.podFailurePolicy.rules[0].onPodConditions", "spec.podFailurePolicy.rules[0].onPodConditions[21].type"),
    # 5th sweep (templates): a workload's template is validated as written, without what a
    # Pod's PrepareForCreate and SetDefaults_Pod do first.
    edge("stateful-set-template-hostname-not-a-string", controller("StatefulSet", pod="hostname: 5"), engine=("spec.template.spec.hostname",), unreadable="cannot unmarshal number"),
    edge("stateful-set-claim-replaced-volume-decoded", stateful_set(named_claim()).replace("      containers:", "      volumes: [{name: data, hostPath: {path: 5}}]\n      containers:"), engine=("spec.template.spec.volumes[0].hostPath.path",), unreadable="cannot unmarshal number"),
    edge("deployment-template-apparmor-annotation-not-synced", controller("Deployment", pod="securityContext:\n  appArmorProfile: {type: RuntimeDefault}").replace("      labels: {app: web}\n", "      labels: {app: web}\n      annotations: {container.apparmor.security.beta.kubernetes.io/app: unconfined}\n"), "spec.template.spec.containers[0].securityContext.appArmorProfile.type"),
    edge("deployment-template-match-label-keys-not-merged", controller("Deployment", pod="topologySpreadConstraints:\n- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}, matchLabelKeys: [app]}")),
    edge("deployment-template-affinity-match-label-keys-twice", controller("Deployment", pod="affinity:\n  podAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n    - {topologyKey: zone, labelSelector: {matchLabels: {app: web}}, matchLabelKeys: [app, app]}")),
    edge("deployment-template-deprecated-service-account", controller("Deployment", pod="serviceAccount: Bad_Name"), "spec.template.spec.serviceAccountName"),
    edge("deployment-template-ephemeral-claim-name-free", controller("Deployment", pod="volumes:\n- name: data\n  ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}\n- {name: other, persistentVolumeClaim: {claimName: template-data}}")),
    edge("deployment-template-negative-grace-not-clamped", controller("Deployment", pod="terminationGracePeriodSeconds: -1").replace("        image: nginx:1.27\n", "        image: nginx:1.27\n        lifecycle: {preStop: {sleep: {seconds: 0}}}\n"), "spec.template.spec.containers[0].lifecycle.preStop.sleep"),
    # 6th sweep: a template's legacy init-container annotations are dropped before the size check
    edge("template-legacy-init-containers-annotation", workload("Deployment", "matchLabels: {app: web}", "app: web").replace("      labels:\n", f"      annotations:\n        pod.alpha.kubernetes.io/init-containers: {'x' * 262200}\n      labels:\n", 1)),
    edge("template-legacy-annotation-misspelled", workload("Deployment", "matchLabels: {app: web}", "app: web").replace("      labels:\n", f"      annotations:\n        pod.alpha.kubernetes.io/init-containerz: {'x' * 262200}\n      labels:\n", 1), "spec.template.annotations"),
    # 7th sweep: a container without a name is "" in the names onExitCodes.containerName may name
    edge("pod-failure-container-name-empty-matches-a-nameless-one", job("pfp", PFP_EMPTY_NAME).replace("        image: nginx:1.27\n", "        image: nginx:1.27\n      - {image: busybox}\n"), "spec.template.spec.containers[1].name"),
    edge("pod-failure-container-name-empty-matches-a-null-name", job("pfp", PFP_EMPTY_NAME).replace("        image: nginx:1.27\n", "        image: nginx:1.27\n      - {name: null, image: busybox}\n"), "spec.template.spec.containers[1].name"),
    edge("pod-failure-container-name-empty-all-named", job("pfp", PFP_EMPTY_NAME), "spec.podFailurePolicy.rules[0].onExitCodes.containerName"),
    # 8th sweep: FieldsV1 keeps any JSON value as raw bytes; an ephemeral claim template's
    # annotations are limited to 256 KiB as metadata's are
    edge("managed-fields-v1-a-number", pod("managedFields:\n- {manager: x, operation: Update, apiVersion: v1, fieldsType: FieldsV1, fieldsV1: 5}")),
    edge("managed-fields-v1-a-string-in-a-template", workload("Deployment", "matchLabels: {app: web}", "app: web").replace("      labels:\n", "      managedFields: [{manager: x, operation: Update, fieldsV1: 'x'}]\n      labels:\n", 1)),
    edge("ephemeral-claim-annotations-too-large", annotated_claim(262145), "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.annotations"),
    edge("ephemeral-claim-annotations-at-the-limit", annotated_claim(262144)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_engine_gives_the_recorded_answer_of_the_api_server(case):
    check_engine(case)


def check_engine(case: Edge) -> None:
    """The engine refuses the case's text at the fields the server named (or ``case.engine``)."""
    [document] = read_documents(case.text)[1]
    errors = analyze(document.data).errors
    expected = case.server if case.engine is None else case.engine
    assert {error.path for error in errors} == set(expected), errors


@pytest.fixture(scope="module")
def namespace():
    from tests.sandbox.conftest import admin_cluster, remove_namespace

    admin = admin_cluster()
    name = f"podstudio-edges-{uuid.uuid4().hex[:8]}"
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    assert admin.request("POST", "/api/v1/namespaces", body=body).ok
    yield admin, name
    remove_namespace(admin, name)


@pytest.mark.sandbox
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_live_api_server_gives_the_recorded_answer(namespace, case):
    admin, name = namespace
    accepted, fields, text = dry_run(admin, name, case.text)
    if case.unreadable:
        assert not accepted and not fields and case.unreadable in text, text[:500]
        return
    assert (accepted, fields) == (not case.server, set(case.server)), text[:500]


def dry_run(admin, namespace: str, text: str) -> tuple[bool, set[str], str]:
    """The live API server's answer to the YAML ``text`` (one document) as a server-side dry
    run: whether it accepted it, the fields it refused, and its answer's text."""
    [document] = read_documents(text)[1]
    kind = kind_of(document.data)
    answer = admin.request(
        "POST",
        path(*kind.group_version.split("/"), "namespaces", namespace, kind.resource),
        query={"dryRun": "All", "fieldValidation": "Strict"},
        body=text,
        content_type="application/yaml",
    )
    causes = (answer.body.get("details") or {}).get("causes") or []
    return answer.ok, {str(cause.get("field") or "") for cause in causes}, answer.text
