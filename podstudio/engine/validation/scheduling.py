"""Where a Pod may run: node selector, affinity, tolerations and topology spread
(``validateAffinity``, ``ValidateTolerations``, ``validateTopologySpreadConstraints`` and
apimachinery's label selector rules).

``matchLabelKeys`` and ``mismatchLabelKeys`` are judged after the API server has merged them into
the label selector from the Pod's own labels (``mutatePodAffinity`` and
``mutateTopologySpreadConstraints`` in ``PrepareForCreate``), as upstream does.
"""

from typing import Any

from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.validation.checker import Checker, as_int, as_text, is_empty, one_of
from podstudio.engine.validation.formats import (
    dns_label_errors,
    dns_subdomain_errors,
    label_value_errors,
    qualified_name_errors,
)

TOLERATION_OPERATORS = ("Equal", "Exists")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
NODE_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
WHEN_UNSATISFIABLE = ("DoNotSchedule", "ScheduleAnyway")
NODE_INCLUSION_POLICIES = ("Honor", "Ignore")
_AFFINITY_LISTS = (
    "requiredDuringSchedulingIgnoredDuringExecution",
    "preferredDuringSchedulingIgnoredDuringExecution",
)


def check_labels(c: Checker, labels: Any, path: str) -> None:
    """ValidateLabels: errors are reported at the map, as upstream does."""
    for key, value in as_dict(labels).items():
        if isinstance(key, str):
            c.add_all(path, [f"key {key!r}: {message}" for message in qualified_name_errors(key)])
        if isinstance(value, str):
            c.add_all(path, [f"value {value!r}: {m}" for m in label_value_errors(value)])


def _label_name(c: Checker, value: Any, path: str) -> None:
    if isinstance(value, str) or value is None:
        c.add_all(path, qualified_name_errors(value or ""))


