"""Every request body has a size limit, enforced from Content-Length before the body is read."""

import io

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024


@override_settings(PODSTUDIO_MAX_REQUEST_BYTES=LIMIT)
def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(client, monkeypatch):
    from django.http.multipartparser import MultiPartParser

    def never(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", never)
    upload = io.BytesIO(b"a" * (LIMIT + 1))
    upload.name = "big.yaml"
    response = client.post(reverse("builder:import"), {"upload": upload})
    assert response.status_code == 413
    assert "larger than 64 KiB" in response.content.decode()


@override_settings(PODSTUDIO_MAX_REQUEST_BYTES=LIMIT)
def test_the_api_answers_a_too_large_body_with_json(client):
    response = client.post("/api/v1/analyze", b"x" * (LIMIT + 1), content_type="application/yaml")
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]


@override_settings(PODSTUDIO_MAX_REQUEST_BYTES=LIMIT)
def test_a_body_within_the_limit_goes_through(client):
    body = b"apiVersion: v1\nkind: Pod\n"
    response = client.post("/api/v1/analyze", body, content_type="application/yaml")
    assert response.status_code == 200


def test_a_content_length_that_is_not_a_number_is_a_bad_request(client):
    response = client.generic(
        "POST", "/api/v1/analyze", b"kind: Pod", CONTENT_LENGTH="12abc", content_type="text/yaml"
    )
    assert response.status_code == 400
