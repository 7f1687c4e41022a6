"""AI Act high-risk uses (Art. 6(2), Annex III 1(b), 1(c), 4(a); from 2 Dec 2027 as amended), flagged per use."""

import datetime

import pytest

from productions.vocabularies import EmotionRecognition, Phase
from tests.disclosure.checklist.builders import (
    ATTENTION,
    MET,
    NOT_APPLICABLE,
    a_use,
    both,
    item,
    nothing,
    record_refs,
)
from tests.factories import AIUseFactory

DEC_1_2027, DEC_2_2027 = datetime.date(2027, 12, 1), datetime.date(2027, 12, 2)

HIGH_RISK = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(), MET, id="ordinary VFX use: met"),
    pytest.param(
        a_use(phase=Phase.CASTING, screens_casting_or_hiring=True, is_final=False),
        ATTENTION,
        id="casting screening (4(a)), not in the final work: attention",
    ),
    pytest.param(
        a_use(emotion_recognition=EmotionRecognition.AUDIENCE), ATTENTION, id="test-audience emotions (1(c)): attention"
    ),
    pytest.param(a_use(emotion_recognition=EmotionRecognition.OTHER), ATTENTION, id="other emotions (1(c)): attention"),
    pytest.param(
        a_use(emotion_recognition=EmotionRecognition.CAST_CREW_AT_WORK),
        ATTENTION,
        id="cast emotions (1(c)): attention",
    ),
    pytest.param(a_use(biometric_categorisation=True), ATTENTION, id="biometric categorisation (1(b)): attention"),
    pytest.param(
        both(a_use(), a_use(screens_casting_or_hiring=True)), ATTENTION, id="one flagged use among others: attention"
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), HIGH_RISK)
def test_high_risk(production, arrange, expected):
    arrange(production)

    result = item(production, "high-risk")

    assert result.status == expected, result.explanation


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        pytest.param({"screens_casting_or_hiring": True}, "Annex III 4(a)", id="casting or hiring"),
        pytest.param({"emotion_recognition": EmotionRecognition.AUDIENCE}, "Annex III 1(c)", id="emotion recognition"),
        pytest.param({"biometric_categorisation": True}, "Annex III 1(b)", id="biometric categorisation"),
    ],
)
def test_each_high_risk_use_is_named_with_its_annex_point_and_the_deployer_duties(production, fields, words):
    flagged = AIUseFactory(production=production, **fields)
    AIUseFactory(production=production)

    result = item(production, "high-risk")

    assert result.status == ATTENTION
    assert words in result.explanation
    assert "Art. 26" in result.explanation
    assert "Art. 6(3)" in result.explanation
    assert record_refs(result) == {("ai_use", flagged.id)}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(DEC_1_2027, NOT_APPLICABLE, id="1 Dec 2027: not yet in force"),
        pytest.param(DEC_2_2027, ATTENTION, id="2 Dec 2027: applies"),
    ],
)
def test_high_risk_applies_from_2_december_2027(production, on, expected):
    screening = AIUseFactory(production=production, screens_casting_or_hiring=True, is_final=False)

    result = item(production, "high-risk", on=on)

    assert result.status == expected
    assert ("ai_use", screening.id) in record_refs(result)
    assert "casting or hiring" in result.explanation
    if expected == NOT_APPLICABLE:
        assert not result.in_force
        assert "applies from 2 December 2027" in result.explanation
        assert "Once it applies" in result.explanation


def test_before_2_december_2027_with_nothing_to_flag_only_the_date_is_said(production):
    AIUseFactory(production=production)

    result = item(production, "high-risk", on=DEC_1_2027)

    assert result.status == NOT_APPLICABLE
    assert result.explanation == "Not in force on the assessment date: applies from 2 December 2027."
    assert result.records == []


@pytest.mark.parametrize(
    ("used_until", "expected"),
    [
        pytest.param(DEC_1_2027, MET, id="ended 1 Dec 2027: not flagged"),
        pytest.param(DEC_2_2027, ATTENTION, id="ended 2 Dec 2027: flagged"),
        pytest.param(None, ATTENTION, id="no last date: flagged"),
    ],
)
def test_a_high_risk_use_is_judged_by_its_own_dates(production, used_until, expected):
    use = AIUseFactory(
        production=production,
        screens_casting_or_hiring=True,
        used_from=datetime.date(2027, 6, 1),
        used_until=used_until,
    )

    result = item(production, "high-risk")

    assert result.status == expected, result.explanation
    if expected == MET:
        assert "ended before 2 December 2027" in result.explanation
        assert ("ai_use", use.id) not in record_refs(result)
    else:
        assert ("ai_use", use.id) in record_refs(result)
