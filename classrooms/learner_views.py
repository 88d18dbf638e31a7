"""The learner's side of a classroom: joining, rejoining, the classroom bar and raising a hand.

Learners have no accounts: everything here acts on the session's own membership and learner,
and no parameter can name another learner's.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from classrooms import grid, membership
from classrooms.agenda import agenda
from classrooms.forms import HandForm, JoinForm
from classrooms.membership import JoinError
from classrooms.models import Member, normalize_code, pin_digits
from lessons import progress
from lessons.exercises import DRILL_PREFIX
from podstudio.builder.models import Design
from podstudio.creation_limits import TooMany

REJOIN_KEY = "classroom_rejoin"  # the PIN and link shown at joining, kept for this browser
# A Raise or Lower posted without JavaScript: the page it goes back to says it worked, once.
HAND_SAID_KEY = "classroom_hand_said"
NO_CHANGE = 204  # htmx swaps nothing


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, code: str = "") -> HttpResponse:
    """``/join/`` (and the join link ``/join/<code>/``): a code and a display name."""
    if request.method in ("GET", "HEAD"):
        code = normalize_code(code or request.GET.get("code", ""))
        form = JoinForm(initial={"code": code})
        # A join link (or QR code) of an ended, full or unknown classroom says so at once.
        closed = membership.why_not_open(request, code) if code else None
        if closed is None:
            return render(request, "classrooms/join.html", {"form": form})
        context = {"form": form, "closed": closed, "ended": closed.status == 410}
        context["ask_pin"] = closed.status == 409  # a full class: rejoining still works
        return render(request, "classrooms/join.html", context, status=closed.status)
    form = JoinForm(request.POST)
    context: dict = {"form": form}
    if not form.is_valid():
        return render(request, "classrooms/join.html", context, status=400)
    data = form.cleaned_data
    try:
        joined = membership.join(request, code=data["code"], name=data["name"], pin=data["pin"])
    except JoinError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        context["ask_pin"] = isinstance(exc, membership.NameTaken) or exc.field == "pin"
        return render(request, "classrooms/join.html", context, status=exc.status)
    except TooMany as exc:  # this network's joins for the hour: said on the form, kept filled in
        form.add_error(None, str(exc))
        response = render(request, "classrooms/join.html", context, status=429)
        response["Retry-After"] = str(exc.wait)
        return response
    if joined.pin:
        link = reverse("classrooms:rejoin", args=[joined.token])
        request.session[REJOIN_KEY] = {
            "member": joined.member.pk,
            "pin": joined.pin,
            "link": request.build_absolute_uri(link),
        }
    elif data["pin"] and not joined.already:  # came back with the PIN: it is shown again
        pin = pin_digits(data["pin"])
        request.session[REJOIN_KEY] = {"member": joined.member.pk, "pin": pin, "link": ""}
        messages.success(request, _welcome_back(joined.member))
    return redirect(reverse("classrooms:mine") + ("?welcome=1" if joined.pin else ""))


@never_cache  # it carries a rejoin token
@require_http_methods(["GET", "HEAD", "POST"])
def rejoin(request: HttpRequest, token: str) -> HttpResponse:
    """The personal rejoin link: confirm, then this browser continues as that learner."""
    if request.method in ("GET", "HEAD"):
        member = membership.member_for_token(token)
        if member is None:
            raise Http404("This rejoin link is not valid.")
        if member.classroom.has_ended():
            error = membership.ended_error(member.classroom)
            return render(request, "classrooms/rejoin.html", {"error": str(error)}, status=410)
        return render(request, "classrooms/rejoin.html", {"member": member, "token": token})
    try:
        member = membership.rejoin_with_token(request, token=token)
    except JoinError as exc:
        return render(request, "classrooms/rejoin.html", {"error": str(exc)}, status=exc.status)
    messages.success(request, _welcome_back(member))
    return redirect("classrooms:mine")


def _welcome_back(member: Member) -> str:
    classroom = member.classroom.title
    return f"Welcome back, {member.name}: your work in “{classroom}” is as you left it."


def _member_or_join(request: HttpRequest) -> Member | HttpResponse:
    member = membership.current_member(request)
    if member is None:
        return redirect("classrooms:join")
    return member


@never_cache  # it shows the learner's PIN and rejoin link
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The learner's classroom page: the agenda with their progress, messages, their hand."""
    member = _member_or_join(request)
    if isinstance(member, HttpResponse):
        return member
    # The learner's own row of the instructor's grid: "Done" means what it counts as done
    # there (a quiz answered through, an exercise finished before the end), the cell's words
    # say the rest ("Lesson read, quiz not started", "2 of 3 goals").
    cells = grid.build(member.classroom, member_id=member.pk).rows[0].cells
    rows = [
        {"item": cell.item, "done": cell.done_at is not None, "detail": cell.detail}
        for cell in cells
    ]
    rejoin_info = _kept_rejoin(request, member)
    context = {
        "member": member,
        "classroom": member.classroom,
        "rows": rows,
        "messages_list": membership.messages_for(member, limit=20),
        "rejoin": rejoin_info,
        "welcome": "welcome" in request.GET,
        "hand_form": HandForm(),
    }
    return render(request, "classrooms/mine.html", context)


@require_safe
def exercise(request: HttpRequest, slug: str) -> HttpResponse:
    """An agenda link to an exercise: the learner's latest design of it, or a new one."""
    return _latest_or_new(request, slug)


