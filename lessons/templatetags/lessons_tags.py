"""Template helpers for lesson content: example cards and the facts the catalog holds about them."""

from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse

from lessons.catalog import EXAMPLES

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


@register.inclusion_tag("lessons/_example.html")
def example_card(name: str) -> dict:
    example = EXAMPLES[name]
    return {
        "example": example,
        "qos_meaning": QOS_MEANING[example.qos],
        "pss_meaning": PSS_MEANING[example.pss],
        "builder_url": builder_start_url(example=name),
    }


@register.simple_tag
def example_qos(name: str) -> str:
    return EXAMPLES[name].qos


@register.simple_tag
def example_pss(name: str) -> str:
    return EXAMPLES[name].pss


@register.simple_tag
def exercise_url(slug: str) -> str:
    return builder_start_url(exercise=slug)
