"""Editions under concurrent writes, on PostgreSQL with threads: numbers never collide, one withdrawal wins."""

import datetime
import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from disclosure.documents import editions
from disclosure.models import DocumentKind, Edition, EditionStatus
from tests.factories import AIUseFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ON = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        reason = f"needs PostgreSQL for row locks (using {connection.vendor})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " (REQUIRE_SERVICES=1)")
        pytest.skip(reason)


def run_together(*calls):
    """Start every call at once in its own thread (and database connection); their results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the test reads which call lost and how
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


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
