"""People, AI literacy measures and the shared tool catalogue through the API."""

import pytest

from productions.models import AITool, LiteracyMeasure, Person
from tests.api.conftest import api, assert_error, token_client
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, MembershipFactory, PersonFactory, UserFactory


def test_producers_record_people(as_producer, production):
    people = api(f"productions/{production.pk}/people/")

    created = as_producer.post(people, {"name": "Ricardo Darín", "role": "Juan Salvo", "union": "other"})
    assert_error(created, 400, fields=["non_field_errors"])  # "other" union must be named

    created = as_producer.post(people, {"name": "Ricardo Darín", "role": "Juan Salvo", "union": "none"})
    assert created.status_code == 201, created.content
    person = created.json()
    assert as_producer.get(f"{people}{person['id']}/").json()["name"] == "Ricardo Darín"

    updated = as_producer.patch(f"{people}{person['id']}/", {"deceased": True})
    assert updated.status_code == 200 and updated.json()["deceased"] is True

    assert as_producer.delete(f"{people}{person['id']}/").status_code == 204
    assert not Person.objects.filter(pk=person["id"]).exists()


@pytest.mark.parametrize("client_name", ["as_legal", "as_viewer"])
def test_legal_and_viewers_read_people_but_do_not_edit_them(request, client_name, production):
    client = request.getfixturevalue(client_name)
    person = PersonFactory(production=production)
    people = api(f"productions/{production.pk}/people/")

    assert client.get(people).json()["count"] == 1
    assert_error(client.post(people, {"name": "Ana"}), 403, "permission_denied")
    assert_error(client.patch(f"{people}{person.pk}/", {"name": "Ana"}), 403)
    assert_error(client.delete(f"{people}{person.pk}/"), 403)


def test_a_person_with_consents_stays(as_producer, production):
    person = PersonFactory(production=production)
    ConsentFactory(person=person)

    body = assert_error(as_producer.delete(api(f"productions/{production.pk}/people/{person.pk}/")), 400)

    assert "remove those links first" in body["detail"]
    assert body["errors"]["non_field_errors"] == [body["detail"]]


def test_a_person_of_another_production_is_not_found_through_this_one(as_producer, producer, production):
    elsewhere = MembershipFactory(user=producer).production
    person = PersonFactory(production=elsewhere)

    assert_error(as_producer.get(api(f"productions/{production.pk}/people/{person.pk}/")), 404)


def test_producers_record_literacy_measures(as_producer, as_viewer, production):
    measures = api(f"productions/{production.pk}/literacy-measures/")
    measure = {
        "held_on": "2026-01-15",
        "kind": "training",
        "description": "Generative tools and the studio's AI policy.",
        "departments": ["vfx", "art"],
        "participants": 24,
    }

    created = as_producer.post(measures, measure)
    assert created.status_code == 201, created.content
    assert created.json()["departments"] == ["art", "vfx"]  # in the vocabulary's order
    assert_error(as_producer.post(measures, {**measure, "departments": []}), 400, fields=["departments"])
    assert_error(as_producer.post(measures, {**measure, "departments": ["catering"]}), 400, fields=["departments"])
    assert_error(as_viewer.post(measures, measure), 403)

    pk = created.json()["id"]
    assert as_producer.patch(f"{measures}{pk}/", {"participants": 30}).json()["participants"] == 30
    assert as_producer.delete(f"{measures}{pk}/").status_code == 204
    assert not LiteracyMeasure.objects.exists()


TOOL = {
    "vendor": "Runway",
    "product": "Gen-4",
    "model_name": "gen4",
    "model_version": "2025-03",
    "kind": "video",
    "general_purpose_model": True,
    "training_data_provenance": ["licensed", "scraped_web"],
    "output_marking": "c2pa",
    "training_content_summary_url": "https://example.org/summary",
}


def test_every_signed_in_user_reads_the_catalogue(as_viewer, as_outsider, production):
    tool = AIToolFactory(vendor="Adobe", product="Firefly")

    for client in (as_viewer, as_outsider):
        assert client.get(api("tools/")).json()["count"] == 1
        assert client.get(api(f"tools/{tool.pk}/")).json()["product"] == "Firefly"


def test_curators_maintain_the_catalogue_with_a_reason(curator, production):
    as_curator = token_client(curator)
    assert_error(as_curator.post(api("tools/"), TOOL), 400, "invalid", fields=["reason"])
    created = as_curator.post(api("tools/"), {**TOOL, "reason": "vendor's model card"})

    assert created.status_code == 201, created.content
    tool = created.json()
    assert tool["training_data_provenance"] == ["licensed", "scraped_web"]
    assert tool["organisation"] is None and "reason" not in tool
    changed = as_curator.patch(api(f"tools/{tool['id']}/"), {"our_role": "provider", "reason": "vendor's terms"})
    assert changed.json()["our_role"] == "provider"
    duplicate = as_curator.post(api("tools/"), {**TOOL, "reason": "again"})
    assert_error(duplicate, 400, "invalid")
    assert_error(as_curator.delete(api(f"tools/{tool['id']}/")), 400, "invalid", fields=["reason"])
    assert as_curator.delete(api(f"tools/{tool['id']}/?reason=duplicate")).status_code == 204


def test_producers_and_others_do_not_edit_the_shared_catalogue(as_producer, as_viewer, as_legal, production):
    tool = AIToolFactory()

    for client in (as_producer, as_viewer):
        body = assert_error(client.post(api("tools/"), {**TOOL, "reason": "r"}), 403, "permission_denied")
        assert "curators" in body["detail"]
    for client in (as_producer, as_legal):
        assert_error(client.patch(api(f"tools/{tool.pk}/"), {"kind": "text", "reason": "r"}), 403)
        assert_error(client.delete(api(f"tools/{tool.pk}/?reason=r")), 403)


def test_staff_curate_the_catalogue_without_a_production(db):
    staff = UserFactory(is_staff=True)

    assert token_client(staff).post(api("tools/"), {**TOOL, "reason": "r"}).status_code == 201


def test_a_tool_in_use_stays_in_the_catalogue(curator, production):
    use = AIUseFactory(production=production)

    assert_error(token_client(curator).delete(api(f"tools/{use.tool_id}/?reason=unused")), 400)
    assert AITool.objects.filter(pk=use.tool_id).exists()


def test_an_unknown_tool_is_404(as_viewer, production):
    assert_error(as_viewer.get(api("tools/999999/")), 404, "not_found")
