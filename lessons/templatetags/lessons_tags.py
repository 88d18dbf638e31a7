"""Template helpers for lesson content: example cards and the facts the catalog holds about them."""

from functools import cache
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from lessons import catalog
from podstudio.builder.highlight import highlight_yaml
from podstudio.engine.kinds import kind_of

register = template.Library()

QOS_MEANING = {
    "Guaranteed": "every container's requests equal its limits for CPU and memory",
    "Burstable": "some requests or limits are set, but not equal everywhere",
    "BestEffort": "no container sets any CPU or memory request or limit",
}
PSS_MEANING = {
    "restricted": "it meets restricted, the strictest level",
    "baseline": "it meets baseline but not restricted",
    "privileged": "only the privileged level allows it",
}


def builder_start_url(**params: str) -> str:
    """The builder's entry point that loads an example or an exercise."""
    try:
        base = reverse("builder:start")
    except NoReverseMatch:
        base = "/builder/start"
    return f"{base}?{urlencode(params)}"


@cache
def _highlighted(name: str) -> SafeString:
    return mark_safe(highlight_yaml(catalog.course().examples[name].yaml))  # noqa: S308 (escapes)


@register.inclusion_tag("lessons/_example.html")
def example_card(name: str) -> dict:
    example = catalog.course().examples[name]
    return {
        "example": example,
        "yaml_html": _highlighted(name),
        "qos_meaning": QOS_MEANING[example.qos],
        "pss_meaning": PSS_MEANING[example.pss],
        "builder_url": builder_start_url(example=name),
    }


@register.simple_tag
def example_qos(name: str) -> str:
    return catalog.course().examples[name].qos


@register.simple_tag
def example_pss(name: str) -> str:
    return catalog.course().examples[name].pss


@register.simple_tag
def exercise_url(slug: str) -> str:
    return builder_start_url(exercise=slug)


@register.simple_tag
def drill_url(slug: str) -> str:
    return builder_start_url(exercise=f"drill:{slug}")


@register.filter
def inline_markdown(text: str) -> SafeString:
    """A brief or a hint: Markdown's inline marks (code, emphasis), nothing else."""
    from lessons.markdown import plain

    return plain(text)


@register.filter
def field_anchor(path: str) -> str:
    """The builder's form element for a field path ("" when the form has none); ``kind`` is the
    Kind picker, where a workload exercise starts."""
    from podstudio.builder.edit import field_id, slot_for

    if path == "kind":
        return "f-kind"
    slot = slot_for(path or "")
    return field_id(slot) if slot else ""


@register.simple_tag
def lesson_count() -> int:
    """How many lessons the course has (read from its files, so the home page stays true)."""
    return len(catalog.course().lessons)


@register.inclusion_tag("lessons/_learning_panel.html", takes_context=True)
def learning_panel(context, design) -> dict:
    """Hints (and a drill's runs) for a builder design made from an exercise or a drill."""
    from lessons.learning_views import panel_context
    from lessons.progress import session_learner_id

    request = context.get("request")
    learner_id = session_learner_id(request) if request is not None else None
    if not design.exercise or design.learner_id != learner_id:
        return {}
    found = panel_context(design, learner_id)
    found["csrf_token"] = context.get("csrf_token")
    found["classroom_bar"] = context.get("classroom_bar")  # a class's learner: hints are seen
    return found


def _next_lesson(slug: str):
    try:
        _, following = catalog.neighbours(slug)
    except ValueError:
        return None
    return following


@register.inclusion_tag("lessons/_next_step.html", takes_context=True)
def next_step_link(context, lesson_slug: str, exercise: str = "") -> dict:
    """Where to go once an exercise or drill is done: the next lesson (or the review); in a
    class whose agenda has the exercise, the agenda's next item (or the class's page)."""
    found = {"next": _next_lesson(lesson_slug), "lesson": _lesson_or_none(lesson_slug)}
    bar = context.get("classroom_bar") if exercise else None
    if bar and not bar["ended"]:
        keys = [item.key for item in bar["agenda"]]
        key = f"exercise:{exercise}"
        if key in keys:
            following = keys.index(key) + 1
            found["in_class"] = True
            found["class_next"] = bar["agenda"][following] if following < len(keys) else None
    return found


def _lesson_or_none(slug: str):
    try:
        return catalog.get_lesson(slug)
    except KeyError:
        return None


@register.inclusion_tag("lessons/_banner.html", takes_context=True)
def learning_banner(context, exercise_key: str) -> dict:
    """The builder's banner for an exercise's or drill's design: what it is, its lesson, and (for
    the design's own learner, who has them) links to the hints and the drill's runs, which sit
    below the long form."""
    from lessons import exercises
    from lessons.progress import session_learner_id

    course = catalog.course()
    drill = exercises.drill_slug(exercise_key or "")
    thing = course.drills.get(drill) if drill else course.exercises.get(exercise_key or "")
    if thing is None:
        return {}
    design, request = context.get("design"), context.get("request")
    own = (
        design is not None
        and request is not None
        and design.learner_id is not None
        and design.learner_id == session_learner_id(request)
    )
    solution = kind_of(getattr(thing, "solution", None))
    return {
        "kind": "Drill" if drill else "Exercise",
        # A workload exercise starts from a Pod and ends in a CronJob (or the like).
        "subject": "it" if solution is not None and not solution.is_pod else "the Pod",
        "thing": thing,
        "lesson": _lesson_or_none(thing.lesson),
        "panel": own,
    }


@register.filter
def is_drill(exercise_key: str) -> bool:
    """A drill's goals are what its fix must keep; whether it is fixed, its run says."""
    from lessons import exercises

    return exercises.drill_slug(exercise_key or "") is not None


@register.simple_tag
def exercise_lesson_slug(exercise_key: str) -> str:
    from lessons import exercises

    course = catalog.course()
    drill = exercises.drill_slug(exercise_key or "")
    thing = course.drills.get(drill) if drill else course.exercises.get(exercise_key or "")
    return thing.lesson if thing is not None else ""


def review_status_html(request) -> str:
    """ "3 to review · 4-day streak" for a learner with something to show; "" for anyone else."""
    from django.template.loader import render_to_string

    from lessons import review
    from lessons.progress import session_learner_id

    has_session = request is not None and hasattr(request, "session")
    learner_id = session_learner_id(request) if has_session else None
    if learner_id is None:
        return ""
    due = review.due_count(learner_id)
    streak = review.learner_streak(learner_id)
    if not due and not streak:
        return ""
    return render_to_string("lessons/_review_status.html", {"due": due, "streak": streak})


@register.simple_tag(takes_context=True)
def review_status(context) -> SafeString:
    return mark_safe(review_status_html(context.get("request")))  # noqa: S308 (a template)
