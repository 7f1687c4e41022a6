"""The consent lifecycle through the API: structured scope and legal's questions, standing on a date, approval only
with the signed document, revocation with its reason and written withdrawal, review assignment and the queue."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from productions.models import Consent, Notification
from productions.vocabularies import NotificationEvent, ReviewState, Role
from tests.api.conftest import api, assert_error
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory, UserFactory
from tests.samples import PDF


@pytest.fixture
def darin(production):
    return PersonFactory(production=production, name="Ricardo Darín")


@pytest.fixture
def submitted(darin):
    consent = ConsentFactory(person=darin, review_state=ReviewState.SUBMITTED)
    consent.document.save("signed.pdf", SimpleUploadedFile("signed.pdf", PDF), save=False)
    consent.document_content_type = "application/pdf"
    consent.save()
    return consent


@pytest.fixture
def second_legal(production):
    return MembershipFactory(production=production, user=UserFactory(username="luis"), role=Role.LEGAL).user


def url(production, suffix=""):
    return api(f"productions/{production.pk}/consents/{suffix}")


TERMS = {
    "kind": "employment_replica",
    "scope_description": "A digital replica of Juan Salvo's face for the snow scenes of reel 3.",
    "scope_shots": "reel 3\nSH0030",
    "media": ["streaming", "theatrical"],
    "media_notes": "All media now known, festivals excluded.",
    "territory": "Worldwide",
    "term_starts_on": "2026-03-01",
    "expires_on": "2030-12-31",
    "covers_likeness": True,
    "covers_voice": False,
    "separately_signed": True,
    "signed_on": "2026-02-20",
    "scan_notice_on": "2026-02-10",
    "scan_on": "2026-02-13",
    "scan_business_reason": "Stunt replacement in the snow sequences.",
    "data_retention": "Scans kept on the studio's EU servers until delivery.",
    "data_deletion_on": "2031-01-31",
    "training_permission": "refused",
    "third_party_licensing": "granted",
    "performer_is_minor": "yes",
    "guardian": "Ana Darín",
}


def test_the_structured_scope_and_legals_questions_round_trip(as_producer, production, darin):
    response = as_producer.post(url(production), {"person": darin.pk, **TERMS})

    assert response.status_code == 201, response.content
    body = response.json()
    # Media come back in the vocabulary's order, whatever the order sent.
    assert body["media"] == ["theatrical", "streaming"]
    assert {name: body[name] for name in TERMS if name != "media"} == {k: v for k, v in TERMS.items() if k != "media"}
    assert body["standing"] == "pending_review" and body["review_assignee"] is None
    consent = Consent.objects.get(pk=body["id"])
    assert list(consent.media) == ["theatrical", "streaming"] and consent.guardian == "Ana Darín"


def test_what_legal_and_the_lifecycle_set_is_not_written_with_the_terms(as_producer, production, darin, legal):
    response = as_producer.post(
        url(production),
        {
            "person": darin.pk,
            **TERMS,
            "not_separately_signed_reason": "Signed with the contract.",
            "revocation_reason": "None.",
            "review_assignee": legal.username,
            "review_due_on": "2026-05-01",
            "standing": "covered",
        },
    )

    body = response.json()
    assert response.status_code == 201, body
    assert (body["not_separately_signed_reason"], body["revocation_reason"]) == ("", "")
    assert (body["review_assignee"], body["review_due_on"], body["standing"]) == (None, None, "pending_review")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"performer_is_minor": "yes", "guardian": ""}, "guardian"),
        ({"term_starts_on": "2031-01-01"}, "expires_on"),
        ({"covers_likeness": False, "covers_voice": False}, "covers_likeness"),
        ({"media": ["cinema"]}, "media"),
        ({"media": "streaming"}, "media"),
        ({"training_permission": "maybe"}, "training_permission"),
    ],
)
def test_the_terms_are_refused_field_by_field(as_producer, production, darin, changes, field):
    assert_error(as_producer.post(url(production), {"person": darin.pk, **TERMS, **changes}), 400, fields=[field])
    assert not Consent.objects.exists()


# Standing: what a consent is worth on a date, never "approved" once expired


def test_an_expired_approval_stands_as_expired_and_on_an_earlier_date_as_covered(as_viewer, production, darin):
    consent = ConsentFactory(
        person=darin,
        review_state=ReviewState.APPROVED,
        reviewed_at=timezone.now(),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    assert as_viewer.get(url(production, f"{consent.pk}/")).json()["standing"] == "expired"
    assert as_viewer.get(url(production)).json()["results"][0]["standing"] == "expired"
    earlier = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert as_viewer.get(url(production, f"{consent.pk}/"), {"on": earlier}).json()["standing"] == "covered"
    assert as_viewer.get(url(production), {"on": earlier}).json()["results"][0]["standing"] == "covered"
    assert_error(as_viewer.get(url(production), {"on": "yesterday"}), 400, fields=["on"])
    assert_error(as_viewer.get(url(production, f"{consent.pk}/"), {"on": "2026-02-30"}), 400, fields=["on"])


# Approval: the signed document attached, and separately signed or a reason recorded


def test_approval_without_the_signed_document_is_refused(as_legal, production, darin):
    consent = ConsentFactory(person=darin, review_state=ReviewState.SUBMITTED)

    body = assert_error(as_legal.post(url(production, f"{consent.pk}/approve/")), 400, fields=["document"])

    assert "signed document" in body["errors"]["document"][0]
    consent.refresh_from_db()
    assert consent.review_state == ReviewState.SUBMITTED and consent.reviewed_by is None


def test_a_consent_not_separately_signed_is_approved_only_with_a_reason(as_legal, as_viewer, production, submitted):
    Consent.objects.filter(pk=submitted.pk).update(separately_signed=False)
    approve = url(production, f"{submitted.pk}/approve/")

    assert_error(as_legal.post(approve, {}), 400, fields=["not_separately_signed_reason"])
    assert_error(
        as_legal.post(approve, {"not_separately_signed_reason": "   "}), 400, fields=["not_separately_signed_reason"]
    )
    reason = "Signed as a rider the performer initialled on its own page."
    approved = as_legal.post(approve, {"not_separately_signed_reason": reason})

    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert (body["review_state"], body["standing"], body["not_separately_signed_reason"]) == (
        "approved",
        "covered",
        reason,
    )
    assert as_viewer.get(url(production, f"{submitted.pk}/")).json()["not_separately_signed_reason"] == reason


def test_both_refusals_are_given_at_once(as_legal, production, darin):
    consent = ConsentFactory(person=darin, review_state=ReviewState.SUBMITTED, separately_signed=False)

    assert_error(
        as_legal.post(url(production, f"{consent.pk}/approve/")),
        400,
        fields=["document", "not_separately_signed_reason"],
    )


def test_approval_is_legals_and_on_the_version_read(as_producer, as_viewer, as_legal, production, submitted):
    approve = url(production, f"{submitted.pk}/approve/")

    assert_error(as_viewer.post(approve), 403, "permission_denied")
    assert_error(as_producer.post(approve), 403, "permission_denied")
    assert_error(as_legal.post(approve, {"version": submitted.version + 1}), 409, "conflict")
    assert_error(as_legal.post(approve, {"version": 0}), 400, fields=["version"])
    approved = as_legal.post(approve, {"version": submitted.version})
    assert approved.status_code == 200 and approved.json()["review_state"] == "approved"


# Revocation: a date, a reason, and the person's written withdrawal when there is one


def test_a_revocation_needs_its_reason(as_producer, production, submitted):
    revoke = url(production, f"{submitted.pk}/revoke/")

    assert_error(as_producer.post(revoke, {"revoked_on": "2026-04-01"}), 400, fields=["revocation_reason"])
    assert_error(
        as_producer.post(revoke, {"revoked_on": "2026-04-01", "revocation_reason": "  "}),
        400,
        fields=["revocation_reason"],
    )
    submitted.refresh_from_db()
    assert submitted.revoked_on is None


def test_a_revocation_carries_the_written_withdrawal(as_producer, as_viewer, production, submitted, legal):
    revoke = url(production, f"{submitted.pk}/revoke/")
    data = {"revoked_on": "2026-04-01", "revocation_reason": "Withdrew by letter.", "version": submitted.version}

    response = as_producer.post(
        revoke, {**data, "withdrawal_document": SimpleUploadedFile("letter.pdf", PDF)}, format="multipart"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["revoked_on"], body["revocation_reason"], body["standing"]) == (
        "2026-04-01",
        "Withdrew by letter.",
        "revoked",
    )
    assert body["has_withdrawal_document"] is True and body["withdrawal_document_content_type"] == "application/pdf"
    assert body["withdrawal_document_url"].endswith(f"/consents/{submitted.pk}/withdrawal-document/")
    downloaded = as_viewer.get(body["withdrawal_document_url"])
    assert downloaded.status_code == 200 and downloaded["Cache-Control"] == "private, no-store"
    assert b"".join(downloaded.streaming_content) == PDF
    # Producers and legal hear of it; the producer who recorded it knows.
    assert Notification.objects.filter(event=NotificationEvent.CONSENT_REVOKED, recipient=legal).exists()


def test_a_withdrawal_that_is_not_a_document_is_refused_and_nothing_is_revoked(as_producer, production, submitted):
    response = as_producer.post(
        url(production, f"{submitted.pk}/revoke/"),
        {
            "revoked_on": "2026-04-01",
            "revocation_reason": "Withdrew by letter.",
            "withdrawal_document": SimpleUploadedFile("letter.txt", b"hello"),
        },
        format="multipart",
    )

    assert_error(response, 400, fields=["withdrawal_document"])
    submitted.refresh_from_db()
    assert submitted.revoked_on is None and not submitted.withdrawal_document


def test_revocation_is_refused_to_viewers_and_on_an_old_version(as_viewer, as_producer, production, submitted):
    revoke = url(production, f"{submitted.pk}/revoke/")
    data = {"revoked_on": "2026-04-01", "revocation_reason": "Withdrew by letter."}

    assert_error(as_viewer.post(revoke, data), 403)
    assert_error(as_producer.post(revoke, {**data, "version": submitted.version + 5}), 409, "conflict")
    assert_error(as_producer.post(revoke, {**data, "withdrawal_document": "x"}), 400, fields=["withdrawal_document"])


def test_no_written_withdrawal_no_download(as_viewer, production, submitted):
    response = as_viewer.get(url(production, f"{submitted.pk}/withdrawal-document/"), HTTP_ACCEPT="application/pdf")

    assert_error(response, 404)
    assert response["Content-Type"] == "application/json"


# Review assignment and the review queue


def test_legal_assigns_the_review_to_a_legal_member_by_a_date(as_legal, production, submitted, second_legal):
    assign = url(production, f"{submitted.pk}/assign/")

    response = as_legal.post(assign, {"review_assignee": "luis", "review_due_on": "2026-12-15"})

    assert response.status_code == 200, response.content
    assert (response.json()["review_assignee"], response.json()["review_due_on"]) == ("luis", "2026-12-15")
    assert Notification.objects.filter(recipient=second_legal, event=NotificationEvent.REVIEW_ASSIGNED).count() == 1
    # The due date alone moves; the reviewer stays.
    moved = as_legal.post(assign, {"review_due_on": "2026-12-20"}).json()
    assert (moved["review_assignee"], moved["review_due_on"]) == ("luis", "2026-12-20")
    unassigned = as_legal.post(assign, {"review_assignee": None, "review_due_on": None}).json()
    assert (unassigned["review_assignee"], unassigned["review_due_on"]) == (None, None)


def test_the_assignment_is_refused_field_by_field(as_legal, production, submitted, producer, outsider):
    assign = url(production, f"{submitted.pk}/assign/")

    body = assert_error(as_legal.post(assign, {"review_assignee": producer.username}), 400, fields=["review_assignee"])
    assert "legal member" in body["errors"]["review_assignee"][0]
    # Someone outside the production does not exist here.
    assert_error(as_legal.post(assign, {"review_assignee": outsider.username}), 400, fields=["review_assignee"])
    assert_error(as_legal.post(assign, {"review_due_on": "soon"}), 400, fields=["review_due_on"])
    assert_error(as_legal.post(assign, {}), 400, fields=["non_field_errors"])
    assert_error(as_legal.post(assign, {"review_due_on": "2026-12-15", "version": 99}), 409, "conflict")
    submitted.refresh_from_db()
    assert submitted.review_assignee is None and submitted.review_due_on is None


@pytest.mark.parametrize("client_name", ["as_producer", "as_viewer"])
def test_only_legal_assigns_reviews(request, client_name, production, submitted, legal):
    client = request.getfixturevalue(client_name)

    assert_error(client.post(url(production, f"{submitted.pk}/assign/"), {"review_assignee": legal.username}), 403)


def test_the_review_queue_filters_and_sorts_by_assignee_and_due_date(as_legal, legal, second_legal, production):
    today = timezone.localdate()

    def waiting(name, assignee=None, due=None, state=ReviewState.SUBMITTED):
        person = PersonFactory(production=production, name=name)
        reviewed_at = timezone.now() if state == ReviewState.APPROVED else None
        return ConsentFactory(
            person=person, review_state=state, reviewed_at=reviewed_at, review_assignee=assignee, review_due_on=due
        )

    late = waiting("Late", legal, today - datetime.timedelta(days=2))
    soon = waiting("Soon", second_legal, today + datetime.timedelta(days=3))
    undated = waiting("Undated", legal)
    nobody = waiting("Nobody", due=today + datetime.timedelta(days=1))
    waiting("Approved late", legal, today - datetime.timedelta(days=9), state=ReviewState.APPROVED)
    queue = url(production)

    def ids(**params):
        response = as_legal.get(queue, {"review_state": "submitted", **params})
        assert response.status_code == 200, response.content
        return [consent["id"] for consent in response.json()["results"]]

    # Undated reviews come last, whichever way the dates run.
    assert ids(ordering="review_due_on") == [late.pk, nobody.pk, soon.pk, undated.pk]
    assert ids(ordering="-review_due_on") == [soon.pk, nobody.pk, late.pk, undated.pk]
    assert ids(assigned_to="me", ordering="review_due_on") == [late.pk, undated.pk]
    assert ids(assigned_to="nobody") == [nobody.pk]
    assert ids(assigned_to="luis") == [soon.pk]
    assert ids(overdue="true") == [late.pk]
    assert sorted(ids(overdue="false")) == sorted([soon.pk, undated.pk, nobody.pk])
    # An approved consent is no longer awaited, however late its review was.
    assert as_legal.get(queue, {"overdue": "true"}).json()["count"] == 1
    assert (
        as_legal.get(queue, {"overdue": "true", "on": (today + datetime.timedelta(days=2)).isoformat()}).json()["count"]
        == 2
    )
    assert_error(as_legal.get(queue, {"assigned_to": "me", "on": "soon"}), 400, fields=["on"])


# Another production's consent does not exist here


def test_another_productions_consent_is_not_found(as_producer, as_legal, producer, legal, production, submitted):
    elsewhere = MembershipFactory(user=legal, role=Role.LEGAL).production
    MembershipFactory(production=elsewhere, user=producer, role=Role.PRODUCER)
    # The consent exists, and both are members of the production named in the URL: still not found there.
    for method, suffix, data in (
        ("get", f"{submitted.pk}/", {}),
        ("post", f"{submitted.pk}/approve/", {}),
        ("post", f"{submitted.pk}/assign/", {"review_assignee": legal.username}),
        ("post", f"{submitted.pk}/revoke/", {"revoked_on": "2026-04-01", "revocation_reason": "Letter."}),
        ("get", f"{submitted.pk}/withdrawal-document/", {}),
    ):
        client = as_producer if suffix.endswith("revoke/") else as_legal
        assert_error(getattr(client, method)(url(elsewhere, suffix), data), 404)
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.revoked_on) == (ReviewState.SUBMITTED, None)


def test_outsiders_reach_none_of_the_lifecycle(as_outsider, production, submitted):
    for method, suffix in (
        ("post", "approve/"),
        ("post", "revoke/"),
        ("post", "assign/"),
        ("get", "withdrawal-document/"),
    ):
        assert_error(getattr(as_outsider, method)(url(production, f"{submitted.pk}/{suffix}")), 404)
