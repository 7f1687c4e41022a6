"""Consent statuses kept as data (productions.kept_statuses): always those the records give, on the pages' filters
and counts, after any write and when the date moves; a check finds and mends a write that bypassed the audit trail."""

import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from productions import kept_statuses, services
from productions.consent_status import BLOCKING_STATUSES, NEEDS_CONSENT, ConsentStatus, consent_statuses
from productions.models import AIUse, Consent, KeptStatus, StatusSnapshot
from productions.notifications import reminders
from productions.vocabularies import PerformerUse
from tests.factories import AIUseFactory, ProductionFactory
from tests.productions.test_consent_status import CASES, ON, approved, build_use
from tests.races import require_postgresql, run_together

TODAY = timezone.localdate()


def kept(production):
    return dict(KeptStatus.objects.filter(production=production).values_list("ai_use_id", "status"))


def computed(production, on=None):
    needing = AIUse.objects.filter(production=production, performer_use__in=NEEDS_CONSENT)
    return {pk: str(status) for pk, status in consent_statuses(needing, on=on).items()}


def every_case(production, **use_fields):
    """A use for each case of the consent status table, and one whose coverage decision no longer holds."""
    uses = [build_use(production, *case[1:4], **use_fields) for case in CASES]
    stale = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())], **use_fields)
    AIUse.objects.filter(pk=stale.pk).update(shots="Reel 5")  # the decision was made on other facts
    return uses


def test_kept_statuses_are_those_the_records_give_for_every_case(production):
    every_case(production)

    assert kept_statuses.ensure([production.pk], on=ON) == 1

    assert kept(production) == computed(production, on=ON)
    assert set(kept(production).values()) == set(ConsentStatus) - {ConsentStatus.NOT_NEEDED}
    assert kept_statuses.check([production.pk], on=ON) == {}


def test_a_current_snapshot_costs_one_query_and_is_not_recomputed(production, django_assert_num_queries):
    every_case(production)
    kept_statuses.ensure([production.pk])

    with django_assert_num_queries(1):
        assert kept_statuses.ensure([production.pk]) == 0


def test_only_productions_asked_for_are_recomputed(production):
    other = ProductionFactory()
    AIUseFactory(production=other, performer_use=PerformerUse.VOICE_CLONE)
    every_case(production)

    kept_statuses.ensure([production.pk])

    assert StatusSnapshot.objects.filter(production=other).exists() is False
    assert not KeptStatus.objects.filter(production=other).exists()


def page_ids(response):
    return {ai_use.pk for ai_use in response.context["uses"]}


def test_the_dashboard_counts_what_the_records_give(client, producer, production):
    every_case(production)
    client.force_login(producer)
    today = consent_statuses(AIUse.objects.filter(production=production))

    response = client.get(reverse("productions:dashboard", args=[production.pk]))

    assert response.context["blocked_count"] == sum(status in BLOCKING_STATUSES for status in today.values())
    pending = sum(status == ConsentStatus.PENDING_REVIEW for status in today.values())
    assert response.context["pending_review_uses"] == pending


def test_a_write_through_the_services_is_read_by_the_next_page(client, producer, production):
    ai_use = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())])
    client.force_login(producer)
    blocked_url = reverse("productions:ledger", args=[production.pk]) + "?consent_status=blocked"
    assert page_ids(client.get(blocked_url)) == set()

    services.revoke_consent(actor=producer, consent=ai_use.consents.get(), on=TODAY, reason="Withdrawn on set.")

    assert page_ids(client.get(blocked_url)) == {ai_use.pk}
    assert kept(production) == {ai_use.pk: ConsentStatus.REVOKED}
    response = client.get(reverse("productions:dashboard", args=[production.pk]))
    assert response.context["blocked_count"] == 1


