"""The ledger, its API list and the dashboard at scale (issue 16): pages read from indexes in the orders offered,
deep pages found by their ids, consent statuses read from those the production keeps, the dashboard's counts in one
pass. Same rows, same order, same counts as before; fewer queries."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from productions.consent_status import ConsentStatus, consent_statuses
from productions.filters import SORTS
from productions.models import AIUse, pipeline_order
from productions.vocabularies import Phase
from tests.api.conftest import api
from tests.factories import AIToolFactory, AIUseFactory, many_uses
from tests.productions.test_views_home import DASHBOARD_QUERIES, dashboard_url
from tests.productions.test_views_ledger import (
    LEDGER_QUERIES_FILTERED_ON_CONSENT,
    STATUS_RECOMPUTE_QUERIES,
    bulk_ledger,
    ledger_url,
)

# The filtered ledger's page reads the kept statuses in its own query: the five queries of plain values that
# computed the page's statuses are gone.
LEDGER_QUERIES_FILTERED_ON_KEPT_STATUSES = LEDGER_QUERIES_FILTERED_ON_CONSENT - 5
# The uses are counted by phase and tool in one query.
DASHBOARD_QUERIES_IN_ONE_PASS = DASHBOARD_QUERIES - 1


def in_pipeline_order(production, sort="phase"):
    """The production's use ids in a ledger order, as a plain query sorts them."""
    uses = AIUse.objects.filter(production=production).annotate(phase_order=pipeline_order())
    return list(uses.order_by(*SORTS[sort][0]).values_list("pk", flat=True))


@pytest.fixture
def long_ledger(production, producer):
    """120 uses over every phase, with titles that tie and sort naturally ("shot 9" before "shot 10")."""
    tool = AIToolFactory()
    many_uses(
        production,
        [
            {
                "phase": Phase.values[number * 7 % len(Phase.values)],
                "title": f"Shot {number % 13}",
                "external_id": f"SQ{number % 4:03d}_SH{number:04d}",
                "tool": tool if number % 3 else None,
            }
            for number in range(120)
        ],
        actor=producer,
    )
    return production


@pytest.mark.parametrize("sort", ["phase", "-phase", "title", "-external_id", "tool", "-updated_at"])
def test_every_page_holds_the_uses_of_the_ledger_order(client, viewer, long_ledger, sort):
    expected = in_pipeline_order(long_ledger, sort)
    client.force_login(viewer)

    shown = []
    for page in (1, 2, 3):
        response = client.get(ledger_url(long_ledger, sort=sort, page=page))
        shown += [ai_use.pk for ai_use in response.context["uses"]]

    assert shown == expected
    assert response.context["page_obj"].paginator.count == 120


def test_a_page_past_the_last_shows_the_last(client, viewer, long_ledger):
    client.force_login(viewer)

    response = client.get(ledger_url(long_ledger, page=99))

    assert [ai_use.pk for ai_use in response.context["uses"]] == in_pipeline_order(long_ledger)[100:]
    assert "Page 3 of 3" in response.text


def test_a_filtered_page_shows_only_matching_uses_in_order(client, viewer, long_ledger):
    client.force_login(viewer)

    response = client.get(ledger_url(long_ledger, sequence="SQ002", sort="-title"))

    matching = set(AIUse.objects.filter(production=long_ledger, sequence="SQ002").values_list("pk", flat=True))
    assert [ai_use.pk for ai_use in response.context["uses"]] == [
        pk for pk in in_pipeline_order(long_ledger, "-title") if pk in matching
    ]


def test_an_outsider_reads_no_page_of_the_ledger(client, outsider, long_ledger):
    client.force_login(outsider)

    assert client.get(ledger_url(long_ledger, page=2)).status_code == 404


