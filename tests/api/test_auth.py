"""Who may call the API: a personal token (Bearer) or a signed-in session with its CSRF token."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from productions.models import ApiToken
from productions.tokens import issue_token, revoke_token
from tests.api.conftest import api, assert_error


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_opens_the_api_as_its_owner(producer, production):
    _token, secret = issue_token(user=producer, name="ShotGrid sync")

    response = bearer(secret).get(api("productions/"))

    assert response.status_code == 200
    assert [p["title"] for p in response.json()["results"]] == ["El Eternauta"]


def test_without_credentials_the_api_answers_401_with_a_bearer_challenge(anonymous):
    response = anonymous.get(api("productions/"))

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer", "Bearer two parts", "Bearer not-a-token", "Bearer é"])
def test_a_malformed_or_unknown_token_is_refused(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    assert_error(client.get(api("productions/")), 401, "authentication_failed")


def test_a_revoked_token_is_refused(producer, production):
    token, secret = issue_token(user=producer, name="old laptop")
    revoke_token(user=producer, pk=token.pk)

    body = assert_error(bearer(secret).get(api("productions/")), 401, "authentication_failed")
    assert "revoked" in body["detail"]


def test_the_token_of_a_deactivated_user_is_refused(producer, production):
    _token, secret = issue_token(user=producer, name="script")
    producer.is_active = False
    producer.save()

    assert_error(bearer(secret).get(api("productions/")), 401)


def test_use_is_recorded_at_most_once_a_minute(producer, production):
    token, secret = issue_token(user=producer, name="script")
    client = bearer(secret)

    client.get(api("productions/"))
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    client.get(api("productions/"))
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - datetime.timedelta(minutes=2))
    client.get(api("productions/"))
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < datetime.timedelta(seconds=30)


def test_the_secret_is_never_stored_only_its_hash_and_prefix(producer):
    token, secret = issue_token(user=producer, name="script")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(stored)
    assert stored["prefix"] == secret[:8]
    assert len(stored["secret_hash"]) == 64
    assert secret not in str(list(ApiToken.history.values()))


def test_a_session_works_and_its_writes_need_the_csrf_token(producer, production):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(producer)
    url = api(f"productions/{production.pk}/people/")

    assert client.get(url).status_code == 200
    refused = assert_error(client.post(url, {"name": "Ana"}, format="json"), 403, "permission_denied")
    assert "CSRF" in refused["detail"]

    csrf = "a" * 32
    client.cookies["csrftoken"] = csrf
    accepted = client.post(url, {"name": "Ana"}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201, accepted.content
