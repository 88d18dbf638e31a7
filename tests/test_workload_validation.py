# ruff: noqa: E501 (upstream's test tables, one case a line)
"""Workloads validated as the API server does on create.

The cases are the upstream test tables of ``pkg/apis/apps/validation/validation_test.go``
(TestValidateDeployment, TestValidateReplicaSet, TestValidateStatefulSet, TestValidateDaemonSet)
and ``pkg/apis/batch/validation/validation_test.go`` (TestValidateJobCreate, TestValidateCronJob,
TestValidateScheduleFormat*), written as manifests: each starts from a small valid object,
changes what the rule is about, and expects the field path and a fragment of the message.
Paths are the document's own: the template's rules at ``spec.template...``.
"""

import copy

import pytest

from podstudio.engine.kinds import wrap
from podstudio.engine.paths import path_to_keys
from podstudio.engine.validation.cron import schedule_error, time_zone_error
from podstudio.engine.validation.workloads import validate_workload

DELETE = object()

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
}


def valid(kind: str) -> dict:
    if kind == "Pod":
        return copy.deepcopy(POD)
    manifest = wrap(copy.deepcopy(POD), kind)
    if kind == "StatefulSet":
        manifest["spec"]["serviceName"] = "web"
    return manifest


def changed(kind: str, changes: dict) -> dict:
    manifest = valid(kind)
    for path, value in changes.items():
        keys = path_to_keys(path)
        holder = manifest
        for index, key in enumerate(keys[:-1]):
            nxt = keys[index + 1]
            if isinstance(holder, dict) and key not in holder:
                holder[key] = [] if isinstance(nxt, int) else {}
            holder = holder[key]
        if value is DELETE:
            del holder[keys[-1]]
        elif isinstance(holder, list) and keys[-1] == len(holder):
            holder.append(value)
        else:
            holder[keys[-1]] = value
    return manifest


def errors_of(manifest: dict) -> list[str]:
    return [f"{error.path}: {error.message}" for error in validate_workload(manifest)]


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"])
def test_a_wrapped_pod_is_a_valid_workload(kind):
    assert errors_of(valid(kind)) == []


def test_valid_cronjob_and_replication_controller():
    assert errors_of(valid("CronJob")) == []
    assert errors_of(valid("ReplicationController")) == []


