"""PAdES signatures: the instance's own key made once, a studio's certificate from files, and validation."""

import datetime
import io
import os
import shutil
import subprocess
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.urls import reverse
from pypdf import PdfReader

from disclosure import pdf, signing
from disclosure.models import DisclosureDocument
from productions.models import Production
from tests.disclosure.test_pdf import embedded_data, issue, read, text_of
from tests.factories import ProductionFactory
from tests.module_data import copy_files, kept_for_module, signed_as_in_tests


def pdfsig():
    """Poppler's validator: without it the check skips with the reason, and fails under REQUIRE_SERVICES=1 (CI)."""
    path = shutil.which("pdfsig")
    if path is None:
        reason = "needs Debian's poppler-utils (apt-get install poppler-utils) for pdfsig"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " (REQUIRE_SERVICES=1)")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def plain_pdf():
    attachment = pdf.json_attachment(b'{"content": 1}', name="reelproof-test.json", description="data")
    return pdf.html_to_pdf("<html><body><p>Building collapse</p></body></html>", attachments=[attachment])


@pytest.fixture
def instance_key(settings, tmp_path):
    """No studio certificate configured: the instance makes its own."""
    settings.REELPROOF_SIGNING_KEY_FILE = settings.REELPROOF_SIGNING_CERT_FILE = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private" / "signing"


def test_the_instance_creates_its_key_on_first_use_and_keeps_it(instance_key, plain_pdf):
    assert not instance_key.exists()

    first = signing.credentials()
    certificate = first.cert_file.read_bytes()
    again = signing.credentials()

    assert first == again
    assert again.cert_file.read_bytes() == certificate
    assert oct(first.key_file.stat().st_mode & 0o777) == "0o600"
    assert signing.signer_name() == "Reelproof disclosure signing (this instance)"
    assert signing.check(signing.sign_pdf(plain_pdf, reason="Issued")).valid


