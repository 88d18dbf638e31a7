"""Hypothesis strategies for Pods across every field the engine knows, valid and broken.

A Pod is built field by field (``PodBuilder``), each value near the edges of its upstream rule.
A *clean* Pod uses only values that are valid on their own and keeps its parts consistent
(mounts name volumes that exist, a resource field reference names a container of the Pod); a
*dirty* Pod mixes in invalid values (a name with capitals, port 65536, a quantity of the wrong
shape, a path with ``..``) about one time in eight. On top, ``pods()`` breaks some Pods on
purpose: a field removed or given a value of another type.

The text sent to the engine and to the API server is canonical YAML (``dump_manifest``) or,
now and then, a JSON-like flow document where one value is a bare YAML scalar (``y``, ``1e3``,
``0o644``), so reading YAML is compared too.
"""

import copy
import json
import string

from hypothesis import strategies as st

from podstudio.engine.yamldump import dump_manifest
from tests.sandbox.judge import (
    PRIORITY_CLASS,
    PRIORITY_CLASS_VALUE,
    RUNTIME_CLASS,
    RUNTIME_CLASS_OVERHEAD,
    RUNTIME_CLASS_WITH_OVERHEAD,
    SERVICE_ACCOUNT,
)
from tests.yaml_scalars import SCALARS

VOLUME_NAMES = ("data", "config", "cache", "token", "scratch")
CONTAINER_NAMES = ("app", "web", "sidecar", "init", "setup", "proxy")
BAD_DNS_NAMES = ("App", "-a", "a_b", "a" * 64, "a.b", "")
LABEL_KEYS = ("app", "tier", "app.kubernetes.io/name", "example.com/team")
# Node labels: some the API server warns of as deprecated.
NODE_LABEL_KEYS = (*LABEL_KEYS, "kubernetes.io/os", "beta.kubernetes.io/os")
NODE_LABEL_KEYS += ("node-role.kubernetes.io/master",)
BAD_LABEL_KEYS = ("-bad", "a/b/c", "Example.com/x", "x" * 64, "/x", "")
LABEL_VALUES = ("web", "v1", "", "1.0", "a-b_c.d")
BAD_LABEL_VALUES = ("-x-", "has space", "y" * 64)
CPU = ("100m", "250m", "0.5", "1", "2", 0.5, 1, "0", "1500m", "1e3", "1k", "0.1m")
MEMORY = ("64Mi", "128Mi", "1Gi", "100M", "1e9", "0", 268435456, "1.5Gi", "1.5")
BAD_QUANTITIES = ("-1", "abc", "64MiB", "1.5.5", " ")
CAPABILITIES = ("NET_BIND_SERVICE", "CHOWN", "NET_ADMIN", "SYS_ADMIN", "ALL", "CAP_SYS_ADMIN")
ANNOTATION_KEYS = (
    "example.com/note",
    "container.apparmor.security.beta.kubernetes.io/app",
    "container.apparmor.security.beta.kubernetes.io/web",
    "container.apparmor.security.beta.kubernetes.io/nope",
    "seccomp.security.alpha.kubernetes.io/pod",
    "container.seccomp.security.alpha.kubernetes.io/app",
    "controller.kubernetes.io/pod-deletion-cost",
)
ANNOTATION_VALUES = (
    "runtime/default",
    "localhost/profile",
    "unconfined",
    "docker/default",
    "10",
    "hello",
    "",
    "bogus/value",
    "99999999999",
)


