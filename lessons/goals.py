"""Exercise and drill goals written as data, so an instructor can write one without Python.

A goal's ``check`` is a small mapping, read by ``holds(check, pod)``::

    {valid: true}                       the API server would accept the Pod
    {qos: Guaranteed}                   the Pod's QoS class (inside a container: that container's)
    {pss: restricted}                   the highest Pod Security level it meets (needs a container)
    {tolerates: {key: k, value: v, effect: NoSchedule}}   a toleration lets it onto that taint
    {node_label: {disktype: ssd}}       it may run only on nodes with these labels (nodeSelector,
                                        or every term of required node affinity asks for them)
    {mounted_at: {path: /data, check: {...}}}   the volume a container mounts at that path meets
                                        the check (its paths start at the volume); inside a
                                        container, that container's mounts, else any app container's
    {path: spec.restartPolicy, equals: OnFailure}
    {template: {...}}                   the check holds on the Pod a workload's template makes (a
                                        Pod is its own template); paths elsewhere start at the
                                        document, so {path: spec.schedule, ...} reads a CronJob's
    {all_of: [...]}, {any_of: [...]}, {not: {...}}
    {some_container: {of: [app, sidecar, init], where: {...}, check: {...}}}
    {every_container: {...}}            the same, for all of them (and at least one)
    {command_has: nc}                   inside a container: what it runs has this word (given a
                                        list, any one of them), read as the kubelet and a shell
                                        would: command and args, $(VAR) expanded from its env,
                                        leaving out shell comments and what echo and printf print

A ``path`` is dotted, with ``[0]`` for an index, ``[example.com/key]`` for a map key, ``[*]``
for every item and ``[name=web]`` for
the items whose ``name`` is ``web``; inside a container, paths start at the container.
``pod_default`` names a Pod path read when ``path`` finds nothing (``securityContext`` fields
a container inherits). ``all: true`` asks every item the path chooses to have a matching
value (and one to exist). A ``null`` field counts as left out, as the API server reads it.
Matchers: ``equals``, ``not_equals``, ``one_of``, ``exists``, ``contains`` (a whole word of the
text, or of the words of a list; given a list, any one of its words), ``quantity``,
``at_least``, ``at_most`` (Kubernetes quantities), ``pinned`` (an image with a version tag other
than latest, or a digest), ``image`` (the repository's last part), ``url_host`` (the host of a
URL is one of these, compared as DNS names), ``address`` (a URL or ``host:port`` names one of
these hosts with this port, so ``redis://localhost:6379/0`` matches ``localhost:6379``),
``port`` (a number, or the name of a containerPort with that number), ``schedule`` (a cron
schedule that fires at the same times: ``30 2 * * 1-5`` is ``30 2 * * MON-FRI``).

Every reader is defensive: a Pod of the wrong shape fails a goal, it never raises. ``problems``
lists what is wrong with a check itself, for the content checker.
"""

import copy
import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from podstudio.engine.admission.pss import evaluate_pss
from podstudio.engine.analyze import analyze
from podstudio.engine.kinds import kind_of, pod_view
from podstudio.engine.paths import as_dict, as_list
from podstudio.engine.qos import compute_qos
from podstudio.engine.quantity import parse_quantity
from podstudio.engine.validation import validate_pod
from podstudio.engine.validation.cron import schedule_times

MATCHERS = (
    "equals",
    "not_equals",
    "one_of",
    "exists",
    "contains",
    "quantity",
    "at_least",
    "at_most",
    "pinned",
    "image",
    "url_host",
    "address",
    "port",
    "schedule",
)
CONTAINER_KINDS = {"app": "containers", "sidecar": "initContainers", "init": "initContainers"}
_STEP = re.compile(r"([^.\[\]]+)|\[(\*|\d+|[A-Za-z0-9_-]+=[^\]]*|[^\]=]+)\]")