@pytest.mark.parametrize("count", [20, 300])
def test_the_ledger_filtered_on_consent_reads_the_kept_statuses_with_its_page(
    client, producer, production, django_assert_max_num_queries, count
):
    bulk_ledger(production, count)
    client.force_login(producer)
    client.get(ledger_url(production, consent_status="blocked"))  # recomputes the kept statuses after the writes
    cache.clear()  # the table built again (productions.kept_pages), on the kept statuses

    with django_assert_max_num_queries(LEDGER_QUERIES_FILTERED_ON_KEPT_STATUSES):
        response = client.get(ledger_url(production, consent_status="blocked"))

    uses = response.context["uses"]
    computed = consent_statuses(AIUse.objects.filter(pk__in=[ai_use.pk for ai_use in uses]))
    assert len(uses) == min(50, count // 4)
    assert {ai_use.pk: ai_use.consent_status for ai_use in uses} == computed
    assert {ai_use.consent_status for ai_use in uses} == {ConsentStatus.MISSING}
    assert all(ai_use.blocked for ai_use in uses)
    assert response.text.count("status-missing") == len(uses)


def test_uses_needing_no_consent_show_it_when_filtered(client, viewer, production):
    bulk_ledger(production, 8)
    client.force_login(viewer)

    response = client.get(ledger_url(production, consent_status="not_needed"))

    assert {ai_use.consent_status for ai_use in response.context["uses"]} == {ConsentStatus.NOT_NEEDED}
    assert len(response.context["uses"]) == 4


@pytest.mark.parametrize("count", [20, 300])
def test_the_dashboard_counts_phases_and_tools_in_one_query(
    client, producer, production, django_assert_max_num_queries, count
):
    tools = [AIToolFactory(), AIToolFactory()]
    AIUse.objects.bulk_create(
        AIUseFactory.build(
            production=production,
            phase=Phase.values[number % 5],
            is_final=number % 2 == 0,
            tool=tools[number % 3] if number % 3 < 2 else None,
        )
        for number in range(count)
    )
    client.force_login(producer)
    with django_assert_max_num_queries(DASHBOARD_QUERIES_IN_ONE_PASS + STATUS_RECOMPUTE_QUERIES):
        client.get(dashboard_url(production))

    with django_assert_max_num_queries(DASHBOARD_QUERIES_IN_ONE_PASS):
        response = client.get(dashboard_url(production))

    context = response.context
    assert context["use_count"] == count
    assert context["without_tool"] == AIUse.objects.filter(production=production, tool=None).count()
    assert sum(row["without_tool"] for row in context["phases"]) == context["without_tool"]
    assert {tool.pk: tool.use_count for tool in context["tools"]} == {
        tool.pk: AIUse.objects.filter(production=production, tool=tool).count() for tool in tools
    }


def test_the_api_list_gives_each_use_its_coverage(client, producer, production):
    bulk_ledger(production, 8)
    client.force_login(producer)

    response = client.get(api(f"productions/{production.pk}/ai-uses/"))

    coverage = {ai_use["id"]: ai_use["coverage"] for ai_use in response.json()["results"]}
    relying = set(AIUse.objects.filter(production=production, consents__isnull=False).values_list("pk", flat=True))
    assert len(relying) == 2
    assert {pk for pk, entries in coverage.items() if entries} == relying
    assert all(entries == [] for pk, entries in coverage.items() if pk not in relying)
    assert {entry["coverage"] for pk in relying for entry in coverage[pk]} == {"covers"}


# The indexes the orders are read from


def test_the_ledger_orders_by_the_expression_its_index_holds():
    index = next(index for index in AIUse._meta.indexes if index.name == "aiuse_pipeline_order")

    assert pipeline_order() in index.expressions
    assert SORTS["phase"][0] == ("phase_order", "title_sort", "pk")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize(
    "ordering",
    [("phase_order", "title_sort", "pk"), ("phase", "title_sort", "id")],
)
def test_a_page_in_a_default_order_is_read_from_an_index_without_sorting(production, ordering):
    AIUseFactory.create_batch(3, production=production)
    uses = AIUse.objects.filter(production=production).annotate(phase_order=pipeline_order()).order_by(*ordering)
    with transaction.atomic(), connection.cursor() as cursor:
        # A table this small is cheaper to sort: forbid it, so that only an index in the order can answer.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = uses[:50].explain()

    assert "Sort" not in plan
    assert "Index" in plan
