"""The public verification page: what a recipient of a PDF can check, without an account."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from disclosure.documents import editions, jobs, requests
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus
from productions import services
from productions.models import AIUse, Membership, Production
from productions.vocabularies import Role
from tests.factories import AIUseFactory, MembershipFactory, ProductionFactory, UserFactory
from tests.module_data import copy_files, kept_for_module, signed_as_in_tests

ON = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def first_edition(django_db_setup, django_db_blocker, tmp_path_factory, signing_credentials):
    """A production with one use and its first edition, issued once for the module (two PDFs, some five
    seconds); each test runs in a savepoint over them, so that superseding or renaming stays its own."""
    yield from kept_for_module(
        django_db_blocker,
        tmp_path_factory.mktemp("first-edition"),
        _first_edition,
        **signed_as_in_tests(signing_credentials),
    )


def _first_edition():
    production = ProductionFactory(title="El Eternauta")
    MembershipFactory(production=production, user=UserFactory(username="paula"), role=Role.PRODUCER)
    production.contact_point = "Business affairs, private-line@example.org"
    production.save()
    AIUseFactory(production=production, title="Building collapse in central Buenos Aires")
    document = issue(production)
    assert document.status == DocumentStatus.READY, document.error
    return production.pk, document.pk


@pytest.fixture
def ledger(first_edition, db, settings):
    """The production, read afresh: a test that renames it changes neither the next test's copy nor its row."""
    folder, (production_id, _document_id) = first_edition
    copy_files(folder, settings)
    return Production.objects.get(pk=production_id)


@pytest.fixture
def producer(ledger):
    return Membership.objects.get(production=ledger, role=Role.PRODUCER).user


@pytest.fixture
def issued(first_edition, ledger):
    _folder, (_production_id, document_id) = first_edition
    return DisclosureDocument.objects.get(pk=document_id)


def issue(production, language="en"):
    """Issue an edition of the statement (its PDFs rendered after commit); its document in `language`."""
    actor = Membership.objects.get(production=production, role=Role.PRODUCER).user
    with TestCase.captureOnCommitCallbacks(execute=True):
        edition = editions.issue(
            actor=actor, production=production, kind=DocumentKind.STATEMENT, on=ON, signatory="Matías Mosteirín"
        )
    return edition.documents.get(language=language)


def verify_url(document_id):
    return reverse("disclosure:verify", args=[document_id])


def pdf_bytes(document):
    with document.file.open("rb") as stored:
        return stored.read()


def upload(client, document, content):
    return client.post(verify_url(document.id), {"pdf": SimpleUploadedFile("statement.pdf", content)})


def test_anyone_sees_what_the_document_states_and_that_it_is_current(client, issued):
    response = client.get(verify_url(issued.id))

    page = response.content.decode()
    assert response.status_code == 200
    assert "El Eternauta" in page
    assert "Transparency statement" in page
    assert "English" in page
    assert "20 November 2026" in page
    assert issued.sha256 in page
    assert "Current" in page


def test_the_page_says_nothing_more_than_the_document_does(client, issued):
    page = client.get(verify_url(issued.id)).content.decode()

    assert "Building collapse in central Buenos Aires" not in page
    assert "private-line@example.org" not in page
    assert "paula" not in page  # who requested it


def test_an_identical_pdf_is_recognised(client, issued):
    response = upload(client, issued, pdf_bytes(issued))

    assert response.status_code == 200
    assert "Identical." in response.content.decode()


def test_a_modified_pdf_is_not_identical(client, issued):
    original = pdf_bytes(issued)
    tampered = original + b"\n% one more line, as an incremental save would add\n"

    page = upload(client, issued, tampered).content.decode()

    assert "Not identical." in page
    assert "Identical." not in page.replace("Not identical.", "")


def test_a_superseded_document_says_so_and_names_the_newer_edition(client, issued, ledger, producer):
    services.update_ai_use(actor=producer, ai_use=AIUse.objects.get(production=ledger), title="Extended cut")
    newer = issue(ledger)

    page = client.get(verify_url(issued.id)).content.decode()

    assert newer.status == DocumentStatus.READY
    assert "Superseded" in page
    assert "Edition no. 2" in page and str(newer.edition_id) in page


def test_a_draft_verifies_as_a_draft(client, ledger):
    document, _created = requests.request_document(
        production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )
    jobs.render(document.id)

    page = client.get(verify_url(document.id)).content.decode()

    assert "Draft: not for submission" in page
    assert "Current" not in page


def test_a_document_being_prepared_shows_no_hash_and_no_upload(client, ledger):  # a draft, not yet rendered
    document, _created = requests.request_document(
        production=ledger, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )

    page = client.get(verify_url(document.id)).content.decode()

    assert "being prepared" in page
    assert 'class="sha256"' not in page
    assert 'type="file"' not in page


def test_an_unknown_document_is_not_found(client, db):
    assert client.get(verify_url(uuid.uuid4())).status_code == 404
    assert client.get("/verify/not-a-uuid/").status_code == 404


def test_looking_too_often_is_refused_with_a_readable_page(client, issued, settings):
    settings.DISCLOSURE_VERIFY_RATE_VIEW = "3/m"

    statuses = [client.get(verify_url(issued.id)).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = client.get(verify_url(issued.id))
    assert "Too many checks" in refused.content.decode()


def test_uploading_too_often_is_refused(client, issued, settings):
    settings.DISCLOSURE_VERIFY_RATE_UPLOAD = "2/m"

    statuses = [upload(client, issued, b"%PDF-1.7 not it").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert client.get(verify_url(issued.id)).status_code == 200, "looking is counted apart from uploading"


def test_a_document_is_verified_as_issued_even_after_its_production_is_renamed(client, issued, ledger):
    ledger.title = "L'Éternaute"
    ledger.save()

    page = client.get(verify_url(issued.id)).content.decode()

    assert "El Eternauta" in page and "Éternaute" not in page
    assert DisclosureDocument.objects.get(id=issued.id).production_title == "El Eternauta"
