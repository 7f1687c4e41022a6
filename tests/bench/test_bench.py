"""The benchmark's own parts that could silently measure the wrong thing: the floor page, copied productions,
and the choice of database. (Timings are the benchmark's, never a test's.)"""

from collections import Counter

import pytest
from django.urls import reverse

from bench import data, environment
from productions.consent_status import consent_statuses
from productions.models import AIUse, Consent, CoverageDecision, Person
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_data(monkeypatch):
    """bench.data keeps its tools and productions for the whole run; each test has its own database."""
    monkeypatch.setattr(data, "_tools", [])
    monkeypatch.setattr(data, "_productions", {})
    monkeypatch.setattr(data, "_neighbours", [])
    data.seed()


def _records(production):
    uses = AIUse.objects.filter(production=production)
    return {
        "uses": sorted(uses.values_list("title", "external_id", "tracker_key", "phase", "tool_id", "is_final")),
        "people": sorted(Person.objects.filter(production=production).values_list("name", "union")),
        "consents": sorted(Consent.objects.filter(person__production=production).values_list("kind", "review_state")),
        "people_links": sorted(
            AIUse.people.through.objects.filter(aiuse__production=production).values_list(
                "aiuse__external_id", "person__name"
            )
        ),
        "consent_links": sorted(
            AIUse.consents.through.objects.filter(aiuse__production=production).values_list(
                "aiuse__external_id", "consent__kind", "consent__person__name"
            )
        ),
        "decisions": sorted(
            CoverageDecision.objects.filter(ai_use__production=production).values_list(
                "ai_use__external_id", "decision", "consent_scope", "use_facts"
            )
        ),
        "statuses": Counter(consent_statuses(uses).values()),
    }


@pytest.mark.django_db
def test_a_copied_production_holds_the_same_records_under_new_ids():
    source, _producer = data.make_production(final=60, temporary=20)
    before = _records(source)

    copy, producer = data.copy_production(source, title="Copy")

    assert copy.pk != source.pk and copy.memberships.get().user == producer
    assert _records(copy) == before
    assert _records(source) == before
    assert before["people_links"] and before["decisions"], "the sample must hold links and decisions to copy"
    copied_uses = set(AIUse.objects.filter(production=copy).values_list("pk", flat=True))
    assert copied_uses.isdisjoint(AIUse.objects.filter(production=source).values_list("pk", flat=True))
    # The copy's links point at its own people and consents, never back at the source's.
    assert not AIUse.people.through.objects.filter(aiuse__production=copy).exclude(person__production=copy).exists()
    assert not CoverageDecision.objects.filter(ai_use__production=copy).exclude(consent__person__production=copy)


@pytest.mark.django_db
def test_the_neighbours_are_one_generated_production_and_its_copies_built_once():
    neighbours = data.neighbours(3, 20)

    assert len(neighbours) == 3
    assert [AIUse.objects.filter(production=production).count() for production, _user in neighbours] == [20] * 3
    assert data.neighbours(3, 20) is neighbours


@pytest.mark.django_db
@pytest.mark.urls("bench.urls")
def test_the_floor_page_shows_fifty_uses_with_their_tool_to_members_only(client, django_assert_max_num_queries):
    production, producer = data.make_production(final=70)
    url = reverse("bench-floor", args=[production.pk])
    first_uses = AIUse.objects.filter(production=production).select_related("tool").order_by("tracker_sort", "pk")

    client.force_login(producer)
    with django_assert_max_num_queries(8):
        response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<tr><td>") == 50
    assert first_uses[0].external_id in page and str(first_uses[0].tool or "—") in page
    assert first_uses[50].external_id not in page
    assert production.title in page and "production-nav" in page  # the app's layout, with the production's nav

    client.force_login(MembershipFactory(user=UserFactory(username="oscar")).user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_database_is_chosen_by_bench_database(monkeypatch, tmp_path):
    monkeypatch.setenv("BENCH_DATABASE", "sqlite")
    assert environment._choose_database(tmp_path) == f"sqlite:///{tmp_path / 'bench.sqlite3'}"

    monkeypatch.setenv("BENCH_DATABASE", "mysql")
    with pytest.raises(SystemExit, match="postgres or sqlite"):
        environment._choose_database(tmp_path)
