"""In a real browser: a producer records the next VFX shot of a performer from the ledger in six actions, then edits a
cell with the keyboard, meets a refusal in the cell and cancels with Escape; in English, then in French.

Drives Debian's chromium through Playwright, like the producer and legal journey (its fixtures are reused).
"""

import datetime

import pytest
from playwright.sync_api import expect

from productions.consent_status import ConsentStatus, consent_status
from productions.models import AIUse
from productions.vocabularies import Department, PerformerUse, Phase, ReviewState
from tests.browser.test_producer_and_legal_journey import browser, crew, sign_in  # noqa: F401
from tests.factories import AIUseFactory, ConsentFactory, PersonFactory

NBSP = "\u00a0"
# What the producer reads and names, in each language (the French as the translation of the grid gives it).
WORDS = {
    "en": {
        "ledger": "AI uses",
        "add_below": "Add a use below, like “{title}”",
        "title": "Title of “{title}”",
        "tracker_id": "Tracker id of “{title}”",
        "phase": "Phase of “{title}”",
        "cell": "{label}: {value}",
        "empty": "empty",
        "copy": "{title} (copy)",
        "vfx": "Visual effects",
        "post": "Post-production (picture)",
        "scope_to_confirm": "Scope to confirm",
        "blocked": "Blocked",
        "hint": "Shift+Enter adds a use below",
    },
    "fr": {
        "ledger": "Utilisations de l’IA",
        "add_below": f"Ajouter en dessous une utilisation comme «{NBSP}{{title}}{NBSP}»",
        "title": f"Titre de «{NBSP}{{title}}{NBSP}»",
        "tracker_id": f"Identifiant de suivi de «{NBSP}{{title}}{NBSP}»",
        "phase": f"Phase de «{NBSP}{{title}}{NBSP}»",
        "cell": f"{{label}}{NBSP}: {{value}}",
        "empty": "vide",
        "copy": "{title} (copie)",
        "vfx": "Effets visuels",
        "post": "Postproduction (image)",
        "scope_to_confirm": "Périmètre à confirmer",
        "blocked": "Bloqué",
        "hint": "Maj+Entrée ajoute en dessous une utilisation",
    },
}


class Actions:
    """Counts what the producer does: each click, key press or chord, and each value typed."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def press(self, key):
        self.count += 1
        self.page.keyboard.press(key)

    def type(self, text):
        self.count += 1
        self.page.keyboard.type(text)


@pytest.fixture
def face_replacements(crew):  # noqa: F811
    """A VFX shot resting on a performer's consent that legal confirmed covers it, and another shot of the episode."""
    production, producer, legal, tool = crew
    performer = PersonFactory(production=production, name="Ana Ruiz", role="Lead")
    consent = ConsentFactory(
        person=performer,
        review_state=ReviewState.APPROVED,
        reviewed_by=legal,
        reviewed_at=datetime.datetime(2026, 10, 2, tzinfo=datetime.UTC),
    )
    shot_11 = AIUseFactory(
        production=production,
        title="Face replacement, shot 11",
        external_id="EP101_SQ010_SH0110",
        phase=Phase.VFX,
        department=Department.VFX,
        tool=tool,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[performer],
        consents=[consent],
    )
    AIUseFactory(production=production, title="Crowd extension, shot 13", external_id="EP101_SQ010_SH0130", tool=tool)
    return shot_11, performer, consent


