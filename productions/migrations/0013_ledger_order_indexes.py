from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes in the ledger's and the API's default orders: a page of 50 is read from an index at any size, instead
    of all the production's uses being sorted for each page. The second starts with the index it replaces."""

    dependencies = [
        ("productions", "0012_kept_consent_statuses"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="aiuse",
            name="productions_product_37e32c_idx",
        ),
        migrations.AddIndex(
            model_name="aiuse",
            index=models.Index(
                models.F("production"),
                # productions.models.pipeline_order() as it is today: migrations are frozen.
                models.Case(
                    models.When(phase="development", then=models.Value(0)),
                    models.When(phase="pre_production", then=models.Value(1)),
                    models.When(phase="set_design", then=models.Value(2)),
                    models.When(phase="casting", then=models.Value(3)),
                    models.When(phase="on_set", then=models.Value(4)),
                    models.When(phase="vfx", then=models.Value(5)),
                    models.When(phase="post_picture", then=models.Value(6)),
                    models.When(phase="sound_music", then=models.Value(7)),
                    models.When(phase="voice_dubbing", then=models.Value(8)),
                    models.When(phase="subtitles_accessibility", then=models.Value(9)),
                    models.When(phase="restoration", then=models.Value(10)),
                    models.When(phase="marketing", then=models.Value(11)),
                    output_field=models.IntegerField(),
                ),
                models.F("title_sort"),
                models.F("id"),
                include=["phase"],
                name="aiuse_pipeline_order",
            ),
        ),
        migrations.AddIndex(
            model_name="aiuse",
            index=models.Index(
                fields=["production", "phase", "title_sort", "id"],
                include=["is_final", "deep_fake", "tool"],
                name="aiuse_phase_order",
            ),
        ),
    ]