def parse_path(path: str) -> list[str | int | tuple[str, str]] | None:
    """``spec.containers[name=web].image`` as steps; ``None`` if it is not a path."""
    if not isinstance(path, str) or not path.strip():
        return None
    steps: list[str | int | tuple[str, str]] = []
    position = 0
    while position < len(path):
        if path[position] == "." and steps:
            position += 1
        match = _STEP.match(path, position)
        if not match:
            return None
        name, bracket = match.groups()
        if name is not None:
            steps.append(name)
        elif bracket == "*":
            steps.append("*")
        elif bracket.isascii() and bracket.isdigit():
            steps.append(int(bracket))
        elif "=" not in bracket:
            steps.append(bracket)  # a map key with dots or slashes: labels[app.kubernetes.io/name]
        else:
            key, _, value = bracket.partition("=")
            steps.append((key, value))
        position = match.end()
    return steps


_MISSING = object()  # a branch of a path that ends at a field the Pod leaves out


def _walk(data: Any, path: str) -> list[Any]:
    """Every value at ``path``, with ``_MISSING`` for each chosen item that lacks the field.

    ``null`` counts as left out, as the API server reads it. ``env[name=X]`` keeps only the
    last entry named X: the kubelet lets a later duplicate replace an earlier one.
    """
    found = [data]
    previous: Any = None
    for step in parse_path(path) or []:
        following: list[Any] = []
        for value in found:
            if value is _MISSING:
                following.append(_MISSING)
            elif isinstance(step, int):
                items = as_list(value)
                following.append(items[step] if 0 <= step < len(items) else _MISSING)
            elif step == "*":
                following.extend(as_list(value))
            elif isinstance(step, tuple):
                # [key=value] keeps a list's matching items, or an item already chosen
                key, wanted = step
                items = [value] if isinstance(value, dict) else as_list(value)
                chosen = [
                    item
                    for item in items
                    if isinstance(item, dict) and str(item.get(key)) == wanted
                ]
                if previous == "env" and key == "name":
                    chosen = chosen[-1:]
                following.extend(chosen)
            elif isinstance(value, dict) and value.get(step) is not None:
                following.append(value[step])
            else:
                following.append(_MISSING)
        found = following
        previous = step
    return found


def values_at(data: Any, path: str) -> list[Any]:
    """Every value at ``path`` (none when a step is missing, null or of the wrong type)."""
    return [value for value in _walk(data, path) if value is not _MISSING]


def _quantity(value: Any):
    if value is None or isinstance(value, bool):
        return None
    try:
        return parse_quantity(value)
    except (ValueError, TypeError, ArithmeticError):
        return None


def _image_tag(image: Any) -> str | None:
    if not isinstance(image, str) or not image.strip():
        return None
    if "@" in image:
        return image.split("@", 1)[1]
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else ""


def _words(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)


def _url_host(value: Any) -> str:
    """The host a URL or ``host:port`` names, as DNS compares it: lower case, without user
    info, brackets or the root's trailing dot."""
    return _host_and_port(value)[0]


