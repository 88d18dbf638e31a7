"""Every request body has a size limit, enforced from Content-Length before the body is read."""

import io
import json
import socket
import threading

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


@pytest.mark.parametrize("declared", ["abc", "-1", "1e3", "²"])
def test_every_content_length_that_is_not_a_number_is_a_json_400(client, declared):
    response = client.generic(
        "POST", "/api/v1/analyze", b"kind: Pod", CONTENT_LENGTH=declared, content_type="text/yaml"
    )
    assert response.status_code == 400
    assert response.json() == {"error": "The request's Content-Length is not a number."}


@pytest.mark.parametrize("endpoint", ["/api/v1/analyze", "/api/v1/normalize"])
def test_too_many_query_parameters_get_the_apis_json_400(client, endpoint):
    query = "&".join(f"p{n}=1" for n in range(10_001))
    body = b"apiVersion: v1\nkind: Pod\n"
    response = client.post(f"{endpoint}?{query}", body, content_type="application/yaml")
    assert response.status_code == 400
    assert response.json() == {
        "error": "The request has more than 10000 fields, the most Pod Studio reads."
    }


@pytest.mark.django_db
def test_a_form_of_too_many_fields_gets_a_page_that_says_so(client):
    """Django's own answer was a blank "Bad Request (400)"."""
    body = "&".join(f"f{n}=1" for n in range(10_001))
    form = "application/x-www-form-urlencoded"
    response = client.post(reverse("builder:import"), body, content_type=form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The request has more than 10000 fields, the most Pod Studio reads." in page
    assert "at most 1 MiB" not in page  # (that is said of a body too large)


@pytest.mark.parametrize("endpoint", ["/api/v1/analyze", "/api/v1/normalize"])
def test_a_chunked_body_without_a_length_is_411_not_an_empty_input(client, endpoint):
    # What a server hands over for `curl -H 'Transfer-Encoding: chunked' --data-binary @pod.yaml`:
    # no Content-Length, so Django would read the body as empty.
    response = client.generic(
        "POST",
        endpoint,
        b"apiVersion: v1\nkind: Pod\n",
        content_type="application/yaml",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 411
    assert response.json()["error"].startswith("Content-Length required")


def test_a_refusal_has_no_header_a_wsgi_application_may_not_send(client):
    from wsgiref.util import is_hop_by_hop

    response = client.post("/api/v1/analyze", b"x", content_type="text/yaml", CONTENT_LENGTH="-1")
    assert response.status_code == 400
    assert not [name for name in response.headers if is_hop_by_hop(name)]


# --- under the development server (`make run`): Django's runserver, on a real socket ---------


@pytest.fixture
def runserver():
    """The server ``manage.py runserver`` runs (Django's ``ThreadedWSGIServer`` and request
    handler, wsgiref underneath), serving the app on a free port."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def exchange(port: int, request: bytes) -> tuple[int, bytes, bool]:
    """Sends ``request``, reads the answer until the server closes the connection (or 10 s
    pass): the status, the body, and whether the server did close it."""
    data = b""
    closed = False
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        try:
            while chunk := connection.recv(65536):
                data += chunk
            closed = True
        except TimeoutError:
            pass
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body, closed


def post_head(*headers: str) -> bytes:
    lines = ["POST /api/v1/analyze HTTP/1.1", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode()


@pytest.mark.parametrize(
    ("request_bytes", "status", "fragment"),
    [
        # Announced as 100 GB: the server must not wait for (or allocate) the rest of it.
        (post_head("Content-Length: 99999999999") + b"kind: Pod\n", 413, "larger than"),
        (post_head("Content-Length: abc"), 400, "not a number"),
        (post_head("Content-Length: -1"), 400, "not a number"),
        (
            post_head("Transfer-Encoding: chunked") + b"a\r\nkind: Pod\n\r\n0\r\n\r\n",
            411,
            "Content-Length required",
        ),
        (
            post_head(f"Content-Length: {LIMIT + 1}") + b"#" * (LIMIT + 1),
            413,
            "larger than 64 KiB",
        ),
    ],
    ids=["huge", "abc", "negative", "chunked", "too-large"],
)
@override_settings(PODSTUDIO_MAX_REQUEST_BYTES=LIMIT)
def test_the_development_server_answers_refusals_with_json(
    runserver, request_bytes, status, fragment
):
    code, body, closed = exchange(runserver, request_bytes)
    assert code == status, body
    assert fragment in json.loads(body)["error"]
    # The unread body is not taken for another request, and is not waited for.
    assert closed


class _StoppedBody(io.RawIOBase):
    """A body whose client went silent: reading it fails as a reset connection does."""

    def read(self, size=-1):
        raise ConnectionResetError(104, "the client sent nothing for 15 s")


def test_a_body_that_stops_arriving_is_a_400_not_a_500(client):
    response = client.post(
        "/api/v1/analyze",
        b"",
        content_type="application/yaml",
        **{"wsgi.input": _StoppedBody(), "CONTENT_LENGTH": "100"},
    )
    assert response.status_code == 400
    assert "did not arrive" in response.json()["error"]
