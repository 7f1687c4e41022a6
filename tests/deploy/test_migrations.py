"""The migrations describe the models as they are: a deployment that migrates gets the schema the tests ran on.

The suite builds its test databases from the models (`--nomigrations` in pyproject.toml: running the 45
migrations cost each test process some 20 s), so this test is what notices a model changed without its
migration. The migrations themselves run in `make run` and in the benchmark's smoke run in CI (bench/environment.py);
their data steps only change rows that exist, so an empty test database misses nothing by skipping them.
"""

from django.apps import apps
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState


def test_the_migrations_leave_nothing_for_makemigrations_to_write(settings):
    settings.MIGRATION_MODULES = {}  # pytest-django's --nomigrations hides them for the session
    loader = MigrationLoader(None, ignore_no_migrations=True)

    assert loader.detect_conflicts() == {}
    changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(graph=loader.graph)
    assert changes == {}, {app: [migration.operations for migration in found] for app, found in changes.items()}


def test_a_model_changed_without_its_migration_is_noticed(settings):
    settings.MIGRATION_MODULES = {}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    models_without_the_last_migration = loader.project_state(nodes=[("productions", "0001_initial")])

    changes = MigrationAutodetector(models_without_the_last_migration, ProjectState.from_apps(apps)).changes(
        graph=loader.graph
    )

    assert "productions" in changes