def _host_and_port(value: Any) -> tuple[str, str]:
    """The host (as ``_url_host`` compares it) and the port text a URL or ``host:port`` names;
    the port is "" when the text gives none."""
    if not isinstance(value, str):
        return "", ""
    authority = value.strip().split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0]
    authority = authority.rsplit("@", 1)[-1]
    if authority.startswith("["):
        host, _, rest = authority[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = authority.partition(":")
    return host.lower().rstrip("."), port


def _same_address(value: Any, expected: list) -> bool:
    host, port = _host_and_port(value)
    if not host or not port:
        return False
    return (host, port) in {_host_and_port(address) for address in expected}


def _same(value: Any, expected: Any) -> bool:
    """Equal and of one kind: ``true`` is not ``"true"`` nor ``1``, but ``5.0`` is ``5`` (YAML
    numbers reach the API server as JSON numbers)."""
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected
    numbers = (int, float)
    if isinstance(value, numbers) and isinstance(expected, numbers):
        return value == expected
    return value == expected and type(value) is type(expected)


def _contains(words: str, expected: Any) -> bool:
    """``expected`` appears in ``words`` as a whole token: 5432 is not in 54321, nor orders-db
    in orders-db-replica."""
    edge = r"[A-Za-z0-9_-]"
    pattern = rf"(?<!{edge}){re.escape(str(expected))}(?!{edge})"
    return re.search(pattern, words) is not None


def _matches(name: str, expected: Any, value: Any, container: dict | None) -> bool:
    if name == "equals":
        return _same(value, expected)
    if name == "not_equals":
        return not _same(value, expected)
    if name == "one_of":
        return any(_same(value, item) for item in expected)
    if name == "contains":  # a list: any one of its words
        words = _words(value)
        wanted = expected if isinstance(expected, list) else [expected]
        return any(_contains(words, item) for item in wanted)
    if name in ("quantity", "at_least", "at_most"):
        have, want = _quantity(value), _quantity(expected)
        if have is None or want is None:
            return False
        return {"quantity": have == want, "at_least": have >= want, "at_most": have <= want}[name]
    if name == "pinned":
        tag = _image_tag(value)
        return bool(tag) and tag != "latest" if expected else not tag or tag == "latest"
    if name == "image":
        if not isinstance(value, str):
            return False
        return value.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0] == expected
    if name == "url_host":
        return bool(_url_host(value)) and _url_host(value) in {_url_host(h) for h in expected}
    if name == "address":
        return _same_address(value, expected)
    if name == "schedule":
        times = schedule_times(value) if isinstance(value, str) else None
        return times is not None and times == schedule_times(expected)
    if name == "port":
        if value == expected and not isinstance(value, bool):
            return True
        if isinstance(value, str):
            for entry in as_list(as_dict(container).get("ports")):
                if isinstance(entry, dict) and entry.get("name") == value:
                    return entry.get("containerPort") == expected
        return False
    raise ValueError(f"unknown matcher {name}")


def _containers(pod: dict, kinds: list[str]) -> list[dict]:
    spec = as_dict(pod.get("spec"))
    found = []
    for kind in kinds:
        for container in as_list(spec.get(CONTAINER_KINDS[kind])):
            if not isinstance(container, dict):
                continue
            if kind == "sidecar" and container.get("restartPolicy") != "Always":
                continue
            if kind == "init" and container.get("restartPolicy") == "Always":
                continue
            found.append(container)
    return found


def cluster_version() -> str | None:
    """The Kubernetes version the builder validates against, so that a goal never calls valid
    what the builder's own checks (and that cluster) refuse; the newest outside Django."""
    try:
        from django.conf import settings

        return getattr(settings, "PODSTUDIO_K8S_VERSION", None)
    except (ImportError, ImproperlyConfigured):
        return None


