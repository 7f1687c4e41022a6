"""AI Act Art. 50 (from 2 Aug 2026): deep-fake determination and disclosure (50(4), (5)), public-interest text,
informing people exposed to emotion recognition (50(3)) and machine-readable marking of outputs (50(2)).
"""

import datetime

import pytest

from productions.vocabularies import (
    CompanySize,
    ConsentKind,
    DeepFake,
    Determination,
    DigitalSourceType,
    DisclosureMethod,
    EmotionRecognition,
    OperatorRole,
    OutputMarking,
    OutputType,
    PerformerUse,
    PublishedIn,
    TriState,
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
    generated,
    item,
    marking_tool,
    nothing,
    on_person,
    production_with,
    record_refs,
    set_production,
    tool,
    unmarked_tool,
)
from tests.factories import AIToolFactory, AIUseFactory

AUG_1_2026, AUG_2_2026 = datetime.date(2026, 8, 1), datetime.date(2026, 8, 2)
DEC_1_2026, DEC_2_2026 = datetime.date(2026, 12, 1), datetime.date(2026, 12, 2)
IN_TRAILER = {"is_final": False, "published_in": [PublishedIn.TRAILER]}

# Deep-fake determination (Art. 3(60))

DETERMINATION = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(deep_fake=DeepFake.YES), MET, id="final video determined a deep fake: met"),
    pytest.param(a_use(deep_fake=DeepFake.NO), MET, id="final video determined not a deep fake: met"),
    pytest.param(a_use(), ATTENTION, id="final video undetermined: attention"),
    pytest.param(a_use(output_type=OutputType.IMAGE), ATTENTION, id="final image undetermined: attention"),
    pytest.param(a_use(output_type=OutputType.AUDIO), ATTENTION, id="final audio undetermined: attention"),
    pytest.param(a_use(output_type=OutputType.MODEL_3D), ATTENTION, id="final 3D double undetermined: attention"),
    pytest.param(a_use(output_type=OutputType.TEXT), MET, id="final text: not counted"),
    pytest.param(a_use(output_type=OutputType.ANALYSIS), MET, id="analysis: not counted"),
    pytest.param(a_use(is_final=False), MET, id="temporary, unpublished video: not counted"),
    pytest.param(a_use(**IN_TRAILER), ATTENTION, id="temporary video published in a trailer: attention"),
    pytest.param(
        a_use(output_type=OutputType.IMAGE, is_final=False, published_in=[PublishedIn.POSTER]),
        ATTENTION,
        id="image published on a poster: attention",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), DETERMINATION)
def test_deep_fake_determination(production, arrange, expected):
    arrange(production)

    result = item(production, "deep-fake-determination")

    assert result.status == expected, result.explanation


def test_an_undetermined_output_is_listed_and_the_explanation_says_what_to_decide(production):
    undetermined = AIUseFactory(production=production)
    AIUseFactory(production=production, deep_fake=DeepFake.NO)
    AIUseFactory(production=production, is_final=False)

    result = item(production, "deep-fake-determination")

    assert result.status == ATTENTION
    assert "decide" in result.explanation
    assert "falsely appear authentic" in result.explanation
    assert record_refs(result) == {("ai_use", undetermined.id)}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(AUG_1_2026, NOT_APPLICABLE, id="1 Aug 2026: not yet in force"),
        pytest.param(AUG_2_2026, ATTENTION, id="2 Aug 2026: applies"),
    ],
)
def test_deep_fake_determination_applies_from_2_august_2026(production, on, expected):
    AIUseFactory(production=production)

    result = item(production, "deep-fake-determination", on=on)

    assert result.status == expected
    if expected == NOT_APPLICABLE:
        assert "applies from 2 August 2026" in result.explanation
        assert "Once it applies" in result.explanation


# Deep-fake disclosure (Art. 50(4), (5), Recital 134)

