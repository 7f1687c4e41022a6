"""The attestations' part of the records revision, indexed as productions' migration 0015 explains."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0005_editions"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX hist_attestation_revision ON disclosure_historicalchecklistattestation"
            " (production_id, history_id)",
            "DROP INDEX hist_attestation_revision",
        ),
    ]
