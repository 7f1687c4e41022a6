"""Productions and their members through the API: each user sees their own, producers manage."""

import datetime

from productions.models import Membership, Production
from productions.vocabularies import CompanySize, Determination, Role
from tests.api.conftest import api, assert_error, token_client
from tests.factories import UserFactory

NEW_PRODUCTION = {
    "title": "L'Éternaute",
    "kind": "series",
    "production_company": "K&S Films",
    "countries": ["AR"],
    "year": 2025,
    "cut": "picture lock v3",
}
DETERMINATIONS = ("evidently_artistic", "screenplay_human_authored", "performances_by_humans")


def new_production(organisation, **overrides):
    return {**NEW_PRODUCTION, "organisation": organisation.pk, **overrides}


def test_each_user_lists_their_productions_with_their_role(as_producer, as_legal, as_outsider, production):
    assert [(p["title"], p["role"]) for p in as_producer.get(api("productions/")).json()["results"]] == [
        ("El Eternauta", "producer")
    ]
    assert [p["role"] for p in as_legal.get(api("productions/")).json()["results"]] == ["legal"]
    assert "El Eternauta" not in [p["title"] for p in as_outsider.get(api("productions/")).json()["results"]]


def test_an_outsider_gets_404_for_a_production_and_everything_in_it(as_outsider, production):
    for path in ("", "members/", "people/", "ai-uses/", "consents/", "literacy-measures/", "checklist/", "documents/"):
        assert_error(as_outsider.get(api(f"productions/{production.pk}/{path}")), 404, "not_found")
    assert_error(as_outsider.patch(api(f"productions/{production.pk}/"), {"cut": "v4"}), 404)
    assert_error(as_outsider.post(api(f"productions/{production.pk}/people/"), {"name": "Ana"}), 404)


def test_anonymous_gets_401(anonymous, production):
    assert_error(anonymous.get(api(f"productions/{production.pk}/")), 401)
    assert_error(anonymous.post(api("productions/"), NEW_PRODUCTION), 401)


def test_an_organisation_owner_starts_a_production_in_it_and_becomes_its_producer(outsider):
    client = token_client(outsider)
    studio = outsider.organisation_memberships.get().organisation

    response = client.post(api("productions/"), new_production(studio))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["role"] == "producer" and body["countries"] == ["AR"] and body["title"] == "L'Éternaute"
    assert body["organisation"] == studio.pk
    assert Membership.objects.get(production_id=body["id"], user=outsider).role == Role.PRODUCER


def test_a_production_is_validated_field_by_field(as_producer, production):
    response = as_producer.post(
        api("productions/"), new_production(production.organisation, year=1700, countries=["XX"])
    )

    body = assert_error(response, 400, "invalid", fields=["year", "countries.0"])
    assert not Production.objects.filter(title="L'Éternaute").exists()
    assert body["detail"]


def test_only_producers_edit_the_production(as_producer, as_legal, as_viewer, production):
    url = api(f"productions/{production.pk}/")

    assert_error(as_legal.patch(url, {"cut": "v4"}), 403, "permission_denied")
    assert_error(as_viewer.put(url, {**NEW_PRODUCTION}), 403)
    response = as_producer.patch(url, {"cut": "picture lock v4"})

    assert response.status_code == 200
    assert response.json()["cut"] == "picture lock v4" and response.json()["role"] == "producer"
    production.refresh_from_db()
    assert production.cut == "picture lock v4"
    assert production.history.first().history_user.username == "paula"


def test_a_new_production_starts_with_nothing_determined(as_producer, production):
    body = as_producer.post(api("productions/"), new_production(production.organisation)).json()

    assert [body[name] for name in DETERMINATIONS] == ["not_determined"] * 3
    assert body["company_size"] == ""
    assert body["principal_photography_start"] is None and body["principal_photography_end"] is None


