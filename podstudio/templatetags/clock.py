"""Times as a reader can trust them: in the active time zone, with its abbreviation."""

from datetime import UTC, datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

_FORMATS = {"": "H:i", "seconds": "H:i:s", "date": "Y-m-d H:i"}


def clock_text(moment: datetime, form: str = "") -> str:
    """``14:05 CET`` as plain text (a message, a grid cell), on the reader's clock."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    shown = dateformat.format(local, _FORMATS.get(form, _FORMATS[""]))
    zone = local.tzname()
    return f"{shown} {zone}" if zone else shown


@register.filter
def clock(moment: datetime | None, form: str = "") -> SafeString | str:
    """``14:05 CET`` (``seconds``: ``14:05:09 CET``; ``date``: ``2026-12-04 14:05 CET``), in a
    ``<time>`` element that names the moment, so that site.js can put a page drawn before the
    browser named its zone (the first one) on the reader's clock too.

    Pod Studio's users are a classroom spread over time zones and a server in UTC: a bare
    ``14:05`` says nothing of which clock it is on.
    """
    if not isinstance(moment, datetime):
        return ""
    text = clock_text(moment, form)
    if not timezone.is_aware(moment):
        return text
    instant = moment.astimezone(UTC).isoformat(timespec="seconds")
    return format_html('<time datetime="{}" data-clock="{}">{}</time>', instant, form, text)
