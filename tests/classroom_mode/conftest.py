"""Fixtures of the classroom tests: an instructor (signed in) and their classroom."""

import pytest
from django.test import Client

from classrooms import actions

from .helpers import ITEMS, make_instructor


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Instructors' passwords are hashed with Django's slow default in production; here a
    fast hasher keeps each test's sign-up cheap (the login view still checks the password)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def instructor(db):
    return make_instructor()


@pytest.fixture
def instructor_client(instructor) -> Client:
    client = Client()
    client.force_login(instructor)
    return client


@pytest.fixture
def classroom(instructor):
    return actions.create_classroom(title="Pods workshop", instructor=instructor, items=ITEMS)
