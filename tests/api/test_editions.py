"""Editions through the API: issuing and its gate, legal's sign-off, withdrawal, and public verification."""

import datetime
import hashlib

import pytest

from disclosure import pdf, signing
from disclosure.documents import editions
from disclosure.models import DisclosureDocument, Edition, EditionStatus, IssueSignOff
from productions import services
from productions.models import AIUse
from productions.vocabularies import PerformerUse
from tests.api.conftest import api, assert_error
from tests.factories import AIUseFactory, PersonFactory

ON = "2026-11-20"
SIGNATORY = "Paula Ortega"
# The verification API reads the document with its edition and the newer one, then the records' revision
# (two queries today, one spare): the same whatever the number of records.
VERIFY_MAX_QUERIES = 3


@pytest.fixture
def fast_pdf(monkeypatch):
    """No WeasyPrint, no signature: these tests are about editions, not PDFs."""
    monkeypatch.setattr(
        pdf, "html_to_pdf", lambda html, **options: b"%PDF-1.7\n" + hashlib.sha256(html.encode()).digest()
    )
    monkeypatch.setattr(signing, "sign_pdf", lambda pdf_bytes, **options: pdf_bytes)


@pytest.fixture
def clean(production):
    AIUseFactory(production=production, title="Crowd extension")
    return production


@pytest.fixture
def blocked(clean):
    lead = PersonFactory(production=clean, name="Ana")
    AIUseFactory(production=clean, title="De-aged lead", performer_use=PerformerUse.DIGITAL_ALTERATION, people=[lead])
    return clean


def editions_url(production, tail=""):
    return api(f"productions/{production.pk}/editions/{tail}")


def verify_url(document_id):
    return api(f"verify/{document_id}/")


def issue(client, production, **fields):
    return client.post(
        editions_url(production), {"kind": "statement", "assessment_date": ON, "signatory": SIGNATORY, **fields}
    )


def sign_off(client, production, reason="Consent signed on set, filed with the union."):
    return client.post(
        editions_url(production, "sign-off/"), {"kind": "statement", "assessment_date": ON, "reason": reason}
    )


def english(edition_id):
    return DisclosureDocument.objects.get(edition_id=edition_id, language="en")


