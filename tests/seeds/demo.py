"""What the demo data tests share: the demo password and ways to read the database."""

from django.apps import apps
from django.contrib.auth import get_user_model

DEMO_PASSWORD = "reelproof-demo-2026"


def row_counts():
    """Rows of every production model, its history and many-to-many tables, and users."""
    models = [*apps.get_app_config("productions").get_models(include_auto_created=True), get_user_model()]
    return {model._meta.label: model.objects.count() for model in models}


def user(username):
    return get_user_model().objects.get(username=username)
