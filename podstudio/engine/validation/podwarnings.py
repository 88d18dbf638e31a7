"""The warnings of ``warningsForPodSpecAndMeta`` (``pkg/api/pod/warnings.go``), for a Pod or a
workload's Pod template: deprecated node labels, annotations and volume types, null label
selectors, fractional byte counts, an env variable or a port declared twice, two files of a
volume at one path, a negative grace period, an IPv6 address not in canonical form.
``podstudio.engine.validation.warnings`` adds each kind's own and turns them into findings.
"""

import re
import unicodedata
from typing import Any, NamedTuple

from podstudio.engine.paths import as_dict, as_list, iter_containers, join, join_key
from podstudio.engine.quantity import (
    QuantityError,
    canonical_quantity,
    format_quantity,
    int64_value,
    parse_with_format,
    round_up_to,
)
from podstudio.engine.validation.annotations import (
    APPARMOR_CONTAINER,
    SECCOMP_CONTAINER,
    SECCOMP_POD,
    apparmor_field,
)
from podstudio.engine.validation.formats import LABEL_VALUE, go_len


class NodeLabel(NamedTuple):
    said: str  # the server's words
    fix: str


_EVERY_NODE_HAS = "Use the label {}, which every node has."
DEPRECATED_NODE_LABELS = {
    "beta.kubernetes.io/arch": NodeLabel(
        'deprecated since v1.14; use "kubernetes.io/arch" instead',
        _EVERY_NODE_HAS.format("kubernetes.io/arch"),
    ),
    "beta.kubernetes.io/os": NodeLabel(
        'deprecated since v1.14; use "kubernetes.io/os" instead',
        _EVERY_NODE_HAS.format("kubernetes.io/os"),
    ),
    "failure-domain.beta.kubernetes.io/region": NodeLabel(
        'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
        _EVERY_NODE_HAS.format("topology.kubernetes.io/region"),
    ),
    "failure-domain.beta.kubernetes.io/zone": NodeLabel(
        'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
        _EVERY_NODE_HAS.format("topology.kubernetes.io/zone"),
    ),
    "beta.kubernetes.io/instance-type": NodeLabel(
        'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
        _EVERY_NODE_HAS.format("node.kubernetes.io/instance-type"),
    ),
    "app.kubernetes.io/created-by": NodeLabel("deprecated since v1.9", "Remove it."),
    "scheduler.alpha.kubernetes.io/preferAvoidPods": NodeLabel(
        "deprecated since v1.22; use Taints and Tolerations instead", "Remove it."
    ),
    "node-role.kubernetes.io/master": NodeLabel(
        'use "node-role.kubernetes.io/control-plane" instead',
        "Use the label node-role.kubernetes.io/control-plane: control-plane nodes have had it "
        "since Kubernetes 1.20.",
    ),
}

DEPRECATED_ANNOTATIONS = {
    "scheduler.alpha.kubernetes.io/critical-pod": (
        'non-functional in v1.16+; use the "priorityClassName" field instead'
    ),
    "security.alpha.kubernetes.io/sysctls": (
        'non-functional in v1.11+; use the "sysctls" field instead'
    ),
    "security.alpha.kubernetes.io/unsafe-sysctls": (
        'non-functional in v1.11+; use the "sysctls" field instead'
    ),
}

DEPRECATED_VOLUMES = {
    "photonPersistentDisk": "deprecated in v1.11, non-functional in v1.16+",
    "gitRepo": "deprecated in v1.11, and disabled by default in v1.33+",
    "scaleIO": "deprecated in v1.16, non-functional in v1.22+",
    "flocker": "deprecated in v1.22, non-functional in v1.25+",
    "storageos": "deprecated in v1.22, non-functional in v1.25+",
    "quobyte": "deprecated in v1.22, non-functional in v1.25+",
    "glusterfs": "deprecated in v1.25, non-functional in v1.26+",
    "cephfs": "deprecated in v1.28, non-functional in v1.31+",
    "rbd": "deprecated in v1.28, non-functional in v1.31+",
}

