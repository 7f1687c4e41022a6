"""The demo data: loaded through the services, idempotent, and rich enough to show every consent status."""

import datetime
import io
import shutil

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from productions.consent_status import ConsentStatus, consent_statuses, with_consent_data
from productions.models import AITool, AIUse, Consent, LiteracyMeasure, Membership, Person, Production
from productions.selectors import productions_for
from productions.vocabularies import CompanySize, DeepFake, Determination, DisclosureMethod, PublishedIn, ReviewState
from seeds.loader import DATA_DIR, load_demo

ASSESSED_ON = datetime.date(2026, 11, 20)
DEMO_PASSWORD = "reelproof-demo-2026"


@pytest.fixture
def loaded(db):
    return load_demo()


def row_counts():
    """Rows of every production model, its history and many-to-many tables, and users."""
    models = [*apps.get_app_config("productions").get_models(include_auto_created=True), get_user_model()]
    return {model._meta.label: model.objects.count() for model in models}


def user(username):
    return get_user_model().objects.get(username=username)


def test_loading_creates_the_demo_productions_and_reports_what_it_created(loaded):
    titles = set(Production.objects.values_list("title", flat=True))
    assert len(titles) >= 3
    assert "El Eternauta" in titles
    assert loaded.created["productions"] == Production.objects.count()
    assert loaded.created["AI uses"] == AIUse.objects.count()
    assert loaded.created["users"] == 5


def test_loading_twice_creates_nothing_twice(loaded):
    before = row_counts()

    second = load_demo()

    assert row_counts() == before
    assert set(second.created.values()) == {0}


def test_every_consent_status_appears_on_the_assessment_date_and_today(loaded):
    uses = with_consent_data(AIUse.objects.all())
    for on in (ASSESSED_ON, timezone.localdate()):
        assert set(consent_statuses(uses, on=on).values()) == set(ConsentStatus), on


def test_uses_span_phases_and_both_final_and_temporary_work(loaded):
    assert AIUse.objects.values("phase").distinct().count() >= 6
    assert set(AIUse.objects.values_list("is_final", flat=True)) == {True, False}
    assert not AIUse.objects.filter(external_id="").exists()
    assert not AIUse.objects.filter(tool__isnull=True).exists()


def test_consents_are_in_every_review_state_but_draft_and_one_is_revoked(loaded):
    states = set(Consent.objects.values_list("review_state", flat=True))
    assert states == set(ReviewState) - {ReviewState.DRAFT}
    assert Consent.objects.filter(revoked_on__isnull=False).exists()
    assert Consent.objects.filter(person__deceased=True).exclude(post_mortem_authority="").exists()


def test_the_productions_record_their_determinations_photography_and_size(loaded):
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


def test_every_use_has_its_dates_and_deep_fakes_are_disclosed_well_and_badly(loaded):
    assert not AIUse.objects.filter(used_from__isnull=True).exists()
    for use in AIUse.objects.all():
        assert use.used_until >= use.used_from, use.external_id
    deep_fakes = AIUse.objects.filter(deep_fake=DeepFake.YES, is_final=True)
    assert deep_fakes.filter(published_in__contains=PublishedIn.TRAILER).exists()
    methods = set(deep_fakes.values_list("disclosure_method", flat=True))
    assert {DisclosureMethod.OPENING_CARD_AUDIO_DESCRIBED, DisclosureMethod.END_CREDITS} <= methods


def test_outsider_belongs_to_no_production_and_viewer_sees_only_theirs(loaded):
    assert not productions_for(user("outsider")).exists()
    assert not user("outsider").is_staff
    assert 0 < productions_for(user("viewer")).count() < Production.objects.count()


def test_demo_users_can_sign_in_with_the_shared_password(loaded, client):
    for login in loaded.logins:
        assert client.login(username=login.username, password=DEMO_PASSWORD), login.username


def test_audit_trail_names_the_demo_users(loaded):
    producer, legal = user("producer"), user("legal")
    assert Production.history.filter(history_user=producer, history_type="+").count() == Production.objects.count()
    assert AIUse.history.filter(history_user=producer).count() == AIUse.objects.count()
    approvals = Consent.history.filter(history_user=legal, review_state=ReviewState.APPROVED)
    assert approvals.exists()
    assert Consent.history.filter(history_user=producer, review_state=ReviewState.SUBMITTED).exists()
    assert Consent.history.filter(history_user=legal, history_change_reason="revoked").exists()


def test_every_seeded_record_passes_validation(loaded):
    for model in (Production, Membership, Person, AITool, Consent, AIUse, LiteracyMeasure):
        for record in model.objects.all():
            record.full_clean()


def test_a_use_without_tracker_id_is_refused_and_nothing_is_kept(db, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    production_file = data_dir / "productions" / "el_eternauta.toml"
    production_file.write_text(
        production_file.read_text()
        + '\n[[ai_uses]]\nphase = "vfx"\ndepartment = "vfx"\ntitle = "Untracked shot"\ntool = "firefly"\n'
        + 'output_type = "image"\ndigital_source_type = "trainedAlgorithmicMedia"\n'
    )

    with pytest.raises(ValueError, match="Untracked shot"):
        load_demo(data_dir)

    assert set(row_counts().values()) == {0}


def test_command_prints_what_it_created_and_the_logins(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = out.getvalue()

    assert "Demo data created: 5 users, 4 productions" in first
    assert f"producer / {DEMO_PASSWORD}" in first
    assert "Legal reviewer on El Eternauta (2025)" in first
    assert f"outsider / {DEMO_PASSWORD}\n      Member of no production" in first
    assert f"admin / {DEMO_PASSWORD}\n      Django admin at /admin/" in first

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing created" in out.getvalue()
    assert f"viewer / {DEMO_PASSWORD}" in out.getvalue()


def test_only_the_admin_login_reaches_the_django_admin(loaded, client):
    assert user("admin").is_superuser
    assert not productions_for(user("admin")).exists()
    client.login(username="producer", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 302
    client.login(username="admin", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