class PodBuilder:
    """Builds one Pod from Hypothesis draws. ``invalid`` lets invalid values in."""

    BAD_ONE_IN = 8  # how often a dirty Pod takes an invalid value where one is offered

    def __init__(self, draw, invalid: bool):
        self.draw = draw
        self.invalid = invalid

    # --- drawing helpers ----------------------------------------------------------------------

    def pick(self, valid, bad=()):
        """A valid value, or (dirty Pods only) an invalid one about one time in ``BAD_ONE_IN``."""
        if self.invalid and bad and self.draw(st.integers(1, self.BAD_ONE_IN)) == 1:
            return self.draw(st.sampled_from(list(bad)))
        return self.draw(st.sampled_from(list(valid)))

    def chance(self, one_in: int) -> bool:
        return self.draw(st.integers(1, one_in)) == 1

    def some(self, make, most: int, least: int = 0) -> list:
        return [make() for _ in range(self.draw(st.integers(least, most)))]

    def flag(self) -> bool:
        return self.draw(st.booleans())

    def optional(self, target: dict, key: str, one_in: int, make) -> None:
        if self.chance(one_in):
            target[key] = make()

    # --- values -------------------------------------------------------------------------------

    def dns_label(self, pool=CONTAINER_NAMES):
        return self.pick(pool, BAD_DNS_NAMES)

    def labels(self, keys: tuple = LABEL_KEYS) -> dict:
        return {
            self.pick(keys, BAD_LABEL_KEYS): self.pick(LABEL_VALUES, BAD_LABEL_VALUES)
            for _ in range(self.draw(st.integers(0, 3)))
        }

    def quantity(self, valid):
        return self.pick(valid, BAD_QUANTITIES)

    def resource_list(self, pod_level: bool = False) -> dict:
        result = {}
        self.optional(result, "cpu", 2, lambda: self.quantity(CPU))
        self.optional(result, "memory", 2, lambda: self.quantity(MEMORY))
        # 1e19 and 8e18 pages pass the server's int64 divisibility check (1e19 overflows to 0),
        # 9e18 does not. (The 20 digits of 1e19 wrap past 2^64 and fail it, in a container; in
        # a pod-level total the engine does not follow how Go keeps such a sum.)
        pages = (["2Mi", "4Mi", "0", "1e19", "8e18"], ["1Mi", "9e18"])
        self.optional(result, "hugepages-2Mi", 8, lambda: self.pick(*pages))
        if not pod_level:
            self.optional(result, "ephemeral-storage", 8, lambda: self.pick(["1Gi", "500Mi"]))
            gpus = (["1", "2", "1e19"], ["0.5", "10000000000000000000.5"])
            self.optional(result, "example.com/gpu", 10, lambda: self.pick(*gpus))
        if self.invalid and self.chance(15):
            result[self.pick(["cpuu", "requests.cpu", "hugepages-", "storage"])] = "1"
        return result

    def resources(self, pod_level: bool = False) -> dict:
        result = {}
        self.optional(result, "requests", 2, lambda: self.resource_list(pod_level))
        self.optional(result, "limits", 2, lambda: self.resource_list(pod_level))
        return result

    def port_value(self):
        return self.pick([80, 8080, "http", "metrics"], [0, 70000, "HTTP", "a_b", ""])

    def handler(self, kinds: tuple[str, ...]) -> dict:
        chosen = [self.pick(kinds)]
        if self.invalid and self.chance(10):
            chosen = self.some(lambda: self.pick(kinds), 2)
        result = {}
        for kind in chosen:
            if kind == "exec":
                result["exec"] = {"command": self.pick([["true"], ["cat", "/tmp/ok"]], [[]])}
            elif kind == "httpGet":
                action = {"port": self.port_value()}
                self.optional(action, "path", 2, lambda: self.pick(["/healthz", "/"], ["x"]))
                self.optional(action, "host", 6, lambda: self.pick(["", "10.0.0.1"]))
                self.optional(action, "scheme", 4, lambda: self.pick(["HTTP", "HTTPS"], ["ftp"]))
                self.optional(
                    action,
                    "httpHeaders",
                    6,
                    lambda: [
                        {"name": self.pick(["X-Probe", "Accept"], ["bad header", ""])}
                        | ({"value": "v"} if self.flag() else {})
                    ],
                )
                result["httpGet"] = action
            elif kind == "tcpSocket":
                action = {"port": self.port_value()}
                self.optional(action, "host", 6, lambda: self.pick(["10.0.0.1", ""]))
                result["tcpSocket"] = action
            elif kind == "grpc":
                action = {"port": self.pick([9090, 50051], [0, 70000])}
                self.optional(action, "service", 3, lambda: self.pick(["", "health"]))
                result["grpc"] = action
            elif kind == "sleep":
                result["sleep"] = {"seconds": self.pick([0, 5, 30], [-1, 3600])}
                if self.invalid and self.chance(6):
                    result["sleep"] = {}
        return result

    def probe(self) -> dict:
        result = self.handler(("exec", "httpGet", "tcpSocket", "grpc"))
        for key, valid, bad in (
            ("initialDelaySeconds", [0, 5], [-1]),
            ("timeoutSeconds", [1, 5], [0, -1, 2**31]),
            ("periodSeconds", [10, 1], [0, -5]),
            ("successThreshold", [1], [2, 0, -1]),
            ("failureThreshold", [3, 1], [0, -1]),
            ("terminationGracePeriodSeconds", [10, 60], [0, -1]),
        ):
            self.optional(result, key, 5, lambda v=valid, b=bad: self.pick(v, b))
        return result

    def profile(self) -> dict:
        kind = self.pick(["RuntimeDefault", "Localhost", "Unconfined"], ["Bogus", ""])
        result = {"type": kind}
        if kind == "Localhost" or (self.invalid and self.chance(8)):
            result["localhostProfile"] = self.pick(["profiles/a.json", "k8s-x"], ["/abs", ""])
        return result

    def se_linux(self) -> dict:
        result = {}
        self.optional(result, "type", 2, lambda: self.pick(["container_t", "spc_t"]))
        self.optional(result, "user", 5, lambda: "system_u")
        self.optional(result, "role", 5, lambda: "system_r")
        self.optional(result, "level", 4, lambda: self.pick(["s0:c123,c456"], ["bad level"]))
        return result

    def windows_options(self) -> dict:
        result = {}
        self.optional(result, "hostProcess", 2, self.flag)
        self.optional(
            result,
            "runAsUserName",
            3,
            lambda: self.pick(["ContainerUser", "NT AUTHORITY\\SYSTEM"], ["a" * 300, "a\\b\\c"]),
        )
        self.optional(result, "gmsaCredentialSpecName", 4, lambda: self.pick(["gmsa"], ["Bad_"]))
        self.optional(result, "gmsaCredentialSpec", 4, lambda: self.pick(["{}"], [""]))
        return result

    def user_id(self):
        return self.pick([0, 1000, 65534], [-1, 2**31])

    def security_context(self) -> dict:
        result = {}
        self.optional(result, "privileged", 4, self.flag)
        self.optional(result, "allowPrivilegeEscalation", 2, self.flag)
        self.optional(
            result,
            "capabilities",
            2,
            lambda: {
                key: self.some(lambda: self.pick(CAPABILITIES), 2)
                for key in ("add", "drop")
                if self.flag()
            },
        )
        self.optional(result, "runAsUser", 3, self.user_id)
        self.optional(result, "runAsGroup", 4, self.user_id)
        self.optional(result, "runAsNonRoot", 2, self.flag)
        self.optional(result, "readOnlyRootFilesystem", 3, self.flag)
        self.optional(result, "procMount", 8, lambda: self.pick(["Default", "Unmasked"], ["X"]))
        self.optional(result, "seccompProfile", 3, self.profile)
        self.optional(result, "appArmorProfile", 6, self.profile)
        self.optional(result, "seLinuxOptions", 6, self.se_linux)
        self.optional(result, "windowsOptions", 10, self.windows_options)
        return result

    def relative_path(self):
        return self.pick(["a", "dir/file", "config.yaml"], ["/abs", "../up", "a/../b", "", ".."])

    def mode(self):
        return self.pick([0o644, 0o400, 0o777, 0], [0o1000, -1])

    def env_var(self, containers: list[str], volumes: dict[str, str]) -> dict:
        result = {"name": self.pick(["MY_VAR", "PORT", "my.var", "A_B"], ["", "1BAD", "a=b"])}
        source = self.draw(st.integers(0, 9))
        if source < 3:
            result["value"] = self.pick(["x", ""])
        elif source == 3:
            ref = {"fieldPath": self.field_path(env=True)}
            self.optional(ref, "apiVersion", 4, lambda: self.pick(["v1"], ["v2", "apps/v1"]))
            result["valueFrom"] = {"fieldRef": ref}
        elif source == 4:
            result["valueFrom"] = {"resourceFieldRef": self.resource_field(containers)}
        elif source == 5:
            ref = {"name": self.pick(["settings"], BAD_DNS_NAMES), "key": self.key()}
            self.optional(ref, "optional", 3, self.flag)
            result["valueFrom"] = {"configMapKeyRef": ref}
        elif source == 6:
            result["valueFrom"] = {"secretKeyRef": {"name": "creds", "key": self.key()}}
        elif source == 7:
            empty_dirs = [name for name, kind in volumes.items() if kind == "emptyDir"]
            ref = {
                "volumeName": self.pick(empty_dirs or ["missing"], ["missing", ""]),
                "path": self.relative_path(),
                "key": self.pick(["KEY", "key.sub"], ["bad=key", ""]),
            }
            self.optional(ref, "optional", 3, self.flag)
            result["valueFrom"] = {"fileKeyRef": ref}
        if self.invalid and self.chance(10):
            result["value"] = "both"
        return result

    def key(self):
        return self.pick(["k", "password", "config.yaml"], ["bad key", "", ".."])

    def field_path(self, env: bool):
        common = ["metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels"]
        common += ["metadata.annotations['a']", "metadata.labels['app']"]
        only_env = ["status.podIP", "spec.nodeName", "status.hostIPs", "spec.serviceAccountName"]
        bad = ["metadata.bogus", "metadata.labels['bad key']", "spec.containers"]
        if env:
            return self.pick([p for p in common if p != "metadata.labels"] + only_env, bad)
        return self.pick(common, bad + only_env)

    def resource_field(self, containers: list[str], required_name: bool = False) -> dict:
        resources = ["limits.cpu", "requests.memory", "limits.ephemeral-storage", "requests.cpu"]
        result = {"resource": self.pick(resources, ["cpu", "limits.gpu", ""])}
        if required_name or self.chance(2):
            result["containerName"] = self.pick(containers or ["app"], ["nope"])
        self.optional(
            result, "divisor", 3, lambda: self.pick(["1m", "1Mi", "1"], ["0", "3", "0x", "1e"])
        )
        return result

    # --- containers ---------------------------------------------------------------------------

    def container(self, name: str, init: bool, containers: list[str], volumes: dict) -> dict:
        result = {"name": name}
        result["image"] = self.pick(
            ["nginx:1.27", "busybox", "registry.k8s.io/pause:3.10", "nginx:latest"],
            ["", " nginx", "nginx "],
        )
        self.optional(
            result, "imagePullPolicy", 6, lambda: self.pick(["Always", "IfNotPresent", "Never"])
        )
        self.optional(result, "command", 4, lambda: ["sh", "-c", "sleep 3600"])
        self.optional(result, "workingDir", 8, lambda: self.pick(["/app", "relative"]))
        self.optional(result, "ports", 3, lambda: self.some(self.port, 2, 1))
        self.optional(
            result, "env", 3, lambda: self.some(lambda: self.env_var(containers, volumes), 3, 1)
        )
        self.optional(result, "envFrom", 8, lambda: self.some(self.env_from, 2, 1))
        self.optional(result, "resources", 2, self.resources)
        self.optional(result, "resizePolicy", 8, lambda: self.some(self.resize_policy, 2, 1))
        if init:
            self.optional(
                result, "restartPolicy", 2, lambda: self.pick(["Always", "Never", "OnFailure"])
            )
        else:
            self.optional(result, "restartPolicy", 8, lambda: self.pick(["Always", "Never"]))
        if result.get("restartPolicy") or self.invalid:
            self.optional(result, "restartPolicyRules", 6, lambda: self.some(self.rule, 2, 1))
        if volumes:
            self.optional(
                result, "volumeMounts", 2, lambda: self.some(lambda: self.mount(volumes), 3, 1)
            )
            self.optional(result, "volumeDevices", 12, lambda: [self.device(volumes)])
        probes_allowed = not init or result.get("restartPolicy") == "Always" or self.invalid
        if probes_allowed:
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                self.optional(result, probe, 4, self.probe)
            self.optional(result, "lifecycle", 5, self.lifecycle)
        self.optional(result, "securityContext", 2, self.security_context)
        self.optional(result, "terminationMessagePath", 10, lambda: self.pick(["/tmp/t"], [""]))
        self.optional(result, "terminationMessagePolicy", 8, lambda: self.pick(["File"], ["Bad"]))
        for key in ("stdin", "stdinOnce", "tty"):
            self.optional(result, key, 10, self.flag)
        return result

    def port(self) -> dict:
        result = {"containerPort": self.pick([80, 8080, 443, 65535], [0, 65536, -1])}
        self.optional(result, "name", 3, lambda: self.pick(["http", "metrics"], ["HTTP", "8080"]))
        self.optional(result, "hostPort", 6, lambda: self.pick([0, 8080, 80], [70000]))
        self.optional(result, "protocol", 4, lambda: self.pick(["TCP", "UDP", "SCTP"], ["tcp"]))
        self.optional(result, "hostIP", 10, lambda: self.pick(["127.0.0.1"], ["not-an-ip"]))
        return result

    def env_from(self) -> dict:
        kind = self.pick(["configMapRef", "secretRef"])
        result = {kind: {"name": self.pick(["settings", "creds"], BAD_DNS_NAMES)}}
        self.optional(result, "prefix", 3, lambda: self.pick(["APP_", ""], ["1X", "a=b"]))
        if self.invalid and self.chance(6):
            result["configMapRef" if kind == "secretRef" else "secretRef"] = {"name": "x"}
        return result

    def resize_policy(self) -> dict:
        return {
            "resourceName": self.pick(["cpu", "memory"], ["gpu"]),
            "restartPolicy": self.pick(["NotRequired", "RestartContainer"], ["Never"]),
        }

    def rule(self) -> dict:
        result = {"action": self.pick(["Restart"], ["Stop", ""])}
        if self.chance(4) or not self.invalid:
            result["exitCodes"] = {
                "operator": self.pick(["In", "NotIn"], ["Gt"]),
                "values": self.some(lambda: self.pick([1, 2, 42], [-1, 256]), 3, 1),
            }
        return result

    def mount(self, volumes: dict) -> dict:
        result = {
            "name": self.pick(list(volumes), ["missing", ""]),
            "mountPath": self.pick(["/data", "/etc/app", "/var/cache", "/tmp/x"], ["data", ""]),
        }
        self.optional(result, "subPath", 6, self.relative_path)
        self.optional(result, "subPathExpr", 12, lambda: self.pick(["$(POD_NAME)"], ["/abs"]))
        self.optional(result, "readOnly", 4, self.flag)
        self.optional(
            result,
            "recursiveReadOnly",
            10,
            lambda: self.pick(["Disabled", "IfPossible", "Enabled"], ["Always"]),
        )
        self.optional(
            result,
            "mountPropagation",
            10,
            lambda: self.pick(["None", "HostToContainer", "Bidirectional"], ["Shared"]),
        )
        return result

    def device(self, volumes: dict) -> dict:
        return {
            "name": self.pick(list(volumes), ["missing"]),
            "devicePath": self.pick(["/dev/xvda"], ["dev", ""]),
        }

    def lifecycle(self) -> dict:
        result = {}
        kinds = ("exec", "httpGet", "tcpSocket", "sleep")
        self.optional(result, "postStart", 2, lambda: self.handler(kinds))
        self.optional(result, "preStop", 2, lambda: self.handler(kinds))
        self.optional(result, "stopSignal", 10, lambda: self.pick(["SIGTERM"], ["SIGBOGUS"]))
        return result

    # --- volumes ------------------------------------------------------------------------------

    def items(self) -> list[dict]:
        def item():
            result = {"key": self.key(), "path": self.relative_path()}
            self.optional(result, "mode", 4, self.mode)
            return result

        return self.some(item, 2, 1)

    def downward_file(self, containers: list[str]) -> dict:
        result = {"path": self.relative_path()}
        if self.chance(3):
            result["resourceFieldRef"] = self.resource_field(containers, required_name=True)
        else:
            result["fieldRef"] = {"fieldPath": self.field_path(env=False)}
        if self.invalid and self.chance(8):
            result["fieldRef"] = {"fieldPath": "metadata.name"}
        self.optional(result, "mode", 5, self.mode)
        return result

    def projection(self, containers: list[str]) -> dict:
        kind = self.pick(
            [
                "serviceAccountToken",
                "configMap",
                "secret",
                "downwardAPI",
                "clusterTrustBundle",
                "podCertificate",
            ]
        )
        if kind == "serviceAccountToken":
            source = {"path": self.pick(["token", "sa/token"], ["", "/abs"])}
            self.optional(
                source,
                "expirationSeconds",
                2,
                lambda: self.pick([3600, 600, 86400], [599, 2**32 + 1]),
            )
            self.optional(source, "audience", 3, lambda: self.pick(["api", ""]))
        elif kind in ("configMap", "secret"):
            source = {"name": self.pick(["settings", "creds"])}
            self.optional(source, "items", 2, self.items)
            self.optional(source, "optional", 4, self.flag)
        elif kind == "downwardAPI":
            source = {"items": self.some(lambda: self.downward_file(containers), 2, 1)}
        elif kind == "clusterTrustBundle":
            source = {"path": self.pick(["ca.pem"], ["", "../ca"])}
            if self.flag():
                source["name"] = self.pick(["bundle"], ["Bad_Name"])
            else:
                source["signerName"] = self.pick(["example.com/signer"], ["nodomain"])
                self.optional(source, "labelSelector", 2, lambda: {"matchLabels": {"a": "b"}})
            if self.invalid and self.chance(6):
                source.pop("name", None)
                source.pop("signerName", None)
            self.optional(source, "optional", 4, self.flag)
        else:
            source = {
                "signerName": self.pick(["example.com/signer"], ["bad"]),
                "keyType": self.pick(["ED25519", "RSA3072", "ECDSAP256"], ["DSA"]),
            }
            self.optional(source, "credentialBundlePath", 2, lambda: self.pick(["c.pem"], ["/abs"]))
        result = {kind: source}
        if self.invalid and self.chance(10):
            result["secret"] = {"name": "creds"}
        return result

    def volume_source(self, kind: str, containers: list[str]) -> dict:
        if kind == "emptyDir":
            result = {}
            self.optional(result, "medium", 4, lambda: self.pick(["", "Memory"], ["Disk"]))
            self.optional(result, "sizeLimit", 4, lambda: self.quantity(MEMORY))
        elif kind == "hostPath":
            result = {"path": self.pick(["/var/log", "/etc"], ["", "/a/../b"])}
            self.optional(
                result, "type", 3, lambda: self.pick(["", "Directory", "File", "Socket"], ["dir"])
            )
        elif kind == "configMap":
            result = {"name": self.pick(["settings"], [""])}
            self.optional(result, "items", 3, self.items)
            self.optional(result, "defaultMode", 3, self.mode)
        elif kind == "secret":
            result = {"secretName": self.pick(["creds"], [""])}
            self.optional(result, "items", 3, self.items)
            self.optional(result, "defaultMode", 3, self.mode)
        elif kind == "persistentVolumeClaim":
            result = {"claimName": self.pick(["claim"], [""])}
            self.optional(result, "readOnly", 3, self.flag)
        elif kind == "downwardAPI":
            result = {"items": self.some(lambda: self.downward_file(containers), 2, 1)}
            self.optional(result, "defaultMode", 4, self.mode)
        elif kind == "projected":
            result = {"sources": self.some(lambda: self.projection(containers), 3, 1)}
            self.optional(result, "defaultMode", 4, self.mode)
        elif kind == "csi":
            result = {"driver": self.pick(["csi.example.com"], ["", "Bad_Driver"])}
            self.optional(result, "volumeAttributes", 3, lambda: {"size": "1Gi"})
            self.optional(result, "readOnly", 3, self.flag)
        elif kind == "ephemeral":
            spec = {
                "accessModes": [self.pick(["ReadWriteOnce", "ReadOnlyMany"], ["Bogus"])],
                "resources": {"requests": {"storage": self.pick(["1Gi"], ["-1Gi", "0"])}},
            }
            self.optional(spec, "storageClassName", 3, lambda: self.pick(["standard"]))
            self.optional(spec, "volumeMode", 4, lambda: self.pick(["Filesystem", "Block"]))
            if self.invalid and self.chance(5):
                del spec[self.pick(["accessModes", "resources"])]
            template = {"spec": spec}
            self.optional(template, "metadata", 4, lambda: {"labels": {"a": "b"}})
            result = {"volumeClaimTemplate": template}
        elif kind == "image":
            result = {"reference": self.pick(["registry.example.com/data:1.0", "busybox"], [""])}
            self.optional(
                result, "pullPolicy", 2, lambda: self.pick(["Always", "IfNotPresent", "Never"])
            )
        elif kind == "nfs":
            result = {"server": "nfs.example.com", "path": self.pick(["/exports"], ["rel"])}
        elif kind == "gitRepo":
            result = {"repository": self.pick(["https://example.com/r.git"], [""])}
        else:  # iscsi
            result = {
                "targetPortal": "10.0.0.1:3260",
                "iqn": self.pick(["iqn.2001-04.com.example:storage"], ["x"]),
                "lun": self.pick([0, 1], [-1, 256]),
            }
        return result

    VOLUME_KINDS = (
        "emptyDir",
        "emptyDir",
        "configMap",
        "secret",
        "projected",
        "downwardAPI",
        "persistentVolumeClaim",
        "hostPath",
        "csi",
        "ephemeral",
        "image",
        "nfs",
        "gitRepo",
        "iscsi",
        "none",
    )

    def volumes(self, containers: list[str]) -> tuple[list[dict], dict[str, str]]:
        result, kinds = [], {}
        for _ in range(self.draw(st.integers(0, 3))):
            name = self.pick(VOLUME_NAMES, ["", "Bad_Name", "a" * 64])
            kind = self.pick(self.VOLUME_KINDS)
            volume = {"name": name}
            if kind != "none":
                volume[kind] = self.volume_source(kind, containers)
            if self.invalid and self.chance(12):
                volume["emptyDir"] = {}
            if name in kinds and not self.invalid:
                continue
            kinds[name] = kind if kind != "none" else "emptyDir"
            result.append(volume)
        return result, kinds

    # --- the Pod ------------------------------------------------------------------------------

    def container_names(self, count: int, taken: list[str]) -> list[str]:
        free = [name for name in CONTAINER_NAMES if name not in taken]
        names = list(self.draw(st.permutations(free)))[:count]
        if self.invalid:
            names = [self.pick([name], BAD_DNS_NAMES + tuple(taken or ["app"])) for name in names]
        return names

    def metadata(self, containers: list[str]) -> dict:
        result = {}
        if self.invalid and self.chance(10):
            result["generateName"] = self.pick(["demo-"], ["Demo-"])
        else:
            result["name"] = self.pick(["demo", "web-1", "a.b"], ["Demo", "-x", "a" * 254])
        self.optional(result, "labels", 3, self.labels)
        if self.chance(4):
            annotations = {}
            for _ in range(self.draw(st.integers(1, 3))):
                key = self.pick(
                    ANNOTATION_KEYS
                    + tuple(
                        f"{k}/{c}"
                        for k in (
                            "container.apparmor.security.beta.kubernetes.io",
                            "container.seccomp.security.alpha.kubernetes.io",
                        )
                        for c in containers
                    ),
                    ["-bad", "Example.com/x"],
                )
                annotations[key] = self.pick(ANNOTATION_VALUES)
            result["annotations"] = annotations
        self.optional(
            result,
            "finalizers",
            10,
            lambda: self.some(lambda: self.pick(["example.com/cleanup"], ["nodomain"]), 2, 1),
        )
        self.optional(result, "ownerReferences", 12, self.owner_references)
        self.optional(
            result,
            "creationTimestamp",
            25,
            lambda: self.pick(
                ["2024-01-01T00:00:00Z", "2024-06-30T12:30:00.5+02:00"],
                ["2024-01-01", "2024-02-30T00:00:00Z", "yesterday"],
            ),
        )
        return result

    def owner_references(self) -> list:
        """One reference, or a few of which some repeat (the server drops and warns of those)."""
        first = self.owner_reference()
        if self.chance(2):
            return [first]
        return [first, *(self.pick([dict(first), None]) or self.owner_reference() for _ in "ab")]

    def owner_reference(self) -> dict:
        result = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "name": "rs",
            "uid": "d9607e19-f88f-11e6-a518-42010a800195",
        }
        self.optional(result, "controller", 3, self.flag)
        if self.invalid and self.chance(3):
            del result[self.pick(["uid", "name", "kind", "apiVersion"])]
        return result

    def toleration(self) -> dict:
        result = {}
        operator = self.pick(["Equal", "Exists", None], ["In"])
        if operator:
            result["operator"] = operator
        if operator != "Exists" or self.chance(2):
            result["key"] = self.pick(["dedicated", "example.com/gpu"], ["bad key", ""])
        if operator != "Exists":
            self.optional(result, "value", 2, lambda: self.pick(["backend", ""], ["-bad-"]))
        effect = self.pick(["NoSchedule", "NoExecute", "PreferNoSchedule", ""], ["Never"])
        if effect:
            result["effect"] = effect
        if effect == "NoExecute" or (self.invalid and self.chance(6)):
            self.optional(result, "tolerationSeconds", 2, lambda: self.pick([60, 0, -1]))
        return result

    def label_selector(self) -> dict:
        result = {}
        self.optional(result, "matchLabels", 2, self.labels)

        def expression():
            operator = self.pick(["In", "NotIn", "Exists", "DoesNotExist"], ["Gt"])
            found = {"key": self.pick(LABEL_KEYS, BAD_LABEL_KEYS), "operator": operator}
            if operator in ("In", "NotIn") or (self.invalid and self.chance(5)):
                found["values"] = self.some(lambda: self.pick(LABEL_VALUES, BAD_LABEL_VALUES), 2, 1)
            return found

        self.optional(result, "matchExpressions", 2, lambda: self.some(expression, 2, 1))
        return result

    def topology_key(self):
        return self.pick(["kubernetes.io/hostname", "topology.kubernetes.io/zone"], ["", "a b"])

    def pod_affinity_term(self) -> dict:
        result = {"topologyKey": self.topology_key()}
        self.optional(result, "labelSelector", 2, self.label_selector)
        self.optional(result, "namespaceSelector", 6, self.label_selector)
        self.optional(result, "namespaces", 6, lambda: [self.pick(["default"], ["Bad_NS"])])
        self.optional(
            result, "matchLabelKeys", 5, lambda: self.some(lambda: self.pick(LABEL_KEYS), 2, 1)
        )
        self.optional(
            result,
            "mismatchLabelKeys",
            6,
            lambda: self.some(lambda: self.pick(LABEL_KEYS, BAD_LABEL_KEYS), 2, 1),
        )
        return result

    def node_selector_term(self, preferred: bool = False) -> dict:
        # A preferred term's values are not validated as label values, only warned about.
        values = ["ssd", "a", "fast disk", "x" * 64] if preferred else ["ssd", "a"]

        def requirement():
            operator = self.pick(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"], ["X"])
            found = {"key": self.pick(NODE_LABEL_KEYS, BAD_LABEL_KEYS), "operator": operator}
            if operator in ("In", "NotIn"):
                found["values"] = self.some(lambda: self.pick(values, ["-bad-"]), 2, 1)
            elif operator in ("Gt", "Lt"):
                found["values"] = [self.pick(["1", "10"], ["x", "1.5"])]
            return found

        def field_requirement():
            return {
                "key": self.pick(["metadata.name"], ["metadata.uid"]),
                "operator": self.pick(["In", "NotIn"], ["Exists"]),
                "values": [self.pick(["ssd-node"], ["Bad_Node"])],
            }

        result = {}
        self.optional(result, "matchExpressions", 1, lambda: self.some(requirement, 2, 1))
        self.optional(result, "matchFields", 6, lambda: [field_requirement()])
        return result

    def affinity(self) -> dict:
        result = {}
        if self.flag():
            node = {}
            self.optional(
                node,
                "requiredDuringSchedulingIgnoredDuringExecution",
                2,
                lambda: {"nodeSelectorTerms": self.some(self.node_selector_term, 2, 1)},
            )
            self.optional(
                node,
                "preferredDuringSchedulingIgnoredDuringExecution",
                2,
                lambda: [
                    {
                        "weight": self.pick([1, 50, 100], [0, 101]),
                        "preference": self.node_selector_term(preferred=True),
                    }
                ],
            )
            result["nodeAffinity"] = node
        for kind in ("podAffinity", "podAntiAffinity"):
            if self.chance(3):
                terms = {}
                self.optional(
                    terms,
                    "requiredDuringSchedulingIgnoredDuringExecution",
                    2,
                    lambda: self.some(self.pod_affinity_term, 2, 1),
                )
                self.optional(
                    terms,
                    "preferredDuringSchedulingIgnoredDuringExecution",
                    2,
                    lambda: [
                        {
                            "weight": self.pick([1, 100], [0]),
                            "podAffinityTerm": self.pod_affinity_term(),
                        }
                    ],
                )
                result[kind] = terms
        return result

    def topology_spread(self) -> dict:
        result = {
            "maxSkew": self.pick([1, 2], [0, -1]),
            "topologyKey": self.topology_key(),
            "whenUnsatisfiable": self.pick(["DoNotSchedule", "ScheduleAnyway"], ["Never"]),
        }
        self.optional(result, "labelSelector", 2, self.label_selector)
        if result["whenUnsatisfiable"] == "DoNotSchedule" or self.invalid:
            self.optional(result, "minDomains", 4, lambda: self.pick([1, 3], [0]))
        self.optional(
            result,
            "matchLabelKeys",
            4,
            lambda: self.some(lambda: self.pick(LABEL_KEYS, BAD_LABEL_KEYS), 2, 1),
        )
        self.optional(result, "nodeAffinityPolicy", 6, lambda: self.pick(["Honor", "Ignore"]))
        self.optional(result, "nodeTaintsPolicy", 6, lambda: self.pick(["Honor", "Ignore"]))
        return result

    def pod_security_context(self) -> dict:
        result = {}
        self.optional(result, "runAsUser", 3, self.user_id)
        self.optional(result, "runAsGroup", 4, self.user_id)
        self.optional(result, "runAsNonRoot", 2, self.flag)
        self.optional(result, "fsGroup", 4, self.user_id)
        self.optional(
            result,
            "fsGroupChangePolicy",
            8,
            lambda: self.pick(["OnRootMismatch", "Always"], ["Never"]),
        )
        self.optional(
            result, "supplementalGroups", 6, lambda: self.some(lambda: self.pick([1000], [-1]), 2)
        )
        self.optional(
            result, "supplementalGroupsPolicy", 8, lambda: self.pick(["Merge", "Strict"], ["X"])
        )
        self.optional(result, "sysctls", 5, lambda: self.some(self.sysctl, 2, 1))
        self.optional(result, "seccompProfile", 2, self.profile)
        self.optional(result, "appArmorProfile", 6, self.profile)
        self.optional(result, "seLinuxOptions", 6, self.se_linux)
        self.optional(
            result, "seLinuxChangePolicy", 8, lambda: self.pick(["Recursive", "MountOption"])
        )
        self.optional(result, "windowsOptions", 10, self.windows_options)
        return result

    def sysctl(self) -> dict:
        result = {
            "name": self.pick(
                [
                    "net.ipv4.ip_unprivileged_port_start",
                    "kernel.shm_rmid_forced",
                    "net.ipv4.tcp_keepalive_time",
                    "kernel.msgmax",
                    "net.core.somaxconn",
                ],
                ["Bad Name", ""],
            )
        }
        self.optional(result, "value", 1, lambda: self.pick(["1", "0"]))
        return result

    def spec(self, containers: list[str]) -> dict:
        result = {}
        self.optional(
            result,
            "restartPolicy",
            4,
            lambda: self.pick(["Always", "OnFailure", "Never"], ["Sometimes"]),
        )
        self.optional(
            result, "terminationGracePeriodSeconds", 6, lambda: self.pick([0, 30, 5], [-1, 2**63])
        )
        self.optional(result, "activeDeadlineSeconds", 10, lambda: self.pick([600], [0, 2**31]))
        self.optional(
            result,
            "dnsPolicy",
            6,
            lambda: self.pick(["ClusterFirst", "Default", "ClusterFirstWithHostNet", "None"]),
        )
        if result.get("dnsPolicy") == "None" or self.chance(8):
            result["dnsConfig"] = self.dns_config()
        self.optional(result, "nodeSelector", 5, lambda: self.labels(NODE_LABEL_KEYS))
        self.optional(
            result, "serviceAccountName", 6, lambda: self.pick(["default", SERVICE_ACCOUNT])
        )
        self.optional(result, "automountServiceAccountToken", 6, self.flag)
        self.optional(result, "nodeName", 12, lambda: self.pick(["ssd-node"], ["Bad_Node"]))
        for key in ("hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace"):
            self.optional(result, key, 7, self.flag)
        self.optional(result, "securityContext", 2, self.pod_security_context)
        self.optional(
            result, "imagePullSecrets", 10, lambda: [{"name": self.pick(["regcred"], [""])}]
        )
        self.optional(result, "hostname", 10, lambda: self.pick(["web"], ["Web", "a.b"]))
        self.optional(result, "subdomain", 10, lambda: self.pick(["svc"], ["Svc"]))
        self.optional(
            result,
            "hostnameOverride",
            10,
            lambda: self.pick(["my-host.example.com", "web"], ["Bad_Host", "a" * 70]),
        )
        self.optional(result, "setHostnameAsFQDN", 10, self.flag)
        self.optional(result, "affinity", 4, self.affinity)
        self.optional(
            result, "schedulerName", 10, lambda: self.pick(["default-scheduler"], ["Bad Name"])
        )
        self.optional(result, "tolerations", 4, lambda: self.some(self.toleration, 3, 1))
        self.optional(
            result,
            "hostAliases",
            10,
            lambda: [
                {
                    "ip": self.pick(["10.0.0.1", "2001:db8::1"], ["bad", ""]),
                    "hostnames": [self.pick(["foo.local"], ["Bad_Host"])],
                }
            ],
        )
        if self.chance(10):
            result["priorityClassName"] = PRIORITY_CLASS
            self.optional(result, "priority", 3, lambda: self.pick([PRIORITY_CLASS_VALUE], [7]))
        else:
            self.optional(result, "priority", 12, lambda: self.pick([0], [7]))
        self.optional(
            result,
            "preemptionPolicy",
            10,
            lambda: self.pick(["PreemptLowerPriority"], ["Never", "Sometimes"]),
        )
        self.optional(
            result,
            "readinessGates",
            10,
            lambda: [{"conditionType": self.pick(["example.com/ready"], ["bad type"])}],
        )
        if self.chance(10):
            result["runtimeClassName"] = self.pick([RUNTIME_CLASS, RUNTIME_CLASS_WITH_OVERHEAD])
            if result["runtimeClassName"] == RUNTIME_CLASS_WITH_OVERHEAD or self.invalid:
                self.optional(
                    result,
                    "overhead",
                    3,
                    lambda: self.pick([RUNTIME_CLASS_OVERHEAD], [{"cpu": "9"}]),
                )
        elif self.invalid:
            self.optional(result, "overhead", 15, lambda: dict(RUNTIME_CLASS_OVERHEAD))
        self.optional(result, "enableServiceLinks", 10, self.flag)
        self.optional(
            result, "topologySpreadConstraints", 5, lambda: self.some(self.topology_spread, 2, 1)
        )
        self.optional(
            result, "os", 6, lambda: {"name": self.pick(["linux", "windows"], ["darwin"])}
        )
        self.optional(result, "hostUsers", 6, self.flag)
        self.optional(
            result,
            "schedulingGates",
            10,
            lambda: [{"name": self.pick(["example.com/gate"], ["bad gate"])}],
        )
        self.optional(result, "resourceClaims", 12, lambda: [self.resource_claim()])
        self.optional(result, "resources", 4, lambda: self.resources(pod_level=True))
        return result

    def dns_config(self) -> dict:
        result = {}
        self.optional(
            result,
            "nameservers",
            1,
            lambda: self.some(lambda: self.pick(["1.1.1.1", "2001:db8::1"], ["bad"]), 3, 1),
        )
        self.optional(
            result,
            "searches",
            2,
            lambda: self.some(lambda: self.pick(["example.com", "svc.local", "."], ["Bad_"]), 2),
        )

        def option():
            found = {"name": self.pick(["ndots", "edns0"], [""])}
            self.optional(found, "value", 2, lambda: "2")
            return found

        self.optional(result, "options", 3, lambda: self.some(option, 2, 1))
        return result

    def resource_claim(self) -> dict:
        result = {"name": self.pick(["gpu"], ["Bad_Name", ""])}
        kind = self.pick(["resourceClaimName", "resourceClaimTemplateName"])
        result[kind] = self.pick(["claim"], ["Bad_Name"])
        if self.invalid and self.chance(4):
            result.pop(kind)
        return result

    def pod(self) -> dict:
        main = self.container_names(self.draw(st.integers(1, 3)), [])
        init = self.container_names(self.draw(st.sampled_from([0, 0, 0, 1, 2])), main)
        volumes, kinds = self.volumes(main)
        spec = self.spec(main)
        spec["containers"] = [self.container(name, False, main, kinds) for name in main]
        if init:
            spec["initContainers"] = [self.container(name, True, main, kinds) for name in init]
        if volumes:
            spec["volumes"] = volumes
        if self.invalid and self.chance(15):
            spec["containers"].append(None)  # `containers: [null]`
        if self.invalid and self.chance(20):  # never on create, and checked field by field
            debug = self.container("debug", False, main, kinds)
            debug["targetContainerName"] = self.pick(main, ["nope"])
            spec["ephemeralContainers"] = [debug]
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": self.metadata(main + init),
            "spec": spec,
        }


