"""The class grid's rows as HTML, written in Python rather than in a template.

A refresh must stay fast with 300 learners (p99 under 150 ms, ``make bench``), and a grid row
costs about a millisecond through the template engine: 300 of them would take most of that
budget. Here a row costs a few microseconds: every text is escaped with ``html.escape`` (as
``{{ }}`` would) and the cells, which repeat a lot, are built once per process. The markup is
the grid's only row markup; ``templates/classrooms/detail.html`` places it.
"""

from functools import lru_cache
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from classrooms.grid import Cell, Row


@lru_cache(maxsize=4096)
def _cell(state: str, text: str, detail: str, valid: bool | None, hints: int) -> str:
    mark = ""
    if valid is True:
        mark = ' <span class="pod-ok">✓</span>'
    elif valid is False:
        mark = ' <span class="pod-bad">✗</span>'
    if hints:
        mark += f' <span class="hints-used">{hints} hint{"" if hints == 1 else "s"}</span>'
    detail = escape(detail)
    return (
        f'<td class="cell {state}"><span aria-hidden="true" title="{detail}">{escape(text)}'
        f'{mark}</span><span class="visually-hidden">{detail}</span></td>'
    )


def cell_html(cell: Cell) -> str:
    return _cell(cell.state, cell.text, cell.detail, cell.valid, cell.hints)


def row_html(row: Row, learners_url: str, *, oob: bool = False) -> str:
    """One ``<tr>``; ``learners_url`` is the classroom's ``…/learners/`` prefix.

    Its link has an id of its own, as the links and buttons of the Raised hands and Stuck
    lists do: htmx puts the keyboard focus back on the element of the same id after a swap,
    so an instructor tabbing through the grid keeps their place while rows refresh."""
    classes = " ".join(
        name
        for name, present in (
            ("has-hand", row.hand_at),
            ("is-stuck", row.stuck),
            ("is-idle", row.idle),
        )
        if present
    )
    name = escape(row.name)
    hand = ""
    if row.hand_at:
        title = escape(row.hand_message or "Hand raised")
        hand = f' <span class="badge warn hand-mark" title="{title}">Hand up</span>'
    now = ""
    if row.stuck:
        reason = escape(row.stuck.reason)  # (the Stuck panel above has it whole too)
        now = f'<span class="stuck-reason" title="{reason}">{reason}</span>'
    elif row.working_on and not row.idle:
        was = "was on" if row.ended else "on"
        now = f'<span class="working-on">{was} {escape(row.working_on)}</span>'
    idle_class = "idle-time idle" if row.idle else "idle-time"
    cells = "".join(cell_html(cell) for cell in row.cells)
    swap = ' hx-swap-oob="true"' if oob else ""
    return (
        f'<tr id="m-{row.member_id}" class="{classes}"{swap}>'
        f'<th scope="row"><a href="{learners_url}{row.member_id}/" id="m-{row.member_id}-name">'
        f"{name}</a>{hand}</th>"
        f'<td class="now">{now} <span class="{idle_class}">{escape(row.idle_text)}</span></td>'
        f"{cells}</tr>"
    )


def stuck_html(rows: list[Row], learners_url: str) -> SafeString:
    """The stuck learners' list items (their names link to their pages), for the summary."""
    return mark_safe(  # noqa: S308 (escaped)
        "\n      ".join(
            f'<li><a href="{learners_url}{row.member_id}/" id="stuck-{row.member_id}-name"'
            f' data-refocus="m-{row.member_id}-name">'
            f"{escape(row.name)}</a>: "
            f"{escape(row.stuck.reason)}</li>"
            for row in rows
        )
    )


def learners_url(code: str) -> str:
    return reverse("classrooms:detail", args=[code]) + "learners/"


def rows_html(rows: list[Row], code: str) -> SafeString:
    """The rows of the grid's ``<tbody>``."""
    prefix = learners_url(code)
    return mark_safe("\n".join(row_html(row, prefix) for row in rows))  # noqa: S308 (escaped)


def removed_rows_html(member_ids: list[int]) -> SafeString:
    """Out-of-band deletes of the rows of members no longer in the class (removed by an
    instructor in another tab, or gone): the page kept them, with links that answered 404."""
    return mark_safe(  # noqa: S308 (numbers only)
        "\n".join(
            f'<template><tr id="m-{int(member)}" hx-swap-oob="delete"></tr></template>'
            for member in member_ids
        )
    )


def oob_rows_html(rows: list[Row], code: str) -> SafeString:
    """Rows that replace the page's own: each in a ``<template>`` (a ``<tr>`` cannot stand alone
    in an htmx answer) and swapped out of band by its id."""
    prefix = learners_url(code)
    return mark_safe(  # noqa: S308 (escaped)
        "\n".join(f"<template>{row_html(row, prefix, oob=True)}</template>" for row in rows)
    )