def test_processes_creating_the_key_at_once_keep_one(instance_key):
    folder = instance_key
    folder.mkdir(parents=True)
    threads = [threading.Thread(target=signing._create_instance_credentials, args=(folder,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    creds = signing.credentials()
    certificate = x509.load_pem_x509_certificate(creds.cert_file.read_bytes())
    key = serialization.load_pem_private_key(creds.key_file.read_bytes(), password=None)
    # The key on disk is the one the certificate certifies, whichever process wrote first.
    assert key.public_key().public_numbers() == certificate.public_key().public_numbers()
    assert sorted(path.name for path in folder.iterdir()) == ["certificate.pem", "key.pem"]


@pytest.fixture
def studio_certificate(settings, tmp_path):
    """A studio's own EC key and certificate, installed from files through the environment."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Long Meridian Pictures, legal department")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    passphrase = b"correct horse"
    key_file, cert_file = tmp_path / "studio.key", tmp_path / "studio.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    settings.REELPROOF_SIGNING_KEY_FILE = str(key_file)
    settings.REELPROOF_SIGNING_CERT_FILE = str(cert_file)
    settings.REELPROOF_SIGNING_KEY_PASSPHRASE = passphrase.decode()
    return cert_file


def test_a_studio_signs_with_its_own_certificate(studio_certificate, plain_pdf, settings):
    signed = signing.sign_pdf(plain_pdf, reason="Issued")

    result = signing.check(signed)

    assert result.valid
    assert result.signer == "Long Meridian Pictures, legal department"
    assert signing.signer_name() == "Long Meridian Pictures, legal department"
    assert not (settings.PRIVATE_MEDIA_ROOT / "signing").exists(), "no instance key is made when one is configured"


def test_a_signed_pdf_validates_and_keeps_its_attachment(plain_pdf):
    signed = signing.sign_pdf(plain_pdf, reason="Issued")

    result = signing.check(signed)
    assert (result.signed, result.intact, result.covers_whole_file, result.trusted) == (True, True, True, True)
    assert result.signed_at is not None
    assert signed.startswith(plain_pdf), "an incremental update: the PDF/A bytes are kept as they were"
    assert list(PdfReader(io.BytesIO(signed)).attachments) == ["reelproof-test.json"]


def test_the_key_is_read_once_for_many_signatures(instance_key, plain_pdf, monkeypatch):
    """OpenSSL checks an RSA key as it reads it (120 ms for the instance's 3072-bit key, against 1 ms to sign):
    pyHanko alone would read it twice a signature."""
    reads = []
    read_key = serialization.load_der_private_key
    monkeypatch.setattr(serialization, "load_der_private_key", lambda *a, **kw: reads.append(1) or read_key(*a, **kw))

    signed = [signing.sign_pdf(plain_pdf, reason="Issued") for _ in range(3)]

    assert all(signing.check(pdf_bytes).valid for pdf_bytes in signed)
    assert len(reads) == 1


def test_a_changed_byte_breaks_the_signature(plain_pdf):
    signed = bytearray(signing.sign_pdf(plain_pdf, reason="Issued"))
    index = signed.index(b"/Producer")
    signed[index + 1] = ord("Q")

    result = signing.check(bytes(signed))

    assert result.signed
    assert not result.valid


def test_an_unsigned_or_unreadable_file_is_not_signed(plain_pdf):
    assert not signing.check(plain_pdf).signed
    assert not signing.check(b"not a pdf").signed


def test_a_signature_by_another_key_is_not_trusted(plain_pdf, studio_certificate, settings):
    signed_by_studio = signing.sign_pdf(plain_pdf, reason="Issued")
    settings.REELPROOF_SIGNING_KEY_FILE = settings.REELPROOF_SIGNING_CERT_FILE = ""

    result = signing.check(signed_by_studio)

    assert result.signed and result.intact
    assert not result.trusted
    assert not result.valid


def test_poppler_accepts_the_signature(plain_pdf, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signing.sign_pdf(plain_pdf, reason="Issued"))

    output = subprocess.run([pdfsig(), str(path)], capture_output=True, text=True, check=True).stdout

    assert "Signature is Valid." in output
    assert "Total document signed" in output
    assert "ETSI.CAdES.detached" in output


# Issued documents


@pytest.fixture(scope="module")
def english_statement(django_db_setup, django_db_blocker, tmp_path_factory, signing_credentials):
    """A production's English statement, rendered and signed once for the module; each test runs in a savepoint
    over it, with its own copy of the file."""
    yield from kept_for_module(
        django_db_blocker,
        tmp_path_factory.mktemp("english-statement"),
        _english_statement,
        **signed_as_in_tests(signing_credentials),
    )


def _english_statement():
    production = ProductionFactory(title="El Eternauta")
    return production.pk, issue(production).pk


@pytest.fixture
def statement_production(english_statement, db, settings):
    folder, (production_id, _document_id) = english_statement
    copy_files(folder, settings)
    return Production.objects.get(pk=production_id)


@pytest.fixture
def issued_in(english_statement, statement_production):
    """The production's statement in a language: the English one made for the module, another issued here."""
    _folder, (_production_id, english_id) = english_statement

    def issued(language="en"):
        if language == "en":
            return DisclosureDocument.objects.get(pk=english_id)
        return issue(statement_production, language=language)

    return issued


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_issued_pdf_is_signed_and_keeps_its_data_and_qr_code(issued_in, language, tmp_path):
    document = issued_in(language)
    with document.file.open("rb") as stored:
        content = stored.read()

    result = signing.check(content)
    assert result.valid, result
    assert result.signer == signing.signer_name()
    reader = read(document)
    assert embedded_data(reader, document)["content_hash"] == document.content_hash
    text = " ".join(text_of(reader).split())
    # Signing appends an incremental update (tested above): the page with its vector QR code is unchanged.
    assert str(document.id) in text
    assert signing.signer_name() in text, "the PDF names who signs it"
    path = tmp_path / "issued.pdf"
    path.write_bytes(content)
    assert "Signature is Valid." in subprocess.run([pdfsig(), str(path)], capture_output=True, text=True).stdout


def test_the_verification_page_and_api_say_who_signed_and_that_the_signature_holds(issued_in, client):
    document = issued_in()

    page = " ".join(client.get(reverse("disclosure:verify", args=[document.id])).content.decode().split())
    api = client.get(f"/api/v1/verify/{document.id}/").json()

    assert "Valid" in page
    assert f"Signed by {signing.signer_name()}" in page
    assert api["signature"]["valid"] is True
    assert api["signature"]["signer"] == signing.signer_name()


def test_a_document_whose_stored_file_was_altered_does_not_verify_as_signed(issued_in, client):
    document = issued_in()
    with document.file.open("rb") as stored:
        content = bytearray(stored.read())
    index = content.index(b"/Producer")
    content[index + 1] = ord("Q")
    with document.file.open("wb") as stored:
        stored.write(bytes(content))

    page = client.get(reverse("disclosure:verify", args=[document.id])).content.decode()

    assert "Not valid" in page