@st.composite
def built_pod(draw, invalid: bool) -> dict:
    pod = PodBuilder(draw, invalid).pod()
    return pod if invalid else make_consistent(pod)


JUNK = [None, "", 0, -1, 1.5, 2**31, 2**63, True, "text", [], {}, ["x"], {"unknownField": 1}]


def _leaves(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*prefix, index))


@st.composite
def broken(draw, pod: dict) -> dict:
    """The Pod with one field removed or given a junk value."""
    where = [p for p in _leaves(pod) if len(p) > 1]
    keys = draw(st.sampled_from(where))
    parent = pod
    for key in keys[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[keys[-1]]
    else:
        parent[keys[-1]] = draw(st.sampled_from(JUNK))
    return pod


@st.composite
def pods(draw) -> dict:
    """Half built only of valid values (some broken in one place afterwards), half with
    invalid values here and there."""
    pod = copy.deepcopy(draw(st.one_of(built_pod(False), built_pod(True))))
    if draw(st.integers(0, 4)) == 0:
        pod = draw(broken(pod))
    return pod


# --- the text both sides read -------------------------------------------------------------------


class Bare:
    """A scalar written as-is (unquoted) into the flow document."""

    def __init__(self, text: str):
        self.text = text


_PLAIN_SAFE = set(string.ascii_letters + string.digits + "._+-~:/ ")
BARE_SCALARS = [text for text in SCALARS if text and set(text) <= _PLAIN_SAFE and text[0] != "-"]


def flow_yaml(value) -> str:
    """JSON (valid YAML flow style), with ``Bare`` scalars written unquoted."""
    if isinstance(value, Bare):
        return value.text
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(key)}: {flow_yaml(item)}" for key, item in value.items())
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_yaml(item) for item in value) + "]"
    return json.dumps(value)