CASES = [
    # --- TestValidateDeployment ---
    ("Deployment", {"metadata.name": DELETE}, "metadata.name", "required"),
    ("Deployment", {"spec.selector.matchLabels": {"name": "def"}}, "spec.template.metadata.labels", "does not match"),
    ("Deployment", {"spec.template.spec.restartPolicy": "Never"}, "spec.template.spec.restartPolicy", "Always"),
    # NotSupported at the strategy itself, as the API server answers
    ("Deployment", {"spec.strategy": {"type": "randomType"}}, "spec.strategy", "Recreate"),
    ("Deployment", {"spec.strategy": {"type": "Recreate", "rollingUpdate": {}}}, "spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"),
    ("Deployment", {"spec.strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "20Percent"}}}, "spec.strategy.rollingUpdate.maxSurge", "percentage"),
    ("Deployment", {"spec.strategy": {"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": 0}}}, "spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when `maxSurge` is 0"),
    ("Deployment", {"spec.strategy": {"rollingUpdate": {"maxUnavailable": "110%"}}}, "spec.strategy.rollingUpdate.maxUnavailable", "must not be greater than 100%"),
    ("Deployment", {"spec.progressDeadlineSeconds": 600, "spec.minReadySeconds": 600}, "spec.progressDeadlineSeconds", "must be greater than minReadySeconds"),
    # the default progressDeadlineSeconds (600) counts too
    ("Deployment", {"spec.minReadySeconds": 700}, "spec.progressDeadlineSeconds", "must be greater than minReadySeconds"),
    ("Deployment", {"spec.template.spec.ephemeralContainers": [{"name": "ec", "image": "busybox"}]}, "spec.template.spec.ephemeralContainers", "ephemeral containers not allowed"),
    ("Deployment", {"spec.replicas": -1}, "spec.replicas", "greater than or equal to 0"),
    ("Deployment", {"spec.selector": DELETE}, "spec.selector", "required"),
    ("DaemonSet", {"spec.selector": DELETE}, "spec.template.metadata.labels", "selects no Pods"),
    ("Deployment", {"spec.selector": {}}, "spec.selector", "empty selector is invalid"),
    ("Deployment", {"spec.selector": {"matchLabels": {}}}, "spec.selector", "empty selector is invalid"),
    ("Deployment", {"spec.selector.matchExpressions": [{"key": "app", "operator": "In"}]}, "spec.selector.matchExpressions[0].values", "must be specified"),
    ("Deployment", {"spec.selector.matchExpressions": [{"key": "app", "operator": "Near", "values": ["x"]}]}, "spec.selector.matchExpressions[0].operator", "not a valid selector operator"),
    ("Deployment", {"spec.selector.matchLabels": {"app": "web", "bad key!": "x"}}, "spec.selector.matchLabels", "key 'bad key!'"),
    ("Deployment", {"spec.template.spec.activeDeadlineSeconds": 30}, "spec.template.spec.activeDeadlineSeconds", "not Supported"),
    ("Deployment", {"spec.revisionHistoryLimit": -1}, "spec.revisionHistoryLimit", "greater than or equal to 0"),
    ("Deployment", {"metadata.name": "Web_App"}, "metadata.name", "DNS subdomain"),
    # template: the Pod rules at the template's own paths
    ("Deployment", {"spec.template.spec.containers[0].name": "Bad_Name"}, "spec.template.spec.containers[0].name", "DNS label"),
    ("Deployment", {"spec.template.spec.containers[0].ports": [{"containerPort": 70000}]}, "spec.template.spec.containers[0].ports[0].containerPort", ""),
    ("Deployment", {"spec.template.spec.containers": []}, "spec.template.spec.containers", "required"),
    # ValidatePodTemplateSpec names the template's labels without "metadata", as kubectl shows
    ("Deployment", {"spec.template.metadata.labels[bad key!]": "x"}, "spec.template.labels", "key 'bad key!'"),
    ("Deployment", {"spec.template.spec.unknownField": 1}, "spec.template.spec.unknownField", "unknown field"),
    ("Deployment", {"spec.unknownField": 1}, "spec.unknownField", "unknown field"),
    ("Deployment", {"spec.template.metadata.unknownField": 1}, "spec.template.metadata.unknownField", "unknown field"),
    ("Deployment", {"spec.replicas": "three"}, "spec.replicas", "integer"),
    ("Deployment", {"apiVersion": "extensions/v1beta1"}, "apiVersion", "extensions/v1beta1 no longer serves Deployment (removed in Kubernetes 1.16): use apps/v1"),
    ("StatefulSet", {"apiVersion": "apps/v1beta1"}, "apiVersion", "(removed in Kubernetes 1.16): use apps/v1"),
    ("DaemonSet", {"apiVersion": "apps/v1beta2"}, "apiVersion", "(removed in Kubernetes 1.16): use apps/v1"),
    ("CronJob", {"apiVersion": "batch/v1beta1"}, "apiVersion", "(removed in Kubernetes 1.25): use batch/v1"),
    ("Deployment", {"apiVersion": "apps/v2"}, "apiVersion", "must be one of: apps/v1"),
    # --- TestValidateReplicaSet ---
    ("ReplicaSet", {"spec.selector.matchLabels": {"name": "def"}}, "spec.template.metadata.labels", "does not match"),
    ("ReplicaSet", {"spec.template.spec.restartPolicy": "OnFailure"}, "spec.template.spec.restartPolicy", "Always"),
    ("ReplicaSet", {"spec.replicas": -1}, "spec.replicas", "greater than or equal to 0"),
    ("ReplicaSet", {"spec.minReadySeconds": -1}, "spec.minReadySeconds", "greater than or equal to 0"),
    ("ReplicaSet", {"spec.selector": {}}, "spec.selector", "empty selector"),
    # --- TestValidateStatefulSet ---
    ("StatefulSet", {"metadata.name": "web.example"}, "metadata.name", "DNS label"),
    ("StatefulSet", {"spec.podManagementPolicy": "Sometimes"}, "spec.podManagementPolicy", "OrderedReady"),
    ("StatefulSet", {"spec.updateStrategy": {"type": "OnDelete", "rollingUpdate": {}}}, "spec.updateStrategy.rollingUpdate", "only allowed for updateStrategy 'RollingUpdate'"),
    ("StatefulSet", {"spec.updateStrategy": {"type": "Recreate"}}, "spec.updateStrategy", "RollingUpdate"),
    ("StatefulSet", {"spec.updateStrategy": {"rollingUpdate": {"partition": -1}}}, "spec.updateStrategy.rollingUpdate.partition", "greater than or equal to 0"),
    ("StatefulSet", {"spec.updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}, "spec.updateStrategy.rollingUpdate.maxUnavailable", "cannot be 0"),
    ("StatefulSet", {"spec.updateStrategy": {"rollingUpdate": {"maxUnavailable": "101%"}}}, "spec.updateStrategy.rollingUpdate.maxUnavailable", "100%"),
    ("StatefulSet", {"spec.serviceName": "Invalid.Service"}, "spec.serviceName", "DNS label"),
    ("StatefulSet", {"spec.selector": {}}, "spec.selector", "empty selector is invalid for statefulset"),
    ("StatefulSet", {"spec.ordinals": {"start": -2}}, "spec.ordinals.start", "greater than or equal to 0"),
    ("StatefulSet", {"spec.persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Keep"}}, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", "Retain"),
    ("StatefulSet", {"spec.volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"resources": {"requests": {"storage": "1Gi"}}}}]}, "spec.volumeClaimTemplates[0].spec.accessModes", "at least 1 access mode"),
    ("StatefulSet", {"spec.volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]}, "spec.volumeClaimTemplates[0].spec.resources[storage]", "required"),
    # volumesToAddForTemplates: a claim names a volume of each Pod, so its name must be a DNS label
    # (the server names the rebuilt list's volumes[0]; the engine names the claim); the template's
    # own volumes keep their document index though the server counts them after the claims'.
    ("StatefulSet", {"spec.volumeClaimTemplates": [{"metadata": {"name": "Data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}, "spec.volumeClaimTemplates[0].metadata.name", "each Pod gets a volume of this name, so it must be a DNS label"),
    ("StatefulSet", {"spec.volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}], "spec.template.spec.volumes": [{"name": "data", "emptyDir": {}}, {"name": "cache", "hostPath": {"path": ""}}]}, "spec.template.spec.volumes[1].hostPath.path", "required"),
    # a null Quantity decodes as 0 (Quantity.UnmarshalJSON)
    ("StatefulSet", {"spec.volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": None}}}}]}, "spec.volumeClaimTemplates[0].spec.resources[storage]", "greater than zero"),
    ("Deployment", {"spec.template.spec.containers[0].resources": {"limits": {"memory": None}, "requests": {"memory": "1Gi"}}}, "spec.template.spec.containers[0].resources.requests", "limit of 0"),
    ("StatefulSet", {"spec.template.spec.activeDeadlineSeconds": 5}, "spec.template.spec.activeDeadlineSeconds", "not Supported"),
    ("StatefulSet", {"spec.template.spec.restartPolicy": "Never"}, "spec.template.spec.restartPolicy", "Always"),
    # --- TestValidateDaemonSet ---
    ("DaemonSet", {"spec.selector.matchLabels": {"app": "other"}}, "spec.template.metadata.labels", "does not match"),
    ("DaemonSet", {"spec.selector": {}}, "spec.selector", "empty selector is invalid for daemonset"),
    ("DaemonSet", {"spec.template.spec.restartPolicy": "Never"}, "spec.template.spec.restartPolicy", "Always"),
    ("DaemonSet", {"spec.updateStrategy": {"type": "Sometimes"}}, "spec.updateStrategy", "OnDelete"),
    ("DaemonSet", {"spec.updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}, "spec.updateStrategy.rollingUpdate.maxUnavailable", "cannot be 0 when maxSurge is 0"),
    ("DaemonSet", {"spec.updateStrategy": {"rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1}}}, "spec.updateStrategy.rollingUpdate.maxSurge", "may not be set when maxUnavailable is non-zero"),
    ("DaemonSet", {"spec.updateStrategy": {"rollingUpdate": {"maxUnavailable": "150%"}}}, "spec.updateStrategy.rollingUpdate.maxUnavailable", "100%"),
    ("DaemonSet", {"spec.minReadySeconds": -1}, "spec.minReadySeconds", "greater than or equal to 0"),
    # --- ReplicationController (core) ---
    ("ReplicationController", {"spec.selector": {"app": "other"}}, "spec.template.metadata.labels", "does not match"),
    ("ReplicationController", {"spec.template.spec.restartPolicy": "Never"}, "spec.template.spec.restartPolicy", "Always"),
    # --- TestValidateJobCreate ---
    ("Job", {"spec.parallelism": -1}, "spec.parallelism", "greater than or equal to 0"),
    ("Job", {"spec.backoffLimit": -1}, "spec.backoffLimit", "greater than or equal to 0"),
    ("Job", {"spec.completions": -1}, "spec.completions", "greater than or equal to 0"),
    ("Job", {"spec.activeDeadlineSeconds": -1}, "spec.activeDeadlineSeconds", "greater than or equal to 0"),
    ("Job", {"spec.ttlSecondsAfterFinished": -1}, "spec.ttlSecondsAfterFinished", "greater than or equal to 0"),
    ("Job", {"spec.backoffLimitPerIndex": 1}, "spec.backoffLimitPerIndex", "requires indexed completion mode"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 10, "spec.backoffLimitPerIndex": 1, "spec.maxFailedIndexes": 11}, "spec.maxFailedIndexes", "must be less than or equal to completions"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 10, "spec.maxFailedIndexes": 1}, "spec.backoffLimitPerIndex", "when maxFailedIndexes is specified"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 200000, "spec.parallelism": 50000, "spec.backoffLimitPerIndex": 1, "spec.maxFailedIndexes": 1}, "spec.parallelism", "must be less than or equal to 10000"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 200000, "spec.parallelism": 1, "spec.backoffLimitPerIndex": 1}, "spec.maxFailedIndexes", "must be specified when completions is above 100000"),
    # completions defaults to 1 only when parallelism is unset too
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": DELETE, "spec.parallelism": 2}, "spec.completions", "required when completion mode is Indexed"),
    ("CronJob", {"spec.jobTemplate.spec.completionMode": "Indexed"}, "spec.jobTemplate.spec.completions", "required when completion mode is Indexed"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 2, "spec.parallelism": 100001}, "spec.parallelism", "must be less than or equal to 100000"),
    ("Job", {"spec.completionMode": "Sometimes"}, "spec.completionMode", "NonIndexed"),
    ("Job", {"spec.template.spec.restartPolicy": DELETE}, "spec.template.spec.restartPolicy", "an unset restartPolicy means Always"),
    ("Job", {"spec.template.spec.restartPolicy": "Always"}, "spec.template.spec.restartPolicy", 'needs "OnFailure" or "Never", not "Always"'),
    ("Job", {"spec.manualSelector": True}, "spec.selector", "required"),
    ("Job", {"spec.selector": {"matchLabels": {"app": "web"}}}, "spec.selector", "not auto-generated"),
    # The generated selector (the user's plus the Job's uid) must select the Pods the Job makes,
    # and nothing else (found by the differential test: a NotIn that the labels fail).
    ("Job", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}}, "spec.template.metadata.labels", "does not match"),
    ("Job", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]}}, "spec.selector", "not auto-generated"),
    ("Job", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": []}]}}, "spec.selector.matchExpressions[0].values", "must be specified"),
    ("Job", {"spec.selector": {"matchLabels": {"job-name": "someone-else"}}}, "spec.selector", "not auto-generated"),
    ("Job", {"spec.template.metadata.labels[controller-uid]": "1a2b3c"}, "spec.template.metadata.labels[controller-uid]", "uid"),
    ("Job", {"spec.template.metadata.labels[batch.kubernetes.io/job-name]": "other"}, "spec.template.metadata.labels[batch.kubernetes.io/job-name]", "must be 'web'"),
    ("Job", {"spec.managedBy": "example.com/" + "a" * 60}, "spec.managedBy", "no more than 63"),
    ("Job", {"spec.managedBy": "not-a-path"}, "spec.managedBy", "domain-prefixed"),
    ("Job", {"spec.successPolicy": {"rules": [{"succeededCount": 1}]}}, "spec.successPolicy", "requires indexed completion mode"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 5, "spec.successPolicy": {"rules": []}}, "spec.successPolicy.rules", "at least one rule"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 5, "spec.successPolicy": {"rules": [{}]}}, "spec.successPolicy.rules[0]", "at least one of succeededCount or succeededIndexes"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 5, "spec.successPolicy": {"rules": [{"succeededCount": 6}]}}, "spec.successPolicy.rules[0].succeededCount", "must be less than or equal to 5"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 5, "spec.successPolicy": {"rules": [{"succeededCount": 4, "succeededIndexes": "0-2"}]}}, "spec.successPolicy.rules[0].succeededCount", "must be less than or equal to 3"),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 5, "spec.successPolicy": {"rules": [{"succeededIndexes": "3-1"}]}}, "spec.successPolicy.rules[0].succeededIndexes", "non-increasing order"),
    # strconv.Atoi: ASCII digits only ("²" made the check itself fail), a 64-bit int at most.
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 5, "spec.successPolicy": {"rules": [{"succeededIndexes": "0-\u00b2"}]}}, "spec.successPolicy.rules[0].succeededIndexes", 'cannot convert string to integer for index: "\u00b2"'),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 5, "spec.successPolicy": {"rules": [{"succeededIndexes": "0-99999999999999999999"}]}}, "spec.successPolicy.rules[0].succeededIndexes", "cannot convert string to integer"),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "FailJob"}]}, "spec.template.spec.restartPolicy": "Never"}, "spec.podFailurePolicy.rules[0]", "specifying one of OnExitCodes and OnPodConditions is required"),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [11, 11]}}]}, "spec.template.spec.restartPolicy": "Never"}, "spec.podFailurePolicy.rules[0].onExitCodes.values[1]", "duplicate"),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [19, 11]}}]}, "spec.template.spec.restartPolicy": "Never"}, "spec.podFailurePolicy.rules[0].onExitCodes.values", "must be ordered"),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": []}}]}, "spec.template.spec.restartPolicy": "Never"}, "spec.podFailurePolicy.rules[0].onExitCodes.values", "at least one value is required"),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1, 0]}}]}, "spec.template.spec.restartPolicy": "Never"}, "spec.podFailurePolicy.rules[0].onExitCodes.values[1]", "must not be 0 for the In operator"),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1]}, "onPodConditions": [{"type": "DisruptionTarget"}]}]}, "spec.template.spec.restartPolicy": "Never"}, "spec.podFailurePolicy.rules[0]", "specifying both OnExitCodes and OnPodConditions is not supported"),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1]}}]}, "spec.template.spec.restartPolicy": "OnFailure"}, "spec.template.spec.restartPolicy", 'only "Never" is supported'),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [1]}}]}, "spec.template.spec.restartPolicy": "Never"}, "spec.podFailurePolicy.rules[0].action", "requires the backoffLimitPerIndex"),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"containerName": "nope", "operator": "In", "values": [1]}}]}, "spec.template.spec.restartPolicy": "Never"}, "spec.podFailurePolicy.rules[0].onExitCodes.containerName", "must be one of the container"),
    ("Job", {"spec.podReplacementPolicy": "Sometimes"}, "spec.podReplacementPolicy", "TerminatingOrFailed"),
    ("Job", {"metadata.name": "a" * 62, "spec.completionMode": "Indexed", "spec.completions": 11}, "metadata.name", "will not able to create pod with invalid DNS label"),
    # --- TestValidateCronJob ---
    ("CronJob", {"spec.schedule": "error"}, "spec.schedule", "expected exactly 5 fields"),
    ("CronJob", {"spec.schedule": DELETE}, "spec.schedule", "required"),
    ("CronJob", {"spec.timeZone": ""}, "spec.timeZone", "timeZone must be nil or non-empty string"),
    ("CronJob", {"spec.timeZone": "Local"}, "spec.timeZone", "explicit time zone"),
    ("CronJob", {"spec.timeZone": " Continent/Zone"}, "spec.timeZone", "unknown time zone"),
    ("CronJob", {"spec.timeZone": "Continent/InvalidZone"}, "spec.timeZone", "unknown time zone"),
    ("CronJob", {"spec.timeZone": "Continent/Zone "}, "spec.timeZone", "unknown time zone"),
    ("CronJob", {"spec.startingDeadlineSeconds": -1}, "spec.startingDeadlineSeconds", "greater than or equal to 0"),
    ("CronJob", {"spec.successfulJobsHistoryLimit": -1}, "spec.successfulJobsHistoryLimit", "greater than or equal to 0"),
    ("CronJob", {"spec.failedJobsHistoryLimit": -1}, "spec.failedJobsHistoryLimit", "greater than or equal to 0"),
    ("CronJob", {"spec.concurrencyPolicy": "Sometimes"}, "spec.concurrencyPolicy", "Allow"),
    ("CronJob", {"spec.jobTemplate.spec.parallelism": -1}, "spec.jobTemplate.spec.parallelism", "greater than or equal to 0"),
    ("CronJob", {"spec.jobTemplate.spec.completions": -1}, "spec.jobTemplate.spec.completions", "greater than or equal to 0"),
    ("CronJob", {"spec.jobTemplate.spec.activeDeadlineSeconds": -1}, "spec.jobTemplate.spec.activeDeadlineSeconds", "greater than or equal to 0"),
    ("CronJob", {"spec.jobTemplate.spec.selector": {"matchLabels": {"a": "b"}}}, "spec.jobTemplate.spec.selector", "will be auto-generated"),
    ("CronJob", {"metadata.name": "a" * 53}, "metadata.name", "no more than 52 characters"),
    ("CronJob", {"spec.jobTemplate.spec.manualSelector": True}, "spec.jobTemplate.spec.manualSelector", "false or unset"),
    ("CronJob", {"spec.jobTemplate.spec.template.spec.restartPolicy": DELETE}, "spec.jobTemplate.spec.template.spec.restartPolicy", "an unset restartPolicy means Always"),
    ("CronJob", {"spec.jobTemplate.spec.template.spec.restartPolicy": "Always"}, "spec.jobTemplate.spec.template.spec.restartPolicy", 'needs "OnFailure" or "Never", not "Always"'),
    ("CronJob", {"spec.jobTemplate.spec.ttlSecondsAfterFinished": -1}, "spec.jobTemplate.spec.ttlSecondsAfterFinished", "greater than or equal to 0"),
    ("CronJob", {"spec.schedule": "TZ=UTC 0 0 * * *"}, "spec.schedule", "cannot use TZ or CRON_TZ in schedule"),
    ("CronJob", {"spec.jobTemplate.spec.template.spec.containers[0].image": 5}, "spec.jobTemplate.spec.template.spec.containers[0].image", "string"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "changes", "path", "fragment"), CASES)
