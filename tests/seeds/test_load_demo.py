"""The demo data: loaded through the services, idempotent, and rich enough to show every consent status.

The demo is loaded once for the module, in a transaction rolled back after its last test; each test runs in a
savepoint inside it. Loading into an empty database, and its refusals: test_load_demo_command.py."""

import datetime

from django.utils import timezone

from productions import document_checks, imports
from productions.consent_status import ConsentStatus, consent_status, consent_statuses, with_consent_data
from productions.models import (
    AITool,
    AIUse,
    Consent,
    CoverageDecision,
    ImportBatch,
    LiteracyMeasure,
    Membership,
    Person,
    Production,
)
from productions.selectors import productions_for
from productions.vocabularies import (
    REPLICA_CONSENT_KINDS,
    CompanySize,
    ConsentKind,
    ConsentMedium,
    CoverageDecisionKind,
    DeepFake,
    Determination,
    DisclosureMethod,
    PerformerUse,
    Permission,
    PublishedIn,
    ReviewState,
    TriState,
    Union,
)
from seeds.loader import load_demo
from tests.seeds.demo import DEMO_PASSWORD, row_counts, user

ASSESSED_ON = datetime.date(2026, 11, 20)


def test_loading_creates_the_demo_productions_and_reports_what_it_created(demo):
    titles = set(Production.objects.values_list("title", flat=True))
    assert len(titles) >= 3
    assert "El Eternauta" in titles
    assert demo.created["productions"] == Production.objects.count()
    assert demo.created["AI uses"] == AIUse.objects.count()
    assert demo.created["users"] == 5


def test_loading_twice_creates_nothing_twice(demo):
    before = row_counts()

    second = load_demo()

    assert row_counts() == before
    assert set(second.created.values()) == {0}


# Approving a consent not separately signed now takes a recorded reason, which makes it valid: "not separately
# signed" is left only to consents approved before reasons were asked (migration 0009 keeps them as they were).
SHOWN_STATUSES = set(ConsentStatus) - {ConsentStatus.NOT_SEPARATELY_SIGNED}


def test_every_consent_status_appears_on_the_assessment_date_and_today(demo):
    uses = with_consent_data(AIUse.objects.all())
    for on in (ASSESSED_ON, timezone.localdate()):
        statuses = consent_statuses(uses, on=on)
        assert set(statuses.values()) == SHOWN_STATUSES, on
        assert statuses == {use.id: consent_status(use, on) for use in uses}, on


def test_no_consent_reads_as_reviewed_after_it_expired_or_was_withdrawn(demo):
    for consent in Consent.objects.all():
        entries = list(consent.history.order_by("history_id"))
        assert [e.history_date for e in entries] == sorted(e.history_date for e in entries), consent
        ends = [day for day in (consent.expires_on, consent.revoked_on) if day]
        reviewed = [entry.reviewed_at for entry in consent.history.all() if entry.reviewed_at]
        for when in reviewed:
            assert all(timezone.localdate(when) <= end for end in ends), (consent, when)
        # Nothing was done to a consent after it expired: its whole audit trail is dated before.
        if consent.expires_on and consent.expires_on < timezone.localdate():
            assert all(timezone.localdate(e.history_date) <= consent.expires_on for e in consent.history.all())
    expired = Consent.objects.filter(review_state=ReviewState.APPROVED, expires_on__lt=ASSESSED_ON).get()
    assert expired.standing(ASSESSED_ON) == ConsentStatus.EXPIRED
    assert timezone.localdate(expired.reviewed_at) < expired.expires_on


def test_approvals_and_the_withdrawal_are_valid_ones(demo):
    approved = Consent.objects.filter(review_state=ReviewState.APPROVED)
    assert approved.count() >= 5
    for consent in approved:
        assert consent.document, consent
        assert consent.document_content_type == "application/pdf"
        with consent.document.open("rb") as document:
            assert document_checks.check(document, "application/pdf") is None, consent
            assert consent.person.name.encode("cp1252") in document.read()
    # Approved although not separately signed: with legal's reason, which makes it valid.
    (unseparated,) = approved.filter(separately_signed=False)
    assert unseparated.not_separately_signed_reason.strip()
    assert unseparated.standing(ASSESSED_ON) == ConsentStatus.COVERED
    # Withdrawn with its reason and the person's letter, recorded by legal.
    (revoked,) = Consent.objects.filter(revoked_on__isnull=False)
    assert revoked.revocation_reason.strip()
    assert revoked.withdrawal_document
    assert revoked.withdrawal_document_content_type == "application/pdf"
    assert revoked.history.filter(history_change_reason="revoked", history_user=user("legal")).exists()


