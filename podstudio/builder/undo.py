"""Undo after a change of kind.

Wrapping a Pod into a workload, or unwrapping it, rewrites the whole design: fields the new kind
has no place for are dropped, restartPolicy may change. The session keeps the design as it was
just before (its manifest: an imported file's text is drawn from its source and the manifest,
so the author's text comes back byte for byte); the status line says what the change did, and
an Undo button beside the Kind picker (two Tabs from it) takes it back. Undo is one step and
only while the design is as the change left it: an edit after it forgets the old design, so
Undo never throws away later work.

Plain functions over manifests and the session's dict; the view wires them in.
"""

import hashlib
import json
import time
from typing import Any

from podstudio.builder.edit import copy_data
from podstudio.builder.workloads import design_kind

KIND_UNDO = "undo-kind"  # the action of the Undo beside the Kind picker after a change of kind
KEY = "builder_kind_undo"
SECONDS = 15 * 60  # how long a change of kind can be undone
NOTHING = "Nothing to undo: the design has changed since its kind did, or it was too long ago."


def digest(manifest: Any) -> str:
    """A fingerprint of ``manifest`` that does not depend on its keys' order (PostgreSQL's
    jsonb sorts them)."""
    text = json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def remember(session: Any, slug: str, before: dict, after: dict, message: str) -> None:
    """Keeps ``before`` for Undo after a change of kind made it ``after`` in ``slug``;
    ``message``: the status line that announced the change (Undo is offered with it)."""
    session[KEY] = {
        "slug": slug,
        "before": copy_data(before),
        "kind": design_kind(before).name,
        "after": digest(after),
        "message": message,
        "at": time.time(),
    }


def pending(session: Any, slug: str, manifest: dict) -> dict | None:
    """The change of kind Undo would reverse in ``slug`` now, if the design (``manifest``) is
    still as that change left it."""
    record = session.get(KEY)
    if not isinstance(record, dict) or record.get("slug") != slug:
        return None
    if time.time() - float(record.get("at", 0)) > SECONDS:
        return None
    if not isinstance(record.get("before"), dict) or record.get("after") != digest(manifest):
        return None
    return record


def offered(session: Any, slug: str, manifest: dict, message: str) -> bool:
    """Whether the status line showing ``message`` offers Undo: it is the one that announced a
    change of kind that can still be undone."""
    record = pending(session, slug, manifest)
    return bool(message) and record is not None and record.get("message") == message


def take(session: Any, slug: str, manifest: dict) -> tuple[dict | None, str]:
    """The design as it was before the change of kind (``None`` if there is nothing to undo)
    and what the status line says. The record goes: Undo is one step."""
    record = pending(session, slug, manifest)
    if record is None:
        return None, NOTHING
    del session[KEY]
    kind = record.get("kind") or "Pod"
    return copy_data(record["before"]), f"Undone: a {kind} again, as it was before."


def forget(session: Any, slug: str, manifest: dict | None = None) -> None:
    """Forgets the change of kind of ``slug`` once the design is no longer as it left it
    (``manifest``), or at once without one. Writes the session only when something changes."""
    record = session.get(KEY)
    if not isinstance(record, dict) or record.get("slug") != slug:
        return
    if manifest is None or record.get("after") != digest(manifest):
        del session[KEY]
