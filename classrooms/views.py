"""The instructor's side: classrooms, the live class grid, a learner's work, and the export.

Every view here needs a signed-in user, and every view of one classroom finds it only among
that user's own classrooms while they have the instructor role (superusers see all): anyone
else gets a 404, as for a code that does not exist. htmx requests get fragments; every form
also works as a plain post.
"""

import io
import json

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from classrooms import actions, agenda, export, grid, grid_html, membership
from classrooms import sandbox as class_sandbox
from classrooms.forms import ExtendForm, MessageForm, NewClassroomForm, PlacesForm, ThresholdsForm
from classrooms.models import Classroom, Member, Message, normalize_code
from podstudio.builder import services
from podstudio.builder.models import Design
from podstudio.sandbox.client import SandboxUnavailable, is_configured
from podstudio.templatetags.clock import clock_text

STOP_POLLING = 286  # htmx stops an `every 2s` trigger when it gets this status


def _classroom_or_404(request: HttpRequest, code: str) -> Classroom:
    """The classroom with this code, if the user may open it (``actions.classrooms_of``)."""
    classroom = actions.classrooms_of(request.user).filter(code=normalize_code(code)).first()
    if classroom is None:
        raise Http404("You have no classroom with this code.")
    return classroom


def _member_or_404(classroom: Classroom, member_id: int) -> Member:
    member = Member.objects.filter(classroom=classroom, pk=member_id).first()
    if member is None:
        raise Http404("This learner is not in the classroom.")
    return member


def _join_url(request: HttpRequest, classroom: Classroom) -> str:
    return request.build_absolute_uri(reverse("classrooms:join-code", args=[classroom.code]))


