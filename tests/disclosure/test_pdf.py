"""The PDFs: what a reader sees in English and French, the data embedded in them, and what they may fetch."""

import datetime
import hashlib
import io
import json

import pytest
from pypdf import PdfReader

from disclosure import pdf
from disclosure.documents import jobs, requests
from disclosure.documents.building import TEMPLATE_VERSION, canonical_json
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus
from disclosure.statement import build_statement
from productions.models import Production
from productions.vocabularies import DigitalSourceType, DisclosureMethod, Phase
from tests.factories import AIToolFactory, AIUseFactory, ProductionFactory
from tests.module_data import copy_files, kept_for_module, signed_as_in_tests

ON = datetime.date(2026, 11, 20)


@pytest.fixture(scope="module")
def english_statement(django_db_setup, django_db_blocker, tmp_path_factory, signing_credentials):
    """The ledger and its English statement, rendered and signed once for the module's tests that only read it;
    each test runs in a savepoint over them."""
    yield from kept_for_module(
        django_db_blocker,
        tmp_path_factory.mktemp("english-statement"),
        _english_statement,
        **signed_as_in_tests(signing_credentials),
    )


def _english_statement():
    production = ProductionFactory(title="El Eternauta", countries=["AR"])
    tool = AIToolFactory(vendor="Runway", product="Gen-4 Turbo", model_name="", model_version="")
    AIUseFactory(
        production=production,
        phase=Phase.VFX,
        title="Building collapse in central Buenos Aires",
        description="A residential building collapses under the weight of the toxic snow.",
        human_contribution="Compositors integrated the generated collapse with the plate by hand.",
        tool=tool,
        digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        disclosure_method=DisclosureMethod.END_CREDITS,
        external_id="EP106_SQ030_SH0120",
    )
    AIUseFactory(production=production, phase=Phase.PRE_PRODUCTION, title="Storyboards", is_final=False, tool=tool)
    return production.pk, issue(production).pk


@pytest.fixture
def ledger(english_statement, db, settings):
    """The production, read afresh, with this test's own copy of the statement's file."""
    folder, (production_id, _document_id) = english_statement
    copy_files(folder, settings)
    return Production.objects.get(pk=production_id)


@pytest.fixture
def english(english_statement, ledger):
    """The ledger's English statement, as `issue(ledger)` gives it."""
    _folder, (_production_id, document_id) = english_statement
    return DisclosureDocument.objects.get(pk=document_id)


def issue(production, language="en", kind=DocumentKind.STATEMENT, on=ON):
    """A statement requested and rendered through the same code path the worker runs."""
    document, _created = requests.request_document(
        production=production, kind=kind, language=language, on=on, queue=False
    )
    document = jobs.render(document.id)
    assert document.status == DocumentStatus.READY, document.error
    return document


