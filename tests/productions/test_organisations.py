"""Organisations: who may start productions, invitations by e-mail with a one-time link, and the walls between
organisations, through the services and the pages people use."""

import datetime
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productions import organisations, services
from productions.models import Invitation, Membership, OrganisationMembership, Production
from productions.vocabularies import OrganisationRole, ProductionCreation, ProductionKind, Role
from tests.factories import MembershipFactory, OrganisationFactory, OrganisationMembershipFactory, UserFactory

NEW_PRODUCTION = {"title": "Night Ferry", "kind": ProductionKind.SHORT, "production_company": "K&S Films", "year": 2026}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def member_of(organisation, role, username=None):
    user = UserFactory(username=username) if username else UserFactory()
    return OrganisationMembershipFactory(organisation=organisation, user=user, role=role).user


@pytest.fixture
def studio(db):
    return OrganisationFactory(name="K&S Films")


@pytest.fixture
def owner(studio):
    return member_of(studio, OrganisationRole.OWNER, "olga")


@pytest.fixture
def admin(studio):
    return member_of(studio, OrganisationRole.ADMIN, "adam")


@pytest.fixture
def member(studio):
    return member_of(studio, OrganisationRole.MEMBER, "mia")


def invite(actor, organisation, captured, **kwargs):
    """Invite through the service; returns the invitation and the token the e-mail carried."""
    with captured(execute=True):
        invitation = organisations.invite(actor=actor, organisation=organisation, **kwargs)
    return invitation


def token_from(message):
    return re.search(r"/invitations/([\w-]+)/", message.body).group(1)


# Founding and running an organisation


def test_anyone_signed_in_founds_an_organisation_and_owns_it(db):
    founder = UserFactory(username="fatima")

    studio = organisations.create_organisation(actor=founder, name="Brackwater Animation")

    assert OrganisationMembership.objects.get(organisation=studio).role == OrganisationRole.OWNER
    assert studio.production_creation == ProductionCreation.ADMINS
    assert studio.history.get().history_user == founder


def test_only_owners_change_the_policy(studio, owner, admin, member, outsider):
    with pytest.raises(PermissionDenied):
        organisations.update_organisation(actor=admin, organisation=studio, production_creation="members")
    with pytest.raises(Http404):
        organisations.update_organisation(actor=outsider, organisation=studio, production_creation="members")

    organisations.update_organisation(actor=owner, organisation=studio, production_creation="members")

    studio.refresh_from_db()
    assert studio.production_creation == ProductionCreation.MEMBERS
    assert studio.history.latest().history_user == owner


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_start_productions(request, studio, role):
    actor = request.getfixturevalue(role)
    production = services.create_production(actor=actor, organisation=studio, **NEW_PRODUCTION)
    assert production.organisation == studio
    assert production.memberships.get().user == actor


def test_a_member_starts_none_while_the_policy_says_admins_only(studio, member):
    with pytest.raises(PermissionDenied):
        services.create_production(actor=member, organisation=studio, **NEW_PRODUCTION)
    assert not Production.objects.exists()


def test_a_member_starts_productions_once_the_policy_lets_members(studio, owner, member):
    organisations.update_organisation(actor=owner, organisation=studio, production_creation="members")
    production = services.create_production(actor=member, organisation=studio, **NEW_PRODUCTION)
    assert production.memberships.get().role == Role.PRODUCER


def test_someone_outside_the_organisation_starts_nothing_in_it(studio, outsider):
    with pytest.raises(Http404):
        services.create_production(actor=outsider, organisation=studio, **NEW_PRODUCTION)
    assert not Production.objects.filter(organisation=studio).exists()


def test_the_last_owner_can_neither_step_down_nor_leave(studio, owner):
    own = OrganisationMembership.objects.get(user=owner)
    with pytest.raises(ValidationError, match="at least one owner"):
        organisations.change_organisation_role(actor=owner, membership=own, role=OrganisationRole.MEMBER)
    with pytest.raises(ValidationError, match="at least one owner"):
        organisations.remove_organisation_member(actor=owner, membership=own)
    assert OrganisationMembership.objects.get(user=owner).role == OrganisationRole.OWNER