# The warning names the Go field, whose JSON name differs in case.
WARNED_AS = {"storageos": "storageOS"}

# The minor release from which the API server gives each warning (read in its source, v1.25.0
# to v1.37.0); a warning not named here is given by every release from 1.25 on.
SINCE = {
    "claim bytes": 26,  # a fractional storage size in a claim template
    "name": 27,  # a name that is no DNS label
    "negative grace": 27,  # a template's negative terminationGracePeriodSeconds
    "indexed job": 28,  # an Indexed Job past its soft limits
    "null selector": 28,  # in topology spread and Pod (anti-)affinity terms
    "ports": 28,  # a hostIP without hostPort, a port declared twice
    "cephfs and rbd": 28,
    "cron TZ refused": 29,  # a TZ= schedule: a warning before, refused by validation from here
    "apparmor annotation": 30,
    "newer node labels": 31,  # created-by, preferAvoidPods, node-role.kubernetes.io/master
    "overlapping paths": 32,  # and a projected volume's empty source
    "port names": 33,
    "node label values": 33,  # a preferred node affinity term's values
    "ip form": 33,  # an IPv6 address not in RFC 5952 form
    "revision history": 33,  # a StatefulSet's negative revisionHistoryLimit
}
_NEWER_NODE_LABELS = (
    "app.kubernetes.io/created-by",
    "scheduler.alpha.kubernetes.io/preferAvoidPods",
    "node-role.kubernetes.io/master",
)


def node_label_deprecation(key: Any, minor: int) -> str | None:
    """What the release says of a deprecated node label, or ``None``."""
    if not isinstance(key, str) or key not in DEPRECATED_NODE_LABELS:
        return None
    if key in _NEWER_NODE_LABELS and minor < SINCE["newer node labels"]:
        return None
    return DEPRECATED_NODE_LABELS[key].said


def volume_deprecation(source: str, minor: int) -> str | None:
    """What the release says of a deprecated volume type, or ``None``; older releases worded
    some of them otherwise."""
    if source in ("cephfs", "rbd") and minor < SINCE["cephfs and rbd"]:
        return None
    if source == "gitRepo" and minor < 33:  # GitRepoVolumeDriver off by default from 1.33
        return "deprecated in v1.11"
    if source in ("flocker", "storageos", "quobyte") and minor < 27:
        return "deprecated in v1.22, support removal is planned in v1.26"
    if source == "glusterfs" and minor < 27:
        return (
            "deprecated in v1.25, this feature will be removed soon after in a subsequent release"
        )
    return DEPRECATED_VOLUMES[source]


BYTE_RESOURCES = ("memory", "ephemeral-storage")


# The server warns of every pair of equal ports or overlapping files, and a file of thousands of
# them would ask for millions of comparisons and warnings: a document's pairs stop here.
MAX_PAIRS = 20_000


class Pairs:
    """How many more pairs of ports or files one document's warnings may compare."""

    def __init__(self) -> None:
        self.left = MAX_PAIRS

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


class Warned(NamedTuple):
    """One warning: the path the server names, its words, and what to do instead. ``bare``:
    the server names no path (the volume's is given here), only the volume in its words."""

    path: str
    text: str
    fix: str
    bare: bool = False

    @property
    def printed(self) -> str:
        """The warning as kubectl prints it after ``Warning: ``."""
        return self.text if self.bare else f"{self.path}: {self.text}"