AT_OR_BEFORE_EXPOSURE = [
    DisclosureMethod.OPENING_CARD,
    DisclosureMethod.OPENING_CARD_AUDIO_DESCRIBED,
    DisclosureMethod.ON_SCREEN_LABEL,
    DisclosureMethod.ON_SCREEN_LABEL_AUDIO_DESCRIBED,
    DisclosureMethod.AUDIO_DISCLAIMER,
    DisclosureMethod.AUDIO_DISCLAIMER_SUBTITLED,
]
# (evidently artistic, disclosure method, expected): only a recorded "yes" limits the duty.
DISCLOSURE_BY_WORK = [
    *(
        (artistic, DisclosureMethod.NONE, NOT_MET)
        for artistic in (Determination.NO, Determination.NOT_DETERMINED, Determination.YES)
    ),
    *(
        (artistic, method, NOT_MET)
        for artistic in (Determination.NO, Determination.NOT_DETERMINED)
        for method in (DisclosureMethod.END_CREDITS, DisclosureMethod.MARKETING_NOTICE)
    ),
    (Determination.YES, DisclosureMethod.END_CREDITS, ATTENTION),
    (Determination.YES, DisclosureMethod.MARKETING_NOTICE, ATTENTION),
    *(
        (artistic, method, MET)
        for artistic in (Determination.NO, Determination.NOT_DETERMINED, Determination.YES)
        for method in AT_OR_BEFORE_EXPOSURE
    ),
]


@pytest.mark.parametrize(
    ("artistic", "method", "expected"),
    DISCLOSURE_BY_WORK,
    ids=[f"artistic {artistic}, {method}: {expected}" for artistic, method, expected in DISCLOSURE_BY_WORK],
)
def test_deep_fake_disclosure_by_timing_and_kind_of_work(production, artistic, method, expected):
    set_production(production, evidently_artistic=artistic)
    deep_fake = AIUseFactory(production=production, deep_fake=DeepFake.YES, disclosure_method=method)

    result = item(production, "deep-fake-disclosure")

    assert result.status == expected, result.explanation
    if expected != MET:
        assert ("ai_use", deep_fake.id) in record_refs(result)


DISCLOSURE = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(deep_fake=DeepFake.NO), MET, id="no deep fake: met"),
    pytest.param(a_use(deep_fake=DeepFake.YES, is_final=False), MET, id="temporary unpublished deep fake: not counted"),
    pytest.param(
        a_use(deep_fake=DeepFake.YES, **IN_TRAILER), NOT_MET, id="undisclosed deep fake in a trailer: not met"
    ),
    pytest.param(
        a_use(deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.ON_SCREEN_LABEL, **IN_TRAILER),
        MET,
        id="labelled deep fake in a trailer: met",
    ),
    pytest.param(a_use(), ATTENTION, id="undetermined output, no deep fake: attention"),
    pytest.param(
        both(a_use(deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.OPENING_CARD), a_use()),
        ATTENTION,
        id="disclosed deep fake beside an undetermined output: attention",
    ),
    pytest.param(
        on_person(
            PerformerUse.DIGITAL_ALTERATION,
            consent=lambda person: approved(person, ConsentKind.DIGITAL_ALTERATION),
            deep_fake=DeepFake.YES,
        ),
        NOT_MET,
        id="consent does not replace disclosure: not met",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), DISCLOSURE)
def test_deep_fake_disclosure(production, arrange, expected):
    production_with(evidently_artistic=Determination.NO)(production)
    arrange(production)

    result = item(production, "deep-fake-disclosure")

    assert result.status == expected, result.explanation


def test_a_deep_fake_in_a_trailer_is_named_as_published_material(production):
    trailer = AIUseFactory(production=production, deep_fake=DeepFake.YES, **IN_TRAILER)

    result = item(production, "deep-fake-disclosure")

    assert result.status == NOT_MET
    assert "published material outside the work" in result.explanation
    assert record_refs(result) == {("ai_use", trailer.id)}


