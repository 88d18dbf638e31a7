"""The Pod builder: start a design, edit it in a form with a live preview, import and export it.

Every htmx request is also a plain request that works without JavaScript: the form posts to the
preview URL; htmx gets partials back, a browser without JavaScript is redirected to the page.
"""

import json
import re

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import push_url, reswap, retarget

from classrooms.context_processors import classroom as classroom_bar
from classrooms.models import Member
from lessons.models import Learner
from lessons.progress import current_learner, session_learner_id
from lessons.templatetags.lessons_tags import exercise_lesson_slug, is_drill, next_step_link
from podstudio.builder import errorplaces, files, place, saving, services, undo
from podstudio.builder.edit import field_id
from podstudio.builder.formfields import page_docs
from podstudio.builder.models import Design
from podstudio.builder.workloads import (
    CLUSTER_ACTION,
    KIND_ACTION,
    KIND_CHOICES,
    SELECTOR_ACTION,
    VERSION_ACTION,
    apply_design_form,
    build_design_form,
    design_kind,
)
from podstudio.engine.documents import is_json
from podstudio.engine.findings import cluster_written
from podstudio.engine.kinds import document_path, removed_version
from podstudio.engine.yamlio import MAX_BYTES, ManifestError, encode_wide

NOT_SAVED_HEADER = "Podstudio-Not-Saved"
_SLOT_IDS = re.compile(r"[A-Za-z0-9_-]{1,300}")


def _learner(request: HttpRequest) -> Learner:
    """The learner who will own a new design, made (with their session) on first use."""
    learner = current_learner(request, create=True)
    assert learner is not None
    return learner


def _start_page(
    request: HttpRequest,
    *,
    text: str = "",
    error: str = "",
    status: int = 200,
    offer_split: bool = False,
    upload_name: str | None = None,
):
    """The start page; ``error``: why an import was refused, said at the paste box, or at the
    file input when ``upload_name`` names the uploaded file it came from."""
    learner_id = session_learner_id(request)
    recent = list(Design.objects.filter(learner_id=learner_id)[:8]) if learner_id else []
    exercises = services.exercises_module()
    classrooms = _classrooms_of(learner_id) if any(d.exercise for d in recent) else []
    for design in recent:  # "Set requests and limits": two designs of one name told apart
        found = exercises and exercises.catalog.course().exercises.get(design.exercise or "")
        design.exercise_title = found.title if found else ""
        design.kept_for = _counting_classroom(design, classrooms)  # no Delete: a class counts it
    context = {
        "gallery": services.gallery(),
        "recent": recent,
        "import_text": text,
        "import_error": error,
        "import_upload": upload_name,
        "offer_split": offer_split,
        "max_upload_bytes": MAX_BYTES,
    }
    return render(request, "builder/start.html", context, status=status)


