"""Editions: the gate on issuing, legal's sign-off, English and French issued together, superseding, withdrawal,
what changed since the previous edition, drafts, and what the verification page says of each."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from disclosure import pdf
from disclosure import services as disclosure_services
from disclosure.documents import editions, jobs, requests
from disclosure.documents.verification import Currency, State, verify
from disclosure.models import (
    DisclosureDocument,
    DocumentKind,
    DocumentStatus,
    Edition,
    EditionStatus,
    IssueSignOff,
    ItemStatus,
)
from productions import services
from productions.models import AIUse
from productions.vocabularies import (
    CoverageDecisionKind,
    Department,
    DigitalSourceType,
    OutputType,
    PerformerUse,
    Phase,
    PublishedIn,
    ReviewState,
)
from tests.factories import AIUseFactory, ConsentFactory, PersonFactory

ON = datetime.date(2026, 11, 20)
SIGNATORY = "Paula Ortega"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clean(production):
    """Nothing blocks issuing: one exposed use that depicts nobody."""
    AIUseFactory(production=production, title="Crowd extension")
    return production


@pytest.fixture
def blocked(clean):
    """An exposed digital alteration of a performer with no consent: its consent is missing."""
    lead = PersonFactory(production=clean, name="Ana")
    AIUseFactory(production=clean, title="De-aged lead", performer_use=PerformerUse.DIGITAL_ALTERATION, people=[lead])
    return clean


@pytest.fixture
def attachments(monkeypatch):
    """The JSON data each rendered PDF embeds (fast_pdf drops attachments), decoded."""
    captured = []
    original = pdf.json_attachment

    def capture(data, **options):
        captured.append(json.loads(data))
        return original(data, **options)

    monkeypatch.setattr(pdf, "json_attachment", capture)
    return captured


def approved_consent(person):
    return ConsentFactory(
        person=person,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        signed_document=True,
    )


def issue(production, actor, *, kind=DocumentKind.STATEMENT, on=ON, signatory=SIGNATORY, **options):
    return editions.issue(actor=actor, production=production, kind=kind, on=on, signatory=signatory, **options)


@pytest.fixture
def issued(clean, producer, fast_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        edition = issue(clean, producer)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.ISSUED, [d.error for d in edition.documents.all()]
    return edition


def documents_of(edition):
    """Fetched afresh, so that each reads its edition as it is now."""
    return list(DisclosureDocument.objects.filter(edition_id=edition.id).order_by("language"))


def english(edition):
    return DisclosureDocument.objects.get(edition_id=edition.id, language="en")


def html_in(rendered, language="en"):
    """The HTML of the one PDF rendered in `language`."""
    found = [html for html in rendered if f'<html lang="{language}">' in html]
    assert len(found) == 1, len(found)
    return found[0]


def issue_url(production):
    return reverse("disclosure:edition-issue", args=[production.pk])


def withdraw_url(edition):
    return reverse("disclosure:edition-withdraw", args=[edition.production_id, edition.id])


def verify_page(client, document):
    response = client.get(reverse("disclosure:verify", args=[document.id]))
    assert response.status_code == 200
    return response.content.decode()


def post_issue(client, production, **fields):
    data = {"kind": "statement", "assessment_date": ON.isoformat(), "signatory": SIGNATORY, **fields}
    return client.post(issue_url(production), data)


def assert_nothing_issued():
    assert not Edition.objects.exists()
    assert not DisclosureDocument.objects.exists()


# The gate: what blocks issuing


def test_an_exposed_use_blocked_by_its_consent_refuses_issuing(blocked, producer):
    with pytest.raises(editions.IssueBlocked) as refused:
        issue(blocked, producer)

    uses = [entry for entry in refused.value.blockers if entry["type"] == "use"]
    assert [(entry["label"], entry["status"]) for entry in uses] == [("De-aged lead", "missing")]
    assert_nothing_issued()


def test_an_exposed_use_whose_coverage_legal_has_not_confirmed_refuses_issuing_until_legal_decides(
    clean, producer, legal, fast_pdf, django_capture_on_commit_callbacks
):
    lead = PersonFactory(production=clean, name="Ana")
    consent = approved_consent(lead)
    use = AIUseFactory(
        production=clean,
        title="De-aged lead",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[lead],
        consents=[consent],
        coverage=False,
    )

    with pytest.raises(editions.IssueBlocked) as refused:
        issue(clean, producer)

    uses = [entry for entry in refused.value.blockers if entry["type"] == "use"]
    assert [(entry["label"], entry["status"]) for entry in uses] == [("De-aged lead", "scope_to_confirm")]
    assert_nothing_issued()

    services.decide_coverage(actor=legal, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)
    with django_capture_on_commit_callbacks(execute=True):
        edition = issue(clean, producer)

    assert edition.blockers == []


def test_an_exposed_use_legal_found_outside_the_consents_scope_refuses_issuing(clean, producer, legal):
    lead = PersonFactory(production=clean, name="Ana")
    consent = approved_consent(lead)
    use = AIUseFactory(
        production=clean,
        title="De-aged lead",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[lead],
        consents=[consent],
        coverage=False,
    )
    services.decide_coverage(
        actor=legal,
        consent=consent,
        ai_uses=[use],
        decision=CoverageDecisionKind.DOES_NOT_COVER,
        note="The consent covers reel 3; this shot is in reel 5.",
    )

    with pytest.raises(editions.IssueBlocked) as refused:
        issue(clean, producer)

    uses = [entry for entry in refused.value.blockers if entry["type"] == "use"]
    assert [(entry["label"], entry["status"]) for entry in uses] == [("De-aged lead", "out_of_scope")]


def test_a_use_neither_in_the_final_work_nor_published_is_not_a_blocker(blocked, producer):
    use = AIUse.objects.get(title="De-aged lead")
    services.update_ai_use(actor=producer, ai_use=use, is_final=False, published_in=[])

    found = editions.blockers(blocked, DocumentKind.STATEMENT, ON)

    assert not [entry for entry in found if entry["type"] == "use"]


def test_a_temporary_use_published_in_a_trailer_blocks_like_a_final_one(blocked, producer):
    use = AIUse.objects.get(title="De-aged lead")
    services.update_ai_use(actor=producer, ai_use=use, is_final=False, published_in=[PublishedIn.TRAILER])

    found = editions.blockers(blocked, DocumentKind.STATEMENT, ON)

    assert [(entry["label"], entry["status"]) for entry in found if entry["type"] == "use"] == [
        ("De-aged lead", "missing")
    ]


def test_the_issue_page_refuses_with_409_and_lists_the_blocked_use(client, blocked, producer):
    client.force_login(producer)

    response = post_issue(client, blocked)

    assert response.status_code == 409
    page = response.content.decode()
    assert "This cannot be issued" in page
    assert "De-aged lead" in page and "Missing" in page
    assert_nothing_issued()


def test_a_producer_cannot_slip_a_sign_off_reason_through_the_page(client, blocked, producer):
    client.force_login(producer)

    response = post_issue(client, blocked, sign_off_reason="It is fine.")

    assert response.status_code == 409
    assert not IssueSignOff.objects.exists()
    assert_nothing_issued()


def test_a_checklist_item_not_met_blocks_issuing(client, clean, producer):
    # Not exposed, so no consent blocks it; but untargeted face scraping is a prohibited practice.
    AIUseFactory(production=clean, title="Face dataset", is_final=False, untargeted_face_scraping=True)

    with pytest.raises(editions.IssueBlocked) as refused:
        issue(clean, producer)

    assert refused.value.blockers == [
        {"type": "item", "id": "prohibited-practices", "label": "prohibited-practices", "status": ItemStatus.NOT_MET}
    ]
    client.force_login(producer)
    response = post_issue(client, clean)
    assert response.status_code == 409
    assert "No prohibited AI practice" in response.content.decode()
    assert_nothing_issued()


def test_nothing_blocking_lets_the_producer_issue(clean, producer, django_capture_on_commit_callbacks, fast_pdf):
    with django_capture_on_commit_callbacks(execute=True):
        edition = issue(clean, producer, signatory_role="Producer")

    edition.refresh_from_db()
    assert (edition.number, edition.blockers, edition.sign_off) == (1, [], None)
    assert (edition.signatory, edition.signatory_role, edition.issued_by) == (SIGNATORY, "Producer", producer)


# Legal's sign-off


def test_legal_signs_off_with_a_reason_and_the_producer_then_issues(
    blocked, producer, legal, fast_pdf, django_capture_on_commit_callbacks
):
    record = editions.sign_off(
        actor=legal, production=blocked, kind=DocumentKind.STATEMENT, on=ON, reason="Consent signed on set, filed."
    )

    with django_capture_on_commit_callbacks(execute=True):
        edition = issue(blocked, producer)

    edition.refresh_from_db()
    assert edition.status == EditionStatus.ISSUED
    assert edition.sign_off == record
    assert edition.blockers == record.blockers == editions.blockers(blocked, DocumentKind.STATEMENT, ON)
    assert any(entry["label"] == "De-aged lead" for entry in edition.blockers)
    entry = record.history.get()
    assert (entry.history_user, entry.history_type, entry.reason) == (legal, "+", "Consent signed on set, filed.")


def test_a_sign_off_no_longer_applies_once_the_records_change(blocked, producer, legal):
    editions.sign_off(actor=legal, production=blocked, kind=DocumentKind.STATEMENT, on=ON, reason="Filed on set.")
    assert editions.gate(blocked, DocumentKind.STATEMENT, ON).open

    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Crowd extension"), title="Crowd, wider")

    assert editions.gate(blocked, DocumentKind.STATEMENT, ON).sign_off is None
    with pytest.raises(editions.IssueBlocked):
        issue(blocked, producer)
    assert_nothing_issued()


def test_a_sign_off_holds_only_for_its_kind_and_date(blocked, producer, legal):
    editions.sign_off(actor=legal, production=blocked, kind=DocumentKind.STATEMENT, on=ON, reason="Filed on set.")

    with pytest.raises(editions.IssueBlocked):
        issue(blocked, producer, on=ON + datetime.timedelta(days=1))
    with pytest.raises(editions.IssueBlocked):
        issue(blocked, producer, kind=DocumentKind.CHECKLIST)


def test_legal_may_issue_giving_the_sign_off_reason_inline(
    blocked, legal, fast_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edition = issue(blocked, legal, sign_off_reason="Signed consent is with the union.")

    edition.refresh_from_db()
    assert edition.status == EditionStatus.ISSUED
    assert edition.sign_off.signed_off_by == legal
    assert edition.sign_off.reason == "Signed consent is with the union."
    assert edition.issued_by == legal


def test_the_reason_legal_gives_when_issuing_is_the_one_the_edition_shows(
    blocked, legal, fast_pdf, django_capture_on_commit_callbacks
):
    editions.sign_off(actor=legal, production=blocked, kind=DocumentKind.STATEMENT, on=ON, reason="Earlier reason.")

    with django_capture_on_commit_callbacks(execute=True):
        edition = issue(blocked, legal, sign_off_reason="Consent re-signed on set this morning.")

    assert edition.sign_off.reason == "Consent re-signed on set this morning."
    assert "Consent re-signed on set this morning." in html_in(fast_pdf)


def test_legal_signs_off_inline_on_the_issue_page(client, blocked, legal, fast_pdf, django_capture_on_commit_callbacks):
    client.force_login(legal)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_issue(client, blocked, sign_off_reason="Signed consent is with the union.")

    assert response.status_code == 302
    edition = Edition.objects.get()
    assert edition.sign_off.reason == "Signed consent is with the union."
    page = verify_page(client, english(edition))
    assert "Signed consent is with the union." in page and "De-aged lead" in page


def test_a_producer_may_not_sign_off(blocked, producer):
    with pytest.raises(PermissionDenied):
        editions.sign_off(actor=producer, production=blocked, kind=DocumentKind.STATEMENT, on=ON, reason="Fine.")
    with pytest.raises(PermissionDenied):
        issue(blocked, producer, sign_off_reason="Fine.")

    assert not IssueSignOff.objects.exists()
    assert_nothing_issued()


def test_a_sign_off_needs_a_reason(blocked, legal):
    with pytest.raises(ValidationError) as refused:
        editions.sign_off(actor=legal, production=blocked, kind=DocumentKind.STATEMENT, on=ON, reason="   ")

    assert "reason" in refused.value.message_dict
    assert not IssueSignOff.objects.exists()


def test_there_is_nothing_to_sign_off_when_nothing_blocks(clean, legal):
    with pytest.raises(ValidationError):
        editions.sign_off(actor=legal, production=clean, kind=DocumentKind.STATEMENT, on=ON, reason="Just in case.")

    assert not IssueSignOff.objects.exists()


# Who may issue


def test_issuing_needs_a_named_signatory(client, clean, producer):
    with pytest.raises(ValidationError) as refused:
        issue(clean, producer, signatory="  ")
    assert "signatory" in refused.value.message_dict

    client.force_login(producer)
    response = post_issue(client, clean, signatory="")

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert_nothing_issued()


def test_a_viewer_may_not_issue_or_withdraw(client, issued, viewer):
    client.force_login(viewer)

    assert post_issue(client, issued.production).status_code == 403
    assert client.post(withdraw_url(issued), {"reason": "Wrong cut."}).status_code == 403
    with pytest.raises(PermissionDenied):
        issue(issued.production, viewer)
    with pytest.raises(PermissionDenied):
        editions.withdraw(actor=viewer, edition=issued, reason="Wrong cut.")

    issued.refresh_from_db()
    assert (Edition.objects.count(), issued.status) == (1, EditionStatus.ISSUED)


def test_an_outsider_finds_nothing_to_issue_or_withdraw(client, issued, outsider):
    client.force_login(outsider)

    assert post_issue(client, issued.production).status_code == 404
    assert client.post(withdraw_url(issued), {"reason": "Wrong cut."}).status_code == 404
    issued.refresh_from_db()
    assert issued.status == EditionStatus.ISSUED


def test_a_viewers_draft_supersedes_nothing(client, issued, viewer, django_capture_on_commit_callbacks):
    client.force_login(viewer)
    other_date = ON + datetime.timedelta(days=30)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("disclosure:document-request", args=[issued.production_id]),
            {"kind": "statement", "language": "en", "assessment_date": other_date.isoformat()},
        )

    assert response.status_code == 302
    draft = DisclosureDocument.objects.get(edition__isnull=True)
    assert (draft.is_draft, draft.status, draft.requested_by) == (True, DocumentStatus.READY, viewer)
    issued.refresh_from_db()
    assert (issued.status, issued.superseded_by) == (EditionStatus.ISSUED, None)
    assert verify(english(issued)).currency == Currency.CURRENT


# An edition: English and French together; the next one supersedes it as a whole


def test_an_edition_is_an_english_and_a_french_pdf_issued_together(issued):
    documents = documents_of(issued)

    assert [d.language for d in documents] == ["en", "fr"]
    assert all(d.status == DocumentStatus.READY and not d.is_draft for d in documents)
    assert issued.issued_at is not None
    assert {d.records_revision for d in documents} == {issued.records_revision}
    assert [entry.history_change_reason for entry in issued.history.order_by("history_id")] == [
        "edition issued",
        "edition ready",
    ]


def test_an_edition_is_being_prepared_until_both_pdfs_are_ready(
    clean, producer, fast_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edition = issue(clean, producer)
    assert len(callbacks) == 2

    callbacks[0]()
    edition.refresh_from_db()
    assert (edition.status, edition.issued_at) == (EditionStatus.PREPARING, None)
    ready = DisclosureDocument.objects.get(edition_id=edition.id, status=DocumentStatus.READY)
    assert verify(ready).state == State.PREPARING

    callbacks[1]()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.ISSUED and edition.issued_at is not None


def test_a_second_edition_supersedes_both_documents_of_the_first(
    client, issued, producer, fast_pdf, django_capture_on_commit_callbacks
):
    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Crowd extension"), description="Wider.")
    with django_capture_on_commit_callbacks(execute=True):
        second = issue(issued.production, producer)

    second.refresh_from_db()
    assert (second.number, second.previous, second.status) == (2, issued, EditionStatus.ISSUED)
    for document in documents_of(issued):
        found = verify(document)
        assert (found.state, found.currency, found.superseded_by) == (State.ISSUED, Currency.SUPERSEDED, second)
    assert verify(english(second)).currency == Currency.CURRENT
    assert "Superseded" in verify_page(client, english(issued))


def test_the_second_edition_says_what_changed_since_the_first(
    client, clean, producer, legal, fast_pdf, django_capture_on_commit_callbacks
):
    lead = PersonFactory(production=clean, name="Ana")
    consent = ConsentFactory(person=lead, review_state=ReviewState.SUBMITTED, signed_document=True)
    AIUseFactory(production=clean, title="Matte painting")
    with django_capture_on_commit_callbacks(execute=True):
        issue(clean, producer)

    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Crowd extension"), description="Wider.")
    services.delete_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Matte painting"))
    services.create_ai_use(
        actor=producer,
        production=clean,
        phase=Phase.VFX,
        department=Department.VFX,
        title="Sky replacement",
        tool=AIUse.objects.get(title="Crowd extension").tool,
        output_type=OutputType.VIDEO,
        digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        is_final=True,
    )
    services.approve_consent(actor=legal, consent=consent)
    fast_pdf.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = issue(clean, producer)

    second.refresh_from_db()
    changes = second.changes
    assert [use["title"] for use in changes["uses_added"]] == ["Sky replacement"]
    assert [use["title"] for use in changes["uses_removed"]] == ["Matte painting"]
    assert [use["title"] for use in changes["uses_changed"]] == ["Crowd extension"]
    assert changes["consents_changed"] == [
        {"id": consent.id, "label": "Ana: Digital alteration", "before": "pending_review", "after": "covered"}
    ]
    for text in (html_in(fast_pdf), verify_page(client, english(second))):
        assert "1 use added" in text and "Sky replacement" in text
        assert "1 use removed" in text and "Matte painting" in text
        assert "1 use changed" in text and "Crowd extension" in text
        assert "Consent Ana: Digital alteration: Pending review → Covered" in text
    assert "What changed since edition no. 1" in html_in(fast_pdf)
    assert "Since edition no. 1:" in verify_page(client, english(second))


def test_a_first_edition_says_so(issued, client, fast_pdf):
    assert issued.changes is None
    assert "First edition of this document." in html_in(fast_pdf)
    assert "First edition of this document." in verify_page(client, english(issued))


def test_a_revoked_consent_is_listed_as_changed(clean, producer, legal, fast_pdf, django_capture_on_commit_callbacks):
    lead = PersonFactory(production=clean, name="Ana")
    consent = ConsentFactory(person=lead, review_state=ReviewState.SUBMITTED, signed_document=True)
    services.approve_consent(actor=legal, consent=consent)
    with django_capture_on_commit_callbacks(execute=True):
        issue(clean, producer)

    services.revoke_consent(
        actor=producer, consent=consent, on=ON - datetime.timedelta(days=10), reason="Withdrawn by letter."
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = issue(clean, producer)

    second.refresh_from_db()
    assert second.changes["consents_changed"] == [
        {"id": consent.id, "label": "Ana: Digital alteration", "before": "covered", "after": "revoked"}
    ]
    assert second.changes["uses_added"] == second.changes["uses_changed"] == second.changes["uses_removed"] == []


def test_legal_confirming_a_coverage_lists_the_use_as_changed(
    clean, producer, legal, fast_pdf, django_capture_on_commit_callbacks
):
    lead = PersonFactory(production=clean, name="Ana")
    consent = approved_consent(lead)
    use = AIUseFactory(
        production=clean,
        title="De-aged lead",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[lead],
        consents=[consent],
        is_final=False,
        coverage=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue(clean, producer)

    services.decide_coverage(actor=legal, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)
    with django_capture_on_commit_callbacks(execute=True):
        second = issue(clean, producer)

    second.refresh_from_db()
    assert [entry["title"] for entry in second.changes["uses_changed"]] == ["De-aged lead"]
    assert second.changes["consents_changed"] == []


# What the verification page says


def test_the_verification_page_says_issued_and_current_then_records_changed(client, issued, producer):
    document = english(issued)
    page = verify_page(client, document)
    assert "Edition no. 1" in page and SIGNATORY in page and "Current" in page
    assert verify(document).state == State.ISSUED

    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Crowd extension"), title="Crowd, wider")

    found = verify(document)
    assert (found.currency, found.changed) == (Currency.RECORDS_CHANGED, ["uses"])
    page = verify_page(client, document)
    assert "Records changed since issue" in page and "AI uses" in page


def test_an_edit_the_statement_does_not_read_leaves_it_current_but_not_a_checklist(
    clean, producer, legal, fast_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statement = issue(clean, producer)
        checklist = issue(clean, producer, kind=DocumentKind.CHECKLIST)

    disclosure_services.attest_item(
        actor=legal, production=clean, item_id="inventory", status=ItemStatus.MET, comment="Checked the ledger."
    )

    assert verify(english(statement)).currency == Currency.CURRENT
    found = verify(english(checklist))
    assert (found.currency, found.changed) == (Currency.RECORDS_CHANGED, ["attestations"])


def test_a_withdrawn_edition_says_so_with_its_reason(client, issued, producer):
    client.force_login(producer)

    response = client.post(withdraw_url(issued), {"reason": "Issued for the wrong cut."})

    assert response.status_code == 302
    issued.refresh_from_db()
    assert (issued.status, issued.withdrawn_by) == (EditionStatus.WITHDRAWN, producer)
    for document in documents_of(issued):
        assert verify(document).state == State.WITHDRAWN
    page = verify_page(client, english(issued))
    assert "Withdrawn" in page and "Issued for the wrong cut." in page


def test_withdrawing_needs_a_reason(client, issued, producer):
    with pytest.raises(ValidationError) as refused:
        editions.withdraw(actor=producer, edition=issued, reason="  ")
    assert "reason" in refused.value.message_dict

    client.force_login(producer)
    client.post(withdraw_url(issued), {"reason": ""})

    issued.refresh_from_db()
    assert issued.status == EditionStatus.ISSUED


def test_an_edition_is_withdrawn_once(issued, producer):
    editions.withdraw(actor=producer, edition=issued, reason="Wrong cut.")

    with pytest.raises(ValidationError):
        editions.withdraw(actor=producer, edition=issued, reason="Again.")

    issued.refresh_from_db()
    assert issued.withdrawal_reason == "Wrong cut."


# Drafts and issued documents, as rendered


def test_a_draft_is_marked_in_its_pages_and_its_data(clean, fast_pdf, attachments):
    document, _created = requests.request_document(
        production=clean, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )

    document = jobs.render(document.id)

    assert document.status == DocumentStatus.READY
    assert "Draft: not for submission" in fast_pdf[0]
    assert attachments[0]["status"] == "draft"
    assert "edition" not in attachments[0]
    assert verify(document).state == State.DRAFT


def test_an_issued_document_names_its_signatory_and_edition_and_is_not_marked_draft(
    clean, producer, fast_pdf, attachments, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edition = issue(clean, producer, signatory_role="Producer")

    html = html_in(fast_pdf)
    assert "Draft: not for submission" not in html
    assert f"{SIGNATORY}, Producer" in html
    assert "No. 1, in English and French" in html
    assert len(attachments) == 2
    data = next(entry for entry in attachments if entry["content"]["language"] == "en")
    assert data["status"] == "issued"
    assert data["edition"]["id"] == str(edition.id)
    assert (data["edition"]["number"], data["edition"]["signatory"]) == (1, SIGNATORY)


# Records that change while an edition is prepared


def test_records_changed_while_preparing_fail_the_edition_and_its_documents_are_not_retried(
    clean, producer, fast_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edition = issue(clean, producer)
    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(title="Crowd extension"), title="Crowd, wider")

    for callback in callbacks:
        callback()

    edition.refresh_from_db()
    assert edition.status == EditionStatus.FAILED
    assert edition.error == str(jobs.RECORDS_CHANGED)
    documents = documents_of(edition)
    assert [d.status for d in documents] == [DocumentStatus.FAILED, DocumentStatus.FAILED]
    assert fast_pdf == [], "nothing rendered from other records than those checked"
    for document in documents:
        assert verify(document).state == State.NOT_ISSUED
        assert requests.may_retry(document) is False
        assert requests.retry(document) is False
        assert document.status == DocumentStatus.FAILED
