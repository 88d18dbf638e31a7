"""The classroom bar on every page of a joined learner. Read lazily: a page or fragment that
does not show it costs no query, and a session that never joined costs none beyond its own."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from classrooms.membership import SESSION_KEY


def classroom(request: HttpRequest) -> dict:
    def load() -> dict | None:
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return None
        from classrooms.learner_views import bar_context
        from classrooms.membership import current_member

        member = current_member(request)
        return bar_context(member) if member is not None else None

    return {"classroom_bar": SimpleLazyObject(load)}


def has_personal_parts(request: HttpRequest) -> bool:
    """Whether the page shows this visitor anything of their own in base.html: a signed-in
    user's account links, or a joined learner's classroom bar."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return bool(user is not None and user.is_authenticated) or (
        session is not None and SESSION_KEY in session
    )
