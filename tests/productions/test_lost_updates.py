"""No lost updates: a decision already taken is not taken twice, an edit made on an old version is refused.

Through the services, the API and the pages; the races themselves run on PostgreSQL in test_lost_updates_race.py.
"""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from productions import imports, services
from productions.conflicts import Conflict
from productions.models import AIUse, Consent
from productions.vocabularies import ImportSource, ReviewState
from tests.api.conftest import api, assert_error, token_client
from tests.factories import AIUseFactory, ConsentFactory, PersonFactory
from tests.samples import PDF


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")


@pytest.fixture
def submitted(performer, producer):
    return services.submit_consent(actor=producer, consent=ConsentFactory(person=performer, signed_document=True))


@pytest.fixture
def use(production):
    return AIUseFactory(production=production, title="Building collapse", description="Wide shot.")


@pytest.fixture
def as_producer(producer):
    cache.clear()  # the API's throttle counters outlive a test
    return token_client(producer)


@pytest.fixture
def as_legal(legal):
    cache.clear()
    return token_client(legal)


def fresh(record):
    return type(record).objects.get(pk=record.pk)


# Versions


def test_every_write_through_the_services_counts_a_version(producer, legal, performer, use):
    consent = services.create_consent(
        actor=producer,
        person=performer,
        kind="digital_alteration",
        scope_description="De-ageing, reel 3.",
        separately_signed=True,
        signed_on=datetime.date(2026, 3, 1),
    )
    assert consent.version == 1
    services.update_consent(actor=producer, consent=consent, territory="Worldwide", version=1)
    services.attach_consent_document(actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("s.pdf", PDF))
    assert fresh(consent).version == 3
    services.submit_consent(actor=producer, consent=consent)
    services.approve_consent(actor=legal, consent=consent, version=4)
    assert fresh(consent).version == 5

    services.update_ai_use(actor=producer, ai_use=use, title="Building collapse, wider", version=1)
    services.update_ai_use(actor=producer, ai_use=use, is_final=False)  # without a version: still counted
    assert fresh(use).version == 3


def test_an_ai_use_edited_on_an_old_version_is_refused_and_nothing_is_overwritten(producer, use):
    first_tab = fresh(use)
    second_tab = fresh(use)
    services.update_ai_use(actor=producer, ai_use=first_tab, title="Building collapse, wider", version=1)
    entries = use.history.count()

    with pytest.raises(Conflict, match=r"now version 2, by paula at .*Reload, reapply your change"):
        services.update_ai_use(actor=producer, ai_use=second_tab, description="Close-up.", version=1)

    stored = fresh(use)
    assert (stored.title, stored.description, stored.version) == ("Building collapse, wider", "Wide shot.", 2)
    assert use.history.count() == entries


def test_an_edit_without_a_version_changes_only_its_fields_over_the_stored_record(producer, use):
    stale = fresh(use)
    services.update_ai_use(actor=producer, ai_use=fresh(use), title="Building collapse, wider", version=1)

    services.update_ai_use(actor=producer, ai_use=stale, description="Close-up.")  # e.g. a bulk change

    stored = fresh(use)
    assert (stored.title, stored.description) == ("Building collapse, wider", "Close-up.")


def test_a_consent_edited_on_an_old_version_is_refused(producer, submitted):
    with pytest.raises(Conflict, match="since you opened it"):
        services.update_consent(actor=producer, consent=fresh(submitted), territory="Europe", version=1)

    assert fresh(submitted).territory == ""


def test_the_ledger_bulk_change_and_an_import_count_a_version(client, producer, production, use):
    client.force_login(producer)
    bulk_edit(client, production, [use], field="is_final", is_final="false")
    assert fresh(use).version == 2

    stream = io.StringIO()
    csv.writer(stream).writerows(
        [
            ["id", "title", "phase", "department", "output_type", "digital_source_type"],
            [use.pk, "Collapse, imported", use.phase, use.department, use.output_type, use.digital_source_type],
        ]
    )
    table = imports.read_table(stream.getvalue().encode(), "ledger.csv")
    mapping = imports.suggest_mapping(table.headers, ImportSource.REELPROOF)
    imports.commit_import(actor=producer, production=production, table=table, mapping=mapping)

    stored = fresh(use)
    assert (stored.title, stored.version) == ("Collapse, imported", 3)
    assert stored.history.first().version == 3


# Decisions


