"""Times as a reader can trust them: in the active time zone, with its abbreviation."""

from datetime import datetime

from django import template
from django.utils import dateformat, timezone

register = template.Library()

_FORMATS = {"": "H:i", "seconds": "H:i:s", "date": "Y-m-d H:i"}


@register.filter
def clock(moment: datetime | None, form: str = "") -> str:
    """``14:05 CET`` (``seconds``: ``14:05:09 CET``; ``date``: ``2026-12-04 14:05 CET``).

    Pod Studio's users are a classroom spread over time zones and a server in UTC: a bare
    ``14:05`` says nothing of which clock it is on.
    """
    if not isinstance(moment, datetime):
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    shown = dateformat.format(local, _FORMATS.get(form, _FORMATS[""]))
    zone = local.tzname()
    return f"{shown} {zone}" if zone else shown
