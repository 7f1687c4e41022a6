"""PAdES signatures of issued PDFs (pyHanko), and their validation for the verification page.

The signing key and certificate come from files named in the environment (REELPROOF_SIGNING_KEY_FILE,
REELPROOF_SIGNING_CERT_FILE, optionally REELPROOF_SIGNING_CHAIN_FILE and REELPROOF_SIGNING_KEY_PASSPHRASE),
so a studio installs a certificate from its own CA; without them, the instance creates its own key and a
self-signed certificate on first use, kept in the private storage folder. Signing is the last step after
the PDF/A output: an incremental update that leaves the embedded JSON and the QR code as they are.
Without a time-stamping authority (no network here) the signature is PAdES B-B.
"""

import datetime
import functools
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

FIELD_NAME = "ReelproofSignature"
_lock = threading.Lock()


@dataclass(frozen=True)
class Credentials:
    key_file: Path
    cert_file: Path
    chain_files: tuple[Path, ...] = ()
    passphrase: bytes | None = None


def _configured():
    key, cert = settings.REELPROOF_SIGNING_KEY_FILE, settings.REELPROOF_SIGNING_CERT_FILE
    if not (key and cert):
        return None
    chain = tuple(Path(name) for name in settings.REELPROOF_SIGNING_CHAIN_FILES)
    passphrase = settings.REELPROOF_SIGNING_KEY_PASSPHRASE.encode() or None
    return Credentials(Path(key), Path(cert), chain, passphrase)


def _instance_folder():
    return Path(settings.PRIVATE_MEDIA_ROOT) / "signing"


def _write_once(path, content):
    """Write a file only if it does not exist yet: two processes creating the key keep the first one."""
    partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    partial.write_bytes(content)
    os.chmod(partial, 0o600)
    try:
        os.link(partial, path)
    except FileExistsError:
        pass
    finally:
        partial.unlink()


def _create_instance_credentials(folder):
    """A 3072-bit RSA key and a self-signed certificate naming this instance, valid ten years."""
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, settings.REELPROOF_SIGNER_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Reelproof"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # The certificate first: a reader never finds a key without its certificate.
    _write_once(folder / "certificate.pem", certificate.public_bytes(serialization.Encoding.PEM))
    _write_once(folder / "key.pem", key_pem)


def credentials() -> Credentials:
    """The configured key and certificate, else the instance's own, created on first use."""
    configured = _configured()
    if configured is not None:
        return configured
    folder = _instance_folder()
    key_file, cert_file = folder / "key.pem", folder / "certificate.pem"
    with _lock:
        if not (key_file.exists() and cert_file.exists()):
            _create_instance_credentials(folder)
    return Credentials(key_file, cert_file)


def _signer(creds: Credentials):
    # Loaded once per file version: a certificate replaced in place is picked up without a restart.
    return _load_signer(creds, creds.key_file.stat().st_mtime_ns, creds.cert_file.stat().st_mtime_ns)


class KeptKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner reads its key again at every signature, twice a PDF (the first to size the signature),
    and OpenSSL checks an RSA key as it reads it: 120 ms for a 3072-bit key, against 1 ms to sign. An RSA key signing
    PKCS#1 v1.5 (what a PAdES signature of ours uses) is read once; any other signs as pyHanko does."""

    @functools.cached_property
    def _rsa_key(self):
        key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
        return key if isinstance(key, rsa.RSAPrivateKey) else None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            mechanism = None
        if mechanism != "rsassa_pkcs1v15" or self._rsa_key is None:
            return super().sign_raw(data, digest_algorithm)
        return self._rsa_key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


@functools.lru_cache(maxsize=4)
def _load_signer(creds: Credentials, _key_version, _cert_version):
    loaded = signers.SimpleSigner.load(
        key_file=str(creds.key_file),
        cert_file=str(creds.cert_file),
        ca_chain_files=[str(name) for name in creds.chain_files] or None,
        key_passphrase=creds.passphrase,
    )
    if loaded is None:
        return None
    return KeptKeySigner(
        signing_cert=loaded.signing_cert, signing_key=loaded.signing_key, cert_registry=loaded.cert_registry
    )


def _load_certificate(path):
    data = Path(path).read_bytes()
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def signer_name(creds: Credentials | None = None) -> str:
    """Who signs, as the certificate names it: shown in the PDF and on the verification page."""
    certificate = _load_certificate((creds or credentials()).cert_file)
    return certificate.subject.native.get("common_name") or certificate.subject.human_friendly


def sign_pdf(pdf_bytes: bytes, *, reason: str, location: str = "") -> bytes:
    """The PDF with a PAdES signature over all of it, added as an incremental update."""
    creds = credentials()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=signer_name(creds),
    )
    output = signers.sign_pdf(writer, metadata, signer=_signer(creds))
    return output.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's signature proves: intact and covering the whole file, by whom, when, whether trusted."""

    signed: bool
    intact: bool = False
    covers_whole_file: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def valid(self):
        return self.signed and self.intact and self.covers_whole_file and self.trusted


def _trust_roots():
    creds = credentials()
    return [_load_certificate(path) for path in (creds.cert_file, *creds.chain_files)]


def check(pdf_bytes: bytes) -> SignatureCheck:
    """Validate the signature of a PDF against this instance's certificate (and its configured chain)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes))
        embedded = reader.embedded_signatures
    except Exception:  # an unreadable file is simply not a signed document of ours
        return SignatureCheck(signed=False)
    if not embedded:
        return SignatureCheck(signed=False)
    signature = embedded[-1]
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, signer_validation_context=context)
    except Exception:  # a malformed signature is an invalid one
        return SignatureCheck(signed=True)
    subject = status.signing_cert.subject.native if status.signing_cert else {}
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact and status.valid),
        covers_whole_file=status.coverage.name == "ENTIRE_FILE",
        trusted=bool(status.trusted),
        signer=subject.get("common_name", ""),
        signed_at=status.signer_reported_dt,
    )


def check_document(document) -> SignatureCheck | None:
    """The signature of an issued document's stored PDF; None while it has no file."""
    if not document.file:
        return None
    with document.file.open("rb") as stored:
        return check(stored.read())
