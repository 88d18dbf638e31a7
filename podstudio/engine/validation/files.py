"""File paths and modes inside volumes (``validateLocalDescendingPath``,
``ValidateLocalNonReservedPath``, ``validateKeyToPath`` and the file mode rules)."""

from typing import Any

from podstudio.engine.paths import as_list, join
from podstudio.engine.validation.checker import Checker, as_int, as_text, is_empty
from podstudio.engine.validation.formats import has_backsteps, is_absolute

FILE_MODE_MESSAGE = "must be a number between 0 and 0777 (octal), both inclusive"


def check_no_backsteps(c: Checker, target: str, path: str) -> None:
    if has_backsteps(target):
        c.add(path, "must not contain '..'")


def check_local_descending_path(c: Checker, target: str, path: str) -> None:
    """Relative, and no '..' element."""
    if is_absolute(target):
        c.add(path, "must be a relative path")
    check_no_backsteps(c, target, path)


def check_local_non_reserved_path(c: Checker, target: str, path: str) -> None:
    """Also may not start with '..' (unless the '..' element was reported already)."""
    check_local_descending_path(c, target, path)
    if target.startswith("..") and not target.startswith("../"):
        c.add(path, "must not start with '..'")


def check_mode(c: Checker, data: dict, key: str, path: str) -> None:
    value = as_int(data.get(key))
    if value is not None and not 0 <= value <= 0o777:
        c.add(join(path, key), FILE_MODE_MESSAGE)


def check_user(c: Checker, data: dict, key: str, path: str) -> None:
    """validateUserField: a file's owner is a valid user ID. The fields are alpha
    (AtomicWriteVolumeUserFields) and dropped first, but only from the first kind of a volume
    or projected source (``features.drop_disabled_fields``): one in a second kind is judged."""
    value = as_int(data.get(key))
    if value is not None and not 0 <= value <= 2147483647:
        c.add(join(path, key), "must be between 0 and 2147483647, inclusive")


def check_key_to_path(c: Checker, item: dict, path: str) -> None:
    if is_empty(item.get("key")):
        c.required(join(path, "key"))
    target = item.get("path")
    if is_empty(target):
        c.required(join(path, "path"))
    if isinstance(target, str):
        check_local_non_reserved_path(c, target, join(path, "path"))
    check_mode(c, item, "mode", path)
    check_user(c, item, "user", path)


def check_items(c: Checker, items: Any, path: str) -> list[str]:
    """Each ``items`` entry; returns the target paths that were set (for duplicate checks)."""
    targets = []
    for index, item in enumerate(as_list(items)):
        if isinstance(item, dict):
            check_key_to_path(c, item, join(path, index))
            target = as_text(item.get("path"))
            if target:
                targets.append(target)
    return targets