def test_scopes_are_structured_and_voice_consents_are_replicas_of_the_voice(demo):
    consents = Consent.objects.all()
    assert all(consent.scope_shots.strip() for consent in consents)
    assert all(consent.media or consent.media_notes for consent in consents)
    assert consents.filter(media__contains=ConsentMedium.STREAMING).exists()
    assert consents.filter(term_starts_on__isnull=False, expires_on__isnull=False).count() >= 5
    assert not consents.filter(territory="").exists()
    # A voice clone consent is a replica consent of the voice only.
    assert set(Consent.objects.values_list("kind", flat=True)) <= set(ConsentKind)
    voice_only = Consent.objects.filter(covers_voice=True, covers_likeness=False)
    assert voice_only.count() >= 4
    assert set(voice_only.values_list("kind", flat=True)) <= REPLICA_CONSENT_KINDS
    for use in AIUse.objects.filter(performer_use=PerformerUse.VOICE_CLONE).exclude(consents=None):
        assert use.consents.filter(kind__in=REPLICA_CONSENT_KINDS, covers_voice=True).exists() or (
            consent_status(use, ASSESSED_ON) == ConsentStatus.OUT_OF_SCOPE
        ), use.external_id


def test_legal_decided_the_coverage_of_most_uses_refused_one_with_a_note_and_left_one_to_confirm(demo):
    decisions = CoverageDecision.objects.all()
    covers = decisions.filter(decision=CoverageDecisionKind.COVERS)
    (refused,) = decisions.filter(decision=CoverageDecisionKind.DOES_NOT_COVER)
    assert covers.count() >= 4
    assert refused.note.strip() and refused.decided_by == user("legal")
    uses = with_consent_data(AIUse.objects.all())
    statuses = consent_statuses(uses, on=ASSESSED_ON)
    assert statuses[refused.ai_use_id] == ConsentStatus.OUT_OF_SCOPE
    to_confirm = [use for use in uses if statuses[use.id] == ConsentStatus.SCOPE_TO_CONFIRM]
    assert [use.external_id for use in to_confirm] == ["EP208_ONSET_001"]
    # Uses still blocked for lack of a decision, or refused, are temporary: they stand in no issue's way.
    assert not any(use.exposed for use in [*to_confirm, refused.ai_use])
    for decision in covers:
        assert statuses[decision.ai_use_id] in (ConsentStatus.COVERED, ConsentStatus.REVOKED), decision
        assert decision.decided_at <= timezone.now()
        if decision.consent.revoked_on:
            assert timezone.localdate(decision.decided_at) < decision.consent.revoked_on


def test_submitted_consents_are_assigned_with_a_due_date_one_overdue(demo):
    submitted = Consent.objects.filter(review_state=ReviewState.SUBMITTED)
    assert submitted.count() >= 2
    assert all(consent.review_assignee == user("legal") and consent.review_due_on for consent in submitted)
    today = timezone.localdate()
    assert submitted.filter(review_due_on__lt=today).count() == 1
    assert submitted.filter(review_due_on__gte=today).exists()


def test_equitys_and_the_2026_agreements_questions_are_answered_on_some_consents(demo):
    equity = Consent.objects.filter(person__union=Union.EQUITY)
    assert (
        equity.exclude(training_permission=Permission.NOT_STATED)
        .exclude(data_retention="")
        .filter(data_deletion_on__isnull=False)
        .exists()
    )
    sag_aftra = Consent.objects.filter(person__union=Union.SAG_AFTRA)
    answered = sag_aftra.exclude(performer_is_minor=TriState.UNKNOWN).exclude(
        third_party_licensing=Permission.NOT_STATED
    )
    assert answered.exists() and answered.count() < sag_aftra.count()
    assert Consent.objects.exclude(scan_on=None).exclude(scan_business_reason="").exists()


def test_uses_span_phases_and_both_final_and_temporary_work(demo):
    assert AIUse.objects.values("phase").distinct().count() >= 6
    assert set(AIUse.objects.values_list("is_final", flat=True)) == {True, False}
    assert not AIUse.objects.filter(external_id="").exists()
    assert not AIUse.objects.filter(tool__isnull=True).exists()


