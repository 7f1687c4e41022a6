"""AI Act Art. 5: prohibited practices (5(1)(e)-(g), from 2 Feb 2025) and intimate imagery (5(1)(ba)-(bb), from
2 Dec 2026), judged per use by the use's own dates; fines under Art. 99(3).
"""

import datetime

import pytest

from productions.vocabularies import (
    CompanySize,
    ConsentKind,
    EmotionRecognition,
    PerformerUse,
    ReviewState,
    UsePurpose,
)
from tests.disclosure.checklist.builders import (
    ATTENTION,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    a_use,
    approved,
    both,
    consent_in,
    item,
    nothing,
    on_person,
    record_refs,
    set_production,
)
from tests.factories import AIUseFactory, PersonFactory

CAST_EMOTIONS = {"emotion_recognition": EmotionRecognition.CAST_CREW_AT_WORK}
FEB_1_2025, FEB_2_2025 = datetime.date(2025, 2, 1), datetime.date(2025, 2, 2)
DEC_1_2026, DEC_2_2026 = datetime.date(2026, 12, 1), datetime.date(2026, 12, 2)

# Art. 5(1)(e), (f), (g)

PRACTICES = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(), MET, id="ordinary VFX use: met"),
    pytest.param(a_use(emotion_recognition=EmotionRecognition.AUDIENCE), MET, id="test-audience emotions: not 5(1)(f)"),
    pytest.param(a_use(purpose=UsePurpose.MEDICAL, **CAST_EMOTIONS), ATTENTION, id="cast emotions, medical: attention"),
    pytest.param(a_use(purpose=UsePurpose.SAFETY, **CAST_EMOTIONS), ATTENTION, id="cast emotions, safety: attention"),
    pytest.param(a_use(purpose=UsePurpose.OTHER, **CAST_EMOTIONS), NOT_MET, id="cast emotions, other purpose: not met"),
    pytest.param(a_use(**CAST_EMOTIONS), NOT_MET, id="cast emotions, purpose not stated: not met"),
    pytest.param(
        a_use(purpose=UsePurpose.DATASET_LABELLING, **CAST_EMOTIONS),
        NOT_MET,
        id="cast emotions, dataset labelling is no 5(1)(f) exception: not met",
    ),
    pytest.param(a_use(sensitive_traits_inferred=True), NOT_MET, id="sensitive traits inferred: not met"),
    pytest.param(
        a_use(sensitive_traits_inferred=True, purpose=UsePurpose.DATASET_LABELLING),
        ATTENTION,
        id="sensitive traits, dataset labelling: attention",
    ),
    pytest.param(
        a_use(sensitive_traits_inferred=True, purpose=UsePurpose.SAFETY),
        NOT_MET,
        id="sensitive traits, safety is no 5(1)(g) exception: not met",
    ),
    pytest.param(a_use(untargeted_face_scraping=True), NOT_MET, id="untargeted face scraping: not met"),
    pytest.param(
        a_use(untargeted_face_scraping=True, is_final=False),
        NOT_MET,
        id="face scraping for a temporary use: the practice itself is prohibited",
    ),
    pytest.param(
        both(a_use(purpose=UsePurpose.SAFETY, **CAST_EMOTIONS), a_use(untargeted_face_scraping=True)),
        NOT_MET,
        id="safety monitoring beside scraping: the worst, not met",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), PRACTICES)
def test_prohibited_practices(production, arrange, expected):
    arrange(production)

    result = item(production, "prohibited-practices")

    assert result.status == expected, result.explanation


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        pytest.param(CAST_EMOTIONS, "Art. 5(1)(f)", id="emotions at work"),
        pytest.param({"sensitive_traits_inferred": True}, "Art. 5(1)(g)", id="sensitive traits"),
        pytest.param({"untargeted_face_scraping": True}, "Art. 5(1)(e)", id="face scraping"),
    ],
)
def test_a_prohibited_practice_names_its_paragraph_and_its_use(production, fields, words):
    breach = AIUseFactory(production=production, **fields)
    AIUseFactory(production=production)

    result = item(production, "prohibited-practices")

    assert result.status == NOT_MET
    assert words in result.explanation
    assert record_refs(result) == {("ai_use", breach.id)}


def test_safety_monitoring_says_what_to_check(production):
    monitoring = AIUseFactory(production=production, purpose=UsePurpose.SAFETY, **CAST_EMOTIONS)

    result = item(production, "prohibited-practices")

    assert result.status == ATTENTION
    assert "only purpose" in result.explanation
    assert "inform the people exposed" in result.explanation
    assert record_refs(result) == {("ai_use", monitoring.id)}


def test_dataset_labelling_asks_how_the_dataset_was_acquired(production):
    AIUseFactory(production=production, sensitive_traits_inferred=True, purpose=UsePurpose.DATASET_LABELLING)

    result = item(production, "prohibited-practices")

    assert result.status == ATTENTION
    assert "lawfully acquired" in result.explanation


