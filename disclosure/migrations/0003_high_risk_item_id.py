"""The checklist item "high-risk-casting" became "high-risk" (Annex III 1(b), 1(c) and 4(a)): its attestations follow."""

from django.db import migrations


def rename(apps, schema_editor, old, new):
    for model_name in ("ChecklistAttestation", "HistoricalChecklistAttestation"):
        apps.get_model("disclosure", model_name).objects.filter(item_id=old).update(item_id=new)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, "high-risk-casting", "high-risk")


def backwards(apps, schema_editor):
    rename(apps, schema_editor, "high-risk", "high-risk-casting")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_document_request_key")]

    operations = [migrations.RunPython(forwards, backwards)]