def test_an_evidently_artistic_work_may_disclose_without_hampering_enjoyment(production):
    set_production(production, evidently_artistic=Determination.YES)
    AIUseFactory(production=production, deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.OPENING_CARD)

    result = item(production, "deep-fake-disclosure")

    assert result.status == MET
    assert "does not hamper enjoyment" in result.explanation


def test_end_credits_in_an_artistic_work_ask_about_timing(production):
    set_production(production, evidently_artistic=Determination.YES)
    AIUseFactory(production=production, deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.END_CREDITS)

    result = item(production, "deep-fake-disclosure")

    assert result.status == ATTENTION
    assert "at the latest at the first exposure" in result.explanation
    assert "does not hamper enjoyment" in result.explanation


def test_an_undetermined_artistic_status_gives_no_carve_out(production):
    set_production(production, evidently_artistic=Determination.NOT_DETERMINED)
    AIUseFactory(production=production, deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.END_CREDITS)

    result = item(production, "deep-fake-disclosure")

    assert result.status == NOT_MET
    assert "no carve-out applies" in result.explanation
    assert "Record the determination" in result.explanation
    assert "does not hamper enjoyment" not in result.explanation


def test_a_work_determined_not_artistic_mentions_no_carve_out(production):
    set_production(production, evidently_artistic=Determination.NO)
    AIUseFactory(production=production, deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.END_CREDITS)

    result = item(production, "deep-fake-disclosure")

    assert result.status == NOT_MET
    assert "hamper enjoyment" not in result.explanation
    assert "carve-out" not in result.explanation


@pytest.mark.parametrize(
    ("method", "asks_for_accessible_form"),
    [
        pytest.param(DisclosureMethod.OPENING_CARD, True, id="plain opening card: sight only"),
        pytest.param(DisclosureMethod.AUDIO_DISCLAIMER, True, id="plain audio disclaimer: hearing only"),
        pytest.param(DisclosureMethod.OPENING_CARD_AUDIO_DESCRIBED, False, id="audio-described opening card"),
        pytest.param(DisclosureMethod.AUDIO_DISCLAIMER_SUBTITLED, False, id="subtitled audio disclaimer"),
    ],
)
def test_a_timely_disclosure_is_met_and_asks_for_the_accessible_form_where_it_lacks(
    production, method, asks_for_accessible_form
):
    set_production(production, evidently_artistic=Determination.NO)
    AIUseFactory(production=production, deep_fake=DeepFake.YES, disclosure_method=method)

    result = item(production, "deep-fake-disclosure")

    assert result.status == MET
    assert ("accessible form" in result.explanation) is asks_for_accessible_form


def test_no_deep_fake_says_so(production):
    AIUseFactory(production=production, deep_fake=DeepFake.NO)

    result = item(production, "deep-fake-disclosure")

    assert result.status == MET
    assert result.explanation == "No deep fakes in the final work or in published material."


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(AUG_1_2026, NOT_APPLICABLE, id="1 Aug 2026: not yet in force"),
        pytest.param(AUG_2_2026, NOT_MET, id="2 Aug 2026: applies"),
    ],
)
def test_deep_fake_disclosure_applies_from_2_august_2026(production, on, expected):
    deep_fake = AIUseFactory(production=production, deep_fake=DeepFake.YES)

    result = item(production, "deep-fake-disclosure", on=on)

    assert result.status == expected
    assert ("ai_use", deep_fake.id) in record_refs(result)
    if expected == NOT_APPLICABLE:
        assert "Once it applies" in result.explanation
        assert result.penalty == ""
    else:
        assert "Art. 99(4)" in result.penalty


@pytest.mark.parametrize(
    ("company_size", "words"),
    [
        pytest.param(CompanySize.SME, "lower for an SME", id="SME: lower"),
        pytest.param(CompanySize.SMALL_MID_CAP, "lower for a small mid-cap", id="small mid-cap: lower (99(6a))"),
        pytest.param(CompanySize.OTHER, "higher", id="larger company: higher"),
    ],
)
def test_the_fine_for_an_undisclosed_deep_fake_follows_the_company_size(production, company_size, words):
    set_production(production, company_size=company_size)
    AIUseFactory(production=production, deep_fake=DeepFake.YES)

    result = item(production, "deep-fake-disclosure")

    assert "EUR 15 million" in result.penalty
    assert words in result.penalty


