"""The consent lifecycle through the services: valid approvals only, revocations with their reason, reviews
given to a reviewer, and legal's per-use coverage decisions that a use's status waits for."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from productions import services
from productions.consent_status import ConsentStatus, consent_status
from productions.models import AIUse, BlockedUse, Consent, CoverageDecision
from productions.vocabularies import ConsentKind, CoverageDecisionKind, PerformerUse, ReviewState
from tests.factories import AIUseFactory, ConsentFactory, PersonFactory
from tests.races import require_postgresql, run_together
from tests.samples import PDF

ON = datetime.date(2026, 6, 1)


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")


def signed(name="signed.pdf"):
    return SimpleUploadedFile(name, PDF)


def submitted(performer, producer, **terms):
    consent = ConsentFactory(person=performer, **terms)
    services.attach_consent_document(actor=producer, consent=consent, uploaded_file=signed())
    return services.submit_consent(actor=producer, consent=Consent.objects.get(pk=consent.pk))


def approved(performer, producer, legal, **terms):
    consent = submitted(performer, producer, **terms)
    return services.approve_consent(actor=legal, consent=consent)


def relying_use(production, performer, consent, **fields):
    return AIUseFactory(
        production=production,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[performer],
        consents=[consent],
        coverage=False,
        **fields,
    )


def status_of(use, on=None):
    return consent_status(AIUse.objects.get(pk=use.pk), on=on)


# Valid approvals only


def test_a_consent_without_its_signed_document_cannot_be_approved(performer, producer, legal):
    consent = services.submit_consent(actor=producer, consent=ConsentFactory(person=performer))

    with pytest.raises(ValidationError) as refusal:
        services.approve_consent(actor=legal, consent=consent)

    assert "document" in refusal.value.message_dict
    assert Consent.objects.get(pk=consent.pk).review_state == ReviewState.SUBMITTED


def test_a_consent_not_separately_signed_needs_legal_reason_to_be_approved(performer, producer, legal):
    consent = submitted(performer, producer, separately_signed=False)

    with pytest.raises(ValidationError) as refusal:
        services.approve_consent(actor=legal, consent=Consent.objects.get(pk=consent.pk))
    assert "not_separately_signed_reason" in refusal.value.message_dict

    services.approve_consent(
        actor=legal,
        consent=Consent.objects.get(pk=consent.pk),
        not_separately_signed_reason="Equity contract: the replica clause is a signed rider of its own.",
    )
    stored = Consent.objects.get(pk=consent.pk)
    assert stored.review_state == ReviewState.APPROVED
    assert stored.not_separately_signed_reason.startswith("Equity contract")
    assert stored.standing(ON) == ConsentStatus.COVERED


def test_new_terms_send_the_consent_back_and_forget_the_reason_it_was_approved_on(performer, producer, legal):
    consent = submitted(performer, producer, separately_signed=False)
    services.approve_consent(actor=legal, consent=consent, not_separately_signed_reason="Rider signed apart.")

    services.update_consent(actor=producer, consent=Consent.objects.get(pk=consent.pk), compensation="EUR 9,000")

    stored = Consent.objects.get(pk=consent.pk)
    assert stored.review_state == ReviewState.DRAFT
    assert stored.not_separately_signed_reason == ""


# Revocation


def test_a_revocation_needs_a_reason_and_changes_nothing_without_one(performer, producer, legal):
    consent = approved(performer, producer, legal)

    with pytest.raises(ValidationError) as refusal:
        services.revoke_consent(actor=producer, consent=consent, on=ON, reason="  ")

    assert "revocation_reason" in refusal.value.message_dict
    assert Consent.objects.get(pk=consent.pk).revoked_on is None


def test_a_revocation_keeps_its_reason_and_the_written_withdrawal_privately(performer, producer, legal, settings):
    consent = approved(performer, producer, legal)

    services.revoke_consent(
        actor=producer,
        consent=consent,
        on=ON,
        reason="The performer withdrew by letter of 30 May.",
        withdrawal_document=signed("letter.pdf"),
    )

    stored = Consent.objects.get(pk=consent.pk)
    assert stored.revoked_on == ON
    assert stored.revocation_reason == "The performer withdrew by letter of 30 May."
    assert stored.withdrawal_document.name.startswith(f"withdrawals/{performer.production_id}/")
    assert "letter" not in stored.withdrawal_document.name  # the uploader's file name is not kept
    assert stored.withdrawal_document_content_type == "application/pdf"
    assert len(stored.withdrawal_document_sha256) == 64
    assert (settings.PRIVATE_MEDIA_ROOT / stored.withdrawal_document.name).read_bytes() == PDF
    assert stored.history.first().history_change_reason == "revoked"


def test_a_written_withdrawal_that_is_not_a_document_is_refused(performer, producer, legal):
    consent = approved(performer, producer, legal)

    with pytest.raises(ValidationError) as refusal:
        services.revoke_consent(
            actor=producer,
            consent=consent,
            on=ON,
            reason="By e-mail.",
            withdrawal_document=SimpleUploadedFile("letter.pdf", b"not a pdf"),
        )

    assert "withdrawal_document" in refusal.value.message_dict
    assert Consent.objects.get(pk=consent.pk).revoked_on is None


def test_a_viewer_cannot_revoke(performer, producer, legal, viewer):
    consent = approved(performer, producer, legal)

    with pytest.raises(PermissionDenied):
        services.revoke_consent(actor=viewer, consent=consent, on=ON, reason="No.")


# Review assignment


def test_legal_gives_a_review_to_a_legal_member_by_a_date(performer, producer, legal):
    consent = submitted(performer, producer)

    services.assign_review(actor=legal, consent=consent, assignee=legal, due_on=ON)

    stored = Consent.objects.get(pk=consent.pk)
    assert (stored.review_assignee, stored.review_due_on) == (legal, ON)


def test_a_review_goes_only_to_legal_and_only_legal_gives_it(performer, producer, legal, viewer, outsider):
    consent = submitted(performer, producer)

    with pytest.raises(ValidationError) as refusal:
        services.assign_review(actor=legal, consent=consent, assignee=producer, due_on=ON)
    assert "review_assignee" in refusal.value.message_dict
    with pytest.raises(ValidationError):
        services.assign_review(actor=legal, consent=consent, assignee=outsider, due_on=ON)
    with pytest.raises(PermissionDenied):
        services.assign_review(actor=producer, consent=consent, assignee=legal, due_on=ON)
    with pytest.raises(PermissionDenied):
        services.assign_review(actor=viewer, consent=consent, assignee=legal, due_on=ON)
    with pytest.raises(Http404):
        services.assign_review(actor=outsider, consent=consent, assignee=legal, due_on=ON)
    assert Consent.objects.get(pk=consent.pk).review_assignee is None


# Coverage decisions


def test_a_use_relying_on_a_valid_consent_waits_for_legal_to_confirm_the_coverage(
    production, performer, producer, legal
):
    consent = approved(performer, producer, legal)
    use = relying_use(production, performer, consent)

    assert status_of(use) == ConsentStatus.SCOPE_TO_CONFIRM

    services.decide_coverage(actor=legal, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)

    assert status_of(use) == ConsentStatus.COVERED
    decision = CoverageDecision.objects.get(consent=consent, ai_use=use)
    assert decision.decided_by == legal
    assert decision.history.first().history_user == legal


def test_a_consent_legal_finds_does_not_cover_the_use_leaves_it_out_of_scope(production, performer, producer, legal):
    consent = approved(performer, producer, legal, scope_description="ADR line replacement in reel 3.")
    use = relying_use(production, performer, consent, title="De-aged face, reel 5")

    with pytest.raises(ValidationError) as refusal:
        services.decide_coverage(
            actor=legal, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.DOES_NOT_COVER
        )
    assert "note" in refusal.value.message_dict

    services.decide_coverage(
        actor=legal,
        consent=consent,
        ai_uses=[use],
        decision=CoverageDecisionKind.DOES_NOT_COVER,
        note="The consent is to replacing lines in reel 3, not to altering the face in reel 5.",
    )

    assert status_of(use) == ConsentStatus.OUT_OF_SCOPE


def test_a_coverage_decision_is_to_make_again_when_the_consent_scope_or_the_use_changes(
    production, performer, producer, legal
):
    consent = approved(performer, producer, legal)
    use = relying_use(production, performer, consent, shots="SH0030")
    services.decide_coverage(actor=legal, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)

    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(pk=use.pk), shots="SH0030, SH0040")
    assert status_of(use) == ConsentStatus.SCOPE_TO_CONFIRM

    services.decide_coverage(actor=legal, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)
    assert status_of(use) == ConsentStatus.COVERED
    # New terms send the consent back to review, and its coverage is confirmed again after approval.
    services.update_consent(actor=producer, consent=Consent.objects.get(pk=consent.pk), scope_shots="reel 3")
    stored = Consent.objects.get(pk=consent.pk)
    services.submit_consent(actor=producer, consent=stored)
    services.approve_consent(actor=legal, consent=Consent.objects.get(pk=consent.pk))
    assert status_of(use) == ConsentStatus.SCOPE_TO_CONFIRM


def test_only_legal_decides_coverage_and_only_on_uses_relying_on_the_consent(
    production, performer, producer, legal, viewer, outsider
):
    consent = approved(performer, producer, legal)
    use = relying_use(production, performer, consent)
    unrelated = AIUseFactory(production=production, performer_use=PerformerUse.DIGITAL_ALTERATION)

    for actor, error in ((producer, PermissionDenied), (viewer, PermissionDenied), (outsider, Http404)):
        with pytest.raises(error):
            services.decide_coverage(actor=actor, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)
    with pytest.raises(ValidationError) as refusal:
        services.decide_coverage(
            actor=legal, consent=consent, ai_uses=[use, unrelated], decision=CoverageDecisionKind.COVERS
        )
    assert "ai_uses" in refusal.value.message_dict
    assert not CoverageDecision.objects.exists()


def test_coverage_confirmed_in_bulk_is_one_decision_per_use(production, performer, producer, legal):
    consent = approved(performer, producer, legal)
    uses = [relying_use(production, performer, consent, title=f"Shot {n}") for n in range(5)]

    services.decide_coverage(actor=legal, consent=consent, ai_uses=uses, decision=CoverageDecisionKind.COVERS)

    assert CoverageDecision.objects.filter(consent=consent).count() == 5
    assert {status_of(use) for use in uses} == {ConsentStatus.COVERED}
    assert not BlockedUse.objects.filter(ai_use__in=uses).exists()


def test_a_consent_to_another_kind_never_covers_the_use_whatever_legal_decides(production, performer, producer, legal):
    consent = approved(performer, producer, legal, kind=ConsentKind.EMPLOYMENT_REPLICA)
    use = relying_use(production, performer, consent)  # a digital alteration
    services.decide_coverage(actor=legal, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)

    assert status_of(use) == ConsentStatus.OUT_OF_SCOPE


def test_a_consent_whose_term_has_not_begun_does_not_cover_the_use_yet(production, performer, producer, legal):
    consent = approved(performer, producer, legal, term_starts_on=datetime.date(2026, 9, 1))
    use = relying_use(production, performer, consent)
    services.decide_coverage(actor=legal, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)

    assert status_of(use, on=datetime.date(2026, 8, 31)) == ConsentStatus.OUT_OF_SCOPE
    assert status_of(use, on=datetime.date(2026, 9, 1)) == ConsentStatus.COVERED


def test_uses_blocked_are_remembered_once_and_forgotten_when_fixed(production, performer, producer, legal):
    consent = approved(performer, producer, legal)
    use = services.create_ai_use(
        actor=producer,
        production=production,
        people=[performer],
        consents=[consent],
        **{
            name: getattr(AIUseFactory.build(performer_use=PerformerUse.DIGITAL_ALTERATION), name)
            for name in ("phase", "department", "title", "output_type", "digital_source_type", "performer_use")
        },
    )
    assert BlockedUse.objects.get(ai_use=use).status == ConsentStatus.SCOPE_TO_CONFIRM

    services.decide_coverage(actor=legal, consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)
    assert not BlockedUse.objects.filter(ai_use=use).exists()

    services.revoke_consent(actor=producer, consent=Consent.objects.get(pk=consent.pk), on=ON, reason="Withdrawn.")
    assert BlockedUse.objects.get(ai_use=use).status == ConsentStatus.REVOKED


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_coverage_at_once_leave_one_decision_each_recorded(production, performer, producer):
    require_postgresql()
    from productions.vocabularies import Role
    from tests.factories import MembershipFactory, UserFactory

    reviewers = [
        MembershipFactory(production=production, user=UserFactory(username=f"legal{n}"), role=Role.LEGAL).user
        for n in range(2)
    ]
    for _run in range(5):
        consent = approved(performer, producer, reviewers[0])
        use = relying_use(production, performer, consent)
        outcomes = run_together(
            *(
                lambda reviewer=reviewer, consent=consent, use=use: services.decide_coverage(
                    actor=reviewer,
                    consent=Consent.objects.get(pk=consent.pk),
                    ai_uses=[AIUse.objects.get(pk=use.pk)],
                    decision=CoverageDecisionKind.COVERS,
                )
                for reviewer in reviewers
            )
        )
        assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
        assert CoverageDecision.objects.filter(consent=consent, ai_use=use).count() == 1
        assert CoverageDecision.history.filter(consent_id=consent.pk, ai_use_id=use.pk).count() == 2
