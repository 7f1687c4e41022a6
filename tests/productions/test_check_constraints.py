"""A record's check constraints are validated together, in one query, and refuse exactly what Django's own
validation refuses, with the same messages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext

from productions.models import Consent
from productions.vocabularies import DeepFake, OutputType, ReviewState
from tests.factories import AIUseFactory, ConsentFactory


def errors_of(validate):
    """The error dictionary a validation raises, or None if it passes."""
    try:
        validate()
    except ValidationError as error:
        return error.message_dict
    return None


def django_alone(instance, exclude=None):
    """Django's own validation: each constraint by a query of its own."""
    return errors_of(lambda: models.Model.validate_constraints(instance, exclude=exclude))


def ours(instance, exclude=None):
    return errors_of(lambda: instance.validate_constraints(exclude=exclude))


def checks_of(queries):
    return [query["sql"] for query in queries if '"_check"' in query["sql"]]


@pytest.fixture
def consent(db):
    return ConsentFactory(expires_on=datetime.date(2027, 3, 1))


def test_a_valid_consent_passes_its_nine_check_constraints_in_one_query(consent):
    assert len([c for c in Consent._meta.constraints if isinstance(c, models.CheckConstraint)]) == 9

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert ours(consent) is None
    # One check, in one savepoint, against nine checks and eighteen savepoint statements.
    assert len(checks_of(queries)) == 1
    assert len(queries) == 3
    assert django_alone(consent) is None


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "not-a-kind"},
        {"review_state": ReviewState.APPROVED},  # approved without reviewed_at
        {"expires_on": datetime.date(2026, 1, 1)},  # before its signature
        {"revoked_on": datetime.date(2026, 4, 1)},  # no revocation reason
        # Two at once: both are named.
        {"expires_on": datetime.date(2026, 1, 1), "revoked_on": datetime.date(2026, 2, 1)},
        {"review_state": ReviewState.REJECTED, "reviewed_at": None, "kind": "?"},
    ],
)
def test_a_consent_breaking_constraints_gets_django_s_own_errors(consent, change):
    for name, value in change.items():
        setattr(consent, name, value)

    errors = ours(consent)

    assert errors is not None
    assert errors == django_alone(consent)


def test_a_constraint_on_an_excluded_field_is_skipped_as_django_skips_it(consent):
    consent.expires_on = datetime.date(2026, 1, 1)  # breaks consent_expires_after_signature, on expires_on
    consent.kind = "not-a-kind"

    assert ours(consent, exclude={"expires_on"}) == django_alone(consent, exclude={"expires_on"})
    assert "consent_expires_after_signature" not in str(ours(consent, exclude={"expires_on"}))
    consent.kind = Consent._meta.get_field("kind").choices[0][0]
    assert ours(consent, exclude={"expires_on"}) is None


def test_an_ai_use_s_check_constraints_refuse_what_django_refuses(db):
    ai_use = AIUseFactory()
    assert ours(ai_use) is None

    ai_use.deep_fake = DeepFake.YES
    ai_use.output_type = OutputType.TEXT  # a text is no deep fake (Art. 3(60): image, audio or video)

    errors = ours(ai_use)
    assert errors is not None
    assert errors == django_alone(ai_use)
    with pytest.raises(ValidationError):
        ai_use.full_clean()