def _back_to(request: HttpRequest, url: str, fragment: str = "") -> HttpResponse:
    return redirect(url + (f"#{fragment}" if fragment else ""))


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "classrooms": actions.classrooms_of(request.user)[:100],
        "can_create": actions.is_instructor(request.user),
        "now": timezone.now(),
    }
    return render(request, "classrooms/index.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if not actions.is_instructor(request.user):
        raise PermissionDenied("Only instructors can create classrooms.")
    form = NewClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        classroom = actions.create_classroom(
            title=form.cleaned_data["title"],
            instructor=request.user,
            items=form.items,
            minutes=form.cleaned_data["minutes"],
            max_learners=form.cleaned_data["max_learners"],
        )
        return redirect("classrooms:detail", code=classroom.code)
    picked = set(request.POST.getlist("items"))
    rows = [
        {
            **row,
            "order": request.POST.get(f"order-{row['lesson'].slug}", ""),
            "lesson_picked": f"lesson:{row['lesson'].slug}" in picked,
            "exercise_picked": row["exercise"] is not None
            and f"exercise:{row['exercise'].slug}" in picked,
            "drills": [(drill, f"drill:{drill.slug}" in picked) for drill in row["drills"]],
        }
        for row in agenda.choices()
    ]
    context = {"form": form, "choices": rows}
    return render(request, "classrooms/new.html", context, status=400 if form.errors else 200)


def _grid_context(request: HttpRequest, classroom: Classroom, class_grid: grid.Grid) -> dict:
    learners_url = grid_html.learners_url(classroom.code)
    return {
        "classroom": classroom,
        "grid": class_grid,
        "ended": classroom.has_ended(class_grid.now),
        "join_url": _join_url(request, classroom),
        # the learners' pages, by member id (a reverse() for each of many rows is slow)
        "learners_url": learners_url,
        "stuck_html": grid_html.stuck_html(class_grid.stuck_rows, learners_url),
    }


@login_required
@never_cache
@require_safe
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """The live class grid, with the join code, announcements and the classroom's settings."""
    classroom = _classroom_or_404(request, code)
    class_grid = grid.build(classroom)
    context = _grid_context(request, classroom, class_grid)
    context.update(
        rows_html=grid_html.rows_html(class_grid.rows, classroom.code),
        announcements=Message.objects.filter(classroom=classroom, member__isnull=True)[:10],
        message_form=MessageForm(),
        extend_form=ExtendForm(),
        thresholds_form=ThresholdsForm(
            initial={
                "stuck_minutes": classroom.stuck_minutes,
                "same_error_minutes": classroom.same_error_minutes,
                "same_error_edits": classroom.same_error_edits,
                "idle_minutes": classroom.idle_minutes,
            }
        ),
        sandbox_configured=is_configured(),
    )
    return render(request, "classrooms/detail.html", context)


@login_required
@never_cache
@require_POST
def refresh(request: HttpRequest, code: str) -> HttpResponse:
    """The grid's poll: only what changed since what the page shows (``shown``), as
    out-of-band swaps; nothing at all when nothing did. A constant number of queries."""
    classroom = _classroom_or_404(request, code)
    if not request.htmx:
        return redirect("classrooms:detail", code=classroom.code)
    class_grid = grid.build(classroom)
    drawn = request.POST.get("drawn")
    if drawn in ("ended", "running") and (drawn == "ended") != classroom.has_ended(class_grid.now):
        # Ended (or reopened) since the page was drawn: its Time panel would still offer to end
        # the class (or say it had ended), so the whole page is drawn again.
        return HttpResponse(headers={"HX-Refresh": "true"})
    changes = class_grid.changes(request.POST.get("shown", ""))
    context = _grid_context(request, classroom, class_grid)
    context.update(
        summary_changed=changes.summary,
        redraw_html=grid_html.oob_rows_html(changes.redraw, classroom.code),
        added_html=grid_html.rows_html(changes.added, classroom.code),
        removed_html=grid_html.removed_rows_html(changes.removed),
    )
    response = render(request, "classrooms/detail.html#refresh", context)
    if context["ended"] and not any(changes):
        response.status_code = STOP_POLLING
    return response


@never_cache  # a learner's work, and their new PIN after "New PIN"
@login_required
@require_safe
def learner(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    """One learner's work, read-only: their designs of the class's exercises, their messages,
    and their sandbox Pods."""
    classroom = _classroom_or_404(request, code)
    member = _member_or_404(classroom, member_id)
    row = grid.build(classroom, member_id=member.pk).rows[0]
    # The newest design of each exercise, read without its content (a learner may have made
    # hundreds, each up to 1 MiB); only the one shown is read whole.
    designs = {
        design.exercise: design
        for design in Design.objects.filter(
            learner_id=member.learner_id,
            exercise__in=classroom.exercises,
            created__lt=classroom.ends_at,
        )
        .only("id", "exercise", "updated")
        .order_by("updated", "id")
    }
    exercises = [item for item in agenda.agenda(classroom) if item.built]
    chosen = request.GET.get("exercise") or _latest(designs)
    design = Design.objects.get(pk=designs[chosen].pk) if chosen in designs else None
    others = list(Member.objects.filter(classroom=classroom).values_list("pk", "name"))
    place = next(index for index, (pk, _) in enumerate(others) if pk == member.pk)
    context = {
        "classroom": classroom,
        "member": member,
        # The learners before and after, in the grid's order: an instructor goes down the list.
        "previous_member": others[place - 1] if place > 0 else None,
        "next_member": others[place + 1] if place + 1 < len(others) else None,
        "row": row,
        "exercises": exercises,
        "designs": designs,
        "chosen": chosen,
        "design": design,
        "notes": Message.objects.filter(member=member)[:20],
        "message_form": MessageForm(),
        "sandbox_configured": is_configured(),
        "ended": classroom.has_ended(),
    }
    if design is not None:
        context["preview"] = services.make_preview(
            design.manifest, exercise=design.exercise, design=design
        )
        context["download_url"] = services.download_url(design.slug)
        # "Go to field" opens the learner's design in the builder at the field (no form here).
        context["field_page"] = reverse("builder:design", args=[design.slug])
        # There the instructor's first keystroke makes a copy of their own: the link says so.
        context["field_link"] = "Open a copy at the field"
    if is_configured():
        try:
            context["sandbox"] = class_sandbox.learner_sandbox(
                member.name, member.learner.key, classroom.code
            )
        except SandboxUnavailable as exc:
            context["sandbox_error"] = str(exc)
    return render(request, "classrooms/learner.html", context)


def _latest(designs: dict) -> str:
    if not designs:
        return ""
    return max(designs.values(), key=lambda design: design.updated).exercise


def _learner_url(classroom: Classroom, member: Member, exercise: str = "") -> str:
    url = reverse("classrooms:learner", args=[classroom.code, member.pk])
    return f"{url}?exercise={exercise}" if exercise else url


def _not_sent(form: MessageForm, what: str) -> str:
    """Why a hint or an announcement was not sent: nothing written, or what is wrong with it
    (too long, a null character pasted in)."""
    if not form.data.get("text", "").strip():
        return f"Write the {what} first (up to 1000 characters)."
    return f"The {what} was not sent: {' '.join(form.errors.get('text', []))}"


@login_required
@require_POST
def hint(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    classroom = _classroom_or_404(request, code)
    member = _member_or_404(classroom, member_id)
    form = MessageForm(request.POST)
    exercise = request.POST.get("exercise", "")
    exercise = exercise if exercise in classroom.exercises else ""
    if classroom.has_ended():  # (a page opened before the end still shows the form)
        messages.error(
            request, f"Not sent: the classroom has ended, so {member.name} sees no more hints."
        )
    elif form.is_valid():
        actions.send_hint(
            member=member, text=form.cleaned_data["text"], exercise=exercise, user=request.user
        )
        messages.success(request, f"Hint sent to {member.name}: it shows in their bar.")
    else:
        messages.error(request, _not_sent(form, "hint"))
    return _back_to(request, _learner_url(classroom, member, exercise), "notes")


@login_required
@require_POST
def reset(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    classroom = _classroom_or_404(request, code)
    member = _member_or_404(classroom, member_id)
    exercise = request.POST.get("exercise", "")
    if exercise not in classroom.exercises:
        raise Http404("That exercise is not part of this classroom.")
    if classroom.has_ended():
        raise PermissionDenied("The classroom has ended: its work is read-only.")
    titles = {item.design_key: item.title for item in agenda.agenda(classroom)}
    if exercise not in titles:  # (gone from the course since the class was made)
        raise Http404("That exercise is not part of this classroom.")
    title = titles[exercise]
    if actions.reset_exercise(member=member, exercise=exercise, user=request.user) is None:
        messages.info(request, f"{member.name} has not started “{title}”: nothing to reset.")
    else:
        messages.success(
            request, f"“{title}” is back at its starting Pod for {member.name}, who is told."
        )
    return _back_to(request, _learner_url(classroom, member, exercise))


@login_required
@require_POST
def new_pin(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    """A new rejoin PIN and link for a learner who lost theirs, shown once to the instructor
    (only their hashes are kept); the old ones stop working."""
    classroom = _classroom_or_404(request, code)
    member = _member_or_404(classroom, member_id)
    if classroom.has_ended():
        raise PermissionDenied("The classroom has ended: nobody can rejoin it.")
    pin, token = membership.new_rejoin_secrets(member=member)
    link = request.build_absolute_uri(reverse("classrooms:rejoin", args=[token]))
    messages.success(
        request,
        f"New rejoin PIN for {member.name}: {pin} (with the code {classroom.code} and the name "
        f"“{member.name}”), or the link {link}. Their old PIN and link no longer work. Shown "
        "this once: give it to them now.",
    )
    return _back_to(request, _learner_url(classroom, member), "rejoin")


@login_required
@require_POST
def places(request: HttpRequest, code: str) -> HttpResponse:
    """How many learners may join: more for a class that is full, fewer to close it to
    strangers once everyone is in (those in keep their places)."""
    classroom = _classroom_or_404(request, code)
    form = PlacesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The places were not changed: give a whole number from 1 to 1000.")
    else:
        classroom.max_learners = form.cleaned_data["max_learners"]
        classroom.save(update_fields=["max_learners"])
        joined = classroom.members.count()
        messages.info(
            request,
            f"Up to {classroom.max_learners} learners may join ({joined} in the class now).",
        )
    return _back_to(request, reverse("classrooms:detail", args=[classroom.code]), "time")


@login_required
@require_POST
def remove_learner(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    """Takes someone out of the class: a name joined by mistake, twice, or by someone who was
    not invited (anyone with the code can join, and fill the class). Their own designs stay
    theirs; with the code they can join again, as a new member."""
    classroom = _classroom_or_404(request, code)
    member = _member_or_404(classroom, member_id)
    learner_key = member.learner.key
    actions.remove_member(member=member)
    messages.success(
        request,
        f"{member.name} is no longer in this class (their own designs stay theirs). With the "
        "code, they could join again: end the class, or give its code only to your learners.",
    )
    if is_configured():
        try:
            class_sandbox.release(learner_key, classroom.code)
        except SandboxUnavailable:
            messages.warning(
                request,
                "The sandbox cluster did not answer: their namespace is still listed under this "
                "class until they next use the sandbox.",
            )
    return redirect("classrooms:detail", code=classroom.code)


@login_required
@require_POST
def lower_hand(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    classroom = _classroom_or_404(request, code)
    member = _member_or_404(classroom, member_id)
    actions.lower_hand(member=member)
    messages.success(request, f"Lowered {member.name}’s hand.")
    if request.POST.get("from") == "grid":
        return _back_to(request, reverse("classrooms:detail", args=[classroom.code]))
    return _back_to(request, _learner_url(classroom, member))


@login_required
@require_POST
def announce(request: HttpRequest, code: str) -> HttpResponse:
    classroom = _classroom_or_404(request, code)
    form = MessageForm(request.POST)
    if form.is_valid():
        actions.announce(classroom=classroom, text=form.cleaned_data["text"], user=request.user)
        messages.success(request, "Announced: it shows in every learner’s bar.")
    else:
        messages.error(request, _not_sent(form, "announcement"))
    return _back_to(request, reverse("classrooms:detail", args=[classroom.code]), "announce")


@login_required
@require_POST
def end(request: HttpRequest, code: str) -> HttpResponse:
    classroom = _classroom_or_404(request, code)
    if not classroom.has_ended():
        actions.end_classroom(classroom=classroom)
        messages.success(
            request,
            f"The classroom ended at {clock_text(classroom.ends_at)}: nobody can join, and its "
            "learners' work is read-only.",
        )
    return _back_to(request, reverse("classrooms:detail", args=[classroom.code]))


@login_required
@require_POST
def extend(request: HttpRequest, code: str) -> HttpResponse:
    classroom = _classroom_or_404(request, code)
    form = ExtendForm(request.POST)
    if form.is_valid():
        reopened = classroom.has_ended()
        actions.extend_classroom(classroom=classroom, minutes=form.cleaned_data["minutes"])
        said = "Reopened" if reopened else "Extended"
        ends = clock_text(classroom.ends_at)
        messages.success(request, f"{said}: the classroom now ends at {ends}.")
    else:
        messages.error(request, "Extend by a whole number of minutes, from 1 to 1440.")
    return _back_to(request, reverse("classrooms:detail", args=[classroom.code]))


@login_required
@require_POST
def thresholds(request: HttpRequest, code: str) -> HttpResponse:
    classroom = _classroom_or_404(request, code)
    form = ThresholdsForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "The thresholds were not changed: each must be a whole number of minutes from 1 to "
            "240 (edits in a row: 1 to 1000).",
        )
    else:
        actions.update_thresholds(classroom=classroom, **form.cleaned_data)
        messages.info(request, "The stuck rule's thresholds are saved.")
    return _back_to(request, reverse("classrooms:detail", args=[classroom.code]), "stuck-rule")


@never_cache  # every learner's results
@login_required
@require_safe
def results(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """``results.csv`` and ``results.json``: learners × items."""
    classroom = _classroom_or_404(request, code)
    filename = f"classroom-{classroom.code}-results.{fmt}"
    if fmt == "json":
        body = json.dumps(export.as_json(classroom), indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json")
    else:
        response = HttpResponse(export.as_csv(classroom), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def qr(request: HttpRequest, code: str) -> HttpResponse:
    """The join link as a QR code, drawn as SVG on the server."""
    classroom = _classroom_or_404(request, code)
    buffer = io.BytesIO()
    segno.make(_join_url(request, classroom), error="m").save(
        buffer,
        kind="svg",
        scale=8,
        border=2,
        dark="#000",
        light="#fff",
        xmldecl=False,
        title=f"Join {classroom.code}",
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
@require_safe
def join_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """The join code, link and QR code, large, for a projector."""
    classroom = _classroom_or_404(request, code)
    context = {"classroom": classroom, "join_url": _join_url(request, classroom)}
    return render(request, "classrooms/join_sheet.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sandbox(request: HttpRequest, code: str) -> HttpResponse:
    """Every sandbox namespace of the classroom, with its Pods; POST deletes them all."""
    classroom = _classroom_or_404(request, code)
    context: dict = {"classroom": classroom, "configured": is_configured()}
    if not is_configured():
        return render(
            request,
            "classrooms/sandbox.html",
            context,
            status=503 if request.method == "POST" else 200,
        )
    try:
        if request.method == "POST":
            deleted = class_sandbox.delete_all(classroom)
            count = len(deleted)
            messages.success(
                request,
                f"{count} namespace{'' if count == 1 else 's'} deleted: "
                "their Pods stop within a minute.",
            )
            # Back to the page by GET: a reload does not delete again.
            return redirect(reverse("classrooms:sandbox", args=[classroom.code]))
        members = list(classroom.members.values_list("name", "learner__key"))
        context["namespaces"] = class_sandbox.overview(classroom, members)
    except SandboxUnavailable as exc:
        context["error"] = str(exc)
    return render(request, "classrooms/sandbox.html", context)