def holds(check: dict, pod: Any, container: dict | None = None) -> bool:
    """Whether ``pod`` (or ``container`` of it) meets ``check``. Never raises on bad shapes."""
    pod = pod if isinstance(pod, dict) else {}
    if "valid" in check:
        kind = kind_of(pod)
        if kind is not None and not kind.is_pod:  # a workload: its own rules and its template's
            return (analyze(pod, cluster_version()).errors == []) is bool(check["valid"])
        return (validate_pod(pod, cluster_version()) == []) is bool(check["valid"])
    if "template" in check:
        kind = kind_of(pod)
        if kind is None or kind.is_pod:
            return holds(check["template"], pod)
        return holds(check["template"], as_stored(pod_view(pod, kind)))
    if "qos" in check:
        subject = {"spec": {"containers": [container]}} if container is not None else pod
        return compute_qos(subject).qos_class == check["qos"]
    if "pss" in check:
        # A Pod with no containers meets every level trivially; that is no achievement.
        return bool(_containers(pod, ["app"])) and evaluate_pss(pod).level == check["pss"]
    if "tolerates" in check:
        spec = as_dict(pod.get("spec"))
        return tolerates(as_list(spec.get("tolerations")), as_dict(check["tolerates"]))
    if "node_label" in check:
        spec = as_dict(pod.get("spec"))
        return all(requires_node_label(spec, k, v) for k, v in check["node_label"].items())
    if "mounted_at" in check:
        spec = as_dict(check["mounted_at"])
        volumes = mounted_volumes(pod, container, str(spec.get("path", "")))
        return any(holds(as_dict(spec.get("check")), volume) for volume in volumes)
    if "all_of" in check:
        return all(holds(part, pod, container) for part in check["all_of"])
    if "any_of" in check:
        return any(holds(part, pod, container) for part in check["any_of"])
    if "not" in check:
        return not holds(check["not"], pod, container)
    for quantifier in ("some_container", "every_container"):
        if quantifier in check:
            spec = check[quantifier]
            chosen = [
                c
                for c in _containers(pod, list(spec.get("of", ["app"])))
                if "where" not in spec or holds(spec["where"], pod, c)
            ]
            results = [holds(spec.get("check", {}), pod, c) for c in chosen]
            if quantifier == "some_container":
                return any(results)
            return bool(results) and all(results)
    if "command_has" in check:
        if container is None:
            return False
        wanted = check["command_has"]
        text = command_text(container)
        return any(_contains(text, word) for word in as_list(wanted) or [wanted])
    if "path" in check:
        subject = container if container is not None else pod
        walked = _walk(subject, check["path"])
        values = [value for value in walked if value is not _MISSING]
        if not values and "pod_default" in check:
            walked = values = values_at(pod, check["pod_default"])
        matcher = next((name for name in MATCHERS if name in check), "exists")
        expected = check.get(matcher, True)
        if matcher == "exists":
            return bool(values) is bool(expected)
        if check.get("all"):
            # every item the path chose must have the field: one left out does not match
            return (
                bool(values)
                and _MISSING not in walked
                and all(_matches(matcher, expected, v, container) for v in values)
            )
        return any(_matches(matcher, expected, v, container) for v in values)
    return True  # an empty check: {} holds (a quantifier without a check counts containers)


def command_text(container: dict) -> str:
    """What a container runs, as text to find words in: its command and args with ``$(VAR)``
    expanded as the kubelet does (from the container's env, the last entry of a name winning),
    and ``$VAR`` as a shell does when it runs one; without shell comments or what ``echo`` and
    ``printf`` print (``echo nc orders-db 5432`` waits for nothing); with a short option apart
    from its glued value (``-p5432``, ``-horders-db``). At most ``EXPANDED_LENGTH`` characters
    of each value and part, and of them all."""
    env: dict[str, str] = {}
    for entry in map(as_dict, as_list(container.get("env"))):
        name = entry.get("name")
        if isinstance(name, str) and "valueFrom" not in entry:
            env[name] = expand(str(entry.get("value") or ""), _REFERENCE, env)
        elif isinstance(name, str):
            env.pop(name, None)  # from a ConfigMap or Secret: not known here
    items = [
        str(item)
        for key in ("command", "args")
        for item in as_list(container.get(key))
        if isinstance(item, str | int) and not isinstance(item, bool)
    ]
    shell = bool(items) and items[0].rsplit("/", 1)[-1] in _SHELLS  # it expands $NAME itself
    parts, size = [], 0
    for item in items:
        part = expand(item, _REFERENCE, env)
        if shell:
            part = expand(part, _SHELL_VARIABLE, env)
        parts.append(_SHELL_COMMENT.sub("", part))
        size += len(part)
        if size > EXPANDED_LENGTH:
            break
    text = " ".join(parts)[:EXPANDED_LENGTH]
    # (Unless it writes somewhere: bash's "echo > /dev/tcp/orders-db/5432" connects.)
    text = _PRINTED.sub(lambda printed: printed[0] if ">" in printed[0] else "", text)
    return _GLUED_OPTION.sub(r"-\1 ", text)


