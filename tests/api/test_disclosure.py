"""The checklist, legal's attestations, disclosure documents and public verification through the API."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile

from disclosure.models import (
    ChecklistAttestation,
    DisclosureDocument,
    DocumentKind,
    DocumentStatus,
    Edition,
    EditionStatus,
)
from tests.api.conftest import api, assert_error
from tests.factories import AIUseFactory

PDF = b"%PDF-1.7 statement"


def make_document(production, status=DocumentStatus.READY, **fields):
    document = DisclosureDocument(
        production=production,
        kind=DocumentKind.STATEMENT,
        language="en",
        assessment_date=datetime.date(2026, 9, 1),
        production_title=production.title,
        cut=production.cut,
        status=status,
        content_hash="c" * 64,
        **fields,
    )
    if status == DocumentStatus.READY:
        document.sha256 = hashlib.sha256(PDF).hexdigest()
        document.finished_at = datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC)
        document.file.save("statement.pdf", ContentFile(PDF), save=False)
    if status == DocumentStatus.FAILED:
        document.error = "WeasyPrint crashed"
    document.save()
    return document


def test_every_member_reads_the_checklist(as_viewer, production):
    AIUseFactory(production=production)

    response = as_viewer.get(api(f"productions/{production.pk}/checklist/"), {"on": "2026-08-02"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assessed_on"] == "2026-08-02" and body["production"]["title"] == "El Eternauta"
    inventory = next(item for item in body["items"] if item["id"] == "inventory")
    assert inventory["status"] == "met" and inventory["legal_basis"]
    assert sum(body["summary"].values()) == len(body["items"])


def test_the_checklist_date_is_validated(as_viewer, as_outsider, production):
    assert_error(
        as_viewer.get(api(f"productions/{production.pk}/checklist/"), {"on": "2026-02-30"}), 400, fields=["on"]
    )
    assert_error(as_outsider.get(api(f"productions/{production.pk}/checklist/")), 404)


def test_legal_attests_and_withdraws(as_legal, as_viewer, production):
    url = api(f"productions/{production.pk}/checklist/inventory/attestation/")

    attested = as_legal.post(url, {"status": "met", "comment": "Checked against the vendor contracts."})

    assert attested.status_code == 200, attested.content
    assert attested.json()["by"] == "lea" and attested.json()["status"] == "met"
    items = as_viewer.get(api(f"productions/{production.pk}/checklist/")).json()["items"]
    assert next(i for i in items if i["id"] == "inventory")["attestation"]["comment"].startswith("Checked")

    assert as_legal.delete(url).status_code == 204
    assert not ChecklistAttestation.objects.exists()
    assert_error(as_legal.delete(url), 400)


def test_only_legal_attests(as_producer, as_viewer, production):
    url = api(f"productions/{production.pk}/checklist/inventory/attestation/")

    assert_error(as_producer.post(url, {"status": "met", "comment": "Fine."}), 403)
    assert_error(as_viewer.delete(url), 403)


def test_attestations_are_validated(as_legal, production):
    base = api(f"productions/{production.pk}/checklist/")

    assert_error(as_legal.post(f"{base}no-such-item/attestation/", {"status": "met", "comment": "x"}), 404)
    assert_error(as_legal.post(f"{base}inventory/attestation/", {"status": "met"}), 400, fields=["comment"])
    assert_error(as_legal.post(f"{base}inventory/attestation/", {"status": "fine", "comment": "x"}), 400)


def test_requesting_a_document_queues_a_render_job(as_viewer, production):
    documents = api(f"productions/{production.pk}/documents/")

    response = as_viewer.post(documents, {"kind": "statement", "language": "fr", "assessment_date": "2026-09-01"})

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["language"] == "fr" and body["requested_by"] == "victor"
    assert body["download_url"] is None and body["verify_url"].endswith(f"/verify/{body['id']}/")
    assert as_viewer.get(f"{documents}{body['id']}/").json()["status"] == "queued"
    assert [d["id"] for d in as_viewer.get(documents).json()["results"]] == [body["id"]]

    # The same request while the first is under way gives that job again.
    again = as_viewer.post(documents, {"kind": "statement", "language": "fr", "assessment_date": "2026-09-01"})
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_a_document_request_is_validated(as_viewer, production):
    documents = api(f"productions/{production.pk}/documents/")

    assert_error(as_viewer.post(documents, {"kind": "memo", "language": "en"}), 400, fields=["kind"])
    assert_error(as_viewer.post(documents, {"kind": "checklist", "language": "de"}), 400, fields=["language"])


def test_a_ready_document_is_downloaded(as_viewer, production):
    document = make_document(production)

    body = as_viewer.get(api(f"productions/{production.pk}/documents/{document.pk}/")).json()
    response = as_viewer.get(body["download_url"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert response["Repr-Digest"].startswith("sha-256=")


def test_a_document_not_ready_has_nothing_to_download(as_viewer, production):
    document = make_document(production, status=DocumentStatus.QUEUED)

    assert_error(as_viewer.get(api(f"productions/{production.pk}/documents/{document.pk}/download/")), 404)


def test_a_failed_document_is_tried_again(as_viewer, production):
    failed = make_document(production, status=DocumentStatus.FAILED)
    ready = make_document(production)

    retried = as_viewer.post(api(f"productions/{production.pk}/documents/{failed.pk}/retry/"))
    assert retried.status_code == 202 and retried.json()["status"] == "queued"
    assert_error(as_viewer.post(api(f"productions/{production.pk}/documents/{ready.pk}/retry/")), 400)


def test_outsiders_reach_no_document(as_outsider, production):
    document = make_document(production)
    base = api(f"productions/{production.pk}/documents/")

    for url in (base, f"{base}{document.pk}/", f"{base}{document.pk}/download/"):
        assert_error(as_outsider.get(url), 404)
    assert_error(as_outsider.post(base, {"kind": "statement", "language": "en"}), 404)


def _edition(production, number, **fields):
    return Edition.objects.create(
        production=production,
        kind=DocumentKind.STATEMENT,
        number=number,
        assessment_date=datetime.date(2026, 9, 1),
        signatory="Matías Mosteirín",
        status=EditionStatus.ISSUED,
        issued_at=datetime.datetime(2026, 9, number, 12, tzinfo=datetime.UTC),
        records_revision="production1",
        **fields,
    )


def test_anyone_verifies_a_document_without_an_account(anonymous, production):
    newer_edition = _edition(production, 2)
    older = make_document(production, is_draft=False, edition=_edition(production, 1, superseded_by=newer_edition))
    newer = make_document(production, is_draft=False, edition=newer_edition)

    body = anonymous.get(api(f"verify/{older.pk}/")).json()

    assert body["production_title"] == "El Eternauta" and body["kind"] == "statement" and body["language"] == "en"
    assert body["assessment_date"] == "2026-09-01" and body["status"] == "ready" and body["state"] == "issued"
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["edition_number"] == 1 and body["signatory"] == "Matías Mosteirín"
    assert body["superseded"] is True and body["superseded_on"] and body["currency"] == "superseded"
    assert body["superseded_by"] == str(newer_edition.id)
    assert anonymous.get(api(f"verify/{newer.pk}/")).json()["superseded"] is False


def test_a_document_being_prepared_shows_no_hash_yet(anonymous, production):
    document = make_document(production, status=DocumentStatus.QUEUED)

    body = anonymous.get(api(f"verify/{document.pk}/")).json()

    assert body["status"] == "queued" and body["sha256"] is None and body["issued_at"] is None


def test_an_unknown_document_is_404(anonymous, db):
    assert_error(anonymous.get(api("verify/00000000-0000-0000-0000-000000000000/")), 404)


@pytest.mark.parametrize("spoofed", [False, True])
def test_verification_is_rate_limited_per_client(anonymous, production, spoofed):
    document = make_document(production)
    url = api(f"verify/{document.pk}/")

    for attempt in range(30):
        headers = {"HTTP_X_FORWARDED_FOR": f"10.0.0.{attempt}"} if spoofed else {}
        assert anonymous.get(url, **headers).status_code == 200

    refused = anonymous.get(url, HTTP_X_FORWARDED_FOR="10.9.9.9")
    body = assert_error(refused, 429, "throttled")
    assert "throttled" in body["detail"] and int(refused["Retry-After"]) > 0


# The statement as data


def test_the_statement_json_is_the_content_its_pdf_embeds(as_viewer, production):
    from tests.disclosure.test_pdf import embedded_data, issue, read

    AIUseFactory(production=production, title="Building collapse")
    document = issue(production, language="fr", on=datetime.date(2026, 11, 20))

    response = as_viewer.get(api(f"productions/{production.pk}/statement/"), {"on": "2026-11-20", "language": "fr"})

    assert response.status_code == 200
    body = response.json()
    embedded = embedded_data(read(document), document)
    assert body["content"] == embedded["content"]
    assert body["content_hash"] == embedded["content_hash"] == document.content_hash
    assert body["content"]["data"]["phases"][0]["uses"][0]["title"] == "Building collapse"


def test_the_statement_json_is_refused_to_outsiders_and_on_a_bad_date(as_outsider, as_viewer, production):
    url = api(f"productions/{production.pk}/statement/")

    assert_error(as_outsider.get(url), 404)
    assert_error(as_viewer.get(url, {"on": "tomorrow"}), 400, fields=["on"])
    assert_error(as_viewer.get(url, {"language": "de"}), 400, fields=["language"])