def test_the_api_server_rejects_it_at_the_documents_path(kind, changes, path, fragment):
    errors = errors_of(changed(kind, changes))
    assert any(e.startswith(f"{path}: ") and fragment in e for e in errors), errors


SUCCESS = [
    # TestValidateDeployment: hostNetwork with a matching port is fine in a template too.
    ("Deployment", {"spec.template.spec.hostNetwork": True, "spec.template.spec.containers[0].ports": [{"containerPort": 12345, "hostPort": 12345}]}),
    ("Deployment", {"spec.strategy": {"type": "Recreate"}}),
    ("Deployment", {"spec.strategy": {"rollingUpdate": {"maxUnavailable": 0}}}),  # surge defaults to 25%
    ("Deployment", {"spec.selector.matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]}),
    ("Deployment", {"spec.replicas": 0}),
    # ValidateStatefulSetSpec leaves revisionHistoryLimit alone (found by the differential test).
    ("StatefulSet", {"spec.revisionHistoryLimit": -1}),
    # Admission and Pod-only defaulting judge the Pods, not the template: the workload is
    # accepted (and the finding template-pods-refused says its Pods would not be).
    ("Deployment", {"spec.template.spec.priority": 5}),
    ("Deployment", {"spec.template.spec.overhead": {"cpu": "100m"}}),
    ("Deployment", {"spec.template.spec.hostNetwork": True, "spec.template.spec.containers[0].ports": [{"containerPort": 80}, {"containerPort": 80}]}),
    ("Deployment", {"spec.template.spec.resources": {"limits": {"cpu": "64"}}, "spec.template.spec.initContainers": [{"name": "setup", "image": "busybox:1.36", "resources": {"limits": {"cpu": "1k"}}}]}),
    # Pod-only rules do not hold for a template (ValidatePodTemplateSpec).
    ("Deployment", {"spec.template.spec.nodeName": "node-1", "spec.template.spec.schedulingGates": [{"name": "example.com/wait"}]}),
    ("Deployment", {"spec.template.metadata.name": "Not A Valid Pod Name"}),
    ("StatefulSet", {"spec.template.spec.hostname": "UPPER", "spec.template.spec.subdomain": "Also_Bad"}),
    # a claim template's volume can be mounted without a volume of that name
    ("StatefulSet", {"spec.volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}], "spec.template.spec.containers[0].volumeMounts": [{"name": "data", "mountPath": "/data"}]}),
    # a template volume named after a claim is replaced by the claim's in every Pod: not checked
    ("StatefulSet", {"spec.volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}], "spec.template.spec.volumes": [{"name": "data", "hostPath": {"path": ""}}, {"name": "data", "emptyDir": {}}]}),
    ("StatefulSet", {"spec.serviceName": DELETE}),
    ("DaemonSet", {"spec.updateStrategy": {"type": "OnDelete"}}),
    ("DaemonSet", {"spec.updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": "10%"}}}),
    ("Job", {"spec.template.spec.restartPolicy": "OnFailure"}),
    ("Job", {"spec.manualSelector": True, "spec.selector": {"matchLabels": {"app": "web"}}}),
    ("Job", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["api"]}]}}),
    ("Job", {"spec.selector": {"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}}),
    ("Job", {"spec.template.metadata.labels[batch.kubernetes.io/job-name]": "web"}),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": 5, "spec.parallelism": 5, "spec.backoffLimitPerIndex": 1, "spec.maxFailedIndexes": 2}),
    ("Job", {"spec.podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}, "spec.template.spec.restartPolicy": "Never"}),
    ("Job", {"spec.template.spec.activeDeadlineSeconds": 60}),
    ("Job", {"spec.completionMode": "Indexed", "spec.completions": DELETE}),  # defaulted to 1
    ("CronJob", {"spec.schedule": "@hourly"}),
    ("CronJob", {"spec.schedule": "*/5 9-17 * JAN-DEC mon-fri", "spec.timeZone": "Europe/Paris"}),
    ("CronJob", {"spec.schedule": "@every 1h30m", "spec.timeZone": "UTC"}),
    ("ReplicationController", {"spec.selector": DELETE}),  # defaults to the template's labels
]  # fmt: skip


@pytest.mark.parametrize(("kind", "changes"), SUCCESS)
def test_the_api_server_accepts_it(kind, changes):
    assert errors_of(changed(kind, changes)) == []


@pytest.mark.parametrize(
    ("schedule", "fragment"),
    [
        # TestValidateScheduleFormatPanicRecovery
        ("TZ=0", "invalid schedule format"),
        ("TZ=", "invalid schedule format"),
        ("CRON_TZ=UTC", "invalid schedule format"),
        ("TZ=Invalid/Timezone", "invalid schedule format"),
        # robfig/cron's parser
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4"),
        ("60 * * * *", "end of range (60) above maximum (59)"),
        ("* * 0 * *", "beginning of range (0) below minimum (1)"),
        ("* * * * 7", "end of range (7) above maximum (6)"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1)"),
        ("*/0 * * * *", "step of range should be a positive number"),
        ("1-2-3 * * * *", "too many hyphens"),
        ("*/2/3 * * * *", "too many slashes"),
        ("x * * * *", "failed to parse int from x"),
        ("@fortnightly", "unrecognized descriptor"),
        ("@every 5", "missing unit"),
        ("TZ=Mars/Olympus 0 0 * * *", "provided bad location"),
    ],
)
def test_schedules_are_read_as_cron_parse_standard_reads_them(schedule, fragment):
    assert fragment in (schedule_error(schedule) or "")


@pytest.mark.parametrize(
    "schedule",
    [
        "0 0 * * *",
        "*/15 * * * *",
        "0 3 1,15 * *",
        "0 0 ? * SUN",
        "30 4 * jan,jul mon-fri",
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
        "@every 90s",
        "@every 1.5h",
        "TZ=UTC 0 0 * * *",
        "CRON_TZ=Europe/Berlin 0 0 * * *",
        "5 * * * *",
        "1-59/2 * * * *",
    ],
)
def test_valid_schedules_parse(schedule):
    assert schedule_error(schedule) is None


@pytest.mark.parametrize(
    ("zone", "ok"),
    [
        ("America/New_York", True),
        ("Africa/Abidjan", True),
        ("Etc/GMT+5", True),
        ("UTC", True),
        ("", False),
        ("Local", False),
        ("local", False),
        ("../etc/passwd", False),
        ("Continent/Zone", False),
        ("Europe/-Berlin", False),
        ("America/Argentina/ComodRivadaviaX", False),
    ],
)
def test_time_zones_as_the_api_server_checks_them(zone, ok):
    assert (time_zone_error(zone) is None) is ok


def test_errors_never_come_back_at_a_pods_paths():
    manifest = changed(
        "CronJob",
        {
            "spec.jobTemplate.spec.template.spec.containers[0].name": "Bad_Name",
            "spec.jobTemplate.spec.template.spec.containers[0].resources": {
                "requests": {"cpu": "2"},
                "limits": {"cpu": "1"},
            },
        },
    )
    errors = validate_workload(manifest)
    assert errors
    assert all(error.path.startswith("spec.jobTemplate.spec.template.spec.") for error in errors)


@pytest.mark.parametrize(
    "junk",
    [
        {"spec.template": "not a mapping"},
        {"spec.template": None},
        {"spec.template": DELETE},
        {"spec.selector": "app=web"},
        {"spec.selector": ["app"]},
        {"spec.selector.matchLabels": "app"},
        {"spec.selector.matchExpressions": "x"},
        {"spec.template.metadata": 5},
        {"spec.template.metadata.labels": ["a"]},
        {"spec.template.spec": "x"},
        {"spec": []},
        {"metadata": "web"},
        {"spec.strategy": "fast"},
        {"spec.strategy.rollingUpdate": 3},
    ],
)
def test_shapes_that_are_wrong_are_errors_not_crashes(junk):
    manifest = changed("Deployment", junk)
    errors = validate_workload(manifest)
    assert errors, "the API server would refuse each of these"
    assert all(error.path for error in errors)


def test_a_template_that_is_not_a_mapping_is_one_clear_error():
    errors = errors_of(changed("Deployment", {"spec.template": "nope"}))
    assert any(e.startswith("spec.template: must be a mapping") for e in errors), errors
    assert not any(e.startswith("spec.template.spec.containers") for e in errors)


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet", "Job", "CronJob"])
def test_a_template_label_or_annotation_that_is_no_string_is_one_error_where_it_is_written(kind):
    """The API server cannot decode it and names it at its written path; the Pod view's schema
    found it again and named it as the server names template metadata (without "metadata")."""
    manifest = wrap(copy.deepcopy(POD), kind) if kind == "CronJob" else valid(kind)
    template = manifest["spec"]["jobTemplate"]["spec"] if kind == "CronJob" else manifest["spec"]
    template["template"]["metadata"]["annotations"] = {"a": 5}
    prefix = "spec.jobTemplate.spec.template" if kind == "CronJob" else "spec.template"
    assert errors_of(manifest) == [
        f"{prefix}.metadata.annotations[a]: must be a string, got the number 5 "
        "(put it in quotes: YAML reads it as a number)"
    ]


def test_a_container_name_of_the_wrong_shape_beside_a_pod_failure_policy_is_an_error():
    """A list where a container's name goes once crashed the podFailurePolicy rule, and the
    Job came out valid (exit 0 in CI): it is invalid at the name, and the rule still runs."""
    job = valid("Job")
    job["spec"]["podFailurePolicy"] = {
        "rules": [
            {
                "action": "FailJob",
                "onExitCodes": {"containerName": "a", "operator": "In", "values": [1]},
            }
        ]
    }
    job["spec"]["template"]["spec"]["containers"][0]["name"] = ["a"]
    errors = {error.path: error.message for error in validate_workload(job)}
    assert "must be a string" in errors["spec.template.spec.containers[0].name"]
    assert (
        "container or initContainer names"
        in errors["spec.podFailurePolicy.rules[0].onExitCodes.containerName"]
    )
    assert "" not in errors  # no rule crashed


@pytest.mark.parametrize("kind", ["Pod", "Job", "Deployment"])
def test_a_rule_that_crashes_makes_the_document_invalid_not_valid(kind, monkeypatch, caplog):
    """A bug in a rule must not pass a gate: the report says the check is incomplete."""
    from podstudio.engine.analyze import analyze
    from podstudio.engine.results import RULE_CRASHED
    from podstudio.engine.validation import pod, workloads

    def broken(*args, **kwargs):
        raise TypeError("unhashable type: 'list'")

    monkeypatch.setattr(pod, "check_metadata", broken)  # a Pod's rules
    monkeypatch.setattr(workloads, "_metadata_errors", broken)  # a workload's own rules
    manifest = copy.deepcopy(POD) if kind == "Pod" else valid(kind)
    report = analyze(manifest)
    assert not report.valid
    assert report.errors[-1] == ("", RULE_CRASHED)
    assert "rule crashed" in caplog.text  # the server's log keeps the traceback


# --- found against kube-apiserver v1.37.2 (tests/sandbox/test_edge_agreement.py sends them) ---

CLAIM = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
LONG_NAME = "a" * 64
WORKLOAD_KINDS = [
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicationController",
]


def claims(*templates: dict) -> dict:
    return {"spec.volumeClaimTemplates": list(templates)}


def claim(name: str | None = "data", **spec) -> dict:
    template: dict = {"spec": {**CLAIM, **spec}}
    if name is not None:
        template["metadata"] = {"name": name}
    return template


FOUND_REFUSED = [
    # ValidateStatefulSetSpec checks its claims with ValidatePersistentVolumeClaimSpec, the
    # same rules as an ephemeral volume's claim
    ("StatefulSet", claims(claim(storageClassName="Fast_SSD")), "spec.volumeClaimTemplates[0].spec.storageClassName", "DNS subdomain"),
    ("StatefulSet", claims(claim(volumeAttributesClassName="Gold_IOPS")), "spec.volumeClaimTemplates[0].spec.volumeAttributesClassName", "DNS subdomain"),
    ("StatefulSet", claims(claim(dataSource={"kind": "VolumeSnapshot", "name": "snap"})), "spec.volumeClaimTemplates[0].spec.dataSource", "must be 'PersistentVolumeClaim' when referencing the default apiGroup"),
    ("StatefulSet", claims(claim(dataSource={"kind": "PersistentVolumeClaim", "name": "a"}, dataSourceRef={"kind": "PersistentVolumeClaim", "name": "b"})), "spec.volumeClaimTemplates[0].spec", "must match dataSourceRef"),
    ("StatefulSet", claims(claim(dataSource={"kind": "PersistentVolumeClaim", "name": "a"}, dataSourceRef={"kind": "PersistentVolumeClaim", "name": "a", "namespace": "other"})), "spec.volumeClaimTemplates[0].spec", "may not be specified when dataSourceRef.namespace is specified"),
    ("StatefulSet", claims(claim(dataSourceRef={"kind": "PersistentVolumeClaim", "name": "a", "namespace": "A_B"})), "spec.volumeClaimTemplates[0].spec.dataSourceRef.namespace", "DNS label"),
    ("StatefulSet", claims(claim(accessModes=[None])), "spec.volumeClaimTemplates[0].spec.accessModes", "must be one of"),
    # volumesToAddForTemplates: a claim without a name gives each Pod a volume named ""
    ("StatefulSet", claims(claim(None)), "spec.volumeClaimTemplates[0].metadata.name", "required"),
    ("StatefulSet", claims(claim("")), "spec.volumeClaimTemplates[0].metadata.name", "required"),
    ("StatefulSet", claims({"metadata": {"generateName": "data-"}, "spec": CLAIM}), "spec.volumeClaimTemplates[0].metadata.name", "generateName is not used"),
    ("StatefulSet", claims(claim(), claim(None)), "spec.volumeClaimTemplates[1].metadata.name", "required"),
    ("StatefulSet", claims(None), "spec.volumeClaimTemplates[0].spec.accessModes", "at least 1 access mode"),
    ("StatefulSet", claims(None), "spec.volumeClaimTemplates[0].metadata.name", "required"),
    # generateSelector copies the name into the template's job-name labels: at most 63
    # characters; a Job without labels shares the template's label map (SetDefaults_Job)
    ("Job", {"metadata.name": LONG_NAME}, "spec.template.labels", "no more than 63"),
    ("Job", {"metadata.name": LONG_NAME}, "metadata.labels", "no more than 63"),
    ("Job", {"metadata.name": LONG_NAME, "spec.manualSelector": False}, "spec.template.labels", "job-name labels"),
    ("Job", {"metadata.name": LONG_NAME, "spec.template.metadata.labels": {}}, "metadata.labels", "no more than 63"),
    ("Job", {"metadata.name": LONG_NAME, "spec.template.metadata.labels": {"job-name": LONG_NAME}}, "spec.template.labels", "no more than 63"),
    # a null label value is "" to Go
    ("Deployment", {"spec.selector": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]}, "spec.template.metadata.labels": {"app": "web", "canary": None}}, "spec.template.metadata.labels", "does not match"),
    ("Deployment", {"spec.selector": {"matchLabels": {"app": None}}}, "spec.template.metadata.labels", "does not match"),
    ("ReplicationController", {"spec.selector": {"app": "web"}, "spec.template.metadata.labels": {"app": None}}, "spec.template.metadata.labels", "does not match"),
    ("Job", {"spec.template.metadata.labels": {"app": "web", "job-name": None}}, "spec.template.metadata.labels[job-name]", "must be 'web'"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "changes", "path", "fragment"), FOUND_REFUSED)
def test_found_refused_as_the_api_server_refuses_them(kind, changes, path, fragment):
    errors = errors_of(changed(kind, changes))
    assert any(e.startswith(f"{path}: ") and fragment in e for e in errors), errors


FOUND_ACCEPTED = [
    ("StatefulSet", claims(claim(storageClassName="fast-ssd", volumeAttributesClassName="gold"))),
    ("StatefulSet", claims(claim(dataSource={"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "snap"}))),
    ("StatefulSet", claims(claim(dataSourceRef={"kind": "PersistentVolumeClaim", "name": "a", "namespace": "other"}))),
    # a Job's name is copied into its template's labels only without manualSelector
    ("Job", {"metadata.name": "a" * 63}),
    ("Job", {"metadata.name": LONG_NAME, "spec.manualSelector": True, "spec.selector": {"matchLabels": {"app": "web"}}}),
    ("Job", {"metadata.name": DELETE, "metadata.generateName": "a" * 59}),
    ("Job", {"metadata.name": DELETE, "metadata.generateName": "a" * 70}),
    # a CronJob's Jobs are named later, from its name of at most 52 characters
    ("CronJob", {"metadata.name": "c" * 52}),
    # a null label value is "" to Go, not a missing label
    ("Deployment", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]}, "spec.template.metadata.labels": {"app": None}}),
    ("Deployment", {"spec.selector": {"matchLabels": {"app": ""}}, "spec.template.metadata.labels": {"app": None}}),
    ("Deployment", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": [None]}]}, "spec.template.metadata.labels": {"app": ""}}),
    ("ReplicaSet", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]}, "spec.template.metadata.labels": {"app": None}}),
    ("DaemonSet", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]}, "spec.template.metadata.labels": {"app": None}}),
    ("StatefulSet", {"spec.selector": {"matchLabels": {"app": None}}, "spec.template.metadata.labels": {"app": ""}}),
    ("ReplicationController", {"spec.selector": {"app": None}, "spec.template.metadata.labels": {"app": ""}}),
    ("Job", {"spec.manualSelector": True, "spec.selector": {"matchLabels": {"app": ""}}, "spec.template.metadata.labels": {"app": None}}),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "changes"), FOUND_ACCEPTED)
def test_found_accepted_as_the_api_server_accepts_them(kind, changes):
    assert errors_of(changed(kind, changes)) == []


@pytest.mark.parametrize("kind", WORKLOAD_KINDS)
def test_a_negative_generation_is_reset_on_create(kind):
    assert errors_of(changed(kind, {"metadata.generation": -1})) == []


def test_an_unnamed_claim_is_one_error_at_its_name():
    errors = errors_of(changed("StatefulSet", claims(claim(None))))
    assert [e.split(": ")[0] for e in errors] == ["spec.volumeClaimTemplates[0].metadata.name"]


def test_a_job_name_copied_into_labels_is_not_reported_where_the_job_has_labels():
    errors = errors_of(
        changed("Job", {"metadata.name": LONG_NAME, "metadata.labels": {"team": "a"}})
    )
    assert [e.split(": ")[0] for e in errors] == ["spec.template.labels"]
    errors = errors_of(
        changed("Job", {"metadata.name": LONG_NAME, "spec.template.metadata.labels": None})
    )
    assert [e.split(": ")[0] for e in errors] == ["spec.template.labels"]
