"""Autosave: the one SELECT that reads a design for a keystroke and the one UPDATE that saves it.

The live preview reads and writes a design on every keystroke. Building these two queries
through the QuerySet API costs several times more than running them, so they are written once
(names quoted by the database backend) and values converted by the model's own fields. A save
lands only on the version its request read: two requests that read the same version (two tabs
typing at once, a keystroke and a switch of document) are never both saved, the later silently
over the earlier.
"""

import enum
import re
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from podstudio.builder import livestate
from podstudio.builder.models import Design
from podstudio.sessions import SessionStore, expiry_param, session_row_sql

if TYPE_CHECKING:
    from podstudio.builder.services import Preview

# The design's live state (livestate.py) rides along: its previous values in the SELECT, the
# new ones in the UPDATE. ``source`` and ``document``: an edit is checked against the size of the
# whole file it downloads as, and a copy of someone else's design keeps its file. In the model's
# field order, which ``Model.from_db`` expects.
_PREVIEW_WANTED = {
    "id",
    "slug",
    "manifest",
    "exercise",
    "learner_id",
    "source",
    "document",
    "closes_at",
    "updated",
    "edit_page",
    *livestate.PREVIOUS,
}
_PREVIEW_FIELDS = tuple(
    field.attname for field in Design._meta.concrete_fields if field.attname in _PREVIEW_WANTED
)
_DATETIME_FIELDS = frozenset(
    name
    for name in _PREVIEW_FIELDS
    if Design._meta.get_field(name.removesuffix("_id")).get_internal_type() == "DateTimeField"
)


def _quoted(name: str) -> str:
    field = Design._meta.get_field(name.removesuffix("_id"))
    return connection.ops.quote_name(field.column)


@cache
def _select_by_slug_sql() -> str:
    columns = ", ".join(_quoted(name) for name in _PREVIEW_FIELDS)
    table = connection.ops.quote_name(Design._meta.db_table)
    return f"SELECT {columns} FROM {table} WHERE {_quoted('slug')} = %s"  # noqa: S608 (names)


@cache
def _save_manifest_sql(in_order: bool, on_version: bool) -> str:
    """The UPDATE of a save, which records the page an edit came from ("" for none).
    ``on_version``: it saves only over the version the edit was made on (``updated`` as read):
    a save from elsewhere in between (another tab, a switch of document, an instructor's reset)
    wins, not this one. ``in_order``: the edit's page and number too; the page's own saves in
    between are fine, and nothing is saved when the same page has saved a later edit already."""
    table = connection.ops.quote_name(Design._meta.db_table)
    columns = ("manifest", "updated", *livestate.FIELDS, "edit_page")
    if in_order:
        columns += ("edit_seq",)
    changes = ", ".join(f"{_quoted(name)} = %s" for name in columns)
    updated, page, seq = _quoted("updated"), _quoted("edit_page"), _quoted("edit_seq")
    where = f"{_quoted('id')} = %s"
    if on_version:
        where += f" AND ({updated} = %s" + (f" OR {page} = %s)" if in_order else ")")
    if in_order:
        where += f" AND NOT ({page} = %s AND {seq} >= %s)"
    return f"UPDATE {table} SET {changes} WHERE {where}"  # noqa: S608 (names)


class EditMark(NamedTuple):
    """Where a live-preview edit comes from: the builder page (a random id each page load)
    and the edit's number on that page, counted up by builder.js."""

    page: str
    seq: int


_EDIT_MARK = re.compile(r"([0-9a-f]{8,32}):([0-9]{1,15})")
_REVISION = re.compile(r"[0-9]{20}")


def edit_mark(text: str) -> EditMark | None:
    """The posted ``_edit`` ("<page>:<number>"), or None when there is none or it is garbled
    (such an edit is saved as a form without JavaScript is: whenever it comes)."""
    found = _EDIT_MARK.fullmatch(text)
    return EditMark(found[1], int(found[2])) if found else None


def names_version(base: str) -> bool:
    """Whether a post says which version of the design its page drew (``_base``)."""
    return bool(_REVISION.fullmatch(base))


def changed_elsewhere(design: Design, base: str, edit: EditMark | None) -> bool:
    """Whether ``design`` was saved from somewhere else since the page posting an edit drew its
    version ``base`` (``Design.revision``): another tab or window, a form posted without
    JavaScript, another document of the file, an instructor's reset.

    Such a page's form is out of date: what it posts (a whole form, or fields at list places
    that may have moved) would be saved over the newer version. Its own saves since it drew
    ``base`` are fine: the design's last edit came from it (``edit``'s page). A post without a
    (readable) base is an older page's, and is saved as before.
    """
    if not names_version(base) or base == design.revision:
        return False
    return edit is None or design.edit_page != edit.page


