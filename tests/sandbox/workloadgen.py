"""Hypothesis strategies for workloads: every controller field the engine checks, near the
edges of its upstream rule (``pkg/apis/apps/validation``, ``pkg/apis/batch/validation``).

A workload is one of the seven kinds Pod Studio checks around a Pod template. Its template is a
small Pod, or now and then a clean generated one (``podgen``), so the controller's own rules
meet the template's. Each controller field is left out, set to a value its rule accepts, or
(about one time in five) to one it refuses; selectors match the template's labels, or not.
"""

import copy

from hypothesis import strategies as st

from podstudio.engine.kinds import KINDS as ENGINE_KINDS
from podstudio.engine.kinds import WORKLOADS as KINDS
from tests.sandbox.podgen import PodBuilder, built_pod

NAMES = ("web", "shop-api", "a", "report.daily", "x" * 52, "y" * 53, "z" * 63, "Web", "-web")
LABEL_SETS = ({"app": "web"}, {"app": "web", "tier": "front"}, {"app": "api"}, {})
COUNTS = (0, 1, 3, 10)
BAD_COUNTS = (-1, -10)
SECONDS = (0, 1, 30, 600)
# A Job's sizes, up to and past the soft limits of an Indexed Job (10^5 completions, 10^4 at once).
JOB_SIZES = (1, 3, 10, 10_000, 10_001, 100_000, 100_001)
INT_OR_PERCENT = (0, 1, 2, "0%", "25%", "100%")
BAD_INT_OR_PERCENT = (-1, "-10%", "110%", "abc", "10", "1.5%", "%")
SCHEDULES = (
    "*/5 * * * *",
    "0 3 * * *",
    "@hourly",
    "@daily",
    "@every 1h",
    "0 0 1 1 *",
    "0 0 * * MON-FRI",
    "0 0 * * 7",
    "15,45 9-17 * * 1-5",
    "0 0 L * *",
    "0 0 ? * *",
    "H * * * *",
    "60 * * * *",
    "* * * *",
    "* * * * * *",
    "TZ=UTC 0 * * * *",
    "CRON_TZ=Europe/Berlin 0 * * * *",
    "",
    "@reboot",
    "0 0 30 2 *",
)
TIME_ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Local", "Mars/Olympus", "utc", " UTC")


