"""Signed consent documents real enough to pass the checks on upload (productions.document_checks)."""

import io

from PIL import Image


def pdf(catalog=b"", *extra_objects, comment=b""):
    """A one-page PDF with a correct cross-reference table; `catalog` is added to the catalog dictionary,
    `extra_objects` are numbered from 4 on."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
        *extra_objects,
    ]
    out = b"%PDF-1.7\n" + comment
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj %s endobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer <</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def image(image_format, size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, image_format)
    return buffer.getvalue()


PDF = pdf()
JPEG = image("JPEG")
PNG = image("PNG")
