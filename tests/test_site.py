"""The probes the app exposes about itself, and the home page."""

import pytest


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_ready_when_migrations_are_applied(client):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"ready": True}


@pytest.mark.django_db
def test_not_ready_when_a_migration_is_missing(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"ready": False, "failed": "migrations"}


@pytest.mark.django_db
def test_not_ready_when_the_database_fails_says_so_without_saying_where_it_lives(
    client, monkeypatch, caplog
):
    from django.db import OperationalError
    from django.db.migrations.executor import MigrationExecutor

    def unreachable(self, targets):
        raise OperationalError('connection to server at "db.internal" (10.1.2.3), port 5432 failed')

    monkeypatch.setattr(MigrationExecutor, "migration_plan", unreachable)
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"ready": False, "failed": "database"}
    assert b"10.1.2.3" not in response.content and b"5432" not in response.content
    assert "10.1.2.3" in caplog.text  # the operator still finds it in the log


def test_probes_refuse_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/healthz", "/ready", "/", "/lessons/", "/builder/"])
def test_a_head_request_is_answered_as_a_get(client, url):
    """Load balancers and uptime checks often ask with HEAD; it was 405 on every page."""
    assert client.head(url).status_code == client.get(url).status_code == 200


@pytest.mark.django_db
def test_home_page_links_to_lessons_builder_and_joining_a_class(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/lessons/"' in html and 'href="/builder/"' in html
    # A learner told "open the site and join" finds it beside the first two, not in the footer.
    hero = html.split('class="hero"', 1)[1].split("</section>", 1)[0]
    assert '<a class="button" href="/join/">Join a class</a>' in hero


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_the_home_page_from_its_frame_is_the_fully_rendered_page(client, rf):
    import re

    from django.shortcuts import render

    request = rf.get("/")
    rendered = render(request, "podstudio/home.html").content.decode()
    framed = client.get("/").content.decode()
    token = re.compile(r'"X-CSRFToken": "[A-Za-z0-9]+"')
    assert token.sub("TOKEN", framed) == token.sub("TOKEN", rendered)


@pytest.mark.django_db
def test_the_policy_is_built_once_and_follows_the_settings_and_a_views_own(client, settings, rf):
    """The header is built once per policy in the settings, so a changed setting shows at once,
    and a response that carries a policy of its own (django-csp's decorators) still gets it."""
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from podstudio.middleware import ContentSecurityPolicyMiddleware

    assert "frame-ancestors 'none'" in client.get("/healthz")["Content-Security-Policy"]
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'none'"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    assert "img-src 'none'" in client.get("/healthz")["Content-Security-Policy"]

    @csp_update({"img-src": ["https://example.org"]})
    def view(request):
        return HttpResponse("ok")

    middleware = ContentSecurityPolicyMiddleware(view)
    request = rf.get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))
    assert "img-src 'none' https://example.org" in response["Content-Security-Policy"]
