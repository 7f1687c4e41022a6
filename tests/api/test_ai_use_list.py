"""The list of AI uses writes each use exactly as AIUseSerializer writes it alone, through DRF's generic walk.

The list has its own way of writing a page (AIUseListSerializer, for speed); these tests hold it to the generic
one on the demo productions, on dates before, during and after their consents' terms, with and without filters.
"""

import datetime

import pytest
from rest_framework.renderers import JSONRenderer

from productions import selectors
from productions.api.serializers import AIUseSerializer
from productions.models import AIUse, Membership, Production
from tests.api.conftest import api, token_client

DATES = [None, datetime.date(2020, 1, 1), datetime.date(2026, 11, 20), datetime.date(2031, 6, 1)]


def written_alone(user, production, ids, on):
    """The uses of these ids, in this order, each written by AIUseSerializer alone (as a retrieve writes it)."""
    uses = {use.pk: use for use in selectors.ai_uses_for(user, production).filter(pk__in=ids)}
    context = {"production": production, "on": on}
    return JSONRenderer().render([AIUseSerializer(uses[pk], context=context).data for pk in ids])


@pytest.mark.parametrize("on", DATES, ids=str)
@pytest.mark.parametrize("query", [{}, {"blocked": "true"}, {"blocked": "false"}, {"ordering": "-title"}], ids=str)
def test_each_listed_use_is_written_as_the_serializer_writes_it_alone(demo, on, query):
    assert AIUse.objects.filter(coverage_decisions__isnull=False).exists()  # the demo decides some coverage
    for production in Production.objects.order_by("pk"):
        user = Membership.objects.filter(production=production).order_by("pk").first().user
        params = {"page_size": 500, **query, **({"on": on.isoformat()} if on else {})}
        response = token_client(user).get(api(f"productions/{production.pk}/ai-uses/"), params)
        assert response.status_code == 200, response.content
        listed = response.json()["results"]
        ids = [use["id"] for use in listed]
        assert JSONRenderer().render(listed) == written_alone(user, production, ids, on), production.title


@pytest.mark.parametrize("ordering", [None, "-title", "phase,-external_id", "-updated_at", "external_id"], ids=str)
def test_pages_read_from_either_end_follow_each_other_in_the_list_order(demo, ordering):
    production = max(Production.objects.all(), key=lambda production: production.ai_uses.count())
    user = Membership.objects.filter(production=production).order_by("pk").first().user
    client = token_client(user)
    url = api(f"productions/{production.pk}/ai-uses/")
    query = {"ordering": ordering} if ordering else {}
    whole = [use["id"] for use in client.get(url, {**query, "page_size": 500}).json()["results"]]
    assert len(whole) > 6
    for size in (2, 3):
        pages = -(-len(whole) // size)
        read = [
            use["id"]
            for page in range(1, pages + 1)
            for use in client.get(url, {**query, "page_size": size, "page": page}).json()["results"]
        ]
        assert read == whole, size
