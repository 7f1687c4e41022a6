"""The consent status of an AI use, table-driven: every status, and how several people combine."""

import datetime

import pytest

from productions.consent_status import (
    BLOCKING_STATUSES,
    ConsentStatus,
    consent_status,
    consent_statuses,
    with_consent_data,
)
from productions.models import AIUse
from productions.vocabularies import ConsentKind, PerformerUse, ReviewState
from tests.factories import AIUseFactory, ConsentFactory, PersonFactory

ON = datetime.date(2026, 11, 20)
VOICE = ConsentKind.VOICE_CLONE
ALTERATION = ConsentKind.DIGITAL_ALTERATION
DECIDED = {ReviewState.APPROVED, ReviewState.REJECTED, ReviewState.CHANGES_REQUESTED}


def approved(**extra):
    return {"kind": VOICE, "review_state": ReviewState.APPROVED, **extra}


# (case, performer use, people depicted, consents linked as {field: value} per person index)
CASES = [
    ("no performer involved", PerformerUse.NONE, 0, [], ConsentStatus.NOT_NEEDED),
    ("exempt alteration needs no consent", PerformerUse.ALTERATION_EXEMPT, 1, [], ConsentStatus.NOT_NEEDED),
    ("approved consent of the right kind", PerformerUse.VOICE_CLONE, 1, [(0, approved())], ConsentStatus.COVERED),
    (
        "expires later than the assessment date",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(expires_on=ON))],
        ConsentStatus.COVERED,
    ),
    (
        "revocation dated after the assessment date",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(revoked_on=ON + datetime.timedelta(days=1)))],
        ConsentStatus.COVERED,
    ),
    (
        "submitted, awaiting legal",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, {"kind": VOICE, "review_state": ReviewState.SUBMITTED})],
        ConsentStatus.PENDING_REVIEW,
    ),
    (
        "still a draft",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, {"kind": VOICE, "review_state": ReviewState.DRAFT})],
        ConsentStatus.PENDING_REVIEW,
    ),
    (
        "changes requested",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, {"kind": VOICE, "review_state": ReviewState.CHANGES_REQUESTED, "review_reason": "Scope too vague"})],
        ConsentStatus.PENDING_REVIEW,
    ),
    ("nobody linked to a replica", PerformerUse.VOICE_CLONE, 0, [], ConsentStatus.MISSING),
    ("person depicted, no consent", PerformerUse.VOICE_CLONE, 1, [], ConsentStatus.MISSING),
    (
        "rejected consent is no consent",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, {"kind": VOICE, "review_state": ReviewState.REJECTED, "review_reason": "Not separately signed"})],
        ConsentStatus.MISSING,
    ),
    (
        "revoked on the assessment date",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(revoked_on=ON))],
        ConsentStatus.REVOKED,
    ),
    (
        "expired the day before",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(expires_on=ON - datetime.timedelta(days=1)))],
        ConsentStatus.EXPIRED,
    ),
    (
        "consent to another kind of use",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(kind=ALTERATION))],
        ConsentStatus.OUT_OF_SCOPE,
    ),
    (
        "approved but not signed apart from the contract",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(separately_signed=False))],
        ConsentStatus.NOT_SEPARATELY_SIGNED,
    ),
    (
        "a replica consent whose described use includes the voice covers a voice use",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(kind=ConsentKind.EMPLOYMENT_REPLICA, covers_voice=True))],
        ConsentStatus.COVERED,
    ),
    (
        "a replica consent of the likeness only does not cover a voice use",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(kind=ConsentKind.INDEPENDENT_REPLICA))],
        ConsentStatus.OUT_OF_SCOPE,
    ),
    (
        "a voice consent does not cover a replica of the likeness",
        PerformerUse.EMPLOYMENT_REPLICA,
        1,
        [(0, approved())],
        ConsentStatus.OUT_OF_SCOPE,
    ),
    (
        "an alteration consent with the voice ticked still covers no voice use",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(kind=ALTERATION, covers_voice=True))],
        ConsentStatus.OUT_OF_SCOPE,
    ),
    (
        "a second consent under review replaces a revoked one",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(revoked_on=ON)), (0, {"kind": VOICE, "review_state": ReviewState.SUBMITTED})],
        ConsentStatus.PENDING_REVIEW,
    ),
    (
        "two people: one covered, one missing",
        PerformerUse.VOICE_CLONE,
        2,
        [(0, approved())],
        ConsentStatus.MISSING,
    ),
    (
        "two people: revoked beats pending",
        PerformerUse.VOICE_CLONE,
        2,
        [(0, approved(revoked_on=ON)), (1, {"kind": VOICE, "review_state": ReviewState.SUBMITTED})],
        ConsentStatus.REVOKED,
    ),
    (
        "two people both covered",
        PerformerUse.VOICE_CLONE,
        2,
        [(0, approved()), (1, approved())],
        ConsentStatus.COVERED,
    ),
    (
        "a consent of someone not depicted covers nobody",
        PerformerUse.VOICE_CLONE,
        1,
        [(1, approved())],
        ConsentStatus.MISSING,
    ),
]


def build_use(production, performer_use, people_count, consents):
    people = [PersonFactory(production=production) for _ in range(max(people_count, 2))]
    linked = []
    for index, fields in consents:
        if fields.get("review_state") in DECIDED:
            fields.setdefault("reviewed_at", datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC))
        linked.append(ConsentFactory(person=people[index], **fields))
    return AIUseFactory(
        production=production, performer_use=performer_use, people=people[:people_count], consents=linked
    )


@pytest.mark.parametrize(
    ("case", "performer_use", "people_count", "consents", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_consent_status(production, case, performer_use, people_count, consents, expected):
    ai_use = build_use(production, performer_use, people_count, consents)

    assert consent_status(AIUse.objects.get(pk=ai_use.pk), on=ON) == expected
    # The bulk path, from plain values, agrees.
    assert consent_statuses(AIUse.objects.filter(pk=ai_use.pk), on=ON) == {ai_use.pk: expected}


def test_every_status_is_covered_by_the_table():
    assert {case[-1] for case in CASES} == set(ConsentStatus)


def test_blocking_statuses_are_the_ones_that_stop_a_use():
    assert BLOCKING_STATUSES == {
        ConsentStatus.MISSING,
        ConsentStatus.REVOKED,
        ConsentStatus.EXPIRED,
        ConsentStatus.OUT_OF_SCOPE,
        ConsentStatus.NOT_SEPARATELY_SIGNED,
    }


def test_status_defaults_to_today(production):
    ai_use = build_use(
        production,
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(signed_on=datetime.date(1999, 1, 1), expires_on=datetime.date(2000, 1, 1)))],
    )

    assert consent_status(ai_use) == ConsentStatus.EXPIRED


def test_bulk_statuses_cost_three_queries_whatever_the_number_of_uses(production, django_assert_num_queries):
    for _ in range(40):
        build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())])
    build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved(revoked_on=ON))])

    with django_assert_num_queries(3):
        statuses = consent_statuses(with_consent_data(AIUse.objects.all()), on=ON)

    assert statuses == {
        pk: consent_status(ai_use, on=ON) for pk, ai_use in with_consent_data(AIUse.objects.all()).in_bulk().items()
    }
    assert len(statuses) == 41
    assert list(statuses.values()).count(ConsentStatus.COVERED) == 40
    assert list(statuses.values()).count(ConsentStatus.REVOKED) == 1
