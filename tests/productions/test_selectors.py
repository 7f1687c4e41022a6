"""Reading production records: each user sees their own productions and nothing of the others."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from productions import selectors
from productions.vocabularies import ReviewState, Role
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    LiteracyMeasureFactory,
    MembershipFactory,
    PersonFactory,
    ProductionFactory,
)


@pytest.fixture
def elsewhere(outsider):
    """The outsider's own production."""
    return outsider.memberships.get().production


def one_of_everything(production):
    person = PersonFactory(production=production)
    consent = ConsentFactory(person=person)
    return {
        "production": production,
        "membership": MembershipFactory(production=production, role=Role.VIEWER),
        "person": person,
        "consent": consent,
        "ai_use": AIUseFactory(production=production, people=[person], consents=[consent]),
        "literacy_measure": LiteracyMeasureFactory(production=production),
    }


# Productions


def test_a_user_sees_their_productions_with_their_role_on_each(production, producer, legal, elsewhere):
    MembershipFactory(production=elsewhere, user=legal, role=Role.VIEWER)
    ProductionFactory(title="Nobody's business")

    assert [(p.title, p.role) for p in selectors.productions_for(producer)] == [("El Eternauta", Role.PRODUCER)]
    assert sorted((p.title, p.role) for p in selectors.productions_for(legal)) == sorted(
        [("El Eternauta", Role.LEGAL), (elsewhere.title, Role.VIEWER)]
    )


def test_an_outsider_does_not_see_the_production(production, outsider, elsewhere):
    assert list(selectors.productions_for(outsider)) == [elsewhere]


def test_an_anonymous_visitor_sees_no_production_not_even_one_left_without_members(production, producer):
    ProductionFactory(title="Orphaned after its only member's account was deleted")

    assert list(selectors.productions_for(AnonymousUser())) == []
    assert list(selectors.people_for(AnonymousUser())) == []
    assert list(selectors.ai_uses_for(AnonymousUser())) == []


# One record at a time

GETTERS = {
    "production": selectors.get_production,
    "membership": selectors.get_membership,
    "person": selectors.get_person,
    "consent": selectors.get_consent,
    "ai_use": selectors.get_ai_use,
    "literacy_measure": selectors.get_literacy_measure,
}


@pytest.mark.parametrize("kind", GETTERS)
def test_a_member_gets_a_record_of_their_production(production, viewer, kind):
    record = one_of_everything(production)[kind]

    assert GETTERS[kind](viewer, record.pk) == record


@pytest.mark.parametrize("kind", GETTERS)
def test_a_record_of_another_production_does_not_exist_for_an_outsider(production, outsider, kind):
    record = one_of_everything(production)[kind]

    with pytest.raises(Http404):
        GETTERS[kind](outsider, record.pk)


# Lists

LISTS = {
    "members": lambda user, production: selectors.members_of(user, production),
    "people": selectors.people_for,
    "consents": selectors.consents_for,
    "ai_uses": selectors.ai_uses_for,
    "literacy_measures": selectors.literacy_measures_for,
}


def production_of(row):
    return row.production if hasattr(row, "production") else row.person.production


@pytest.mark.parametrize("kind", sorted(set(LISTS) - {"members"}))
def test_lists_hold_only_the_users_productions(production, producer, outsider, elsewhere, kind):
    one_of_everything(production)
    one_of_everything(elsewhere)

    assert {production_of(row) for row in LISTS[kind](producer)} == {production}
    assert {production_of(row) for row in LISTS[kind](outsider)} == {elsewhere}


@pytest.mark.parametrize("kind", LISTS)
def test_asking_for_another_productions_list_gives_nothing(production, producer, outsider, elsewhere, kind):
    one_of_everything(production)
    one_of_everything(elsewhere)

    assert list(LISTS[kind](outsider, production)) == []
    assert {production_of(row) for row in LISTS[kind](producer, production)} == {production}


def test_members_are_listed_by_name(production, producer, legal, viewer):
    assert [m.user.username for m in selectors.members_of(viewer, production)] == ["lea", "paula", "victor"]


# Review queue


def test_legal_sees_submitted_consents_awaiting_review(production, legal):
    person = PersonFactory(production=production)
    submitted = ConsentFactory(person=person, review_state=ReviewState.SUBMITTED)
    ConsentFactory(person=person)  # a draft is not ready for review

    assert list(selectors.consents_awaiting_review(legal)) == [submitted]


@pytest.mark.parametrize("role", ["producer", "viewer"])
def test_only_legal_members_have_a_review_queue(request, production, legal, role):
    member = request.getfixturevalue(role)
    ConsentFactory(person__production=production, review_state=ReviewState.SUBMITTED)

    assert list(selectors.consents_awaiting_review(member)) == []


def test_the_review_queue_holds_only_productions_where_the_user_is_legal(production, legal, elsewhere):
    MembershipFactory(production=elsewhere, user=legal, role=Role.VIEWER)
    MembershipFactory(production=elsewhere, role=Role.LEGAL)  # elsewhere's own reviewer
    ours = ConsentFactory(person__production=production, review_state=ReviewState.SUBMITTED)
    ConsentFactory(person__production=elsewhere, review_state=ReviewState.SUBMITTED)

    assert list(selectors.consents_awaiting_review(legal)) == [ours]


def test_an_outsider_sees_nothing_of_the_review_queue(production, legal, outsider):
    ConsentFactory(person__production=production, review_state=ReviewState.SUBMITTED)

    assert list(selectors.consents_awaiting_review(outsider)) == []


# Tool usage


def test_tool_usage_counts_uses_in_the_users_productions_only(production, producer, elsewhere):
    tool, other_tool = AIToolFactory(), AIToolFactory()
    second = MembershipFactory(user=producer, role=Role.VIEWER, production__title="Second season").production
    AIUseFactory.create_batch(3, production=production, tool=tool)
    AIUseFactory(production=production, tool=other_tool)
    AIUseFactory(production=second, tool=tool)
    AIUseFactory.create_batch(2, production=elsewhere, tool=tool)

    usage = selectors.tool_usage_for(producer, tool)

    assert [(p.title, p.use_count) for p in usage] == [("El Eternauta", 3), ("Second season", 1)]


def test_an_unused_tool_has_no_usage(production, producer):
    assert list(selectors.tool_usage_for(producer, AIToolFactory())) == []


# Bounded queries


def record_uses(production, count):
    for _ in range(count):
        people = PersonFactory.create_batch(2, production=production)
        consents = [ConsentFactory(person=person) for person in people]
        AIUseFactory(production=production, people=people, consents=consents)


@pytest.mark.parametrize("count", [10, 60])
def test_listing_ai_uses_costs_the_same_few_queries_however_many_there_are(
    production, producer, django_assert_max_num_queries, count
):
    record_uses(production, count)

    # The uses with their tools, their people, their consents and legal's coverage decisions.
    with django_assert_max_num_queries(4):
        uses = list(selectors.ai_uses_for(producer, production))
        for use in uses:
            assert use.tool.vendor
            assert len(use.people.all()) == 2
            assert len(use.consents.all()) == 2

    assert len(uses) == count