@pytest.mark.services
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_next_vfx_shot_of_a_performer_is_recorded_in_six_actions_and_edited_with_the_keyboard(
    crew,  # noqa: F811
    browser,  # noqa: F811
    live_server,
    face_replacements,
    language,
):
    production, producer, legal, tool = crew
    shot_11, performer, consent = face_replacements
    words = WORDS[language]
    base = live_server.url
    page = browser.new_page()
    sign_in(page, base, "paula")
    if language == "fr":
        page.select_option("#language-select", "fr")
        page.click("form.language-switch button[type=submit]")
        page.wait_for_load_state()
    page.goto(f"{base}/productions/{production.pk}/")
    title = "Face replacement, shot 12"
    copy = words["copy"].format(title=shot_11.title)

    actions = Actions(page)
    actions.click(page.locator("nav.production-nav").get_by_role("link", name=words["ledger"], exact=True))
    expect(page.locator("#grid-keys")).to_contain_text(words["hint"])
    actions.click(page.get_by_role("button", name=words["add_below"].format(title=shot_11.title)))
    # The new row comes in below, its title's editor open on the copy's title, selected: typing replaces it.
    expect(page.get_by_role("textbox", name=words["title"].format(title=copy))).to_be_focused()
    actions.type(title)
    actions.press("Shift+Tab")  # saves the title, back to the tracker id
    empty_tracker_id = words["cell"].format(label=words["tracker_id"].format(title=title), value=words["empty"])
    expect(page.get_by_role("button", name=empty_tracker_id)).to_be_focused()
    actions.type("EP101_SQ010_SH0120")  # typing over a cell opens its editor
    actions.press("Enter")
    tracker_id = words["cell"].format(label=words["tracker_id"].format(title=title), value="EP101_SQ010_SH0120")
    expect(page.get_by_role("button", name=tracker_id)).to_be_focused()

    assert actions.count == 6
    recorded = AIUse.objects.get(title=title)
    assert recorded.external_id == "EP101_SQ010_SH0120"
    assert (recorded.phase, recorded.department, recorded.tool) == (Phase.VFX, Department.VFX, tool)
    assert recorded.performer_use == PerformerUse.DIGITAL_ALTERATION
    assert list(recorded.people.all()) == [performer]
    assert list(recorded.consents.all()) == [consent]
    # Legal confirmed the consent for shot 11, not for shot 12: until they do, the new shot is blocked.
    assert consent_status(recorded) == ConsentStatus.SCOPE_TO_CONFIRM
    row = page.locator(f"#use-row-{recorded.pk}")
    expect(row).to_contain_text(words["scope_to_confirm"])
    expect(row).to_contain_text(words["blocked"])
    expect(page.locator(f"#use-row-{shot_11.pk} + tr")).to_have_id(f"use-row-{recorded.pk}")  # right below shot 11

    # Enter opens the cell's editor; a tracker id shot 13 has, written otherwise, is refused in the cell.
    page.keyboard.press("Enter")
    editor = page.get_by_role("textbox", name=words["tracker_id"].format(title=title))
    expect(editor).to_be_focused()
    page.keyboard.type("ep101/sq010/sh0130")
    page.keyboard.press("Enter")
    expect(editor).to_have_attribute("aria-invalid", "true")
    expect(editor).to_be_focused()
    error = row.locator(".cell-error")
    expect(error).to_contain_text("Crowd extension, shot 13")
    expect(error).to_contain_text("EP101_SQ010_SH0130")
    expect(editor).to_have_accessible_description(error.inner_text())
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=tracker_id)).to_be_focused()
    recorded.refresh_from_db()
    assert recorded.external_id == "EP101_SQ010_SH0120"

    # Arrow keys move to the phase; F2 opens its list; Escape puts the cell back as it was.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    phase = words["cell"].format(label=words["phase"].format(title=title), value=words["vfx"])
    expect(page.get_by_role("button", name=phase)).to_be_focused()
    page.keyboard.press("F2")
    phase_list = page.get_by_role("combobox", name=words["phase"].format(title=title))
    expect(phase_list).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=phase)).to_be_focused()
    # Enter opens it again; the next phase, saved with Enter, comes back in the cell.
    page.keyboard.press("Enter")
    expect(phase_list).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    saved = words["cell"].format(label=words["phase"].format(title=title), value=words["post"])
    expect(page.get_by_role("button", name=saved)).to_be_focused()
    recorded.refresh_from_db()
    assert (recorded.phase, recorded.version) == (Phase.POST_PICTURE, 4)