@require_safe
def new(request: HttpRequest) -> HttpResponse:
    """Start here: a blank Pod, a pattern from the gallery, or an import."""
    return _start_page(request)


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Creates a design and sends the learner to its permalink.

    GET serves the links lessons use (``?example=<name>``, ``?exercise=<slug>``); the start page's
    own buttons POST (``blank`` or ``gallery=<name>``), and so does the button of the page a link
    from another site shows (``example`` or ``exercise``).
    """
    params = request.POST if request.method == "POST" else request.GET
    exercise, title = "", ""
    if request.method == "POST" and "blank" in params:
        manifest = services.BLANK_POD
    elif request.method == "POST" and "gallery" in params:
        manifest = services.gallery_manifest(params["gallery"])
        if manifest is None:
            raise Http404("There is no such pattern in the gallery.")
    elif "example" in params:
        manifest = services.example_manifest(params["example"])
        if manifest is None:
            raise Http404("There is no lesson example with that name.")
        title = f"the lesson example “{params['example']}”"
    elif "exercise" in params:
        module = services.exercises_module()
        if module is None:
            raise Http404("Exercises are not available yet.")
        exercise = params["exercise"]
        try:
            exercise_title, manifest = module.exercise_start(exercise)
        except KeyError:
            raise Http404("There is no exercise with that name.") from None
        title = f"the exercise “{exercise_title}”"
    else:
        return redirect("builder:new")
    if request.method == "GET" and _sent_from_another_site(request):
        # A link on another site, or an <img> there (no click, no cookie): a design and a
        # learner are made only with this site's own button, so no page can spend a
        # network's creation limit (or fill the database) by being visited.
        field = "exercise" if exercise else "example"
        context = {"title": title, "field": field, "value": params[field]}
        return render(request, "builder/start_from_link.html", context)
    if exercise and (resumed := _class_design(request, exercise)) is not None:
        return redirect("builder:design", slug=resumed)
    design = services.create_design(manifest=manifest, learner=_learner(request), exercise=exercise)
    return redirect("builder:design", slug=design.slug)


def _class_design(request: HttpRequest, exercise: str) -> str | None:
    """The learner's design of ``exercise`` that a running classroom of theirs counts (its
    latest), if there is one: a lesson's "Start the exercise" in class resumes it, as the
    class's agenda does, rather than start a blank copy that the grid would show instead."""
    learner_id = session_learner_id(request)
    if learner_id is None:
        return None
    running = [
        classroom
        for classroom in _classrooms_of(learner_id)
        if exercise in classroom.exercises and not classroom.has_ended()
    ]
    if not running:
        return None
    designs = Design.objects.filter(learner_id=learner_id, exercise=exercise).order_by("-updated")
    for design in designs.only("slug", "exercise", "learner_id", "created")[:20]:
        if _counting_classroom(design, running) is not None:
            return design.slug
    return None


def _sent_from_another_site(request: HttpRequest) -> bool:
    """Whether the browser says the request comes from another site (``Sec-Fetch-Site``);
    browsers that do not say, and curl, are taken at their word."""
    return request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")


@require_POST
def import_yaml(request: HttpRequest) -> HttpResponse:
    """Reads a pasted or uploaded file (any number of documents) into a new design that edits
    its first Pod or workload; unreadable input is explained in place."""
    upload = request.FILES.get("upload")
    # A browser sends a textarea's lines ended by CRLF whatever was pasted (the HTML standard
    # says so), and the design keeps the imported text: pasted text keeps Unix line ends.
    # An uploaded file keeps its own bytes.
    text = request.POST.get("yaml", "").replace("\r\n", "\n")
    if upload is not None and upload.size > MAX_BYTES:
        error = f"the file is larger than {MAX_BYTES // 1024} KiB, the most a design can be"
        return _start_page(request, text=text, error=error, status=400, upload_name=upload.name)
    data: str | bytes = upload.read() if upload else text
    try:
        if "split_lists" in request.POST:  # the List's items, each a document of its own
            data = text = files.lists_as_documents(files.read_text(data))
        imported = files.import_text(data)
        if problem := services.unstorable_document(imported.manifest):
            raise ManifestError(problem)
    except ManifestError as exc:
        error = str(exc)
        if upload and not text:
            text = _as_text(data)  # shown in the box, to fix or to split as a List
        elif upload:  # the page comes back without the file: Import now reads the text
            error += ". The file was read, not the pasted text: press Import to import the text"
        return _start_page(
            request,
            text=text.replace("\x00", ""),
            error=error,
            status=400,
            offer_split=isinstance(exc, files.ListToSplit),
            upload_name=upload.name if upload else None,  # (the file is what was read)
        )
    design = services.create_design(
        manifest=imported.manifest,
        learner=_learner(request),
        source=imported.source,
        document=imported.document,
        source_encoding=imported.encoding,
    )
    _say_document(request, design)
    return redirect("builder:design", slug=design.slug)


def _say_document(request: HttpRequest, design: Design) -> None:
    """Which document of a file of several the builder now edits: said (and focused) at the
    top of the page it draws, where a reload would leave a keyboard user with nothing said."""
    documents = files.document_list(design)
    for document in documents:
        if document.current:
            name = f" {document.name}" if document.name else ""
            messages.info(
                request,
                f"Editing document {document.index + 1} of {len(documents)}: "
                f"{document.kind}{name}. The other documents are kept as they are.",
            )


