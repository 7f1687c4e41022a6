"""Consents through the API: terms, review (submit, approve, reject, request changes), revocation, documents."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from productions.models import Consent
from productions.vocabularies import PerformerUse, ReviewState
from tests.api.conftest import api, assert_error
from tests.factories import AIUseFactory, ConsentFactory, MembershipFactory, PersonFactory
from tests.samples import PDF


@pytest.fixture
def darin(production):
    return PersonFactory(production=production, name="Ricardo Darín")


@pytest.fixture
def draft(darin):
    return ConsentFactory(person=darin)


def consents_url(production, suffix=""):
    return api(f"productions/{production.pk}/consents/{suffix}")


def new_consent(person, **overrides):
    return {
        "person": person.pk,
        "kind": "digital_alteration",
        "scope_description": "De-ageing of Juan Salvo in the flashbacks of episode 3, series release only.",
        "separately_signed": True,
        "signed_on": "2026-03-01",
        "territory": "Worldwide",
    } | overrides


@pytest.mark.parametrize("client_name", ["as_producer", "as_legal"])
def test_producers_and_legal_record_consents(request, client_name, production, darin):
    client = request.getfixturevalue(client_name)

    response = client.post(consents_url(production), new_consent(darin))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == darin.pk and body["review_state"] == "draft" and body["has_document"] is False


def test_viewers_read_consents_but_do_not_record_them(as_viewer, production, darin, draft):
    assert as_viewer.get(consents_url(production)).json()["count"] == 1
    assert_error(as_viewer.post(consents_url(production), new_consent(darin)), 403)
    assert_error(as_viewer.post(consents_url(production, f"{draft.pk}/submit/")), 403)


def test_outsiders_reach_no_consent(as_outsider, production, draft):
    for suffix in ("", f"{draft.pk}/", f"{draft.pk}/document/"):
        assert_error(as_outsider.get(consents_url(production, suffix)), 404)
    assert_error(as_outsider.post(consents_url(production, f"{draft.pk}/approve/")), 404)


def test_consents_are_validated(as_producer, producer, production, darin):
    elsewhere = PersonFactory(production=MembershipFactory(user=producer).production)

    assert_error(
        as_producer.post(consents_url(production), new_consent(darin, expires_on="2026-01-01")),
        400,
        fields=["expires_on"],
    )
    assert_error(as_producer.post(consents_url(production), new_consent(darin, kind="hug")), 400, fields=["kind"])
    # A person of another production of the same user cannot sign a consent here.
    assert_error(as_producer.post(consents_url(production), new_consent(elsewhere)), 400, fields=["person"])
    assert not Consent.objects.filter(person=elsewhere).exists()


def test_the_voice_and_a_consent_to_generated_intimate_imagery_round_trip(as_producer, production, darin):
    facts = {
        "kind": "employment_replica",
        "covers_voice": True,
        "intimate_imagery_consent": True,
        "intimate_imagery_description": "A generated love scene of Juan Salvo in episode 4, scene 12, and no other.",
    }

    response = as_producer.post(consents_url(production), new_consent(darin, **facts))

    assert response.status_code == 201, response.content
    assert {name: response.json()[name] for name in facts} == facts
    consent = Consent.objects.get(pk=response.json()["id"])
    assert (consent.covers_voice, consent.intimate_imagery_consent) == (True, True)


def test_a_consent_to_intimate_imagery_must_say_what_imagery(as_producer, production, darin, draft):
    body = assert_error(
        as_producer.post(consents_url(production), new_consent(darin, intimate_imagery_consent=True)),
        400,
        fields=["intimate_imagery_description"],
    )
    assert body["errors"]["intimate_imagery_description"] == ["Describe the intimate imagery the person consents to."]
    assert_error(
        as_producer.patch(consents_url(production, f"{draft.pk}/"), {"intimate_imagery_consent": True, "version": 1}),
        400,
        fields=["intimate_imagery_description"],
    )
    assert Consent.objects.get().intimate_imagery_consent is False


def test_a_consent_stays_with_its_person(as_producer, production, draft):
    other = PersonFactory(production=production)

    assert_error(
        as_producer.patch(consents_url(production, f"{draft.pk}/"), {"person": other.pk, "version": 1}),
        400,
        fields=["person"],
    )


def test_the_review_cycle(as_producer, as_legal, production, draft):
    one = consents_url(production, f"{draft.pk}/")
    as_producer.post(f"{one}document/", {"document": SimpleUploadedFile("scan.pdf", PDF)}, format="multipart")

    assert as_producer.post(f"{one}submit/").json()["review_state"] == "submitted"
    assert_error(as_producer.post(f"{one}approve/"), 403, "permission_denied")
    assert_error(as_legal.post(f"{one}reject/", {}), 400, fields=["review_reason"])
    assert_error(as_legal.post(f"{one}reject/", {"review_reason": "   "}), 400, fields=["review_reason"])

    changes = as_legal.post(f"{one}request-changes/", {"review_reason": "Name the episodes."})
    assert changes.json()["review_state"] == "changes_requested"
    assert changes.json()["review_reason"] == "Name the episodes." and changes.json()["reviewed_by"] == "lea"

    as_producer.post(f"{one}submit/")
    assert as_legal.post(f"{one}reject/", {"review_reason": "Not separately signed."}).json()["review_state"] == (
        "rejected"
    )

    # Editing the terms sends it back to draft for a new review.
    version = as_producer.get(one).json()["version"]
    edited = as_producer.patch(one, {"scope_description": "De-ageing, episode 3 only.", "version": version})
    assert edited.json()["review_state"] == "draft"
    as_producer.post(f"{one}submit/")
    approved = as_legal.post(f"{one}approve/")
    assert approved.status_code == 200 and approved.json()["review_state"] == "approved"

    body = assert_error(as_legal.post(f"{one}approve/"), 409, "conflict")
    assert "already approved" in body["detail"]


def test_revoking_blocks_the_uses_relying_on_it(as_producer, as_viewer, production, darin):
    consent = ConsentFactory(person=darin, review_state=ReviewState.SUBMITTED)
    use = AIUseFactory(
        production=production, performer_use=PerformerUse.DIGITAL_ALTERATION, people=[darin], consents=[consent]
    )
    one = consents_url(production, f"{consent.pk}/")

    reason = {"revocation_reason": "Withdrew by letter of 1 April."}
    assert_error(as_producer.post(f"{one}revoke/", {}), 400, fields=["revoked_on", "revocation_reason"])
    assert_error(as_producer.post(f"{one}revoke/", {"revoked_on": "2026-01-01", **reason}), 400, fields=["revoked_on"])
    revoked = as_producer.post(f"{one}revoke/", {"revoked_on": "2026-04-01", **reason})

    assert revoked.status_code == 200 and revoked.json()["revoked_on"] == "2026-04-01"
    assert revoked.json()["revocation_reason"] == reason["revocation_reason"]
    assert revoked.json()["standing"] == "revoked"
    assert as_viewer.get(api(f"productions/{production.pk}/ai-uses/{use.pk}/")).json()["blocked"] is True
    version = as_producer.get(one).json()["version"]
    assert_error(as_producer.patch(one, {"territory": "EU", "version": version}), 400)  # kept as it was


def test_only_an_unused_draft_is_deleted(as_producer, production, darin, draft):
    submitted = ConsentFactory(person=darin, review_state=ReviewState.SUBMITTED)

    assert_error(as_producer.delete(consents_url(production, f"{submitted.pk}/")), 400)
    assert as_producer.delete(consents_url(production, f"{draft.pk}/")).status_code == 204
    assert not Consent.objects.filter(pk=draft.pk).exists()


def test_filters(as_viewer, production, darin, draft):
    ConsentFactory(person=darin, kind="employment_replica", covers_voice=True, review_state=ReviewState.SUBMITTED)
    url = consents_url(production)

    assert as_viewer.get(url, {"review_state": "submitted"}).json()["count"] == 1
    assert as_viewer.get(url, {"kind": "digital_alteration"}).json()["count"] == 1
    assert as_viewer.get(url, {"person": darin.pk}).json()["count"] == 2
    assert_error(as_viewer.get(url, {"person": "1.5"}), 400, fields=["person"])


def test_the_signed_document_is_uploaded_and_downloaded(as_producer, as_viewer, production, draft):
    one = consents_url(production, f"{draft.pk}/document/")

    uploaded = as_producer.post(one, {"document": SimpleUploadedFile("scan.pdf", PDF)}, format="multipart")
    assert uploaded.status_code == 200, uploaded.content
    body = uploaded.json()
    assert body["has_document"] is True and body["document_url"].endswith(f"/consents/{draft.pk}/document/")

    downloaded = as_viewer.get(one)
    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == "application/pdf"
    assert downloaded["Cache-Control"] == "private, no-store"
    assert b"".join(downloaded.streaming_content) == PDF


def test_only_signed_documents_of_known_types_are_taken(as_producer, as_viewer, production, draft):
    one = consents_url(production, f"{draft.pk}/document/")

    text = as_producer.post(one, {"document": SimpleUploadedFile("scan.txt", b"hello")}, format="multipart")
    assert_error(text, 400, fields=["document"])
    assert_error(as_producer.post(one, {}, format="multipart"), 400, fields=["document"])
    assert_error(as_producer.post(one, {"document": "x"}, format="json"), 415, "unsupported_media_type")
    assert_error(as_viewer.post(one, {"document": SimpleUploadedFile("s.pdf", PDF)}, format="multipart"), 403)


def test_a_consent_without_document_has_nothing_to_download(as_viewer, production, draft):
    assert_error(as_viewer.get(consents_url(production, f"{draft.pk}/document/")), 404)


def test_the_download_answers_json_errors_whatever_it_was_asked(as_viewer, production, draft):
    response = as_viewer.get(consents_url(production, f"{draft.pk}/document/"), HTTP_ACCEPT="application/pdf")

    assert_error(response, 404)
    assert response["Content-Type"] == "application/json"


def test_a_consent_of_a_person_who_has_died_names_its_authority(as_producer, production):
    late = PersonFactory(production=production, deceased=True)

    response = as_producer.post(consents_url(production), new_consent(late))
    assert_error(response, 400, fields=["post_mortem_authority"])
    assert (
        as_producer.post(consents_url(production), new_consent(late, post_mortem_authority="The estate")).status_code
        == 201
    )


def test_dates_are_iso(as_producer, production, darin):
    body = as_producer.post(consents_url(production), new_consent(darin, expires_on="2030-12-31")).json()

    assert datetime.date.fromisoformat(body["expires_on"]) == datetime.date(2030, 12, 31)
