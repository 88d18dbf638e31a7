from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Names the current section so the base layout can mark it in the navigation."""
    path = request.path
    section = ""
    for prefix in ("builder", "lessons", "api"):
        if path.startswith(f"/{prefix}"):
            section = prefix
    return {"nav_section": section}