@require_safe
def drill(request: HttpRequest, slug: str) -> HttpResponse:
    """An agenda link to a drill: the learner's latest design of it, or its broken Pod."""
    return _latest_or_new(request, DRILL_PREFIX + slug)


def _latest_or_new(request: HttpRequest, exercise: str) -> HttpResponse:
    learner_id = progress.session_learner_id(request)
    designs = Design.objects.filter(learner_id=learner_id, exercise=exercise).order_by("-updated")
    design = designs.only("slug").first() if learner_id is not None else None
    if design is not None:
        return redirect("builder:design", slug=design.slug)
    return redirect(reverse("builder:start") + "?" + urlencode({"exercise": exercise}))


@require_POST
def hand(request: HttpRequest) -> HttpResponse:
    """Raises the learner's hand (with an optional message), or lowers it (``lower``)."""
    member = _member_or_join(request)
    if isinstance(member, HttpResponse):
        return member
    if member.classroom.has_ended():
        # The ended bar, swapped in (htmx would not swap a 409): it says the class has ended.
        return _bar_or_back(request, member)
    if "lower" in request.POST:
        membership.lower_hand(member)
    else:
        form = HandForm(request.POST)
        if not form.is_valid():  # (the page's maxlength stops a browser before this)
            refusal = "Your message is longer than 200 characters: shorten it and raise your hand."
            if request.htmx:
                return _render_bar(request, member, hand_error=refusal)
            messages.error(request, refusal)
            return _bar_or_back(request, member)
        membership.raise_hand(member, message=form.cleaned_data["message"])
    if not request.htmx:
        request.session[HAND_SAID_KEY] = member.pk
    return _bar_or_back(request, member)


def _bar_or_back(request: HttpRequest, member: Member, status: int = 200) -> HttpResponse:
    if request.htmx:
        return _render_bar(request, member, status=status)
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("classrooms:mine")
    return redirect(back)


def _render_bar(
    request: HttpRequest, member: Member, status: int = 200, hand_error: str = ""
) -> HttpResponse:
    # Its forms send a browser without JavaScript back to the page the bar is on, not to the
    # URL of this answer (a GET of /classroom/hand is a 405).
    back = request.htmx.current_url_abs_path if request.htmx else None
    context = {
        "bar": bar_context(member),
        "request": request,
        "back": back or "",
        "bar_answer": True,
        "hand_error": hand_error,
    }
    return render(request, "classrooms/_bar.html#bar", context, status=status)


def bar_context(member: Member) -> dict:
    """What the classroom bar on every page shows a joined learner."""
    messages = membership.messages_for(member)
    return {
        "member": member,
        "classroom": member.classroom,
        "ended": member.classroom.has_ended(),
        "agenda": agenda(member.classroom),
        "messages": messages,
        "latest": messages[0] if messages else None,
        "version": membership.version(member),
        "hand_form": HandForm(),
    }


REOPEN_WATCH = "reopened"  # the query of an ended bar's slow poll


@never_cache
@require_safe
def bar(request: HttpRequest) -> HttpResponse:
    """The bar's poll: nothing (204) unless something the bar shows has changed since ``v``."""
    member = membership.current_member(request)
    if member is None:
        return HttpResponse(status=286)  # htmx stops polling: not in a classroom any more
    if REOPEN_WATCH in request.GET:
        # An ended class's page asks now and then whether it was reopened: if so, the page is
        # drawn anew (the bar polls again, the builder's design is no longer read-only).
        if member.classroom.has_ended():
            return HttpResponse(status=NO_CHANGE)
        return HttpResponse(headers={"HX-Refresh": "true"})
    if request.GET.get("v") == membership.version(member):
        return HttpResponse(status=NO_CHANGE)
    if not request.htmx:
        return redirect("classrooms:mine")
    # An ended class's bar changes no more: htmx swaps this last answer and stops polling.
    return _render_bar(request, member, status=286 if member.classroom.has_ended() else 200)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """Leaves the class in this browser (the class page asks first, with what it takes to come
    back), then says so, again with the code, the name and the PIN if this browser has it."""
    member = membership.current_member(request)
    kept = _kept_rejoin(request, member) if member is not None else None
    membership.leave(request)
    request.session.pop(REJOIN_KEY, None)
    if member is not None:
        messages.success(request, _left(member, kept["pin"] if kept else ""))
    return redirect("lessons:index")


def _kept_rejoin(request: HttpRequest, member: Member) -> dict | None:
    """The PIN (and link) this browser was shown for ``member``, while they still work: once
    the instructor has given a new PIN, the old one is forgotten rather than shown."""
    kept = request.session.get(REJOIN_KEY)
    if not kept or kept.get("member") != member.pk:
        return None
    if not membership.is_pin_of(member, kept.get("pin", "")):
        request.session.pop(REJOIN_KEY, None)
        return None
    return kept


def _left(member: Member, pin: str) -> str:
    classroom = member.classroom
    if classroom.has_ended():
        return f"You left “{classroom.title}” in this browser. Your work stays."
    secret = (
        f"your rejoin PIN {pin}" if pin else "your rejoin PIN (your instructor can give a new one)"
    )
    return (
        f"You left “{classroom.title}” in this browser. Your work stays. To come back, join "
        f"with the code {classroom.code}, the name “{member.name}” and {secret}."
    )
