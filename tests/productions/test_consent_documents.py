"""Signed consent documents are checked beyond their first bytes, and fingerprinted even when the broker is down."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from kombu.exceptions import OperationalError

from productions import services
from productions.models import Consent
from productions.tasks import fingerprint_consent_document, fingerprint_pending_documents
from tests.api.conftest import token_client
from tests.factories import ConsentFactory, PersonFactory
from tests.samples import JPEG, PDF, PNG, image, pdf

OPEN_ACTION_SCRIPT = pdf(b"/OpenAction 4 0 R", b"<</S/JavaScript/JS(app.alert('hi'))>>")
LAUNCH_ON_A_PAGE_EVENT = pdf(b"", b"<</S/Launch/F(cmd.exe)>>").replace(
    b"/MediaBox[0 0 595 842]", b"/MediaBox[0 0 595 842]/AA<</O 4 0 R>>"
)
NAMED_SCRIPT = pdf(b"/Names<</JavaScript 4 0 R>>", b"<</Names[(a) 5 0 R]>>", b"<</S/JavaScript/JS(1)>>")
ATTACHED_FILE = pdf(b"/Names<</EmbeddedFiles 4 0 R>>", b"<</Names[]>>")


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín")


@pytest.fixture
def consent(performer):
    return ConsentFactory(person=performer)


def attach(producer, consent, name, content):
    return services.attach_consent_document(
        actor=producer, consent=consent, uploaded_file=SimpleUploadedFile(name, content)
    )


def refusal(producer, consent, name, content):
    with pytest.raises(ValidationError) as refused:
        attach(producer, consent, name, content)
    consent.refresh_from_db()
    assert not consent.document, "a refused document must leave no file behind"
    return " ".join(refused.value.message_dict["document"])


@pytest.mark.parametrize(("name", "content"), [("signed.pdf", PDF), ("scan.jpg", JPEG), ("scan.png", PNG)])
def test_a_real_pdf_or_image_is_accepted(producer, consent, name, content):
    attach(producer, consent, name, content)

    consent.refresh_from_db()
    assert consent.document.read() == content


@pytest.mark.parametrize(
    "content",
    [OPEN_ACTION_SCRIPT, LAUNCH_ON_A_PAGE_EVENT, NAMED_SCRIPT, ATTACHED_FILE],
    ids=["open-action-javascript", "launch-on-page-event", "document-javascript", "attached-file"],
)
def test_a_pdf_that_acts_when_opened_is_refused(producer, consent, content):
    assert "scripts, automatic actions or attached files" in refusal(producer, consent, "signed.pdf", content)


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\nI agree to everything.\n", PDF[: len(PDF) // 2], b"%PDF-1.7\n" + b"\x00" * 2048],
    ids=["text-after-a-pdf-header", "truncated", "zeros"],
)
def test_a_pdf_that_does_not_parse_is_refused(producer, consent, content):
    assert "cannot be read" in refusal(producer, consent, "signed.pdf", content)


def test_a_text_file_named_like_a_pdf_is_refused(producer, consent):
    assert "PDF, JPEG or PNG" in refusal(producer, consent, "signed.pdf", b"I agree to everything.")


@pytest.mark.parametrize(
    ("name", "content"),
    [("scan.png", PNG[:-20]), ("scan.jpg", image("JPEG", (64, 64))[:200]), ("scan.png", PNG[:33] + b"\x00" * 40)],
    ids=["truncated-png", "truncated-jpeg", "png-without-data"],
)
def test_an_image_that_does_not_decode_is_refused(producer, consent, name, content):
    assert "cannot be decoded" in refusal(producer, consent, name, content)


def test_an_image_too_large_to_decode_is_refused_unloaded(settings, producer, consent):
    settings.CONSENT_DOCUMENT_MAX_PIXELS = 1000

    assert "too large to check" in refusal(producer, consent, "scan.png", image("PNG", (40, 40)))


def test_the_upload_form_shows_the_refusal_on_the_field(client, production, producer, consent):
    client.force_login(producer)

    response = client.post(
        reverse("productions:consent-document-upload", args=[production.pk, consent.pk]),
        {"document": SimpleUploadedFile("signed.pdf", OPEN_ACTION_SCRIPT)},
    )

    assert response.status_code == 200
    assert "scripts, automatic actions or attached files" in response.content.decode()


# The broker is down when the upload commits


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(fingerprint_consent_document, "delay", refuse)


def test_an_upload_while_the_broker_is_down_stands_and_is_fingerprinted_later(
    producer, consent, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attach(producer, consent, "signed.pdf", PDF)

    consent.refresh_from_db()
    assert consent.document and consent.document_sha256 == ""

    assert fingerprint_pending_documents() == {"fingerprinted": 1, "failed": 0}
    consent.refresh_from_db()
    assert consent.document_sha256 == hashlib.sha256(PDF).hexdigest()
    assert fingerprint_pending_documents() == {"fingerprinted": 0, "failed": 0}, "the sweep is idempotent"


def test_the_page_answers_the_upload_and_says_the_fingerprint_is_coming(
    client, production, producer, consent, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(producer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("productions:consent-document-upload", args=[production.pk, consent.pk]),
            {"document": SimpleUploadedFile("signed.pdf", PDF)},
            follow=True,
        )

    assert response.status_code == 200
    assert "Fingerprint pending" in response.content.decode()


def test_the_api_answers_the_upload_while_the_broker_is_down(
    production, producer, consent, broker_down, django_capture_on_commit_callbacks
):
    api = token_client(producer)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/productions/{production.pk}/consents/{consent.pk}/document/",
            {"document": SimpleUploadedFile("signed.pdf", PDF)},
            format="multipart",
        )

    assert response.status_code == 200, response.content
    assert response.json()["has_document"] is True
    assert response.json()["document_sha256"] == ""


def test_the_command_fingerprints_what_is_pending_and_reports_unreadable_files(producer, performer, consent, tmp_path):
    attach(producer, consent, "signed.pdf", PDF)
    lost = ConsentFactory(person=performer)
    attach(producer, lost, "lost.png", PNG)
    lost.document.storage.delete(lost.document.name)
    Consent.objects.update(document_sha256="")
    out = tmp_path / "out.txt"

    with out.open("w") as stream:
        call_command("fingerprint_documents", stdout=stream)

    assert out.read_text().strip() == "Fingerprinted 1 document(s); 1 could not be read."
    assert Consent.objects.get(pk=consent.pk).document_sha256 == hashlib.sha256(PDF).hexdigest()
    assert Consent.objects.get(pk=lost.pk).document_sha256 == ""