def pod_warnings(
    at: str, spec: dict, metadata: dict, *, template: bool, minor: int
) -> list[Warned]:
    """``warningsForPodSpecAndMeta`` of release 1.``minor``; ``at`` is the template's path with
    its dot, or ""."""
    warned = _node_label_warnings(at, spec, minor)
    warned += _annotation_warnings(at, spec, metadata, template=template, minor=minor)
    pairs = Pairs()
    warned += _volume_warnings(at, spec, pairs, minor)
    warned += _duplicate_warnings(at, spec)
    warned += _byte_warnings(f"{at}spec.overhead", as_dict(spec.get("overhead")))
    for field, path, container in iter_containers(spec):
        resources = as_dict(container.get("resources"))
        limits = as_dict(resources.get("limits"))
        requests = as_dict(resources.get("requests"))
        if not template and field != "ephemeralContainers":
            requests = {**limits, **requests}  # SetDefaults_Pod: a Pod's requests from limits
        warned += _byte_warnings(f"{at}{path}.resources.limits", limits)
        warned += _byte_warnings(f"{at}{path}.resources.requests", requests)
        warned += _env_warnings(f"{at}{path}", container, minor)
    # SetDefaults_Pod: under hostNetwork a Pod's (not a template's) hostPort is its port.
    host_network = not template and spec.get("hostNetwork") is True
    if minor >= SINCE["ports"]:
        warned += _port_warnings(at, spec, pairs, host_network=host_network, minor=minor)
    grace = spec.get("terminationGracePeriodSeconds")
    # A Pod's is made 1 when it is read (SetDefaults_Pod, and conversion before 1.37).
    if template and is_int(grace) and grace < 0 and minor >= SINCE["negative grace"]:
        warned.append(
            Warned(
                f"{at}spec.terminationGracePeriodSeconds",
                "must be >= 0; negative values are invalid and will be treated as 1",
                "Set the seconds the containers get to stop, 0 or more (the default is 30).",
            )
        )
    if minor >= SINCE["null selector"]:
        warned += _affinity_warnings(at, spec)
    if minor < SINCE["ip form"]:
        return warned
    for index, address in enumerate(as_list(as_dict(spec.get("dnsConfig")).get("nameservers"))):
        warned += _ip_warnings(f"{at}spec.dnsConfig.nameservers[{index}]", address)
    for index, alias in enumerate(as_list(spec.get("hostAliases"))):
        warned += _ip_warnings(f"{at}spec.hostAliases[{index}].ip", as_dict(alias).get("ip"))
    return warned


