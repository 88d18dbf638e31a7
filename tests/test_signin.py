"""Signing in: failed attempts are limited per address and name, on the instructors' page and
the admin's alike."""

import pytest
from django.test import Client

from tests.classroom_mode.helpers import make_instructor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sign_in(client: Client, url: str, username: str, password: str):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_ten_wrong_passwords_stop_the_eleventh_try_even_a_right_one(url):
    user = make_instructor()
    user.is_staff = True  # the admin signs in staff only
    user.set_password("the-right-password-42")
    user.save()
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(10):
        response = _sign_in(guesser, url, user.username, f"guess-{number}")
        assert response.status_code == 200
        assert "Too many failed sign-ins" not in response.content.decode()
    response = _sign_in(guesser, url, user.username, "the-right-password-42")
    assert response.status_code == 200  # the form again, not signed in
    assert "Too many failed sign-ins for this name: try again in" in response.content.decode()
    assert "_auth_user_id" not in guesser.session
    # The instructor, in the classroom's network, is not locked out by the guesser.
    instructor = Client(REMOTE_ADDR="198.51.100.4")
    response = _sign_in(instructor, url, user.username, "the-right-password-42")
    assert response.status_code == 302
