"""The statement's annex of uses, laid out by Typst (disclosure/pdf_typst.py): the same text as the HTML, in any
script, recorded text printed as typed, the draft mark and the running header on its pages."""

import datetime
import io

import pytest
from pypdf import PdfReader

from disclosure import pdf, pdf_typst
from disclosure.documents import requests
from disclosure.models import DocumentKind
from productions.vocabularies import Phase
from tests.disclosure.test_pdf import issue, read
from tests.disclosure.test_pdf_parts import every_annex_uses, outline, pages_text, render, the_tools
from tests.disclosure.test_pdf_quality import body_lines, embedded_fonts, flat, installed_font_families
from tests.factories import AIToolFactory, AIUseFactory

ON = datetime.date(2026, 11, 20)
ANNEX_HEADING = "Annex: AI uses in the final work, by phase"


def annex_pages(reader):
    """The pages of the annex of uses: from its heading to the page before the next annex's."""
    texts = [flat(page.extract_text()) for page in reader.pages]
    first = next(number for number, text in enumerate(texts) if ANNEX_HEADING in text)
    last = next(number for number, text in enumerate(texts) if "Annex: performers" in text)
    return reader.pages[first:last]


def test_names_in_any_script_print_in_the_annex_in_fonts_that_have_them(production):
    tool = AIToolFactory(vendor="Runway", product="Gen-4", model_name="", model_version="")
    titles = ["Séquence du 城堡 🎬", "صوت ليلى المستنسخ", "קולה של נועה", "Голос Анны", "Ψηφιακό αντίγραφο"]
    for title in titles:
        AIUseFactory(production=production, phase=Phase.VFX, title=title, human_contribution="Approved.", tool=tool)
    reader = read(issue(production, on=ON))
    pages = annex_pages(reader)
    text = flat(" ".join(page.extract_text() for page in pages))
    fonts = embedded_fonts(type("Annex", (), {"pages": pages}))

    for title in ["Séquence du 城堡 🎬", "Голос Анны", "Ψηφιακό αντίγραφο"]:
        assert title in text, title
    # Right-to-left words come out of the text layer in either order; each word is there, not a box.
    for word in ["صوت", "ليلى", "المستنسخ", "קולה", "נועה"]:
        assert word in text, word
    assert "Tool: Runway Gen-4 · Department:" in text
    assert "What the humans did: Approved." in text
    assert any(name.startswith("dejavusans") for name in fonts), fonts
    # DejaVu Sans has Arabic and Hebrew; CJK falls back to Noto, the emoji to a colour glyph of its own.
    if "Noto Sans CJK JP" not in installed_font_families():
        pytest.skip("fonts-noto-cjk is not installed (make check-system names the packages): CJK glyphs not checked")
    assert any(name.startswith("notosanscjk") for name in fonts), fonts


def test_typst_markup_in_the_records_prints_as_typed_and_reads_nothing(production):
    hostile = '#read("/etc/passwd") #import "@preview/cetz:0.3.0" *bold* $x^2$ <label> @ref // comment'
    AIUseFactory(production=production, title=hostile, description="}] ) #{ panic() }", human_contribution="\\")
    reader = read(issue(production, on=ON))
    text = flat(" ".join(page.extract_text() for page in annex_pages(reader)))

    assert hostile in text
    assert "#{ panic() }" in text
    assert "root:" not in text


def test_the_annex_pages_carry_the_draft_mark_and_the_running_header(production):
    AIUseFactory(production=production, title="Crowd extension", human_contribution="Approved.")
    document = issue(production, on=ON)
    (page,) = annex_pages(read(document))
    text = page.extract_text()

    assert "Draft: not for submission" in text
    assert str(document.id) in text
    assert "Crowd extension" in body_lines(page, str(document.id))


def test_a_section_typst_cannot_lay_out_is_not_issued(monkeypatch, tmp_path):
    broken = tmp_path / "entries.typ"
    broken.write_text("#let x = (\n")
    monkeypatch.setattr(pdf_typst, "TEMPLATE", broken)
    html = (
        "<html><body><p>First page</p><section data-pdf-typst><h2>Annex</h2>"
        "<div data-pdf-item><h4>Use</h4><p>Fact</p></div></section></body></html>"
    )

    with pytest.raises(pdf.PDFError, match="entries.typ|unclosed|expected"):
        pdf.html_to_pdf(html)


def test_a_marked_section_prints_its_headings_paragraphs_and_entries_line_by_line():
    html = (
        "<html><body><p>First page</p><section data-pdf-typst><h2>Annex</h2><p>Two\n  uses.</p><h3>Phase</h3>"
        "<div data-pdf-item><h4>Use <span>one</span> · A1</h4><p class='use-description'>Line 1<br>Line&nbsp;2</p>"
        "<p class='use-facts-print'>Tool : X</p></div></section><p>After</p></body></html>"
    )
    from disclosure import pdf_parts

    (section,) = [element for _slot, element in pdf_parts.Parted(html).inserts]

    assert pdf_typst.blocks(section) == [
        {"kind": "heading", "level": 2, "text": "Annex"},
        {"kind": "paragraph", "lines": ["Two uses."]},
        {"kind": "heading", "level": 3, "text": "Phase"},
        {
            "kind": "entry",
            "title": "Use one · A1",
            "paragraphs": [
                {"lines": ["Line 1", "Line\u00a02"], "muted": False},
                {"lines": ["Tool : X"], "muted": True},
            ],
            "long": False,
        },
    ]


def test_an_entry_longer_than_a_page_is_cut_by_page_breaks_and_prints_whole(production):
    lines = [f"Line {n:03d} of the supervisor's notes." for n in range(150)]
    AIUseFactory(
        production=production, title="Night shoot", description="\n".join(lines), human_contribution="Approved."
    )
    pages = annex_pages(read(issue(production, on=ON)))
    text = flat(" ".join(page.extract_text() for page in pages))

    assert len(pages) >= 2
    assert all(line in text for line in lines)
    assert "What the humans did: Approved." in text


@pytest.fixture
def every_annex(production):
    every_annex_uses(production, the_tools())
    return production


def test_the_annex_laid_out_in_chunks_has_the_pages_of_one_layout(every_annex, settings, monkeypatch):
    """Each chunk of blocks is laid out by a child process of its own; a chunk starts with the last page of the one
    before, so pages break where one layout of the whole annex breaks them, bookmarks included."""
    document, _created = requests.request_document(
        production=every_annex, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )
    whole = render(document, settings, 10_000)
    chunks = []
    compile_in_child = pdf_typst._compile_in_child
    monkeypatch.setattr(
        pdf_typst,
        "_compile_in_child",
        lambda chunk, **options: chunks.append(options["offset"]) or compile_in_child(chunk, **options),
    )
    # 10 blocks a chunk: three chunks, the first two laid out again longer to complete a page, as with 4 blocks, in
    # five child processes instead of nine.
    monkeypatch.setattr(pdf_typst, "CHUNK_BLOCKS", 10)

    chunked = render(document, settings, 10_000)

    assert len(set(chunks)) >= 3, "the annex's 36 blocks in several chunks"
    assert pages_text(chunked) == pages_text(whole)
    assert outline(PdfReader(io.BytesIO(chunked))) == outline(PdfReader(io.BytesIO(whole)))