BREACHES = [
    pytest.param(CAST_EMOTIONS, id="emotions at work"),
    pytest.param({"sensitive_traits_inferred": True}, id="sensitive traits"),
    pytest.param({"untargeted_face_scraping": True}, id="face scraping"),
]


@pytest.mark.parametrize("fields", BREACHES)
@pytest.mark.parametrize(
    ("used_until", "expected"),
    [
        pytest.param(FEB_1_2025, MET, id="ended 1 Feb 2025: no breach"),
        pytest.param(FEB_2_2025, NOT_MET, id="ended 2 Feb 2025: breach"),
        pytest.param(None, NOT_MET, id="no last date: judged as in force"),
    ],
)
def test_a_prohibited_use_is_judged_by_its_own_dates(production, fields, used_until, expected):
    use = AIUseFactory(production=production, used_from=datetime.date(2024, 10, 1), used_until=used_until, **fields)

    result = item(production, "prohibited-practices")

    assert result.status == expected, result.explanation
    if expected == MET:
        assert "ended before 2 February 2025" in result.explanation
        assert "no breach" in result.explanation
    else:
        assert ("ai_use", use.id) in record_refs(result)
    if used_until is None:
        assert "no last date recorded" in result.explanation


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(FEB_1_2025, NOT_APPLICABLE, id="1 Feb 2025: not yet in force"),
        pytest.param(FEB_2_2025, NOT_MET, id="2 Feb 2025: applies"),
    ],
)
def test_prohibitions_apply_from_2_february_2025(production, on, expected):
    use = AIUseFactory(production=production, **CAST_EMOTIONS)

    result = item(production, "prohibited-practices", on=on)

    assert result.status == expected
    assert ("ai_use", use.id) in record_refs(result)
    if expected == NOT_APPLICABLE:
        assert "applies from 2 February 2025" in result.explanation
        assert "Once it applies" in result.explanation


@pytest.mark.parametrize(
    ("company_size", "words", "absent"),
    [
        pytest.param(CompanySize.SME, "lower for an SME", "higher", id="SME: the lower amount"),
        pytest.param(
            CompanySize.SMALL_MID_CAP,
            "higher",
            "lower",
            id="small mid-cap: 99(6a) covers only 99(4)-(5), so the higher amount",
        ),
        pytest.param(CompanySize.OTHER, "higher", "lower", id="larger company: the higher amount"),
        pytest.param(CompanySize.NOT_STATED, "Record the company's size class", None, id="size not stated"),
    ],
)
def test_the_fine_for_a_prohibited_practice_follows_the_company_size(production, company_size, words, absent):
    set_production(production, company_size=company_size)
    AIUseFactory(production=production, untargeted_face_scraping=True)

    result = item(production, "prohibited-practices")

    assert result.status == NOT_MET
    assert "Art. 99(3)" in result.penalty
    assert "EUR 35 million" in result.penalty
    assert words in result.penalty
    if absent:
        assert absent not in result.penalty


def test_the_small_mid_cap_relief_is_said_not_to_extend_to_prohibited_practices(production):
    set_production(production, company_size=CompanySize.SMALL_MID_CAP)
    AIUseFactory(production=production, untargeted_face_scraping=True)

    assert "does not extend to prohibited practices" in item(production, "prohibited-practices").penalty


@pytest.mark.parametrize(
    ("on", "has_fine"),
    [
        pytest.param(datetime.date(2025, 8, 1), False, id="1 Aug 2025: Art. 99 not yet applicable"),
        pytest.param(datetime.date(2025, 8, 2), True, id="2 Aug 2025: Art. 99 applies"),
    ],
)
def test_no_fine_is_printed_before_the_penalties_apply(production, on, has_fine):
    AIUseFactory(production=production, untargeted_face_scraping=True)

    result = item(production, "prohibited-practices", on=on)

    assert result.status == NOT_MET
    assert bool(result.penalty) is has_fine


# Art. 5(1)(ba)-(bb): sexual or intimate imagery of an identifiable person


def intimate_consent(state=ReviewState.APPROVED, **fields):
    """A consent to generating intimate imagery, with its description, in a review state."""
    terms = {
        "intimate_imagery_consent": True,
        "intimate_imagery_description": "Simulated nudity in the bathhouse scene (sc. 42), feature release only.",
        **fields,
    }
    return consent_in(state, ConsentKind.DIGITAL_ALTERATION, **terms)


def intimate(consent=None, **fields):
    return on_person(PerformerUse.NONE, consent=consent, intimate_imagery=True, **fields)


