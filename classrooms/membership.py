"""Learners joining, rejoining and acting in a classroom: plain functions the views call.

A member is found from the session (``SESSION_KEY`` holds its id) and must belong to the
session's learner, so a session that changed learners finds no stale membership. Rejoining from
another browser puts the member's learner into that browser's session: designs, progress and
the sandbox namespace follow the learner, not the cookie.
"""

import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from classrooms.models import (
    NAME_LENGTH,
    Classroom,
    Member,
    Message,
    name_key,
    normalize_code,
    pin_digits,
)
from lessons import progress
from podstudio import ratelimit

SESSION_KEY = "classroom_member_id"

# Guessing codes or PINs. Wrong guesses are counted per browser session and per network
# address. A session that guessed wrong this often waits; so does an address, but only at a
# threshold a whole class behind one NAT (or every learner behind a reverse proxy that does not
# say who the client is) does not reach by typos: a correct join from another browser is not
# held up by someone else's mistakes. A guesser who drops cookies is still held by the address.
GUESSES_PER_SESSION = ratelimit.Limit(count=10, seconds=10 * 60)
GUESSES_PER_ADDRESS = ratelimit.Limit(count=200, seconds=10 * 60)
# A PIN has a million values: five wrong tries per name and quarter of an hour.
PIN_TRIES_PER_MEMBER = ratelimit.Limit(count=5, seconds=15 * 60)


class JoinError(Exception):
    """Why joining did not work, in words for the learner; ``field`` is the input it is about."""

    def __init__(self, message: str, *, field: str = "code", status: int = 400):
        super().__init__(message)
        self.field = field
        self.status = status


class NameTaken(JoinError):
    def __init__(self, name: str):
        super().__init__(
            f"Someone in this classroom already goes by “{name}”. Pick another name — or, if "
            "it is you joining from another browser, enter the rejoin PIN you were given.",
            field="name",
        )


@dataclass(frozen=True)
class Joined:
    member: Member
    pin: str = ""  # shown once, when the learner joins
    token: str = ""  # the secret part of the rejoin link, shown once
    already: bool = False  # this browser was already in the classroom


def _digest(purpose: str, value: str) -> str:
    return salted_hmac(f"podstudio.classrooms.{purpose}", value).hexdigest()


def pin_hash(classroom: Classroom, key: str, pin: str) -> str:
    return _digest("pin", f"{classroom.code}:{key}:{pin}")


def token_hash(token: str) -> str:
    return _digest("rejoin", token)


