"""`manage.py export_disclosure`: the same documents as the app, written to a file."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from disclosure.models import DisclosureDocument, DocumentStatus


def export(*args):
    out = io.StringIO()
    call_command("export_disclosure", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("kind", "language", "expected"),
    [
        ("statement", "en", ["Building collapse in central Buenos Aires", "30 April 2025", "Page 1 of"]),
        ("statement", "fr", ["Building collapse in central Buenos Aires", "30 avril 2025"]),
        ("checklist", "en", ["El Eternauta", "30 April 2025", "Art. 50"]),
        ("checklist", "fr", ["El Eternauta", "30 avril 2025"]),
    ],
)
def test_a_demo_production_exports_in_both_kinds_and_languages(demo, tmp_path, kind, language, expected):
    target = tmp_path / f"{kind}-{language}.pdf"

    output = export("El Eternauta", "--kind", kind, "--lang", language, "-o", str(target))

    document = DisclosureDocument.objects.get(kind=kind, language=language)
    content = target.read_bytes()
    assert document.status == DocumentStatus.READY
    assert document.requested_by is None
    assert f"Document id: {document.id}" in output
    assert f"SHA-256: {document.sha256}" in output
    assert hashlib.sha256(content).hexdigest() == document.sha256
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for fragment in expected:
        assert fragment in text
    assert reader.trailer["/Root"]["/Lang"] == language
    assert str(document.id) in text


def test_exporting_again_without_changes_reuses_the_issued_document(demo, tmp_path):
    first = export("El Eternauta", "-o", str(tmp_path / "a.pdf"), "--date", "2026-11-20")
    second = export("El Eternauta", "-o", str(tmp_path / "b.pdf"), "--date", "2026-11-20")

    assert DisclosureDocument.objects.count() == 1
    assert "reused" in second and "rendered" in first
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_the_production_may_be_named_by_id_and_the_requester_recorded(production, producer, tmp_path):
    export(str(production.pk), "--user", "paula", "-o", str(tmp_path / "x.pdf"))

    assert DisclosureDocument.objects.get(production=production).requested_by == producer


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["No Such Film"], "No production has the id or the exact title 'No Such Film'"),
        (["El Eternauta", "--date", "2026-02-30"], "'2026-02-30' is not a date"),
        (["El Eternauta", "--date", "next week"], "is not a date"),
        (["El Eternauta", "--kind", "poster"], "invalid choice: 'poster'"),
        (["El Eternauta", "--lang", "de"], "invalid choice: 'de'"),
        (["El Eternauta", "--user", "nobody"], "No user is named 'nobody'"),
    ],
)
def test_mistakes_are_refused_with_a_clear_message(demo, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        export(*args, "-o", str(tmp_path / "x.pdf"))

    assert not DisclosureDocument.objects.exists()