@pytest.fixture
def issued(as_producer, clean, fast_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = issue(as_producer, clean)
    assert response.status_code == 202, response.content
    return response.json()


def assert_nothing_issued():
    assert not Edition.objects.exists()
    assert not DisclosureDocument.objects.exists()


# The gate


def test_issuing_while_a_use_is_blocked_answers_409_with_its_blockers(as_producer, blocked):
    response = issue(as_producer, blocked)

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "issue_blocked" and body["detail"].startswith("This cannot be issued")
    assert body["errors"] == {}
    uses = [(entry["type"], entry["label"], entry["status"]) for entry in body["blockers"] if entry["type"] == "use"]
    assert uses == [("use", "De-aged lead", "missing")]
    assert "performer-consent" in [entry["id"] for entry in body["blockers"]]
    assert_nothing_issued()


def test_a_blockers_id_is_a_string_everywhere_as_the_schema_declares(as_producer, as_legal, blocked):
    use_id = str(AIUse.objects.get(title="De-aged lead").id)

    refused = issue(as_producer, blocked).json()["blockers"]
    gate = as_producer.get(editions_url(blocked, "gate/"), {"kind": "statement", "on": ON}).json()["blockers"]
    signed = sign_off(as_legal, blocked).json()["blockers"]

    assert use_id in [entry["id"] for entry in signed]
    assert refused == gate == signed


def test_a_checklist_item_not_met_is_a_blocker_named_by_its_title(as_producer, clean):
    AIUseFactory(production=clean, title="Face dataset", is_final=False, untargeted_face_scraping=True)

    response = issue(as_producer, clean)

    assert response.status_code == 409, response.content
    assert response.json()["blockers"] == [
        {"type": "item", "id": "prohibited-practices", "label": "No prohibited AI practice", "status": "not_met"}
    ]
    assert_nothing_issued()


def test_the_gate_says_what_blocks_and_when_a_sign_off_lets_it_through(as_producer, as_legal, blocked):
    gate = editions_url(blocked, "gate/")

    before = as_producer.get(gate, {"kind": "statement", "on": ON}).json()
    assert before["may_issue"] is False and before["sign_off"] is None
    assert "De-aged lead" in [entry["label"] for entry in before["blockers"]]

    assert sign_off(as_legal, blocked).status_code == 201

    after = as_producer.get(gate, {"kind": "statement", "on": ON}).json()
    assert after["may_issue"] is True
    assert after["sign_off"]["by"] == "lea" and after["sign_off"]["blockers"] == before["blockers"]


# Legal's sign-off


def test_legal_signs_off_and_the_producer_then_issues(
    as_producer, as_legal, legal, blocked, fast_pdf, django_capture_on_commit_callbacks
):
    signed = sign_off(as_legal, blocked)

    assert signed.status_code == 201, signed.content
    assert signed.json()["by"] == "lea"
    assert signed.json()["reason"] == "Consent signed on set, filed with the union."
    assert IssueSignOff.objects.get().history.get().history_user == legal

    with django_capture_on_commit_callbacks(execute=True):
        response = issue(as_producer, blocked)

    assert response.status_code == 202, response.content
    assert response.json()["sign_off"]["reason"] == "Consent signed on set, filed with the union."
    edition = Edition.objects.get()
    assert edition.status == EditionStatus.ISSUED and edition.blockers == IssueSignOff.objects.get().blockers
    verified = as_producer.get(verify_url(english(edition.id).id)).json()
    assert verified["sign_off"]["by"] == "lea"
    assert "De-aged lead" in [entry["label"] for entry in verified["sign_off"]["blockers"]]


def test_a_sign_off_no_longer_applies_after_the_records_change(as_producer, as_legal, producer, blocked):
    assert sign_off(as_legal, blocked).status_code == 201

    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Crowd extension"), title="Crowd, wider")

    assert issue(as_producer, blocked).status_code == 409
    assert_nothing_issued()


def test_legal_may_issue_giving_the_sign_off_reason(as_legal, blocked, fast_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = issue(as_legal, blocked, sign_off_reason="The signed consent is on file.")

    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["issued_by"], body["sign_off"]["by"]) == ("lea", "lea")
    assert body["sign_off"]["reason"] == "The signed consent is on file."


def test_a_producer_may_not_sign_off(as_producer, blocked):
    assert_error(sign_off(as_producer, blocked), 403)
    assert_error(issue(as_producer, blocked, sign_off_reason="It is fine."), 403)

    assert not IssueSignOff.objects.exists()
    assert_nothing_issued()


def test_a_sign_off_needs_a_reason(as_legal, blocked):
    assert_error(sign_off(as_legal, blocked, reason=""), 400, fields=["reason"])
    assert_error(sign_off(as_legal, blocked, reason="   "), 400, fields=["reason"])

    assert not IssueSignOff.objects.exists()


def test_there_is_nothing_to_sign_off_when_nothing_blocks(as_legal, clean):
    assert_error(sign_off(as_legal, clean), 400)

    assert not IssueSignOff.objects.exists()


# Who may issue


def test_issuing_needs_a_signatory(as_producer, clean):
    assert_error(issue(as_producer, clean, signatory=""), 400, fields=["signatory"])
    assert_error(issue(as_producer, clean, signatory="   "), 400, fields=["signatory"])

    assert_nothing_issued()


def test_a_viewer_may_not_issue_or_withdraw(as_viewer, clean, issued):
    assert_error(issue(as_viewer, clean), 403)
    assert_error(as_viewer.post(editions_url(clean, f"{issued['id']}/withdraw/"), {"reason": "Wrong cut."}), 403)

    assert Edition.objects.get().status == EditionStatus.ISSUED
    assert as_viewer.get(editions_url(clean, f"{issued['id']}/")).status_code == 200, "but reads it"


def test_an_outsider_finds_nothing(as_outsider, clean, issued):
    assert_error(issue(as_outsider, clean), 404)
    assert_error(as_outsider.post(editions_url(clean, f"{issued['id']}/withdraw/"), {"reason": "Wrong cut."}), 404)
    assert_error(as_outsider.get(editions_url(clean, "gate/"), {"kind": "statement"}), 404)

    assert Edition.objects.get().status == EditionStatus.ISSUED


def test_a_viewers_draft_of_another_date_leaves_the_issued_edition_current(
    as_viewer, anonymous, clean, issued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_viewer.post(
            api(f"productions/{clean.pk}/documents/"),
            {"kind": "statement", "language": "en", "assessment_date": "2026-12-24"},
        )

    assert response.status_code == 202, response.content
    draft = response.json()
    assert (draft["draft"], draft["edition"]) == (True, None)
    assert DisclosureDocument.objects.get(id=draft["id"]).status == "ready"
    assert anonymous.get(verify_url(draft["id"])).json()["state"] == "draft"
    verified = anonymous.get(verify_url(english(issued["id"]).id)).json()
    assert (verified["state"], verified["currency"], verified["superseded_by"]) == ("issued", "current", None)


# Editions: two PDFs under one id, superseded as a whole


def test_an_edition_has_an_english_and_a_french_document_issued_together(as_producer, clean, issued):
    assert issued["number"] == 1 and issued["signatory"] == SIGNATORY
    assert sorted(document["language"] for document in issued["documents"]) == ["en", "fr"]
    assert all(document["draft"] is False for document in issued["documents"])

    edition = as_producer.get(editions_url(clean, f"{issued['id']}/")).json()

    assert edition["status"] == "issued" and edition["issued_at"]
    assert {document["status"] for document in edition["documents"]} == {"ready"}


def test_a_second_edition_supersedes_both_documents_of_the_first_and_says_what_changed(
    as_producer, anonymous, producer, clean, issued, django_capture_on_commit_callbacks
):
    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Crowd extension"), description="Wider.")
    with django_capture_on_commit_callbacks(execute=True):
        second = issue(as_producer, clean).json()

    assert (second["number"], second["previous"]) == (2, issued["id"])
    use = AIUse.objects.get(title="Crowd extension")
    assert second["changes"]["uses_changed"] == [{"id": use.id, "title": "Crowd extension"}]
    for document in issued["documents"]:
        verified = anonymous.get(verify_url(document["id"])).json()
        assert (verified["currency"], verified["superseded"]) == ("superseded", True)
        assert verified["superseded_by"] == second["id"] and verified["superseded_on"]
    newest = anonymous.get(verify_url(english(second["id"]).id)).json()
    assert newest["currency"] == "current"
    assert newest["changes"]["uses_changed"] == [{"id": use.id, "title": "Crowd extension"}]


# Verification


def test_verification_says_issued_and_current_then_which_records_changed(anonymous, producer, issued):
    url = verify_url(english(issued["id"]).id)

    verified = anonymous.get(url).json()
    assert (verified["state"], verified["currency"], verified["records_changed"]) == ("issued", "current", [])
    assert (verified["edition"], verified["edition_number"], verified["signatory"]) == (issued["id"], 1, SIGNATORY)

    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Crowd extension"), title="Crowd, wider")

    verified = anonymous.get(url).json()
    assert (verified["state"], verified["currency"], verified["records_changed"]) == (
        "issued",
        "records_changed",
        ["uses"],
    )


def test_a_withdrawn_edition_is_verified_as_withdrawn_with_its_reason(as_producer, anonymous, clean, issued):
    response = as_producer.post(editions_url(clean, f"{issued['id']}/withdraw/"), {"reason": "Wrong cut."})

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["withdrawn_by"]) == ("withdrawn", "paula")
    for document in issued["documents"]:
        verified = anonymous.get(verify_url(document["id"])).json()
        assert (verified["state"], verified["withdrawal_reason"]) == ("withdrawn", "Wrong cut.")
        assert verified["withdrawn_at"]


def test_withdrawing_needs_a_reason_and_happens_once(as_producer, clean, issued):
    withdraw = editions_url(clean, f"{issued['id']}/withdraw/")

    assert_error(as_producer.post(withdraw, {"reason": ""}), 400, fields=["reason"])
    assert Edition.objects.get().status == EditionStatus.ISSUED

    assert as_producer.post(withdraw, {"reason": "Wrong cut."}).status_code == 200
    assert_error(as_producer.post(withdraw, {"reason": "Again."}), 400)
    assert Edition.objects.get().withdrawal_reason == "Wrong cut."


def test_records_changed_while_preparing_leave_the_edition_not_issued(
    as_producer, anonymous, producer, clean, fast_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edition = issue(as_producer, clean).json()
    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Crowd extension"), title="Crowd, wider")
    for callback in callbacks:
        callback()

    body = as_producer.get(editions_url(clean, f"{edition['id']}/")).json()
    assert body["status"] == "failed" and "records changed" in body["error"]
    for document in body["documents"]:
        assert document["status"] == "failed"
        assert anonymous.get(verify_url(document["id"])).json()["state"] == "not_issued"
        retried = as_producer.post(api(f"productions/{clean.pk}/documents/{document['id']}/retry/"))
        assert_error(retried, 400)


@pytest.mark.parametrize("uses", [3, 30])
def test_verification_costs_the_same_few_queries_whatever_the_number_of_uses(
    anonymous, producer, production, fast_pdf, django_capture_on_commit_callbacks, django_assert_max_num_queries, uses
):
    AIUseFactory.create_batch(uses, production=production)
    with django_capture_on_commit_callbacks(execute=True):
        edition = editions.issue(
            actor=producer,
            production=production,
            kind="statement",
            on=datetime.date(2026, 11, 20),
            signatory=SIGNATORY,
        )
    document = english(edition.id)

    with django_assert_max_num_queries(VERIFY_MAX_QUERIES):
        response = anonymous.get(verify_url(document.id))

    assert response.status_code == 200
    assert response.json()["state"] == "issued"


def test_a_viewer_downloads_an_issued_pdf_named_by_its_edition(as_viewer, clean, issued):
    document = english(issued["id"])

    response = as_viewer.get(api(f"productions/{clean.pk}/documents/{document.pk}/download/"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-statement-en-2026-11-20-edition-1.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")