# Public-interest text (Art. 50(4), second subparagraph)


def public_text(**fields):
    return a_use(output_type=OutputType.TEXT, public_interest_text=True, **fields)


PUBLIC_INTEREST_TEXT = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(output_type=OutputType.TEXT), MET, id="text not on public interest: met"),
    pytest.param(public_text(), NOT_MET, id="undisclosed, no editorial responsibility: not met"),
    pytest.param(public_text(human_editorial_responsibility=True), MET, id="under editorial responsibility: met"),
    pytest.param(public_text(disclosure_method=DisclosureMethod.OPENING_CARD), MET, id="opening card: met"),
    pytest.param(public_text(disclosure_method=DisclosureMethod.ON_SCREEN_LABEL), MET, id="on-screen label: met"),
    pytest.param(public_text(disclosure_method=DisclosureMethod.AUDIO_DISCLAIMER), MET, id="audio disclaimer: met"),
    pytest.param(
        public_text(disclosure_method=DisclosureMethod.END_CREDITS),
        NOT_MET,
        id="end credits only, no editorial responsibility: not met",
    ),
    pytest.param(
        public_text(disclosure_method=DisclosureMethod.MARKETING_NOTICE),
        NOT_MET,
        id="marketing only, no editorial responsibility: not met",
    ),
    pytest.param(
        public_text(disclosure_method=DisclosureMethod.END_CREDITS, human_editorial_responsibility=True),
        MET,
        id="end credits, under editorial responsibility: met",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), PUBLIC_INTEREST_TEXT)
def test_public_interest_text(production, arrange, expected):
    arrange(production)

    result = item(production, "public-interest-text")

    assert result.status == expected, result.explanation


def test_public_interest_text_disclosed_late_names_the_timing(production):
    late = AIUseFactory(
        production=production,
        output_type=OutputType.TEXT,
        public_interest_text=True,
        disclosure_method=DisclosureMethod.END_CREDITS,
    )

    result = item(production, "public-interest-text")

    assert result.status == NOT_MET
    assert "at the latest at the first exposure" in result.explanation
    assert record_refs(result) == {("ai_use", late.id)}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(AUG_1_2026, NOT_APPLICABLE, id="1 Aug 2026: not yet in force"),
        pytest.param(AUG_2_2026, NOT_MET, id="2 Aug 2026: applies"),
    ],
)
def test_public_interest_text_applies_from_2_august_2026(production, on, expected):
    public_text()(production)

    assert item(production, "public-interest-text", on=on).status == expected


# Informing people exposed to emotion recognition or biometric categorisation (Art. 50(3))

AUDIENCE = {"emotion_recognition": EmotionRecognition.AUDIENCE}
CAST = {"emotion_recognition": EmotionRecognition.CAST_CREW_AT_WORK}

EMOTION_INFORMATION = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(), MET, id="ordinary use: met"),
    pytest.param(a_use(**AUDIENCE), NOT_MET, id="test audience not informed: not met"),
    pytest.param(a_use(people_informed=True, **AUDIENCE), MET, id="test audience informed: met"),
    pytest.param(a_use(emotion_recognition=EmotionRecognition.OTHER), NOT_MET, id="others not informed: not met"),
    pytest.param(a_use(biometric_categorisation=True), NOT_MET, id="categorisation not informed: not met"),
    pytest.param(a_use(biometric_categorisation=True, people_informed=True), MET, id="categorisation informed: met"),
    pytest.param(a_use(purpose=UsePurpose.SAFETY, **CAST), NOT_MET, id="stunt monitoring not informed: not met"),
    pytest.param(a_use(purpose=UsePurpose.SAFETY, people_informed=True, **CAST), MET, id="stunt monitoring informed"),
    pytest.param(a_use(purpose=UsePurpose.MEDICAL, **CAST), NOT_MET, id="medical monitoring not informed: not met"),
    # A prohibited use (Art. 5(1)(f)) is still an emotion recognition system deployed on people: being prohibited
    # does not lift the duty to inform them, and "no AI use recognises emotions" would be untrue.
    pytest.param(a_use(**CAST), NOT_MET, id="cast emotions with no purpose, not informed: not met"),
    pytest.param(
        a_use(purpose=UsePurpose.OTHER, biometric_categorisation=True, **CAST),
        NOT_MET,
        id="cast emotions and categorisation, not informed: not met",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), EMOTION_INFORMATION)
