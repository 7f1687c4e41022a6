"""Human authorship for awards (Academy 99th rules, from 1 May 2026): computed from the records, never from the
production's declaration alone.
"""

import datetime

import pytest

from productions.vocabularies import (
    ConsentKind,
    Determination,
    DigitalSourceType,
    OutputType,
    PerformerUse,
    Phase,
    ReviewState,
)
from tests.disclosure.checklist.builders import (
    ATTENTION,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    a_use,
    consent_in,
    item,
    nothing,
    on_person,
    production_with,
    record_refs,
)
from tests.factories import AIUseFactory, PersonFactory

YES, NO, UNDETERMINED = Determination.YES, Determination.NO, Determination.NOT_DETERMINED
REVOKED = consent_in(ReviewState.APPROVED, revoked_on=datetime.date(2027, 3, 1))
GENERATED_TEXT = {
    "phase": Phase.DEVELOPMENT,
    "output_type": OutputType.TEXT,
    "digital_source_type": DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
}


def valid(kind=ConsentKind.DIGITAL_ALTERATION):
    return consent_in(ReviewState.APPROVED, kind)


def declared(screenplay=YES, performances=YES, credit="Ariel Rosen", then=nothing):
    """The production's declarations, then the records arranged by `then`."""

    def arrange(production):
        production_with(
            screenplay_human_authored=screenplay, performances_by_humans=performances, screenplay_credit=credit
        )(production)
        then(production)

    return arrange


HUMAN_AUTHORSHIP = [
    pytest.param(declared(), MET, id="human screenplay, credited, human performances: met"),
    pytest.param(nothing, ATTENTION, id="nothing determined (the defaults): attention"),
    pytest.param(declared(screenplay=UNDETERMINED), ATTENTION, id="screenplay not determined: attention"),
    pytest.param(declared(screenplay=NO), ATTENTION, id="screenplay not human-written: attention"),
    pytest.param(declared(credit=""), ATTENTION, id="human screenplay without a credit: attention"),
    pytest.param(declared(performances=UNDETERMINED), ATTENTION, id="performances not determined: attention"),
    pytest.param(declared(performances=NO), ATTENTION, id="performances not all human, none recorded: attention"),
    pytest.param(
        declared(then=on_person(PerformerUse.EMPLOYMENT_REPLICA, valid(ConsentKind.EMPLOYMENT_REPLICA))),
        ATTENTION,
        id="final replica with a valid consent: attention, an exception to name",
    ),
    pytest.param(
        declared(
            then=on_person(
                PerformerUse.VOICE_CLONE,
                consent_in(
                    ReviewState.APPROVED, ConsentKind.INDEPENDENT_REPLICA, covers_voice=True, covers_likeness=False
                ),
            )
        ),
        ATTENTION,
        id="final voice clone with a valid consent: attention",
    ),
    pytest.param(
        declared(then=on_person(PerformerUse.DIGITAL_ALTERATION, valid())),
        ATTENTION,
        id="final alteration with a valid consent: attention",
    ),
    pytest.param(
        declared(then=on_person(PerformerUse.ALTERATION_EXEMPT)),
        MET,
        id="alteration as performed: no exception, met",
    ),
    pytest.param(
        declared(then=on_person(PerformerUse.DIGITAL_ALTERATION, REVOKED)),
        NOT_MET,
        id="final alteration with a revoked consent, performances declared human: not met",
    ),
    pytest.param(
        declared(then=on_person(PerformerUse.EMPLOYMENT_REPLICA)),
        NOT_MET,
        id="final replica without consent, performances declared human: not met",
    ),
    pytest.param(
        declared(then=on_person(PerformerUse.DIGITAL_ALTERATION, consent_in(ReviewState.SUBMITTED))),
        ATTENTION,
        id="final alteration with a consent awaiting review: attention",
    ),
    pytest.param(
        declared(then=on_person(PerformerUse.EMPLOYMENT_REPLICA, is_final=False)),
        MET,
        id="temporary replica, not in the film: met",
    ),
    pytest.param(
        declared(then=a_use(**GENERATED_TEXT)),
        ATTENTION,
        id="human screenplay declared, generated development text in the final work: attention",
    ),
    pytest.param(
        declared(then=a_use(is_final=False, **GENERATED_TEXT)),
        MET,
        id="generated development text left out of the final work: met",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), HUMAN_AUTHORSHIP)
