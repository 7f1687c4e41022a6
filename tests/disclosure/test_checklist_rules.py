"""The checklist rules: each item's status follows from the records and the assessment date."""

import datetime
import json
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.checklist import ITEMS, assess
from disclosure.models import ChecklistAttestation, ItemStatus
from productions.models import AIUse, Production
from productions.vocabularies import (
    ConsentKind,
    DeepFake,
    Department,
    DigitalSourceType,
    DisclosureMethod,
    EmotionRecognition,
    OutputMarking,
    OutputType,
    PerformerUse,
    Phase,
    ReviewState,
    TriState,
)
from seeds.loader import load_demo
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    LiteracyMeasureFactory,
    PersonFactory,
    ProductionFactory,
    UserFactory,
)

MET, ATTENTION, NOT_MET, NOT_APPLICABLE = (
    ItemStatus.MET,
    ItemStatus.ATTENTION,
    ItemStatus.NOT_MET,
    ItemStatus.NOT_APPLICABLE,
)
EVERYTHING_IN_FORCE = datetime.date(2028, 1, 1)


def item(production, item_id, on=EVERYTHING_IN_FORCE):
    return next(result for result in assess(production, on=on).items if result.rule.id == item_id)


def record_refs(result):
    return {(record["type"], record["id"]) for record in result.records}


# Arrangements: small builders the table below combines.


def nothing(production):
    return None


def a_use(**fields):
    """An AI use (final VFX video by default); callable values are factories called at arrange time."""

    def arrange(production):
        values = {name: value() if callable(value) else value for name, value in fields.items()}
        return AIUseFactory(production=production, **values)

    return arrange


def both(*arrangements):
    def arrange(production):
        for arrangement in arrangements:
            arrangement(production)

    return arrange


def production_with(**fields):
    def arrange(production):
        Production.objects.filter(pk=production.pk).update(**fields)
        production.refresh_from_db()

    return arrange


def literacy(departments, held_on=datetime.date(2026, 1, 15)):
    return lambda production: LiteracyMeasureFactory(production=production, departments=departments, held_on=held_on)


def approved(person, kind, **fields):
    return ConsentFactory(
        person=person, kind=kind, review_state=ReviewState.APPROVED, reviewed_at=timezone.now(), **fields
    )


def performer_use(performer_use=PerformerUse.DIGITAL_ALTERATION, consent=None, deceased=False, **fields):
    """A use depicting one person; `consent(person)` makes the consent it relies on, if any."""

    def arrange(production):
        person = PersonFactory(production=production, deceased=deceased)
        consents = [consent(person)] if consent else []
        return AIUseFactory(
            production=production, performer_use=performer_use, people=[person], consents=consents, **fields
        )

    return arrange


def gdpr_consent(**fields):
    def make(person):
        terms = {"gdpr_explicit_consent": True, "dpia_reference": "DPIA-2026-01", **fields}
        return approved(person, ConsentKind.DIGITAL_ALTERATION, **terms)

    return make


def post_mortem(person):
    return approved(person, ConsentKind.VOICE_CLONE, post_mortem_authority="The estate")


unmarked_tool = partial(AIToolFactory, output_marking=OutputMarking.NONE, on_market_since=datetime.date(2026, 9, 1))
marking_tool = partial(AIToolFactory, output_marking=OutputMarking.C2PA)
generated = {"digital_source_type": DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA}