@st.composite
def manifest_texts(draw) -> str:
    """A generated Pod as the text both the engine and the API server read."""
    # A copy: a drawn Pod may share parts with constants of the draws (a sampled dict), which
    # the bare scalar put below must not change for later Pods.
    pod = copy.deepcopy(draw(pods()))
    if draw(st.integers(0, 7)) == 0:
        where = [p for p in _leaves(pod) if len(p) > 1]
        keys = draw(st.sampled_from(where))
        parent = pod
        for key in keys[:-1]:
            parent = parent[key]
        parent[keys[-1]] = Bare(draw(st.sampled_from(BARE_SCALARS)))
        return flow_yaml(pod) + "\n"
    return dump_manifest(pod)


# --- clean Pods: make the parts agree -----------------------------------------------------------


def _quantity(value):
    from podstudio.engine.quantity import QuantityError, parse_quantity

    try:
        return parse_quantity(value)
    except (QuantityError, ValueError, TypeError):
        return None


def _fix_resources(resources: dict) -> None:
    requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
    for name in list(requests):
        request, limit = _quantity(requests[name]), _quantity(limits.get(name))
        overcommit = "/" not in name and not name.startswith("hugepages-")
        if limit is not None and request is not None and (request > limit or not overcommit):
            requests[name] = limits[name]
        elif limit is None and not overcommit:
            limits[name] = requests[name]
    names = set(requests) | set(limits)
    if any(n.startswith("hugepages-") for n in names) and not names & {"cpu", "memory"}:
        for part in (requests, limits):
            part.pop("hugepages-2Mi", None)
    for key, part in (("requests", requests), ("limits", limits)):
        if key in resources:
            resources[key] = part
    if limits and "limits" not in resources:
        resources["limits"] = limits


