"""Every list of the API costs a fixed number of queries, however many records it holds."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.models import DisclosureDocument, DocumentKind
from productions.vocabularies import ReviewState, Role
from tests.api.conftest import api
from tests.factories import (
    AIToolFactory,
    LiteracyMeasureFactory,
    MembershipFactory,
    ProductionFactory,
    UserFactory,
    uses_relying_on_consents,
)


def fill(production, viewer, count):
    approved = {"review_state": ReviewState.APPROVED, "reviewed_by": viewer, "reviewed_at": timezone.now()}
    uses_relying_on_consents(production, count, tool=AIToolFactory(), actor=viewer, consent=approved)
    for index in range(count):
        LiteracyMeasureFactory(production=production)
        MembershipFactory(production=production, user=UserFactory(), role=Role.VIEWER)
        MembershipFactory(production=ProductionFactory(), user=viewer, role=Role.VIEWER)
        AIToolFactory()
        DisclosureDocument.objects.create(
            production=production,
            kind=DocumentKind.STATEMENT,
            language="en",
            assessment_date=datetime.date(2026, 9, 1),
            production_title=production.title,
            requested_by=viewer,
            content_hash=f"{index:064d}",
        )


LISTS = [
    "productions/",
    "tools/",
    "productions/{pk}/members/",
    "productions/{pk}/people/",
    "productions/{pk}/ai-uses/",
    "productions/{pk}/consents/",
    "productions/{pk}/literacy-measures/",
    "productions/{pk}/documents/",
    "productions/{pk}/checklist/",
]


def query_counts(client, production):
    client.get(api("tools/"))  # the token's first use of the minute is stamped once, not measured here
    counts = {}
    for path in LISTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(api(path.format(pk=production.pk)), {"page_size": 500})
        assert response.status_code == 200, (path, response.content)
        counts[path] = len(queries)
    return counts


def test_each_list_costs_the_same_for_10_or_200_records(as_viewer, viewer, production):
    fill(production, viewer, 10)
    with_10 = query_counts(as_viewer, production)
    fill(production, viewer, 190)
    with_200 = query_counts(as_viewer, production)

    assert with_200 == with_10
    # The checklist reads the uses' consent statuses, legal's coverage decisions included, as plain values, and
    # their tools once each (one query more than a join, for a tool per tool rather than per use).
    assert max(with_200.values()) <= 9, with_200
