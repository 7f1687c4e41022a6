"""A long statement laid out in parts (disclosure/pdf_parts.py): the pages one layout of the whole document
would give, numbered through, with its one attachment, its PDF/A metadata, its outline and a valid signature.

Memory is the benchmark's to measure (bench/pdf.py), not a test's."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from disclosure import pdf_parts, signing
from disclosure.documents import building, requests
from disclosure.models import DisclosureDocument, DocumentKind
from productions.vocabularies import ConsentKind, DisclosureMethod, PerformerUse, Phase, ReviewState
from tests.disclosure.test_pdf import ON
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, PersonFactory, ProductionFactory
from tests.module_data import kept_for_module, signed_as_in_tests

PHASES = [Phase.SET_DESIGN, Phase.VFX, Phase.POST_PICTURE, Phase.SOUND_MUSIC, Phase.VOICE_DUBBING]
SENTENCE = "The compositor matched the grain and the light of the plate by hand. "
AUDIENCE = [
    DisclosureMethod.END_CREDITS,
    DisclosureMethod.ON_SCREEN_LABEL,
    DisclosureMethod.OPENING_CARD,
    DisclosureMethod.AUDIO_DISCLAIMER,
    DisclosureMethod.MARKETING_NOTICE,
]


def final_uses(production, tools, count, *, voiced_every, sentences, audience=(DisclosureMethod.END_CREDITS,)):
    """`count` uses in the final work over five phases, one in `voiced_every` voicing a performer with her consent,
    descriptions of `sentences(n)` sentences, the tools and ways of telling the audience in turn."""
    singer = PersonFactory(production=production, name="Inés Duarte", role="Elena")
    consent = ConsentFactory(
        person=singer,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
    )
    for n in range(count):
        voiced = n % voiced_every == 0
        AIUseFactory(
            production=production,
            phase=Phase.VOICE_DUBBING if voiced else PHASES[n % len(PHASES)],
            title=f"Shot {n:02d}",
            external_id=f"SQ{n:03d}",
            description=SENTENCE * sentences(n),
            human_contribution="Reviewed frame by frame.",
            tool=tools[n % len(tools)],
            performer_use=PerformerUse.VOICE_CLONE if voiced else PerformerUse.NONE,
            people=[singer] if voiced else [],
            consents=[consent] if voiced else [],
            disclosure_method=audience[n % len(audience)],
        )


TOOLS = [
    ("Runway", "Gen-4"),
    ("Adobe", "Firefly"),
    ("ElevenLabs", "Dubbing"),
    ("Topaz", "Video AI"),
    ("Wonder Dynamics", "Wonder Studio"),
    ("Stability", "Stable Audio"),
]


def long_ledger_uses(production, tools):
    """70 uses in the final work over five phases, one in seven voicing a performer, with descriptions of one to
    seven sentences so that page breaks fall everywhere; by the first two tools."""
    final_uses(production, tools[:2], 70, voiced_every=7, sentences=lambda n: 1 + (n * 5) % 7)


def every_annex_uses(production, tools):
    """Entries in every annex: 28 uses over five phases, one in four voicing a performer (a performer's work and
    an exception each), five ways of telling the audience, six tools, and temporary uses."""
    final_uses(production, tools, 28, voiced_every=4, sentences=lambda n: 1 + (n * 3) % 5, audience=AUDIENCE)
    for n in range(3):
        AIUseFactory(production=production, phase=PHASES[n], title=f"Previs {n}", tool=tools[0], is_final=False)


def the_tools():
    return [AIToolFactory(vendor=vendor, product=product, model_name="", model_version="") for vendor, product in TOOLS]


@pytest.fixture(scope="module")
def ledgers(django_db_setup, django_db_blocker, tmp_path_factory, signing_credentials):
    """The long ledger and the ledger with entries in every annex, written once for the module with the drafts of
    their statements in English and French; each test runs in a savepoint over them."""
    yield from kept_for_module(
        django_db_blocker, tmp_path_factory.mktemp("ledgers"), _ledgers, **signed_as_in_tests(signing_credentials)
    )


def _ledgers():
    tools = the_tools()
    drafts = {}
    for name, uses in (("long", long_ledger_uses), ("every annex", every_annex_uses)):
        production = ProductionFactory(title="El Eternauta")
        uses(production, tools)
        for language in ("en", "fr"):
            drafts[name, language] = requests.request_document(
                production=production, kind=DocumentKind.STATEMENT, language=language, on=ON, queue=False
            )[0].pk
    return drafts


@pytest.fixture
def draft(ledgers, db):
    """`draft(ledger, language)`: the draft of that ledger's statement in that language."""
    _folder, drafts = ledgers
    return lambda ledger, language: DisclosureDocument.objects.get(pk=drafts[ledger, language])


@pytest.fixture(scope="module")
def pdfs():
    return {}


@pytest.fixture
def laid_out(pdfs, settings):
    """`laid_out(draft, items_per_part)`: its PDF and the (start, stop) of each part it was laid out in, rendered
    the first time one of the module's tests asks for it."""

    def pdf_and_parts(document, items_per_part):
        if (document.pk, items_per_part) not in pdfs:
            parts = []
            cut = pdf_parts.Parted.part
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(pdf_parts.Parted, "part", lambda self, *span: parts.append(span) or cut(self, *span))
                pdfs[document.pk, items_per_part] = render(document, settings, items_per_part), parts
        return pdfs[document.pk, items_per_part]

    return pdf_and_parts


def render(document, settings, items_per_part):
    settings.DISCLOSURE_PDF_PART_ITEMS = items_per_part
    return building.render(document).pdf


