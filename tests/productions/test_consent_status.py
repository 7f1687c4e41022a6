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
from productions.models import AIUse, Consent
from productions.vocabularies import (
    ConsentKind,
    ConsentMedium,
    CoverageDecisionKind,
    OutputType,
    PerformerUse,
    PublishedIn,
    ReviewState,
)
from tests.factories import AIUseFactory, ConsentFactory, PersonFactory, confirm_coverage

ON = datetime.date(2026, 11, 20)
# A voice clone consent: a digital replica of the voice, not of the face and body.
VOICE = {"kind": ConsentKind.INDEPENDENT_REPLICA, "covers_voice": True, "covers_likeness": False}
LIKENESS = {"kind": ConsentKind.INDEPENDENT_REPLICA, "covers_voice": False, "covers_likeness": True}
ALTERATION = ConsentKind.DIGITAL_ALTERATION
DECIDED = {ReviewState.APPROVED, ReviewState.REJECTED, ReviewState.CHANGES_REQUESTED}
# A consent's "coverage": legal's decision on this use (None: not decided yet); confirmed unless a case says.
TO_CONFIRM = {"coverage": None}


def approved(**extra):
    return {**VOICE, "review_state": ReviewState.APPROVED, **extra}


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
        [(0, {**VOICE, "review_state": ReviewState.SUBMITTED})],
        ConsentStatus.PENDING_REVIEW,
    ),
    (
        "still a draft",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, {**VOICE, "review_state": ReviewState.DRAFT})],
        ConsentStatus.PENDING_REVIEW,
    ),
    (
        "changes requested",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, {**VOICE, "review_state": ReviewState.CHANGES_REQUESTED, "review_reason": "Scope too vague"})],
        ConsentStatus.PENDING_REVIEW,
    ),
    ("nobody linked to a replica", PerformerUse.VOICE_CLONE, 0, [], ConsentStatus.MISSING),
    ("person depicted, no consent", PerformerUse.VOICE_CLONE, 1, [], ConsentStatus.MISSING),
    (
        "rejected consent is no consent",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, {**VOICE, "review_state": ReviewState.REJECTED, "review_reason": "Not separately signed"})],
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
        "approved but not signed apart from the contract, no reason recorded",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(separately_signed=False))],
        ConsentStatus.NOT_SEPARATELY_SIGNED,
    ),
    (
        "approved although not separately signed, with legal's reason recorded",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(separately_signed=False, not_separately_signed_reason="Own page of the contract, initialled."))],
        ConsentStatus.COVERED,
    ),
    (
        "valid consent whose coverage of this use legal has not decided",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(**TO_CONFIRM))],
        ConsentStatus.SCOPE_TO_CONFIRM,
    ),
    (
        "valid consent legal decided does not cover this use",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(coverage=CoverageDecisionKind.DOES_NOT_COVER))],
        ConsentStatus.OUT_OF_SCOPE,
    ),
    (
        "term starting after the assessment date, coverage confirmed",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(term_starts_on=ON + datetime.timedelta(days=1)))],
        ConsentStatus.OUT_OF_SCOPE,
    ),
    (
        "term starting on the assessment date",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(term_starts_on=ON))],
        ConsentStatus.COVERED,
    ),
    (
        "a pending consent is pending whatever its coverage",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, {**VOICE, "review_state": ReviewState.SUBMITTED, **TO_CONFIRM})],
        ConsentStatus.PENDING_REVIEW,
    ),
    (
        "a consent confirmed beats one of the same person still to confirm",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(**TO_CONFIRM)), (0, approved())],
        ConsentStatus.COVERED,
    ),
    (
        "to confirm beats pending for the same person",
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(**TO_CONFIRM)), (0, {**VOICE, "review_state": ReviewState.SUBMITTED})],
        ConsentStatus.SCOPE_TO_CONFIRM,
    ),
    (
        "two people: one covered, one still to confirm",
        PerformerUse.VOICE_CLONE,
        2,
        [(0, approved()), (1, approved(**TO_CONFIRM))],
        ConsentStatus.SCOPE_TO_CONFIRM,
    ),
    (
        "two people: missing beats to confirm",
        PerformerUse.VOICE_CLONE,
        2,
        [(0, approved(**TO_CONFIRM))],
        ConsentStatus.MISSING,
    ),
    (
        "a synthetic performer rests on a synthetic performer notice",
        PerformerUse.SYNTHETIC_PERFORMER,
        1,
        [(0, approved(kind=ConsentKind.SYNTHETIC_PERFORMER))],
        ConsentStatus.COVERED,
    ),
    (
        "a replica consent of likeness and voice does not cover a synthetic performer",
        PerformerUse.SYNTHETIC_PERFORMER,
        1,
        [(0, approved(covers_likeness=True))],
        ConsentStatus.OUT_OF_SCOPE,
    ),
    (
        "a synthetic performer notice covers no replica",
        PerformerUse.EMPLOYMENT_REPLICA,
        1,
        [(0, approved(kind=ConsentKind.SYNTHETIC_PERFORMER))],
        ConsentStatus.OUT_OF_SCOPE,
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
        [(0, approved(**LIKENESS))],
        ConsentStatus.OUT_OF_SCOPE,
    ),
    (
        "a voice consent does not cover a replica of the likeness in a picture",
        PerformerUse.EMPLOYMENT_REPLICA,
        1,
        [(0, approved(kind=ConsentKind.EMPLOYMENT_REPLICA))],
        ConsentStatus.OUT_OF_SCOPE,
    ),
    (
        "a replica consent of the likeness covers a replica in a picture",
        PerformerUse.EMPLOYMENT_REPLICA,
        1,
        [(0, approved(**{**LIKENESS, "kind": ConsentKind.EMPLOYMENT_REPLICA}))],
        ConsentStatus.COVERED,
    ),
    (
        "a replica consent of another replica kind does not cover it",
        PerformerUse.EMPLOYMENT_REPLICA,
        1,
        [(0, approved(**LIKENESS))],
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
        [(0, approved(revoked_on=ON)), (0, {**VOICE, "review_state": ReviewState.SUBMITTED})],
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
        [(0, approved(revoked_on=ON)), (1, {**VOICE, "review_state": ReviewState.SUBMITTED})],
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


def build_use(production, performer_use, people_count, consents, **use_fields):
    """A use depicting `people_count` people, relying on `consents` ((person index, fields) each), with legal's
    coverage decision on each as its fields say (confirmed by default)."""
    people = [PersonFactory(production=production) for _ in range(max(people_count, 2))]
    linked, decisions = [], []
    for index, fields in consents:
        fields = dict(fields)
        decision = fields.pop("coverage", CoverageDecisionKind.COVERS)
        if fields.get("review_state") in DECIDED:
            fields.setdefault("reviewed_at", datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC))
        consent = ConsentFactory(person=people[index], **fields)
        linked.append(consent)
        decisions.append((consent, decision))
    ai_use = AIUseFactory(
        production=production,
        performer_use=performer_use,
        people=people[:people_count],
        consents=linked,
        coverage=False,
        **use_fields,
    )
    for consent, decision in decisions:
        if decision is not None:
            confirm_coverage(ai_use, consent, decision=decision)
    return ai_use