def test_a_decision_on_a_consent_already_decided_says_who_decided(legal, submitted):
    legal.first_name, legal.last_name = "Marc", "Delorme"
    legal.save()
    seen_by_both = fresh(submitted)
    services.approve_consent(actor=legal, consent=fresh(submitted))

    with pytest.raises(Conflict, match=r"already approved by Marc Delorme at .*; reload to see it"):
        services.reject_consent(actor=legal, consent=seen_by_both, reason="Not separately signed.")

    stored = fresh(submitted)
    assert stored.review_state == ReviewState.APPROVED
    assert stored.history.filter(history_change_reason=ReviewState.APPROVED).count() == 1
    assert not stored.history.filter(history_change_reason=ReviewState.REJECTED).exists()


def test_terms_changed_while_legal_reads_them_are_not_approved_unseen(producer, legal, submitted):
    read_by_legal = fresh(submitted)
    services.update_consent(actor=producer, consent=fresh(submitted), territory="Europe", version=2)

    with pytest.raises(Conflict, match="changed by paula"):
        services.approve_consent(actor=legal, consent=read_by_legal)
    assert fresh(submitted).review_state == ReviewState.DRAFT

    # Submitted again, the same state as legal read, but not the same terms: the version tells.
    services.submit_consent(actor=producer, consent=fresh(submitted))
    with pytest.raises(Conflict, match="since you opened it"):
        services.approve_consent(actor=legal, consent=fresh(submitted), version=read_by_legal.version)
    assert fresh(submitted).review_state == ReviewState.SUBMITTED


def test_a_draft_still_cannot_be_approved_and_that_is_no_conflict(legal, performer):
    with pytest.raises(Exception, match="cannot go to") as refused:
        services.approve_consent(actor=legal, consent=ConsentFactory(person=performer))
    assert not isinstance(refused.value, Conflict)


# The API


def test_an_api_update_must_name_the_version_it_was_made_on(as_producer, production, use, submitted):
    body = assert_error(
        as_producer.patch(api(f"productions/{production.pk}/ai-uses/{use.pk}/"), {"title": "x"}),
        400,
        "invalid",
        fields=["version"],
    )
    assert "version you read" in body["errors"]["version"][0]
    assert_error(
        as_producer.patch(api(f"productions/{production.pk}/consents/{submitted.pk}/"), {"territory": "EU"}),
        400,
        fields=["version"],
    )
    assert fresh(use).title == "Building collapse"


def test_a_stale_api_edit_answers_409_in_the_error_shape(as_producer, production, use):
    one = api(f"productions/{production.pk}/ai-uses/{use.pk}/")
    read = as_producer.get(one).json()
    assert read["version"] == 1
    saved = as_producer.patch(one, {"title": "Building collapse, wider", "version": read["version"]})
    assert saved.status_code == 200 and saved.json()["version"] == 2

    body = assert_error(as_producer.patch(one, {"description": "Close-up.", "version": read["version"]}), 409)

    assert body["code"] == "conflict" and body["errors"] == {}
    assert "now version 2, by paula" in body["detail"]
    assert fresh(use).description == "Wide shot."


def test_a_stale_api_edit_of_a_consent_answers_409(as_producer, production, submitted):
    one = api(f"productions/{production.pk}/consents/{submitted.pk}/")

    body = assert_error(as_producer.patch(one, {"territory": "Europe", "version": 1}), 409, "conflict")

    assert "since you opened it" in body["detail"]
    assert as_producer.patch(one, {"territory": "Europe", "version": 2}).json()["version"] == 3


def test_a_second_api_decision_answers_409_naming_the_first(as_legal, production, submitted):
    one = api(f"productions/{production.pk}/consents/{submitted.pk}/")
    assert as_legal.post(f"{one}approve/").status_code == 200

    body = assert_error(as_legal.post(f"{one}reject/", {"review_reason": "Too late."}), 409, "conflict")

    assert "already approved by lea" in body["detail"]
    assert fresh(submitted).review_state == ReviewState.APPROVED


def test_the_schema_declares_the_409_and_the_version(client, db):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    one_use = paths["/api/v1/productions/{production_id}/ai-uses/{id}/"]
    assert "409" in one_use["patch"]["responses"] and "409" in one_use["put"]["responses"]
    assert "409" in paths["/api/v1/productions/{production_id}/consents/{id}/approve/"]["post"]["responses"]
    assert "409" not in one_use["get"]["responses"]
    assert "version" in schema["components"]["schemas"]["AIUse"]["properties"]


