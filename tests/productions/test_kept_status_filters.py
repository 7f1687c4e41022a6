"""The ledger's and the API's consent-status filters list the uses whose statuses the records give (kept statuses,
productions.kept_statuses). Apart from tests/productions/test_kept_statuses.py: the records written once for this
module stay in a transaction its race tests, which truncate the tables, could not run beside."""

import pytest
from django.urls import reverse

from productions.consent_status import BLOCKING_STATUSES, ConsentStatus, consent_statuses
from productions.models import AIUse
from productions.vocabularies import Phase, Role
from tests.factories import MembershipFactory, ProductionFactory, UserFactory
from tests.module_data import kept_for_module
from tests.productions.test_kept_statuses import every_case, page_ids


@pytest.fixture(scope="module")
def cases(django_db_setup, django_db_blocker, tmp_path_factory):
    """A production with a use for every case, written once for the filters' ten tests (tests/module_data.py)."""

    def build():
        production = ProductionFactory()
        producer = MembershipFactory(production=production, user=UserFactory(), role=Role.PRODUCER).user
        return production, producer, every_case(production)

    yield from kept_for_module(django_db_blocker, tmp_path_factory.mktemp("cases"), build)


@pytest.mark.parametrize("status", [*ConsentStatus.values, "blocked"])
def test_the_ledger_and_api_filters_list_the_uses_the_records_give(client, cases, db, status):
    _folder, (production, producer, uses) = cases
    client.force_login(producer)
    today = {pk: str(value) for pk, value in consent_statuses(AIUse.objects.filter(production=production)).items()}
    wanted = set(BLOCKING_STATUSES) if status == "blocked" else {status}
    expected = {pk for pk, value in today.items() if value in wanted}
    assert len(uses) < 50  # one page

    ledger = client.get(reverse("productions:ledger", args=[production.pk]), {"consent_status": status})
    assert page_ids(ledger) == expected
    # Counted on the kept statuses alone (the only filter), or on the uses for "not needed", which keep none.
    assert ledger.context["page_obj"].paginator.count == len(expected)

    api = f"/api/v1/productions/{production.pk}/ai-uses/"
    query = {"blocked": "true"} if status == "blocked" else {"consent_status": status}
    listed = client.get(api, query).json()
    assert {row["id"] for row in listed["results"]} == expected
    assert listed["count"] == len(expected)
    if status == "blocked":
        unblocked = client.get(api, {"blocked": "false"}).json()
        assert {row["id"] for row in unblocked["results"]} == set(today) - expected


def test_with_another_filter_the_consent_filter_is_counted_on_the_uses_it_keeps(client, cases, db):
    _folder, (production, producer, uses) = cases
    client.force_login(producer)
    blocked = {
        pk
        for pk, value in consent_statuses(AIUse.objects.filter(production=production)).items()
        if value in BLOCKING_STATUSES
    }
    # One blocked use in a phase of its own (a phase reads no consent: the statuses stay as they are).
    AIUse.objects.filter(pk=min(blocked)).update(phase=Phase.MARKETING)
    AIUse.objects.filter(pk__in=blocked - {min(blocked)}, phase=Phase.MARKETING).update(phase=Phase.VFX)
    phase = Phase.MARKETING
    expected = {min(blocked)}
    assert expected != blocked  # the phase narrows the blocked uses

    ledger = client.get(
        reverse("productions:ledger", args=[production.pk]), {"consent_status": "blocked", "phase": phase}
    )
    assert page_ids(ledger) == expected
    assert ledger.context["page_obj"].paginator.count == len(expected)

    listed = client.get(f"/api/v1/productions/{production.pk}/ai-uses/", {"blocked": "true", "phase": phase}).json()
    assert {row["id"] for row in listed["results"]} == expected
    assert listed["count"] == len(expected)
