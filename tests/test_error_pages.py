"""404 and 403 pages keep the site's layout and say why, in the words the view gave."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_design_says_so_on_a_page_with_the_sites_links(client):
    response = client.get(reverse("builder:design", args=["nosuchdesign"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no design at this address." in page
    assert f'href="{reverse("lessons:index")}"' in page


def test_an_address_that_matches_no_page_gets_a_plain_reason(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no page at this address." in page
    assert "tried" not in page  # not the resolver's list of patterns


def test_a_refusal_says_why(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="a-long-password-1")
    client.force_login(user)
    response = client.get(reverse("classrooms:new"))
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.content.decode()


def test_a_form_sent_from_a_page_out_of_date_says_to_reload_it():
    """A sign-in in another tab changes the CSRF token: the form of a page opened before is
    refused with what to do, on the site's page, and the sentence in a header for htmx."""
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("builder:new"))  # the page sets the token cookie
    response = browser.post(reverse("builder:import"), {"yaml": "kind: Pod"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Page out of date</h1>" in page
    assert "Go back, reload the page and do it again" in page
    assert "CSRF verification failed" not in page
    assert response["Podstudio-Refused"].startswith("This page is out of date")
