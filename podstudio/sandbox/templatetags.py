"""``{% sandbox_panel design %}``: the builder's sandbox panel (registered in settings.TEMPLATES).

Rendering the panel never talks to the cluster, so the builder stays fast when the cluster is
slow or down; the panel loads the live status itself.
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

from podstudio.sandbox.client import is_configured
from podstudio.sandbox.namespaces import MAX_PODS_PER_LEARNER

register = template.Library()


@register.inclusion_tag("sandbox/sandbox.html#panel", takes_context=True)
def sandbox_panel(context: template.Context, design) -> dict:
    slug = getattr(design, "slug", "")
    kind = (
        design.manifest.get("kind") if isinstance(getattr(design, "manifest", None), dict) else ""
    )
    return {
        "kind": kind if isinstance(kind, str) and kind else "Pod",
        "enabled": is_configured(),
        "enforce": settings.PODSTUDIO_SANDBOX_ENFORCE,
        "max_pods": MAX_PODS_PER_LEARNER,
        "design": design,
        "csrf_token": context.get("csrf_token", ""),
        "status_url": reverse("sandbox:status") + "?" + urlencode({"design": slug}),
        "open": bool(context.get("sandbox_open")),
    }


@register.filter
def form_field(path: str, kind: str = "Pod") -> str:
    """The builder's form element for a field the API server named ("" where the form has
    none), so a refusal in the panel leads to the field to change."""
    from podstudio.builder.edit import field_id
    from podstudio.builder.workloads import design_slot_for

    slot = design_slot_for(kind or "Pod", path or "")
    return field_id(slot) if slot else ""