def _fix_container(ctr: dict, spec: dict, init: bool, volume_kinds: dict) -> None:
    sidecar = init and ctr.get("restartPolicy") == "Always"
    seen_paths, mounts = set(), []
    for mount in ctr.get("volumeMounts", []):
        if mount.get("mountPath") not in seen_paths:
            seen_paths.add(mount.get("mountPath"))
            mounts.append(mount)
        if mount.get("mountPropagation") == "Bidirectional":
            ctr.setdefault("securityContext", {})["privileged"] = True
        if mount.get("recursiveReadOnly") in ("Enabled", "IfPossible"):
            mount["readOnly"] = True
            mount.pop("mountPropagation", None)
        if mount.get("subPath") and mount.get("subPathExpr"):
            del mount["subPathExpr"]
    if "volumeMounts" in ctr:
        ctr["volumeMounts"] = mounts
    mounted = {m.get("name") for m in mounts}
    devices = [
        d
        for d in ctr.get("volumeDevices", [])
        if volume_kinds.get(d.get("name")) in ("persistentVolumeClaim", "ephemeral")
        and d.get("name") not in mounted
        and d.get("devicePath") not in seen_paths
    ]
    if devices and spec.get("hostUsers") is not False:
        ctr["volumeDevices"] = devices[:1]
    else:
        ctr.pop("volumeDevices", None)
    probe = ctr.get("readinessProbe")
    if isinstance(probe, dict):
        probe.pop("terminationGracePeriodSeconds", None)
    resize, names = [], set()
    for policy in ctr.get("resizePolicy", []):
        if policy["resourceName"] in names:
            continue
        names.add(policy["resourceName"])
        if (init and not sidecar) or spec.get("restartPolicy") == "Never":
            policy["restartPolicy"] = "NotRequired"
        resize.append(policy)
    if "resizePolicy" in ctr:
        ctr["resizePolicy"] = resize
    if isinstance(ctr.get("resources"), dict):
        _fix_resources(ctr["resources"])
    for port in ctr.get("ports", []):
        if spec.get("hostNetwork"):
            port.pop("hostPort", None)
    host_ports = set()
    for port in ctr.get("ports", []):
        key = (port.get("protocol", "TCP"), port.get("hostIP", ""), port.get("hostPort"))
        if port.get("hostPort") and key in host_ports:
            del port["hostPort"]
        host_ports.add(key)
    port_names = set()
    for port in ctr.get("ports", []):
        if port.get("name") and port["name"] in port_names:
            del port["name"]
        port_names.add(port.get("name"))
    for var in ctr.get("env", []):
        if "valueFrom" in var:
            var.pop("value", None)
            ref = var["valueFrom"].get("resourceFieldRef")
            if ref and "divisor" in ref:
                ref["divisor"] = "1m" if ref.get("resource", "").endswith("cpu") else "1Mi"
    context = ctr.get("securityContext")
    if isinstance(context, dict):
        _fix_security_context(context, spec)
    grace = spec.get("terminationGracePeriodSeconds", 30)
    for hook in ("postStart", "preStop"):
        handler = (ctr.get("lifecycle") or {}).get(hook) or {}
        if "sleep" in handler:
            handler["sleep"]["seconds"] = min(handler["sleep"].get("seconds", 0), max(grace, 1))


