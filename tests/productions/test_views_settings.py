"""Starting a production, editing its details and managing its members, through the pages people use."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from productions.forms.production import ProductionForm
from productions.models import Invitation, Membership, Production
from productions.services import PRODUCTION_FIELDS
from productions.vocabularies import CompanySize, Determination, OrganisationRole, ProductionKind, Role
from tests.factories import MembershipFactory, OrganisationMembershipFactory, UserFactory

CREATE = reverse("productions:production-create")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def production_form(**overrides):
    return {
        "title": "El Eternauta",
        "original_title": "El Eternauta",
        "kind": ProductionKind.SERIES,
        "production_company": "K&S Films",
        "countries": ["AR", "ES"],
        "year": "2025",
        "eu_release_date": "2025-04-30",
        "screenplay_credit": "Bruno Stagnaro, Ariel Staltari",
        "screenplay_human_authored": Determination.YES,
        "performances_by_humans": Determination.YES,
        "cut": "picture lock v3",
        "contact_point": "disclosure@example.org",
        "signatory": "Matías Mosteirín, producer",
        "evidently_artistic": Determination.YES,
    } | overrides


def founder(username="nina"):
    """Owns an organisation, so may start productions in it."""
    return OrganisationMembershipFactory(user=UserFactory(username=username), role=OrganisationRole.OWNER).user


def new_production_form(user, **overrides):
    return production_form(organisation=user.organisation_memberships.get().organisation_id, **overrides)


def edit_url(production):
    return reverse("productions:production-edit", args=[production.pk])


def members_url(production):
    return reverse("productions:members", args=[production.pk])


def invite_url(production):
    return reverse("productions:member-invite", args=[production.pk])


def role_url(membership):
    return reverse("productions:member-role", args=[membership.production_id, membership.pk])


def remove_url(membership):
    return reverse("productions:member-remove", args=[membership.production_id, membership.pk])


def membership_of(user, production):
    return Membership.objects.get(user=user, production=production)


def test_the_form_asks_for_every_detail_the_service_records():
    assert set(ProductionForm.base_fields) == PRODUCTION_FIELDS


def test_anonymous_visitors_are_sent_to_sign_in(client, production):
    for url in (CREATE, edit_url(production), members_url(production)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    response = client.post(invite_url(production), {"email": "someone@example.org", "role": Role.VIEWER})
    assert response.url.startswith(reverse("login"))


# Starting a production


def test_an_organisation_owner_starts_a_production_in_it_and_becomes_its_producer(db):
    newcomer = founder()
    client = signed_in(newcomer)
    assert client.get(CREATE).status_code == 200

    response = client.post(CREATE, new_production_form(newcomer))

    production = Production.objects.get()
    assert production.organisation == newcomer.organisation_memberships.get().organisation
    assert response.status_code == 302
    assert response.url == reverse("productions:dashboard", args=[production.pk])
    assert production.countries == ["AR", "ES"]
    assert str(production.eu_release_date) == "2025-04-30"
    assert production.kind == ProductionKind.SERIES
    assert membership_of(newcomer, production).role == Role.PRODUCER
    assert production.history.get().history_user == newcomer
    assert membership_of(newcomer, production).history.get().history_user == newcomer


def test_the_determinations_start_not_determined_and_record_what_is_chosen(db):
    nina = founder()
    client = signed_in(nina)
    form = client.get(CREATE).context["form"]
    for name in ("evidently_artistic", "screenplay_human_authored", "performances_by_humans"):
        assert form[name].value() == Determination.NOT_DETERMINED, name

    client.post(
        CREATE,
        new_production_form(nina, performances_by_humans=Determination.NO, evidently_artistic="not_determined"),
    )

    production = Production.objects.get()
    assert production.performances_by_humans == Determination.NO
    assert production.evidently_artistic == Determination.NOT_DETERMINED
    assert production.screenplay_human_authored == Determination.YES


def test_a_determination_left_out_or_unknown_is_refused(db):
    nina = founder()
    form = new_production_form(nina, evidently_artistic="maybe")
    del form["performances_by_humans"]

    response = signed_in(nina).post(CREATE, form)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"evidently_artistic", "performances_by_humans"}
    assert not Production.objects.exists()


def test_the_form_groups_the_details_and_offers_the_countries_as_a_list(db):
    page = signed_in(founder()).get(CREATE).content.decode()
    for legend in ("Organisation", "The production", "Dates", "Human authorship", "Disclosure"):
        assert f"<legend>{legend}</legend>" in page
    assert '<select name="countries"' in page and "multiple" in page
    for name in ("principal_photography_start", "principal_photography_end", "eu_release_date"):
        assert f'type="date" name="{name}"' in page
    assert "Principal photography began" in page and "Company size class" in page
    assert '<option value="small_mid_cap">Small mid-cap</option>' in page


def test_the_dates_of_photography_and_the_company_size_are_recorded_and_shown_again(production, producer):
    client = signed_in(producer)

    response = client.post(
        edit_url(production),
        production_form(
            principal_photography_start="2026-07-06",
            principal_photography_end="2026-10-02",
            company_size=CompanySize.SME,
        ),
    )

    assert response.status_code == 302
    production.refresh_from_db()
    assert (production.principal_photography_start, production.principal_photography_end) == (
        datetime.date(2026, 7, 6),
        datetime.date(2026, 10, 2),
    )
    assert production.company_size == CompanySize.SME
    page = client.get(edit_url(production)).content.decode()
    assert 'name="principal_photography_start" value="2026-07-06"' in page
    assert '<option value="sme" selected>SME (including start-ups)</option>' in page


def test_photography_cannot_end_before_it_begins(production, producer):
    response = signed_in(producer).post(
        edit_url(production),
        production_form(principal_photography_start="2026-10-02", principal_photography_end="2026-07-06"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["principal_photography_end"] == [
        "Principal photography ends after it begins."
    ]
    production.refresh_from_db()
    assert production.principal_photography_start is None


def test_the_chosen_countries_come_first_in_the_list(production, producer):
    production.countries = ["ES", "AR"]
    production.save()
    form = signed_in(producer).get(edit_url(production)).context["form"]
    assert [code for code, _name in form.fields["countries"].choices][:3] == ["AR", "ES", "AF"]


def test_an_implausible_year_is_shown_next_to_its_field(db):
    nina = founder()
    response = signed_in(nina).post(CREATE, new_production_form(nina, year="1700"))
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert not Production.objects.exists()


def test_an_unknown_country_is_refused(db):
    nina = founder()
    response = signed_in(nina).post(CREATE, new_production_form(nina, countries=["XX"]))
    assert "countries" in response.context["form"].errors
    assert not Production.objects.exists()


# Editing a production


def test_the_producer_edits_the_production(production, producer):
    client = signed_in(producer)
    form = client.get(edit_url(production)).context["form"]
    assert form["title"].value() == "El Eternauta"

    response = client.post(edit_url(production), production_form(cut="picture lock v4", countries=["AR"]))

    assert response.status_code == 302
    assert response.url == reverse("productions:dashboard", args=[production.pk])
    production.refresh_from_db()
    assert production.cut == "picture lock v4"
    assert production.countries == ["AR"]
    assert production.history.latest().history_user == producer


def test_a_refused_edit_keeps_the_saved_title_in_the_navigation(production, producer):
    response = signed_in(producer).post(edit_url(production), production_form(title="Renamed", year="1700"))
    assert response.status_code == 200
    assert response.context["production"].title == "El Eternauta"
    production.refresh_from_db()
    assert production.title == "El Eternauta"


@pytest.mark.parametrize("member", ["legal", "viewer"])
def test_other_members_may_not_edit_the_production(request, production, member):
    client = signed_in(request.getfixturevalue(member))
    assert client.get(edit_url(production)).status_code == 403
    assert client.post(edit_url(production), production_form(title="Renamed")).status_code == 403
    production.refresh_from_db()
    assert production.title == "El Eternauta"


def test_an_outsider_does_not_find_the_production(production, outsider):
    client = signed_in(outsider)
    assert client.get(edit_url(production)).status_code == 404
    assert client.post(edit_url(production), production_form(title="Renamed")).status_code == 404


# Members


@pytest.mark.parametrize("member", ["producer", "legal", "viewer"])
def test_every_member_sees_who_works_on_the_production(request, production, producer, legal, viewer, member):
    response = signed_in(request.getfixturevalue(member)).get(members_url(production))
    assert response.status_code == 200
    page = response.content.decode()
    for username in ("paula", "lea", "victor"):
        assert username in page
    assert "Legal reviewer" in page


def test_only_the_producer_sees_the_controls(production, producer, viewer):
    producers_page = signed_in(producer).get(members_url(production)).content.decode()
    assert invite_url(production) in producers_page
    assert remove_url(membership_of(viewer, production)) in producers_page
    viewers_page = signed_in(viewer).get(members_url(production)).content.decode()
    assert invite_url(production) not in viewers_page
    assert "/role/" not in viewers_page and "/remove/" not in viewers_page


def test_an_outsider_does_not_find_the_members(production, outsider):
    assert signed_in(outsider).get(members_url(production)).status_code == 404


@pytest.mark.parametrize("others", [2, 30])
def test_the_members_page_makes_the_same_queries_for_few_or_many_members(
    production, producer, others, django_assert_max_num_queries
):
    MembershipFactory.create_batch(others, production=production, role=Role.VIEWER)
    client = signed_in(producer)
    # With the unread notifications counted for the header.
    with django_assert_max_num_queries(6):
        response = client.get(members_url(production))
    assert response.content.decode().count("/remove/") == others + 1


def test_the_producer_invites_someone_by_e_mail_onto_the_production(
    production, producer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(producer).post(
            invite_url(production), {"email": "lucia@example.org", "role": Role.LEGAL}, follow=True
        )

    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.production, invitation.production_role) == (
        "lucia@example.org",
        production,
        Role.LEGAL,
    )
    assert invitation.history.get().history_user == producer
    assert "An invitation is on its way to lucia@example.org; it works once, for seven days." in response.text
    assert [message.to for message in mailoutbox] == [["lucia@example.org"]]
    assert "lucia@example.org" in response.text  # listed as pending, with a button to withdraw it
    assert reverse("productions:invitation-revoke", args=[invitation.pk]) in response.text
    assert not Membership.objects.filter(production=production, user__username="lucia").exists()


def test_the_page_says_the_same_whether_or_not_the_address_has_an_account(production, producer, viewer):
    client = signed_in(producer)
    UserFactory(username="lucia", email="lucia@example.org")

    answers = []
    for email in ("lucia@example.org", "nobody@example.org", "victor@example.org"):
        response = client.post(invite_url(production), {"email": email, "role": Role.VIEWER}, follow=True)
        told = [str(message).replace(email, "ADDRESS") for message in response.context["messages"]]
        answers.append((response.redirect_chain, told))

    assert answers[0] == answers[1] == answers[2]
    # Nobody's account shows up: the pending list names addresses, never the people they may belong to.
    assert "lucia" not in response.text.replace("lucia@example.org", "")


def test_an_address_that_is_not_one_is_a_form_error(production, producer):
    response = signed_in(producer).post(invite_url(production), {"email": "lucia", "role": Role.VIEWER})
    assert response.status_code == 200
    assert response.context["invite_form"].errors["email"]
    assert not Invitation.objects.exists()


def test_the_producer_withdraws_a_pending_invitation(production, producer):
    client = signed_in(producer)
    client.post(invite_url(production), {"email": "lucia@example.org", "role": Role.VIEWER})
    invitation = Invitation.objects.get()

    response = client.post(reverse("productions:invitation-revoke", args=[invitation.pk]), follow=True)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "The invitation to lucia@example.org is withdrawn." in response.text
    assert "No invitation is waiting for an answer." in response.text


@pytest.mark.parametrize("member", ["legal", "viewer"])
def test_other_members_may_not_manage_members(request, production, producer, member):
    client = signed_in(request.getfixturevalue(member))
    producer_membership = membership_of(producer, production)
    invitation = {"email": "lucia@example.org", "role": Role.PRODUCER}
    assert client.post(invite_url(production), invitation).status_code == 403
    assert not Invitation.objects.exists()
    assert client.post(role_url(producer_membership), {"role": Role.VIEWER}).status_code == 403
    assert client.post(remove_url(producer_membership)).status_code == 403
    assert not Membership.objects.filter(user__username="lucia").exists()
    assert membership_of(producer, production).role == Role.PRODUCER


def test_an_outsider_may_not_manage_members(production, producer, outsider):
    client = signed_in(outsider)
    producer_membership = membership_of(producer, production)
    invitation = {"email": "oscar@example.org", "role": Role.PRODUCER}
    assert client.post(invite_url(production), invitation).status_code == 404
    assert not Invitation.objects.exists()
    assert client.post(role_url(producer_membership), {"role": Role.VIEWER}).status_code == 404
    assert client.post(remove_url(producer_membership)).status_code == 404
    assert not Membership.objects.filter(production=production, user=outsider).exists()


def test_member_actions_only_accept_post(production, producer, viewer):
    client = signed_in(producer)
    viewer_membership = membership_of(viewer, production)
    assert client.get(invite_url(production)).status_code == 405
    assert client.get(role_url(viewer_membership)).status_code == 405
    assert client.get(remove_url(viewer_membership)).status_code == 405


def test_the_producer_changes_a_role(production, producer, viewer):
    membership = membership_of(viewer, production)
    response = signed_in(producer).post(role_url(membership), {"role": Role.LEGAL}, follow=True)
    membership.refresh_from_db()
    assert membership.role == Role.LEGAL
    assert membership.history.latest().history_user == producer
    assert "victor now has the role Legal reviewer." in response.content.decode()


def test_an_unknown_role_is_refused(production, producer, viewer):
    membership = membership_of(viewer, production)
    response = signed_in(producer).post(role_url(membership), {"role": "director"}, follow=True)
    assert "Choose one of the roles." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_the_last_producer_cannot_step_down(production, producer):
    membership = membership_of(producer, production)
    response = signed_in(producer).post(role_url(membership), {"role": Role.VIEWER}, follow=True)
    assert "A production keeps at least one producer." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.PRODUCER


def test_the_last_producer_cannot_be_removed(production, producer):
    membership = membership_of(producer, production)
    response = signed_in(producer).post(remove_url(membership), follow=True)
    assert "A production keeps at least one producer." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_producer_removes_a_member(production, producer, viewer):
    membership = membership_of(viewer, production)
    response = signed_in(producer).post(remove_url(membership), follow=True)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert "victor no longer works on this production." in response.content.decode()
    removal = Membership.history.filter(id=membership.pk).latest()
    assert removal.history_type == "-"
    assert removal.history_user == producer
    assert signed_in(viewer).get(members_url(production)).status_code == 404


def test_a_producer_who_leaves_goes_back_to_their_productions(production, producer):
    co_producer = MembershipFactory(production=production, user=UserFactory(username="pablo")).user
    response = signed_in(co_producer).post(remove_url(membership_of(co_producer, production)))
    assert response.status_code == 302
    assert response.url == reverse("productions:home")


def test_a_member_of_another_production_cannot_be_reached_through_this_one(production, producer, outsider):
    theirs = outsider.memberships.get()
    # The producer of both productions still cannot act on one production's member through the other's address.
    MembershipFactory(production=theirs.production, user=producer, role=Role.PRODUCER)
    url = reverse("productions:member-remove", args=[production.pk, theirs.pk])
    assert signed_in(producer).post(url).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_writes_need_the_csrf_token(production, producer, viewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(producer)
    assert client.post(CREATE, production_form(title="Other")).status_code == 403
    assert client.post(edit_url(production), production_form(title="Renamed")).status_code == 403
    invitation = {"email": "lucia@example.org", "role": Role.VIEWER}
    assert client.post(invite_url(production), invitation).status_code == 403
    assert not Invitation.objects.exists()
    assert client.post(role_url(membership_of(viewer, production)), {"role": Role.LEGAL}).status_code == 403
    assert client.post(remove_url(membership_of(viewer, production))).status_code == 403
    assert Production.objects.count() == 1
    assert membership_of(viewer, production).role == Role.VIEWER
