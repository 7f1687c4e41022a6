"""The French catalogue is complete and compiled: no interface string falls back to English."""

from pathlib import Path

import polib
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


def test_every_string_has_a_french_translation():
    po = polib.pofile(str(CATALOGUE / "django.po"))

    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    po = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(CATALOGUE / "django.po"))}
    mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(CATALOGUE / "django.mo"))}

    assert mo == po, "run `python manage.py compilemessages -l fr` and commit the .mo"


def test_vocabulary_and_statuses_read_in_french():
    from productions.consent_status import ConsentStatus
    from productions.vocabularies import Phase

    with translation.override("fr"):
        assert str(ConsentStatus.COVERED.label) == "Couvert"
        assert str(Phase.VOICE_DUBBING.label) == "Voix et doublage"


def test_the_sign_in_page_switches_to_french(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    page = client.get(reverse("login")).content.decode()

    assert 'lang="fr"' in page
    assert "Se connecter" in page
