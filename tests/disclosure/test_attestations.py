"""Legal attests checklist items: audited, beside the computed status, never in its place."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from disclosure import services
from disclosure.checklist import assess
from disclosure.models import ChecklistAttestation, ItemStatus
from productions.vocabularies import DeepFake
from tests.factories import AIUseFactory

ON = datetime.date(2026, 9, 1)


def attest(actor, production, item_id="deep-fake-disclosure", status=ItemStatus.MET, comment="Checked the credits."):
    return services.attest_item(actor=actor, production=production, item_id=item_id, status=status, comment=comment)


def trail(attestation_id):
    """The history of one attestation, oldest first, as (type, user, status)."""
    return [
        (entry.history_type, entry.history_user, entry.status)
        for entry in ChecklistAttestation.history.filter(id=attestation_id).order_by("history_id")
    ]


def test_legal_attests_an_item_with_a_status_and_a_comment(production, legal):
    attestation = attest(legal, production, comment="  The end credits name the generated collapse.  ")

    attestation.refresh_from_db()
    assert attestation.item_id == "deep-fake-disclosure"
    assert attestation.status == ItemStatus.MET
    assert attestation.comment == "The end credits name the generated collapse."
    assert attestation.attested_by == legal
    assert attestation.attested_at is not None
    assert trail(attestation.id) == [("+", legal, "met")]


def test_attesting_again_updates_the_one_attestation_and_keeps_the_history(production, legal):
    first = attest(legal, production, status=ItemStatus.ATTENTION, comment="Credits not locked yet.")

    second = attest(legal, production, status=ItemStatus.MET, comment="Credits locked in v3.")

    assert second.pk == first.pk
    assert ChecklistAttestation.objects.filter(production=production).count() == 1
    assert trail(first.id) == [("+", legal, "attention"), ("~", legal, "met")]


def test_legal_withdraws_an_attestation_and_the_history_says_who(production, legal):
    attestation = attest(legal, production)

    services.withdraw_attestation(actor=legal, production=production, item_id="deep-fake-disclosure")

    assert not ChecklistAttestation.objects.filter(production=production).exists()
    assert trail(attestation.id) == [("+", legal, "met"), ("-", legal, "met")]


def test_withdrawing_what_was_never_attested_is_refused(production, legal):
    with pytest.raises(ValidationError):
        services.withdraw_attestation(actor=legal, production=production, item_id="inventory")


@pytest.mark.parametrize("role", ["producer", "viewer"])
def test_other_members_may_not_attest_or_withdraw(request, production, legal, role):
    member = request.getfixturevalue(role)
    attest(legal, production)

    with pytest.raises(PermissionDenied):
        attest(member, production, status=ItemStatus.NOT_MET)
    with pytest.raises(PermissionDenied):
        services.withdraw_attestation(actor=member, production=production, item_id="deep-fake-disclosure")
    assert ChecklistAttestation.objects.get(production=production).status == ItemStatus.MET


def test_an_outsider_is_told_the_production_does_not_exist(production, outsider):
    with pytest.raises(Http404):
        attest(outsider, production)
    with pytest.raises(Http404):
        services.withdraw_attestation(actor=outsider, production=production, item_id="deep-fake-disclosure")


@pytest.mark.parametrize("comment", ["", "   ", None])
def test_an_attestation_needs_a_comment(production, legal, comment):
    with pytest.raises(ValidationError) as error:
        attest(legal, production, comment=comment)

    assert "comment" in error.value.message_dict
    assert not ChecklistAttestation.objects.exists()


def test_an_attestation_needs_a_known_status_and_item(production, legal):
    with pytest.raises(ValidationError) as bad_status:
        attest(legal, production, status="fine")
    with pytest.raises(ValidationError) as bad_item:
        attest(legal, production, item_id="vibes")

    assert "status" in bad_status.value.message_dict
    assert "item_id" in bad_item.value.message_dict
    assert not ChecklistAttestation.objects.exists()


def test_the_computed_status_is_still_shown_beside_the_attested_one(production, legal):
    AIUseFactory(production=production, deep_fake=DeepFake.YES)
    attest(legal, production, status=ItemStatus.MET, comment="A card is added to the festival print.")

    checklist = assess(production, on=ON)

    result = next(item for item in checklist.items if item.rule.id == "deep-fake-disclosure")
    assert result.status == ItemStatus.NOT_MET
    assert result.attestation.status == ItemStatus.MET
    assert result.attestation_differs
    assert checklist.summary["not_met"] >= 1
    data = next(entry for entry in checklist.as_data()["items"] if entry["id"] == "deep-fake-disclosure")
    assert data["status"] == "not_met"
    assert data["attestation"]["status"] == "met"
    assert data["attestation"]["comment"] == "A card is added to the festival print."


def test_attestations_of_the_renamed_high_risk_item_follow_it(production, legal):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("disclosure.migrations.0003_high_risk_item_id")
    ChecklistAttestation.objects.create(
        production=production,
        item_id="high-risk-casting",
        status="attention",
        comment="Casting tool reviewed.",
        attested_by=legal,
        attested_at=timezone.now(),
    )

    migration.forwards(apps, None)

    assert ChecklistAttestation.objects.get().item_id == "high-risk"
    assert "high-risk" in {result.rule.id for result in assess(production).items}
