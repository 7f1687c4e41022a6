"""Performers' consent to digital replicas and alterations (SAG-AFTRA TV/Theatrical 2023 and 2026; Equity)."""

import datetime

import pytest

from productions.vocabularies import ConsentKind, PerformerUse, PublishedIn, ReviewState, Union
from tests.disclosure.checklist.builders import (
    ATTENTION,
    MET,
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

ALTERATION, VOICE = PerformerUse.DIGITAL_ALTERATION, PerformerUse.VOICE_CLONE
APPROVED = consent_in(ReviewState.APPROVED)
SAG_AFTRA = {"union": Union.SAG_AFTRA}
PHOTOGRAPHY_2025 = production_with(principal_photography_start=datetime.date(2025, 9, 1))

PERFORMER_CONSENT = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(), MET, id="use depicting nobody: met"),
    pytest.param(on_person(PerformerUse.ALTERATION_EXEMPT), MET, id="alteration as performed needs no consent: met"),
    pytest.param(on_person(ALTERATION, APPROVED), MET, id="alteration with a valid consent: met"),
    pytest.param(on_person(ALTERATION), NOT_MET, id="final alteration without consent: not met"),
    pytest.param(
        on_person(ALTERATION, consent_in(ReviewState.APPROVED, separately_signed=False)),
        NOT_MET,
        id="approved but not separately signed: not met",
    ),
    pytest.param(
        on_person(ALTERATION, consent_in(ReviewState.APPROVED, revoked_on=datetime.date(2027, 3, 1))),
        NOT_MET,
        id="revoked consent: not met",
    ),
    pytest.param(
        on_person(ALTERATION, consent_in(ReviewState.APPROVED, expires_on=datetime.date(2027, 3, 1))),
        NOT_MET,
        id="expired consent: not met",
    ),
    pytest.param(on_person(ALTERATION, consent_in(ReviewState.REJECTED)), NOT_MET, id="rejected consent: not met"),
    pytest.param(
        on_person(ALTERATION, consent_in(ReviewState.APPROVED, ConsentKind.VOICE_CLONE)),
        NOT_MET,
        id="consent to another kind of use: not met",
    ),
    pytest.param(
        on_person(VOICE, consent_in(ReviewState.APPROVED, ConsentKind.VOICE_CLONE)),
        MET,
        id="voice clone with a voice consent: met",
    ),
    pytest.param(
        on_person(VOICE, consent_in(ReviewState.APPROVED, ConsentKind.EMPLOYMENT_REPLICA, covers_voice=True)),
        MET,
        id="replica consent covering the voice covers a voice clone: met",
    ),
    pytest.param(
        on_person(VOICE, consent_in(ReviewState.APPROVED, ConsentKind.INDEPENDENT_REPLICA, covers_voice=True)),
        MET,
        id="independent replica consent covering the voice: met",
    ),
    pytest.param(
        on_person(VOICE, consent_in(ReviewState.APPROVED, ConsentKind.EMPLOYMENT_REPLICA)),
        NOT_MET,
        id="replica consent not covering the voice: not met",
    ),
    pytest.param(
        on_person(
            PerformerUse.EMPLOYMENT_REPLICA,
            consent_in(ReviewState.APPROVED, ConsentKind.VOICE_CLONE, covers_voice=True),
        ),
        NOT_MET,
        id="a voice consent does not cover a full replica: not met",
    ),
    pytest.param(on_person(ALTERATION, is_final=False), ATTENTION, id="temporary use lacking consent: attention"),
    pytest.param(
        on_person(ALTERATION, is_final=False, published_in=[PublishedIn.TRAILER]),
        NOT_MET,
        id="published in a trailer, lacking consent: not met",
    ),
    pytest.param(
        on_person(ALTERATION, consent_in(ReviewState.SUBMITTED)), ATTENTION, id="consent awaiting review: attention"
    ),
    pytest.param(
        lambda production: AIUseFactory(production=production, performer_use=ALTERATION),
        NOT_MET,
        id="alteration naming nobody: not met",
    ),
    pytest.param(
        on_person(ALTERATION, APPROVED, person_fields=SAG_AFTRA),
        ATTENTION,
        id="SAG-AFTRA member, dates of photography unknown: attention",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), PERFORMER_CONSENT)
def test_performer_consent(production, arrange, expected):
    arrange(production)

    result = item(production, "performer-consent")

    assert result.status == expected, result.explanation


def test_a_sag_aftra_member_with_photography_dated_is_met(production):
    PHOTOGRAPHY_2025(production)
    on_person(ALTERATION, APPROVED, person_fields=SAG_AFTRA)(production)

    assert item(production, "performer-consent").status == MET


def test_a_sag_aftra_member_without_dates_of_photography_asks_for_them(production):
    on_person(ALTERATION, APPROVED, person_fields=SAG_AFTRA)(production)

    result = item(production, "performer-consent")

    assert result.status == ATTENTION
    assert "principal photography" in result.explanation
    assert "2023 or the 2026" in result.explanation


def test_an_unconsented_use_lists_the_use_its_person_and_the_consent_relied_on(production):
    person = PersonFactory(production=production, name="Lionel Abara")
    consent = consent_in(ReviewState.APPROVED, revoked_on=datetime.date(2027, 3, 1))(person)
    use = AIUseFactory(
        production=production, title="Lip sync", performer_use=ALTERATION, people=[person], consents=[consent]
    )
    AIUseFactory(production=production)

    result = item(production, "performer-consent")

    assert result.status == NOT_MET
    assert record_refs(result) == {("ai_use", use.id), ("person", person.id), ("consent", consent.id)}
    assert {"type": "consent", "id": consent.id, "label": "Lionel Abara: Digital alteration"} in result.records


def test_a_replica_consent_not_covering_the_voice_says_to_record_it(production):
    on_person(VOICE, consent_in(ReviewState.APPROVED, ConsentKind.EMPLOYMENT_REPLICA))(production)

    result = item(production, "performer-consent")

    assert result.status == NOT_MET
    assert "includes the voice" in result.explanation


def test_equity_members_are_pointed_to_equitys_questions(production):
    on_person(ALTERATION, APPROVED, person_fields={"union": Union.EQUITY})(production)

    result = item(production, "performer-consent")

    assert result.status == MET
    assert "Equity" in result.explanation


@pytest.mark.parametrize(
    ("photography_start", "agreement"),
    [
        pytest.param(datetime.date(2026, 6, 30), "SAG-AFTRA 2023", id="photography from 30 Jun 2026: 2023 agreement"),
        pytest.param(datetime.date(2026, 7, 1), "SAG-AFTRA 2026", id="photography from 1 Jul 2026: 2026 agreement"),
        pytest.param(None, "2023 or 2026", id="photography not dated: either agreement"),
    ],
)
def test_the_legal_basis_names_the_agreement_photography_began_under(production, photography_start, agreement):
    production_with(principal_photography_start=photography_start)(production)
    on_person(ALTERATION, APPROVED)(production)

    result = item(production, "performer-consent")

    assert agreement in result.legal_basis


def test_the_2026_agreement_adds_its_own_terms_to_check(production):
    production_with(principal_photography_start=datetime.date(2026, 7, 1))(production)
    on_person(ALTERATION, APPROVED, person_fields=SAG_AFTRA)(production)

    result = item(production, "performer-consent")

    assert result.status == MET
    assert "SAG-AFTRA 2026" in result.legal_basis
    assert "synthetic performers" in result.explanation