def read(document):
    with document.file.open("rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def embedded_data(reader, document):
    (content,) = reader.attachments[f"reelproof-{document.id}.json"]
    return json.loads(content)


def test_the_english_pdf_states_the_production_its_ai_uses_and_how_to_verify_it(english):
    document = english
    text = text_of(read(document))

    assert "Transparency statement" in text
    assert "El Eternauta" in text
    assert "Building collapse in central Buenos Aires" in text
    assert "Runway Gen-4 Turbo" in text
    assert "Compositors integrated the generated collapse with the plate by hand." in text
    assert "compositeWithTrainedAlgorithmicMedia" in text
    assert "20 November 2026" in text
    assert "Argentina" in text
    assert "not legal advice" in text
    assert str(document.id) in text
    assert document.content_hash in text
    assert f"http://127.0.0.1:8000/verify/{document.id}/" in text.replace("\n", "")
    assert "Page 1 of" in text
    assert "Storyboards" not in text  # temporary uses are counted, not listed


def test_the_french_pdf_is_in_french_with_french_dates_and_metadata(ledger):
    document = issue(ledger, language="fr")
    reader = read(document)
    text = text_of(reader)

    assert "20 novembre 2026" in text
    assert "Argentine" in text  # the country's French name
    assert "Building collapse in central Buenos Aires" in text  # records stay as written
    assert "Outil\u00a0: " in text and "Outil: " not in text, "French puts a no-break space before a colon"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert embedded_data(reader, document)["content"]["language"] == "fr"


def test_the_pdf_carries_title_author_subject_and_language_and_is_pdf_a_3u(english):
    reader = read(english)

    assert reader.metadata.title == "Transparency statement: El Eternauta"
    assert reader.metadata.author == "Studio Lumière"
    assert "El Eternauta" in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="U"' in xmp


def test_the_embedded_json_is_the_documents_data_and_its_hash_is_printed(ledger, english):
    document = english
    reader = read(document)
    embedded = embedded_data(reader, document)

    assert embedded["document_id"] == str(document.id)
    assert embedded["content"] == {
        "kind": "statement",
        "language": "en",
        "date": "2026-11-20",
        "template_version": TEMPLATE_VERSION,
        "data": build_statement(ledger, on=ON).as_data(),
    }
    assert hashlib.sha256(canonical_json(embedded["content"])).hexdigest() == document.content_hash
    assert embedded["content_hash"] == document.content_hash
    assert embedded["content"]["data"] == document.data
    (use,) = embedded["content"]["data"]["phases"][0]["uses"]
    assert (use["title"], use["external_id"], use["generation"]) == (
        "Building collapse in central Buenos Aires",
        "EP106_SQ030_SH0120",
        "modified",
    )
    assert document.content_hash in text_of(reader)


def test_the_stored_pdf_matches_its_recorded_sha256_and_size(english):
    document = english
    with document.file.open("rb") as stored:
        content = stored.read()

    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert len(content) == document.size
    assert content.startswith(b"%PDF-1.7")


HOSTILE_DESCRIPTION = '<img src="file:///etc/passwd"> <script>alert(1)</script>'
HOSTILE_CONTRIBUTION = '<link rel=stylesheet href="http://127.0.0.1:9/x.css"> <iframe src="https://evil.example">'


def test_hostile_text_in_records_is_printed_as_text_and_fetches_nothing(ledger, monkeypatch):
    AIUseFactory(
        production=ledger,
        title="Crowd <b>extension</b>",
        description=HOSTILE_DESCRIPTION,
        human_contribution=HOSTILE_CONTRIBUTION,
    )
    fetched = []
    original_fetch = pdf.StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original_fetch(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyURLFetcher, "fetch", spy)

    text = text_of(read(issue(ledger))).replace("\n", " ")

    assert HOSTILE_DESCRIPTION in text
    assert '<link rel=stylesheet href="http://127.0.0.1:9/x.css">' in text
    assert "Crowd <b>extension</b>" in text
    assert fetched, "the stylesheet and the QR code go through the fetcher"
    assert all(url.startswith(("data:", pdf.PDF_BASE_URL + "static/")) for url in fetched), fetched


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://evil.example/x.css",
        "ftp://example.org/x",
        pdf.PDF_BASE_URL + "static/../../config/settings.py",
        pdf.PDF_BASE_URL + "static/%2e%2e/config/settings.py",
        pdf.PDF_BASE_URL + "secrets.txt",
        pdf.PDF_BASE_URL + "static/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticOnlyURLFetcher().fetch(url)


def test_the_fetcher_serves_our_stylesheet_and_data_uris():
    stylesheet = pdf.StaticOnlyURLFetcher().fetch(pdf.PDF_BASE_URL + "static/pdf.css")
    data = pdf.StaticOnlyURLFetcher().fetch("data:text/plain;base64,UmVlbHByb29m")

    assert stylesheet.content_type == "text/css"
    assert b"@page" in stylesheet.read()
    assert data.read() == b"Reelproof"


def test_a_template_that_asks_for_a_local_file_is_not_rendered():
    with pytest.raises(pdf.PDFError):
        pdf.html_to_pdf('<link rel="stylesheet" href="file:///etc/passwd"><p>x</p>')


def test_page_numbers_follow_the_languages_word_order():
    assert str(pdf.css_content("Page %(page)s of %(pages)s")) == '"Page " counter(page) " of " counter(pages)'
    assert str(pdf.css_content("%(page)s / %(pages)s")) == 'counter(page) " / " counter(pages)'
    assert str(pdf.css_content('Say "</style>"')) == '"Say \\"\\3c /style>\\""'