def test_a_member_leaves_and_the_organisations_productions_with_it(studio, owner, member):
    production = services.create_production(actor=owner, organisation=studio, **NEW_PRODUCTION)
    services.add_member(actor=owner, production=production, user=member, role=Role.VIEWER)

    organisations.remove_organisation_member(actor=member, membership=OrganisationMembership.objects.get(user=member))

    assert not OrganisationMembership.objects.filter(user=member).exists()
    assert not Membership.objects.filter(user=member).exists()


def test_admins_neither_remove_members_nor_change_roles(studio, owner, admin, member):
    theirs = OrganisationMembership.objects.get(user=member)
    with pytest.raises(PermissionDenied):
        organisations.remove_organisation_member(actor=admin, membership=theirs)
    with pytest.raises(PermissionDenied):
        organisations.change_organisation_role(actor=admin, membership=theirs, role=OrganisationRole.ADMIN)


# Invitations


def test_an_invitation_is_e_mailed_with_a_one_time_link_whose_token_is_kept_only_as_a_hash(
    studio, admin, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.REELPROOF_PUBLIC_URL = "https://reelproof.example"

    invitation = invite(admin, studio, django_capture_on_commit_callbacks, email="lucia@example.org")

    [message] = mailoutbox
    assert message.to == ["lucia@example.org"]
    assert "K&S Films" in message.subject
    token = token_from(message)
    assert f"https://reelproof.example/invitations/{token}/" in message.body
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert abs(invitation.expires_at - invitation.created_at - datetime.timedelta(days=7)) < datetime.timedelta(1 / 24)


def test_an_invitation_says_nothing_of_whether_the_address_has_an_account(
    studio, admin, member, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="lucia", email="lucia@example.org")
    for email in ("lucia@example.org", "nobody@example.org", member.email):
        invite(admin, studio, django_capture_on_commit_callbacks, email=email)

    bodies = {re.sub(r"/invitations/[\w-]+/", "/invitations/T/", m.body) for m in mailoutbox}
    assert len(bodies) == 1
    assert "lucia" not in bodies.pop().replace("lucia@example.org", "")


def test_members_do_not_invite_and_admins_not_above_their_own_role(studio, admin, member):
    with pytest.raises(PermissionDenied):
        organisations.invite(actor=member, organisation=studio, email="x@example.org")
    with pytest.raises(PermissionDenied):
        organisations.invite(actor=admin, organisation=studio, email="x@example.org", role=OrganisationRole.OWNER)
    assert not Invitation.objects.exists()


def test_accepting_adds_the_organisation_and_the_production_once(
    production, producer, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        producer,
        production.organisation,
        django_capture_on_commit_callbacks,
        email="lucia@example.org",
        production=production,
        production_role=Role.LEGAL,
    )
    token = token_from(mailoutbox[0])
    lucia = UserFactory(username="lucia")

    invitation = organisations.accept_invitation(actor=lucia, token=token)

    assert invitation.accepted_by == lucia
    assert Membership.objects.get(user=lucia).role == Role.LEGAL
    assert OrganisationMembership.objects.get(user=lucia).role == OrganisationRole.MEMBER
    with pytest.raises(ValidationError, match="already been used"):
        organisations.accept_invitation(actor=UserFactory(), token=token)
    assert Membership.objects.filter(production=production, role=Role.LEGAL).count() == 1


def test_whoever_opens_the_link_gets_what_it_grants_and_nothing_more(
    production, producer, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        producer,
        production.organisation,
        django_capture_on_commit_callbacks,
        email="lucia@example.org",
        production=production,
        production_role=Role.VIEWER,
    )
    stranger = UserFactory(username="sam", email="sam@example.org")

    organisations.accept_invitation(actor=stranger, token=token_from(mailoutbox[0]))

    assert Membership.objects.get(user=stranger).role == Role.VIEWER
    assert OrganisationMembership.objects.get(user=stranger).role == OrganisationRole.MEMBER
    with pytest.raises(PermissionDenied):
        services.update_production(actor=stranger, production=production, cut="v9")
    with pytest.raises(PermissionDenied):
        services.create_production(actor=stranger, organisation=production.organisation, **NEW_PRODUCTION)


def test_a_viewer_cannot_invite_to_the_production(production, viewer):
    with pytest.raises(PermissionDenied):
        organisations.invite(
            actor=viewer,
            organisation=production.organisation,
            email="x@example.org",
            production=production,
            production_role=Role.PRODUCER,
        )


def test_an_expired_invitation_is_refused(studio, admin, mailoutbox, django_capture_on_commit_callbacks):
    invitation = invite(admin, studio, django_capture_on_commit_callbacks, email="lucia@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=invitation.created_at - datetime.timedelta(1))

    with pytest.raises(ValidationError, match="expired"):
        organisations.accept_invitation(actor=UserFactory(), token=token_from(mailoutbox[0]))
    assert OrganisationMembership.objects.filter(organisation=studio).count() == 1


def test_a_withdrawn_invitation_is_refused(studio, admin, mailoutbox, django_capture_on_commit_callbacks):
    invitation = invite(admin, studio, django_capture_on_commit_callbacks, email="lucia@example.org")
    organisations.revoke_invitation(actor=admin, invitation=invitation)

    with pytest.raises(ValidationError, match="withdrawn"):
        organisations.accept_invitation(actor=UserFactory(), token=token_from(mailoutbox[0]))
    assert invitation.history.latest().history_user == admin


def test_an_unknown_token_finds_nothing(db):
    with pytest.raises(Http404):
        organisations.accept_invitation(actor=UserFactory(), token="not-a-token")


# Pages


def invitation_url(token):
    return reverse("productions:invitation", args=[token])


def test_the_invitation_page_needs_a_sign_in_then_shows_what_it_grants_and_accepts(
    production, producer, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        producer,
        production.organisation,
        django_capture_on_commit_callbacks,
        email="lucia@example.org",
        production=production,
        production_role=Role.LEGAL,
    )
    url = invitation_url(token_from(mailoutbox[0]))
    assert Client().get(url).url.startswith(reverse("login"))
    lucia = UserFactory(username="lucia")
    client = signed_in(lucia)

    page = client.get(url).text
    assert "invites you to work on El Eternauta (2026)" in page and "as Legal reviewer" in page

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("productions:dashboard", args=[production.pk])
    assert "Welcome to El Eternauta (2026), as Legal reviewer." in response.text
    assert "This invitation has already been used." in client.get(url).text
    assert "This invitation has already been used." in signed_in(UserFactory()).post(url, follow=True).text


def test_an_unknown_invitation_link_is_not_found(db):
    assert signed_in(UserFactory()).get(invitation_url("nothing-here")).status_code == 404


def test_the_organisation_page_shows_members_and_their_roles_to_members_only(studio, owner, member, outsider):
    page = signed_in(member).get(reverse("productions:organisation", args=[studio.pk])).text
    assert "olga" in page and "Owner" in page and "mia" in page
    assert reverse("productions:organisation-invite", args=[studio.pk]) not in page
    owners_page = signed_in(owner).get(reverse("productions:organisation", args=[studio.pk])).text
    assert reverse("productions:organisation-invite", args=[studio.pk]) in owners_page
    assert reverse("productions:organisation-settings", args=[studio.pk]) in owners_page
    assert signed_in(outsider).get(reverse("productions:organisation", args=[studio.pk])).status_code == 404


def test_the_owner_invites_from_the_organisation_page(studio, owner, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(owner).post(
            reverse("productions:organisation-invite", args=[studio.pk]),
            {"email": "lucia@example.org", "role": OrganisationRole.ADMIN},
            follow=True,
        )
    assert "An invitation is on its way to lucia@example.org" in response.text
    assert Invitation.objects.get().role == OrganisationRole.ADMIN
    assert len(mailoutbox) == 1


def test_a_member_may_not_invite_or_change_the_policy_from_the_page(studio, member):
    client = signed_in(member)
    invitation = {"email": "lucia@example.org", "role": OrganisationRole.MEMBER}
    assert client.post(reverse("productions:organisation-invite", args=[studio.pk]), invitation).status_code == 403
    settings_url = reverse("productions:organisation-settings", args=[studio.pk])
    assert client.post(settings_url, {"name": "Mine", "production_creation": "members"}).status_code == 403
    assert not Invitation.objects.exists()


def test_the_new_production_page_offers_only_organisations_where_the_user_may_start_one(studio, owner, member):
    other = OrganisationFactory(name="Long Meridian Pictures")
    OrganisationMembershipFactory(organisation=other, user=owner, role=OrganisationRole.MEMBER)
    form = signed_in(owner).get(reverse("productions:production-create")).context["form"]
    assert list(form.fields["organisation"].queryset) == [studio]

    response = signed_in(owner).post(
        reverse("productions:production-create"),
        {**NEW_PRODUCTION, "organisation": other.pk, "screenplay_human_authored": "not_determined",
         "performances_by_humans": "not_determined", "evidently_artistic": "not_determined"},
    )  # fmt: skip
    assert "organisation" in response.context["form"].errors
    assert not Production.objects.exists()


def test_without_an_organisation_that_lets_them_the_page_offers_to_found_one(member):
    page = signed_in(member).get(reverse("productions:production-create")).text
    assert "Found an organisation" in page
    assert 'name="title"' not in page


def test_founding_an_organisation_from_the_page(db):
    founder = UserFactory(username="fatima")
    response = signed_in(founder).post(reverse("productions:organisations"), {"name": "Nordlicht"}, follow=True)
    assert "Nordlicht founded: you are its owner." in response.text
    assert OrganisationMembership.objects.get(user=founder).role == OrganisationRole.OWNER


# The wall between organisations


@pytest.fixture
def rival(db):
    """A producer (and legal reviewer) of another organisation's production, and owner of that organisation."""
    theirs = MembershipFactory(user=UserFactory(username="rita"), role=Role.PRODUCER)
    MembershipFactory(production=theirs.production, role=Role.LEGAL)
    return theirs.user


def test_a_producer_of_another_organisation_reaches_none_of_this_ones_pages(production, producer, rival):
    client = signed_in(rival)
    pk = production.pk
    for url in (
        reverse("productions:dashboard", args=[pk]),
        reverse("productions:production-edit", args=[pk]),
        reverse("productions:members", args=[pk]),
        reverse("productions:ledger", args=[pk]),
        reverse("disclosure:overview", args=[pk]),
        reverse("disclosure:statement", args=[pk]),
        reverse("productions:organisation", args=[production.organisation_id]),
    ):
        assert client.get(url).status_code == 404, url
    writes = {
        reverse("productions:production-edit", args=[pk]): {"title": "Hijacked", "signatory": "Rita"},
        reverse("disclosure:checklist-attest", args=[pk, "inventory"]): {"status": "met", "comment": "Fine."},
        reverse("productions:member-invite", args=[pk]): {"email": "rita@example.org", "role": Role.PRODUCER},
    }
    for url, data in writes.items():
        assert client.post(url, data).status_code == 404, url
    production.refresh_from_db()
    assert production.title == "El Eternauta" and production.signatory == ""
    assert not Invitation.objects.exists()


def test_belonging_to_the_organisation_alone_opens_none_of_its_productions(production, producer):
    colleague = member_of(production.organisation, OrganisationRole.ADMIN)
    assert signed_in(colleague).get(reverse("productions:dashboard", args=[production.pk])).status_code == 404


def test_the_organisation_page_costs_the_same_queries_whatever_its_size(owner, studio):
    client = signed_in(owner)
    url = reverse("productions:organisation", args=[studio.pk])

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = page_queries()
    for index in range(12):
        member = member_of(studio, OrganisationRole.MEMBER)
        production = Production.objects.create(title=f"Short {index}", year=2026, organisation=studio)
        MembershipFactory(production=production, user=owner if index % 2 else member, role=Role.PRODUCER)
        organisations.invite(actor=owner, organisation=studio, email=f"guest{index}@example.org")

    assert page_queries() == small
