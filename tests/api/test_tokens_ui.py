"""The API tokens page: create a named token (its secret shown once), see when each was used, revoke."""

from django.apps import apps
from django.test import Client
from django.urls import reverse

from productions.models import ApiToken
from productions.tokens import hash_secret, issue_token
from tests.api.conftest import api
from tests.factories import UserFactory

TOKENS = reverse("productions:tokens")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def every_stored_value():
    """Every row of every table, as text: where a leaked secret would show."""
    return "\n".join(
        str(row) for model in apps.get_models(include_auto_created=True) for row in model.objects.values_list()
    )


def create_token(client, name="ShotGrid sync"):
    response = client.post(TOKENS, {"name": name})
    assert response.status_code == 200
    return response, response.context["secret"]


def test_the_page_needs_a_signed_in_user(db):
    response = Client().get(TOKENS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(producer, production):
    client = signed_in(producer)

    response, secret = create_token(client)

    assert secret in response.content.decode()
    assert "shown only this once" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get(user=producer)
    assert token.name == "ShotGrid sync"
    assert token.secret_hash == hash_secret(secret)
    assert secret not in every_stored_value()  # not in the tokens, their history, nor the session

    again = client.get(TOKENS).content.decode()
    assert secret not in again
    assert "ShotGrid sync" in again and token.prefix in again


def test_the_token_created_on_the_page_opens_the_api(producer, production):
    client = signed_in(producer)
    _response, secret = create_token(client)

    response = Client().get(api("productions/"), HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200
    assert "Never" not in client.get(TOKENS).content.decode()  # last used is shown


def test_a_token_needs_a_name(producer):
    response = signed_in(producer).post(TOKENS, {"name": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert response.context["secret"] is None
    assert not ApiToken.objects.exists()


def test_revoking_a_token_closes_the_api_to_it(producer, production):
    client = signed_in(producer)
    _response, secret = create_token(client)
    token = ApiToken.objects.get(user=producer)

    response = client.post(reverse("productions:token-revoke", args=[token.pk]), follow=True)

    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(api("productions/"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert token.history.first().history_change_reason == "revoked"


def test_nobody_lists_or_revokes_someone_elses_tokens(producer, outsider):
    token, _secret = issue_token(user=producer, name="mine")
    client = signed_in(outsider)

    assert "mine" not in client.get(TOKENS).content.decode()
    assert client.post(reverse("productions:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_takes_a_post(producer):
    token, _secret = issue_token(user=producer, name="mine")

    assert signed_in(producer).get(reverse("productions:token-revoke", args=[token.pk])).status_code == 405


def test_each_user_sees_their_own_tokens_newest_first(db):
    user = UserFactory()
    issue_token(user=user, name="first")
    issue_token(user=user, name="second")

    tokens = list(signed_in(user).get(TOKENS).context["tokens"])

    assert [t.name for t in tokens] == ["second", "first"]
