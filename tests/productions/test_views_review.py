"""The legal review of consents: submit, approve, reject, request changes, revoke, and the review queue."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from productions import services
from productions.models import Consent
from productions.vocabularies import ConsentKind, PerformerUse, ReviewState, Role
from tests.factories import (
    AIUseFactory,
    ConsentFactory,
    MembershipFactory,
    PersonFactory,
    ProductionFactory,
    UserFactory,
)


def url(name, *args):
    return reverse(f"productions:{name}", args=args)


def act(client, name, consent, data=None):
    return client.post(url(name, consent.person.production_id, consent.pk), data or {})


def state_of(consent):
    consent.refresh_from_db()
    return consent.review_state


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")


@pytest.fixture
def draft(performer):
    return ConsentFactory(person=performer)


@pytest.fixture
def submitted(performer, producer):
    consent = ConsentFactory(person=performer)
    return services.submit_consent(actor=producer, consent=consent)


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


# Deciding


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
    assert "Reviewed by" in page
    assert "lea" in page


@pytest.mark.parametrize("role", ["producer", "viewer"])
@pytest.mark.parametrize("name", ["consent-approve", "consent-reject", "consent-request-changes"])
def test_only_legal_decides(request, client, submitted, role, name):
    client.force_login(request.getfixturevalue(role))

    response = act(client, name, submitted, {"review_reason": "Not specific enough."})

    assert response.status_code == 403
    assert state_of(submitted) == ReviewState.SUBMITTED


@pytest.mark.parametrize("name", ["consent-approve", "consent-reject", "consent-request-changes", "consent-revoke"])
def test_an_outsider_finds_nothing_to_decide_on(client, submitted, outsider, name):
    client.force_login(outsider)

    assert act(client, name, submitted, {"review_reason": "No.", "revoked_on": "2026-04-01"}).status_code == 404
    assert state_of(submitted) == ReviewState.SUBMITTED


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


@pytest.mark.parametrize("name", ["consent-submit", "consent-approve", "consent-reject", "consent-revoke"])
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
    assert url("consent-approve", submitted.person.production_id, submitted.pk) in legal_page
    assert url("consent-request-changes", submitted.person.production_id, submitted.pk) in legal_page


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


# Revoking


@pytest.mark.parametrize("role", ["producer", "legal"])
def test_an_editor_records_a_withdrawal_and_the_uses_become_blocked(request, client, production, performer, role):
    consent = ConsentFactory(
        person=performer,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
    )
    AIUseFactory(
        production=production, performer_use=PerformerUse.DIGITAL_ALTERATION, people=[performer], consents=[consent]
    )
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = act(client, "consent-revoke", consent, {"revoked_on": "2026-04-01"})

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_on == datetime.date(2026, 4, 1)
    assert consent.history.latest().history_user == user
    assert consent.history.latest().history_change_reason == "revoked"
    text = client.get(response.url).content.decode()
    assert 'class="status status-revoked">Revoked on April 1, 2026' in text
    assert '<tr class="blocked">' in text


def test_a_withdrawal_needs_its_date(client, submitted, producer):
    client.force_login(producer)

    response = act(client, "consent-revoke", submitted, {"revoked_on": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.revoked_on is None


def test_a_consent_cannot_be_withdrawn_before_it_was_signed(client, submitted, producer):
    client.force_login(producer)

    response = act(client, "consent-revoke", submitted, {"revoked_on": "2026-02-01"})

    assert response.status_code == 200
    assert "A consent cannot be revoked before it is signed." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.revoked_on is None


def test_a_viewer_may_not_revoke(client, submitted, viewer):
    client.force_login(viewer)

    assert act(client, "consent-revoke", submitted, {"revoked_on": "2026-04-01"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.revoked_on is None


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
    later = services.submit_consent(
        actor=legal, consent=ConsentFactory(person=adler, kind=ConsentKind.VOICE_CLONE, scope_description="Voice.")
    )
    ConsentFactory(person=performer, kind=ConsentKind.EMPLOYMENT_REPLICA)  # a draft waits for no one
    # Another production where lea has no role: its submissions are none of her business.
    hidden = ConsentFactory(person=PersonFactory(production=outsider.memberships.get().production, name="Hidden"))
    Consent.objects.filter(pk=hidden.pk).update(review_state=ReviewState.SUBMITTED)
    client.force_login(legal)

    response = client.get(url("review-queue"))

    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Digital alteration: Ricardo Darín") < text.index("Voice clone or synthesis: Tomás Adler")
    assert "El Eternauta" in text
    assert "The Iron Wanderer" in text
    assert "by paula" in text
    assert url("consent-approve", second_production.pk, later.pk) in text
    assert "Employment-based" not in text
    assert "Hidden" not in text


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
    client, production, producer, legal, waiting, django_assert_max_num_queries
):
    for _ in range(waiting):
        services.submit_consent(actor=producer, consent=ConsentFactory(person=PersonFactory(production=production)))
    client.force_login(legal)

    with django_assert_max_num_queries(5):
        response = client.get(url("review-queue"))

    assert response.content.decode().count(">Approve<") == waiting
