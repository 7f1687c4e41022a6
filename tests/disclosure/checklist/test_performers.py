"""Performers' consent to digital replicas and alterations (SAG-AFTRA TV/Theatrical 2023 and 2026; Equity)."""

import datetime

import pytest

from productions.vocabularies import (
    ConsentKind,
    CoverageDecisionKind,
    PerformerUse,
    Permission,
    PublishedIn,
    ReviewState,
    TriState,
    Union,
)
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
# A voice clone consent is a digital replica of the voice, not of the face and body.
VOICE_ONLY = {"covers_voice": True, "covers_likeness": False}

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
        on_person(ALTERATION, APPROVED, coverage=False),
        ATTENTION,
        id="valid consent whose coverage of this use legal has not confirmed: attention",
    ),
    pytest.param(
        on_person(ALTERATION, APPROVED, coverage=CoverageDecisionKind.DOES_NOT_COVER),
        NOT_MET,
        id="final use legal found outside the consent's scope: not met",
    ),
    pytest.param(
        on_person(ALTERATION, consent_in(ReviewState.APPROVED, term_starts_on=datetime.date(2028, 6, 1))),
        NOT_MET,
        id="consent whose term has not started: not met",
    ),
    pytest.param(
        on_person(
            ALTERATION,
            consent_in(ReviewState.APPROVED, separately_signed=False, not_separately_signed_reason="Own page."),
        ),
        ATTENTION,
        id="approved although not separately signed, with legal's reason: attention",
    ),
    pytest.param(
        on_person(ALTERATION, consent_in(ReviewState.APPROVED, ConsentKind.INDEPENDENT_REPLICA, **VOICE_ONLY)),
        NOT_MET,
        id="consent to another kind of use: not met",
    ),
    pytest.param(
        on_person(VOICE, consent_in(ReviewState.APPROVED, ConsentKind.BACKGROUND_REPLICA, **VOICE_ONLY)),
        MET,
        id="voice clone with a replica consent of the voice only: met",
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
            consent_in(ReviewState.APPROVED, ConsentKind.EMPLOYMENT_REPLICA, **VOICE_ONLY),
        ),
        NOT_MET,
        id="a replica consent of the voice only does not cover a replica of the likeness: not met",
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


EQUITY_ANSWERS = {
    "training_permission": Permission.REFUSED,
    "data_retention": "Session recordings kept on the studio's servers until delivery, then deleted.",
    "data_deletion_on": datetime.date(2027, 6, 30),
}


def test_equity_members_consents_with_unanswered_questions_are_named(production):
    on_person(ALTERATION, APPROVED, person_fields={"union": Union.EQUITY, "name": "Oona Brack"})(production)

    result = item(production, "performer-consent")

    assert result.status == ATTENTION
    assert "Equity" in result.explanation
    assert "Oona Brack: Digital alteration" in result.explanation


@pytest.mark.parametrize(
    "unanswered",
    [
        pytest.param({"training_permission": Permission.NOT_STATED}, id="training on their data not stated"),
        pytest.param({"data_retention": ""}, id="retention not recorded"),
        pytest.param({"data_deletion_on": None}, id="deletion date not recorded"),
        pytest.param({"scan_on": datetime.date(2026, 2, 1)}, id="scanned without a business reason"),
    ],
)
def test_each_of_equitys_questions_left_unanswered_asks_for_attention(production, unanswered):
    consent = consent_in(ReviewState.APPROVED, **{**EQUITY_ANSWERS, **unanswered})
    on_person(ALTERATION, consent, person_fields={"union": Union.EQUITY})(production)

    result = item(production, "performer-consent")

    assert result.status == ATTENTION
    assert "Equity's questions" in result.explanation


def test_equitys_questions_answered_on_every_consent_are_met(production):
    answered = {**EQUITY_ANSWERS, "scan_on": datetime.date(2026, 2, 1), "scan_business_reason": "Likeness model."}
    on_person(ALTERATION, consent_in(ReviewState.APPROVED, **answered), person_fields={"union": Union.EQUITY})(
        production
    )

    result = item(production, "performer-consent")

    assert result.status == MET
    assert "Equity's questions" not in result.explanation


def test_a_use_whose_coverage_legal_has_not_confirmed_asks_for_it(production):
    person = PersonFactory(production=production, name="Tomás Adler")
    consent = consent_in(ReviewState.APPROVED)(person)
    use = AIUseFactory(
        production=production, performer_use=ALTERATION, people=[person], consents=[consent], coverage=False
    )

    result = item(production, "performer-consent")

    assert result.status == ATTENTION
    assert "not yet confirmed" in result.explanation
    assert record_refs(result) == {("ai_use", use.id), ("person", person.id), ("consent", consent.id)}


def test_a_consent_approved_although_not_separately_signed_shows_legals_reason(production):
    reason = "Signed on its own page of the contract, initialled by the performer."
    consent = consent_in(ReviewState.APPROVED, separately_signed=False, not_separately_signed_reason=reason)
    on_person(ALTERATION, consent, person_fields={"name": "Inès Duval"})(production)

    result = item(production, "performer-consent")

    assert result.status == ATTENTION
    assert "not separately signed" in result.explanation
    assert f"Inès Duval: Digital alteration ({reason})" in result.explanation


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
    on_person(ALTERATION, APPROVED, person_fields={**SAG_AFTRA, "name": "Marisol Quint"})(production)

    result = item(production, "performer-consent")

    assert result.status == ATTENTION
    assert "SAG-AFTRA 2026" in result.legal_basis
    assert "synthetic performers" in result.explanation
    assert "Marisol Quint: Digital alteration" in result.explanation


@pytest.mark.parametrize(
    "unanswered",
    [
        pytest.param({"performer_is_minor": TriState.UNKNOWN}, id="whether a minor not recorded"),
        pytest.param({"third_party_licensing": Permission.NOT_STATED}, id="licensing to third parties not stated"),
    ],
)
def test_the_2026_agreements_questions_answered_are_met_and_each_unanswered_asks(production, unanswered):
    production_with(principal_photography_start=datetime.date(2026, 7, 1))(production)
    answered = {"performer_is_minor": TriState.NO, "third_party_licensing": Permission.REFUSED}
    on_person(ALTERATION, consent_in(ReviewState.APPROVED, **answered), person_fields=SAG_AFTRA)(production)
    on_person(ALTERATION, consent_in(ReviewState.APPROVED, **{**answered, **unanswered}))(production)

    assert item(production, "performer-consent").status == MET  # the second person is no SAG-AFTRA member

    on_person(ALTERATION, consent_in(ReviewState.APPROVED, **{**answered, **unanswered}), person_fields=SAG_AFTRA)(
        production
    )

    result = item(production, "performer-consent")
    assert result.status == ATTENTION
    assert "Not yet recorded (minor, licensing to third parties)" in result.explanation