def new_pin() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def client_address(request: HttpRequest) -> str:
    """The client's network address: the trusted proxy's header when one is set (its last
    entry: the one the proxy itself wrote), otherwise ``REMOTE_ADDR``."""
    header = settings.PODSTUDIO_TRUSTED_PROXY_HEADER.strip()
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        forwarded = request.META.get(key, "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded[:100]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _session_key(request: HttpRequest) -> str:
    """This browser's session key, made if the session has none yet (a first visit)."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or "none"


def clean_name(text: str) -> str:
    """The display name as it will be shown; a ``JoinError`` if it cannot be one."""
    name = " ".join((text or "").split())
    if not name:
        raise JoinError("Enter the name your instructor will see.", field="name")
    if len(name) > NAME_LENGTH:
        raise JoinError(f"Keep your name to {NAME_LENGTH} characters or fewer.", field="name")
    if any(not ch.isprintable() for ch in name):
        raise JoinError("Use letters, digits and punctuation only.", field="name")
    if not any(_shows(ch) for ch in name):
        # Blank-looking names (a Hangul filler, a Braille blank, a lone accent): several
        # learners could join as rows no one can tell apart or say aloud.
        raise JoinError("Your name needs at least one letter or digit.", field="name")
    return name


# Letters that print as nothing: the Hangul fillers.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def _shows(ch: str) -> bool:
    """Whether ``ch`` is a letter or digit that shows."""
    return unicodedata.category(ch)[0] in "LN" and ch not in _BLANK_LETTERS


@dataclass(frozen=True)
class Guesser:
    """Who is guessing: the browser session and the network address, each counted. A join or
    rejoin link opened (``link``) counts its address's misses apart from the form's: any web
    page can make browsers open links (an ``<img>`` needs no click and sends no cookie), and
    those must not lock a classroom's network out of typing its code."""

    session: str
    address: str
    link: bool = False

    @classmethod
    def of(cls, request: HttpRequest, *, link: bool = False) -> "Guesser":
        return cls(session=_session_key(request), address=client_address(request), link=link)

    @property
    def address_key(self) -> str:
        return f"classroom-{'link-' if self.link else ''}guess:{self.address}"


def _too_many(key: str, limit: ratelimit.Limit, where: str) -> JoinError:
    wait = ratelimit.seconds_left(key, limit)
    return JoinError(
        f"Too many wrong codes or PINs from {where}. Try again in {wait // 60 + 1} minutes, "
        "or ask your instructor.",
        status=429,
    )


def _guard(guesser: Guesser, *, address: bool = True) -> None:
    """Checked before a join is tried, whether it would be right or not (no oracle): a session
    or (``address``) an address that has spent its wrong guesses waits."""
    session_key = f"classroom-guess-session:{guesser.session}"
    if ratelimit.is_spent(session_key, GUESSES_PER_SESSION):
        raise _too_many(session_key, GUESSES_PER_SESSION, "this browser")
    if not address or not ratelimit.is_spent(guesser.address_key, GUESSES_PER_ADDRESS):
        return
    if guesser.link:
        raise JoinError(
            "Too many links with wrong codes were opened from your network. Type your "
            "classroom's code in the form instead.",
            status=429,
        )
    raise _too_many(guesser.address_key, GUESSES_PER_ADDRESS, "your network")


def _wrong_guess(guesser: Guesser) -> None:
    ratelimit.allow(f"classroom-guess-session:{guesser.session}", GUESSES_PER_SESSION)
    ratelimit.allow(guesser.address_key, GUESSES_PER_ADDRESS)


def ended_error(classroom: Classroom) -> JoinError:
    """What joining an ended classroom answers, with a code or a rejoin link alike."""
    return JoinError(
        f"The classroom “{classroom.title}” has ended; it cannot be joined any more.",
        status=410,
    )


def full_error(classroom: Classroom) -> JoinError:
    """What joining a full classroom under a new name answers."""
    return JoinError(
        f"The classroom “{classroom.title}” is full ({classroom.max_learners} "
        f"learner{'' if classroom.max_learners == 1 else 's'}). "
        "Ask your instructor.",
        status=409,
    )


def why_not_open(request: HttpRequest, code_text: str) -> JoinError | None:
    """Why a join link's classroom cannot be joined, said as its page opens: no such code (a
    wrong guess, counted as the form's would be), ended, or full (for a browser not in it
    already; someone who joined before can still rejoin with their PIN). ``None`` if it can."""
    try:
        classroom = open_classroom(code_text, guesser=Guesser.of(request, link=True))
    except JoinError as exc:
        return exc
    learner_id = progress.session_learner_id(request)
    if classroom.members.count() >= classroom.max_learners and not (
        learner_id is not None and classroom.members.filter(learner_id=learner_id).exists()
    ):
        return full_error(classroom)
    return None


def open_classroom(code_text: str, *, guesser: Guesser) -> Classroom:
    """The running classroom with this code; a ``JoinError`` for an unknown, ended or full one."""
    _guard(guesser)
    code = normalize_code(code_text)
    if not code:
        raise JoinError("Enter the join code your instructor gave you.")
    classroom = Classroom.objects.filter(code=code).first()
    if classroom is None:
        _wrong_guess(guesser)
        raise JoinError(
            f"There is no classroom with the code {code}. Check it with your instructor "
            "(codes have six letters and digits).",
            status=404,
        )
    if classroom.has_ended():
        raise ended_error(classroom)
    return classroom


def join(request: HttpRequest, *, code: str, name: str, pin: str = "") -> Joined:
    """Joins the session's learner (made if needed) to the classroom under ``name``.

    The learner's progress so far comes along. A taken name can only be taken back with its PIN
    (that is rejoining from another browser).
    """
    guesser = Guesser.of(request)
    classroom = open_classroom(code, guesser=guesser)
    display = clean_name(name)
    key = name_key(display)
    learner = progress.current_learner(request, create=True)
    mine = Member.objects.filter(classroom=classroom, learner=learner).first()
    if mine is not None and mine.name_key == key:
        request.session.cycle_key()
        _enter(request, mine)
        return Joined(mine, already=True)
    holder = Member.objects.filter(classroom=classroom, name_key=key).first()
    if holder is not None:
        if not pin:
            raise NameTaken(holder.name)
        # Another browser's learner coming back here (this browser becomes theirs, as with
        # their rejoin link), or a wrong PIN, said as such.
        return Joined(rejoin_with_pin(request, member=holder, pin=pin, guesser=guesser))
    if mine is not None:  # a new name, from a browser already in the class under another
        raise JoinError(
            f"This browser is already in this classroom as “{mine.name}”. To join under "
            "another name, leave the classroom first (on your classroom page).",
            field="name",
            status=409,
        )
    elsewhere = _running_membership(learner, but=classroom)
    if elsewhere is not None:
        # One learner, one design per exercise: in two classes at once, each instructor would
        # see (and could reset) the work done for the other's.
        raise JoinError(
            f"This browser is in the classroom “{elsewhere.classroom.title}”, which is still "
            "running. Leave it first (on your classroom page), then join this one.",
            status=409,
        )
    secret_pin, token = new_pin(), secrets.token_urlsafe(18)
    try:
        with transaction.atomic():
            # Counted and added under a lock of the classroom's row (on SQLite, the write lock
            # the transaction takes first): joins at the same moment cannot overfill it.
            places = (
                Classroom.objects.select_for_update()
                .values_list("max_learners", flat=True)
                .get(pk=classroom.pk)
            )
            if Member.objects.filter(classroom_id=classroom.pk).count() >= places:
                raise full_error(classroom)
            member = Member.objects.create(
                classroom=classroom,
                learner=learner,
                name=display,
                name_key=key,
                pin_hash=pin_hash(classroom, key, secret_pin),
                token_hash=token_hash(token),
            )
    except IntegrityError:  # someone took the name a moment ago
        raise NameTaken(display) from None
    close_designs(classroom, learner_ids=[learner.pk])
    # A new key for the browser that joined: one planted in it before (a shared computer, a
    # sibling site) would otherwise see the learner's PIN and work.
    request.session.cycle_key()
    _enter(request, member)
    return Joined(member, pin=secret_pin, token=token)


def _running_membership(learner, *, but: Classroom) -> Member | None:
    """The learner's membership of another classroom that has not ended, unless they left it."""
    return (
        Member.objects.select_related("classroom")
        .filter(learner=learner, left_at__isnull=True, classroom__ends_at__gt=timezone.now())
        .exclude(classroom=but)
        .first()
    )


def new_rejoin_secrets(*, member: Member) -> tuple[str, str]:
    """A new PIN and rejoin link for a learner who lost theirs (their instructor gives them):
    the old ones stop working, and the wrong PINs tried for the name are forgotten.
    Returns ``(pin, token)``; only their hashes are kept."""
    secret_pin, token = new_pin(), secrets.token_urlsafe(18)
    Member.objects.filter(pk=member.pk).update(
        pin_hash=pin_hash(member.classroom, member.name_key, secret_pin),
        token_hash=token_hash(token),
    )
    ratelimit.forget(f"classroom-pin:{member.pk}")
    return secret_pin, token


def rejoin_with_pin(request: HttpRequest, *, member: Member, pin: str, guesser: Guesser) -> Member:
    limit_key = f"classroom-pin:{member.pk}"
    # Counted before the PIN is checked, not after a wrong one: 40 tries sent at once all found
    # the count still low and 7 were checked, past the limit of 5.
    if not ratelimit.allow(limit_key, PIN_TRIES_PER_MEMBER):
        raise JoinError(
            "Too many wrong PINs for this name. Wait a quarter of an hour or ask your instructor.",
            field="pin",
            status=429,
        )
    cleaned = pin_digits(pin)
    if not is_pin_of(member, cleaned):
        _wrong_guess(guesser)
        raise JoinError(_wrong_pin(member, _pin_tries_left(limit_key)), field="pin", status=403)
    ratelimit.forget(limit_key)  # the right PIN: its try is not a wrong one
    _become(request, member)
    return member


def is_pin_of(member: Member, pin: str) -> bool:
    """Whether ``pin`` (digits) is the member's PIN now: an instructor can give a new one."""
    return constant_time_compare(pin_hash(member.classroom, member.name_key, pin), member.pin_hash)


def _pin_tries_left(limit_key: str) -> int:
    """How many more wrong PINs the name takes before it is locked (for this quarter hour)."""
    return max(PIN_TRIES_PER_MEMBER.count - ratelimit.used(limit_key, PIN_TRIES_PER_MEMBER), 0)


def _wrong_pin(member: Member, left: int) -> str:
    """A wrong PIN: what to check, how many tries are left, and who can give a new one."""
    if left <= 0:
        return (
            f"That PIN does not match “{member.name}”, and it was the last try for now: wait a "
            "quarter of an hour, or ask your instructor for a new PIN."
        )
    tries = "1 try" if left == 1 else f"{left} tries"
    return (
        f"That PIN does not match “{member.name}”. Check the six digits you were shown when "
        f"you first joined ({tries} left), or ask your instructor for a new PIN."
    )


def member_for_token(token: str) -> Member | None:
    if not token or len(token) > 64:
        return None
    member = Member.objects.select_related("classroom").filter(token_hash=token_hash(token))
    return member.first()


def rejoin_with_token(request: HttpRequest, *, token: str) -> Member:
    """Continues as the link's member. A link's secret (18 random bytes) cannot be guessed, so
    only this browser's own wrong guesses hold it up, not its network's; an ended classroom
    answers as joining it with its code and a PIN does (410)."""
    guesser = Guesser.of(request, link=True)
    _guard(guesser, address=False)
    member = member_for_token(token)
    if member is None:
        _wrong_guess(guesser)
        raise JoinError("This rejoin link is not valid.", status=404)
    if member.classroom.has_ended():
        raise ended_error(member.classroom)
    _become(request, member)
    return member


def _become(request: HttpRequest, member: Member) -> None:
    """This browser's session now belongs to the member's learner (a new session key)."""
    request.session.cycle_key()
    request.session[progress.SESSION_KEY] = member.learner_id
    _enter(request, member)


def _enter(request: HttpRequest, member: Member) -> None:
    request.session[SESSION_KEY] = member.pk
    if member.left_at is not None:  # back after leaving: no longer shown as gone
        member.left_at = None
        Member.objects.filter(pk=member.pk).update(left_at=None, changed_at=timezone.now())


def leave(request: HttpRequest) -> None:
    """Stops showing the classroom in this browser; the membership (and the work) stays. A
    raised hand goes down: whoever left is not waiting for the instructor here.

    While the class runs, the browser forgets the learner too (a shared computer: the next
    person must not see or take over their work); the code, the name and the PIN bring it all
    back, as the page says before the learner leaves. After the end, when the class can no
    longer be joined, the learner stays this browser's, with their work."""
    member = current_member(request)
    if member is not None and member.hand_raised_at is not None:
        lower_hands(Member.objects.filter(pk=member.pk))
    request.session.pop(SESSION_KEY, None)
    if member is not None and not member.classroom.has_ended():
        now = timezone.now()
        Member.objects.filter(pk=member.pk).update(left_at=now, changed_at=now)
        request.session.pop(progress.SESSION_KEY, None)
        request.session.cycle_key()


def lower_hands(members) -> None:
    """Lowers the raised hands of ``members`` (a queryset), as the bar and the grid show them."""
    members.update(hand_raised_at=None, hand_message="", changed_at=timezone.now())


def current_member(request: HttpRequest) -> Member | None:
    """The session's membership (with its classroom), or ``None`` — without a query for
    sessions that never joined."""
    member_id = request.session.get(SESSION_KEY)
    learner_id = progress.session_learner_id(request)
    if not isinstance(member_id, int) or learner_id is None:
        return None
    found = Member.objects.select_related("classroom").filter(pk=member_id, learner_id=learner_id)
    return found.first()


def raise_hand(member: Member, *, message: str) -> None:
    member.hand_raised_at = timezone.now()
    member.hand_message = " ".join(message.split())[:200]
    member.changed_at = member.hand_raised_at
    member.save(update_fields=["hand_raised_at", "hand_message", "changed_at"])


def lower_hand(member: Member) -> None:
    member.hand_raised_at = None
    member.hand_message = ""
    member.changed_at = timezone.now()
    member.save(update_fields=["hand_raised_at", "hand_message", "changed_at"])


def messages_for(member: Member, *, limit: int = 5) -> list[Message]:
    """The newest announcements to the class and notes to this learner."""
    found = Message.objects.filter(
        Q(member__isnull=True) | Q(member=member), classroom_id=member.classroom_id
    )
    return list(found[:limit])


def version(member: Member) -> str:
    """Changes whenever what the learner's classroom bar shows may have changed, the end of the
    class included: a class that ends on time changes no row."""
    latest = max(member.changed_at, member.classroom.changed_at)
    ended = "-ended" if member.classroom.has_ended() else ""
    return f"{int(latest.timestamp() * 1_000_000)}{ended}"


def close_designs(classroom: Classroom, *, learner_ids) -> int:
    """Makes the learners' designs of the classroom's exercises read-only from its end on.

    A classroom's results count a learner's designs made before its end, so a design closes at
    the earliest end of the classrooms that count it: joining or extending one classroom never
    reopens a design that another, ended classroom has closed (its results stay frozen), and
    extending an ended classroom reopens only the designs no other ended classroom counts, and
    a learner removed from the classroom gets back the designs only it counted.
    Returns how many designs changed."""
    from podstudio.builder.models import Design

    designs = list(
        Design.objects.filter(
            learner_id__in=learner_ids,
            exercise__in=classroom.exercises,
            created__lt=classroom.ends_at,
        ).only("id", "learner_id", "exercise", "created", "closes_at")
    )
    if not designs:
        return 0
    # Every classroom of these learners: the ends that may close each design.
    ends: dict[tuple[int, str], list] = {}
    memberships = (
        Member.objects.filter(learner_id__in={design.learner_id for design in designs})
        .select_related("classroom")
        .only("learner_id", "classroom__items", "classroom__ends_at")
    )
    for member in memberships:
        for slug in member.classroom.exercises:
            ends.setdefault((member.learner_id, slug), []).append(member.classroom.ends_at)
    # Grouped by their new end: one UPDATE per end and 900 designs (a class's designs share one
    # or two ends), where bulk_update wrote a CASE per row (3-4 s for 24,000 designs).
    changed: dict[Any, list[int]] = {}
    for design in designs:
        counted = [
            end
            for end in ends.get((design.learner_id, design.exercise), [])
            if design.created < end
        ]
        closes_at = min(counted, default=None)  # None: no classroom counts it (any longer)
        if design.closes_at != closes_at:
            changed.setdefault(closes_at, []).append(design.id)
    for closes_at, ids in changed.items():
        for start in range(0, len(ids), 900):
            Design.objects.filter(id__in=ids[start : start + 900]).update(closes_at=closes_at)
    return sum(len(ids) for ids in changed.values())
