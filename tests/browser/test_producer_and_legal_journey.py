"""In a real browser: a producer records a voice clone resting on a new consent with its signed document, legal
approves it and confirms that it covers the use.

Drives Debian's chromium through Playwright (no browser download). Without chromium the
test skips with the reason, and fails instead under REQUIRE_SERVICES=1 (as in CI).
"""

import os
import shutil

import pytest
from django.db import connections

from productions.models import AIUse, Consent
from productions.vocabularies import Role
from tests.factories import AIToolFactory, MembershipFactory, ProductionFactory, UserFactory
from tests.samples import PDF

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        reason = "needs Debian's chromium package (apt-get install chromium) for the browser test"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " (REQUIRE_SERVICES=1)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # The live server runs in a thread of this process; Playwright's sync API needs no running loop here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()
        # Queries made while Playwright's loop runs open connections of their own context: close them,
        # or PostgreSQL refuses to drop the test database at the end of the run.
        connections.close_all()


@pytest.fixture
def crew(transactional_db):
    production = ProductionFactory(title="Les Voix du Nord")
    producer = MembershipFactory(production=production, user=UserFactory(username="paula"), role=Role.PRODUCER).user
    legal = MembershipFactory(production=production, user=UserFactory(username="lea"), role=Role.LEGAL).user
    tool = AIToolFactory(vendor="VoiceWorks", product="Dub Studio", model_name="vw-dub", kind="audio_voice")
    return production, producer, legal, tool


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def sign_out(page):
    page.click("header form[action$='/accounts/logout/'] button")


@pytest.mark.services
def test_voice_clone_becomes_covered_once_legal_approves_and_confirms_then_reads_in_french(
    crew, browser, live_server, tmp_path
):
    production, producer, legal, tool = crew
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(PDF)
    base = live_server.url
    page = browser.new_page()

    sign_in(page, base, "paula")
    page.goto(f"{base}/productions/{production.pk}/people/new/")
    page.fill("#id_name", "Maëlle Garnier")
    page.fill("#id_role", "Narrator")
    page.click("form.record-form button[type=submit]")
    page.get_by_role("link", name="Record a consent").click()
    # A voice clone consent: a digital replica of her voice, not of her face and body.
    page.select_option("#id_kind", "independent_replica")
    page.uncheck("#id_covers_likeness")
    page.check("#id_covers_voice")
    page.fill("#id_scope_description", "French dub of episode 3 narration, this series only, all media.")
    page.check("#id_separately_signed")
    page.fill("#id_signed_on", "2026-10-01")
    page.set_input_files("#id_document", str(signed))
    page.click("form.record-form button[type=submit]")
    page.get_by_role("button", name="Submit for legal review").click()
    consent = Consent.objects.get(person__name="Maëlle Garnier")
    assert consent.review_state == "submitted"

    page.goto(f"{base}/productions/{production.pk}/uses/new/")
    page.fill("#id_title", "Narration voice clone for the French dub")
    page.select_option("#id_phase", "voice_dubbing")
    page.select_option("#id_department", "localisation")
    page.select_option("#id_output_type", "audio")
    page.select_option("#id_digital_source_type", "trainedAlgorithmicMedia")
    page.select_option("#id_tool", str(tool.pk))
    page.select_option("#id_performer_use", "voice_clone")
    page.get_by_label("Maëlle Garnier").first.check()
    page.locator("input[name=consents]").first.check()
    page.click("form.use-form button[type=submit]:not([name])")
    ai_use = AIUse.objects.get(title="Narration voice clone for the French dub")
    page.wait_for_url(f"{base}/productions/{production.pk}/uses/{ai_use.pk}/")
    assert page.locator("main .status").first.inner_text() == "Pending review"
    sign_out(page)

    sign_in(page, base, "lea")
    page.goto(f"{base}/review/")
    assert "Maëlle Garnier" in page.inner_text("main")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    consent.refresh_from_db()
    assert consent.review_state == "approved"
    assert consent.reviewed_by == legal

    # Approved, the consent is valid; whether it covers this very use is legal's next decision.
    page.goto(f"{base}/productions/{production.pk}/uses/{ai_use.pk}/")
    assert page.locator("main .status").first.inner_text() == "Scope to confirm"
    page.goto(f"{base}/productions/{production.pk}/consents/{consent.pk}/")
    page.check(f"#coverage-use-{ai_use.pk}")
    page.check("#coverage-form input[name=decision][value=covers]")
    page.get_by_role("button", name="Record the decision for the uses ticked").click()
    page.wait_for_load_state()

    page.goto(f"{base}/productions/{production.pk}/uses/{ai_use.pk}/")
    assert page.locator("main .status").first.inner_text() == "Covered"

    page.select_option("#language-select", "fr")
    page.click("form.language-switch button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("main .status").first.inner_text() == "Couvert"
    assert "Utilisations de l’IA" in page.inner_text("nav.production-nav")
