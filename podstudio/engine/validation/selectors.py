"""Label selectors: apimachinery's ``ValidateLabelSelector``, ``LabelSelectorAsSelector`` and a
selector's ``Matches``, for the selectors workloads use to find their Pods."""

from typing import Any

from podstudio.engine.paths import as_dict, as_list, join
from podstudio.engine.validation.checker import Checker, as_text
from podstudio.engine.validation.formats import label_value_errors, qualified_name_errors
from podstudio.engine.validation.metadata import check_labels

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def check_label_selector(c: Checker, selector: Any, path: str) -> bool:
    """Reports what ``ValidateLabelSelector`` (strict label values) rejects in a selector that
    is a mapping; answers whether ``LabelSelectorAsSelector`` can turn it into a selector."""
    if not isinstance(selector, dict):
        return selector is None
    before = len(c.errors)
    labels = selector.get("matchLabels")
    check_labels(c, labels, join(path, "matchLabels"))
    convertible = all(isinstance(value, str) for value in as_dict(labels).values())
    for index, requirement in enumerate(as_list(selector.get("matchExpressions"))):
        item_path = f"{path}.matchExpressions[{index}]"
        requirement = as_dict(requirement)
        operator = as_text(requirement.get("operator"))
        values = [value for value in as_list(requirement.get("values")) if isinstance(value, str)]
        if operator in ("In", "NotIn"):
            if not values:
                c.add(
                    join(item_path, "values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                c.add(
                    join(item_path, "values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )
        else:
            c.add(join(item_path, "operator"), "not a valid selector operator")
        key = as_text(requirement.get("key"))
        c.add_all(join(item_path, "key"), qualified_name_errors(key or ""))
        for value_index, value in enumerate(values):
            c.add_all(f"{item_path}.values[{value_index}]", label_value_errors(value))
    return convertible and len(c.errors) == before


def is_empty_selector(selector: Any) -> bool:
    """A selector with neither matchLabels nor matchExpressions: it selects every Pod."""
    selector = as_dict(selector)
    return not as_dict(selector.get("matchLabels")) and not as_list(
        selector.get("matchExpressions")
    )


def selector_matches(selector: Any, labels: Any) -> bool:
    """Whether a (convertible) selector selects Pods with these labels; ``None`` selects none."""
    if selector is None:
        return False
    selector = as_dict(selector)
    labels = {key: value for key, value in as_dict(labels).items() if isinstance(value, str)}
    for key, value in as_dict(selector.get("matchLabels")).items():
        if labels.get(key) != value:
            return False
    for requirement in as_list(selector.get("matchExpressions")):
        requirement = as_dict(requirement)
        key = requirement.get("key")
        operator = requirement.get("operator")
        values = as_list(requirement.get("values"))
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True
