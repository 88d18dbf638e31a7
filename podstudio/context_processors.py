from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The current section (marked in the navigation) and the Kubernetes version checks follow."""
    path = request.path
    section = ""
    for prefix in ("builder", "lessons", "api", "classrooms"):
        if path.startswith(f"/{prefix}"):
            section = prefix
    return {"nav_section": section, "k8s_version": settings.PODSTUDIO_K8S_VERSION}
