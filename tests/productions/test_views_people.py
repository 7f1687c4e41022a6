"""The people pages: who is depicted, their consents and the AI uses relying on them, per role."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from productions.models import Person
from productions.vocabularies import ConsentKind, PerformerUse, ReviewState, Role, Union
from tests.factories import AIUseFactory, ConsentFactory, MembershipFactory, PersonFactory, ProductionFactory

READERS = ["producer", "legal", "viewer"]


def url(name, *args):
    return reverse(f"productions:{name}", args=args)


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo", union=Union.SAG_AFTRA)


@pytest.fixture
def elsewhere(producer):
    """Another production the producer also belongs to: its records are not this production's."""
    other = ProductionFactory(title="Elsewhere")
    MembershipFactory(production=other, user=producer, role=Role.PRODUCER)
    return other


def person_fields(**overrides):
    return {"name": "Carla Peterson", "role": "Elena", "union": Union.EQUITY, "representative_contact": ""} | overrides


# The list


@pytest.mark.parametrize("role", READERS)
def test_every_member_sees_the_people_with_their_consents_and_uses(request, client, production, performer, role):
    ConsentFactory(person=performer, review_state=ReviewState.SUBMITTED)
    ConsentFactory(
        person=performer,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        revoked_on=datetime.date(2026, 4, 1),
    )
    revoked = performer.consents.get(kind=ConsentKind.INDEPENDENT_REPLICA)
    AIUseFactory(production=production, performer_use=PerformerUse.VOICE_CLONE, people=[performer], consents=[revoked])
    client.force_login(request.getfixturevalue(role))

    response = client.get(url("people", production.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Ricardo Darín" in text
    assert "Juan Salvo" in text
    assert 'class="status status-revoked">1 Revoked' in text
    assert 'class="status status-submitted">1 Submitted for review' in text
    assert "(1 blocked)" in text


def test_only_producers_are_offered_to_add_a_person(client, production, producer, legal):
    client.force_login(legal)
    assert url("person-create", production.pk) not in client.get(url("people", production.pk)).content.decode()

    client.force_login(producer)
    assert url("person-create", production.pk) in client.get(url("people", production.pk)).content.decode()


def test_an_empty_production_says_who_to_add(client, production, viewer):
    client.force_login(viewer)

    response = client.get(url("people", production.pk))

    assert "No one is recorded yet." in response.content.decode()


@pytest.mark.parametrize("people", [2, 12])
def test_the_people_list_costs_the_same_queries_for_few_or_many(
    client, production, viewer, people, django_assert_max_num_queries
):
    for _ in range(people):
        person = PersonFactory(production=production)
        consent = ConsentFactory(person=person, review_state=ReviewState.SUBMITTED)
        AIUseFactory(
            production=production, performer_use=PerformerUse.DIGITAL_ALTERATION, people=[person], consents=[consent]
        )
    client.force_login(viewer)

    # With legal's coverage decisions (for the uses' statuses) and the unread notifications in the header.
    with django_assert_max_num_queries(10):
        response = client.get(url("people", production.pk))

    assert response.status_code == 200


# Reading a person


@pytest.mark.parametrize("role", READERS)
def test_a_person_page_lists_their_consents_and_the_uses_relying_on_them(request, client, production, performer, role):
    consent = ConsentFactory(
        person=performer,
        review_state=ReviewState.SUBMITTED,
        expires_on=datetime.date(2030, 12, 31),
        scope_description="De-ageing in the flashback scenes of reel 3.",
    )
    AIUseFactory(
        production=production,
        title="Young Juan Salvo",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[performer],
        consents=[consent],
    )
    client.force_login(request.getfixturevalue(role))

    response = client.get(url("person-detail", production.pk, performer.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Digital alteration" in text
    assert 'class="status status-submitted"' in text
    assert "March 1, 2026" in text  # signed
    assert "Dec. 31, 2030" in text  # expires
    assert "De-ageing in the flashback scenes of reel 3." in text
    assert "Young Juan Salvo" in text
    assert 'class="status status-pending_review"' in text


@pytest.mark.parametrize("records", [1, 10])
def test_a_person_page_costs_the_same_queries_for_few_or_many_records(
    client, production, performer, viewer, records, django_assert_max_num_queries
):
    for _ in range(records):
        consent = ConsentFactory(person=performer, review_state=ReviewState.SUBMITTED)
        AIUseFactory(
            production=production,
            performer_use=PerformerUse.DIGITAL_ALTERATION,
            people=[performer],
            consents=[consent],
        )
    client.force_login(viewer)

    # With legal's coverage decisions (for the uses' statuses) and the unread notifications in the header.
    with django_assert_max_num_queries(10):
        response = client.get(url("person-detail", production.pk, performer.pk))

    assert response.content.decode().count('class="status status-pending_review"') == records


def test_a_use_relying_on_a_revoked_consent_shows_as_blocked(client, production, performer, viewer):
    consent = ConsentFactory(
        person=performer,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        revoked_on=datetime.date(2026, 4, 1),
    )
    AIUseFactory(
        production=production, performer_use=PerformerUse.DIGITAL_ALTERATION, people=[performer], consents=[consent]
    )
    client.force_login(viewer)

    text = client.get(url("person-detail", production.pk, performer.pk)).content.decode()

    assert 'class="status status-revoked">Revoked on April 1, 2026' in text
    assert '<tr class="blocked">' in text
    assert 'class="status status-revoked">Revoked</span>' in text


def test_a_person_of_another_production_is_not_found_under_this_one(client, production, producer, elsewhere):
    stranger = PersonFactory(production=elsewhere)
    client.force_login(producer)

    for name in ("person-detail", "person-edit", "person-delete", "person-history"):
        assert client.get(url(name, production.pk, stranger.pk)).status_code == 404


def test_an_outsider_finds_neither_the_list_nor_the_person(client, production, performer, outsider):
    client.force_login(outsider)

    assert client.get(url("people", production.pk)).status_code == 404
    assert client.get(url("person-detail", production.pk, performer.pk)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, production, performer):
    for address in (url("people", production.pk), url("person-detail", production.pk, performer.pk)):
        response = client.get(address)

        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# Adding, editing, removing


def test_a_producer_adds_a_person(client, production, producer):
    client.force_login(producer)

    response = client.post(url("person-create", production.pk), person_fields())

    person = Person.objects.get(name="Carla Peterson")
    assert response.status_code == 302
    assert response.url == url("person-detail", production.pk, person.pk)
    assert person.production == production
    assert person.union == Union.EQUITY
    assert person.history.get().history_user == producer


def test_another_union_must_be_named(client, production, producer):
    client.force_login(producer)

    response = client.post(url("person-create", production.pk), person_fields(union=Union.OTHER, union_other=""))

    assert response.status_code == 200
    assert "Name the union." in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize("role", ["legal", "viewer"])
def test_only_producers_add_edit_or_remove_people(request, client, production, performer, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url("person-create", production.pk)).status_code == 403
    assert client.post(url("person-create", production.pk), person_fields()).status_code == 403
    assert client.get(url("person-edit", production.pk, performer.pk)).status_code == 403
    assert client.post(url("person-edit", production.pk, performer.pk), person_fields()).status_code == 403
    assert client.post(url("person-delete", production.pk, performer.pk)).status_code == 403
    assert list(Person.objects.values_list("name", flat=True)) == ["Ricardo Darín"]


def test_an_outsider_cannot_add_a_person(client, production, outsider):
    client.force_login(outsider)

    assert client.post(url("person-create", production.pk), person_fields()).status_code == 404
    assert not Person.objects.filter(production=production).exists()


def test_a_producer_edits_a_person(client, production, producer, performer):
    client.force_login(producer)

    edit_page = client.get(url("person-edit", production.pk, performer.pk))
    response = client.post(
        url("person-edit", production.pk, performer.pk),
        person_fields(name="Ricardo Darín", role="Juan Salvo (older)", union=Union.SAG_AFTRA),
    )

    assert 'value="Juan Salvo"' in edit_page.content.decode()
    assert response.status_code == 302
    performer.refresh_from_db()
    assert performer.role == "Juan Salvo (older)"
    assert performer.history.latest().history_user == producer


def test_a_producer_removes_a_person_nothing_relies_on(client, production, producer, performer):
    client.force_login(producer)

    confirmation = client.get(url("person-delete", production.pk, performer.pk))
    response = client.post(url("person-delete", production.pk, performer.pk))

    assert confirmation.status_code == 200
    assert response.status_code == 302
    assert response.url == url("people", production.pk)
    assert not Person.objects.exists()


def test_a_person_with_consents_is_not_removed_and_the_page_says_why(client, production, producer, performer):
    ConsentFactory(person=performer)
    client.force_login(producer)

    response = client.post(url("person-delete", production.pk, performer.pk))

    assert response.status_code == 200
    assert "Ricardo Darín has consents or appears in AI uses; remove those links first." in response.content.decode()
    assert Person.objects.filter(pk=performer.pk).exists()


def test_people_forms_need_the_csrf_token(production, producer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(producer)

    response = client.post(url("person-create", production.pk), person_fields())

    assert response.status_code == 403
    assert not Person.objects.exists()