def check_label_selector(c: Checker, selector: Any, path: str, check_values: bool = True) -> None:
    """metav1 ValidateLabelSelector."""
    if not isinstance(selector, dict):
        return
    check_labels(c, selector.get("matchLabels"), join(path, "matchLabels"))
    for index, requirement in enumerate(as_list(selector.get("matchExpressions"))):
        if not isinstance(requirement, dict):
            continue
        requirement_path = join(join(path, "matchExpressions"), index)
        operator = requirement.get("operator")
        values = as_list(requirement.get("values"))
        if operator in ("In", "NotIn"):
            if not values:
                c.add(
                    join(requirement_path, "values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                c.add(
                    join(requirement_path, "values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )
        elif isinstance(operator, str) or operator is None:
            c.add(join(requirement_path, "operator"), "not a valid selector operator")
        _label_name(c, requirement.get("key"), join(requirement_path, "key"))
        if check_values:
            for value_index, value in enumerate(values):
                if isinstance(value, str):
                    value_path = join(join(requirement_path, "values"), value_index)
                    c.add_all(value_path, label_value_errors(value))


def _merged_selector(selector: Any, keys: list, mismatch: list, labels: dict) -> Any:
    """applyLabelKeysToLabelSelector: a copy of the selector with the Pod's own label values
    added for each key in matchLabelKeys (In) and mismatchLabelKeys (NotIn)."""
    if not isinstance(selector, dict) or (not keys and not mismatch):
        return selector
    expressions = list(as_list(selector.get("matchExpressions")))
    for operator, names in (("In", keys), ("NotIn", mismatch)):
        for key in names:
            if isinstance(key, str) and isinstance(labels.get(key), str):
                expressions.append({"key": key, "operator": operator, "values": [labels[key]]})
    return {**selector, "matchExpressions": expressions}


def _check_label_keys(c: Checker, path: str, keys: list, mismatch: list, selector: Any) -> None:
    """ValidateMatchLabelKeysAndMismatchLabelKeys on the merged selector."""
    for field, names in (("matchLabelKeys", keys), ("mismatchLabelKeys", mismatch)):
        if not names:
            continue
        if not isinstance(selector, dict):
            c.add(join(path, field), "must not be specified when labelSelector is not set")
            continue
        for index, key in enumerate(names):
            _label_name(c, key, join(join(path, field), index))
    if isinstance(selector, dict):
        positions = {key: index for index, key in enumerate(keys) if isinstance(key, str)}
        seen = {key for key in as_dict(selector.get("matchLabels")) if isinstance(key, str)}
        for requirement in as_list(selector.get("matchExpressions")):
            key = as_dict(requirement).get("key")
            key = "" if key is None else key  # Go's zero value for a key not written
            if not isinstance(key, str):
                continue
            if key in positions and key in seen:
                # Upstream reports this at <term>[i], without "matchLabelKeys".
                c.add(join(path, positions[key]), "exists in both matchLabelKeys and labelSelector")
            seen.add(key)
    mismatch_set = {key for key in mismatch if isinstance(key, str)}
    for index, key in enumerate(keys):
        if isinstance(key, str) and key in mismatch_set:
            c.add(
                join(join(path, "matchLabelKeys"), index),
                "exists in both matchLabelKeys and mismatchLabelKeys",
            )


def _check_node_selector_term(c: Checker, term: dict, path: str, check_values: bool) -> None:
    for index, requirement in enumerate(as_list(term.get("matchExpressions"))):
        if not isinstance(requirement, dict):
            continue
        requirement_path = join(join(path, "matchExpressions"), index)
        operator = requirement.get("operator")
        values = as_list(requirement.get("values"))
        values_path = join(requirement_path, "values")
        if operator in ("In", "NotIn"):
            if not values:
                c.add(values_path, "must be specified when `operator` is 'In' or 'NotIn'")
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                c.add(
                    values_path,
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )
        elif operator in ("Gt", "Lt"):
            if len(values) != 1:
                c.add(values_path, "must be specified single value when `operator` is 'Lt' or 'Gt'")
        elif isinstance(operator, str) or operator is None:
            c.add(join(requirement_path, "operator"), "not a valid selector operator")
        _label_name(c, requirement.get("key"), join(requirement_path, "key"))
        if check_values:
            for value_index, value in enumerate(values):
                if isinstance(value, str):
                    c.add_all(join(values_path, value_index), label_value_errors(value))
    for index, requirement in enumerate(as_list(term.get("matchFields"))):
        if not isinstance(requirement, dict):
            continue
        requirement_path = join(join(path, "matchFields"), index)
        operator = requirement.get("operator")
        values = as_list(requirement.get("values"))
        if operator in ("In", "NotIn"):
            if len(values) != 1:
                c.add(
                    join(requirement_path, "values"),
                    "must be only one value when `operator` is 'In' or 'NotIn' for node field "
                    "selector",
                )
        elif isinstance(operator, str) or operator is None:
            c.add(join(requirement_path, "operator"), "not a valid selector operator")
        key = requirement.get("key")
        if key != "metadata.name":
            if isinstance(key, str) or key is None:
                c.add(join(requirement_path, "key"), "not a valid field selector key")
        else:
            for value_index, value in enumerate(values):
                if isinstance(value, str):
                    value_path = join(join(requirement_path, "values"), value_index)
                    c.add_all(value_path, dns_subdomain_errors(value))


def _check_pod_affinity_term(c: Checker, term: dict, path: str, labels: dict) -> None:
    keys = as_list(term.get("matchLabelKeys"))
    mismatch = as_list(term.get("mismatchLabelKeys"))
    selector = term.get("labelSelector")
    if not c.template:  # (mutatePodAffinity: a Pod's PrepareForCreate, never a template's)
        selector = _merged_selector(selector, keys, mismatch, labels)
    check_label_selector(c, selector, join(path, "labelSelector"))
    check_label_selector(c, term.get("namespaceSelector"), join(path, "namespaceSelector"))
    for namespace in as_list(term.get("namespaces")):
        if isinstance(namespace, str):
            c.add_all(join(path, "namespace"), dns_label_errors(namespace))
    _check_label_keys(c, path, keys, mismatch, selector)
    topology_key = term.get("topologyKey")
    if is_empty(topology_key):
        c.add(join(path, "topologyKey"), "can not be empty")
    _label_name(c, topology_key, join(path, "topologyKey"))


def check_affinity(c: Checker, spec: dict, labels: dict) -> None:
    affinity = as_dict(spec.get("affinity"))
    node = affinity.get("nodeAffinity")
    if isinstance(node, dict):
        path = "spec.affinity.nodeAffinity"
        required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(required, dict):
            terms_path = join(join(path, _AFFINITY_LISTS[0]), "nodeSelectorTerms")
            terms = as_list(required.get("nodeSelectorTerms"))
            if not terms:
                c.add(terms_path, "must have at least one node selector term")
            for index, term in enumerate(terms):
                if isinstance(term, dict):
                    _check_node_selector_term(c, term, join(terms_path, index), True)
        for index, item in enumerate(as_list(node.get(_AFFINITY_LISTS[1]))):
            if not isinstance(item, dict):
                continue
            item_path = join(join(path, _AFFINITY_LISTS[1]), index)
            _check_weight(c, item, item_path)
            preference = item.get("preference")
            _check_node_selector_term(
                c, as_dict(preference), join(item_path, "preference"), check_values=False
            )
    for kind in ("podAffinity", "podAntiAffinity"):
        pod = affinity.get(kind)
        if not isinstance(pod, dict):
            continue
        kind_path = f"spec.affinity.{kind}"
        for index, term in enumerate(as_list(pod.get(_AFFINITY_LISTS[0]))):
            if isinstance(term, dict):
                _check_pod_affinity_term(
                    c, term, f"{kind_path}.{_AFFINITY_LISTS[0]}[{index}]", labels
                )
        for index, item in enumerate(as_list(pod.get(_AFFINITY_LISTS[1]))):
            if not isinstance(item, dict):
                continue
            item_path = f"{kind_path}.{_AFFINITY_LISTS[1]}[{index}]"
            _check_weight(c, item, item_path)
            term = item.get("podAffinityTerm")
            _check_pod_affinity_term(c, as_dict(term), join(item_path, "podAffinityTerm"), labels)


def _check_weight(c: Checker, item: dict, path: str) -> None:
    weight = item.get("weight")
    weight = 0 if weight is None else as_int(weight)
    if weight is not None and not 1 <= weight <= 100:
        c.add(join(path, "weight"), "must be in the range 1-100")


def check_tolerations(c: Checker, spec: dict) -> None:
    check_toleration_list(c, as_list(spec.get("tolerations")), "spec.tolerations")


def check_toleration_list(c: Checker, tolerations: list, at: str) -> None:
    """``ValidateTolerations``: the Pod's, and those of its tolerations annotation."""
    for index, toleration in enumerate(tolerations):
        if not isinstance(toleration, dict):
            continue
        path = f"{at}[{index}]"
        key = as_text(toleration.get("key")) or ""
        operator = as_text(toleration.get("operator")) or ""
        value = as_text(toleration.get("value")) or ""
        effect = as_text(toleration.get("effect")) or ""
        if key:
            c.add_all(join(path, "key"), qualified_name_errors(key))
        if not key and operator != "Exists":
            c.add(join(path, "operator"), "operator must be Exists when `key` is empty")
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            c.add(
                join(path, "effect"), "effect must be 'NoExecute' when `tolerationSeconds` is set"
            )
        if operator in ("Equal", ""):
            # Upstream reports a bad value at `operator`.
            messages = label_value_errors(value)
            if messages:
                c.add(join(path, "operator"), f"value {value!r}: " + "; ".join(messages))
        elif operator == "Exists":
            if value:
                c.add(join(path, "operator"), "value must be empty when `operator` is 'Exists'")
        else:
            # Lt and Gt need TaintTolerationComparisonOperators (alpha, off in 1.37).
            c.add(join(path, "operator"), one_of(TOLERATION_OPERATORS))
        if effect and effect not in TAINT_EFFECTS:
            c.add(join(path, "effect"), one_of(TAINT_EFFECTS))


def check_topology_spread(c: Checker, spec: dict, labels: dict) -> None:
    constraints = [as_dict(item) for item in as_list(spec.get("topologySpreadConstraints"))]
    for index, constraint in enumerate(constraints):
        path = f"spec.topologySpreadConstraints[{index}]"
        skew = constraint.get("maxSkew")
        skew = 0 if skew is None else as_int(skew)
        if skew is not None and skew <= 0:
            c.add(join(path, "maxSkew"), "must be greater than zero")
        if is_empty(constraint.get("topologyKey")):
            c.add(join(path, "topologyKey"), "can not be empty")
        action = constraint.get("whenUnsatisfiable")
        if (isinstance(action, str) or action is None) and action not in WHEN_UNSATISFIABLE:
            c.add(join(path, "whenUnsatisfiable"), one_of(WHEN_UNSATISFIABLE))
        pair = (constraint.get("topologyKey") or "", constraint.get("whenUnsatisfiable") or "")
        if any(
            ((other.get("topologyKey") or ""), (other.get("whenUnsatisfiable") or "")) == pair
            for other in constraints[index + 1 :]
        ):
            c.add(join(path, "{topologyKey, whenUnsatisfiable}"), "duplicate constraint")
        min_domains = constraint.get("minDomains")
        if min_domains is not None and as_int(min_domains) is not None:
            if as_int(min_domains) <= 0:
                c.add(join(path, "minDomains"), "must be greater than zero")
            if action != "DoNotSchedule":
                c.add(
                    join(path, "minDomains"),
                    "can only use minDomains if whenUnsatisfiable=DoNotSchedule",
                )
        c.enum(constraint, "nodeAffinityPolicy", path, NODE_INCLUSION_POLICIES)
        c.enum(constraint, "nodeTaintsPolicy", path, NODE_INCLUSION_POLICIES)
        keys = as_list(constraint.get("matchLabelKeys"))
        selector = constraint.get("labelSelector")
        if c.on("MatchLabelKeysInPodTopologySpreadSelectorMerge"):
            if not c.template:  # (mutateTopologySpreadConstraints: Pods only, as above)
                selector = _merged_selector(selector, keys, [], labels)
            _check_label_keys(c, path, keys, [], selector)
        else:
            _check_legacy_match_label_keys(c, join(path, "matchLabelKeys"), keys, selector)
        check_label_selector(c, selector, join(path, "labelSelector"))


def _check_legacy_match_label_keys(c: Checker, path: str, keys: list, selector: Any) -> None:
    """ValidateMatchLabelKeysInTopologySpread (before the selector merge, 1.33 and older)."""
    if not keys:
        return
    names = set()
    if isinstance(selector, dict):
        names |= set(as_dict(selector.get("matchLabels")))
        names |= {as_dict(e).get("key") for e in as_list(selector.get("matchExpressions"))}
    else:
        c.add(path, "must not be specified when labelSelector is not set")
    for index, key in enumerate(keys):
        _label_name(c, key, join(path, index))
        if key in names:
            c.add(join(path, index), "exists in both matchLabelKeys and labelSelector")