@cache
def _select_with_session_sql() -> str:
    """``_select_by_slug_sql`` with the session's stored data as a last column (parameters: the
    session key, ``expiry_param()``, the slug)."""
    columns = ", ".join(_quoted(name) for name in _PREVIEW_FIELDS)
    table = connection.ops.quote_name(Design._meta.db_table)
    slug = _quoted("slug")
    return f"SELECT {columns}, ({session_row_sql()}) FROM {table} WHERE {slug} = %s"  # noqa: S608


def design_for_preview(slug: str, session: object = None) -> Design | None:
    """The design with this slug (``created`` and ``updated`` are loaded only if read).

    A keystroke reads the design and then the session (whose learner may edit it): with the
    request's ``session`` not read yet, its stored data comes in the same query, as a lesson
    page reads it with the learner's progress.
    """
    with_session = (
        isinstance(session, SessionStore) and not session.loaded and bool(session.session_key)
    )
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        if with_session:
            params = [session.session_key, expiry_param(), slug]
            cursor.execute(_select_with_session_sql(), params)
        else:
            cursor.execute(_select_by_slug_sql(), [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    if with_session:
        session.load_data(row[-1])
        row = row[:-1]
    values = list(row)
    manifest_at = _PREVIEW_FIELDS.index("manifest")
    values[manifest_at] = Design._meta.get_field("manifest").from_db_value(
        values[manifest_at], None, db
    )
    for index, name in enumerate(_PREVIEW_FIELDS):
        if name in _DATETIME_FIELDS and values[index] is not None:
            values[index] = _aware(values[index])
    return Design.from_db(db.alias, list(_PREVIEW_FIELDS), values)


def _aware(value) -> datetime:
    """A datetime read by a plain cursor: SQLite gives naive UTC (or text), PostgreSQL aware."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


class Saved(enum.Enum):
    """What became of a save (``save_manifest``)."""

    SAVED = "saved"
    SUPERSEDED = "superseded"  # its page has saved a later edit already: nothing to do
    CHANGED_ELSEWHERE = "changed elsewhere"  # saved from elsewhere since it was read


def save_manifest(
    design: Design,
    manifest: dict,
    preview: "Preview | None" = None,
    edit: EditMark | None = None,
    on_version: bool = True,
) -> Saved:
    """Stores a new manifest, the time of the change and the design's live state, as
    ``QuerySet.update`` would. The state comes from the exercise goals and the API server's
    errors in ``preview`` (worked out here for a save that draws none).

    ``on_version`` (an edit that says which version its page drew, as every builder page's
    does): saves only over the version ``design`` was read at: two requests that read the same
    version (two tabs typing at once, a keystroke and a switch of document) must not both be
    saved, the later silently over the earlier. A post that names no version is saved as
    before, as ``changed_elsewhere`` lets it through. With ``edit``, the page's own saves since
    are fine, but nothing is saved if the page has saved a later edit: a keystroke replaces the
    request of the one before in the browser, but the server may still be running that one, and
    its older fields must not land over the newer.
    """
    from podstudio.builder.services import errors_of, exercise_goals  # (services uses this)

    goals = preview.goals if preview else exercise_goals(design.exercise, manifest)
    errors = preview.report.errors if preview else errors_of(manifest)
    now = timezone.now()
    state = livestate.next_state(design, goals=goals, errors=errors, now=now)
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy, which looks it up at each attribute
    updated = Design._meta.get_field("updated")
    params = [
        Design._meta.get_field("manifest").get_db_prep_save(manifest, db),
        updated.get_db_prep_save(now, db),
        *(
            Design._meta.get_field(name).get_db_prep_save(state[name], db)
            for name in livestate.FIELDS
        ),
    ]
    params += ["", design.pk] if edit is None else [edit.page, edit.seq, design.pk]
    if on_version:
        params.append(updated.get_db_prep_save(design.updated, db))
        if edit is not None:
            params.append(edit.page)
    if edit is not None:
        params += [edit.page, edit.seq]
    with db.cursor() as cursor:
        cursor.execute(_save_manifest_sql(edit is not None, on_version), params)
        if cursor.rowcount == 0:
            return _why_not_saved(design.pk, edit)
    design.manifest = manifest
    for name, value in state.items():
        setattr(design, name, value)
    design.updated = now
    design.edit_page = "" if edit is None else edit.page
    if edit is not None:
        design.edit_seq = edit.seq
    return Saved.SAVED


def _why_not_saved(pk: int, edit: EditMark | None) -> Saved:
    """A save that changed no row: its own page saved a later edit, or someone else saved."""
    last = Design.objects.filter(pk=pk).values_list("edit_page", "edit_seq").first()
    if edit is not None and last is not None:
        page, seq = last
        if page == edit.page and seq >= edit.seq:
            return Saved.SUPERSEDED
    return Saved.CHANGED_ELSEWHERE
