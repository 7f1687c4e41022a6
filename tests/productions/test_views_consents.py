"""Recording a consent with its signed document, and reading it, per role."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from productions import services
from productions.models import Consent
from productions.vocabularies import ConsentKind, PerformerUse, ReviewState, Role
from tests.factories import AIUseFactory, ConsentFactory, MembershipFactory, PersonFactory, ProductionFactory
from tests.samples import PDF

EDITORS = ["producer", "legal"]
READERS = ["producer", "legal", "viewer"]


def url(name, *args):
    return reverse(f"productions:{name}", args=args)


def terms(**overrides):
    fields = {
        "kind": ConsentKind.DIGITAL_ALTERATION,
        "scope_description": "De-ageing of Juan Salvo in the flashback scenes of reel 3, feature release only.",
        "separately_signed": "on",
        "signed_on": "2026-03-01",
        "media": ["theatrical", "marketing"],
        "media_notes": "Feature film and its trailers",
        "covers_likeness": "on",
        "training_permission": "not_stated",
        "third_party_licensing": "not_stated",
        "performer_is_minor": "unknown",
        "territory": "Worldwide",
        "version": 1,  # the version an edit form is opened on; a new consent's form has no such field
    }
    return fields | overrides


def private_files(settings):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")


@pytest.fixture
def elsewhere(producer):
    other = ProductionFactory(title="Elsewhere")
    MembershipFactory(production=other, user=producer, role=Role.PRODUCER)
    return other


# Recording a consent


@pytest.mark.parametrize("role", EDITORS)
def test_a_consent_is_recorded_with_its_signed_document(
    request, client, settings, production, performer, role, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(role)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("consent-create", production.pk, performer.pk),
            terms(document=SimpleUploadedFile("Darín signed.pdf", PDF, content_type="application/pdf")),
        )

    consent = Consent.objects.get()
    assert response.status_code == 302
    assert response.url == url("consent-detail", production.pk, consent.pk)
    assert consent.person == performer
    assert consent.review_state == ReviewState.DRAFT
    assert consent.signed_on == datetime.date(2026, 3, 1)
    stored = Path(consent.document.path)
    assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert stored.read_bytes() == PDF
    assert consent.document_sha256 == hashlib.sha256(PDF).hexdigest()
    assert consent.history.latest().history_user == user
    page = client.get(response.url).content.decode()
    assert hashlib.sha256(PDF).hexdigest() in page
    assert url("consent-document", consent.pk) in page


def test_a_consent_can_be_recorded_before_its_document_arrives(client, production, performer, producer):
    client.force_login(producer)

    response = client.post(url("consent-create", production.pk, performer.pk), terms())

    consent = Consent.objects.get()
    assert response.status_code == 302
    assert not consent.document
    assert "No signed document attached yet." in client.get(response.url).content.decode()


def test_the_form_uploads_files_and_offers_only_the_accepted_types(client, production, performer, legal):
    client.force_login(legal)

    text = client.get(url("consent-create", production.pk, performer.pk)).content.decode()

    assert 'enctype="multipart/form-data"' in text
    assert 'accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"' in text


def test_a_text_file_named_pdf_is_refused_and_no_consent_is_left_half_made(
    client, settings, production, performer, producer
):
    client.force_login(producer)

    response = client.post(
        url("consent-create", production.pk, performer.pk),
        terms(document=SimpleUploadedFile("consent.pdf", b"I agree to everything.", content_type="application/pdf")),
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Upload the signed document as a PDF, JPEG or PNG file." in text
    assert 'id="id_document_error"' in text
    assert not Consent.objects.exists()
    assert not Consent.history.exists()
    assert private_files(settings) == []


def test_a_document_over_the_size_limit_is_refused(client, settings, production, performer, producer):
    settings.CONSENT_DOCUMENT_MAX_BYTES = 32
    client.force_login(producer)

    response = client.post(
        url("consent-create", production.pk, performer.pk), terms(document=SimpleUploadedFile("consent.pdf", PDF))
    )

    assert response.status_code == 200
    assert "The file is larger than 32\xa0bytes." in response.content.decode()
    assert not Consent.objects.exists()
    assert private_files(settings) == []


def test_wrong_terms_are_shown_next_to_their_fields(client, production, performer, producer):
    client.force_login(producer)

    response = client.post(
        url("consent-create", production.pk, performer.pk), terms(expires_on="2025-01-01", scope_description="")
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "A consent cannot expire before it is signed." in text
    assert "This field is required." in text
    assert not Consent.objects.exists()


def test_a_deceased_persons_consent_needs_a_post_mortem_authority(client, production, producer):
    estate = PersonFactory(production=production, name="Ilse Varga", deceased=True)
    client.force_login(producer)

    response = client.post(url("consent-create", production.pk, estate.pk), terms())

    assert "The person has died: name the estate or union that consents." in response.content.decode()
    assert not Consent.objects.exists()


def test_a_replica_consent_records_the_voice_and_a_consent_to_generated_intimate_imagery(
    client, production, performer, legal
):
    client.force_login(legal)
    form_page = client.get(url("consent-create", production.pk, performer.pk)).content.decode()
    assert "<legend>Generated intimate imagery</legend>" in form_page
    assert '<textarea name="intimate_imagery_description"' in form_page
    assert 'type="checkbox" name="covers_voice"' in form_page

    response = client.post(
        url("consent-create", production.pk, performer.pk),
        terms(
            kind=ConsentKind.EMPLOYMENT_REPLICA,
            scope_description="Digital replica of Ricardo Darín's face and voice for the radio scenes of episode 4.",
            covers_voice="on",
            intimate_imagery_consent="on",
            intimate_imagery_description="A generated love scene of Juan Salvo in episode 4, scene 12, and no other.",
        ),
    )

    consent = Consent.objects.get()
    assert response.status_code == 302
    assert (consent.covers_voice, consent.intimate_imagery_consent) == (True, True)
    assert consent.intimate_imagery_description == (
        "A generated love scene of Juan Salvo in episode 4, scene 12, and no other."
    )
    page = client.get(response.url).content.decode()
    assert "<dt>The described use includes the voice</dt><dd>Yes</dd>" in page
    assert "<dt>Explicit consent to generated intimate imagery</dt><dd>Yes" in page
    assert "A generated love scene of Juan Salvo in episode 4, scene 12, and no other." in page


def test_a_consent_to_intimate_imagery_must_say_what_imagery(client, production, performer, producer):
    client.force_login(producer)

    response = client.post(url("consent-create", production.pk, performer.pk), terms(intimate_imagery_consent="on"))

    assert response.status_code == 200
    assert response.context["form"].errors["intimate_imagery_description"] == [
        "Describe the intimate imagery the person consents to."
    ]
    assert not Consent.objects.exists()


def test_a_viewer_may_not_record_a_consent(client, production, performer, viewer):
    client.force_login(viewer)

    assert client.get(url("consent-create", production.pk, performer.pk)).status_code == 403
    assert client.post(url("consent-create", production.pk, performer.pk), terms()).status_code == 403
    assert not Consent.objects.exists()


def test_an_outsider_may_not_record_a_consent(client, production, performer, outsider):
    client.force_login(outsider)

    assert client.post(url("consent-create", production.pk, performer.pk), terms()).status_code == 404
    assert not Consent.objects.exists()


def test_a_person_of_another_production_gets_no_consent_here(client, production, producer, elsewhere):
    stranger = PersonFactory(production=elsewhere)
    client.force_login(producer)

    assert client.post(url("consent-create", production.pk, stranger.pk), terms()).status_code == 404
    assert not Consent.objects.exists()


# Editing and attaching a document


def approved(person, **fields):
    return ConsentFactory(
        person=person,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        **fields,
    )


def test_new_terms_send_an_approved_consent_back_to_draft(client, production, performer, producer):
    consent = approved(performer, territory="France")
    client.force_login(producer)

    edit_page = client.get(url("consent-edit", production.pk, consent.pk)).content.decode()
    response = client.post(url("consent-edit", production.pk, consent.pk), terms(territory="Europe"))

    assert "Changing the terms sends the consent back to draft" in edit_page
    assert 'value="France"' in edit_page
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.territory == "Europe"
    assert consent.review_state == ReviewState.DRAFT
    assert consent.history.latest().history_change_reason == "terms changed: back to draft"


def test_a_refused_document_leaves_the_terms_as_they_were(client, settings, production, performer, producer):
    consent = approved(performer, territory="France")
    client.force_login(producer)

    response = client.post(
        url("consent-edit", production.pk, consent.pk),
        terms(territory="Europe", document=SimpleUploadedFile("consent.pdf", b"not a pdf")),
    )

    assert response.status_code == 200
    assert "Upload the signed document as a PDF, JPEG or PNG file." in response.content.decode()
    consent.refresh_from_db()
    assert consent.territory == "France"
    assert consent.review_state == ReviewState.APPROVED
    assert private_files(settings) == []


def test_a_revoked_consent_is_kept_as_it_was(client, production, performer, legal):
    consent = approved(performer, revoked_on=datetime.date(2026, 4, 1))
    client.force_login(legal)

    detail = client.get(url("consent-detail", production.pk, consent.pk)).content.decode()
    response = client.post(url("consent-edit", production.pk, consent.pk), terms(territory="Europe"))

    assert url("consent-edit", production.pk, consent.pk) not in detail
    assert "A revoked consent is kept as it was; record a new consent instead." in response.content.decode()
    consent.refresh_from_db()
    assert consent.territory == ""


def test_a_signed_document_is_attached_later(client, production, performer, legal, django_capture_on_commit_callbacks):
    consent = ConsentFactory(person=performer)
    client.force_login(legal)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("consent-document-upload", production.pk, consent.pk),
            {"document": SimpleUploadedFile("scan.pdf", PDF)},
        )

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.document_sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_document_attached_but_not_yet_fingerprinted_says_so(client, production, performer, producer):
    consent = ConsentFactory(person=performer)
    client.force_login(producer)

    # Without the commit callbacks, the fingerprint task has not run yet.
    client.post(url("consent-document-upload", production.pk, consent.pk), {"document": SimpleUploadedFile("s", PDF)})

    text = client.get(url("consent-detail", production.pk, consent.pk)).content.decode()
    assert "Fingerprint pending" in text


def test_an_upload_without_a_file_asks_for_one(client, production, performer, producer):
    consent = ConsentFactory(person=performer)
    client.force_login(producer)

    response = client.post(url("consent-document-upload", production.pk, consent.pk), {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("name", ["consent-edit", "consent-document-upload"])
def test_a_viewer_may_not_change_a_consent(client, production, performer, viewer, name):
    consent = ConsentFactory(person=performer)
    client.force_login(viewer)

    assert client.get(url(name, production.pk, consent.pk)).status_code == 403
    assert client.post(url(name, production.pk, consent.pk), terms()).status_code == 403


# Reading a consent


@pytest.mark.parametrize("role", READERS)
def test_every_member_reads_a_consent(request, client, production, performer, role):
    consent = approved(performer, territory="Worldwide", review_reason="")
    AIUseFactory(
        production=production,
        title="Young Juan Salvo",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[performer],
        consents=[consent],
    )
    client.force_login(request.getfixturevalue(role))

    response = client.get(url("consent-detail", production.pk, consent.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Digital alteration: Ricardo Darín" in text
    assert "Worldwide" in text
    assert 'class="status status-approved"' in text
    assert "Young Juan Salvo" in text
    assert 'class="status status-covered"' in text


def test_a_viewer_sees_no_actions(client, production, performer, viewer):
    consent = ConsentFactory(person=performer)
    client.force_login(viewer)

    text = client.get(url("consent-detail", production.pk, consent.pk)).content.decode()

    for name in ("consent-edit", "consent-submit", "consent-revoke", "consent-document-upload", "consent-approve"):
        assert url(name, production.pk, consent.pk) not in text


def test_a_consent_of_another_production_is_not_found_under_this_one(client, production, producer, elsewhere):
    foreign = ConsentFactory(person=PersonFactory(production=elsewhere))
    client.force_login(producer)

    for name in ("consent-detail", "consent-edit", "consent-document-upload", "consent-history"):
        assert client.get(url(name, production.pk, foreign.pk)).status_code == 404
    for name in ("consent-submit", "consent-revoke"):
        assert client.post(url(name, production.pk, foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.review_state == ReviewState.DRAFT


def test_an_outsider_does_not_find_the_consent(client, production, performer, outsider):
    consent = ConsentFactory(person=performer)
    client.force_login(outsider)

    assert client.get(url("consent-detail", production.pk, consent.pk)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, production, performer):
    consent = ConsentFactory(person=performer)

    for address in (
        url("consent-detail", production.pk, consent.pk),
        url("consent-create", production.pk, performer.pk),
    ):
        response = client.get(address)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_document_of_a_consent_is_only_linked_through_the_permission_checked_view(
    client, production, performer, producer
):
    consent = ConsentFactory(person=performer)
    services.attach_consent_document(actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("s.pdf", PDF))
    client.force_login(producer)

    text = client.get(url("consent-detail", production.pk, consent.pk)).content.decode()

    assert url("consent-document", consent.pk) in text
    assert consent.document.name not in text


# The terms: scope beside the description, and Equity's and SAG-AFTRA 2026's questions


def test_the_form_edits_exactly_the_terms_the_services_take():
    from productions.forms.consents import ConsentForm

    assert set(ConsentForm.Meta.fields) == services.CONSENT_TERMS


def test_the_scope_and_the_2026_questions_are_recorded_and_shown(client, production, performer, legal):
    client.force_login(legal)
    form_page = client.get(url("consent-create", production.pk, performer.pk)).content.decode()
    assert "<legend>Scope</legend>" in form_page
    assert "<legend>Scan, data and training (Equity, SAG-AFTRA 2026)</legend>" in form_page
    assert 'type="checkbox" name="media" value="streaming"' in form_page
    assert 'type="date" name="term_starts_on"' in form_page
    assert 'type="date" name="data_deletion_on"' in form_page

    response = client.post(
        url("consent-create", production.pk, performer.pk),
        terms(
            scope_shots="reel 3\nSH0030",
            media=["streaming", "theatrical"],
            term_starts_on="2026-03-01",
            expires_on="2031-02-28",
            scan_business_reason="To de-age Juan Salvo in the flashbacks.",
            data_retention="Kept by the VFX vendor until delivery, then deleted.",
            data_deletion_on="2027-06-30",
            training_permission="refused",
            third_party_licensing="refused",
            performer_is_minor="no",
        ),
    )

    assert response.status_code == 302
    consent = Consent.objects.get()
    assert list(consent.media) == ["theatrical", "streaming"]
    assert consent.term_starts_on == datetime.date(2026, 3, 1)
    assert consent.data_deletion_on == datetime.date(2027, 6, 30)
    page = client.get(response.url).content.decode()
    assert "<li>reel 3</li><li>SH0030</li>" in page
    assert '<li class="tag">Theatrical</li><li class="tag">Streaming</li>' in page
    assert "From March 1, 2026 to Feb. 28, 2031" in page
    assert "To de-age Juan Salvo in the flashbacks." in page
    assert '<span class="permission permission-refused">Refused</span>' in page


def test_a_minors_consent_names_the_guardian(client, production, performer, producer):
    client.force_login(producer)

    response = client.post(url("consent-create", production.pk, performer.pk), terms(performer_is_minor="yes"))

    assert response.status_code == 200
    assert "The performer is a minor: name the parent or guardian who consented." in response.content.decode()
    assert not Consent.objects.exists()


# “Expired” everywhere a consent is listed, never “Approved”


def test_an_expired_consent_reads_expired_everywhere_it_is_listed(client, production, performer, producer, legal):
    expired = approved(performer, expires_on=datetime.date(2026, 6, 30))
    use = AIUseFactory(
        production=production,
        title="Young Juan Salvo",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[performer],
        consents=[expired],
    )
    waiting = services.submit_consent(
        actor=producer, consent=ConsentFactory(person=performer, expires_on=datetime.date(2026, 6, 30))
    )
    client.force_login(producer)

    consent_page = client.get(url("consent-detail", production.pk, expired.pk)).content.decode()
    person_page = client.get(url("person-detail", production.pk, performer.pk)).content.decode()
    people_page = client.get(url("people", production.pk)).content.decode()
    use_page = client.get(url("ai-use-detail", production.pk, use.pk)).content.decode()
    use_form = client.get(url("ai-use-edit", production.pk, use.pk)).content.decode()
    client.force_login(legal)
    queue = client.get(url("review-queue")).content.decode()

    expired_on = 'class="status status-expired">Expired on June 30, 2026'
    assert expired_on in consent_page
    assert "(no longer valid)" in consent_page
    assert person_page.count(expired_on) == 2
    assert 'class="status status-expired">2 Expired' in people_page
    assert 'class="status status-expired">Expired</span>' in use_page
    assert "Ricardo Darín: Digital alteration (Expired)" in use_form
    assert expired_on in queue
    assert url("consent-approve", production.pk, waiting.pk) in queue
    for text in (consent_page, person_page, people_page, use_page, use_form, queue):
        assert "Approved, valid" not in text
        assert "(Approved)" not in text
        assert 'status-approved"' not in text


def test_a_valid_consent_reads_approved_valid_until_its_term_ends(client, production, performer, producer):
    valid = approved(performer, expires_on=datetime.date(2031, 2, 28))
    use = AIUseFactory(
        production=production, performer_use=PerformerUse.DIGITAL_ALTERATION, people=[performer], consents=[valid]
    )
    client.force_login(producer)

    person_page = client.get(url("person-detail", production.pk, performer.pk)).content.decode()
    use_form = client.get(url("ai-use-edit", production.pk, use.pk)).content.decode()

    assert (
        'class="status status-approved">Approved, valid</span> <span class="muted">until Feb. 28, 2031' in person_page
    )
    assert "Ricardo Darín: Digital alteration (Approved, valid)" in use_form