def test_consents_are_in_every_review_state_but_draft_and_one_is_revoked(demo):
    states = set(Consent.objects.values_list("review_state", flat=True))
    assert states == set(ReviewState) - {ReviewState.DRAFT}
    assert Consent.objects.filter(revoked_on__isnull=False).exclude(revocation_reason="").exists()
    assert Consent.objects.filter(person__deceased=True).exclude(post_mortem_authority="").exists()


def test_the_productions_record_their_determinations_photography_and_size(demo):
    by_title = {production.title: production for production in Production.objects.all()}
    determinations = ("evidently_artistic", "screenplay_human_authored", "performances_by_humans")

    assert [getattr(by_title["El Eternauta"], name) for name in determinations] == ["yes", "yes", "yes"]
    assert [getattr(by_title["The Letters of Ilse Varga"], name) for name in determinations] == ["no", "yes", "no"]
    assert not Production.objects.filter(evidently_artistic=Determination.NOT_DETERMINED).exists()
    assert not Production.objects.filter(principal_photography_start__isnull=True).exists()
    # Photographed under each SAG-AFTRA agreement: the 2023 one, and the 2026 one from 1 July 2026.
    starts = {production.principal_photography_start for production in by_title.values() if production.year == 2026}
    assert min(starts) < datetime.date(2026, 7, 1) <= max(starts)
    assert {CompanySize.SME, CompanySize.OTHER} <= set(Production.objects.values_list("company_size", flat=True))


def test_every_use_has_its_dates_and_deep_fakes_are_disclosed_well_and_badly(demo):
    assert not AIUse.objects.filter(used_from__isnull=True).exists()
    for use in AIUse.objects.all():
        assert use.used_until >= use.used_from, use.external_id
    deep_fakes = AIUse.objects.filter(deep_fake=DeepFake.YES, is_final=True)
    assert deep_fakes.filter(published_in__contains=PublishedIn.TRAILER).exists()
    methods = set(deep_fakes.values_list("disclosure_method", flat=True))
    assert {DisclosureMethod.OPENING_CARD_AUDIO_DESCRIBED, DisclosureMethod.END_CREDITS} <= methods


def test_outsider_belongs_to_no_production_and_viewer_sees_only_theirs(demo):
    assert not productions_for(user("outsider")).exists()
    assert not user("outsider").is_staff
    assert 0 < productions_for(user("viewer")).count() < Production.objects.count()


def test_demo_users_can_sign_in_with_the_shared_password(demo, client):
    for login in demo.logins:
        assert client.login(username=login.username, password=DEMO_PASSWORD), login.username


def test_audit_trail_names_the_demo_users(demo):
    producer, legal = user("producer"), user("legal")
    assert Production.history.filter(history_user=producer, history_type="+").count() == Production.objects.count()
    assert AIUse.history.filter(history_user=producer, history_type="+").count() == AIUse.objects.count()
    approvals = Consent.history.filter(history_user=legal, review_state=ReviewState.APPROVED)
    assert approvals.exists()
    assert Consent.history.filter(history_user=producer, review_state=ReviewState.SUBMITTED).exists()
    assert Consent.history.filter(history_user=legal, history_change_reason="revoked").exists()


def test_the_shot_list_imported_from_kitsu_updated_its_shot_instead_of_duplicating_it(demo):
    batch = ImportBatch.objects.get(file_name="iron_wanderer_kitsu_week_44.csv")
    production = batch.production

    assert (batch.imported_by, batch.created_count, batch.updated_count) == (user("producer"), 2, 1)
    # Kitsu's Episode/Sequence/Name columns give EP203/SQ020/SH0030: the shot the ledger has as EP203_SQ020_SH0030.
    updated = AIUse.objects.get(production=production, tracker_key="ep203_sq020_sh0030")
    assert updated.external_id == "EP203_SQ020_SH0030"
    assert "two more rows of stalls" in updated.description
    assert AIUse.history.filter(id=updated.pk, history_change_reason="imported from iron_wanderer_kitsu_week_44.csv")
    to_complete = {row.ai_use.title for row in imports.batch_rows(batch) if row.to_complete}
    assert {"Outpost market dusk sky", "Canyon road dust storm"} <= to_complete


def test_every_seeded_record_passes_validation(demo):
    for model in (Production, Membership, Person, AITool, Consent, AIUse, LiteracyMeasure):
        for record in model.objects.all():
            record.full_clean()


def test_only_the_admin_login_reaches_the_django_admin(demo, client):
    assert user("admin").is_superuser
    assert not productions_for(user("admin")).exists()
    client.login(username="producer", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 302
    client.login(username="admin", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
