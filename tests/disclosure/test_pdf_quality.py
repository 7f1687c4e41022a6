"""The statement PDF as a reader sees it: a one-page summary before the annex, no heading left at a page's
foot, every script printed in a font that has it, and no bidirectional override that makes the page say
something other than the records."""

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from disclosure import pdf
from disclosure.documents.building import default_assessment_date
from productions.models import Production
from productions.vocabularies import ConsentKind, DisclosureMethod, PerformerUse, Phase, ReviewState
from tests.disclosure.test_pdf import embedded_data, issue, read, text_of
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, PersonFactory

ON = datetime.date(2026, 11, 20)
ANNEX_HEADING = "Annex: AI uses in the final work, by phase"


def page_lines(page):
    return [line.strip() for line in page.extract_text().splitlines() if line.strip()]


def body_lines(page, document_id=None):
    """A page's lines without the running header and footer, which are extracted after the body."""
    lines = page_lines(page)
    chrome = re.compile(r"\bPages? \d+ (of|sur) \d+$")
    while lines and (chrome.search(lines[-1]) or (document_id and document_id in lines[-1])):
        lines.pop()
    return lines


def flat(text):
    return " ".join(text.replace("\u00a0", " ").split())


# Bidirectional overrides: what the page shows is what the records say.

RLO, PDF_MARK, RLI, PDI, LRM = "\u202e", "\u202c", "\u2067", "\u2069", "\u200e"


def test_neutralise_bidi_drops_embeddings_overrides_and_isolates_but_keeps_the_marks():
    controls = "".join(chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])

    assert pdf.neutralise_bidi(f"a{controls}b") == "ab"
    assert pdf.neutralise_bidi(f"{RLO}2026-12-31{PDF_MARK}") == "2026-12-31"
    assert pdf.neutralise_bidi(f"x{LRM}y\u200fz") == f"x{LRM}y\u200fz"
    assert pdf.neutralise_bidi("&#x202E;1&#8238;2&#X2067;3&#8297;4 &#x202F;") == "1234 &#x202F;"
    assert pdf.neutralise_bidi("&amp;#x202E;") == "&amp;#x202E;", "escaped text is printed as typed, harmless"


def test_an_override_in_any_pdf_is_dropped_before_rendering():
    text = text_of(PdfReader(io.BytesIO(pdf.html_to_pdf(f"<p>Due {RLO}2026-12-31{PDF_MARK}, 120 EUR</p>"))))

    assert "Due 2026-12-31, 120 EUR" in text
    assert "13-21-6202" not in text


def test_bidi_overrides_in_the_records_never_reach_the_statement_pdf(production):
    AIUseFactory(
        production=production,
        title=f"Crowd extension {RLO}EP101{PDF_MARK}",
        description=f"Delivered on {RLO}2026-12-31{PDF_MARK} for {RLI}120{PDI} shots.",
        human_contribution=f"Approved by {LRM}the director.",
    )
    document = issue(production, on=ON)
    reader = read(document)
    text = text_of(reader)

    assert not set(text) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "Crowd extension EP101" in text
    assert "Delivered on 2026-12-31 for 120 shots." in text
    assert "13-21-6202" not in text and "101PE" not in text
    # The embedded data keeps the records as they are: only the printed page is neutralised.
    (use,) = embedded_data(reader, document)["content"]["data"]["phases"][0]["uses"]
    assert use["description"] == f"Delivered on {RLO}2026-12-31{PDF_MARK} for {RLI}120{PDI} shots."


# The summary on page 1, the annex after it.


@pytest.fixture
def ledger(production):
    production.screenplay_credit = "Bruno Stagnaro"
    production.save()
    tool = AIToolFactory(vendor="Runway", product="Gen-4 Turbo", model_name="", model_version="")
    singer = PersonFactory(production=production, name="Inés Duarte", role="Elena")
    consent = ConsentFactory(
        person=singer,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
    )
    AIUseFactory(
        production=production,
        phase=Phase.VFX,
        title="Building collapse",
        human_contribution="Compositors integrated the generated collapse by hand.",
        tool=tool,
        disclosure_method=DisclosureMethod.END_CREDITS,
    )
    AIUseFactory(
        production=production,
        phase=Phase.VOICE_DUBBING,
        title="Elena's song in the cloned voice",
        tool=tool,
        performer_use=PerformerUse.VOICE_CLONE,
        people=[singer],
        consents=[consent],
        disclosure_method=DisclosureMethod.OPENING_CARD,
    )
    AIUseFactory(production=production, phase=Phase.PRE_PRODUCTION, is_final=False, title="Storyboards", tool=tool)
    return production


def test_the_statement_opens_with_a_summary_and_puts_the_detail_in_an_annex(ledger):
    document = issue(ledger, on=ON)
    pages = read(document).pages
    first, rest = flat(pages[0].extract_text()), flat(" ".join(page.extract_text() for page in pages[1:]))

    for summary_text in (
        "Summary",
        "Human authorship",
        "The production has not stated whether the screenplay was written by humans alone.",
        "except 1 that AI replicates, clones or alters",
        "It rests on the valid consent of the person concerned.",
        "Visual effects 1",
        "Voice and dubbing 1",
        "Total 2",
        "No use in the final work is recorded as a deep fake.",
        "End credits 1",
        "Opening card 1",
        "Uses that replicate, alter or voice a performer 1",
        "People concerned 1",
        "Uses whose consent is valid 1",
        "Uses whose consent is not valid 0",
        "AI tools used in the final work 1",
        "Temporary uses (not in the final work) 1",
    ):
        assert summary_text in first, summary_text
    # The detail is in the annex, which starts on a page of its own.
    assert "Annex" not in first
    assert "Compositors integrated the generated collapse by hand." not in first
    assert ANNEX_HEADING in body_lines(pages[1], str(document.id))[:2]
    assert "Compositors integrated the generated collapse by hand." in rest
    assert "Elena's song in the cloned voice: Voice clone or synthesis (Inés Duarte) · with valid consent" in rest
    assert "End credits: Building collapse" in rest


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_summary_of_each_demo_production_fits_on_the_first_page(demo, language):
    with translation.override(language):
        annex_heading = flat(gettext(ANNEX_HEADING))
        last_row = flat(gettext("Temporary uses (not in the final work)"))
    productions = list(Production.objects.order_by("id"))
    assert productions

    for production in productions:
        document = issue(production, language=language, on=default_assessment_date(production))
        pages = read(document).pages

        assert last_row in flat(pages[0].extract_text()), f"{production}: the summary runs past page 1"
        assert annex_heading in [flat(line) for line in body_lines(pages[1], str(document.id))[:2]], production


