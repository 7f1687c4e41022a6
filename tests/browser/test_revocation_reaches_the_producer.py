"""In a real browser: legal records a performer's written withdrawal, and the producer finds it in their inbox,
with the uses it blocks, in English and then in French.

Drives Debian's chromium through Playwright, like the producer and legal journey (its fixtures are reused).
"""

import datetime

import pytest

from productions.models import Consent, Notification
from productions.vocabularies import ConsentKind, NotificationEvent, PerformerUse, ReviewState
from tests.browser.test_producer_and_legal_journey import browser, crew, sign_in, sign_out  # noqa: F401
from tests.factories import AIUseFactory, ConsentFactory, PersonFactory
from tests.samples import PDF


@pytest.mark.services
def test_a_revocation_reaches_the_producer_inbox_with_the_uses_it_blocks(crew, browser, live_server, tmp_path):  # noqa: F811
    production, producer, legal, tool = crew
    performer = PersonFactory(production=production, name="Maëlle Garnier", role="Narrator")
    consent = ConsentFactory(
        person=performer,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        scope_description="French dub of episode 3 narration, this series only.",
        review_state=ReviewState.APPROVED,
        reviewed_by=legal,
        reviewed_at=datetime.datetime(2026, 10, 2, tzinfo=datetime.UTC),
    )
    use = AIUseFactory(
        production=production,
        title="Narration voice clone, episode 3",
        tool=tool,
        output_type="audio",
        performer_use=PerformerUse.VOICE_CLONE,
        people=[performer],
        consents=[consent],
    )
    letter = tmp_path / "withdrawal.pdf"
    letter.write_bytes(PDF)
    base = live_server.url
    page = browser.new_page()

    sign_in(page, base, "lea")
    page.goto(f"{base}/productions/{production.pk}/consents/{consent.pk}/")
    page.get_by_role("link", name="Record a withdrawal…").click()
    # The confirmation names the use the withdrawal blocks before anything is done.
    assert "Narration voice clone, episode 3" in page.inner_text("main")
    page.fill("#id_revoked_on", "2026-11-20")
    page.get_by_role("button", name="Revoke the consent").click()
    page.wait_for_load_state()
    assert page.locator(".field-error #id_revocation_reason").count() == 1
    assert Consent.objects.get(pk=consent.pk).revoked_on is None  # no reason, nothing recorded
    page.fill("#id_revoked_on", "2026-11-20")
    page.fill("#id_revocation_reason", "The performer withdrew by registered letter.")
    page.set_input_files("#id_withdrawal_document", str(letter))
    page.get_by_role("button", name="Revoke the consent").click()
    page.wait_for_url(f"{base}/productions/{production.pk}/consents/{consent.pk}/")
    assert "The performer withdrew by registered letter." in page.inner_text("main")
    sign_out(page)

    sign_in(page, base, "paula")
    told = Notification.objects.filter(recipient=producer)
    assert set(told.values_list("event", flat=True)) == {
        NotificationEvent.CONSENT_REVOKED,
        NotificationEvent.USE_BLOCKED,
    }
    assert not Notification.objects.filter(recipient=legal, event=NotificationEvent.CONSENT_REVOKED).exists()
    assert "Inbox (2 unread)" in page.inner_text("header")
    page.get_by_role("link", name="Inbox").click()
    inbox = page.inner_text("main")
    assert "Consent revoked" in inbox
    assert "The performer withdrew by registered letter." in inbox
    assert "1 AI use blocked" in inbox
    assert "Narration voice clone, episode 3" in inbox
    page.get_by_role("link", name="Consent revoked").click()
    page.wait_for_url(f"{base}/productions/{production.pk}/consents/{consent.pk}/")
    assert "Revoked" in page.inner_text("main")
    page.goto(f"{base}/productions/{production.pk}/uses/{use.pk}/")
    assert page.locator("main .status").first.inner_text() == "Revoked"

    page.goto(f"{base}/inbox/")
    page.get_by_role("button", name="Mark read: Consent revoked").click()
    page.wait_for_load_state()
    assert "Inbox (1 unread)" in page.inner_text("header")

    page.select_option("#language-select", "fr")
    page.click("form.language-switch button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    inbox = page.inner_text("main")
    assert "Consentement révoqué" in inbox
    assert "1 utilisation de l’IA bloquée" in inbox
    assert "Boîte de réception (1 non lue)" in page.inner_text("header")
