"""The legal review of consents: submit, approve (only what was signed), reject, request changes, assign, and the
review queue with its assignees, due dates, order and filters."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from productions import services
from productions.models import Consent, Notification
from productions.vocabularies import ConsentKind, NotificationEvent, PerformerUse, ReviewState, Role
from tests.factories import (
    AIUseFactory,
    ConsentFactory,
    MembershipFactory,
    PersonFactory,
    ProductionFactory,
    UserFactory,
)
from tests.samples import PDF

TODAY = timezone.localdate()


def url(name, *args):
    return reverse(f"productions:{name}", args=args)


def act(client, name, consent, data=None):
    return client.post(url(name, consent.person.production_id, consent.pk), data or {})


def state_of(consent):
    consent.refresh_from_db()
    return consent.review_state


def signed(consent, actor):
    """Attach the signed document, as a producer does before submitting."""
    return services.attach_consent_document(
        actor=actor, consent=consent, uploaded_file=SimpleUploadedFile("signed.pdf", PDF)
    )


def submit(consent, actor, with_document=True):
    if with_document:
        signed(consent, actor)
    return services.submit_consent(actor=actor, consent=consent)


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")


@pytest.fixture
def draft(performer):
    return ConsentFactory(person=performer)


@pytest.fixture
def submitted(performer, producer):
    return submit(ConsentFactory(person=performer), producer)


@pytest.fixture
def second_legal(production):
    return MembershipFactory(production=production, user=UserFactory(username="luis"), role=Role.LEGAL).user


# Submitting


@pytest.mark.parametrize("role", ["producer", "legal"])
def test_an_editor_submits_a_draft_for_review(request, client, draft, role):
    client.force_login(request.getfixturevalue(role))

    response = act(client, "consent-submit", draft)

    assert response.status_code == 302
    assert response.url == url("consent-detail", draft.person.production_id, draft.pk)
    assert state_of(draft) == ReviewState.SUBMITTED


def test_an_unsigned_draft_cannot_go_to_review_and_the_page_says_why(client, performer, producer):
    unsigned = ConsentFactory(person=performer, signed_on=None)
    client.force_login(producer)

    response = act(client, "consent-submit", unsigned)

    assert state_of(unsigned) == ReviewState.DRAFT
    assert "A consent goes to review only once it is signed." in client.get(response.url).content.decode()


def test_a_viewer_may_not_submit(client, draft, viewer):
    client.force_login(viewer)

    assert act(client, "consent-submit", draft).status_code == 403
    assert state_of(draft) == ReviewState.DRAFT


# Approving: only what was signed


def test_legal_approves_a_submitted_consent(client, submitted, legal):
    client.force_login(legal)

    response = act(client, "consent-approve", submitted)

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.review_state == ReviewState.APPROVED
    assert submitted.reviewed_by == legal
    assert submitted.history.latest().history_user == legal
    assert submitted.history.latest().history_change_reason == ReviewState.APPROVED
    page = client.get(response.url).content.decode()
    assert "The consent was approved." in page
    assert 'class="status status-approved">Approved, valid' in page
    assert "Reviewed by" in page
    assert "lea" in page


def test_a_consent_without_its_signed_document_offers_no_approval_but_says_why(
    client, production, performer, producer, legal
):
    unsigned_paper = submit(ConsentFactory(person=performer), producer, with_document=False)
    client.force_login(legal)

    for page in (url("consent-detail", production.pk, unsigned_paper.pk), url("review-queue")):
        text = client.get(page).content.decode()
        assert "Cannot be approved yet: no signed document is attached." in text
        assert url("consent-document-upload", production.pk, unsigned_paper.pk) in text
        assert ">Approve<" not in text
        assert url("consent-reject", production.pk, unsigned_paper.pk) in text


def test_approving_without_the_signed_document_is_refused_and_the_page_says_why(client, performer, producer, legal):
    unsigned_paper = submit(ConsentFactory(person=performer), producer, with_document=False)
    trail = unsigned_paper.history.count()
    client.force_login(legal)

    response = act(client, "consent-approve", unsigned_paper, {"version": unsigned_paper.version})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Attach the signed document before approving: legal approves what was signed." in text
    assert url("consent-document-upload", unsigned_paper.person.production_id, unsigned_paper.pk) in text
    assert state_of(unsigned_paper) == ReviewState.SUBMITTED
    assert unsigned_paper.history.count() == trail


def test_a_consent_not_signed_on_its_own_asks_why_it_can_be_approved_all_the_same(
    client, production, performer, producer, legal
):
    in_the_contract = submit(ConsentFactory(person=performer, separately_signed=False), producer)
    client.force_login(legal)

    page = client.get(url("consent-detail", production.pk, in_the_contract.pk)).content.decode()
    refused = act(client, "consent-approve", in_the_contract, {"not_separately_signed_reason": "  "})

    assert 'name="not_separately_signed_reason"' in page
    assert "Not separately signed: why it can be approved all the same" in page
    assert refused.status_code == 200
    assert "record why it can be approved all the same" in refused.content.decode()
    assert 'id="id_not_separately_signed_reason_error"' in refused.content.decode()
    assert state_of(in_the_contract) == ReviewState.SUBMITTED

    reason = "Clause 14 is a separate page initialled by the performer and their agent."
    approved = act(client, "consent-approve", in_the_contract, {"not_separately_signed_reason": reason})

    assert approved.status_code == 302
    in_the_contract.refresh_from_db()
    assert in_the_contract.review_state == ReviewState.APPROVED
    assert in_the_contract.not_separately_signed_reason == reason
    text = client.get(url("consent-detail", production.pk, in_the_contract.pk)).content.decode()
    assert reason in text
    assert "Approved, valid" in text


@pytest.mark.parametrize("role", ["producer", "viewer"])
@pytest.mark.parametrize("name", ["consent-approve", "consent-reject", "consent-request-changes"])
def test_only_legal_decides(request, client, submitted, role, name):
    client.force_login(request.getfixturevalue(role))

    response = act(client, name, submitted, {"review_reason": "Not specific enough."})

    assert response.status_code == 403
    assert state_of(submitted) == ReviewState.SUBMITTED


@pytest.mark.parametrize(
    "name", ["consent-approve", "consent-reject", "consent-request-changes", "consent-revoke", "consent-assign"]
)
def test_an_outsider_finds_nothing_to_decide_on(client, submitted, outsider, name):
    client.force_login(outsider)

    data = {"review_reason": "No.", "revoked_on": "2026-04-01", "revocation_reason": "No.", "review_assignee": ""}
    assert act(client, name, submitted, data).status_code == 404
    assert state_of(submitted) == ReviewState.SUBMITTED


# Rejecting and requesting changes


@pytest.mark.parametrize(
    ("name", "state"),
    [("consent-reject", ReviewState.REJECTED), ("consent-request-changes", ReviewState.CHANGES_REQUESTED)],
)
def test_legal_says_why_it_rejects_or_asks_for_changes(client, submitted, legal, name, state):
    client.force_login(legal)

    response = act(client, name, submitted, {"review_reason": "Name the episodes the replica appears in."})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.review_state == state
    assert submitted.review_reason == "Name the episodes the replica appears in."
    assert "Name the episodes the replica appears in." in client.get(response.url).content.decode()


@pytest.mark.parametrize("name", ["consent-reject", "consent-request-changes"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decision_without_a_reason_is_asked_again_and_changes_nothing(client, submitted, legal, name, reason):
    client.force_login(legal)
    trail = submitted.history.count()

    response = act(client, name, submitted, {"review_reason": reason})

    assert response.status_code == 200
    text = response.content.decode()
    assert "This field is required." in text
    assert 'id="id_review_reason_error"' in text
    assert state_of(submitted) == ReviewState.SUBMITTED
    assert submitted.history.count() == trail


def test_a_draft_cannot_be_approved_and_the_page_says_why(client, draft, legal):
    client.force_login(legal)

    response = act(client, "consent-approve", draft)

    assert state_of(draft) == ReviewState.DRAFT
    assert "cannot go to" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "name", ["consent-submit", "consent-approve", "consent-reject", "consent-coverage", "consent-assign"]
)
def test_review_actions_are_only_posted(client, submitted, legal, name):
    client.force_login(legal)

    assert client.get(url(name, submitted.person.production_id, submitted.pk)).status_code == 405


def test_review_actions_need_the_csrf_token(submitted, legal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(legal)

    assert act(client, "consent-approve", submitted).status_code == 403
    assert act(client, "consent-reject", submitted, {"review_reason": "No."}).status_code == 403
    assert state_of(submitted) == ReviewState.SUBMITTED


def test_producers_see_their_consent_waiting_and_legal_sees_the_decision_form(client, submitted, producer, legal):
    address = url("consent-detail", submitted.person.production_id, submitted.pk)

    client.force_login(producer)
    producer_page = client.get(address).content.decode()
    client.force_login(legal)
    legal_page = client.get(address).content.decode()

    assert "Waiting for a legal reviewer of this production." in producer_page
    assert url("consent-approve", submitted.person.production_id, submitted.pk) not in producer_page
    assert url("consent-assign", submitted.person.production_id, submitted.pk) not in producer_page
    assert url("consent-approve", submitted.person.production_id, submitted.pk) in legal_page
    assert url("consent-request-changes", submitted.person.production_id, submitted.pk) in legal_page
    assert url("consent-assign", submitted.person.production_id, submitted.pk) in legal_page


def test_after_approval_the_uses_relying_on_the_consent_are_covered(client, production, performer, submitted, legal):
    AIUseFactory(
        production=production,
        title="Young Juan Salvo",
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[performer],
        consents=[submitted],
    )
    client.force_login(legal)
    pages = [url("person-detail", production.pk, performer.pk), url("consent-detail", production.pk, submitted.pk)]
    for page in pages:
        assert 'class="status status-pending_review"' in client.get(page).content.decode()

    act(client, "consent-approve", submitted)

    for page in pages:
        text = client.get(page).content.decode()
        assert 'class="status status-covered">Covered' in text
        assert 'class="status status-pending_review"' not in text


# Assigning a review


def test_legal_assigns_the_review_to_a_legal_colleague_by_a_date(client, production, submitted, legal, second_legal):
    due = TODAY + datetime.timedelta(days=5)
    client.force_login(legal)

    response = act(
        client, "consent-assign", submitted, {"review_assignee": second_legal.pk, "review_due_on": due.isoformat()}
    )

    assert response.status_code == 302
    assert response.url == url("consent-detail", production.pk, submitted.pk)
    submitted.refresh_from_db()
    assert (submitted.review_assignee, submitted.review_due_on) == (second_legal, due)
    assert submitted.history.latest().history_change_reason == "review assigned"
    assert Notification.objects.filter(recipient=second_legal, consent=submitted).exists()
    page = client.get(response.url).content.decode()
    assert "The review was assigned to luis." in page
    assert f'<option value="{second_legal.pk}" selected>luis</option>' in page


def test_a_review_is_assigned_only_to_a_legal_member_of_the_production(client, submitted, producer, legal):
    client.force_login(legal)

    response = act(client, "consent-assign", submitted, {"review_assignee": producer.pk, "review_due_on": ""})

    submitted.refresh_from_db()
    assert submitted.review_assignee is None
    assert "Assign the review to a legal member of this production." in client.get(response.url).content.decode()


def test_a_review_is_not_assigned_to_a_stranger(client, submitted, legal, outsider):
    client.force_login(legal)

    response = act(client, "consent-assign", submitted, {"review_assignee": outsider.pk})

    submitted.refresh_from_db()
    assert submitted.review_assignee is None
    assert "Select a valid choice" in client.get(response.url).content.decode()


@pytest.mark.parametrize("role", ["producer", "viewer"])
def test_only_legal_assigns_reviews(request, client, submitted, legal, role):
    client.force_login(request.getfixturevalue(role))

    response = act(client, "consent-assign", submitted, {"review_assignee": legal.pk})

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.review_assignee is None


# The review queue


@pytest.fixture
def second_production(legal):
    """Another production where lea also reviews: her queue spans both."""
    other = ProductionFactory(title="The Iron Wanderer")
    MembershipFactory(production=other, user=legal, role=Role.LEGAL)
    MembershipFactory(production=other, user=UserFactory(username="pablo"), role=Role.PRODUCER)
    return other


def test_legal_sees_every_submitted_consent_of_its_productions_oldest_first(
    client, production, performer, submitted, legal, second_production, outsider
):
    adler = PersonFactory(production=second_production, name="Tomás Adler")
    voice = ConsentFactory(
        person=adler, kind=ConsentKind.EMPLOYMENT_REPLICA, covers_voice=True, scope_description="Voice."
    )
    later = submit(voice, legal)
    ConsentFactory(person=performer, kind=ConsentKind.INDEPENDENT_REPLICA)  # a draft waits for no one
    # Another production where lea has no role: its submissions are none of her business.
    hidden = ConsentFactory(person=PersonFactory(production=outsider.memberships.get().production, name="Hidden"))
    Consent.objects.filter(pk=hidden.pk).update(review_state=ReviewState.SUBMITTED)
    client.force_login(legal)

    response = client.get(url("review-queue"))

    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Digital alteration: Ricardo Darín") < text.index("Employment-based digital replica: Tomás Adler")
    assert "El Eternauta" in text
    assert "The Iron Wanderer" in text
    assert "by paula" in text
    assert url("consent-approve", second_production.pk, later.pk) in text
    assert "Independently created" not in text
    assert "Hidden" not in text


def test_the_queue_shows_who_reviews_each_consent_and_marks_an_overdue_review(
    client, performer, producer, legal, second_legal
):
    late = submit(ConsentFactory(person=performer, scope_description="Late."), producer)
    services.assign_review(actor=legal, consent=late, assignee=second_legal, due_on=TODAY - datetime.timedelta(days=2))
    submit(ConsentFactory(person=performer, scope_description="Open."), producer)
    client.force_login(legal)

    text = client.get(url("review-queue")).content.decode()

    assert text.count('class="card review-overdue"') == 1
    assert "overdue" in text
    assert f'<option value="{second_legal.pk}" selected>luis</option>' in text
    assert "Nobody yet" in text


def queue_order(client, **query):
    response = client.get(url("review-queue"), query)
    consents = response.context["consents"]
    return [consent.scope_description for consent in consents]


def test_the_queue_sorts_by_due_date_by_submission_or_by_production(
    client, performer, producer, legal, second_production
):
    first = submit(ConsentFactory(person=performer, scope_description="first submitted, no due date"), producer)
    second = submit(ConsentFactory(person=performer, scope_description="second, due later"), producer)
    other = PersonFactory(production=second_production)
    third = submit(ConsentFactory(person=other, scope_description="third, due soon"), legal)
    services.assign_review(actor=legal, consent=second, assignee=legal, due_on=TODAY + datetime.timedelta(days=9))
    services.assign_review(actor=legal, consent=third, assignee=None, due_on=TODAY + datetime.timedelta(days=1))
    client.force_login(legal)

    by_due = ["third, due soon", "second, due later", "first submitted, no due date"]
    assert queue_order(client) == by_due
    assert queue_order(client, sort="due") == by_due
    assert queue_order(client, sort="submitted") == [
        first.scope_description,
        second.scope_description,
        "third, due soon",
    ]
    # El Eternauta before The Iron Wanderer, by due date within each.
    assert queue_order(client, sort="production") == [
        "second, due later",
        "first submitted, no due date",
        "third, due soon",
    ]


def test_the_queue_filters_by_assignee_overdue_and_production(
    client, production, performer, producer, legal, second_legal, second_production
):
    mine = submit(ConsentFactory(person=performer, scope_description="mine, overdue"), producer)
    theirs = submit(ConsentFactory(person=performer, scope_description="theirs"), producer)
    submit(ConsentFactory(person=performer, scope_description="nobody's"), producer)
    submit(ConsentFactory(person=PersonFactory(production=second_production), scope_description="elsewhere"), legal)
    services.assign_review(actor=legal, consent=mine, assignee=legal, due_on=TODAY - datetime.timedelta(days=1))
    services.assign_review(actor=legal, consent=theirs, assignee=second_legal, due_on=TODAY)
    client.force_login(legal)

    assert queue_order(client, assigned="me") == ["mine, overdue"]
    assert set(queue_order(client, assigned="nobody")) == {"nobody's", "elsewhere"}
    assert queue_order(client, overdue="on") == ["mine, overdue"]
    assert set(queue_order(client, production=second_production.pk)) == {"elsewhere"}
    assert set(queue_order(client, production=production.pk, assigned="nobody")) == {"nobody's"}
    # A production lea does not review, or a value that means nothing, filters nothing out.
    assert len(queue_order(client, production="not-a-number", sort="sideways")) == 4
    empty = client.get(url("review-queue"), {"assigned": "me", "production": second_production.pk})
    assert "No consent to review matches." in empty.content.decode()


def test_legal_assigns_from_the_queue_and_comes_back_to_it_filtered(client, submitted, legal, second_legal):
    client.force_login(legal)
    queue = url("review-queue") + "?sort=submitted"
    page = client.get(queue).content.decode()
    assert f'name="next" value="{queue}"' in page

    response = act(
        client, "consent-assign", submitted, {"review_assignee": second_legal.pk, "review_due_on": "", "next": queue}
    )

    assert response.url == queue
    submitted.refresh_from_db()
    assert submitted.review_assignee == second_legal
    assert submitted.review_due_on is None
    assert Notification.objects.filter(recipient=second_legal, event=NotificationEvent.REVIEW_ASSIGNED).exists()


def test_a_decision_from_the_queue_returns_to_the_queue(client, submitted, legal):
    client.force_login(legal)

    response = act(client, "consent-approve", submitted, {"next": url("review-queue")})
    queue = client.get(response.url).content.decode()

    assert response.url == url("review-queue")
    assert "The consent was approved." in queue
    assert "Nothing to review." in queue


def test_a_decision_never_redirects_off_site(client, submitted, legal):
    client.force_login(legal)

    response = act(client, "consent-approve", submitted, {"next": "https://evil.example/"})

    assert response.url == url("consent-detail", submitted.person.production_id, submitted.pk)


def test_a_rejection_from_the_queue_without_a_reason_keeps_the_way_back(client, submitted, legal):
    client.force_login(legal)

    response = act(client, "consent-reject", submitted, {"review_reason": "", "next": url("review-queue")})

    assert response.status_code == 200
    assert f'name="next" value="{url("review-queue")}"' in response.content.decode()


@pytest.mark.parametrize("role", ["producer", "viewer", "outsider"])
def test_only_legal_reviewers_have_a_queue(request, client, submitted, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(url("review-queue"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Only legal reviewers have a review queue." in text
    assert "Ricardo Darín" not in text


def test_an_empty_queue_says_so(client, legal):
    client.force_login(legal)

    assert "Nothing to review." in client.get(url("review-queue")).content.decode()


def test_the_queue_needs_a_sign_in(client):
    response = client.get(url("review-queue"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("waiting", [1, 8])
def test_the_queue_costs_the_same_queries_for_few_or_many(
    client, production, producer, legal, second_legal, second_production, waiting, django_assert_max_num_queries
):
    for number in range(waiting):
        person = PersonFactory(production=production if number % 2 else second_production)
        consent = submit(ConsentFactory(person=person), legal)
        services.assign_review(actor=legal, consent=consent, assignee=legal, due_on=TODAY)
    client.force_login(legal)

    with django_assert_max_num_queries(6):
        response = client.get(url("review-queue"), {"sort": "production"})

    assert response.content.decode().count(">Approve<") == waiting