# Headings stay with what follows them.


def test_a_heading_left_at_a_pages_foot_is_seen_by_this_check():
    """The check below is not empty: where a break after a heading is allowed, the heading ends a page."""
    spacer = '<div style="height: 236mm"></div>'
    heading = '<h3 style="break-after: auto">Stranded heading</h3>'  # WeasyPrint's own default is `avoid`
    html = f'<html><body style="margin:0">{spacer}{heading}<p>{"Body text. " * 200}</p></body></html>'

    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(html)))

    assert len(reader.pages) >= 2
    assert body_lines(reader.pages[0])[-1] == "Stranded heading"


def test_no_heading_is_the_last_line_of_a_page(production):
    tools = [
        AIToolFactory(vendor="Runway", product="Gen-4", model_name="", model_version=""),
        AIToolFactory(vendor="Adobe", product="Firefly", model_name="", model_version=""),
    ]
    phases = [Phase.SET_DESIGN, Phase.VFX, Phase.POST_PICTURE, Phase.SOUND_MUSIC, Phase.VOICE_DUBBING]
    sentence = "The compositor matched the grain and the light of the plate by hand. "
    for n in range(48):
        AIUseFactory(
            production=production,
            phase=phases[n % len(phases)],
            title=f"Shot {n:02d}",
            external_id=f"SQ{n:03d}",
            # Descriptions of 1 to 7 sentences move the page breaks through every kind of block.
            description=sentence * (1 + (n * 5) % 7),
            human_contribution="Reviewed frame by frame.",
            tool=tools[n % 2],
        )
    document = issue(production, on=ON)
    reader = read(document)

    with translation.override("en"):
        headings = {
            gettext(text)
            for text in (
                "Summary",
                "Human authorship",
                "AI in the final work",
                "Deep fakes and how the audience is told",
                "Performers and consent",
                "Tools and temporary uses",
                ANNEX_HEADING,
                "Annex: performers, digital replicas, alterations and voice work",
                "Annex: how the audience is told",
                "Annex: the tools, their training data and rights",
                "Annex: temporary uses (not in the final work)",
                "Contact",
            )
        }
        headings |= {str(label) for value, label in Phase.choices if value in phases}
    headings |= {f"Shot {n:02d} · SQ{n:03d}" for n in range(48)}
    headings |= {"Runway Gen-4", "Adobe Firefly"}

    pages = [body_lines(page, str(document.id)) for page in reader.pages]
    every_line = {line for lines in pages for line in lines}
    assert len(pages) >= 5, "enough pages for page breaks to fall among the uses"
    assert len(headings & every_line) >= 48 + len(phases), "the headings are found as lines of the text"
    stranded = [(number, lines[-1]) for number, lines in enumerate(pages[:-1], start=1) if lines[-1] in headings]
    assert stranded == []


# Fonts: accented Latin, CJK and emoji all print.


def installed_font_families():
    if not shutil.which("fc-list"):
        return set()
    listing = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    return {family.strip() for line in listing.splitlines() for family in line.split(",")}


def embedded_fonts(reader):
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            names.add(str(font.get("/BaseFont", "")))
            for descendant in font.get("/DescendantFonts", []):
                names.add(str(descendant.get_object().get("/BaseFont", "")))
    # "/ABCDEF+Noto-Sans-CJK-JP-Bold" -> "notosanscjkjpbold"
    return {re.sub(r"^/?[A-Z]{6}\+", "", name).replace("-", "").replace(" ", "").lower() for name in names}


def test_an_accented_cjk_and_emoji_title_prints_in_fonts_that_have_its_glyphs(production):
    production.title = "Le Château 城堡 🎬"
    production.save()
    AIUseFactory(production=production, title="Séquence du 城堡", description="Tournée à Zürich, 2026.")

    reader = read(issue(production, on=ON))
    text = text_of(reader)
    fonts = embedded_fonts(reader)

    assert "Le Château 城堡 🎬" in text
    assert "Séquence du 城堡" in text
    assert any(name.startswith("dejavusans") for name in fonts), fonts
    if "Noto Sans CJK JP" not in installed_font_families():
        pytest.skip("fonts-noto-cjk is not installed (make check-system names the packages): CJK glyphs not checked")
    assert any(name.startswith("notosanscjk") for name in fonts), fonts
    assert any("emoji" in name for name in fonts), fonts


def test_the_stylesheet_names_no_emoji_font():
    """Named in font-family, an emoji font gives WeasyPrint its ASCII digits (it maps 0-9 for keycaps), so
    every figure would print in another face; fontconfig falls back to it for the emoji alone."""
    stylesheet = Path(settings.BASE_DIR, "static", "pdf.css").read_text()
    families = re.findall(r"font-family:\s*([^;]+);", stylesheet)

    assert families
    assert not [family for family in families if "emoji" in family.lower()]
