"""The engine's two large dependencies, loaded for a command-line run without the start-up work
a check never uses.

A check of one file takes about 45 ms, most of it Python loading modules, and issue 11 asks it
in under twice kubeconform's time. Two dependencies spend a fifth of that on import:

- ``jsonschema_rs`` reads its own build date with ``email.utils.parsedate_to_datetime``, and
  ``email.utils`` brings socket, random, urllib.parse and email's charsets with it (5 ms). While
  the extension loads, a stand-in module answers that one call; anything else asked of it comes
  from the real ``email.utils``, and the stand-in is gone once the extension has loaded.
- PyYAML's pure-Python reader, resolver and constructor compile their patterns as they load, one
  a character class of all Unicode (4 ms). The engine reads YAML with the C loader, which uses
  few of them: while PyYAML loads, its patterns are made with ``compile_lazily`` and compiled
  when first used.

The web app and the tests import both as they are.
"""

import importlib
import re
import sys
import types
from datetime import UTC, datetime

from podstudio.engine.patterns import compile_lazily

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def load_engine_dependencies() -> None:
    """Import PyYAML and ``jsonschema_rs`` the quick way, unless something already has."""
    if "yaml" not in sys.modules:
        _import_yaml_with_lazy_patterns()
    if "jsonschema_rs" not in sys.modules and "email.utils" not in sys.modules:
        _import_jsonschema_rs_without_email()


def _import_yaml_with_lazy_patterns() -> None:
    compile_now = re.compile
    re.compile = compile_lazily
    try:
        importlib.import_module("yaml")
    finally:
        re.compile = compile_now


def _import_jsonschema_rs_without_email() -> None:
    importlib.import_module("email")  # the stand-in's parent package
    sys.modules["email.utils"] = _EmailUtilsStandIn("email.utils")
    try:
        importlib.import_module("jsonschema_rs")
    finally:
        if isinstance(sys.modules.get("email.utils"), _EmailUtilsStandIn):
            del sys.modules["email.utils"]


def _real_email_utils() -> types.ModuleType:
    if isinstance(sys.modules.get("email.utils"), _EmailUtilsStandIn):
        del sys.modules["email.utils"]
    return importlib.import_module("email.utils")


def _parsedate_to_datetime(text: str) -> datetime:
    """A date such as ``Thu, 12 Nov 2026 07:50:16 +0000``, as ``email.utils`` reads it; any
    other text goes to ``email.utils`` itself."""
    try:
        _, day, month, year, clock, zone = text.split(" ")
        hour, minute, second = clock.split(":")
        if zone != "+0000" or month not in _MONTHS:
            raise ValueError(text)
        return datetime(
            int(year),
            _MONTHS.index(month) + 1,
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=UTC,
        )
    except ValueError:
        return _real_email_utils().parsedate_to_datetime(text)


class _EmailUtilsStandIn(types.ModuleType):
    parsedate_to_datetime = staticmethod(_parsedate_to_datetime)

    def __getattr__(self, name: str):
        return getattr(_real_email_utils(), name)