def _node_label_warnings(at: str, spec: dict, minor: int) -> list[Warned]:
    warned = []
    for key in as_dict(spec.get("nodeSelector")):
        said = node_label_deprecation(key, minor)
        if said:
            path = join_key(f"{at}spec.nodeSelector", key)
            warned.append(_node_label(path, key, said, bare=True))
    node_affinity = as_dict(as_dict(spec.get("affinity")).get("nodeAffinity"))
    base = f"{at}spec.affinity.nodeAffinity"
    required = as_dict(node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution"))
    for index, term in enumerate(as_list(required.get("nodeSelectorTerms"))):
        terms = f"{base}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"
        warned += _term_warnings(f"{terms}[{index}]", as_dict(term), minor)
    preferred = as_list(node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution"))
    for index, weighted in enumerate(preferred):
        path = f"{base}.preferredDuringSchedulingIgnoredDuringExecution[{index}].preference"
        preference = as_dict(as_dict(weighted).get("preference"))
        check_values = minor >= SINCE["node label values"]
        warned += _term_warnings(path, preference, minor, check_values=check_values)
    for index, constraint in enumerate(as_list(spec.get("topologySpreadConstraints"))):
        constraint = as_dict(constraint)
        path = f"{at}spec.topologySpreadConstraints[{index}]"
        key = constraint.get("topologyKey")
        said = node_label_deprecation(key, minor)
        if said:
            warned.append(_node_label(f"{path}.topologyKey", key, said))
        if constraint.get("labelSelector") is None and minor >= SINCE["null selector"]:
            warned.append(_null_selector(f"{path}.labelSelector"))
    return warned


def _term_warnings(
    path: str, term: dict, minor: int, *, check_values: bool = False
) -> list[Warned]:
    """GetWarningsForNodeSelectorTerm. In a preferred term (``check_values``) a value that is
    no label value is warned of too: a required term's is refused by validation instead."""
    warned = []
    for index, expression in enumerate(as_list(term.get("matchExpressions"))):
        expression = as_dict(expression)
        at = f"{path}.matchExpressions[{index}]"
        said = node_label_deprecation(expression.get("key"), minor)
        if said:
            warned.append(_node_label(f"{at}.key", expression["key"], said))
        values = expression.get("values") if check_values else None
        for position, value in enumerate(values if isinstance(values, list) else []):
            if isinstance(value, str):
                warned += _label_value_warnings(f"{at}.values[{position}]", value)
    return warned


LABEL_VALUE_REGEX_ERROR = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


def _label_value_warnings(path: str, value: str) -> list[Warned]:
    """IsValidLabelValue's reasons, each a warning: "<value> is invalid, <reason>"."""
    reasons = []
    if go_len(value) > 63:
        reasons.append("must be no more than 63 bytes")
    if not LABEL_VALUE.fullmatch(value):
        reasons.append(LABEL_VALUE_REGEX_ERROR)
    fix = (
        "Node label values are at most 63 letters, digits, '-', '_' or '.', starting and ending "
        "with a letter or digit: no node can have this one, so the preference never matches."
    )
    return [Warned(path, f"{value} is invalid, {reason}", fix) for reason in reasons]


def _node_label(path: str, key: str, said: str, *, bare: bool = False) -> Warned:
    """A deprecated node label; the server names it in the words of a key, not a selector."""
    text = said if bare else f"{key} is {said}"
    return Warned(path, text, DEPRECATED_NODE_LABELS[key].fix)


def _null_selector(path: str) -> Warned:
    return Warned(
        path,
        "a null labelSelector results in matching no pod",
        "Give it a labelSelector with the labels of the Pods to count, e.g. matchLabels: "
        "{app: web}.",
    )


def _annotation_warnings(
    at: str, spec: dict, metadata: dict, *, template: bool, minor: int
) -> list[Warned]:
    annotations = as_dict(metadata.get("annotations"))
    if not annotations:
        return []
    base = f"{at}metadata.annotations"
    warned = [
        Warned(join_key(base, key), said, "Remove the annotation; use the field it names.")
        for key, said in DEPRECATED_ANNOTATIONS.items()
        if key in annotations
    ]
    security = as_dict(spec.get("securityContext"))
    pod_profile = security.get("appArmorProfile")
    if security.get("seccompProfile") is None and SECCOMP_POD in annotations:
        warned.append(_seccomp(join_key(base, SECCOMP_POD), "spec.securityContext", minor))
    for _, _, container in iter_containers(spec):
        name = container.get("name")
        if not isinstance(name, str):
            continue
        context = as_dict(container.get("securityContext"))
        key = SECCOMP_CONTAINER + name
        if context.get("seccompProfile") is None and key in annotations:
            where = "the container's securityContext"
            warned.append(_seccomp(join_key(base, key), where, minor))
        key = APPARMOR_CONTAINER + name
        annotation = annotations.get(key)
        # A Pod's annotation becomes its field (applyAppArmorVersionSkew, not on Windows); a
        # template's stays: either way it is named unless the Pod's own profile says the same.
        if (
            key in annotations
            and minor >= SINCE["apparmor annotation"]
            and context.get("appArmorProfile") is None
            and (template or as_dict(spec.get("os")).get("name") != "windows")
            and (
                pod_profile is None
                or not isinstance(annotation, str)
                or apparmor_field(annotation) != pod_profile
            )
        ):
            warned.append(
                Warned(
                    join_key(base, key),
                    'deprecated since v1.30; use the "appArmorProfile" field instead',
                    "Set securityContext.appArmorProfile (type RuntimeDefault, Localhost with "
                    "localhostProfile, or Unconfined) and remove the annotation.",
                )
            )
    return warned


def _seccomp(path: str, where: str, minor: int) -> Warned:
    when = "non-functional in v1.27+"
    if minor < 27:
        when = "deprecated since v1.19, non-functional in a future release"
    return Warned(
        path,
        f'{when}; use the "seccompProfile" field instead',
        f"Set seccompProfile in {where} (type: RuntimeDefault) and remove the annotation.",
    )


def _volume_warnings(at: str, spec: dict, pairs: Pairs, minor: int) -> list[Warned]:
    warned = []
    for index, volume in enumerate(as_list(spec.get("volumes"))):
        volume = as_dict(volume)
        path = f"{at}spec.volumes[{index}]"
        for source in DEPRECATED_VOLUMES:
            said = volume_deprecation(source, minor) if volume.get(source) is not None else None
            if said:
                warned.append(
                    Warned(
                        join(path, WARNED_AS.get(source, source)),
                        said,
                        "Use a CSI driver or another volume type; for a Git checkout, an init "
                        "container that clones into an emptyDir.",
                    )
                )
        if minor >= SINCE["overlapping paths"]:
            warned += _overlap_warnings(path, volume, pairs)
        claim = as_dict(as_dict(volume.get("ephemeral")).get("volumeClaimTemplate"))
        if claim and minor >= SINCE["claim bytes"]:
            claim_spec = as_dict(claim.get("spec"))
            warned += claim_warnings(f"{path}.ephemeral.volumeClaimTemplate.spec", claim_spec)
    return warned


# Byte counts that are surely whole in ``MilliValue``, the usual ones told without parsing:
# up to 15 digits, or 6 with a suffix of at most a gibibyte. Past 2^63 / 1000 bytes the API
# server's int64 arithmetic wraps, and ``9223372036854776`` or ``10Pi`` warns.
_PLAINLY_WHOLE = re.compile(r"[0-9]{1,15}|[0-9]{1,6}(?:k|M|G|Ki|Mi|Gi)")
_LARGEST_PLAIN = (2**63 - 1) // 1000


def _whole_bytes(value: object) -> bool:
    """A quantity that is surely a whole number of bytes as the API server computes it
    (``512Mi``, ``1G``, ``1024``): the usual case, told without parsing it."""
    if type(value) is int:
        return -_LARGEST_PLAIN <= value <= _LARGEST_PLAIN
    return type(value) is str and _PLAINLY_WHOLE.fullmatch(value) is not None


def _duplicate_warnings(at: str, spec: dict) -> list[Warned]:
    """The same address twice in hostAliases; a pull secret named twice, or without a name."""
    warned = []
    addresses: set[str] = set()
    for index, alias in enumerate(as_list(spec.get("hostAliases"))):
        address = as_dict(alias).get("ip")
        address = address if isinstance(address, str) else ""
        if address in addresses:
            warned.append(
                Warned(
                    f"{at}spec.hostAliases[{index}].ip",
                    f"duplicate ip {_go_quote(address)}",
                    "List each address once, with all of its hostnames.",
                )
            )
        addresses.add(address)
    names: set[str] = set()
    for index, secret in enumerate(as_list(spec.get("imagePullSecrets"))):
        name = as_dict(secret).get("name") or ""
        if not isinstance(name, str):
            continue
        path = f"{at}spec.imagePullSecrets[{index}].name"
        if name in names:
            warned.append(
                Warned(path, f"duplicate name {_go_quote(name)}", "List each pull secret once.")
            )
        names.add(name)
        if not name:
            warned.append(
                Warned(path, 'invalid empty name ""', "Name the Secret, or remove the entry.")
            )
    return warned


# A projected volume's sources, in the order warningsForOverlappingVirtualPaths tries them.
_PROJECTIONS = (
    "configMap",
    "secret",
    "downwardAPI",
    "serviceAccountToken",
    "clusterTrustBundle",
    "podCertificate",
)
_CERTIFICATE_FILES = (
    ("certificateChainPath", "PodCertificate chain"),
    ("keyPath", "PodCertificate key"),
    ("credentialBundlePath", "PodCertificate credential bundle"),
)


def _overlap_warnings(path: str, volume: dict, pairs: Pairs) -> list[Warned]:
    """Two files of one configMap, secret, downwardAPI or projected volume at the same path,
    or one inside the other: one overwrites the other, or the mount fails."""
    name = volume.get("name")
    said = []
    for source, described in (
        ("configMap", lambda v: f"ConfigMap {_go_quote(v.get('name'))}"),
        ("secret", lambda v: f"Secret {_go_quote(v.get('secretName'))}"),
        ("downwardAPI", lambda v: "DownwardAPI"),
    ):
        items = as_dict(volume.get(source)).get("items")
        if isinstance(items, list):
            for overlap in _overlaps([(_item_path(item), "") for item in items], pairs):
                said.append((described(as_dict(volume[source])), overlap))
    sources = as_dict(volume.get("projected")).get("sources")
    files: list[tuple[str, str]] = []
    for source in as_list(sources):
        source = as_dict(source)
        if not any(source.get(key) is not None for key in source):
            said.append(("", f"volume {_go_quote(name)} (Projected) has no sources provided"))
            continue
        files += _projected_files(source)
    for overlap in _overlaps(files, pairs):
        said.append(("Projected", overlap))
    fix = "Give each file of the volume its own path, none inside another's."
    return [
        Warned(path, text if not what else _overlap_text(name, what, text), fix, bare=True)
        for what, text in said
    ]


def _overlap_text(name: Any, what: str, overlap: str) -> str:
    return f"volume {_go_quote(name)} ({what}): overlapping paths: {overlap}"


def _projected_files(source: dict) -> list[tuple[str, str]]:
    """The files one source of a projected volume puts in it, each with where it comes from."""
    for kind in _PROJECTIONS:
        value = source.get(kind)
        if value is None:
            continue
        value = as_dict(value)
        if kind in ("configMap", "secret", "downwardAPI"):
            items = value.get("items")
            if not isinstance(items, list):
                continue  # the switch goes on to the next case
            what = {
                "configMap": f"ConfigMap {_go_quote(value.get('name'))}",
                "secret": f"Secret {_go_quote(value.get('name'))}",
            }.get(kind, "DownwardAPI")
            return [(_item_path(item), what) for item in items]
        if kind == "serviceAccountToken":
            return [(_item_path(value), "ServiceAccountToken")]
        if kind == "clusterTrustBundle":
            named = value.get("name") if value.get("name") is not None else value.get("signerName")
            return [(_item_path(value), f"ClusterTrustBundle {_go_quote(named)}")]
        return [
            (path, what)
            for key, what in _CERTIFICATE_FILES
            if isinstance(path := value.get(key), str) and path
        ]
    return []


def _item_path(item: Any) -> str:
    path = as_dict(item).get("path")
    return path if isinstance(path, str) else ""


def _overlaps(files: list[tuple[str, str]], pairs: Pairs) -> list[str]:
    """``checkVolumeMappingForOverlap``: each file against those before it, a path equal to
    one of theirs or inside it (or holding it), trailing slashes dropped; as many pairs as
    ``pairs`` allows."""
    said = []
    seen: list[tuple[str, str]] = []
    for path, source in files:
        path = path.rstrip("/")
        if path:
            for other in seen:
                if not pairs.take():
                    return said
                other_path = other[0]
                if (
                    (path, source) == other
                    or (other_path + "/").startswith(path + "/")
                    or (path + "/").startswith(other_path + "/")
                ) and other_path:
                    said.append(f"{_shown_file(path, source)} with {_shown_file(*other)}")
        seen.append((path, source))
    return said


def _shown_file(path: str, source: str) -> str:
    return f"{_go_quote(path)} ({source})" if source else _go_quote(path)


# strconv.Quote's escapes of the characters it names; any other it does not print is a number.
_GO_NAMED_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def _go_quote(value: Any) -> str:
    """Go's ``%q`` of a string (``strconv.Quote``), as the API server's warnings quote file
    paths and names: a tab is ``\\t``, a no-break space ``\\u00a0``, a character Go does not
    print (``unicode.IsPrint``: not a letter, mark, number, punctuation, symbol or the ASCII
    space) by its number."""
    text = value if isinstance(value, str) else ""
    if text.isascii() and text.isprintable() and "\\" not in text and '"' not in text:
        return f'"{text}"'
    return '"' + "".join(_go_escaped(char) for char in text) + '"'


def _go_escaped(char: str) -> str:
    if char in _GO_NAMED_ESCAPES:
        return _GO_NAMED_ESCAPES[char]
    if char == " " or unicodedata.category(char)[0] in "LMNPS":
        return char
    number = ord(char)
    if number < 0x20 or number == 0x7F:
        return f"\\x{number:02x}"
    if 0xD800 <= number <= 0xDFFF:  # no rune: Go writes U+FFFD in its place
        return "\\ufffd"
    return f"\\u{number:04x}" if number < 0x10000 else f"\\U{number:08x}"


def claim_warnings(path: str, claim_spec: dict) -> list[Warned]:
    resources = as_dict(claim_spec.get("resources"))
    warned = []
    for kind in ("requests", "limits"):
        storage = as_dict(resources.get(kind)).get("storage")
        warned += _byte_warnings(f"{path}.resources.{kind}", {"storage": storage}, ("storage",))
    return warned


def _byte_warnings(
    path: str, values: dict, resources: tuple[str, ...] = BYTE_RESOURCES
) -> list[Warned]:
    """A byte count with a fraction of a byte (``memory: 0.5``, ``1.5``): the API server keeps
    it, and a kubelet or a volume plugin rounds it as it likes."""
    warned = []
    for resource in resources:
        value = values.get(resource)
        if value is None or isinstance(value, bool) or _whole_bytes(value):
            continue
        try:
            milli = int64_value(value, milli=True)
        except (QuantityError, TypeError, ValueError, OverflowError):
            continue
        if milli % 1000:
            warned.append(
                Warned(
                    join_key(path, resource),
                    f'fractional byte value "{_rounded_to_milli(value)}" is invalid, must be '
                    "an integer",
                    "Write a whole number of bytes with a unit, e.g. 512Mi or 1Gi.",
                )
            )
    return warned


def _rounded_to_milli(value: str | int | float) -> str:
    """A byte count as the warning shows it: the API server's defaults have rounded it up to
    thousandths (``SetDefaults_ResourceList``: ``1n`` is ``1m``)."""
    amount, fmt = parse_with_format(value)
    rounded = round_up_to(amount, -3)
    return canonical_quantity(value) if rounded == amount else format_quantity(rounded, fmt)


def _env_warnings(path: str, container: dict, minor: int) -> list[Warned]:
    """An env entry that sets a name set before it, unless its value builds on the earlier
    one (``X=$(X):more``): ``kubectl apply`` merges env by name and may drop one of them.
    Before 1.28 every repeated name was warned of, in other words."""
    warned = []
    seen: set[str] = set()
    for index, item in enumerate(as_list(container.get("env"))):
        item = as_dict(item)
        name = item.get("name")
        if not isinstance(name, str):
            continue
        if name not in seen:
            seen.add(name)
            continue
        fix = f"Keep one entry named {name}: remove this one or the earlier one."
        if minor < 28:
            warned.append(
                Warned(f"{path}.env[{index}].name", f"duplicate name {_go_quote(name)}", fix)
            )
            continue
        value = item.get("value")
        value = value if isinstance(value, str) else ""
        reference = f"$({name})"
        if item.get("valueFrom") is not None or value == reference or reference not in value:
            text = f"hides previous definition of {_go_quote(name)}"
            if minor >= 30:
                text += ", which may be dropped when using apply"
            warned.append(Warned(f"{path}.env[{index}]", text, fix))
    return warned


def _port_warnings(
    at: str, spec: dict, pairs: Pairs, *, host_network: bool, minor: int
) -> list[Warned]:
    """Ports of all containers together: a hostIP without hostPort, the same port and protocol
    twice (duplicate, overlapping or ambiguous; as many pairs as ``pairs`` allows) and a port
    name used twice."""
    warned = []
    seen: dict[str, list[tuple[str, dict]]] = {}
    names: dict[str, str] = {}
    for _, path, container in iter_containers(spec):
        for index, port in enumerate(as_list(container.get("ports"))):
            port = as_dict(port)
            here = f"{at}{path}.ports[{index}]"
            if host_network and not port.get("hostPort"):
                port = {**port, "hostPort": port.get("containerPort")}
            host_ip, host_port = port.get("hostIP") or "", port.get("hostPort") or 0
            if host_ip and not host_port:
                warned.append(
                    Warned(
                        here,
                        f"hostIP set without hostPort: {_go_port(port)}",
                        "Remove hostIP, or set the hostPort it is for.",
                    )
                )
            key = f"{port.get('containerPort')}/{port.get('protocol') or 'TCP'}"
            for other_path, other in seen.get(key, []):
                if not pairs.take():
                    break
                other_ip, other_port = other.get("hostIP") or "", other.get("hostPort") or 0
                if host_ip == other_ip and host_port == other_port:
                    how = "duplicate"
                elif not host_port or not other_port:
                    how = "overlapping"
                elif host_port == other_port and bool(host_ip) != bool(other_ip):
                    how = "dangerously ambiguous"
                else:
                    continue
                warned.append(
                    Warned(
                        here,
                        f"{how} port definition with {other_path}",
                        "Declare each container port once.",
                    )
                )
            seen.setdefault(key, []).append((here, port))
            name = port.get("name")
            if isinstance(name, str) and name and minor >= SINCE["port names"]:
                if name in names:
                    warned.append(
                        Warned(
                            here,
                            f"duplicate port name {_go_quote(name)} with {names[name]}, services "
                            f"and probes that select ports by name will use {names[name]}",
                            "Give each port of the Pod its own name.",
                        )
                    )
                else:
                    names[name] = here
    return warned


def _go_port(port: dict) -> str:
    """A ContainerPort as Go's ``%+v`` prints it."""
    fields = (
        f"Name:{port.get('name') or ''}",
        f"HostPort:{port.get('hostPort') or 0}",
        f"ContainerPort:{port.get('containerPort')}",
        f"Protocol:{port.get('protocol') or 'TCP'}",
        f"HostIP:{port.get('hostIP') or ''}",
    )
    return "{" + " ".join(fields) + "}"


def _affinity_warnings(at: str, spec: dict) -> list[Warned]:
    warned = []
    affinity = as_dict(spec.get("affinity"))
    for which in ("podAffinity", "podAntiAffinity"):
        terms = as_dict(affinity.get(which))
        base = f"{at}spec.affinity.{which}"
        required = "requiredDuringSchedulingIgnoredDuringExecution"
        for index, term in enumerate(as_list(terms.get(required))):
            if as_dict(term).get("labelSelector") is None:
                warned.append(_null_selector(f"{base}.{required}[{index}].labelSelector"))
        preferred = "preferredDuringSchedulingIgnoredDuringExecution"
        for index, weighted in enumerate(as_list(terms.get(preferred))):
            term = as_dict(as_dict(weighted).get("podAffinityTerm"))
            if term.get("labelSelector") is None:
                path = f"{base}.{preferred}[{index}].podAffinityTerm.labelSelector"
                warned.append(_null_selector(path))
    return warned


def _ip_warnings(path: str, value: Any) -> list[Warned]:
    """An IPv6 address the server reads but that is not written in RFC 5952's form."""
    if not isinstance(value, str) or ":" not in value or "%" in value:
        return []
    import ipaddress  # here: few Pods have an address to check, and the module is slow to load

    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return []  # invalid: an error of validation
    if address.ipv4_mapped is not None or str(address) == value:
        return []
    return [
        Warned(
            path,
            f'IPv6 address "{value}" should be in RFC 5952 canonical format ("{address}")',
            f"Write it as {address}.",
        )
    ]


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
