"""Template helpers for lesson content: example cards and the facts the catalog holds about them."""

from functools import cache
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from lessons import catalog
from podstudio.builder.highlight import highlight_yaml

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