RULE_CASES = [
    # inventory
    ("inventory", MET, a_use()),
    ("inventory", MET, nothing),
    ("inventory", NOT_MET, a_use(tool=None)),
    ("inventory", ATTENTION, a_use(tool=partial(AIToolFactory, model_name=""))),
    # ai-literacy
    ("ai-literacy", MET, both(a_use(department=Department.VFX), literacy([Department.VFX]))),
    ("ai-literacy", NOT_MET, a_use(department=Department.VFX)),
    ("ai-literacy", NOT_MET, both(a_use(department=Department.SOUND), literacy([Department.VFX]))),
    (
        "ai-literacy",
        NOT_MET,
        both(a_use(department=Department.VFX), literacy([Department.VFX], held_on=datetime.date(2028, 2, 1))),
    ),
    # prohibited-practices
    ("prohibited-practices", MET, a_use(emotion_recognition=EmotionRecognition.AUDIENCE, people_informed=True)),
    ("prohibited-practices", NOT_MET, a_use(emotion_recognition=EmotionRecognition.CAST_CREW_AT_WORK)),
    ("prohibited-practices", NOT_MET, a_use(sensitive_traits_inferred=True, biometric_categorisation=True)),
    ("prohibited-practices", NOT_MET, a_use(untargeted_face_scraping=True, is_final=False)),
    # high-risk-casting
    ("high-risk-casting", MET, a_use()),
    ("high-risk-casting", ATTENTION, a_use(phase=Phase.CASTING, screens_casting_or_hiring=True, is_final=False)),
    # deep-fake-determination
    ("deep-fake-determination", MET, a_use(deep_fake=DeepFake.NO)),
    ("deep-fake-determination", MET, a_use(deep_fake=DeepFake.NOT_DETERMINED, is_final=False)),
    ("deep-fake-determination", MET, a_use(deep_fake=DeepFake.NOT_DETERMINED, output_type=OutputType.TEXT)),
    ("deep-fake-determination", NOT_MET, a_use(deep_fake=DeepFake.NOT_DETERMINED)),
    ("deep-fake-determination", NOT_MET, a_use(deep_fake=DeepFake.NOT_DETERMINED, output_type=OutputType.AUDIO)),
    # deep-fake-disclosure
    ("deep-fake-disclosure", MET, a_use(deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.END_CREDITS)),
    ("deep-fake-disclosure", MET, a_use(deep_fake=DeepFake.NO)),
    ("deep-fake-disclosure", MET, a_use(deep_fake=DeepFake.YES, is_final=False)),
    ("deep-fake-disclosure", NOT_MET, a_use(deep_fake=DeepFake.YES)),
    (
        "deep-fake-disclosure",
        ATTENTION,
        a_use(deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.MARKETING_NOTICE),
    ),
    # public-interest-text
    ("public-interest-text", MET, nothing),
    (
        "public-interest-text",
        MET,
        a_use(output_type=OutputType.TEXT, public_interest_text=True, human_editorial_responsibility=True),
    ),
    (
        "public-interest-text",
        MET,
        a_use(
            output_type=OutputType.TEXT,
            public_interest_text=True,
            disclosure_method=DisclosureMethod.ON_SCREEN_LABEL,
        ),
    ),
    ("public-interest-text", NOT_MET, a_use(output_type=OutputType.TEXT, public_interest_text=True)),
    # emotion-biometric-information
    ("emotion-biometric-information", MET, a_use()),
    (
        "emotion-biometric-information",
        MET,
        a_use(emotion_recognition=EmotionRecognition.AUDIENCE, people_informed=True),
    ),
    ("emotion-biometric-information", NOT_MET, a_use(emotion_recognition=EmotionRecognition.AUDIENCE)),
    ("emotion-biometric-information", NOT_MET, a_use(emotion_recognition=EmotionRecognition.OTHER)),
    ("emotion-biometric-information", NOT_MET, a_use(biometric_categorisation=True)),
    # output-marking
    ("output-marking", MET, a_use(tool=marking_tool, marking_kept_in_master=TriState.YES, **generated)),
    ("output-marking", MET, a_use(tool=unmarked_tool, is_final=False, **generated)),
    # Assistive enhancement of captured media is exempt (Art. 50(2)).
    (
        "output-marking",
        MET,
        a_use(tool=unmarked_tool, digital_source_type=DigitalSourceType.ALGORITHMICALLY_ENHANCED),
    ),
    ("output-marking", NOT_MET, a_use(tool=unmarked_tool, marking_kept_in_master=TriState.YES, **generated)),
    ("output-marking", NOT_MET, a_use(tool=marking_tool, marking_kept_in_master=TriState.NO, **generated)),
    ("output-marking", ATTENTION, a_use(tool=marking_tool, marking_kept_in_master=TriState.UNKNOWN, **generated)),
    (
        "output-marking",
        ATTENTION,
        a_use(tool=partial(AIToolFactory, output_marking=OutputMarking.UNKNOWN), marking_kept_in_master="yes"),
    ),
    # gpai-provider-documents
    ("gpai-provider-documents", MET, a_use()),
    (
        "gpai-provider-documents",
        MET,
        a_use(
            tool=partial(
                AIToolFactory,
                general_purpose_model=True,
                training_content_summary_url="https://vendor.example/summary",
                copyright_policy_url="https://vendor.example/copyright",
            )
        ),
    ),
    (
        "gpai-provider-documents",
        ATTENTION,
        a_use(
            tool=partial(
                AIToolFactory, general_purpose_model=True, copyright_policy_url="https://vendor.example/copyright"
            )
        ),
    ),
    # biometric-consent-dpia
    ("biometric-consent-dpia", MET, a_use()),
    ("biometric-consent-dpia", MET, performer_use(consent=gdpr_consent(), biometric_data=True)),
    ("biometric-consent-dpia", NOT_MET, performer_use(consent=gdpr_consent(dpia_reference=""), biometric_data=True)),
    (
        "biometric-consent-dpia",
        NOT_MET,
        performer_use(consent=gdpr_consent(gdpr_explicit_consent=False), biometric_data=True),
    ),
    (
        "biometric-consent-dpia",
        NOT_MET,
        performer_use(consent=gdpr_consent(revoked_on=datetime.date(2027, 6, 1)), biometric_data=True),
    ),
    ("biometric-consent-dpia", NOT_MET, performer_use(biometric_data=True, is_final=False)),
    ("biometric-consent-dpia", ATTENTION, a_use(biometric_data=True)),
    # The data of the dead is outside the GDPR (Recital 27).
    (
        "biometric-consent-dpia",
        MET,
        performer_use(PerformerUse.VOICE_CLONE, consent=post_mortem, deceased=True, biometric_data=True),
    ),
    # performer-consent
    ("performer-consent", MET, a_use()),
    (
        "performer-consent",
        MET,
        performer_use(consent=lambda person: approved(person, ConsentKind.DIGITAL_ALTERATION)),
    ),
    ("performer-consent", MET, performer_use(PerformerUse.ALTERATION_EXEMPT)),
    ("performer-consent", NOT_MET, performer_use()),
    (
        "performer-consent",
        NOT_MET,
        performer_use(
            consent=lambda person: approved(
                person, ConsentKind.DIGITAL_ALTERATION, revoked_on=datetime.date(2027, 3, 1)
            )
        ),
    ),
    (
        "performer-consent",
        NOT_MET,
        performer_use(PerformerUse.VOICE_CLONE, consent=lambda p: approved(p, ConsentKind.DIGITAL_ALTERATION)),
    ),
    (
        "performer-consent",
        ATTENTION,
        performer_use(consent=lambda person: ConsentFactory(person=person, review_state=ReviewState.SUBMITTED)),
    ),
    ("performer-consent", ATTENTION, performer_use(is_final=False)),
    # writers-informed
    ("writers-informed", MET, a_use()),
    ("writers-informed", MET, a_use(output_type=OutputType.TEXT, handed_to_writers=True, writers_informed=True)),
    ("writers-informed", NOT_MET, a_use(output_type=OutputType.TEXT, handed_to_writers=True)),
    # human-authorship
    ("human-authorship", MET, nothing),
    ("human-authorship", ATTENTION, production_with(screenplay_human_authored=False)),
    ("human-authorship", ATTENTION, production_with(performances_by_humans=False)),
]


