"""OPTIONS and HEAD are answered properly everywhere, oversize requests early, and every page carries a CSP."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import ConsentFactory, PersonFactory


def concrete_paths(resolver=None, prefix="", arguments=None):
    """Every URL pattern with its arguments filled in with the ids of `arguments` (1 when unknown)."""
    arguments = arguments or {}
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from concrete_paths(entry, prefix + pattern, arguments)
        elif isinstance(entry, URLPattern) and "(?P" not in pattern and "\\" not in pattern:
            path = prefix + pattern
            for name, value in arguments.items():
                for converter in ("int", "str", "slug", "uuid", "path"):
                    path = path.replace(f"<{converter}:{name}>", str(value))
                path = path.replace(f"<{name}>", str(value))
            if "<" not in path:
                yield "/" + path


@pytest.fixture
def records(production, producer):
    person = PersonFactory(production=production)
    consent = ConsentFactory(person=person)
    return {"pk": production.pk, "production_pk": production.pk, "consent_pk": consent.pk, "person_pk": person.pk}


def test_options_never_fails_on_any_url(client, producer, records):
    client.force_login(producer)
    paths = sorted(set(concrete_paths(arguments=records)))
    assert len(paths) > 40

    failures = {path: client.options(path).status_code for path in paths}

    assert {path: status for path, status in failures.items() if status >= 500} == {}


def test_options_on_the_api_and_its_docs_answers_what_is_allowed(client, producer, production):
    client.force_login(producer)

    for path in ["/api/docs/", "/api/schema/", f"/api/v1/productions/{production.pk}/"]:
        response = client.options(path)
        assert response.status_code == 200, path
        assert "GET" in response["Allow"], path


def test_options_on_a_page_limited_to_get_lists_get_and_head(client, producer):
    client.force_login(producer)

    response = client.options("/")

    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/docs/", "/review/"])
def test_head_answers_like_get_without_a_body(client, producer, path):
    client.force_login(producer)

    get, head = client.get(path), client.head(path)

    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


def test_a_request_larger_than_any_upload_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_MAX_BYTES = 1000

    response = client.generic("POST", "/accounts/login/", b"x" * 1001, content_type="application/octet-stream")

    assert response.status_code == 413


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, producer):
    client.force_login(producer)

    policy = client.get("/")["Content-Security-Policy"]

    directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" in client.get("/api/docs/")["Content-Security-Policy"], "Swagger UI styles inline"