def test_a_use_that_stops_needing_consent_leaves_the_kept_statuses(producer, production):
    ai_use = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())])
    kept_statuses.ensure([production.pk])
    assert set(kept(production)) == {ai_use.pk}

    services.update_ai_use(actor=producer, ai_use=ai_use, performer_use=PerformerUse.NONE)
    kept_statuses.ensure([production.pk])

    assert kept(production) == {}


def test_the_date_moves_the_statuses_and_the_daily_tick_recomputes_them(production):
    ai_use = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved(expires_on=TODAY))])
    kept_statuses.ensure([production.pk], on=TODAY)
    assert kept(production) == {ai_use.pk: ConsentStatus.COVERED}

    tomorrow = TODAY + datetime.timedelta(days=1)
    counts = reminders.run(on=tomorrow)

    assert counts["statuses_recomputed"] >= 1
    assert kept(production) == {ai_use.pk: ConsentStatus.EXPIRED}
    assert StatusSnapshot.objects.get(production=production).on == tomorrow
    # Read today again, the statuses are today's.
    kept_statuses.ensure([production.pk])
    assert kept(production) == {ai_use.pk: ConsentStatus.COVERED}


def test_the_check_finds_and_mends_a_write_that_left_no_audit_trail(production, capsys):
    ai_use = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())])
    kept_statuses.ensure([production.pk])
    # A raw update: no history entry, so the revision does not move and the kept status is now wrong.
    Consent.objects.filter(ai_uses=ai_use).update(revoked_on=TODAY, revocation_reason="Raw write.")
    kept_statuses.ensure([production.pk])
    assert kept(production) == {ai_use.pk: ConsentStatus.COVERED}

    with pytest.raises(CommandError, match="1 kept statuses differed"):
        call_command("check_consent_statuses")

    assert f"use {ai_use.pk}: kept covered, computed revoked" in capsys.readouterr().out
    assert kept(production) == {ai_use.pk: ConsentStatus.REVOKED}
    call_command("check_consent_statuses", str(production.pk))  # mended: no error
    assert "are those the records give" in capsys.readouterr().out


def test_the_periodic_check_reports_nothing_when_all_is_kept(production):
    from productions.tasks import check_consent_statuses

    every_case(production)

    assert check_consent_statuses() == {"productions_differing": 0, "uses_differing": 0}


@pytest.mark.django_db(transaction=True)
def test_concurrent_pages_recompute_the_same_statuses_without_error():
    require_postgresql()
    production = ProductionFactory()
    every_case(production)

    outcomes = run_together(*[lambda: kept_statuses.ensure([production.pk])] * 4)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert kept(production) == computed(production)
    assert StatusSnapshot.objects.filter(production=production).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_recompute_that_read_the_records_before_a_write_commits_does_not_mark_itself_current(monkeypatch):
    """A write marks the snapshot stale in its transaction; a recompute that read the records before the write
    committed finds the snapshot changed and leaves it stale, so the next read sees the write."""
    require_postgresql()
    production = ProductionFactory()
    build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())])
    kept_statuses.ensure([production.pk], on=TODAY - datetime.timedelta(days=1))  # stale today: to recompute
    computing, committed = threading.Event(), threading.Event()
    compute = kept_statuses.consent_statuses

    def slow_compute(*args, **kwargs):
        statuses = compute(*args, **kwargs)
        computing.set()
        committed.wait(timeout=30)
        return statuses

    monkeypatch.setattr(kept_statuses, "consent_statuses", slow_compute)

    def write():
        computing.wait(timeout=30)
        with transaction.atomic():
            kept_statuses.mark_stale([production.pk])
        committed.set()

    outcomes = run_together(lambda: kept_statuses.ensure([production.pk]), write)

    assert outcomes[0] == 1, outcomes
    assert StatusSnapshot.objects.get(production=production).records.startswith("stale ")
    monkeypatch.setattr(kept_statuses, "consent_statuses", compute)
    assert kept_statuses.ensure([production.pk]) == 1
    assert kept_statuses.ensure([production.pk]) == 0
