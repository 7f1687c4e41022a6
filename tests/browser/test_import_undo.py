"""In a real browser, in English and in French: a producer imports a shot list through the pages, is shown what the
new use still lacks, finds the import among the production's imports, undoes it, and sees the ledger as it was.

Drives Debian's chromium through Playwright, with the fixtures of the producer and legal journey.
"""

import pytest

from productions.models import AIUse, ImportBatch
from tests.browser.test_producer_and_legal_journey import browser, sign_in  # noqa: F401 (fixtures)
from tests.factories import AIToolFactory, AIUseFactory, MembershipFactory, ProductionFactory, UserFactory

SHOT_LIST = (
    "external_id,title,phase,department,output_type,digital_source_type,is_final,tool,deep_fake\n"
    'SH0010,"Sky, wider",vfx,vfx,video,compositeWithTrainedAlgorithmicMedia,yes,{tool},no\n'
    "SH0050,Crowd,vfx,vfx,video,compositeWithTrainedAlgorithmicMedia,yes,,\n"
)

# What the pages say, in each language (the French as locale/fr translates it).
SAYS = {
    "en": {
        "missing": "the tool used",
        "imports": "Imports",
        "undo_this": "Undo this import",
        "will_delete": "1 use it created will be deleted.",
        "undo": "Undo the import",
        "undone": "Import of “week_12.csv” undone: 1 use deleted, 1 use given back its values.",
        "state": "Undone",
    },
    "fr": {
        "missing": "l’outil utilisé",
        "imports": "Imports",
        "undo_this": "Annuler cet import",
        "will_delete": "1 utilisation qu’il a créée sera supprimée.",
        "undo": "Annuler l’import",
        "undone": (
            "Import de « week_12.csv » annulé : 1 utilisation supprimée, 1 utilisation rétablie dans ses valeurs."
        ),
        "state": "Annulé",
    },
}


@pytest.fixture
def studio(transactional_db):
    production = ProductionFactory(title="El Eternauta")
    MembershipFactory(production=production, user=UserFactory(username="paula"), role="producer")
    tool = AIToolFactory(vendor="Runway", product="Gen-4")
    sky = AIUseFactory(production=production, external_id="SH0010", title="Sky replacement", tool=tool)
    return production, tool, sky


def text_of(page):
    # Playwright reads the text as shown; no-break spaces are what French typography puts before colons.
    return page.inner_text("main").replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.services
@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_import_is_undone_and_the_ledger_is_as_before(studio, browser, live_server, tmp_path, language):  # noqa: F811
    production, tool, sky = studio
    says = SAYS[language]
    shot_list = tmp_path / "week_12.csv"
    shot_list.write_text(SHOT_LIST.format(tool=tool.pk))
    base = live_server.url
    ledger = f"{base}/productions/{production.pk}/uses/"
    page = browser.new_page()
    sign_in(page, base, "paula")
    if language == "fr":
        page.select_option("#language-select", "fr")
        page.click("form.language-switch button[type=submit]")
        page.wait_for_load_state()
    page.goto(ledger)
    before = text_of(page)
    assert "Sky replacement" in before and "Crowd" not in before

    page.click(f"main a[href='/productions/{production.pk}/uses/import/']")
    page.set_input_files("#id_file", str(shot_list))
    page.select_option("#id_source", "reelproof")
    page.click("form.record-form button[type=submit]")
    page.click("form.import-mapping button[type=submit]")
    page.click("form[action$='/commit/'] button[type=submit]")
    page.wait_for_url(f"{base}/productions/{production.pk}/uses/imports/*/")
    batch = ImportBatch.objects.get(production=production)
    assert says["missing"] in text_of(page), "the new crowd shot names no tool"
    assert page.locator(f"main a[href$='/uses/{AIUse.objects.get(title='Crowd').pk}/edit/#id_tool']").count() == 1

    page.click("main .breadcrumb a[href$='/uses/imports/']")
    assert "week_12.csv" in text_of(page)
    page.get_by_role("link", name="week_12.csv").click()
    page.get_by_role("link", name=says["undo_this"]).click()
    assert says["will_delete"] in text_of(page)
    page.get_by_role("button", name=says["undo"]).click()
    page.wait_for_url(f"{base}/productions/{production.pk}/uses/imports/{batch.pk}/")
    assert says["undone"] in page.inner_text(".messages").replace("\u00a0", " ")
    assert says["state"] in text_of(page)

    page.goto(ledger)
    after = text_of(page)
    assert "Sky replacement" in after and "Sky, wider" not in after and "Crowd" not in after
    assert list(AIUse.objects.filter(production=production).values_list("title", flat=True)) == [sky.title]