class WorkloadBuilder(PodBuilder):
    """Builds one workload from Hypothesis draws; ``invalid`` lets refused values in."""

    BAD_ONE_IN = 5

    # --- the template -------------------------------------------------------------------------

    def template(self, restart_policies: tuple[str, ...]) -> dict:
        if self.chance(4):
            pod = copy.deepcopy(self.draw(built_pod(False)))
            spec = pod["spec"]
            for field in ("nodeName", "priorityClassName", "runtimeClassName"):
                spec.pop(field, None)  # cluster objects the test namespace lacks
        else:
            spec = {"containers": [{"name": "app", "image": "nginx:1.27"}]}
        policy = self.pick(restart_policies, ("Always", "OnFailure", "Never", "Sometimes"))
        if policy is None:
            spec.pop("restartPolicy", None)
        else:
            spec["restartPolicy"] = policy
        template: dict = {"spec": spec}
        labels = self.draw(st.sampled_from(LABEL_SETS))
        if labels or self.chance(3):
            template["metadata"] = {"labels": dict(labels)}
        return template

    def template_labels(self, template: dict) -> dict:
        return (template.get("metadata") or {}).get("labels") or {}

    def selector(self, labels: dict) -> dict:
        """A label selector that matches ``labels``, or (when drawn) one that does not."""
        choice = self.draw(st.integers(0, 9))
        if choice <= 5:
            return {"matchLabels": dict(labels)}
        if choice == 6:
            key = next(iter(labels), "app")
            return {"matchExpressions": [{"key": key, "operator": "Exists"}]}
        if choice == 7:
            operator = self.pick(("In", "NotIn"), ("Exists", "DoesNotExist", "Equals"))
            values = self.pick((["web"], ["web", "api"]), ([],))
            return {"matchExpressions": [{"key": "app", "operator": operator, "values": values}]}
        if choice == 8:
            return {"matchLabels": {"app": "other"}}
        return {}

    # --- one field each -----------------------------------------------------------------------

    def count(self):
        return self.pick(COUNTS, BAD_COUNTS)

    def seconds(self):
        return self.pick(SECONDS, BAD_COUNTS)

    def int_or_percent(self):
        return self.pick(INT_OR_PERCENT, BAD_INT_OR_PERCENT)

    def strategy(self, other: tuple[str, str], **rolling_fields) -> dict:
        """A rollout strategy: RollingUpdate, the kind's ``other`` valid type, or (dirty only)
        a type it refuses; rollingUpdate holds maxUnavailable and ``rolling_fields``, and comes
        with the other types too now and then (which they refuse)."""
        kind = self.pick(("RollingUpdate", other[0]), (other[1],))
        strategy: dict = {"type": kind}
        if kind == "RollingUpdate" or self.invalid and self.chance(3):
            rolling: dict = {}
            self.optional(rolling, "maxUnavailable", 2, self.int_or_percent)
            for key, make in rolling_fields.items():
                self.optional(rolling, key, 2, make)
            strategy["rollingUpdate"] = rolling
        return strategy

    # --- the kinds ----------------------------------------------------------------------------

    def build(self, kind: str) -> dict:
        name = self.pick(NAMES[:5], NAMES[5:])
        workload = {
            "apiVersion": ENGINE_KINDS[kind].api_version,
            "kind": kind,
            "metadata": {"name": name},
            "spec": getattr(self, f"spec_{kind.lower()}")(),
        }
        return workload

    def _apps_spec(self, *, replicas: bool = True, always: bool = True) -> dict:
        template = self.template(("Always", None) if always else ("OnFailure", "Never"))
        spec: dict = {"template": template}
        if replicas:
            self.optional(spec, "replicas", 2, self.count)
        if not self.chance(10):  # apps/v1 requires a selector
            spec["selector"] = self.selector(self.template_labels(template))
        self.optional(spec, "minReadySeconds", 4, self.seconds)
        return spec

    def spec_deployment(self) -> dict:
        spec = self._apps_spec()
        self.optional(spec, "revisionHistoryLimit", 5, self.count)
        self.optional(spec, "progressDeadlineSeconds", 4, self.seconds)
        self.optional(spec, "paused", 8, self.flag)
        other = ("Recreate", "BlueGreen")
        self.optional(
            spec, "strategy", 2, lambda: self.strategy(other, maxSurge=self.int_or_percent)
        )
        return spec

    def spec_replicaset(self) -> dict:
        return self._apps_spec()

    def spec_statefulset(self) -> dict:
        spec = self._apps_spec()
        self.optional(spec, "serviceName", 2, lambda: self.pick(("web", ""), ("Web_1",)))
        self.optional(
            spec,
            "podManagementPolicy",
            4,
            lambda: self.pick(("OrderedReady", "Parallel"), ("Random",)),
        )
        self.optional(spec, "revisionHistoryLimit", 6, self.count)
        other = ("OnDelete", "Never")
        self.optional(spec, "updateStrategy", 3, lambda: self.strategy(other, partition=self.count))
        if self.chance(4):
            policy: dict = {}
            for key in ("whenDeleted", "whenScaled"):
                self.optional(policy, key, 2, lambda: self.pick(("Retain", "Delete"), ("Keep",)))
            spec["persistentVolumeClaimRetentionPolicy"] = policy
        self.optional(spec, "ordinals", 5, lambda: {"start": self.count()})
        if self.chance(4):
            spec["volumeClaimTemplates"] = self.some(self.claim_template, 2, 1)
            self.volume_named_after_claim(spec)
        return spec

    def claim_template(self) -> dict:
        claim_spec: dict = {
            "accessModes": [self.pick(("ReadWriteOnce", "ReadOnlyMany"), ("ReadWrite",))],
            "resources": {"requests": {"storage": self.pick(("1Gi", "10Mi"), ("-1Gi",))}},
        }
        if self.invalid and self.chance(4):
            claim_spec.pop("accessModes")
        return {"metadata": {"name": self.pick(("data", "logs"), ("Data",))}, "spec": claim_spec}

    def volume_named_after_claim(self, spec: dict) -> None:
        """Sometimes a template volume of a claim's name (each Pod gets the claim instead), and
        a bad one beside it, whose index the server counts after the claims' volumes."""
        pod_spec = spec["template"].get("spec")
        if not isinstance(pod_spec, dict) or not self.chance(2):
            return
        volumes = pod_spec.setdefault("volumes", [])
        claim = spec["volumeClaimTemplates"][0]["metadata"]["name"]
        volumes.append({"name": claim, "hostPath": {"path": self.pick(("/srv",), ("",))}})
        if self.chance(2):
            volumes.append({"name": "scratch", "emptyDir": {"medium": self.pick(("",), ("Disk",))}})

    def spec_daemonset(self) -> dict:
        spec = self._apps_spec(replicas=False)
        self.optional(spec, "revisionHistoryLimit", 6, self.count)
        other = ("OnDelete", "Recreate")
        self.optional(
            spec, "updateStrategy", 2, lambda: self.strategy(other, maxSurge=self.int_or_percent)
        )
        return spec

    def spec_replicationcontroller(self) -> dict:
        template = self.template(("Always", None))
        spec: dict = {"template": template}
        self.optional(spec, "replicas", 2, self.count)
        self.optional(spec, "minReadySeconds", 4, self.seconds)
        if self.chance(2):
            labels = self.template_labels(template)
            spec["selector"] = self.pick(
                (dict(labels), {"app": "web"} if "app" in labels else dict(labels)),
                ({"app": "other"}, {}),
            )
        return spec

    def spec_job(self) -> dict:
        template = self.template(("OnFailure", "Never"))
        spec: dict = {"template": template}
        for key in ("parallelism", "completions"):
            self.optional(spec, key, 3, lambda: self.pick(JOB_SIZES, BAD_COUNTS))
        self.optional(spec, "backoffLimit", 3, self.count)
        self.optional(spec, "activeDeadlineSeconds", 5, self.seconds)
        self.optional(spec, "ttlSecondsAfterFinished", 5, self.seconds)
        self.optional(spec, "suspend", 8, self.flag)
        self.optional(
            spec,
            "completionMode",
            3,
            lambda: self.pick(("NonIndexed", "Indexed"), ("Ordered",)),
        )
        self.optional(spec, "backoffLimitPerIndex", 6, self.count)
        self.optional(spec, "maxFailedIndexes", 8, self.count)
        self.optional(
            spec,
            "podReplacementPolicy",
            6,
            lambda: self.pick(("TerminatingOrFailed", "Failed"), ("Never",)),
        )
        if self.chance(6):
            spec["manualSelector"] = self.flag()
        if self.chance(6):
            spec["selector"] = self.selector(self.template_labels(template))
        if self.chance(6):
            action = self.pick(("FailJob", "Ignore", "Count", "FailIndex"), ("Retry",))
            rule: dict = {"action": action}
            if self.chance(2):
                rule["onExitCodes"] = {
                    "operator": self.pick(("In", "NotIn"), ("Equals",)),
                    "values": self.pick(([1], [1, 2], [42]), ([0], [], [2, 1])),
                }
            else:
                rule["onPodConditions"] = [
                    {"type": self.pick(("DisruptionTarget",), ("",)), "status": "True"}
                ]
            spec["podFailurePolicy"] = {"rules": [rule]}
        if self.chance(8):
            rule = {}
            self.optional(rule, "succeededCount", 2, self.count)
            self.optional(rule, "succeededIndexes", 2, lambda: self.pick(("0-2", "1,3"), ("a",)))
            spec["successPolicy"] = {"rules": [rule]}
        return spec

    def spec_cronjob(self) -> dict:
        job = self.spec_job()
        job_template: dict = {"spec": job}
        if self.chance(5):
            job_template["metadata"] = {"labels": {"team": "data"}}
        spec: dict = {"jobTemplate": job_template}
        if not self.chance(12):
            spec["schedule"] = self.draw(st.sampled_from(SCHEDULES))
        self.optional(spec, "timeZone", 5, lambda: self.draw(st.sampled_from(TIME_ZONES)))
        self.optional(
            spec,
            "concurrencyPolicy",
            4,
            lambda: self.pick(("Allow", "Forbid", "Replace"), ("Queue",)),
        )
        self.optional(spec, "startingDeadlineSeconds", 5, self.seconds)
        self.optional(spec, "successfulJobsHistoryLimit", 5, self.count)
        self.optional(spec, "failedJobsHistoryLimit", 5, self.count)
        self.optional(spec, "suspend", 8, self.flag)
        return spec


@st.composite
def workloads(draw) -> dict:
    kind = draw(st.sampled_from(KINDS))
    return WorkloadBuilder(draw, invalid=draw(st.booleans())).build(kind)