@pytest.fixture
def rendered(draft, laid_out, request):
    """The same draft laid out whole, then 7 entries at a time; and the parts the second took."""
    document = draft("long", getattr(request, "param", "en"))
    whole, _parts = laid_out(document, 10_000)
    parted, parts = laid_out(document, 7)
    return document, whole, parted, parts


def pages_text(pdf_bytes):
    # The time the records were read is the one line that differs between two renders (a minute apart or more).
    return [
        re.sub(r"(Records as of|Données au) .*", r"\1 …", page.extract_text())
        for page in PdfReader(io.BytesIO(pdf_bytes)).pages
    ]


@pytest.mark.parametrize("rendered", ["en", "fr"], indirect=True)
def test_a_statement_in_parts_has_the_pages_of_one_layout_numbered_through(rendered):
    document, whole, parted, parts = rendered
    numbering = "Page {} of {}" if document.language == "en" else "Page {} sur {}"

    # The uses are laid out by Typst, on pages of their own (disclosure/pdf_typst.py), never in parts.
    assert len(parts) >= 4, "the pages before the uses, then 23 entries 7 at a time (exceptions, works, tools)"
    pages = pages_text(parted)
    assert pages == pages_text(whole)
    assert len(pages) >= 8
    for number, text in enumerate(pages, start=1):
        assert text.splitlines()[-1].endswith(numbering.format(number, len(pages)))
        assert str(document.id) in text, "the running header on every page"
    text = " ".join(" ".join(pages).split())
    for n in range(70):
        assert text.count(f"Shot {n:02d} · SQ{n:03d}") == 1


def test_a_statement_in_parts_keeps_its_attachment_metadata_outline_and_signature(rendered):
    document, whole, parted, _parts = rendered
    reader, one_layout = PdfReader(io.BytesIO(parted)), PdfReader(io.BytesIO(whole))
    root = reader.trailer["/Root"]

    assert parted.startswith(b"%PDF-1.7")
    assert list(reader.attachments) == [f"reelproof-{document.id}.json"]
    assert (
        reader.attachments[f"reelproof-{document.id}.json"] == one_layout.attachments[f"reelproof-{document.id}.json"]
    )
    (attachment,) = {spec.get_object()["/F"]: spec.get_object() for spec in root["/AF"]}.values()
    assert attachment["/AFRelationship"] == "/Data"
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="U"' in xmp
    (intent,) = [intent.get_object() for intent in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1" and intent["/DestOutputProfile"].get_object().get_data()
    assert root["/Lang"] == "en"
    assert dict(reader.metadata) == dict(one_layout.metadata)
    assert outline(reader) == outline(one_layout)
    assert ("Annex: AI uses in the final work, by phase", 1) in [entry[:2] for entry in outline(reader)]
    assert signing.check(parted).valid


def outline(reader, items=None, depth=0):
    """(title, depth, page) of every bookmark, in order."""
    entries = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            entries += outline(reader, item, depth + 1)
        else:
            entries.append((item.title, depth, reader.get_destination_page_number(item)))
    return entries


def test_every_piece_of_a_document_is_in_exactly_one_part():
    html = (
        "<html><head><title>T</title></head><body><div data-pdf-every-part>Draft</div><h1>Title</h1><p>Intro</p>"
        "<section><h2>Uses</h2>"
        + "".join(f"<div data-pdf-item><b>Use {n}</b> text {n}</div> after {n} " for n in range(7))
        + "<p>Closing</p></section><section><h2>Tools</h2><ul>"
        + "".join(f"<li data-pdf-item>Tool {n}</li>" for n in range(3))
        + "</ul></section><p>Legal note</p></body></html>"
    )
    parted = pdf_parts.Parted(html)

    parts = [parted.part(0, 4), parted.part(4, 8), parted.part(8, None)]
    bodies = ["".join(re.search(r"<body>(.*)</body>", part, re.S)[1].split()) for part in parts]

    assert parted.entries == 10
    assert all("<title>T</title>" in part and "content: none" in part for part in parts)
    assert all(body.count("Draft") == 1 for body in bodies)
    text = re.sub(r"<[^>]+>", "", "".join(bodies).replace("Draft", ""))
    expected = "TitleIntroUses" + "".join(f"Use{n}text{n}after{n}" for n in range(7)) + "ClosingTools"
    assert text == expected + "Tool0Tool1Tool2Legalnote"
    assert "Use3" in bodies[0] and "Use4" in bodies[1] and "Tool0" in bodies[1] and "Tool1" in bodies[2]
    assert 'data-pdf-continued=""' in parts[1] and "data-pdf-continued" not in parts[0]


# French at one size only: each size lays out the statement's eight pages some fifteen to twenty-five times.
@pytest.mark.parametrize(("language", "sizes"), [("en", (1, 3, 7)), ("fr", (3,))])
def test_parts_of_any_size_break_pages_where_one_layout_does(draft, laid_out, language, sizes):
    """A part that completes no page (a few entries that fit on one) is laid out again, longer: the next part
    never starts a page that one layout would not, in the uses or between two annexes."""
    document = draft("every annex", language)
    numbering = "Page {} of {}" if language == "en" else "Page {} sur {}"
    whole = pages_text(laid_out(document, 10_000)[0])

    for items in sizes:
        parted, parts = laid_out(document, items)
        starts = [start for start, _stop in parts]
        assert pages_text(parted) == whole, f"{items} entries a part"
        assert len(set(starts)) >= 3 and max(starts) > 2, "parts that start in the annexes after the uses"
    assert len(whole) >= 6
    for number, text in enumerate(whole, start=1):
        assert text.splitlines()[-1].endswith(numbering.format(number, len(whole)))
