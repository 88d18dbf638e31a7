"""Signing in, with failed attempts limited: an instructor's password opens every learner's work
in their classrooms, so it may not be guessed at the speed of a script.

Failures are counted per address and user name (``ratelimit``), so a guesser cannot lock an
instructor out from the classroom's own network by trying their name from elsewhere.
"""

from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ValidationError

from podstudio import ratelimit

FAILED_SIGN_INS = ratelimit.Limit(count=10, seconds=15 * 60)


class LimitedSignIn:
    """A sign-in form that refuses to check a password after ``FAILED_SIGN_INS`` failures."""

    def clean(self):
        from classrooms.membership import client_address

        name = (self.cleaned_data.get("username") or "").casefold()
        key = f"sign-in:{client_address(self.request)}:{name}"
        if ratelimit.is_spent(key, FAILED_SIGN_INS):
            minutes = -(-ratelimit.seconds_left(key, FAILED_SIGN_INS) // 60)
            raise ValidationError(
                f"Too many failed sign-ins for this name: try again in {minutes} "
                f"minute{'' if minutes == 1 else 's'}.",
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            ratelimit.allow(key, FAILED_SIGN_INS)
            raise


class SignInForm(LimitedSignIn, AuthenticationForm):
    """The instructors' sign-in page (``/accounts/login/``)."""


class AdminSignInForm(LimitedSignIn, AdminAuthenticationForm):
    """The admin's sign-in page (``/admin/login/``)."""


class SignOutView(LogoutView):
    """Django's sign-out, which then says so on the page it lands on (the home page): on a
    shared classroom computer the next person should see that nobody is signed in."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Signed out.")
        return response
