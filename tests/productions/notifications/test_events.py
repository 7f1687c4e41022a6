"""Every event of a consent's life reaches the right people once, through the services: never the actor of it,
never a viewer, never anyone outside the production."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from productions import services
from productions.consent_status import ConsentStatus
from productions.models import AIUse, Notification
from productions.notifications import blocks
from productions.notifications.messages import message
from productions.vocabularies import CoverageDecisionKind, NotificationEvent, PerformerUse
from tests.factories import AIUseFactory
from tests.productions.notifications.conftest import approved_consent, attach, covered_use, once, told


def test_a_submission_is_told_to_legal_and_the_assigned_reviewer_once(team, consent):
    consent.review_assignee = team["colleague"]
    consent.save()
    attach(team["producer"], consent)

    services.submit_consent(actor=team["producer"], consent=consent)

    assert told(NotificationEvent.CONSENT_SUBMITTED) == once("lea", "luis")


def test_a_second_submission_after_changes_is_told_again(team, submitted):
    services.request_consent_changes(actor=team["legal"], consent=submitted, reason="Name the reels.")
    services.submit_consent(actor=team["producer"], consent=submitted)

    assert told(NotificationEvent.CONSENT_SUBMITTED) == {"lea": 2, "luis": 2}


@pytest.mark.parametrize(
    ("decide", "event"),
    [
        (lambda c, legal: services.approve_consent(actor=legal, consent=c), NotificationEvent.CONSENT_APPROVED),
        (
            lambda c, legal: services.reject_consent(actor=legal, consent=c, reason="Not signed by the performer."),
            NotificationEvent.CONSENT_REJECTED,
        ),
        (
            lambda c, legal: services.request_consent_changes(actor=legal, consent=c, reason="Name the reels."),
            NotificationEvent.CONSENT_CHANGES_REQUESTED,
        ),
    ],
    ids=["approved", "rejected", "changes requested"],
)
def test_a_decision_is_told_to_the_producers(team, submitted, decide, event):
    decide(submitted, team["legal"])

    assert told(event) == once("paula", "pedro")


def test_the_producers_read_why_a_consent_was_rejected(team, submitted):
    services.reject_consent(actor=team["legal"], consent=submitted, reason="Not signed by the performer.")

    said = message(Notification.objects.get(recipient=team["producer"]))
    assert said.title == "Consent rejected"
    assert said.text == "lea rejected the consent of Ricardo Darín (Digital alteration): Not signed by the performer."
    assert said.path == f"/productions/{submitted.person.production_id}/consents/{submitted.pk}/"


def test_a_revocation_is_told_to_producers_and_legal_but_not_to_who_recorded_it(team, performer):
    consent = approved_consent(performer)

    services.revoke_consent(
        actor=team["legal"], consent=consent, on=datetime.date(2026, 5, 4), reason="The performer wrote to withdraw."
    )

    assert told(NotificationEvent.CONSENT_REVOKED) == once("paula", "pedro", "luis")
    said = message(Notification.objects.filter(event=NotificationEvent.CONSENT_REVOKED).first())
    assert said.text == (
        "The consent of Ricardo Darín (Digital alteration) was withdrawn on May 4, 2026: The performer wrote to"
        " withdraw."
    )


def test_a_revocation_blocks_the_uses_relying_on_it_and_says_so_once(team, production, performer):
    consent = approved_consent(performer)
    first = covered_use(production, performer, consent, title="De-aged flashback")
    covered_use(production, performer, consent, title="Younger face, reel 5")

    services.revoke_consent(actor=team["legal"], consent=consent, on=datetime.date(2026, 5, 4), reason="Withdrawn.")

    # A consequence, not the actor's own action: everyone concerned hears of the blocked uses, in one entry.
    assert told(NotificationEvent.USE_BLOCKED) == once("paula", "pedro", "lea", "luis")
    said = message(Notification.objects.get(event=NotificationEvent.USE_BLOCKED, recipient=team["producer"]))
    assert said.title == "2 AI uses blocked"
    assert "Revoked" in said.text and first.title in said.text
    assert said.path == f"/productions/{production.pk}/uses/?consent_status=revoked"


def test_a_single_blocked_use_links_to_its_page(team, production, performer):
    consent = approved_consent(performer)
    use = covered_use(production, performer, consent)

    services.revoke_consent(actor=team["producer"], consent=consent, on=datetime.date(2026, 5, 4), reason="Withdrawn.")

    entry = Notification.objects.get(event=NotificationEvent.USE_BLOCKED, recipient=team["legal"])
    assert message(entry).path == f"/productions/{production.pk}/uses/{use.pk}/"


def test_a_use_relying_on_an_unconfirmed_consent_awaits_legal_once(team, production, performer):
    consent = approved_consent(performer)
    use = AIUseFactory(
        production=production,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[performer],
        consents=[consent],
        coverage=False,
    )

    services.update_ai_use(actor=team["producer"], ai_use=use, title="De-aged flashback, reel 3")
    services.update_ai_use(actor=team["producer"], ai_use=use, title="De-aged flashback, reel 3 (final)")

    assert told(NotificationEvent.COVERAGE_AWAITED) == once("lea", "luis")
    assert told(NotificationEvent.USE_BLOCKED) == {}
    entry = Notification.objects.filter(event=NotificationEvent.COVERAGE_AWAITED).first()
    assert message(entry).path == f"/productions/{production.pk}/uses/{use.pk}/"

    # Confirmed: no longer blocked, and nothing more is told.
    services.decide_coverage(actor=team["legal"], consent=consent, ai_uses=[use], decision=CoverageDecisionKind.COVERS)
    assert Notification.objects.count() == 2


def test_many_uses_awaiting_coverage_link_to_the_ledger_filtered_on_them(team, production, performer):
    consent = approved_consent(performer)
    uses = [
        AIUseFactory(
            production=production,
            performer_use=PerformerUse.DIGITAL_ALTERATION,
            people=[performer],
            consents=[consent],
            coverage=False,
        )
        for _ in range(3)
    ]
    blocks.refresh(AIUse.objects.filter(pk__in=[use.pk for use in uses]))

    entry = Notification.objects.filter(event=NotificationEvent.COVERAGE_AWAITED).first()
    assert message(entry).path == f"/productions/{production.pk}/uses/?consent_status={ConsentStatus.SCOPE_TO_CONFIRM}"
    assert message(entry).title == "Coverage to confirm"


def test_an_assigned_review_is_told_to_the_assignee_only(team, submitted):
    services.assign_review(
        actor=team["legal"], consent=submitted, assignee=team["colleague"], due_on=datetime.date(2026, 6, 15)
    )

    assert told(NotificationEvent.REVIEW_ASSIGNED) == once("luis")
    said = message(Notification.objects.get(event=NotificationEvent.REVIEW_ASSIGNED))
    assert said.text == "lea asked you to review the consent of Ricardo Darín (Digital alteration) by June 15, 2026."


def test_assigning_a_review_to_oneself_tells_no_one(team, submitted):
    services.assign_review(actor=team["legal"], consent=submitted, assignee=team["legal"], due_on=None)

    assert told(NotificationEvent.REVIEW_ASSIGNED) == {}


def test_a_viewer_and_an_outsider_hear_nothing(team, production, performer, submitted, viewer, outsider):
    services.approve_consent(actor=team["legal"], consent=submitted)
    covered_use(production, performer, submitted)
    services.revoke_consent(actor=team["producer"], consent=submitted, on=datetime.date(2026, 5, 4), reason="Gone.")

    assert Notification.objects.exists()
    assert not Notification.objects.filter(recipient__in=[viewer, outsider]).exists()


def test_an_approval_refused_for_want_of_the_signed_document_tells_no_one(team, consent):
    services.submit_consent(actor=team["producer"], consent=consent)
    Notification.objects.all().delete()

    with pytest.raises(ValidationError):
        services.approve_consent(actor=team["legal"], consent=consent)

    assert not Notification.objects.exists()