def test_the_dates_of_photography_the_company_size_and_the_determinations_round_trip(as_producer, production):
    url = api(f"productions/{production.pk}/")
    facts = {
        "principal_photography_start": "2023-04-17",
        "principal_photography_end": "2024-03-29",
        "company_size": "sme",
        "evidently_artistic": "yes",
        "screenplay_human_authored": "yes",
        "performances_by_humans": "no",
    }

    response = as_producer.patch(url, facts)

    assert response.status_code == 200, response.content
    assert {name: response.json()[name] for name in facts} == facts
    assert {name: as_producer.get(url).json()[name] for name in facts} == facts
    production.refresh_from_db()
    assert production.principal_photography_start == datetime.date(2023, 4, 17)
    assert (production.company_size, production.performances_by_humans) == (CompanySize.SME, Determination.NO)


def test_the_booleans_earlier_clients_sent_still_read_as_determinations(as_producer, production):
    url = api(f"productions/{production.pk}/")

    response = as_producer.patch(
        url, {"evidently_artistic": True, "screenplay_human_authored": False, "performances_by_humans": None}
    )

    assert response.status_code == 200, response.content
    assert [response.json()[name] for name in DETERMINATIONS] == ["yes", "no", "not_determined"]
    production.refresh_from_db()
    assert [getattr(production, name) for name in DETERMINATIONS] == ["yes", "no", "not_determined"]
    created = as_producer.post(api("productions/"), new_production(production.organisation, evidently_artistic=False))
    assert created.status_code == 201 and created.json()["evidently_artistic"] == "no"


def test_bad_facts_of_a_production_are_refused_field_by_field(as_producer, production):
    url = api(f"productions/{production.pk}/")

    body = assert_error(
        as_producer.patch(url, {"evidently_artistic": "maybe", "performances_by_humans": 1, "company_size": "huge"}),
        400,
        "invalid",
        fields=["evidently_artistic", "performances_by_humans", "company_size"],
    )
    assert body["errors"]["evidently_artistic"] == ['"maybe" is not a valid choice.']
    body = assert_error(
        as_producer.patch(
            url, {"principal_photography_start": "2026-10-02", "principal_photography_end": "2026-07-06"}
        ),
        400,
        fields=["principal_photography_end"],
    )
    assert body["errors"]["principal_photography_end"] == ["Principal photography ends after it begins."]
    assert_error(as_producer.patch(url, {"principal_photography_start": "06/07/2026"}), 400)
    production.refresh_from_db()
    assert production.principal_photography_start is None
    assert production.evidently_artistic == Determination.NOT_DETERMINED


def test_every_member_sees_the_members(as_viewer, producer, legal, production):
    response = as_viewer.get(api(f"productions/{production.pk}/members/"))

    assert response.status_code == 200
    assert [(m["user"]["username"], m["role"]) for m in response.json()["results"]] == [
        ("lea", "legal"),
        ("paula", "producer"),
        ("victor", "viewer"),
    ]


def test_producers_change_and_remove_members(as_producer, viewer, production):
    members = api(f"productions/{production.pk}/members/")
    member = Membership.objects.get(production=production, user=viewer)

    changed = as_producer.patch(f"{members}{member.pk}/", {"role": "legal"})
    assert changed.status_code == 200 and changed.json()["role"] == "legal"

    assert as_producer.delete(f"{members}{member.pk}/").status_code == 204
    assert not Membership.objects.filter(production=production, user=viewer).exists()


def test_nobody_is_added_by_username_any_more(as_producer, viewer, production):
    UserFactory(username="nadia")
    members = api(f"productions/{production.pk}/members/")

    assert_error(as_producer.post(members, {"username": "nadia", "role": "viewer"}), 405)
    assert not Membership.objects.filter(user__username="nadia").exists()


def test_a_production_keeps_a_producer(as_producer, producer, production):
    own = Membership.objects.get(production=production, user=producer)
    url = api(f"productions/{production.pk}/members/{own.pk}/")

    assert_error(as_producer.patch(url, {"role": "viewer"}), 400, fields=["role"])
    assert_error(as_producer.delete(url), 400, fields=["role"])


def test_a_member_of_another_production_is_not_found_here(as_producer, outsider, production):
    elsewhere = Membership.objects.get(user=outsider)

    assert_error(as_producer.get(api(f"productions/{production.pk}/members/{elsewhere.pk}/")), 404)