def _fix_security_context(context: dict, spec: dict) -> None:
    if context.get("allowPrivilegeEscalation") is False:
        context.pop("privileged", None)
        caps = context.get("capabilities") or {}
        if "add" in caps:
            caps["add"] = [c for c in caps["add"] if c != "CAP_SYS_ADMIN"]
    if context.get("procMount") == "Unmasked" and spec.get("hostUsers") is not False:
        context["procMount"] = "Default"
    windows = (spec.get("os") or {}).get("name") == "windows"
    if not windows:
        context.pop("windowsOptions", None)
    else:
        for field in (
            "appArmorProfile",
            "seLinuxOptions",
            "seccompProfile",
            "capabilities",
            "readOnlyRootFilesystem",
            "privileged",
            "allowPrivilegeEscalation",
            "procMount",
            "runAsUser",
            "runAsGroup",
            "fsGroup",
            "fsGroupChangePolicy",
            "sysctls",
            "supplementalGroups",
            "supplementalGroupsPolicy",
            "seLinuxChangePolicy",
        ):
            context.pop(field, None)
        (context.get("windowsOptions") or {}).pop("hostProcess", None)


def make_consistent(pod: dict) -> dict:
    """A clean Pod whose parts agree: what the generator drew, minus the combinations the API
    server refuses for how fields relate (each of those is covered by the dirty Pods)."""
    spec = pod["spec"]
    windows = (spec.get("os") or {}).get("name") == "windows"
    if spec.get("hostUsers") is False or windows:
        for field in ("hostNetwork", "hostPID", "hostIPC"):
            spec.pop(field, None)
    if windows:
        for field in ("hostUsers", "shareProcessNamespace", "resources"):
            spec.pop(field, None)
    if spec.get("shareProcessNamespace") and spec.get("hostPID"):
        del spec["shareProcessNamespace"]
    if spec.get("schedulingGates"):
        spec.pop("nodeName", None)
    if spec.get("hostnameOverride") and (spec.get("setHostnameAsFQDN") or spec.get("hostNetwork")):
        del spec["hostnameOverride"]
    if "priorityClassName" in spec:
        spec.pop("priority", None)
    else:
        spec.pop("preemptionPolicy", None)
        if spec.get("priority"):
            del spec["priority"]
    if spec.get("runtimeClassName") != RUNTIME_CLASS_WITH_OVERHEAD:
        spec.pop("overhead", None)
    elif "overhead" in spec:
        spec["overhead"] = dict(RUNTIME_CLASS_OVERHEAD)
    context = spec.get("securityContext")
    if isinstance(context, dict):
        _fix_security_context(context, spec)
        seen, sysctls = set(), []
        for sysctl in context.get("sysctls", []):
            name = sysctl["name"]
            if name in seen or (spec.get("hostNetwork") and name.startswith("net.")):
                continue
            if spec.get("hostIPC") and name.startswith(("kernel.shm", "kernel.msg")):
                continue
            seen.add(name)
            sysctls.append(sysctl)
        if "sysctls" in context:
            context["sysctls"] = sysctls
    volume_kinds = {
        v["name"]: next((k for k in v if k != "name"), "emptyDir") for v in spec.get("volumes", [])
    }
    for volume in spec.get("volumes", []):
        sources = (volume.get("projected") or {}).get("sources", [])
        paths: set = set()
        kept = []
        for source in sources:
            ((kind, inner),) = source.items()
            targets = [i.get("path") for i in inner.get("items", [])] + [inner.get("path")]
            targets += [inner.get(k) for k in ("credentialBundlePath", "keyPath")]
            targets = [t for t in targets if t]
            if paths & set(targets) or len(set(targets)) != len(targets):
                continue
            paths |= set(targets)
            kept.append(source)
        if sources:
            volume["projected"]["sources"] = kept
        for item_holder in (
            volume.get("downwardAPI"),
            volume.get("configMap"),
            volume.get("secret"),
        ):
            if isinstance(item_holder, dict) and "items" in item_holder:
                unique, seen_paths = [], set()
                for item in item_holder["items"]:
                    if item.get("path") not in seen_paths:
                        seen_paths.add(item.get("path"))
                        unique.append(item)
                item_holder["items"] = unique
    for field in ("containers", "initContainers"):
        for ctr in spec.get(field, []):
            _fix_container(ctr, spec, field == "initContainers", volume_kinds)
    if isinstance(spec.get("resources"), dict):
        # Pod-level values large enough for any container: the API server fills in the rest.
        big = {"cpu": "64", "memory": "256Gi"}
        for key in ("requests", "limits"):
            if isinstance(spec["resources"].get(key), dict):
                part = spec["resources"][key]
                for name in ("cpu", "memory"):
                    if name in part:
                        part[name] = big[name]
                part.pop("hugepages-2Mi", None)
    pairs, constraints = set(), []
    for constraint in spec.get("topologySpreadConstraints", []):
        pair = (constraint["topologyKey"], constraint["whenUnsatisfiable"])
        if pair in pairs:
            continue
        pairs.add(pair)
        selector = constraint.get("labelSelector")
        keys = [
            k
            for k in constraint.get("matchLabelKeys", [])
            if selector and not _selects(selector, k)
        ]
        if keys:
            constraint["matchLabelKeys"] = list(dict.fromkeys(keys))
        else:
            constraint.pop("matchLabelKeys", None)
        constraints.append(constraint)
    if "topologySpreadConstraints" in spec:
        spec["topologySpreadConstraints"] = constraints
    for kind in ("podAffinity", "podAntiAffinity"):
        terms = (spec.get("affinity") or {}).get(kind) or {}
        for term in [
            *terms.get(_REQUIRED, []),
            *(p["podAffinityTerm"] for p in terms.get(_PREFERRED, [])),
        ]:
            selector = term.get("labelSelector")
            keys = [
                k for k in term.get("matchLabelKeys", []) if selector and not _selects(selector, k)
            ]
            mismatch = [k for k in term.get("mismatchLabelKeys", []) if selector and k not in keys]
            for field, values in (("matchLabelKeys", keys), ("mismatchLabelKeys", mismatch)):
                if values:
                    term[field] = list(dict.fromkeys(values))
                else:
                    term.pop(field, None)
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    for key in list(annotations):
        value = _annotation_value(key, annotations[key], spec)
        if value is None:
            del annotations[key]
        else:
            annotations[key] = value
    return pod


_REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution"
_PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution"


def _selects(selector: dict, key: str) -> bool:
    keys = set(selector.get("matchLabels", {}))
    keys |= {e.get("key") for e in selector.get("matchExpressions", [])}
    return key in keys


def _annotation_value(key: str, value: str, spec: dict) -> str:
    names = {c.get("name") for f in ("containers", "initContainers") for c in spec.get(f, [])}
    if key.startswith("container.apparmor.security.beta.kubernetes.io/"):
        if key.rsplit("/", 1)[1] not in names:
            return value
        return value if value in ("runtime/default", "unconfined", "localhost/profile") else ""
    if key.startswith(("seccomp.", "container.seccomp.")):
        return (
            value
            if value in ("runtime/default", "unconfined", "localhost/profile")
            else "runtime/default"
        )
    if key == "controller.kubernetes.io/pod-deletion-cost":
        return "10"
    return value