# A shell comment: a # that starts a word, to the end of its line.
_SHELL_COMMENT = re.compile(r"(?:^|(?<=\s))#[^\n]*", re.M)
# What echo or printf prints: the rest of its simple command.
_PRINTED = re.compile(r"(?:^|(?<=[\s;&|(]))(?:echo|printf)(?=\s|$)[^\n;&|)]*")
_SHELLS = {"sh", "bash", "ash", "dash", "zsh", "ksh"}
_GLUED_OPTION = re.compile(r"(?<![\w-])-([A-Za-z])(?=\w)")
# The kubelet's $(NAME) (and $$, a $), and a shell's $NAME and ${NAME}.
_REFERENCE = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_SHELL_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def expand(text: str, reference: re.Pattern, env: dict[str, str]) -> str:
    """``text`` with each ``reference`` to a variable set in ``env`` replaced by its value, as
    the kubelet expands command, args and env values (``$$`` is a ``$``); a reference to a
    variable not set stays as written.

    At most ``EXPANDED_LENGTH`` characters: variables that each reference the one before twice
    double at every entry (thirty entries would make a gigabyte on each keystroke)."""
    pieces, size, position = [], 0, 0
    for match in reference.finditer(text):
        name = next(filter(None, match.groups()), None)  # None: the kubelet's $$
        value = "$" if name is None else env.get(name, match[0])
        pieces += [text[position : match.start()], value]
        size += match.start() - position + len(value)
        position = match.end()
        if size > EXPANDED_LENGTH:
            return "".join(pieces)[:EXPANDED_LENGTH]
    pieces.append(text[position:])
    return "".join(pieces)[:EXPANDED_LENGTH]


EXPANDED_LENGTH = 10_000  # characters; far beyond a command a learner writes


def mounted_volumes(pod: dict, container: dict | None, path: str) -> list[dict]:
    """The volumes mounted at ``path`` (a trailing ``/`` aside, as the kubelet reads it) by
    ``container``, or by any app container: what a program writing there writes to, whatever
    the volume is named."""
    wanted = path.rstrip("/") or "/"
    volumes = {
        volume.get("name"): volume
        for volume in map(as_dict, as_list(as_dict(pod.get("spec")).get("volumes")))
    }
    found = []
    for each in [container] if container is not None else _containers(pod, ["app"]):
        for mount in map(as_dict, as_list(as_dict(each).get("volumeMounts"))):
            at = mount.get("mountPath")
            if isinstance(at, str) and (at.rstrip("/") or "/") == wanted:
                volume = volumes.get(mount.get("name"))
                if volume is not None:
                    found.append(volume)
    return found


