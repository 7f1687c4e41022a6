"""The address printed in PDFs follows how the app is served; a deployment refuses a loopback address."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from config.celery import _refuse_a_loopback_public_address
from disclosure.checks import public_url, refuse_to_start
from disclosure.documents import jobs, requests
from disclosure.models import DocumentKind


@pytest.fixture
def deployed(settings):
    """DEBUG off and no loopback allowance, as on a server; the suite itself allows loopback."""
    settings.DEBUG = False
    settings.REELPROOF_ALLOW_LOOPBACK = False
    return settings


def ids(messages):
    return [message.id for message in messages]


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://localhost:8123", "http://[::1]:8000", "http://127.0.1.1", "http://x.localhost"],
)
def test_a_loopback_address_is_refused_with_debug_off(deployed, url):
    deployed.REELPROOF_PUBLIC_URL = url

    assert ids(public_url()) == ["reelproof.E002"]
    with pytest.raises(ImproperlyConfigured, match="loopback address"):
        refuse_to_start()


def test_the_deployment_check_and_the_worker_refuse_it_too(deployed):
    with pytest.raises(SystemCheckError, match="reelproof.E002"):
        call_command("check", deploy=True)
    with pytest.raises(SystemExit, match="Refusing to start"):
        _refuse_a_loopback_public_address()


def test_other_management_commands_are_not_held_up_by_it(deployed):
    call_command("check")  # what makemigrations, migrate and export_disclosure run


@pytest.mark.parametrize("url", ["https://reelproof.example.org", "http://192.168.1.20:8000", "https://10.0.0.5"])
def test_a_public_address_is_accepted(deployed, url):
    deployed.REELPROOF_PUBLIC_URL = url

    assert public_url() == []
    refuse_to_start()


def test_loopback_is_allowed_with_debug_on_or_when_allowed(deployed):
    deployed.DEBUG = True
    assert public_url() == []
    deployed.DEBUG = False
    deployed.REELPROOF_ALLOW_LOOPBACK = True
    assert public_url() == []


@pytest.mark.parametrize("url", ["reelproof.example.org", "ftp://reelproof.example.org", "https://"])
def test_an_address_that_is_not_http_is_refused_even_in_debug(settings, url):
    settings.DEBUG = True
    settings.REELPROOF_PUBLIC_URL = url

    assert ids(public_url()) == ["reelproof.E001"]


def test_the_pdf_prints_the_address_it_is_served_at(ledger, fast_pdf, settings):
    settings.REELPROOF_PUBLIC_URL = "http://127.0.0.1:8123"  # what `make run PORT=8123` sets
    document, _created = requests.request_document(
        production=ledger, kind=DocumentKind.STATEMENT, language="en", on=datetime.date(2026, 11, 20), queue=False
    )

    jobs.render(document.id)

    (html,) = fast_pdf
    assert f"http://127.0.0.1:8123/verify/{document.id}/" in html
    assert "127.0.0.1:8000" not in html
