"""API clients for each role on `production`, authenticated with personal tokens as a script would be."""

import functools

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from productions.tokens import issue_token


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the default cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def token_client(user, name="tests"):
    _token, secret = issue_token(user=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def as_producer(producer):
    return token_client(producer)


@pytest.fixture
def as_legal(legal):
    return token_client(legal)


@pytest.fixture
def as_viewer(viewer):
    return token_client(viewer)


@pytest.fixture
def as_outsider(outsider):
    return token_client(outsider)


@pytest.fixture
def anonymous(db):
    return APIClient()


def api(path):
    return f"/api/v1/{path.lstrip('/')}"


def assert_error(response, status, code=None, fields=()):
    """The one error shape: {"detail": str, "code": str, "errors": {field: [str]}}."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    if code:
        assert body["code"] == code, body
    for field in fields:
        assert field in body["errors"], body
        assert all(isinstance(message, str) for message in body["errors"][field])
    return body


@functools.cache
def openapi_document():
    """The OpenAPI schema as /api/schema/ serves it (YAML), generated once per test process: test_schema.py
    reads it and test_schemathesis.py fuzzes every operation it describes. Asked for as localhost: the
    latter loads it while collecting, before pytest-django allows the test client's own host name."""
    response = Client(HTTP_HOST="localhost").get("/api/schema/")
    assert response.status_code == 200, response.content
    return response.content.decode()
