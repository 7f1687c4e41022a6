"""Shared fixtures: one production with a producer, a legal reviewer, a viewer and an outsider."""

import pytest

from productions.vocabularies import Role
from tests.factories import MembershipFactory, ProductionFactory, UserFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def production(db):
    return ProductionFactory(title="El Eternauta")


@pytest.fixture
def producer(production):
    return MembershipFactory(production=production, user=UserFactory(username="paula"), role=Role.PRODUCER).user


@pytest.fixture
def legal(production):
    return MembershipFactory(production=production, user=UserFactory(username="lea"), role=Role.LEGAL).user


@pytest.fixture
def viewer(production):
    return MembershipFactory(production=production, user=UserFactory(username="victor"), role=Role.VIEWER).user


@pytest.fixture
def outsider(db):
    """Belongs to another production only: sees nothing of `production`."""
    other = MembershipFactory(user=UserFactory(username="oscar"), role=Role.PRODUCER)
    return other.user