def both_ways(ai_use, on=ON):
    """The use's status from `consent_status` on a fresh instance, checked to agree with the bulk path."""
    status = consent_status(with_consent_data(AIUse.objects.filter(pk=ai_use.pk)).get(), on=on)
    assert consent_statuses(AIUse.objects.filter(pk=ai_use.pk), on=on) == {ai_use.pk: status}
    return status


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
        ConsentStatus.SCOPE_TO_CONFIRM,
    }


def test_status_defaults_to_today(production):
    ai_use = build_use(
        production,
        PerformerUse.VOICE_CLONE,
        1,
        [(0, approved(signed_on=datetime.date(1999, 1, 1), expires_on=datetime.date(2000, 1, 1)))],
    )

    assert consent_status(ai_use) == ConsentStatus.EXPIRED


def test_bulk_statuses_cost_six_queries_whatever_the_number_of_uses(production, django_assert_num_queries):
    for _ in range(40):
        build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())])
    build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved(revoked_on=ON))])
    build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved(**TO_CONFIRM))])

    # The uses needing consent, those needing none, people, consent links, consents and coverage decisions.
    with django_assert_num_queries(6):
        statuses = consent_statuses(with_consent_data(AIUse.objects.all()), on=ON)

    assert statuses == {
        pk: consent_status(ai_use, on=ON) for pk, ai_use in with_consent_data(AIUse.objects.all()).in_bulk().items()
    }
    assert len(statuses) == 42
    assert list(statuses.values()).count(ConsentStatus.COVERED) == 40
    assert list(statuses.values()).count(ConsentStatus.REVOKED) == 1
    assert list(statuses.values()).count(ConsentStatus.SCOPE_TO_CONFIRM) == 1


def test_bulk_statuses_agree_with_each_uses_status_on_a_mixed_set(production):
    """Every case of the table, and stale decisions, in one production: the bulk path from a queryset and from a
    list of uses says what `consent_status` says of each."""
    for _case, performer_use, people_count, consents, _expected in CASES:
        build_use(production, performer_use, people_count, consents)
    stale = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())])
    AIUse.objects.filter(pk=stale.pk).update(shots="Reel 5")
    build_use(production, PerformerUse.EMPLOYMENT_REPLICA, 1, [(0, approved(kind=ConsentKind.EMPLOYMENT_REPLICA))],
              output_type=OutputType.AUDIO)  # fmt: skip
    uses = list(with_consent_data(AIUse.objects.all()))

    each = {use.pk: consent_status(use, on=ON) for use in uses}

    assert consent_statuses(AIUse.objects.all(), on=ON) == each
    assert consent_statuses(uses, on=ON) == each
    assert set(each.values()) == set(ConsentStatus)
    assert each[stale.pk] == ConsentStatus.SCOPE_TO_CONFIRM


