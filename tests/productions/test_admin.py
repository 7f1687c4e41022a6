"""The admin, as a superuser sees it: every record listed, searched, filtered, with its history."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from productions import services
from productions.consent_status import ConsentStatus
from productions.vocabularies import (
    CompanySize,
    ConsentKind,
    Determination,
    PerformerUse,
    Permission,
    ReviewState,
    Role,
    ToolKind,
    TriState,
    Union,
)
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    LiteracyMeasureFactory,
    MembershipFactory,
    PersonFactory,
    ProductionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["production", "membership", "person", "aitool", "aiuse", "consent", "literacymeasure"]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def admin_url(model, view, *args):
    return reverse(f"admin:productions_{model}_{view}", args=args)


@pytest.fixture
def records(production):
    """One record of each kind, named so a search finds it and not its neighbour."""
    other = ProductionFactory(title="Quiet Harbour")
    person = PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")
    consent = ConsentFactory(person=person, scope_description="Voice of Juan Salvo, Spanish dub only.")
    return {
        "production": production,
        "membership": MembershipFactory(production=production, user=UserFactory(username="mirta")),
        "person": person,
        "aitool": AIToolFactory(vendor="Runway", product="Gen-4"),
        "aiuse": AIUseFactory(production=production, title="Snowfall over Buenos Aires", people=[person]),
        "consent": consent,
        "literacymeasure": LiteracyMeasureFactory(production=production, description="Deepfake awareness briefing"),
        "others": {
            "production": other,
            "membership": MembershipFactory(production=other, user=UserFactory(username="nestor")),
            "person": PersonFactory(production=other, name="Inés Estévez"),
            "aitool": AIToolFactory(vendor="ElevenLabs", product="Dubbing Studio"),
            "aiuse": AIUseFactory(production=other, title="Harbour fog extension"),
            "consent": ConsentFactory(person=PersonFactory(production=other, name="Carla Peterson")),
            "literacymeasure": LiteracyMeasureFactory(production=other, description="Written tool policy"),
        },
    }


SEARCHES = {
    "production": "Eternauta",
    "membership": "mirta",
    "person": "Darín",
    "aitool": "Runway",
    "aiuse": "Snowfall",
    "consent": "Darín",
    "literacymeasure": "Deepfake awareness",
}


def listed(response):
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize("model", MODELS)
def test_every_record_has_a_changelist_an_add_page_and_a_change_page(admin_client, records, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    assert admin_client.get(admin_url(model, "change", records[model].pk)).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_search_finds_the_record_and_not_its_neighbour(admin_client, records, model):
    response = admin_client.get(admin_url(model, "changelist"), {"q": SEARCHES[model]})

    assert response.status_code == 200
    assert listed(response) == {records[model]}


@pytest.mark.parametrize("model", MODELS)
def test_every_record_shows_its_history(admin_client, records, model):
    response = admin_client.get(admin_url(model, "history", records[model].pk))

    assert response.status_code == 200


def test_history_shows_who_changed_an_ai_use_through_the_services(admin_client, production, producer):
    ai_use = AIUseFactory(production=production, title="Rough snow")
    services.update_ai_use(actor=producer, ai_use=ai_use, title="Final snow")

    response = admin_client.get(reverse("admin:productions_aiuse_history", args=[ai_use.pk]))

    assert response.status_code == 200
    assert "paula" in response.content.decode()
    assert "Final snow" in response.content.decode()


def test_history_cannot_be_used_to_revert(admin_client, production, producer):
    ai_use = AIUseFactory(production=production, title="Rough snow")
    services.update_ai_use(actor=producer, ai_use=ai_use, title="Final snow")
    first = ai_use.history.earliest()
    url = admin_url("aiuse", "simple_history", ai_use.pk, first.history_id)

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"title": "Rough snow"}).status_code == 403
    ai_use.refresh_from_db()
    assert ai_use.title == "Final snow"


def test_ai_use_filters(admin_client, production):
    final = AIUseFactory(production=production, is_final=True, tool=AIToolFactory(kind=ToolKind.VIDEO))
    temp = AIUseFactory(production=production, is_final=False, tool=AIToolFactory(kind=ToolKind.AUDIO_VOICE))
    url = admin_url("aiuse", "changelist")

    assert listed(admin_client.get(url, {"is_final__exact": "0"})) == {temp}
    assert listed(admin_client.get(url, {"tool__kind__exact": ToolKind.VIDEO})) == {final}
    assert listed(admin_client.get(url, {"production__id__exact": production.pk})) == {final, temp}


def test_consent_filters_on_revocation_and_expiry(admin_client, production):
    person = PersonFactory(production=production)
    today = timezone.localdate()
    revoked = ConsentFactory(person=person, signed_on=today - datetime.timedelta(days=30), revoked_on=today)
    expired = ConsentFactory(
        person=person,
        signed_on=today - datetime.timedelta(days=30),
        expires_on=today - datetime.timedelta(days=1),
    )
    open_ended = ConsentFactory(person=person)
    url = admin_url("consent", "changelist")

    assert listed(admin_client.get(url, {"revoked": "yes"})) == {revoked}
    assert listed(admin_client.get(url, {"revoked": "no"})) == {expired, open_ended}
    assert listed(admin_client.get(url, {"expiry": "expired"})) == {expired}
    assert listed(admin_client.get(url, {"expiry": "never"})) == {revoked, open_ended}


def test_person_and_tool_filters(admin_client, production):
    union_member = PersonFactory(production=production, union=Union.SAG_AFTRA, deceased=True)
    PersonFactory(production=production)
    general = AIToolFactory(general_purpose_model=True)
    AIToolFactory()

    assert listed(admin_client.get(admin_url("person", "changelist"), {"union__exact": Union.SAG_AFTRA})) == {
        union_member
    }
    assert listed(admin_client.get(admin_url("person", "changelist"), {"deceased__exact": "1"})) == {union_member}
    assert listed(admin_client.get(admin_url("aitool", "changelist"), {"general_purpose_model__exact": "1"})) == {
        general
    }


def test_the_change_pages_show_the_facts_the_law_turns_on(admin_client, records):
    pages = {
        model: admin_client.get(admin_url(model, "change", records[model].pk)).content.decode()
        for model in ("production", "aiuse", "consent", "aitool")
    }

    for model, names in {
        "production": ["principal_photography_start", "principal_photography_end", "company_size"],
        "aiuse": ["used_from", "used_until", "published_in", "purpose", "intimate_imagery"],
        "consent": ["covers_voice", "intimate_imagery_consent", "intimate_imagery_description"],
    }.items():
        for name in names:
            assert f'name="{name}"' in pages[model], (model, name)
    assert '<option value="not_determined" selected>Not determined</option>' in pages["production"]
    assert 'type="checkbox" name="published_in" value="trailer"' in pages["aiuse"]
    assert "Placed on the market or put into service on" in pages["aitool"]


def test_production_filters_on_the_determinations_and_the_company_size(admin_client, production):
    artistic = ProductionFactory(evidently_artistic=Determination.YES, company_size=CompanySize.SME)
    url = admin_url("production", "changelist")

    assert listed(admin_client.get(url, {"evidently_artistic__exact": Determination.YES})) == {artistic}
    assert listed(admin_client.get(url, {"evidently_artistic__exact": Determination.NOT_DETERMINED})) == {production}
    assert listed(admin_client.get(url, {"company_size__exact": CompanySize.SME})) == {artistic}


def test_an_ai_use_edited_in_the_admin_keeps_its_dates_in_order(admin_client, production):
    ai_use = AIUseFactory(production=production)
    url = admin_url("aiuse", "change", ai_use.pk)
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(
        {
            "production": production.pk,
            "tool": ai_use.tool_id,
            "people": [],
            "consents": [],
            "used_from": "2026-11-13",
            "used_until": "2026-08-24",
            "published_in": ["trailer"],
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["used_until"] == ["The last use comes after the first."]
    ai_use.refresh_from_db()
    assert (ai_use.used_until, ai_use.published_in) == (None, [])


def test_ai_use_list_shows_the_consent_status(admin_client, production):
    person = PersonFactory(production=production)
    approved = ConsentFactory(
        person=person,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
    )
    AIUseFactory(production=production, performer_use=PerformerUse.VOICE_CLONE, people=[person], consents=[approved])
    # A voice consent relied on for a digital alteration does not cover it.
    AIUseFactory(
        production=production, performer_use=PerformerUse.DIGITAL_ALTERATION, people=[person], consents=[approved]
    )

    html = admin_client.get(admin_url("aiuse", "changelist")).content.decode()

    assert str(ConsentStatus.COVERED.label) in html
    assert f">{ConsentStatus.OUT_OF_SCOPE.label}</strong>" in html


def make_uses(count):
    for _ in range(count):
        person = PersonFactory()
        consent = ConsentFactory(person=person)
        AIUseFactory(
            production=person.production,
            performer_use=PerformerUse.DIGITAL_ALTERATION,
            people=[person, PersonFactory(production=person.production)],
            consents=[consent],
        )


@pytest.mark.parametrize("count", [5, 30])
def test_ai_use_list_costs_the_same_queries_for_any_number_of_uses(admin_client, django_assert_max_num_queries, count):
    make_uses(count)

    # Session, user, the production filter, two counts, the page, its people, its consents, legal's coverage
    # decisions, two for the dates.
    with django_assert_max_num_queries(11):
        response = admin_client.get(admin_url("aiuse", "changelist"))

    assert len(response.context["cl"].result_list) == count


@pytest.mark.parametrize("model", ["consent", "person", "membership", "literacymeasure"])
def test_other_lists_cost_the_same_queries_for_any_number_of_records(
    admin_client, django_assert_max_num_queries, model
):
    make_uses(30)
    for membership_production in ProductionFactory.create_batch(3):
        MembershipFactory(production=membership_production)
        LiteracyMeasureFactory(production=membership_production)

    with django_assert_max_num_queries(10):
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200


def test_consent_page_links_the_document_to_its_guarded_download_and_never_to_media(admin_client, production):
    consent = ConsentFactory(person=PersonFactory(production=production))
    consent.document.save("Ricardo Darín signed.pdf", ContentFile(PDF), save=False)
    consent.document_content_type = "application/pdf"
    consent.document_size = len(PDF)
    consent.save()

    response = admin_client.get(admin_url("consent", "change", consent.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("productions:consent-document", args=[consent.pk]) in html
    assert "/media/" not in html
    assert consent.document.name not in html
    assert "application/pdf" in html
    assert 'type="file"' not in html


# Equity's and the 2026 agreement's questions, as the admin's form posts them when nobody answered them.
UNANSWERED_QUESTIONS = {
    "training_permission": Permission.NOT_STATED,
    "third_party_licensing": Permission.NOT_STATED,
    "performer_is_minor": TriState.UNKNOWN,
}


def test_consent_document_cannot_be_replaced_through_the_admin(admin_client, production):
    consent = ConsentFactory(person=PersonFactory(production=production))
    data = {
        "person": consent.person.pk,
        "kind": consent.kind,
        "scope_description": consent.scope_description,
        "separately_signed": "on",
        "signed_on": "2026-03-01",
        **UNANSWERED_QUESTIONS,
        "document": ContentFile(b"#!/bin/sh\n", name="evil.sh"),
    }

    response = admin_client.post(admin_url("consent", "change", consent.pk), data)

    assert response.status_code == 302
    consent.refresh_from_db()
    assert not consent.document


def test_consent_review_is_not_an_editable_field(admin_client, production):
    consent = ConsentFactory(person=PersonFactory(production=production))
    data = {
        "person": consent.person.pk,
        "kind": consent.kind,
        "scope_description": consent.scope_description,
        "signed_on": "2026-03-01",
        **UNANSWERED_QUESTIONS,
        "review_state": ReviewState.APPROVED,
    }

    response = admin_client.post(admin_url("consent", "change", consent.pk), data)

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.review_state == ReviewState.DRAFT


def test_person_page_lists_their_consents_read_only(admin_client, production):
    person = PersonFactory(production=production)
    consent = ConsentFactory(person=person, kind=ConsentKind.SYNTHETIC_PERFORMER)

    html = admin_client.get(admin_url("person", "change", person.pk)).content.decode()

    assert str(ConsentKind.SYNTHETIC_PERFORMER.label) in html
    assert admin_url("consent", "change", consent.pk) in html


def test_production_page_lists_its_members(admin_client, production, producer, legal):
    html = admin_client.get(admin_url("production", "change", production.pk)).content.decode()

    assert "paula" in html
    assert "lea" in html
    assert str(Role.LEGAL.label) in html


def test_ai_use_refuses_people_of_another_production(admin_client, production):
    ai_use = AIUseFactory(production=production)
    stranger = PersonFactory(name="Someone Else")
    data = {
        "production": production.pk,
        "title": ai_use.title,
        "phase": ai_use.phase,
        "department": ai_use.department,
        "output_type": ai_use.output_type,
        "digital_source_type": ai_use.digital_source_type,
        "performer_use": PerformerUse.DIGITAL_ALTERATION,
        "deep_fake": ai_use.deep_fake,
        "disclosure_method": ai_use.disclosure_method,
        "inputs_rights": ai_use.inputs_rights,
        "people": [stranger.pk],
    }

    response = admin_client.post(admin_url("aiuse", "change", ai_use.pk), data)

    assert response.status_code == 200
    assert "Only people of this production can be linked." in response.content.decode()
    assert not ai_use.people.exists()


def test_staff_can_list_and_revoke_tokens_but_never_create_them(admin_client, admin_user):
    from productions.models import ApiToken
    from productions.tokens import issue_token

    token, _secret = issue_token(user=admin_user, name="ShotGrid sync")

    assert admin_client.get(reverse("admin:productions_apitoken_add")).status_code == 403
    changelist = admin_client.get(reverse("admin:productions_apitoken_changelist"))
    assert "ShotGrid sync" in changelist.content.decode()
    admin_client.post(
        reverse("admin:productions_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.history.filter(id=token.pk, history_change_reason="revoked by staff").exists()


def test_a_tool_changed_in_the_admin_needs_a_reason_kept_in_its_history(admin_client):
    tool = AIToolFactory(vendor="Runway", product="Gen-4", training_data_notes="")
    url = admin_url("aitool", "change", tool.pk)
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data["training_data_notes"] = "Licensed stock only, per the vendor's summary of 3 November."

    refused = admin_client.post(url, data)
    data["change_reason"] = "Vendor's public training-content summary, read on 3 November."
    accepted = admin_client.post(url, data)

    assert refused.status_code == 200 and "change_reason" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302
    tool.refresh_from_db()
    assert tool.training_data_notes.startswith("Licensed stock only")
    assert tool.history.first().history_change_reason == data["change_reason"]