@pytest.mark.parametrize(("item_id", "expected", "arrange"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_each_rule_computes_its_status_from_the_records(production, item_id, expected, arrange):
    arrange(production)

    result = item(production, item_id)

    assert result.status == expected, result.explanation
    assert result.explanation


def test_every_rule_has_a_met_and_a_negative_case():
    statuses = {}
    for item_id, expected, _arrange in RULE_CASES:
        statuses.setdefault(item_id, set()).add(expected)
    for checklist_rule in ITEMS:
        assert MET in statuses[checklist_rule.id], checklist_rule.id
        assert statuses[checklist_rule.id] & {NOT_MET, ATTENTION}, checklist_rule.id


def test_the_rules_are_declared_once_in_the_order_of_the_document():
    assert [checklist_rule.id for checklist_rule in ITEMS] == [
        "inventory",
        "ai-literacy",
        "prohibited-practices",
        "high-risk-casting",
        "deep-fake-determination",
        "deep-fake-disclosure",
        "public-interest-text",
        "emotion-biometric-information",
        "output-marking",
        "gpai-provider-documents",
        "biometric-consent-dpia",
        "performer-consent",
        "writers-informed",
        "human-authorship",
    ]


# Dates: obligations start on the days the law says.

BOUNDARY_CASES = [
    ("ai-literacy", a_use(), datetime.date(2025, 2, 1), datetime.date(2025, 2, 2), NOT_MET),
    (
        "prohibited-practices",
        a_use(emotion_recognition=EmotionRecognition.CAST_CREW_AT_WORK),
        datetime.date(2025, 2, 1),
        datetime.date(2025, 2, 2),
        NOT_MET,
    ),
    (
        "gpai-provider-documents",
        a_use(tool=partial(AIToolFactory, general_purpose_model=True)),
        datetime.date(2025, 8, 1),
        datetime.date(2025, 8, 2),
        ATTENTION,
    ),
    ("deep-fake-determination", a_use(), datetime.date(2026, 8, 1), datetime.date(2026, 8, 2), NOT_MET),
    (
        "deep-fake-disclosure",
        a_use(deep_fake=DeepFake.YES),
        datetime.date(2026, 8, 1),
        datetime.date(2026, 8, 2),
        NOT_MET,
    ),
    (
        "public-interest-text",
        a_use(output_type=OutputType.TEXT, public_interest_text=True),
        datetime.date(2026, 8, 1),
        datetime.date(2026, 8, 2),
        NOT_MET,
    ),
    (
        "emotion-biometric-information",
        a_use(emotion_recognition=EmotionRecognition.AUDIENCE),
        datetime.date(2026, 8, 1),
        datetime.date(2026, 8, 2),
        NOT_MET,
    ),
    (
        "output-marking",
        a_use(tool=unmarked_tool, **generated),
        datetime.date(2026, 8, 1),
        datetime.date(2026, 8, 2),
        NOT_MET,
    ),
    (
        "high-risk-casting",
        a_use(screens_casting_or_hiring=True),
        datetime.date(2027, 12, 1),
        datetime.date(2027, 12, 2),
        ATTENTION,
    ),
]


@pytest.mark.parametrize(
    ("item_id", "arrange", "day_before", "first_day", "expected"), BOUNDARY_CASES, ids=[c[0] for c in BOUNDARY_CASES]
)
def test_an_obligation_applies_from_its_first_day(production, item_id, arrange, day_before, first_day, expected):
    arrange(production)

    before = item(production, item_id, on=day_before)
    from_first_day = item(production, item_id, on=first_day)

    assert before.status == NOT_APPLICABLE
    assert not before.in_force
    assert "applies from" in before.explanation
    # What it would find is said already, with the records, so the production can prepare.
    assert "Once it applies" in before.explanation
    assert before.records == from_first_day.records
    assert from_first_day.status == expected
    assert from_first_day.in_force


def test_an_obligation_not_yet_in_force_with_nothing_to_find_says_only_when_it_applies(production):
    AIUseFactory(production=production, deep_fake=DeepFake.NO)

    result = item(production, "deep-fake-determination", on=datetime.date(2026, 8, 1))

    assert result.status == NOT_APPLICABLE
    assert result.explanation == "Not in force on the assessment date: applies from 2 August 2026."
    assert result.records == []


def test_high_risk_casting_is_mentioned_before_annex_iii_applies(production):
    screening = AIUseFactory(production=production, screens_casting_or_hiring=True, is_final=False)

    result = item(production, "high-risk-casting", on=datetime.date(2026, 9, 1))

    assert result.status == NOT_APPLICABLE
    assert "2 December 2027" in result.explanation
    assert "casting or hiring" in result.explanation
    assert ("ai_use", screening.id) in record_refs(result)


@pytest.mark.parametrize(
    ("on_market_since", "on", "expected"),
    [
        # Systems on the market before 2 Aug 2026 have until 2 Dec 2026 to mark their outputs.
        (datetime.date(2024, 1, 1), datetime.date(2026, 8, 2), ATTENTION),
        (datetime.date(2024, 1, 1), datetime.date(2026, 12, 1), ATTENTION),
        (datetime.date(2024, 1, 1), datetime.date(2026, 12, 2), NOT_MET),
        (datetime.date(2026, 8, 1), datetime.date(2026, 10, 1), ATTENTION),
        (datetime.date(2026, 8, 2), datetime.date(2026, 10, 1), NOT_MET),
        (None, datetime.date(2026, 10, 1), NOT_MET),
    ],
)
def test_output_marking_grace_for_systems_already_on_the_market(production, on_market_since, on, expected):
    tool = AIToolFactory(output_marking=OutputMarking.NONE, on_market_since=on_market_since)
    use = AIUseFactory(production=production, tool=tool, marking_kept_in_master=TriState.YES, **generated)

    result = item(production, "output-marking", on=on)

    assert result.status == expected
    assert {("ai_use", use.id), ("tool", tool.id)} <= record_refs(result)
    if expected == ATTENTION:
        assert "2 December 2026" in result.explanation


def test_a_literacy_measure_counts_from_the_day_it_was_held(production):
    AIUseFactory(production=production, department=Department.SOUND)
    measure = LiteracyMeasureFactory(
        production=production, departments=[Department.SOUND], held_on=datetime.date(2026, 3, 10)
    )

    assert item(production, "ai-literacy", on=datetime.date(2026, 3, 9)).status == NOT_MET
    held = item(production, "ai-literacy", on=datetime.date(2026, 3, 10))
    assert held.status == MET
    assert held.records == [{"type": "literacy_measure", "id": measure.id, "label": "Training session (2026-03-10)"}]


def test_a_missing_literacy_measure_names_the_departments(production):
    AIUseFactory(production=production, department=Department.SOUND)
    AIUseFactory(production=production, department=Department.EDITORIAL)
    LiteracyMeasureFactory(production=production, departments=[Department.SOUND])

    result = item(production, "ai-literacy")

    assert result.status == NOT_MET
    assert "Editorial" in result.explanation
    assert "Sound" not in result.explanation


def test_deep_fake_disclosure_names_the_lighter_regime_for_artistic_works(production):
    AIUseFactory(production=production, deep_fake=DeepFake.YES, disclosure_method=DisclosureMethod.END_CREDITS)

    assert "does not hamper enjoyment" in item(production, "deep-fake-disclosure").explanation
    Production.objects.filter(pk=production.pk).update(evidently_artistic=False)
    production.refresh_from_db()
    assert "does not hamper enjoyment" not in item(production, "deep-fake-disclosure").explanation


def test_no_deep_fake_says_so(production):
    AIUseFactory(production=production, deep_fake=DeepFake.NO)

    result = item(production, "deep-fake-disclosure")

    assert result.status == MET
    assert result.explanation == "No deep fakes in the final work."


def test_a_deceased_persons_data_is_outside_the_gdpr_and_the_explanation_says_so(production):
    performer_use(PerformerUse.VOICE_CLONE, consent=post_mortem, deceased=True, biometric_data=True)(production)

    result = item(production, "biometric-consent-dpia")

    assert result.status == MET
    assert "outside the GDPR" in result.explanation


def test_a_failing_rule_lists_the_records_that_caused_it(production):
    person = PersonFactory(production=production, name="Lionel Abara")
    use = AIUseFactory(
        production=production, title="Lip sync", performer_use=PerformerUse.DIGITAL_ALTERATION, people=[person]
    )
    AIUseFactory(production=production, performer_use=PerformerUse.NONE)

    result = item(production, "performer-consent")

    assert result.status == NOT_MET
    assert result.records == [
        {"type": "ai_use", "id": use.id, "label": "Lip sync"},
        {"type": "person", "id": person.id, "label": "Lionel Abara"},
    ]


def test_a_consent_relied_on_is_labelled_with_its_persons_name(production):
    person = PersonFactory(production=production, name="Lionel Abara")
    consent = ConsentFactory(person=person, kind=ConsentKind.VOICE_CLONE)
    AIUseFactory(production=production, performer_use=PerformerUse.VOICE_CLONE, consents=[consent])

    result = item(production, "performer-consent")

    assert result.status == NOT_MET, "the use depicts nobody: the consent covers no one it shows"
    assert {"type": "consent", "id": consent.id, "label": "Lionel Abara: Voice clone or synthesis"} in result.records


def test_human_authorship_points_to_the_synthetic_performances(production):
    replica = AIUseFactory(production=production, performer_use=PerformerUse.INDEPENDENT_REPLICA)
    Production.objects.filter(pk=production.pk).update(performances_by_humans=False)
    production.refresh_from_db()

    result = item(production, "human-authorship")

    assert result.status == ATTENTION
    assert "name the exceptions" in result.explanation
    assert ("ai_use", replica.id) in record_refs(result)


# The whole checklist


def test_the_assessment_date_defaults_to_the_eu_release_then_today(production):
    assert assess(production).assessed_on == timezone.localdate()
    Production.objects.filter(pk=production.pk).update(eu_release_date=datetime.date(2026, 9, 18))
    production.refresh_from_db()
    assert assess(production).assessed_on == datetime.date(2026, 9, 18)
    assert assess(production, on=datetime.date(2027, 1, 1)).assessed_on == datetime.date(2027, 1, 1)


def test_the_summary_counts_every_item_once(production):
    AIUseFactory(production=production)

    checklist = assess(production, on=datetime.date(2026, 9, 1))

    assert sum(checklist.summary.values()) == len(ITEMS)
    assert list(checklist.summary) == ["met", "attention", "not_met", "not_applicable"]
    assert checklist.summary["not_applicable"] == len(checklist.not_yet_in_force) == 1


@pytest.fixture
def varied_production(production):
    person = PersonFactory(production=production, name="Ricardo Darín")
    consent = approved(person, ConsentKind.DIGITAL_ALTERATION, gdpr_explicit_consent=True, dpia_reference="D-1")
    for title in ["Collapse", "Snow", "Crowd"]:
        AIUseFactory(
            production=production,
            title=title,
            performer_use=PerformerUse.DIGITAL_ALTERATION,
            biometric_data=True,
            people=[person],
            consents=[consent],
            deep_fake=DeepFake.YES,
        )
    AIUseFactory(production=production, tool=None, department=Department.SOUND)
    LiteracyMeasureFactory(production=production)
    lawyer = UserFactory(username="lea", first_name="Léa")
    ChecklistAttestation.objects.create(
        production=production,
        item_id="deep-fake-disclosure",
        status=ItemStatus.MET,
        comment="Disclosed in the end credits of the festival cut.",
        attested_by=lawyer,
        attested_at=timezone.now(),
    )
    return production


def test_as_data_is_json_and_the_same_for_the_same_records(varied_production):
    first = assess(varied_production, on=EVERYTHING_IN_FORCE).as_data()
    second = assess(varied_production, on=EVERYTHING_IN_FORCE).as_data()

    assert json.dumps(first) == json.dumps(second)
    assert first["assessed_on"] == "2028-01-01"
    assert [entry["id"] for entry in first["items"]] == [checklist_rule.id for checklist_rule in ITEMS]
    for entry in first["items"]:
        keys = [(record["type"], record["id"]) for record in entry["records"]]
        assert keys == sorted(keys)
        assert all(set(record) == {"type", "id", "label"} for record in entry["records"])
    disclosure = next(entry for entry in first["items"] if entry["id"] == "deep-fake-disclosure")
    assert disclosure["status"] == "not_met"
    assert disclosure["attestation"]["status"] == "met"
    assert disclosure["attestation"]["by"] == "lea"
    assert disclosure["applies_from"] == "2026-08-02"


def test_as_data_does_not_depend_on_the_order_records_were_created(production):
    first_person = PersonFactory(production=production, name="B")
    second_person = PersonFactory(production=production, name="A")
    AIUseFactory(production=production, performer_use=PerformerUse.VOICE_CLONE, people=[second_person, first_person])

    data = assess(production, on=EVERYTHING_IN_FORCE).as_data()

    consent_item = next(entry for entry in data["items"] if entry["id"] == "performer-consent")
    people = [record["id"] for record in consent_item["records"] if record["type"] == "person"]
    assert people == sorted([first_person.id, second_person.id])


def populate(production, count):
    """`count` AI uses over a few tools, each depicting a performer and relying on a consent."""
    tools = AIToolFactory.create_batch(3, general_purpose_model=True)
    person = PersonFactory(production=production)
    consent = approved(person, ConsentKind.DIGITAL_ALTERATION)
    LiteracyMeasureFactory(production=production, departments=[Department.VFX])
    uses = AIUse.objects.bulk_create(
        AIUse(
            production=production,
            phase=Phase.VFX,
            department=Department.VFX if n % 2 else Department.ANIMATION,
            title=f"Shot {n:04d}",
            tool=tools[n % len(tools)],
            output_type=OutputType.VIDEO,
            digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            is_final=bool(n % 3),
            performer_use=PerformerUse.DIGITAL_ALTERATION,
            biometric_data=True,
            deep_fake=DeepFake.YES,
        )
        for n in range(count)
    )
    AIUse.people.through.objects.bulk_create(AIUse.people.through(aiuse=use, person=person) for use in uses)
    AIUse.consents.through.objects.bulk_create(AIUse.consents.through(aiuse=use, consent=consent) for use in uses)


def queries_to_assess(production):
    with CaptureQueriesContext(connection) as context:
        assess(production, on=EVERYTHING_IN_FORCE).as_data()
    return len(context.captured_queries)


def test_assessing_costs_the_same_queries_for_10_and_300_uses(db):
    small, large = ProductionFactory(), ProductionFactory()
    populate(small, 10)
    populate(large, 300)

    assert AIUse.objects.filter(production=large).count() == 300
    assert queries_to_assess(small) == queries_to_assess(large) <= 10


def ledger(production, count):
    """`count` uses that lead every rule to read each field it reads, over tools as many as a fifth of them.

    Every use depicts a person and relies on a consent, including the uses the consent rules do not read.
    """
    tools = AIToolFactory.create_batch(
        count // 5,
        general_purpose_model=True,
        training_content_summary_url="https://vendor.example/summary",
        output_marking=OutputMarking.NONE,
    )
    living, deceased = PersonFactory(production=production), PersonFactory(production=production, deceased=True)
    consent = approved(living, ConsentKind.DIGITAL_ALTERATION)
    uses = AIUse.objects.bulk_create(
        AIUse(
            production=production,
            phase=Phase.VFX,
            department=Department.VFX,
            title=f"Shot {n:04d}",
            tool=tools[n % len(tools)],
            output_type=OutputType.VIDEO,
            digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            is_final=True,
            performer_use=PerformerUse.DIGITAL_ALTERATION if n % 2 else PerformerUse.NONE,
            biometric_data=n % 3 == 0,
            deep_fake=DeepFake.YES,
            emotion_recognition=EmotionRecognition.AUDIENCE,
            screens_casting_or_hiring=True,
            public_interest_text=True,
            handed_to_writers=True,
        )
        for n in range(count)
    )
    AIUse.people.through.objects.bulk_create(
        AIUse.people.through(aiuse=use, person=living if n % 4 else deceased) for n, use in enumerate(uses)
    )
    AIUse.consents.through.objects.bulk_create(AIUse.consents.through(aiuse=use, consent=consent) for use in uses)


def test_assessing_costs_the_same_queries_whatever_the_rules_read_of_each_record(db):
    small, large = ProductionFactory(), ProductionFactory()
    ledger(small, 10)
    ledger(large, 100)

    assert queries_to_assess(small) == queries_to_assess(large) <= 5


# The demo data


def test_the_demo_productions_have_met_and_unmet_items(db):
    load_demo()

    checklists = {production.title: assess(production) for production in Production.objects.all()}

    for title, checklist in checklists.items():
        assert checklist.summary["met"] >= 1, title
    assert any(checklist.summary["not_met"] >= 1 for checklist in checklists.values())
    letters = checklists["The Letters of Ilse Varga"]
    statuses = {result.rule.id: result.status for result in letters.items}
    # A voice repair in a living interviewee's voice with no audience disclosure and a rejected consent.
    assert statuses["deep-fake-disclosure"] == NOT_MET
    assert statuses["performer-consent"] == NOT_MET
    # Ilse Varga died in 2019: her voice is outside the GDPR; her estate consented.
    assert "Ilse Varga" in next(r for r in letters.items if r.rule.id == "biometric-consent-dpia").explanation
