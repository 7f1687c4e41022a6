"""Wrong passwords in a row lock the account out from that address for a while, with a clear message."""

import pytest
from django.urls import reverse

from tests.api.conftest import token_client
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
LOCKED_OUT = "Too many failed sign-ins for this account from your address. Try again in 15 minutes."


@pytest.fixture
def paula(db):
    user = UserFactory(username="paula")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, password, username="paula", address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_hundred_wrong_passwords_are_throttled_and_then_the_right_one_too(client, paula):
    answers = [sign_in(client, f"guess {attempt}") for attempt in range(100)]

    assert [answer.status_code for answer in answers[:9]] == [200] * 9, "the first failures are ordinary"
    assert {answer.status_code for answer in answers[10:]} == {429}
    assert LOCKED_OUT in answers[-1].content.decode()
    during_cool_off = sign_in(client, PASSWORD)
    assert during_cool_off.status_code == 429
    assert LOCKED_OUT in during_cool_off.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_account_from_that_address_only(client, paula):
    for attempt in range(10):
        sign_in(client, f"guess {attempt}")

    from_elsewhere = sign_in(client, PASSWORD, address="198.51.100.20")

    assert from_elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(paula.pk)


def test_a_correct_password_before_the_limit_resets_the_count(client, paula):
    for attempt in range(9):
        sign_in(client, f"guess {attempt}")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()

    assert sign_in(client, "one more guess").status_code == 200


def test_api_tokens_are_not_sign_ins_and_keep_working(client, paula):
    for attempt in range(12):
        sign_in(client, f"guess {attempt}")

    assert token_client(paula).get("/api/v1/productions/").status_code == 200