def test_emotion_biometric_information(production, arrange, expected):
    arrange(production)

    result = item(production, "emotion-biometric-information")

    assert result.status == expected, result.explanation


def test_people_not_informed_are_listed_by_use(production):
    uninformed = AIUseFactory(production=production, **AUDIENCE)
    AIUseFactory(production=production, people_informed=True, **AUDIENCE)

    result = item(production, "emotion-biometric-information")

    assert result.status == NOT_MET
    assert "without informing them" in result.explanation
    assert record_refs(result) == {("ai_use", uninformed.id)}


@pytest.mark.parametrize(
    ("used_until", "expected"),
    [
        pytest.param(AUG_1_2026, MET, id="ended 1 Aug 2026: not counted"),
        pytest.param(AUG_2_2026, NOT_MET, id="ended 2 Aug 2026: counted"),
        pytest.param(None, NOT_MET, id="no last date: counted"),
    ],
)
def test_emotion_recognition_is_judged_by_the_dates_of_the_use(production, used_until, expected):
    AIUseFactory(production=production, used_from=datetime.date(2026, 6, 1), used_until=used_until, **AUDIENCE)

    result = item(production, "emotion-biometric-information")

    assert result.status == expected, result.explanation
    if expected == MET:
        assert "ended before 2 August 2026" in result.explanation


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(AUG_1_2026, NOT_APPLICABLE, id="1 Aug 2026: not yet in force"),
        pytest.param(AUG_2_2026, NOT_MET, id="2 Aug 2026: applies"),
    ],
)
def test_emotion_biometric_information_applies_from_2_august_2026(production, on, expected):
    AIUseFactory(production=production, **AUDIENCE)

    assert item(production, "emotion-biometric-information", on=on).status == expected


# Machine-readable marking (Art. 50(2): a provider duty)

provided_unmarked = tool(
    our_role=OperatorRole.PROVIDER, output_marking=OutputMarking.NONE, on_market_since=datetime.date(2026, 9, 1)
)
provided_marking = tool(our_role=OperatorRole.PROVIDER, output_marking=OutputMarking.C2PA)
KEPT = {"marking_kept_in_master": TriState.YES}

