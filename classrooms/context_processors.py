"""The classroom bar on every page of a joined learner. Read lazily: a page or fragment that
does not show it costs no query, and a session that never joined costs none beyond its own."""

from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from classrooms.membership import SESSION_KEY


def classroom(request: HttpRequest) -> dict:
    def load() -> dict | None:
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return None
        from classrooms.learner_views import HAND_SAID_KEY, bar_context
        from classrooms.membership import current_member

        member = current_member(request)
        if member is None:
            return None
        context = bar_context(member)
        # The learner's own Raise or Lower, posted without JavaScript, said once on this page
        # (taken from the session once per request: a page may render the bar's context again).
        if not hasattr(request, "classroom_hand_said"):
            request.classroom_hand_said = session.pop(HAND_SAID_KEY, None) == member.pk
        context["hand_said"] = request.classroom_hand_said
        return context

    return {"classroom_bar": SimpleLazyObject(load)}


def has_personal_parts(request: HttpRequest) -> bool:
    """Whether the page shows this visitor anything of their own in base.html: a signed-in
    user's account links, or a joined learner's classroom bar."""
    session = getattr(request, "session", None)
    if session is None:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
    # Only a session that names a user can be signed in: most never do, and for them the user
    # is not looked up at all.
    signed_in = AUTH_SESSION_KEY in session and request.user.is_authenticated
    return signed_in or SESSION_KEY in session
