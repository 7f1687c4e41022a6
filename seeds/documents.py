"""Stand-ins for the signed documents of the demo consents: one-page PDFs that say what they stand for.

Approving a consent needs its signed document (productions.services), so the demo attaches one to each
consent it records, through the same checks as an upload. Built by hand, a page of text in a standard font:
no file to ship, and nothing in it that acts when opened.
"""

import textwrap

from django.core.files.base import ContentFile


def _literal(text):
    # A PDF string in the standard fonts' WinAnsi encoding; the three characters that end or escape it escaped.
    encoded = text.encode("cp1252", errors="replace")
    return b"(" + encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def one_page_pdf(lines):
    """A one-page A4 PDF showing `lines`, with a correct cross-reference table."""
    text = b" ".join(_literal(line) + b" '" for line in lines)
    content = b"BT /F1 11 Tf 16 TL 56 800 Td " + text + b" ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def signed_consent(consent):
    """The demo's stand-in for a consent's signed document, as an upload."""
    lines = [
        "Reelproof demo data: not a real document.",
        f"Consent of {consent.person.name}: {consent.get_kind_display()}",
        f"Signed on {consent.signed_on:%Y-%m-%d}" if consent.signed_on else "Not dated",
        *textwrap.wrap(consent.scope_description, 90),
    ]
    return ContentFile(one_page_pdf(lines), name="signed-consent.pdf")


def written_withdrawal(consent, on):
    """The demo's stand-in for a person's written withdrawal of a consent, as an upload."""
    lines = [
        "Reelproof demo data: not a real document.",
        f"{consent.person.name} withdraws the consent: {consent.get_kind_display()}",
        f"Dated {on:%Y-%m-%d}",
    ]
    return ContentFile(one_page_pdf(lines), name="withdrawal.pdf")