MARKING = [
    pytest.param(nothing, MET, id="no AI use: met"),
    # A vendor's tool: the production deploys it, marking is the vendor's duty.
    pytest.param(a_use(tool=unmarked_tool, **KEPT, **generated), ATTENTION, id="vendor tool, no marking: attention"),
    pytest.param(
        a_use(tool=tool(output_marking=OutputMarking.UNKNOWN), **KEPT, **generated),
        ATTENTION,
        id="vendor tool, marking unknown: attention",
    ),
    pytest.param(
        a_use(tool=marking_tool, marking_kept_in_master=TriState.NO, **generated),
        ATTENTION,
        id="vendor tool marks, marking lost in the master: attention",
    ),
    pytest.param(
        a_use(tool=marking_tool, marking_kept_in_master=TriState.UNKNOWN, **generated),
        ATTENTION,
        id="vendor tool marks, kept unknown: attention",
    ),
    pytest.param(a_use(tool=marking_tool, **KEPT, **generated), MET, id="vendor tool marks (C2PA), kept: met"),
    pytest.param(
        a_use(tool=tool(output_marking=OutputMarking.WATERMARK), **KEPT, **generated),
        MET,
        id="vendor tool watermarks, kept: met",
    ),
    # The production's own system: its own duty.
    pytest.param(a_use(tool=provided_unmarked, **KEPT, **generated), NOT_MET, id="our system, no marking: not met"),
    pytest.param(
        a_use(tool=provided_marking, marking_kept_in_master=TriState.NO, **generated),
        NOT_MET,
        id="our system marks, marking lost in the master: not met",
    ),
    pytest.param(
        a_use(tool=provided_marking, marking_kept_in_master=TriState.UNKNOWN, **generated),
        ATTENTION,
        id="our system marks, kept unknown: attention",
    ),
    pytest.param(a_use(tool=provided_marking, **KEPT, **generated), MET, id="our system marks, kept: met"),
    pytest.param(
        a_use(
            tool=tool(our_role=OperatorRole.PROVIDER, output_marking=OutputMarking.NONE, on_market_since=None),
            **KEPT,
            **generated,
        ),
        NOT_MET,
        id="our system, no marking, date on the market unknown: not met",
    ),
    # A provider marks every output of its system (Art. 50(2)), temporary ones included; for a vendor's tool,
    # only what the audience meets is the production's concern.
    pytest.param(
        a_use(tool=provided_unmarked, is_final=False, **generated), NOT_MET, id="our system, temporary: not met"
    ),
    pytest.param(
        a_use(tool=tool(output_marking=OutputMarking.NONE), is_final=False, **generated),
        MET,
        id="vendor's tool, temporary, unpublished: not counted",
    ),
    pytest.param(
        a_use(tool=provided_unmarked, **IN_TRAILER, **generated), NOT_MET, id="published in a trailer: not met"
    ),
    pytest.param(
        a_use(tool=provided_unmarked, output_type=OutputType.ANALYSIS, **generated), MET, id="analysis output: met"
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), MARKING)
def test_output_marking(production, arrange, expected):
    arrange(production)

    result = item(production, "output-marking")

    assert result.status == expected, result.explanation


@pytest.mark.parametrize(
    ("source_type", "expected"),
    [
        pytest.param(DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA, NOT_MET, id="trainedAlgorithmicMedia: marked"),
        pytest.param(
            DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
            NOT_MET,
            id="compositeWithTrainedAlgorithmicMedia: marked",
        ),
        pytest.param(DigitalSourceType.COMPOSITE_SYNTHETIC, NOT_MET, id="compositeSynthetic: marked"),
        pytest.param(DigitalSourceType.ALGORITHMICALLY_ENHANCED, MET, id="algorithmicallyEnhanced: assistive, exempt"),
        pytest.param(DigitalSourceType.HUMAN_EDITS, MET, id="humanEdits: not generative"),
        pytest.param(DigitalSourceType.ALGORITHMIC_MEDIA, MET, id="algorithmicMedia: not trained"),
        pytest.param(DigitalSourceType.DATA_DRIVEN_MEDIA, MET, id="dataDrivenMedia: not generative"),
    ],
)
def test_only_generative_source_types_need_marking(production, source_type, expected):
    AIUseFactory(production=production, tool=provided_unmarked(), digital_source_type=source_type, **KEPT)

    result = item(production, "output-marking")

    assert result.status == expected, result.explanation
    if expected == MET:
        assert "no generative AI output" in result.explanation


@pytest.mark.parametrize(
    ("vendor_tool", "kept", "expected"),
    [
        pytest.param(unmarked_tool, TriState.YES, ATTENTION, id="no marking"),
        pytest.param(tool(output_marking=OutputMarking.UNKNOWN), TriState.YES, ATTENTION, id="marking unknown"),
        pytest.param(marking_tool, TriState.NO, ATTENTION, id="marking lost in the master"),
        pytest.param(marking_tool, TriState.YES, MET, id="marked and kept"),
    ],
)
@pytest.mark.parametrize("company_size", [CompanySize.SME, CompanySize.OTHER, CompanySize.NOT_STATED])
def test_a_deployer_is_never_charged_the_marking_fine(production, vendor_tool, kept, expected, company_size):
    set_production(production, company_size=company_size)
    AIUseFactory(production=production, tool=vendor_tool(), marking_kept_in_master=kept, **generated)

    result = item(production, "output-marking")

    assert result.status == expected
    assert result.penalty == ""