def _as_text(data: str | bytes) -> str:
    """An uploaded file's text as the reader reads it (UTF-16 too), else as UTF-8 with its
    broken bytes replaced."""
    if isinstance(data, str):
        return data
    try:
        return files.read_text(data)
    except ManifestError:
        return data.decode("utf-8", "replace")


def _design_context(
    request: HttpRequest, design: Design, preview=None, form=None, notes=None, message=""
) -> dict:
    form = (
        form if form is not None else build_design_form(design.manifest, authored=design.authored)
    )
    preview = preview or errorplaces.preview(
        design.manifest, exercise=design.exercise, design=design
    )
    services.attach_errors(form, preview.errors_by_slot)
    place.attach_notes(form, notes or {})
    permalink = request.build_absolute_uri(reverse("builder:design", args=[design.slug]))
    return {
        "download_url": services.download_url(design.slug),
        "design": design,
        "form": form,
        "preview": preview,
        "permalink": permalink,
        "is_owner": _is_owner(request, design),
        "is_closed": design.is_closed(),
        "exercise_title": _exercise_title(design.exercise),
        "documents": preview.documents,
        "kind": design_kind(design.manifest).name,
        # An imported ReplicaSet or ReplicationController is offered as itself too.
        "kind_choices": tuple(dict.fromkeys([*KIND_CHOICES, design_kind(design.manifest).name])),
        "kind_action": KIND_ACTION,
        "old_version": removed_version(design.manifest),
        "version_action": VERSION_ACTION,
        "cluster_written": cluster_written(design.manifest),
        "cluster_action": CLUSTER_ACTION,
        "api_version": design_kind(design.manifest).api_version,
        "field_docs": page_docs(design.manifest, settings.PODSTUDIO_K8S_VERSION),
        "undo": place.pending_undo(request.session, design.slug),
        "status_message": message,
        # Undo beside the status line that announced a change of kind
        "kind_undo": undo.offered(request.session, design.slug, design.manifest, message),
        "goal_progress": _goal_progress(request, design, preview),
    }


def _goal_progress(request: HttpRequest, design: Design, preview, bar=None) -> dict:
    """The goals met for the status bar ("Goals 3/5"), and once all are, where to go next
    (worked out only if the bar is drawn: the classroom's agenda may take a query)."""
    if not preview.goals:
        return {}
    met = sum(1 for goal in preview.goals if goal.get("status") == "pass")

    def next_step() -> dict:
        agenda = bar if bar is not None else classroom_bar(request)["classroom_bar"]
        lesson = exercise_lesson_slug(design.exercise)
        return next_step_link({"classroom_bar": agenda}, lesson, design.exercise)

    return {
        "met": met,
        "total": len(preview.goals),
        "done": met == len(preview.goals),
        "drill": is_drill(design.exercise),
        "next_step": next_step,  # called by the template, only when it is shown
    }


def _is_owner(request: HttpRequest, design: Design) -> bool:
    """Whether this request may edit ``design`` in place: its learner's, and not closed."""
    return (
        design.learner_id is not None
        and design.learner_id == session_learner_id(request)
        and not design.is_closed()
    )


def _exercise_of_copy(request: HttpRequest, design: Design) -> str:
    """The exercise a copy of ``design`` is part of: its own, for the learner's own design
    (closed when its classroom ended); none for someone else's, whose goals a learner could
    otherwise meet by opening a classmate's permalink."""
    own = design.learner_id is not None and design.learner_id == session_learner_id(request)
    return design.exercise if own else ""


def _exercise_title(slug: str) -> str:
    module = services.exercises_module() if slug else None
    if module is None:
        return ""
    try:
        return module.exercise_start(slug)[0]
    except KeyError:
        return ""


@require_safe
def design(request: HttpRequest, slug: str) -> HttpResponse:
    design = get_object_or_404(Design, slug=slug)
    notes, message = place.take_for_page(request.session, design.slug)
    context = _design_context(request, design, notes=notes, message=message)
    if request.GET.get("elsewhere") == "1":  # builder.js draws the builder again (``fresh``)
        context["drawn_status"] = UPDATED_FROM_ELSEWHERE
    return render(request, "builder/builder.html", context)


