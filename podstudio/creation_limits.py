"""How many designs, learners and classroom joins one client address can make: a script
without cookies could otherwise fill the database.

Learners have no accounts, so what is stored for them is counted per network address
(``client_address``, the one the sign-in and join-guess limits use) in ``ratelimit``'s shared
counters, at the moment a row is about to be inserted: a ``Design`` (a blank Pod, a gallery
pattern, an import, an exercise or example started, a copy of someone else's or a closed
design), a ``Learner`` (any first action of a new browser: a join, a lesson read, a quiz answer,
a sandbox action) or a ``Member`` (a join under a new name). A request that stores nothing (a
page, a keystroke saved into one's own design, a wrong code, a rejoin) costs nothing, not even
a query. Over the limit the insert is refused before it happens and the request is answered
429 with ``Retry-After``.

The defaults (``settings.PODSTUDIO_*_PER_ADDRESS``) are for a class of 300 behind one NAT
address; see the settings for the numbers' reasons. The reverse proxy's ``limit_req`` stays in
front as a second line (README, "Reverse proxy").
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import pre_save
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html

from classrooms.membership import client_address
from classrooms.models import Member
from lessons.models import Learner
from podstudio import ratelimit
from podstudio.builder.models import Design
from podstudio.middleware import say

REFUSED_HEADER = "Podstudio-Refused"  # site.js shows it where an htmx request came from


@dataclass(frozen=True)
class Kind:
    """One kind of stored object that is counted: its counter, its setting, and the words of
    its refusal."""

    key: str
    setting: str
    what: str  # "Too many {what} from your network"
    verb: str  # "Pod Studio {verb} at most 3000 an hour"


KINDS = {
    Design: Kind("new-designs", "PODSTUDIO_NEW_DESIGNS_PER_ADDRESS", "new designs", "makes"),
    Learner: Kind(
        "new-learners", "PODSTUDIO_NEW_LEARNERS_PER_ADDRESS", "new browsers", "keeps progress for"
    ),
    Member: Kind("joins", "PODSTUDIO_JOINS_PER_ADDRESS", "classroom joins", "takes"),
}

# The request being answered; unset outside requests (commands, the shell). Its address is
# worked out only when a row is inserted, not on every request.
_request: ContextVar[HttpRequest | None] = ContextVar("creation_limits_request", default=None)


def limit_of(kind: Kind) -> ratelimit.Limit | None:
    """The kind's limit from the settings; ``None`` when its count is 0 (no limit)."""
    count = getattr(settings, kind.setting)
    return ratelimit.Limit(count, settings.PODSTUDIO_CREATION_LIMIT_SECONDS) if count else None


class TooMany(Exception):
    """An insert one past the address's allowance; answered 429 by the middleware."""

    def __init__(self, kind: Kind, limit: ratelimit.Limit, key: str):
        self.wait = ratelimit.seconds_left(key, limit)
        super().__init__(
            f"Too many {kind.what} from your network: Pod Studio {kind.verb} at most "
            f"{limit.count} {_per(limit.seconds)} from one address. Try again in "
            f"{_in(self.wait)}."
        )


def _in(seconds: int) -> str:
    """A wait as people read it: seconds under two minutes, else whole minutes (rounded up)."""
    if seconds < 120:
        return f"{seconds} s"
    return f"{-(-seconds // 60)} minutes"


def _per(seconds: int) -> str:
    if seconds in (3600, 60):
        return "an hour" if seconds == 3600 else "a minute"
    for unit, name in ((3600, "hours"), (60, "minutes")):
        if seconds % unit == 0:
            return f"per {seconds // unit} {name}"
    return f"per {seconds} s"


def count_insert(sender: type, instance: object, raw: bool = False, **kwargs) -> None:
    """Counts a row about to be inserted for a client; raises ``TooMany`` past the limit, so
    the row is never written (and a count made inside a transaction is rolled back with it)."""
    request = _request.get()
    if request is None or raw or not instance._state.adding:
        return
    address = client_address(request)
    kind = KINDS[sender]
    limit = limit_of(kind)
    key = f"{kind.key}:{address}"
    if limit is not None and not ratelimit.allow(key, limit):
        raise TooMany(kind, limit, key)


for _model in KINDS:
    pre_save.connect(count_insert, sender=_model, dispatch_uid=f"creation-limit-{_model.__name__}")


class CreationLimitMiddleware:
    """Lets ``count_insert`` know whose request is being answered, and answers its refusal:
    JSON for the API, the refusal page for people, and for htmx a fragment (with the sentence
    in ``Podstudio-Refused`` too, which ``site.js`` shows beside the form that was used)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TooMany):
            return None
        message = str(exception)
        if getattr(request, "htmx", False) and not request.path.startswith("/api/"):
            html = format_html('<p class="notice error" role="alert">{}</p>', message)
            response = HttpResponse(html, status=429)
            response[REFUSED_HEADER] = message
        else:
            response = say(request, message, 429)
        response["Retry-After"] = str(exception.wait)
        return response