def test_human_authorship(production, arrange, expected):
    arrange(production)

    result = item(production, "human-authorship")

    assert result.status == expected, result.explanation


def test_met_names_the_credited_writers(production):
    declared(credit="Ariel Rosen and Léa Martin")(production)

    result = item(production, "human-authorship")

    assert result.status == MET
    assert "Ariel Rosen and Léa Martin" in result.explanation


def test_a_consented_replica_is_named_as_an_exception(production):
    declared()(production)
    replica = on_person(PerformerUse.EMPLOYMENT_REPLICA, valid(ConsentKind.EMPLOYMENT_REPLICA))(production)

    result = item(production, "human-authorship")

    assert result.status == ATTENTION
    assert "exception" in result.explanation
    assert ("ai_use", replica.id) in record_refs(result)


def test_the_declaration_never_makes_an_unconsented_replica_met(production):
    declared(performances=YES)(production)
    person = PersonFactory(production=production, name="Ricardo Darín")
    consent = REVOKED(person)
    use = AIUseFactory(
        production=production, performer_use=PerformerUse.DIGITAL_ALTERATION, people=[person], consents=[consent]
    )

    result = item(production, "human-authorship")

    assert result.status == NOT_MET
    assert "without a valid consent" in result.explanation
    assert "declares every performance given by a human" in result.explanation
    assert {("ai_use", use.id), ("person", person.id)} <= record_refs(result)


def test_a_replica_whose_coverage_legal_has_not_confirmed_asks_for_it_and_is_not_said_to_be_consented(production):
    declared(performances=YES)(production)
    replica = on_person(PerformerUse.EMPLOYMENT_REPLICA, valid(ConsentKind.EMPLOYMENT_REPLICA), coverage=False)(
        production
    )

    result = item(production, "human-authorship")

    assert result.status == ATTENTION
    assert "yet to confirm covers it" in result.explanation
    assert "with a valid consent" not in result.explanation
    assert ("ai_use", replica.id) in record_refs(result)


def test_generated_text_in_a_declared_human_screenplay_asks_to_reconcile(production):
    declared()(production)
    text = AIUseFactory(production=production, **GENERATED_TEXT)

    result = item(production, "human-authorship")

    assert result.status == ATTENTION
    assert "reconcile" in result.explanation
    assert record_refs(result) == {("ai_use", text.id)}


@pytest.mark.parametrize(
    ("determination", "words"),
    [
        pytest.param(UNDETERMINED, "not determined: decide and record it", id="screenplay undetermined"),
        pytest.param(NO, "must name what was not", id="screenplay not human-written"),
    ],
)
def test_the_screenplay_determination_says_what_to_do(production, determination, words):
    declared(screenplay=determination)(production)

    result = item(production, "human-authorship")

    assert result.status == ATTENTION
    assert words in result.explanation


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(datetime.date(2026, 4, 30), NOT_APPLICABLE, id="30 Apr 2026: before the 99th rules"),
        pytest.param(datetime.date(2026, 5, 1), ATTENTION, id="1 May 2026: the 99th rules apply"),
    ],
)
def test_human_authorship_applies_from_the_99th_rules(production, on, expected):
    declared(screenplay=UNDETERMINED)(production)

    result = item(production, "human-authorship", on=on)

    assert result.status == expected
    if expected == NOT_APPLICABLE:
        assert "applies from 1 May 2026" in result.explanation
        assert "Once it applies" in result.explanation