UPDATED_FROM_ELSEWHERE = (
    "This design was changed somewhere else (in another tab or window, or by your instructor) "
    "since this page showed it. The form now shows the newest version."
)


@require_safe
def fresh(request: HttpRequest, slug: str) -> HttpResponse:
    """Whether the version a builder page drew (``base``) is still the newest for it (``page``):
    ``204`` if so, ``200`` if the design was saved from somewhere else since. builder.js asks
    when its tab comes back to the front, and draws the builder again before the author types
    into an out-of-date form (which ``preview`` would refuse)."""
    design = Design.objects.filter(slug=slug).only("updated", "edit_page").first()
    if design is None:
        raise Http404("There is no design with that address.")
    edit = saving.edit_mark(f"{request.GET.get('page', '')}:0")
    if saving.changed_elsewhere(design, request.GET.get("base", ""), edit):
        return HttpResponse("changed", content_type="text/plain")
    return HttpResponse(status=204)


@require_POST
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Applies the form to the design, saves it, and answers with the new preview.

    htmx gets the preview partials (plus the whole builder when the form's layout changed);
    a browser without JavaScript is sent back to the page, which shows the same preview.
    """
    design = saving.design_for_preview(slug, request.session)
    if design is None:
        raise Http404("There is no design with that address.")
    htmx = bool(request.htmx)  # django-htmx reads the header afresh at each ask
    edit = saving.edit_mark(request.POST.get("_edit", ""))
    if saving.changed_elsewhere(design, request.POST.get("_base", ""), edit):
        return _changed_elsewhere(request, design, htmx)
    refused = services.refused_inputs(request.POST)
    posted = services.without_fields(request.POST, refused) if refused else request.POST
    imported = files.imported_data(design)
    result = apply_design_form(design.manifest, posted, authored=design.authored, imported=imported)
    manifest, structural = result.manifest, result.structural
    action = posted.get("action", "")
    before_action = manifest
    undo_message = ""
    if action == undo.KIND_UNDO:  # the design as it was before its last change of kind
        changed, undo_message = undo.take(request.session, design.slug, manifest)
        step = None
    else:
        changed, step = place.take_action(
            manifest, action, posted, request.session, design.slug, imported
        )
    if changed is not None:
        manifest, structural = changed, True
    preview, not_saved = None, ""
    if manifest != design.manifest:
        # First what a walk of the data finds (thousands of labels cost seconds to preview),
        # then the preview's YAML is the size check: no edit may grow a design past an import.
        if problem := services.unstorable(manifest):
            not_saved = f"Not saved: {problem}."
        else:
            if htmx:
                preview = errorplaces.preview(manifest, exercise=design.exercise, design=design)
            shown = preview.yaml if preview else files.shown_text(design, manifest)
            if files.file_too_large(design, shown):
                not_saved = services.TOO_LARGE_MESSAGE
        if not_saved:
            manifest, structural, preview, step = design.manifest, False, None, None
    # A closed design (its classroom has ended) is read-only: an edit makes a copy.
    forked = not _is_owner(request, design)
    fork_message = ""
    if forked:
        # Said at once: a page opened before the class ended showed no read-only notice.
        if design.is_closed():
            fork_message = (
                "Saved as your own copy: this classroom has ended, so the original stays as "
                "your instructor saw it."
            )
        elif edit is not None and design.edit_page == edit.page:
            # This very page saved the design before: the browser has lost who it was (its
            # session expired, or its cookies were cleared), not opened someone else's design.
            fork_message = SESSION_LOST
        else:
            fork_message = "Saved as your own copy; the original stays as it is."
        original_exercise = design.exercise
        design = services.create_design(
            manifest=manifest,
            learner=_learner(request),
            exercise=_exercise_of_copy(request, design),
            source=design.source,
            document=design.document,
            source_encoding=design.source_encoding,
        )
        if design.exercise != original_exercise:
            preview = None  # its goals were the exercise's
    elif manifest != design.manifest:
        on_version = saving.names_version(request.POST.get("_base", ""))
        saved = saving.save_manifest(design, manifest, preview, edit, on_version)
        if saved is saving.Saved.SUPERSEDED:
            # Not saved (a save stores the goals and errors too): this keystroke is older than
            # one saved already, and the browser has replaced its request.
            return HttpResponse(status=204, headers={"Podstudio-Stale": "1"})
        if saved is saving.Saved.CHANGED_ELSEWHERE:  # since this request read it
            return _changed_elsewhere(request, Design.objects.get(pk=design.pk), htmx)
    if not not_saved:
        place.remember(request.session, step, action, design.slug)
    step_message = undo_message or place.status_message(
        action, step, before_action, changed if changed is not None and not not_saved else None
    )
    step_message = step_message or fork_message
    if action == KIND_ACTION and changed is not None and not not_saved:
        undo.remember(request.session, design.slug, before_action, manifest, step_message)
    else:  # an edit since the change of kind: Undo would throw it away
        undo.forget(request.session, design.slug, manifest)
    notes = place.notes_after(result.notes, step)
    if not htmx:
        # The page it redirects to draws the preview; only the exercise needs checking here.
        services.record_if_done(
            request, design.exercise, services.exercise_goals(design.exercise, manifest)
        )
        for line in services.refused_lines(refused):
            messages.error(request, line)
        if not_saved:
            messages.error(request, not_saved)
        place.keep_for_page(request.session, design.slug, notes, step_message)
        url = reverse("builder:design", args=[design.slug])
        # Back at the place the author was: the new entry, the next one, or the Add button.
        return redirect(f"{url}#{step.focus}" if step else url)
    preview = preview or errorplaces.preview(manifest, exercise=design.exercise, design=design)
    services.record_if_done(request, design.exercise, preview.goals)
    if step is not None and not forked and not result.structural:
        response = _region_response(request, design, preview, step, notes, refused)
        if response is not None:
            return response
    if structural or forked:
        context = _design_context(request, design, preview, notes=notes, message=step_message)
        context["announce_status"] = bool(step_message)  # drawn anew: builder.js says it again
        response = render(request, "builder/builder.html#builder", context)
        response = reswap(retarget(response, "#builder"), "outerHTML")
        if forked:
            response = push_url(response, reverse("builder:design", args=[design.slug]))
        if step is not None:
            response["HX-Trigger-After-Settle"] = json.dumps({"builder:place": step.client_event()})
        elif action in FOCUS_AFTER:  # its button is gone: what it changed takes focus
            response["HX-Trigger-After-Settle"] = json.dumps({"builder:place": FOCUS_AFTER[action]})
        return response
    context = _preview_context(request, design, preview, notes, refused)
    if step_message:  # an Undo with nothing left to undo says so
        context["form_status"] = {"message": step_message}
    # The fragments need nothing from the request, so they skip the context processors.
    response = HttpResponse(render_to_string("builder/builder.html#preview_response", context))
    if not_saved:
        response[NOT_SAVED_HEADER] = not_saved  # builder.js shows it in the save status
    return reswap(response, "none")  # every part of the answer is an out-of-band swap


# Buttons that go away once pressed, and where focus goes instead.
FOCUS_AFTER = {
    SELECTOR_ACTION: {"focus": "note-selector"},
    VERSION_ACTION: {"focus": "f-kind"},
    CLUSTER_ACTION: {"focus": "f-kind"},
    KIND_ACTION: {"focus": "f-kind"},  # the form is drawn anew for the new kind
    undo.KIND_UNDO: {"focus": "f-kind"},  # and for the old one
}

CHANGED_ELSEWHERE = (
    "Not saved: this design was changed somewhere else (in another tab or window, or by your "
    "instructor) after this page showed it. The form now shows that newer version; make your "
    "change again."
)


def _changed_elsewhere(request: HttpRequest, design: Design, htmx: bool) -> HttpResponse:
    """The answer to an edit made on an out-of-date form: nothing is saved, and the builder is
    drawn again with the design as it now is (htmx), or the page is (without JavaScript)."""
    if not htmx:
        messages.error(request, CHANGED_ELSEWHERE)
        return redirect("builder:design", slug=design.slug)
    # Said where the learner is looking too (the form's status, by the field being typed in),
    # not only at the top of the page: what they just typed is gone with the old form.
    context = _design_context(request, design, message=CHANGED_ELSEWHERE)
    # The save status is drawn with it: the form this request came from is gone after the swap,
    # so builder.js hears nothing of this answer.
    context["not_saved"] = CHANGED_ELSEWHERE
    response = render(request, "builder/builder.html#builder", context)
    response[NOT_SAVED_HEADER] = CHANGED_ELSEWHERE
    return reswap(retarget(response, "#builder"), "outerHTML")


def _preview_context(request: HttpRequest, design: Design, preview, notes: dict, refused) -> dict:
    """What the preview's out-of-band fragments need: the preview, the errors to show and to
    clear at their fields, and how the posted fields were read."""
    shown = [
        slot for slot in request.POST.get("_shown_errors", "").split() if _SLOT_IDS.fullmatch(slot)
    ]
    current = dict(preview.error_slot_ids)
    bar = classroom_bar(request)["classroom_bar"]
    for name, message in refused.items():
        current.setdefault(field_id(name), []).append(message)
    oob = [(slot, current.get(slot, [])) for slot in dict.fromkeys([*current, *shown])]
    return {
        "design": design,
        "preview": preview,
        "download_url": services.download_url(design.slug),
        "documents": preview.documents,  # the YAML panel's "document 2 of 3", and the list
        "oob_errors": oob,
        "oob_notes": [(field_id(name), note) for name, note in notes.items()],
        "shown_errors": " ".join(current),
        "changed_sections": preview.changed_sections(request.POST.get("_shown_sections", "")),
        # A class's learner who meets the last goal is sent on along the class's agenda (read
        # only then: the bar is lazy).
        "classroom_bar": bar,
        "goal_progress": _goal_progress(request, design, preview, bar),
    }


def _region_response(
    request: HttpRequest, design: Design, preview, step: place.Step, notes: dict, refused
) -> HttpResponse | None:
    """The answer to an Add, Remove, Move or Undo: the changed list's region (and the volumes
    when a mount's Add, Remove or Undo made or took one) with the preview, all swapped out of
    band; ``None`` if the form has no region for that list (the whole builder is redrawn)."""
    form = build_design_form(design.manifest, authored=design.authored)
    region = place.find_list(form, step.list_path)
    if region is None:
        return None
    services.attach_errors(form, preview.errors_by_slot)
    place.attach_notes(form, notes)
    region.is_open = True
    regions = [region]
    volumes_path = document_path(design_kind(design.manifest), "spec.volumes")
    if step.volumes_changed:
        volumes = place.find_list(form, volumes_path)
        if volumes is not None:
            volumes.is_open = True
            regions.append(volumes)
    context = _preview_context(request, design, preview, notes, refused)
    context["regions"] = [{"nodes": [group], "path": group.path} for group in regions]
    if step.list_path == volumes_path or len(regions) > 1:
        context["volume_selects"] = place.volume_selects(form, step.list_path)
    undo = step.undo if step.verb == "remove" else None
    context["form_status"] = {"message": step.message, "undo": undo}
    response = HttpResponse(render_to_string("builder/builder.html#region_response", context))
    response["HX-Trigger-After-Settle"] = json.dumps({"builder:place": step.client_event()})
    return reswap(response, "none")


@require_safe
def download(request: HttpRequest, slug: str) -> HttpResponse:
    """The design as ``<name>.yaml``. An imported file comes back as the author wrote it, with
    only the edited values changed (a JSON file as ``<name>.json``); ``?format=canonical``
    (and a design started in the builder) gives the canonical YAML of ``podstudio
    normalize``."""
    design = get_object_or_404(Design, slug=slug)
    canonical = request.GET.get("format") == "canonical"
    text = files.render_file(design, canonical=canonical)
    json_file = not canonical and is_json(text)
    content_type = "application/json" if json_file else "application/yaml"
    # A file that came as UTF-16 goes back as UTF-16; the canonical form is UTF-8.
    wide = "" if canonical else design.source_encoding
    if wide:
        content_type += "; charset=utf-16"
    response = HttpResponse(encode_wide(text, wide) if wide else text, content_type=content_type)
    documents = files.document_list(design) if design.source else ()
    filename = services.download_name(design.manifest, json=json_file, documents=documents)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def document(request: HttpRequest, slug: str) -> HttpResponse:
    """Edits another document of the design's file; the edits so far stay in the file."""
    design = get_object_or_404(Design, slug=slug)
    index = request.POST.get("document", "")
    # ASCII digits only: "²" is a digit to str.isdigit, and no number to int.
    number = index.isascii() and index.isdigit() and len(index) <= 6
    # A design made in the builder is one document, and no file: nothing to switch to.
    switched = files.switched(design, int(index)) if number and design.authored else None
    if switched is None:
        messages.error(request, "That document is not a Pod or workload the builder can edit.")
        return redirect("builder:design", slug=design.slug)
    if problem := services.unstorable_document(switched.manifest):  # as an import of it alone
        messages.error(request, f"Document {int(index) + 1} is not opened: {problem}.")
        return redirect("builder:design", slug=design.slug)
    if not _is_owner(request, design):  # someone else's, or closed: a copy of one's own
        design = services.create_design(
            manifest=switched.manifest,
            learner=_learner(request),
            exercise=_exercise_of_copy(request, design),
            source=switched.source,
            document=switched.document,
            source_encoding=design.source_encoding,
        )
    else:
        # Saved over the version read here only: a keystroke saved in between (just before
        # the switch) would otherwise be lost from the file, or land in the other document.
        switched_now = Design.objects.filter(pk=design.pk, updated=design.updated).update(
            manifest=switched.manifest,
            source=switched.source,
            document=switched.document,
            updated=timezone.now(),
            edit_page="",  # a builder page still showing the other document is out of date
        )
        if not switched_now:
            messages.error(request, SWITCH_RACED)
            return redirect("builder:design", slug=design.slug)
        place.forget_undo(request.session, design.slug)
        undo.forget(request.session, design.slug)
        design.refresh_from_db()
    _say_document(request, design)
    return redirect("builder:design", slug=design.slug)


SESSION_LOST = (
    "Saved as a new copy: this browser no longer knows you (its session expired or its cookies "
    "were cleared), so the design you were editing is no longer yours here. In a classroom, "
    "join again with the code, your name and your rejoin PIN to get back to your work."
)

SWITCH_RACED = (
    "Not switched: this design was saved again while switching (an edit just made, or another "
    "tab). The page shows it as it is now; choose the document again."
)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    """Deletes one of the learner's own designs: GET asks first (a page, so it works without
    JavaScript), POST deletes. Someone else's design is a 404. A design a classroom counts (an
    exercise of a class the learner is in, made before its end) is kept: the instructor's grid
    and exported results are read from it, and an ended class's results must stay as they were."""
    design = get_object_or_404(Design, slug=slug, learner_id=session_learner_id(request) or -1)
    kept_for = _counting_classroom(design)
    if request.method == "POST" and kept_for is None:
        name = design.pod_name
        design.delete()
        messages.success(request, f"Deleted the design “{name}”.")
        return redirect("builder:new")
    context = {
        "design": design,
        "kept_for": kept_for,
        "exercise_title": _exercise_title(design.exercise),
    }
    status = 409 if request.method == "POST" else 200
    return render(request, "builder/delete.html", context, status=status)


def _counting_classroom(design: Design, classrooms: list | None = None):
    """The classroom whose grid and results count ``design`` (its learner is in it, the design
    is of one of its exercises and was made before its end), or ``None``; ``classrooms``: the
    learner's, when already read."""
    if not design.exercise or design.learner_id is None:
        return None
    if classrooms is None:
        classrooms = _classrooms_of(design.learner_id)
    for classroom in classrooms:
        if design.exercise in classroom.exercises and design.created < classroom.ends_at:
            return classroom
    return None


def _classrooms_of(learner_id: int) -> list:
    members = Member.objects.filter(learner_id=learner_id).select_related("classroom")
    return [member.classroom for member in members]
