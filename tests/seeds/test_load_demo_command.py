"""Loading the demo data into an empty database: its refusals keep nothing, the command prints what it created,
and the demo's past events reach the inbox without an e-mail. (What the loaded demo holds: test_load_demo.py.)"""

import io
import shutil

import pytest
from django.core.management import call_command
from django.utils import timezone

from productions.models import Notification
from productions.vocabularies import NotificationEvent
from seeds.loader import DATA_DIR, load_demo
from tests.seeds.demo import DEMO_PASSWORD, row_counts, user


def test_the_demo_s_past_events_are_in_the_inbox_and_loading_e_mails_nobody(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()

    assert mailoutbox == []
    notifications = Notification.objects.all()
    assert notifications.filter(recipient=user("legal"), event=NotificationEvent.CONSENT_SUBMITTED).exists()
    assert notifications.filter(recipient=user("producer"), event=NotificationEvent.CONSENT_REVOKED).exists()
    assert not notifications.filter(emailed_at=None).exists()
    assert all(timezone.localdate(n.created_at) < timezone.localdate() for n in notifications)


def test_a_use_without_tracker_id_is_refused_and_nothing_is_kept(db, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    production_file = data_dir / "productions" / "el_eternauta.toml"
    production_file.write_text(
        production_file.read_text()
        + '\n[[ai_uses]]\nphase = "vfx"\ndepartment = "vfx"\ntitle = "Untracked shot"\ntool = "firefly"\n'
        + 'output_type = "image"\ndigital_source_type = "trainedAlgorithmicMedia"\n'
    )

    with pytest.raises(ValueError, match="Untracked shot"):
        load_demo(data_dir)

    assert set(row_counts().values()) == {0}


def test_a_consent_reviewed_after_it_expired_is_refused_and_nothing_is_kept(db, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    production_file = data_dir / "productions" / "iron_wanderer_s2.toml"
    text = production_file.read_text()
    assert '{ step = "approve", on = 2024-08-22 }' in text
    production_file.write_text(
        text.replace('{ step = "approve", on = 2024-08-22 }', '{ step = "approve", on = 2026-01-05 }')
    )

    with pytest.raises(ValueError, match="quint_background.*reviewed after it expired"):
        load_demo(data_dir)

    assert set(row_counts().values()) == {0}


def test_command_prints_what_it_created_and_the_logins(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = out.getvalue()

    assert "Demo data created: 5 users, 4 productions" in first
    assert f"producer / {DEMO_PASSWORD}" in first
    assert "Legal reviewer on El Eternauta (2025)" in first
    assert f"outsider / {DEMO_PASSWORD}\n      Member of no production" in first
    assert f"admin / {DEMO_PASSWORD}\n      Django admin at /admin/" in first

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing created" in out.getvalue()
    assert f"viewer / {DEMO_PASSWORD}" in out.getvalue()
