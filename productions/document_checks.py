"""A signed consent document is checked beyond its first bytes before it is stored.

A PDF must parse, have a page, and carry nothing that acts when a reviewer opens it: no JavaScript,
no launch or other actions run on opening or on events (/OpenAction, /AA), no embedded files or
XFA forms. An image must decode in full, within CONSENT_DOCUMENT_MAX_PIXELS. Each check returns the
message to show, or None when the document is acceptable.
"""

import logging
import warnings

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

logger = logging.getLogger(__name__)

# Keys whose presence anywhere in the document means something may run or hide when it is opened.
ACTIVE_KEYS = {"/JavaScript", "/JS", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia"}
# Action types (/S) that run code or programs, or send data away.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"}
# The walk is bounded: a signed document has a few thousand objects; more is refused as uncheckable.
MAX_PDF_OBJECTS = 200_000
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


def check(uploaded_file, content_type):
    uploaded_file.seek(0)
    try:
        if content_type == "application/pdf":
            return _check_pdf(uploaded_file)
        return _check_image(uploaded_file, IMAGE_FORMATS[content_type])
    finally:
        uploaded_file.seek(0)


def _check_pdf(stream):
    unreadable = _("This PDF cannot be read: it is damaged or not a PDF. Export or scan the signed document again.")
    # pypdf raises many exception types on malformed input; every one means the same to the uploader.
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return _("This PDF is protected by a password. Upload it without the password.")
        if len(reader.pages) == 0:
            return unreadable
        active = _has_active_content(reader.trailer)
    except Exception as error:
        logger.info("A consent document was refused as an unreadable PDF: %r", error)
        return unreadable
    if active is None:
        return unreadable
    if active:
        return _(
            "This PDF contains scripts, automatic actions or attached files, which a signed consent does not "
            "need. Print it to a new PDF or scan the paper copy, and upload that."
        )
    return None


def _has_active_content(root):
    """True when an active key or action is found, False when none is, None when the walk is cut short."""
    seen = set()
    pending = [root]
    visited = 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            reference = (node.idnum, node.generation)
            if reference in seen:
                continue
            seen.add(reference)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return None
        if isinstance(node, DictionaryObject):
            if ACTIVE_KEYS.intersection(node.keys()):
                return True
            if node.get("/S") in ACTIVE_ACTIONS:
                return True
            pending.extend(node.values())
        elif isinstance(node, ArrayObject):
            pending.extend(node)
    return False


def _check_image(stream, expected_format):
    undecodable = _("This image cannot be decoded: it is damaged or incomplete. Scan the signed document again.")
    too_large = _("This image is too large to check (over %(megapixels)s megapixels). Scan it at a lower resolution.")
    limit = settings.CONSENT_DOCUMENT_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a decompression bomb below twice its own limit; ours is the limit.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream, formats=[expected_format]) as image:
                width, height = image.size
                if width * height > limit:
                    return too_large % {"megapixels": limit // 1_000_000}
                image.verify()
            stream.seek(0)
            with Image.open(stream, formats=[expected_format]) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return too_large % {"megapixels": limit // 1_000_000}
    except (OSError, SyntaxError, ValueError) as error:
        # Pillow raises OSError for truncated or corrupt data, SyntaxError for a broken PNG chunk.
        logger.info("A consent document was refused as an undecodable image: %r", error)
        return undecodable
    return None
