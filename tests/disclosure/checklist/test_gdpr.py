"""GDPR: biometric face or voice data rests on a valid explicit consent (Art. 9(1), 9(2)(a)) and a DPIA (Art. 35);
deceased persons are outside the GDPR (Recital 27) but never a silent pass.
"""

import datetime

import pytest

from productions.vocabularies import ConsentKind, CoverageDecisionKind, PerformerUse, ReviewState
from tests.disclosure.checklist.builders import (
    ATTENTION,
    MET,
    NOT_MET,
    a_use,
    consent_in,
    item,
    nothing,
    on_person,
    record_refs,
)
from tests.factories import AIUseFactory, PersonFactory

ASSESSED_ON = datetime.date(2027, 3, 1)
# A voice clone consent: a digital replica of the voice, not of the face and body.
VOICE_ONLY = {"covers_voice": True, "covers_likeness": False}


def explicit(state=ReviewState.APPROVED, kind=ConsentKind.DIGITAL_ALTERATION, **fields):
    """An explicit consent to biometric processing with its DPIA, in a review state."""
    terms = {"gdpr_explicit_consent": True, "dpia_reference": "DPIA-2026-01", **fields}
    return consent_in(state, kind, **terms)


def biometric(consent=None, performer_use=PerformerUse.DIGITAL_ALTERATION, **fields):
    return on_person(performer_use, consent=consent, biometric_data=True, **fields)


BIOMETRIC = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(), MET, id="no biometric data: met"),
    pytest.param(biometric(explicit()), MET, id="valid explicit consent with DPIA: met"),
    pytest.param(biometric(explicit(dpia_reference="")), ATTENTION, id="valid explicit consent, no DPIA: attention"),
    pytest.param(biometric(explicit(ReviewState.DRAFT)), NOT_MET, id="draft consent: not met"),
    pytest.param(biometric(explicit(ReviewState.SUBMITTED)), NOT_MET, id="consent awaiting review: not met"),
    pytest.param(biometric(explicit(ReviewState.REJECTED)), NOT_MET, id="rejected consent: not met"),
    pytest.param(biometric(explicit(ReviewState.CHANGES_REQUESTED)), NOT_MET, id="changes requested: not met"),
    pytest.param(biometric(explicit(expires_on=datetime.date(2027, 2, 28))), NOT_MET, id="expired consent: not met"),
    pytest.param(biometric(explicit(revoked_on=datetime.date(2027, 1, 10))), NOT_MET, id="revoked consent: not met"),
    pytest.param(biometric(explicit(separately_signed=False)), NOT_MET, id="not separately signed: not met"),
    pytest.param(biometric(explicit(gdpr_explicit_consent=False)), NOT_MET, id="no explicit GDPR consent: not met"),
    pytest.param(biometric(), NOT_MET, id="no consent: not met"),
    pytest.param(biometric(is_final=False), NOT_MET, id="temporary use without consent: processing is the point"),
    pytest.param(
        biometric(explicit(kind=ConsentKind.DIGITAL_ALTERATION), performer_use=PerformerUse.VOICE_CLONE),
        NOT_MET,
        id="consent to another kind of use does not cover it: not met",
    ),
    pytest.param(
        biometric(explicit(kind=ConsentKind.INDEPENDENT_REPLICA, **VOICE_ONLY), performer_use=PerformerUse.VOICE_CLONE),
        MET,
        id="consent of the kind the use needs: met",
    ),
    pytest.param(
        biometric(explicit(), coverage=False),
        NOT_MET,
        id="valid explicit consent legal has not confirmed covers this use: not met (consent is specific)",
    ),
    pytest.param(
        biometric(explicit(), coverage=CoverageDecisionKind.DOES_NOT_COVER),
        NOT_MET,
        id="valid explicit consent legal found does not cover this use: not met",
    ),
    pytest.param(
        biometric(explicit(post_mortem_authority="The estate"), deceased=True),
        ATTENTION,
        id="deceased person with a post-mortem consent: attention, never met",
    ),
    pytest.param(a_use(biometric_data=True), ATTENTION, id="biometric use naming nobody: attention"),
]


@pytest.mark.parametrize(("arrange", "expected"), BIOMETRIC)
def test_biometric_consent_dpia(production, arrange, expected):
    arrange(production)

    result = item(production, "biometric-consent-dpia", on=ASSESSED_ON)

    assert result.status == expected, result.explanation


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"revoked_on": ASSESSED_ON}, NOT_MET, id="revoked on the assessment date: not met"),
        pytest.param({"revoked_on": datetime.date(2027, 3, 2)}, MET, id="revoked the day after: met"),
        pytest.param({"expires_on": ASSESSED_ON}, MET, id="expires on the assessment date: still valid"),
        pytest.param({"expires_on": datetime.date(2027, 2, 28)}, NOT_MET, id="expired the day before: not met"),
    ],
)
def test_a_consent_is_valid_on_the_assessment_date(production, fields, expected):
    biometric(explicit(**fields))(production)

    assert item(production, "biometric-consent-dpia", on=ASSESSED_ON).status == expected


def test_a_consent_on_file_but_not_linked_to_the_use_does_not_cover_it(production):
    person = PersonFactory(production=production)
    explicit()(person)
    AIUseFactory(production=production, biometric_data=True, people=[person])

    assert item(production, "biometric-consent-dpia", on=ASSESSED_ON).status == NOT_MET


def test_a_use_without_valid_consent_is_listed_with_the_person(production):
    person = PersonFactory(production=production, name="Lionel Abara")
    consent = explicit(revoked_on=datetime.date(2027, 1, 10))(person)
    use = AIUseFactory(production=production, biometric_data=True, people=[person], consents=[consent])

    result = item(production, "biometric-consent-dpia", on=ASSESSED_ON)

    assert result.status == NOT_MET
    assert "without a valid explicit consent" in result.explanation
    assert record_refs(result) == {("ai_use", use.id), ("person", person.id)}


def test_a_missing_dpia_cites_article_35(production):
    biometric(explicit(dpia_reference=""))(production)

    result = item(production, "biometric-consent-dpia", on=ASSESSED_ON)

    assert result.status == ATTENTION
    assert "DPIA" in result.explanation
    assert "Art. 35" in result.explanation


def test_a_deceased_person_is_named_with_the_national_rules(production):
    person = PersonFactory(production=production, name="Ilse Varga", deceased=True)
    consent = explicit(
        kind=ConsentKind.INDEPENDENT_REPLICA, post_mortem_authority="Estate of Ilse Varga", **VOICE_ONLY
    )(person)
    AIUseFactory(
        production=production,
        biometric_data=True,
        performer_use=PerformerUse.VOICE_CLONE,
        people=[person],
        consents=[consent],
    )

    result = item(production, "biometric-consent-dpia", on=ASSESSED_ON)

    assert result.status == ATTENTION
    assert "Ilse Varga" in result.explanation
    assert "outside the GDPR" in result.explanation
    assert "France" in result.explanation
    assert "art. 85" in result.explanation
    assert ("person", person.id) in record_refs(result)


def test_a_biometric_use_naming_nobody_asks_who_it_depicts(production):
    use = AIUseFactory(production=production, biometric_data=True)

    result = item(production, "biometric-consent-dpia", on=ASSESSED_ON)

    assert result.status == ATTENTION
    assert "names nobody" in result.explanation
    assert record_refs(result) == {("ai_use", use.id)}


def test_consent_of_employed_cast_is_questioned_even_when_met(production):
    biometric(explicit())(production)

    result = item(production, "biometric-consent-dpia", on=ASSESSED_ON)

    assert result.status == MET
    assert "freely given" in result.explanation
