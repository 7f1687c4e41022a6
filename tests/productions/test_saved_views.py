"""Saved views of the ledger: each member keeps their own filters, search, sort and grouping under a name."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from productions import services
from productions.models import SavedView
from productions.vocabularies import Role
from tests.factories import MembershipFactory, UserFactory
from tests.productions.test_views_ledger import ledger_url


def save_url(production):
    return reverse("productions:saved-view-save", args=[production.pk])


def manage_url(production):
    return reverse("productions:saved-views", args=[production.pk])


def view_url(name, saved_view):
    return reverse(f"productions:{name}", args=[saved_view.production_id, saved_view.pk])


def saved(user, production, name="Final VFX", query="phase=vfx&is_final=true"):
    return services.save_view(actor=user, production=production, name=name, query=query)[0]


@pytest.fixture
def colleague(production):
    """Another producer of the production, with views of their own."""
    return MembershipFactory(production=production, user=UserFactory(username="pablo"), role=Role.PRODUCER).user


@pytest.mark.parametrize("role", ["producer", "legal", "viewer"])
def test_every_member_saves_the_view_they_are_looking_at(request, client, production, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.post(save_url(production), {"name": "  Deep  fakes ", "query": "deep_fake=yes&sort=-title"})

    assert response.status_code == 302
    assert response.url == ledger_url(production, deep_fake="yes", sort="-title")
    saved_view = SavedView.objects.get(user=user, production=production)
    assert (saved_view.name, saved_view.query) == ("Deep fakes", "deep_fake=yes&sort=-title")
    page = client.get(response.url)
    assert "View saved as “Deep fakes”" in page.text
    assert f'href="{ledger_url(production)}?deep_fake=yes&amp;sort=-title" aria-current="page">Deep fakes</a>' in (
        page.text
    )


def test_a_view_keeps_the_ledgers_parameters_only_and_not_the_page(client, viewer, production):
    client.force_login(viewer)

    client.post(
        save_url(production),
        {"name": "EP101", "query": "episode=EP101&group=sequence&q=collapse&page=3&evil=1&phase=&sort=title"},
    )

    assert SavedView.objects.get().query == "q=collapse&episode=EP101&sort=title&group=sequence"


def test_saving_under_the_same_name_replaces_the_view_and_says_so(client, viewer, production):
    saved(viewer, production, "Mine", "phase=vfx")
    client.force_login(viewer)

    response = client.post(save_url(production), {"name": "Mine", "query": "phase=sound"}, follow=True)

    assert SavedView.objects.get().query == "phase=sound"
    assert "Your view “Mine” now shows these filters: it replaced the one saved under that name." in response.text


def test_nobody_sees_anyone_elses_views(client, viewer, colleague, production):
    saved(colleague, production, "Pablo's shots")
    saved(viewer, production, "Victor's shots")
    client.force_login(viewer)

    ledger = client.get(ledger_url(production))
    manage = client.get(manage_url(production))

    for page in (ledger, manage):
        assert "Victor&#x27;s shots" in page.text
        assert "Pablo" not in page.text


def test_a_name_of_another_user_is_theirs_alone(client, viewer, colleague, production):
    theirs = saved(colleague, production, "Final", "phase=vfx")
    client.force_login(viewer)

    client.post(save_url(production), {"name": "Final", "query": "phase=sound"})

    theirs.refresh_from_db()
    assert theirs.query == "phase=vfx"
    assert SavedView.objects.filter(name="Final").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": " ", "query": "phase=vfx"}, "This field is required."),
        ({"name": "x" * 101, "query": "phase=vfx"}, "at most 100 characters"),
        ({"name": "Long", "query": "q=" + "shot " * 450}, "These filters are too long to save"),
    ],
)
def test_a_view_needs_a_short_name_and_filters_that_fit(client, viewer, production, data, message):
    client.force_login(viewer)

    response = client.post(save_url(production), data, follow=True)

    assert response.status_code == 200
    assert "The view was not saved:" in response.text
    assert message in response.text
    assert not SavedView.objects.exists()


def test_saving_a_view_writes_nothing_in_the_productions_history(viewer, production):
    entries = production.history.count()

    saved(viewer, production)

    assert production.history.count() == entries


def test_a_view_is_renamed(client, viewer, production):
    saved_view = saved(viewer, production, "Old")
    client.force_login(viewer)

    response = client.post(view_url("saved-view-rename", saved_view), {"name": "New"}, follow=True)

    saved_view.refresh_from_db()
    assert saved_view.name == "New"
    assert "“Old” is now “New”." in response.text


def test_a_view_is_not_renamed_over_another(client, viewer, production):
    saved_view = saved(viewer, production, "Old")
    saved(viewer, production, "Taken")
    client.force_login(viewer)

    response = client.post(view_url("saved-view-rename", saved_view), {"name": "Taken"}, follow=True)

    saved_view.refresh_from_db()
    assert saved_view.name == "Old"
    assert "You already have a view named “Taken”" in response.text


def test_a_view_is_deleted(client, viewer, production):
    saved_view = saved(viewer, production, "Gone")
    client.force_login(viewer)

    response = client.post(view_url("saved-view-delete", saved_view), follow=True)

    assert not SavedView.objects.exists()
    assert "View “Gone” deleted." in response.text
    assert "You have no saved view of this ledger yet" in response.text


@pytest.mark.parametrize("name", ["saved-view-rename", "saved-view-delete"])
def test_another_users_view_cannot_be_reached(client, viewer, colleague, production, name):
    theirs = saved(colleague, production, "Theirs")
    client.force_login(viewer)

    response = client.post(view_url(name, theirs), {"name": "Mine now"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_the_services_refuse_another_users_view(viewer, colleague, production):
    theirs = saved(colleague, production)

    with pytest.raises(Http404):
        services.delete_saved_view(actor=viewer, saved_view=theirs)
    with pytest.raises(Http404):
        services.rename_saved_view(actor=viewer, saved_view=theirs, name="Mine")
    with pytest.raises(ValidationError):
        services.save_view(actor=viewer, production=production, name="", query="")


def test_an_outsider_finds_no_production(client, viewer, outsider, production):
    mine = saved(viewer, production)
    client.force_login(outsider)

    assert client.post(save_url(production), {"name": "Spy", "query": ""}).status_code == 404
    assert client.get(manage_url(production)).status_code == 404
    assert client.post(view_url("saved-view-delete", mine)).status_code == 404
    assert not SavedView.objects.filter(user=outsider).exists()
    with pytest.raises(Http404):
        services.save_view(actor=outsider, production=production, name="Spy", query="")


def test_a_view_no_longer_reachable_once_its_user_leaves_the_production(client, viewer, production):
    mine = saved(viewer, production)
    viewer.memberships.all().delete()
    client.force_login(viewer)

    assert client.post(view_url("saved-view-delete", mine)).status_code == 404


def test_saving_and_deleting_take_a_post(client, viewer, production):
    mine = saved(viewer, production)
    client.force_login(viewer)

    assert client.get(save_url(production)).status_code == 405
    assert client.get(view_url("saved-view-delete", mine)).status_code == 405


@pytest.mark.parametrize("count", [2, 40])
def test_the_list_of_views_costs_the_same_queries_whatever_their_number(
    client, viewer, production, django_assert_max_num_queries, count
):
    for number in range(count):
        saved(viewer, production, f"View {number}")
    client.force_login(viewer)

    with django_assert_max_num_queries(6):  # session, user, production and role, the views, notifications
        response = client.get(manage_url(production))

    assert response.text.count('class="button-danger"') == count