def requires_node_label(spec: dict, key: str, value: str) -> bool:
    """Whether the scheduler places the Pod only on nodes labelled ``key=value``: its
    nodeSelector says so, or every term of its required node affinity does (``In`` with that
    one value). A term that asks nothing matches no node and is left out; one that only names
    nodes by field may match a node without the label."""
    if as_dict(spec.get("nodeSelector")).get(key) == value:
        return True
    node_affinity = as_dict(as_dict(spec.get("affinity")).get("nodeAffinity"))
    required = as_dict(node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution"))
    terms = [
        as_dict(term)
        for term in as_list(required.get("nodeSelectorTerms"))
        if as_dict(term).get("matchExpressions") or as_dict(term).get("matchFields")
    ]

    def asks(term: dict) -> bool:
        return any(
            as_dict(e).get("key") == key
            and as_dict(e).get("operator") == "In"
            and as_list(as_dict(e).get("values")) == [value]
            for e in as_list(term.get("matchExpressions"))
        )

    return bool(terms) and all(asks(term) for term in terms)


def tolerates(tolerations: list, taint: dict) -> bool:
    """Whether a toleration lets the Pod onto a node with ``taint`` (key, value, effect), as the
    scheduler matches them: an empty effect tolerates every effect, ``Exists`` any value (and
    without a key, any taint), ``Equal`` (the default) the same value."""
    for toleration in tolerations:
        toleration = as_dict(toleration)
        if toleration.get("effect") not in (None, "", taint.get("effect")):
            continue
        operator = toleration.get("operator") or "Equal"
        key = toleration.get("key")
        if operator == "Exists" and key in (None, "", taint.get("key")):
            return True
        if (
            operator == "Equal"
            and key == taint.get("key")
            and (toleration.get("value") or "") == (taint.get("value") or "")
        ):
            return True
    return False


def as_stored(pod: Any) -> Any:
    """The Pod with each container's missing requests copied from its limits, as the API server
    stores it: a goal about requests reads what the scheduler will reserve, like the QoS class
    does. The input is never changed."""
    spec = as_dict(as_dict(pod).get("spec"))
    if not any(
        isinstance(as_dict(as_dict(c).get("resources")).get("limits"), dict)
        for key in ("initContainers", "containers")
        for c in as_list(spec.get(key))
    ):
        return pod
    stored = copy.deepcopy(pod)
    for key in ("initContainers", "containers"):
        for container in as_list(stored["spec"].get(key)):
            resources = as_dict(as_dict(container).get("resources"))
            limits, requests = resources.get("limits"), resources.get("requests")
            if not isinstance(limits, dict) or not isinstance(requests, dict | None):
                continue
            resources["requests"] = {**limits, **(requests or {})}
    return stored


def evaluate(check: dict, pod: Any) -> bool:
    """``holds`` on the Pod as stored, with any surprise in a check turned into a failed goal."""
    return evaluate_all([check], pod)[0]


def evaluate_all(checks: list[dict], pod: Any) -> list[bool]:
    """``evaluate`` for each check, with the Pod made ``as_stored`` once (a keystroke in an
    exercise checks all its goals)."""
    stored = as_stored(pod)
    return [_holds_safely(check, stored) for check in checks]


def _holds_safely(check: dict, pod: Any) -> bool:
    try:
        return holds(check, pod)
    except Exception:  # a goal that cannot read the Pod is simply not met
        return False


CHECK_KINDS = (
    "valid",
    "template",
    "qos",
    "pss",
    "tolerates",
    "node_label",
    "mounted_at",
    "path",
    "all_of",
    "any_of",
    "not",
    "some_container",
    "every_container",
    "command_has",
)
_LEVELS = ("privileged", "baseline", "restricted")
_CLASSES = ("Guaranteed", "Burstable", "BestEffort")


def _is_word(value: Any) -> bool:
    """What ``contains`` can look for: a non-empty text or a number (``5432``), not a bool."""
    return (isinstance(value, str) and value != "") or (
        isinstance(value, int) and not isinstance(value, bool)
    )


def problems(check: Any, where: str = "check") -> list[str]:
    """What is wrong with a check as written (empty when it can be evaluated)."""
    if not isinstance(check, dict) or not check:
        return [f"{where} must be a mapping such as {{path: ..., equals: ...}}"]
    found: list[str] = []
    kinds = [key for key in CHECK_KINDS if key in check]
    if len(kinds) != 1:
        return [
            f"{where} needs exactly one of {', '.join(CHECK_KINDS)} "
            f"(found {', '.join(kinds) or 'none'})"
        ]
    kind = kinds[0]
    allowed = {kind}
    if kind == "valid" and not isinstance(check["valid"], bool):
        found.append(f"{where}: valid must be true or false")
    if kind == "qos" and check["qos"] not in _CLASSES:
        found.append(f"{where}: qos must be one of {', '.join(_CLASSES)}")
    if kind == "pss" and check["pss"] not in _LEVELS:
        found.append(f"{where}: pss must be one of {', '.join(_LEVELS)}")
    if kind == "tolerates" and (
        not isinstance(check["tolerates"], dict)
        or set(check["tolerates"]) - {"key", "value", "effect"}
        or not check["tolerates"].get("key")
    ):
        found.append(f"{where}: tolerates must be a taint: {{key: ..., value: ..., effect: ...}}")
    if kind == "node_label" and (
        not isinstance(check["node_label"], dict)
        or not check["node_label"]
        or not all(
            isinstance(v, str) and isinstance(k, str) for k, v in check["node_label"].items()
        )
    ):
        found.append(f"{where}: node_label must map label keys to values: {{disktype: ssd}}")
    if kind == "mounted_at":
        spec = check["mounted_at"]
        path = spec.get("path") if isinstance(spec, dict) else None
        if not isinstance(path, str) or not path.startswith("/") or set(spec) != {"path", "check"}:
            found.append(f"{where}: mounted_at must be {{path: /absolute/path, check: {{...}}}}")
        else:
            found += problems(spec["check"], f"{where}.mounted_at.check")
    if kind in ("all_of", "any_of"):
        parts = check[kind]
        if not isinstance(parts, list) or not parts:
            found.append(f"{where}: {kind} must be a list of checks")
        else:
            for index, part in enumerate(parts):
                found += problems(part, f"{where}.{kind}[{index}]")
    if kind in ("not", "template"):
        found += problems(check[kind], f"{where}.{kind}")
    if kind in ("some_container", "every_container"):
        spec = check[kind]
        if not isinstance(spec, dict):
            return [f"{where}: {kind} must be a mapping with of, where and check"]
        unknown = set(spec) - {"of", "where", "check"}
        if unknown:
            found.append(f"{where}.{kind}: unknown keys {', '.join(sorted(unknown))}")
        of = spec.get("of", ["app"])
        if not isinstance(of, list) or not of or any(k not in CONTAINER_KINDS for k in of):
            found.append(f"{where}.{kind}.of must list some of app, sidecar, init")
        for part in ("where", "check"):
            if part in spec:
                found += problems(spec[part], f"{where}.{kind}.{part}")
    if kind == "command_has":
        words = check["command_has"]
        words = words if isinstance(words, list) else [words]
        if not (words and all(map(_is_word, words))):
            found.append(f"{where}: command_has must be a word or a list of words")
    if kind == "path":
        if parse_path(check["path"]) is None:
            found.append(f"{where}: {check['path']!r} is not a path")
        matchers = [name for name in MATCHERS if name in check]
        if len(matchers) > 1:
            found.append(f"{where}: one matcher per check (found {', '.join(matchers)})")
        allowed |= set(matchers) | {"all", "pod_default"}
        for name in matchers:
            value = check[name]
            if name in ("one_of", "url_host", "address") and not isinstance(value, list):
                found.append(f"{where}: {name} must be a list")
            if name in ("quantity", "at_least", "at_most") and _quantity(value) is None:
                found.append(f"{where}: {name} must be a quantity such as 250m or 128Mi")
            if name in ("exists", "pinned") and not isinstance(value, bool):
                found.append(f"{where}: {name} must be true or false")
            if name == "address" and isinstance(value, list):
                found += [
                    f"{where}: address {item!r} must be host:port"
                    for item in value
                    if not all(_host_and_port(item))
                ]
            words = value if isinstance(value, list) else [value]
            if name == "contains" and not (words and all(map(_is_word, words))):
                found.append(f"{where}: contains must be a word or a list of words")
            if name == "schedule" and (not isinstance(value, str) or not schedule_times(value)):
                found.append(f"{where}: schedule must be a cron schedule such as 30 2 * * 1-5")
            if name == "port" and not isinstance(value, int):
                found.append(f"{where}: port must be a port number")
        if "pod_default" in check and parse_path(check["pod_default"]) is None:
            found.append(f"{where}: pod_default {check['pod_default']!r} is not a path")
    unknown = set(check) - allowed
    if unknown:
        found.append(f"{where}: unknown keys {', '.join(sorted(map(str, unknown)))}")
    return found
