"""Fixtures of the document tests: a production with one use, and PDFs that cost nothing to make."""

import hashlib

import pytest

from disclosure import pdf, signing
from tests.factories import AIUseFactory


@pytest.fixture
def fast_pdf(monkeypatch):
    """WeasyPrint and signing stand aside: these tests are about the jobs; test_pdf.py and test_signing.py
    are about the PDFs themselves."""
    rendered_html = []

    def fake_pdf(html, *, attachments=()):
        rendered_html.append(html)
        return b"%PDF-1.7\n% test\n" + hashlib.sha256(html.encode()).hexdigest().encode()

    monkeypatch.setattr(pdf, "html_to_pdf", fake_pdf)
    monkeypatch.setattr(signing, "sign_pdf", lambda pdf_bytes, **options: pdf_bytes)
    return rendered_html


@pytest.fixture
def ledger(production):
    AIUseFactory(production=production, title="Building collapse in central Buenos Aires")
    return production
