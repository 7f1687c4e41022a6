"""Editions under concurrent writes, on PostgreSQL with threads: numbers never collide, one withdrawal wins."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from disclosure.documents import editions
from disclosure.models import DocumentKind, Edition, EditionStatus
from tests.factories import AIUseFactory
from tests.races import require_postgresql, run_together

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ON = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _postgresql():
    require_postgresql()


def issuing(production, producer):
    return lambda: editions.issue(
        actor=producer, production=production, kind=DocumentKind.STATEMENT, on=ON, signatory="Matías Mosteirín"
    )


def test_editions_issued_at_once_get_distinct_numbers_and_the_newest_supersedes(production, producer, fast_pdf):
    AIUseFactory(production=production, title="Building collapse in central Buenos Aires")

    outcomes = run_together(*(issuing(production, producer) for _ in range(4)))

    assert all(isinstance(outcome, Edition) for outcome in outcomes), outcomes
    issued = list(Edition.objects.filter(production=production).order_by("number"))
    assert [edition.number for edition in issued] == [1, 2, 3, 4]
    assert all(edition.status == EditionStatus.ISSUED for edition in issued)
    current = [edition for edition in issued if edition.superseded_by_id is None]
    assert current == [issued[-1]], "exactly one edition is current: the newest"


def test_two_withdrawals_at_once_record_one_and_refuse_the_other(production, producer, fast_pdf):
    AIUseFactory(production=production, title="Building collapse in central Buenos Aires")
    edition = issuing(production, producer)()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.ISSUED

    outcomes = run_together(
        lambda: editions.withdraw(actor=producer, edition=edition, reason="Issued over the wrong cut."),
        lambda: editions.withdraw(actor=producer, edition=edition, reason="Signatory left the company."),
    )

    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    recorded = [outcome for outcome in outcomes if isinstance(outcome, Edition)]
    assert len(refused) == 1 and len(recorded) == 1, outcomes
    edition.refresh_from_db()
    assert edition.status == EditionStatus.WITHDRAWN
    assert edition.withdrawal_reason == recorded[0].withdrawal_reason
    assert edition.history.filter(history_change_reason="edition withdrawn").count() == 1
