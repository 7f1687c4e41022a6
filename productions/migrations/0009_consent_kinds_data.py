# Data: SAG-AFTRA kinds, media as choices, reasons for earlier withdrawals.

from django.db import migrations

MEDIA_WORDS = {
    "theatrical": ("theatr", "cinema"),
    "television": ("television", "tv", "broadcast"),
    "streaming": ("stream", "svod", "online"),
    "home_video": ("home video", "dvd", "blu"),
    "festivals": ("festival",),
    "marketing": ("market", "trailer", "promo", "poster", "epk", "social"),
}
REASON = "consent lifecycle: kinds follow SAG-AFTRA, media as choices"


def follow_sag_aftra_kinds(apps, schema_editor):
    """A voice clone consent becomes a digital replica of the voice (SAG-AFTRA: the voice is inside replicas);
    free-text media are kept word for word in media_notes and read into choices; a withdrawal recorded before
    reasons were kept says so. Every changed consent gets a history entry with no user and this reason."""
    from django.utils import timezone

    Consent = apps.get_model("productions", "Consent")
    HistoricalConsent = apps.get_model("productions", "HistoricalConsent")
    names = [field.attname for field in Consent._meta.concrete_fields]
    now = timezone.now()
    for consent in Consent.objects.all():
        changed = False
        if consent.kind == "voice_clone":
            consent.kind, consent.covers_voice, consent.covers_likeness = "independent_replica", True, False
            changed = True
        if consent.media and not consent.media_notes:
            text = consent.media.lower()
            consent.media_notes = consent.media
            consent.media = ",".join(key for key, words in MEDIA_WORDS.items() if any(w in text for w in words))
            changed = True
        if consent.revoked_on and not consent.revocation_reason:
            consent.revocation_reason = "Withdrawal recorded before reasons were kept."
            changed = True
        if changed:
            consent.save()
            HistoricalConsent.objects.create(
                **{name: getattr(consent, name) for name in names},
                history_date=now,
                history_type="~",
                history_user=None,
                history_change_reason=REASON,
            )


def keep_media_text(apps, schema_editor):
    Consent = apps.get_model("productions", "Consent")
    for consent in Consent.objects.exclude(media_notes=""):
        consent.media = consent.media_notes[:200]
        consent.save(update_fields=["media"])


class Migration(migrations.Migration):
    dependencies = [("productions", "0008_consent_lifecycle")]

    operations = [migrations.RunPython(follow_sag_aftra_kinds, keep_media_text)]
