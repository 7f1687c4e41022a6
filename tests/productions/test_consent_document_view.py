"""Downloading a signed consent document: members only, never cached by a shared proxy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from productions import services
from tests.factories import ConsentFactory, PersonFactory
from tests.samples import JPEG, PDF


@pytest.fixture
def signed_consent(production, producer):
    consent = ConsentFactory(person=PersonFactory(production=production, name="Ricardo Darín"))
    services.attach_consent_document(
        actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("Darín consent.pdf", PDF)
    )
    return consent


def download(client, consent):
    return client.get(reverse("productions:consent-document", args=[consent.pk]))


@pytest.mark.parametrize("role", ["producer", "legal", "viewer"])
def test_a_member_downloads_the_signed_document(request, client, signed_consent, role):
    client.force_login(request.getfixturevalue(role))

    response = download(client, signed_consent)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    response.close()
    assert response["Content-Type"] == "application/pdf"
    # The download is named after the record, never after the person in the uploaded file name.
    assert response["Content-Disposition"] == f'attachment; filename="consent-{signed_consent.pk}.pdf"'
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_outsider_is_told_there_is_no_such_document(client, signed_consent, outsider):
    client.force_login(outsider)

    response = download(client, signed_consent)

    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, signed_consent):
    url = reverse("productions:consent-document", args=[signed_consent.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert f"next={url}" in response.url


def test_a_consent_without_a_document_has_nothing_to_download(client, production, viewer):
    consent = ConsentFactory(person=PersonFactory(production=production))
    client.force_login(viewer)

    response = download(client, consent)

    assert response.status_code == 404


def test_a_document_is_only_read_not_written(client, signed_consent, viewer):
    client.force_login(viewer)

    response = client.post(reverse("productions:consent-document", args=[signed_consent.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("uploaded_name", "content", "content_type", "extension"),
    [("scan", PDF, "application/pdf", "pdf"), ("scan.pdf", JPEG, "image/jpeg", "jpg")],
    ids=["no-extension", "misleading-extension"],
)
def test_a_document_downloads_under_the_type_of_its_content(
    client, production, producer, uploaded_name, content, content_type, extension
):
    consent = ConsentFactory(person=PersonFactory(production=production))
    services.attach_consent_document(
        actor=producer, consent=consent, uploaded_file=SimpleUploadedFile(uploaded_name, content)
    )
    client.force_login(producer)

    response = download(client, consent)

    response.close()
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="consent-{consent.pk}.{extension}"'