INTIMATE = [
    pytest.param(nothing, MET, id="no intimate imagery: met"),
    pytest.param(a_use(), MET, id="ordinary use: met"),
    pytest.param(intimate(intimate_consent()), MET, id="valid, specific consent: met"),
    pytest.param(
        intimate(consent_in(ReviewState.APPROVED)), NOT_MET, id="valid consent without the intimate tick: not met"
    ),
    pytest.param(
        intimate(intimate_consent(intimate_imagery_description="")),
        NOT_MET,
        id="tick without describing the imagery: not specific, not met",
    ),
    pytest.param(
        intimate(intimate_consent(revoked_on=datetime.date(2027, 6, 1))), NOT_MET, id="consent revoked: not met"
    ),
    pytest.param(
        intimate(intimate_consent(expires_on=datetime.date(2027, 6, 1))), NOT_MET, id="consent expired: not met"
    ),
    pytest.param(intimate(intimate_consent(ReviewState.REJECTED)), NOT_MET, id="consent rejected: not met"),
    pytest.param(
        intimate(intimate_consent(separately_signed=False)), NOT_MET, id="consent not separately signed: not met"
    ),
    pytest.param(intimate(), NOT_MET, id="no consent: not met"),
    pytest.param(intimate(intimate_consent(ReviewState.SUBMITTED)), ATTENTION, id="consent awaiting review: attention"),
    pytest.param(a_use(intimate_imagery=True), ATTENTION, id="names nobody depicted: attention"),
    pytest.param(
        intimate(intimate_consent(), is_final=False),
        MET,
        id="temporary use with a valid consent: met",
    ),
    pytest.param(intimate(is_final=False), NOT_MET, id="temporary use without consent: generating it is the breach"),
]


@pytest.mark.parametrize(("arrange", "expected"), INTIMATE)
def test_prohibited_intimate_imagery(production, arrange, expected):
    arrange(production)

    result = item(production, "prohibited-intimate-imagery")

    assert result.status == expected, result.explanation


def test_intimate_imagery_without_consent_names_the_use_and_the_person(production):
    consenting = PersonFactory(production=production, name="Ana Ruiz")
    refusing = PersonFactory(production=production, name="Bruno Lenz")
    consent = intimate_consent()(consenting)
    use = AIUseFactory(production=production, intimate_imagery=True, people=[consenting, refusing], consents=[consent])

    result = item(production, "prohibited-intimate-imagery")

    assert result.status == NOT_MET
    assert "explicit and specific consent" in result.explanation
    assert record_refs(result) == {("ai_use", use.id), ("person", refusing.id)}


def test_a_consent_of_another_person_does_not_cover_the_person_depicted(production):
    depicted = PersonFactory(production=production)
    other = PersonFactory(production=production)
    AIUseFactory(production=production, intimate_imagery=True, people=[depicted], consents=[intimate_consent()(other)])

    assert item(production, "prohibited-intimate-imagery").status == NOT_MET


def test_intimate_imagery_naming_nobody_asks_to_name_the_person(production):
    use = AIUseFactory(production=production, intimate_imagery=True)

    result = item(production, "prohibited-intimate-imagery")

    assert result.status == ATTENTION
    assert "names nobody" in result.explanation
    assert record_refs(result) == {("ai_use", use.id)}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(DEC_1_2026, NOT_APPLICABLE, id="1 Dec 2026: not yet in force"),
        pytest.param(DEC_2_2026, NOT_MET, id="2 Dec 2026: applies"),
    ],
)
def test_the_intimate_imagery_prohibition_applies_from_2_december_2026(production, on, expected):
    intimate()(production)

    result = item(production, "prohibited-intimate-imagery", on=on)

    assert result.status == expected
    if expected == NOT_APPLICABLE:
        assert "applies from 2 December 2026" in result.explanation
        assert "Once it applies" in result.explanation
        assert result.penalty == ""
    else:
        assert "Art. 99(3)" in result.penalty


@pytest.mark.parametrize(
    ("used_until", "expected"),
    [
        pytest.param(DEC_1_2026, MET, id="ended 1 Dec 2026: before the prohibition"),
        pytest.param(DEC_2_2026, NOT_MET, id="ended 2 Dec 2026: under the prohibition"),
        pytest.param(None, NOT_MET, id="no last date: judged as in force"),
    ],
)
def test_an_intimate_imagery_use_is_judged_by_its_own_dates(production, used_until, expected):
    intimate(used_from=datetime.date(2026, 11, 1), used_until=used_until)(production)

    result = item(production, "prohibited-intimate-imagery")

    assert result.status == expected, result.explanation
    if expected == MET:
        assert "ended before 2 December 2026" in result.explanation
    if used_until is None:
        assert "no last date recorded" in result.explanation


def test_an_approved_consent_to_another_use_is_not_consent_to_intimate_imagery(production):
    person = PersonFactory(production=production)
    ordinary = approved(person, ConsentKind.EMPLOYMENT_REPLICA)
    AIUseFactory(production=production, intimate_imagery=True, people=[person], consents=[ordinary])

    assert item(production, "prohibited-intimate-imagery").status == NOT_MET
