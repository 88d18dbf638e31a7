"""Actions that take a person to another page say what they did there: a sign-out on a shared
classroom computer, a learner back in their class."""

import pytest
from django.test import Client
from django.urls import reverse

from .helpers import join, joined

pytestmark = pytest.mark.django_db


def test_signing_out_says_so_on_the_page_it_lands_on(instructor_client):
    response = instructor_client.post(reverse("logout"), follow=True)
    assert response.status_code == 200
    assert "Signed out." in response.content.decode()


def test_a_learner_back_with_their_pin_is_welcomed_back(classroom):
    first, member = joined(classroom, "Ria")
    pin = first.session["classroom_rejoin"]["pin"]
    other = Client()
    response = join(other, classroom, "Ria", pin=pin)
    page = other.get(response["Location"]).content.decode()
    assert "Welcome back, Ria" in page


def test_a_learner_back_through_their_rejoin_link_is_welcomed_back(classroom):
    first, _ = joined(classroom, "Sol")
    path = first.session["classroom_rejoin"]["link"].split("testserver", 1)[1]
    other = Client()
    page = other.get(other.post(path)["Location"]).content.decode()
    assert "Welcome back, Sol" in page