@pytest.mark.parametrize(
    ("consent_fields", "output_type", "expected"),
    [
        pytest.param(VOICE, OutputType.AUDIO, ConsentStatus.COVERED, id="audio output: a consent of the voice covers"),
        pytest.param(LIKENESS, OutputType.AUDIO, ConsentStatus.OUT_OF_SCOPE, id="audio output: the likeness does not"),
        pytest.param(LIKENESS, OutputType.VIDEO, ConsentStatus.COVERED, id="picture: a consent of the likeness covers"),
        pytest.param(LIKENESS, OutputType.IMAGE, ConsentStatus.COVERED, id="still image: the likeness covers"),
        pytest.param(VOICE, OutputType.VIDEO, ConsentStatus.OUT_OF_SCOPE, id="picture: the voice does not"),
    ],
)
def test_a_replica_is_of_the_voice_in_an_audio_output_and_of_the_likeness_in_a_picture(
    production, consent_fields, output_type, expected
):
    fields = approved(**{**consent_fields, "kind": ConsentKind.BACKGROUND_REPLICA})
    ai_use = build_use(production, PerformerUse.BACKGROUND_REPLICA, 1, [(0, fields)], output_type=output_type)

    assert both_ways(ai_use) == expected


# A coverage decision holds for the consent's scope and the use's facts it was made on.

CONSENT_SCOPE_CHANGES = [
    ("kind", ConsentKind.EMPLOYMENT_REPLICA),
    ("scope_description", "Synthesis of her voice for the closing song only."),
    ("scope_shots", "Reel 5"),
    ("media", [ConsentMedium.THEATRICAL]),
    ("media_notes", "Festival screenings"),
    ("territory", "France"),
    ("term_starts_on", datetime.date(2026, 1, 1)),
    ("expires_on", datetime.date(2030, 12, 31)),
    ("covers_likeness", True),
]


@pytest.mark.parametrize(("name", "value"), CONSENT_SCOPE_CHANGES, ids=[name for name, _ in CONSENT_SCOPE_CHANGES])
def test_a_decision_is_to_confirm_again_once_the_consents_scope_changes(production, name, value):
    ai_use = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved(media=[ConsentMedium.STREAMING]))])
    assert both_ways(ai_use) == ConsentStatus.COVERED
    consent = ai_use.consents.get()

    setattr(consent, name, value)
    consent.save()

    assert both_ways(ai_use) == ConsentStatus.SCOPE_TO_CONFIRM
    confirm_coverage(ai_use, consent)
    assert both_ways(ai_use) == ConsentStatus.COVERED


USE_FACT_CHANGES = [
    ("description", "Her voice sings the closing song."),
    ("shots", "Reel 5"),
    ("is_final", False),
    ("published_in", [PublishedIn.TRAILER]),
    ("output_type", OutputType.VIDEO),
]


@pytest.mark.parametrize(("name", "value"), USE_FACT_CHANGES, ids=[name for name, _ in USE_FACT_CHANGES])
def test_a_decision_is_to_confirm_again_once_the_uses_facts_change(production, name, value):
    ai_use = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())], output_type=OutputType.AUDIO)
    assert both_ways(ai_use) == ConsentStatus.COVERED

    setattr(ai_use, name, value)
    ai_use.save()

    assert both_ways(ai_use) == ConsentStatus.SCOPE_TO_CONFIRM


def test_a_refusal_also_stops_holding_once_the_facts_change(production):
    refused = approved(coverage=CoverageDecisionKind.DOES_NOT_COVER)
    ai_use = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, refused)])
    assert both_ways(ai_use) == ConsentStatus.OUT_OF_SCOPE

    AIUse.objects.filter(pk=ai_use.pk).update(shots="Reel 3 only")

    assert both_ways(ai_use) == ConsentStatus.SCOPE_TO_CONFIRM


def test_terms_that_are_not_the_scope_leave_a_decision_standing(production):
    ai_use = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved())])
    consent = ai_use.consents.get()

    Consent.objects.filter(pk=consent.pk).update(compensation="Double fee", dpia_reference="DPIA-2")
    AIUse.objects.filter(pk=ai_use.pk).update(title="Renamed", human_contribution="Mixed by hand.")

    assert both_ways(ai_use) == ConsentStatus.COVERED


def test_the_term_start_is_read_on_the_date_asked(production):
    ai_use = build_use(production, PerformerUse.VOICE_CLONE, 1, [(0, approved(term_starts_on=ON))])

    assert both_ways(ai_use, on=ON - datetime.timedelta(days=1)) == ConsentStatus.OUT_OF_SCOPE
    assert both_ways(ai_use, on=ON) == ConsentStatus.COVERED
