"""Recording a withdrawal of consent: a confirmation listing the uses it blocks, then the date, the reason and the
person's written withdrawal, which members download through a permission-checked view."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from productions import services
from productions.consent_status import ConsentStatus, consent_status
from productions.models import AIUse, Consent, Notification
from productions.vocabularies import ConsentKind, CoverageDecisionKind, NotificationEvent, PerformerUse, ReviewState
from tests.factories import AIUseFactory, ConsentFactory, PersonFactory
from tests.samples import PDF

ALTERATION = PerformerUse.DIGITAL_ALTERATION
REASON = "Her agent wrote that she no longer agrees to be de-aged."


def url(name, *args):
    return reverse(f"productions:{name}", args=args)


def private_files(settings):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def approved(person, **fields):
    return ConsentFactory(
        person=person,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        **fields,
    )


def revoke(client, consent, **data):
    data = {"revoked_on": "2026-04-01", "revocation_reason": REASON} | data
    return client.post(url("consent-revoke", consent.person.production_id, consent.pk), data)


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")


@pytest.fixture
def consent(performer):
    return approved(performer)


@pytest.fixture
def relying_use(production, performer, consent):
    return AIUseFactory(
        production=production,
        title="Young Juan Salvo",
        performer_use=ALTERATION,
        people=[performer],
        consents=[consent],
    )


# The confirmation


def test_the_withdrawal_form_first_lists_the_uses_it_will_block(client, production, performer, consent, producer):
    AIUseFactory(
        production=production,
        title="Young Juan Salvo",
        performer_use=ALTERATION,
        people=[performer],
        consents=[consent],
    )
    # Another approved consent of the same person covers this one too: it stays covered.
    backup = approved(performer, scope_description="De-ageing in every flashback.")
    AIUseFactory(
        production=production,
        title="Flashback covered twice",
        performer_use=ALTERATION,
        people=[performer],
        consents=[consent, backup],
    )
    AIUseFactory(
        production=production,
        title="Cloned voice",
        performer_use=PerformerUse.VOICE_CLONE,
        people=[performer],
        consents=[consent, approved(performer, kind=ConsentKind.EMPLOYMENT_REPLICA, covers_voice=True)],
    )
    AIUseFactory(
        production=production,
        title="Reel 5 face",
        performer_use=ALTERATION,
        people=[performer],
        consents=[consent],
        coverage=CoverageDecisionKind.DOES_NOT_COVER,
    )
    client.force_login(producer)

    response = client.get(url("consent-revoke", production.pk, consent.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert "From the date of the withdrawal, 1 AI use relying on this consent is blocked" in text
    rows = {row["use"].title: row["effect"] for row in response.context["affected"]}
    assert rows == {
        "Young Juan Salvo": "blocked",
        "Flashback covered twice": "stays_covered",
        "Cloned voice": "not_resting",
        "Reel 5 face": "already_blocked",
    }
    assert "Blocked from the withdrawal date" in text
    assert "Stays covered by another consent of this person" in text
    assert "Already blocked, and stays blocked" in text
    assert 'enctype="multipart/form-data"' in text
    assert 'name="revocation_reason"' in text
    assert 'name="withdrawal_document"' in text
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_a_consent_nothing_relies_on_blocks_nothing(client, production, consent, legal):
    client.force_login(legal)

    text = client.get(url("consent-revoke", production.pk, consent.pk)).content.decode()

    assert "No AI use relies on this consent: the withdrawal blocks nothing." in text


# Recording it


@pytest.mark.parametrize("role", ["producer", "legal"])
def test_an_editor_records_a_withdrawal_with_its_reason_and_written_withdrawal(
    request, client, settings, production, consent, relying_use, producer, legal, role
):
    user = request.getfixturevalue(role)
    other = legal if user == producer else producer
    client.force_login(user)

    response = revoke(client, consent, withdrawal_document=SimpleUploadedFile("Darín letter.pdf", PDF))

    assert response.status_code == 302
    assert response.url == url("consent-detail", production.pk, consent.pk)
    consent.refresh_from_db()
    assert consent.revoked_on == datetime.date(2026, 4, 1)
    assert consent.revocation_reason == REASON
    assert consent.withdrawal_document_sha256 == hashlib.sha256(PDF).hexdigest()
    assert Path(consent.withdrawal_document.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert consent.history.latest().history_user == user
    assert consent.history.latest().history_change_reason == "revoked"
    assert consent_status(AIUse.objects.get(pk=relying_use.pk)) == ConsentStatus.REVOKED
    assert Notification.objects.filter(
        recipient=other, event=NotificationEvent.CONSENT_REVOKED, consent=consent
    ).exists()
    text = client.get(response.url).content.decode()
    assert "The withdrawal was recorded" in text
    assert 'class="status status-revoked">Revoked on April 1, 2026' in text
    assert REASON in text
    assert url("consent-withdrawal-document", consent.pk) in text
    assert consent.withdrawal_document.name not in text
    assert '<tr class="row-blocked">' in text
    assert url("consent-revoke", production.pk, consent.pk) not in text


def test_a_withdrawal_without_a_written_one_is_recorded_too(client, production, consent, producer):
    client.force_login(producer)

    response = revoke(client, consent)

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_on == datetime.date(2026, 4, 1)
    assert not consent.withdrawal_document
    assert "None attached" in client.get(response.url).content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_withdrawal_without_a_reason_is_refused_and_changes_nothing(
    client, settings, production, consent, relying_use, producer, reason
):
    trail = consent.history.count()
    client.force_login(producer)

    response = revoke(client, consent, revocation_reason=reason, withdrawal_document=SimpleUploadedFile("l.pdf", PDF))

    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_revocation_reason_error"' in text
    assert "This field is required." in text
    assert "Young Juan Salvo" in text  # the uses it would block are still listed
    consent.refresh_from_db()
    assert (consent.revoked_on, consent.revocation_reason) == (None, "")
    assert consent.history.count() == trail
    assert private_files(settings) == []
    assert consent_status(AIUse.objects.get(pk=relying_use.pk)) == ConsentStatus.COVERED


def test_a_withdrawal_needs_its_date(client, consent, producer):
    client.force_login(producer)

    response = revoke(client, consent, revoked_on="")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_a_consent_cannot_be_withdrawn_before_it_was_signed(client, settings, consent, producer):
    client.force_login(producer)

    response = revoke(client, consent, revoked_on="2026-02-01", withdrawal_document=SimpleUploadedFile("l.pdf", PDF))

    assert response.status_code == 200
    assert "A consent cannot be revoked before it is signed." in response.content.decode()
    consent.refresh_from_db()
    assert consent.revoked_on is None
    assert private_files(settings) == []


def test_a_written_withdrawal_that_is_not_a_document_is_refused(client, settings, consent, producer):
    client.force_login(producer)

    response = revoke(client, consent, withdrawal_document=SimpleUploadedFile("letter.pdf", b"I withdraw."))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Upload the signed document as a PDF, JPEG or PNG file." in text
    assert 'id="id_withdrawal_document_error"' in text
    consent.refresh_from_db()
    assert consent.revoked_on is None
    assert private_files(settings) == []


def test_a_revoked_consent_is_not_revoked_again(client, production, consent, producer):
    services.revoke_consent(actor=producer, consent=consent, on=datetime.date(2026, 4, 1), reason=REASON)
    client.force_login(producer)

    page = client.get(url("consent-revoke", production.pk, consent.pk))
    again = revoke(client, consent, revoked_on="2026-05-01", revocation_reason="Again.")

    assert page.status_code == 302
    assert again.status_code == 302
    consent.refresh_from_db()
    assert (consent.revoked_on, consent.revocation_reason) == (datetime.date(2026, 4, 1), REASON)
    assert "A revoked consent is kept as it was" in client.get(page.url).content.decode()


def test_a_viewer_may_not_revoke(client, production, consent, viewer):
    client.force_login(viewer)

    assert client.get(url("consent-revoke", production.pk, consent.pk)).status_code == 403
    assert revoke(client, consent).status_code == 403
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_an_outsider_finds_no_consent_to_revoke(client, production, consent, outsider):
    client.force_login(outsider)

    assert client.get(url("consent-revoke", production.pk, consent.pk)).status_code == 404
    assert revoke(client, consent).status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_on is None


# Downloading the written withdrawal


@pytest.fixture
def withdrawn(consent, producer):
    return services.revoke_consent(
        actor=producer,
        consent=consent,
        on=datetime.date(2026, 4, 1),
        reason=REASON,
        withdrawal_document=SimpleUploadedFile("Darín withdraws.pdf", PDF),
    )


def download(client, consent):
    return client.get(url("consent-withdrawal-document", consent.pk))


@pytest.mark.parametrize("role", ["producer", "legal", "viewer"])
def test_a_member_downloads_the_written_withdrawal(request, client, withdrawn, role):
    client.force_login(request.getfixturevalue(role))

    response = download(client, withdrawn)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    response.close()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="withdrawal-{withdrawn.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_outsider_cannot_download_the_written_withdrawal(client, withdrawn, outsider):
    client.force_login(outsider)

    assert download(client, withdrawn).status_code == 404


def test_a_withdrawal_without_a_written_one_has_nothing_to_download(client, consent, producer):
    services.revoke_consent(actor=producer, consent=consent, on=datetime.date(2026, 4, 1), reason=REASON)
    client.force_login(producer)

    assert download(client, consent).status_code == 404


def test_the_written_withdrawal_needs_a_sign_in(client, withdrawn):
    response = download(client, withdrawn)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Consent.objects.get(pk=withdrawn.pk).withdrawal_document