# The pages


def test_a_stale_ai_use_form_is_refused_with_the_input_kept(client, producer, production, use):
    client.force_login(producer)
    edit_url = reverse("productions:ai-use-edit", args=[production.pk, use.pk])
    assert 'name="version" value="1"' in client.get(edit_url).text
    services.update_ai_use(actor=producer, ai_use=fresh(use), title="Renamed in another tab", version=1)
    form = {
        "title": "Building collapse, my edit",
        "phase": use.phase,
        "department": use.department,
        "output_type": use.output_type,
        "digital_source_type": use.digital_source_type,
        "performer_use": use.performer_use,
        "deep_fake": use.deep_fake,
        "disclosure_method": use.disclosure_method,
        "marking_kept_in_master": use.marking_kept_in_master,
        "inputs_rights": use.inputs_rights,
        "emotion_recognition": use.emotion_recognition,
        "version": 1,
    }

    response = client.post(edit_url, form)

    assert response.status_code == 200
    assert "Someone changed this record since you opened it (now version 2, by paula" in response.text
    assert "Building collapse, my edit" in response.text  # what the user typed is still there
    assert fresh(use).title == "Renamed in another tab"


def test_a_stale_consent_form_is_refused(client, producer, production, submitted):
    client.force_login(producer)
    edit_url = reverse("productions:consent-edit", args=[production.pk, submitted.pk])
    assert 'name="version" value="2"' in client.get(edit_url).text
    terms = {
        "kind": submitted.kind,
        "scope_description": "De-ageing, episode 3 only.",
        "separately_signed": "on",
        "signed_on": "2026-03-01",
        # Equity's and the 2026 agreement's questions, left unanswered.
        "training_permission": "not_stated",
        "third_party_licensing": "not_stated",
        "performer_is_minor": "unknown",
        "version": 1,
    }

    response = client.post(edit_url, terms)

    assert response.status_code == 200
    assert "Reload, reapply your change." in response.text
    assert "De-ageing, episode 3 only." in response.text
    assert fresh(submitted).scope_description != "De-ageing, episode 3 only."


def test_a_decision_taken_twice_shows_who_took_it_first(client, legal, production, submitted):
    client.force_login(legal)
    page = reverse("productions:consent-detail", args=[production.pk, submitted.pk])
    assert 'name="version" value="2"' in client.get(page).text
    client.post(reverse("productions:consent-approve", args=[production.pk, submitted.pk]), {"version": 2})

    response = client.post(
        reverse("productions:consent-approve", args=[production.pk, submitted.pk]), {"version": 2}, follow=True
    )

    assert "This consent was already approved by lea at" in response.text
    assert Consent.objects.get(pk=submitted.pk).history.filter(history_change_reason="approved").count() == 1


def test_a_rejection_refused_as_already_decided_keeps_the_reason_typed(client, legal, production, submitted):
    client.force_login(legal)
    services.approve_consent(actor=legal, consent=fresh(submitted))

    response = client.post(
        reverse("productions:consent-reject", args=[production.pk, submitted.pk]),
        {"review_reason": "The scan notice came a day late.", "version": 2},
    )

    assert response.status_code == 200
    assert "already approved by lea" in response.text
    assert "The scan notice came a day late." in response.text
    assert fresh(submitted).review_state == ReviewState.APPROVED


def bulk_edit(client, production, uses, **change):
    """Preview a bulk edit, then apply it on the versions the preview read."""
    data = {"uses": [use.pk for use in uses], **change}
    preview = client.post(reverse("productions:ai-use-bulk", args=[production.pk]), data)
    data["versions"] = preview.context["versions"]
    return client.post(reverse("productions:ai-use-bulk-apply", args=[production.pk]), data)


def test_a_bulk_edit_writes_its_field_over_what_changed_before_its_preview(client, producer, production):
    # A change after the preview refuses it instead (tests/productions/test_ledger_bulk.py).
    uses = [AIUseFactory(production=production, is_final=True) for _ in range(2)]
    services.update_ai_use(actor=producer, ai_use=fresh(uses[0]), title="Renamed meanwhile", version=1)
    client.force_login(producer)

    bulk_edit(client, production, uses, field="is_final", is_final="false")

    stored = AIUse.objects.get(pk=uses[0].pk)
    assert (stored.title, stored.is_final, stored.version) == ("Renamed meanwhile", False, 3)
