"""Every API error has one shape, {"detail", "code", "errors"}, and a 4xx status: never a 500."""

import pytest
from django.db import IntegrityError

from tests.api.conftest import api, assert_error


def test_invalid_data_is_a_400_with_messages_per_field(as_producer, production):
    body = assert_error(
        as_producer.post(api(f"productions/{production.pk}/people/"), {"union": "teamsters"}),
        400,
        "invalid",
        fields=["name", "union"],
    )
    assert body["detail"] == "Some of the data is not valid."


def test_malformed_json_is_a_400(as_producer, production):
    response = as_producer.generic(
        "POST", api(f"productions/{production.pk}/people/"), "{not json", content_type="application/json"
    )

    assert_error(response, 400, "parse_error")


def test_a_wrong_method_is_a_405(as_producer, production):
    assert_error(as_producer.delete(api("productions/")), 405, "method_not_allowed")
    assert_error(as_producer.put(api(f"productions/{production.pk}/ai-uses/"), {}), 405)
    assert_error(as_producer.get(api(f"productions/{production.pk}/consents/1/approve/")), 405)


def test_a_body_of_the_wrong_media_type_is_a_415(as_producer, production):
    response = as_producer.generic(
        "POST", api(f"productions/{production.pk}/people/"), "name=Ana", content_type="text/plain"
    )

    assert_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/productions", "/api/v2/productions/", "/api/"])
def test_an_unknown_api_url_is_a_json_404(as_producer, path):
    assert_error(as_producer.get(path), 404, "not_found")


def test_a_database_conflict_is_a_400_not_a_500(as_producer, production, monkeypatch):
    def collide(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr("productions.api.views.PersonViewSet.create_service", collide)

    body = assert_error(as_producer.post(api(f"productions/{production.pk}/people/"), {"name": "Ana"}), 400)

    assert "conflicts with another record" in body["errors"]["non_field_errors"][0]


def test_refusals_keep_the_shape(as_viewer, as_outsider, anonymous, production):
    people = api(f"productions/{production.pk}/people/")

    assert_error(as_viewer.post(people, {"name": "Ana"}), 403, "permission_denied")
    assert_error(as_outsider.post(people, {"name": "Ana"}), 404, "not_found")
    assert_error(anonymous.post(people, {"name": "Ana"}), 401, "not_authenticated")


def test_field_messages_follow_each_request_s_language(as_producer, production):
    """The serializers' fields are built once per class and language (ServiceModelSerializer): a French request
    after an English one, and an English one after it, each read their own language."""
    url = api(f"productions/{production.pk}/ai-uses/")
    messages = [
        as_producer.post(url, {"phase": "harvest"}, format="json", HTTP_ACCEPT_LANGUAGE=language).json()["errors"]
        for language in ("en", "fr", "en")
    ]
    english, french = (
        ['"harvest" is not a valid choice.'],
        ["«\N{NO-BREAK SPACE}harvest\N{NO-BREAK SPACE}» n'est pas un choix valide."],
    )
    assert [errors["phase"] for errors in messages] == [english, french, english]
    assert messages[0]["department"] == ["This field is required."]
    assert messages[1]["department"] == ["Ce champ est obligatoire."]
