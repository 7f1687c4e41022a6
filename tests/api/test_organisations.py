"""Organisations and invitations through the API: each user sees their own organisations, invitations answer 202
whoever the address belongs to, and another organisation's productions do not exist."""

from productions.models import Invitation, Membership, OrganisationMembership
from productions.vocabularies import OrganisationRole, Role
from tests.api.conftest import api, assert_error, token_client
from tests.factories import MembershipFactory, OrganisationMembershipFactory, UserFactory


def test_each_user_lists_their_organisations_with_their_role(as_producer, as_viewer, production):
    assert [(o["name"], o["role"]) for o in as_producer.get(api("organisations/")).json()["results"]] == [
        (production.organisation.name, "owner")
    ]
    assert [o["role"] for o in as_viewer.get(api("organisations/")).json()["results"]] == ["member"]


def test_another_organisation_does_not_exist_for_an_outsider(as_outsider, production):
    organisation = production.organisation.pk
    for path in ("", "members/", "invitations/"):
        assert_error(as_outsider.get(api(f"organisations/{organisation}/{path}")), 404)
    assert_error(as_outsider.patch(api(f"organisations/{organisation}/"), {"production_creation": "members"}), 404)
    assert_error(as_outsider.post(api(f"organisations/{organisation}/invitations/"), {"email": "o@example.org"}), 404)


def test_owners_set_the_policy_and_members_may_not(as_producer, as_viewer, production):
    url = api(f"organisations/{production.organisation_id}/")
    assert_error(as_viewer.patch(url, {"production_creation": "members"}), 403)

    response = as_producer.patch(url, {"production_creation": "members"})

    assert response.status_code == 200 and response.json()["production_creation"] == "members"


def test_a_producer_invites_to_the_production_and_the_answer_never_tells_who_has_an_account(
    as_producer, production, viewer, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="lucia", email="lucia@example.org")
    url = api(f"productions/{production.pk}/invitations/")
    answers = []
    for email in ("lucia@example.org", "nobody@example.org", viewer.email):
        with django_capture_on_commit_callbacks(execute=True):
            response = as_producer.post(url, {"email": email, "role": "legal"})
        assert response.status_code == 202, response.content
        body = response.json()
        answers.append(
            {name: value for name, value in body.items() if name not in {"id", "email", "created_at", "expires_at"}}
        )
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["state"] == "pending" and answers[0]["production_role"] == "legal"
    assert "token" not in body and "token_hash" not in body
    assert len(mailoutbox) == 3
    listed = as_producer.get(url).json()["results"]
    assert {item["email"] for item in listed} == {"lucia@example.org", "nobody@example.org", viewer.email}


def test_invitations_are_the_producers_business(as_legal, as_viewer, production):
    url = api(f"productions/{production.pk}/invitations/")
    assert_error(as_legal.get(url), 403)
    assert_error(as_viewer.post(url, {"email": "x@example.org", "role": "producer"}), 403)
    assert not Invitation.objects.exists()


def test_a_producer_withdraws_an_invitation(as_producer, production):
    url = api(f"productions/{production.pk}/invitations/")
    invitation = as_producer.post(url, {"email": "lucia@example.org", "role": "viewer"}).json()

    response = as_producer.post(f"{url}{invitation['id']}/revoke/")

    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    assert Invitation.objects.get().revoked_at is not None


def test_organisation_invitations_are_checked(as_producer, production):
    url = api(f"organisations/{production.organisation_id}/invitations/")
    assert_error(as_producer.post(url, {"email": "not-an-address"}), 400, fields=["email"])
    assert_error(as_producer.post(url, {"email": "x@example.org", "role": "boss"}), 400, fields=["role"])
    admin = OrganisationMembershipFactory(organisation=production.organisation, role=OrganisationRole.ADMIN).user
    assert_error(token_client(admin).post(url, {"email": "x@example.org", "role": "owner"}), 403)
    response = as_producer.post(url, {"email": "x@example.org", "role": "admin"})
    assert response.status_code == 202 and response.json()["role"] == "admin"


def test_the_organisation_keeps_an_owner_and_members_may_leave(as_producer, as_viewer, producer, viewer, production):
    members = api(f"organisations/{production.organisation_id}/members/")
    own = OrganisationMembership.objects.get(user=producer)
    assert_error(as_producer.patch(f"{members}{own.pk}/", {"role": "member"}), 400, fields=["role"])
    theirs = OrganisationMembership.objects.get(user=viewer)
    assert_error(as_viewer.patch(f"{members}{theirs.pk}/", {"role": "owner"}), 403)

    assert as_viewer.delete(f"{members}{theirs.pk}/").status_code == 204

    assert not Membership.objects.filter(user=viewer).exists()


def test_a_producer_of_another_organisation_changes_nothing_of_this_ones_checklist_or_statement(production, producer):
    rival = MembershipFactory(user=UserFactory(username="rita"), role=Role.PRODUCER).user
    MembershipFactory(production=rival.memberships.get().production, user=UserFactory(), role=Role.LEGAL)
    client = token_client(rival)
    base = api(f"productions/{production.pk}/")

    assert_error(client.patch(base, {"signatory": "Rita"}), 404)
    assert_error(client.post(f"{base}checklist/inventory/attestation/", {"status": "met", "comment": "Fine."}), 404)
    assert_error(client.get(f"{base}statement/"), 404)
    assert_error(client.post(f"{base}people/", {"name": "Impostor"}), 404)
    assert_error(client.post(f"{base}invitations/", {"email": "rita@example.org", "role": "producer"}), 404)
    elsewhere = {"title": "X", "kind": "short", "production_company": "X", "year": 2026}
    assert_error(client.post(api("productions/"), {**elsewhere, "organisation": production.organisation_id}), 400)
    production.refresh_from_db()
    assert production.signatory == "" and not production.people.exists()