def test_an_unmarked_vendor_output_is_the_vendors_duty_and_prints_no_fine(production):
    set_production(production, company_size=CompanySize.OTHER)
    vendor_tool = unmarked_tool()
    use = AIUseFactory(production=production, tool=vendor_tool, **KEPT, **generated)

    result = item(production, "output-marking")

    assert result.status == ATTENTION
    assert result.penalty == ""
    assert "ask the vendor" in result.explanation
    assert "not the production's" in result.explanation
    assert record_refs(result) == {("ai_use", use.id), ("tool", vendor_tool.id)}


def test_an_unmarked_output_of_our_own_system_is_our_duty_and_prints_the_fine(production):
    set_production(production, company_size=CompanySize.SME)
    own_tool = provided_unmarked()
    use = AIUseFactory(production=production, tool=own_tool, **KEPT, **generated)

    result = item(production, "output-marking")

    assert result.status == NOT_MET
    assert "production's duty as provider" in result.explanation
    assert "Art. 99(4)" in result.penalty
    assert "lower" in result.penalty
    assert record_refs(result) == {("ai_use", use.id), ("tool", own_tool.id)}


def test_our_system_with_no_date_on_the_market_asks_for_it(production):
    AIUseFactory(
        production=production,
        tool=AIToolFactory(our_role=OperatorRole.PROVIDER, output_marking=OutputMarking.NONE),
        **KEPT,
        **generated,
    )

    result = item(production, "output-marking", on=datetime.date(2026, 10, 1))

    assert result.status == NOT_MET
    assert "date on the market is not recorded" in result.explanation


@pytest.mark.parametrize(
    ("on_market_since", "on", "expected"),
    [
        pytest.param(AUG_1_2026, DEC_1_2026, ATTENTION, id="on the market 1 Aug 2026, assessed 1 Dec 2026: grace"),
        pytest.param(AUG_1_2026, DEC_2_2026, NOT_MET, id="on the market 1 Aug 2026, assessed 2 Dec 2026: lapsed"),
        pytest.param(datetime.date(2024, 1, 1), AUG_2_2026, ATTENTION, id="long on the market, 2 Aug 2026: grace"),
        pytest.param(AUG_2_2026, datetime.date(2026, 10, 1), NOT_MET, id="placed 2 Aug 2026: no grace"),
        pytest.param(None, datetime.date(2026, 10, 1), NOT_MET, id="no date on the market: no grace"),
    ],
)
def test_our_systems_on_the_market_before_2_august_2026_have_until_2_december_2026(
    production, on_market_since, on, expected
):
    own_tool = AIToolFactory(
        our_role=OperatorRole.PROVIDER, output_marking=OutputMarking.NONE, on_market_since=on_market_since
    )
    use = AIUseFactory(production=production, tool=own_tool, **KEPT, **generated)

    result = item(production, "output-marking", on=on)

    assert result.status == expected, result.explanation
    assert ("ai_use", use.id) in record_refs(result)
    assert result.penalty
    if expected == ATTENTION:
        assert "2 December 2026" in result.explanation
        assert "Art. 111(4)" in result.explanation


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(AUG_1_2026, NOT_APPLICABLE, id="1 Aug 2026: not yet in force"),
        pytest.param(AUG_2_2026, NOT_MET, id="2 Aug 2026: applies"),
    ],
)
def test_output_marking_applies_from_2_august_2026(production, on, expected):
    AIUseFactory(production=production, tool=provided_unmarked(), **KEPT, **generated)

    result = item(production, "output-marking", on=on)

    assert result.status == expected
    if expected == NOT_APPLICABLE:
        assert "Once it applies" in result.explanation
