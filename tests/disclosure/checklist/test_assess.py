"""The whole checklist: rules in their declared order, dates, fines, the data attached to the PDF, queries."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure import legal_basis as law
from disclosure.checklist import RULES, assess
from disclosure.checklist.findings import Fine
from disclosure.models import ChecklistAttestation, ItemStatus
from productions.consent_status import consent_scope_fingerprint, use_facts_fingerprint
from productions.models import AIUse, CoverageDecision, Production
from productions.vocabularies import (
    CompanySize,
    ConsentKind,
    CoverageDecisionKind,
    DeepFake,
    Department,
    DigitalSourceType,
    EmotionRecognition,
    OperatorRole,
    OutputMarking,
    OutputType,
    PerformerUse,
    Phase,
)
from seeds.loader import load_demo
from tests.disclosure.checklist.builders import (
    ATTENTION,
    EVERYTHING_IN_FORCE,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    approved,
    item,
    record_refs,
    set_production,
)
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    LiteracyMeasureFactory,
    PersonFactory,
    ProductionFactory,
    UserFactory,
)


def test_the_rules_are_declared_once_in_the_order_of_the_document():
    assert [checklist_rule.id for checklist_rule in RULES] == [
        "inventory",
        "ai-literacy",
        "prohibited-practices",
        "prohibited-intimate-imagery",
        "high-risk",
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


def test_every_rule_lives_in_a_module_of_its_legal_area():
    areas = {checklist_rule.evaluate.__module__.rsplit(".", 1)[-1] for checklist_rule in RULES}

    assert areas == {
        "ai_act_operators",
        "ai_act_prohibited",
        "ai_act_high_risk",
        "ai_act_transparency",
        "ai_act_gpai",
        "gdpr",
        "performers",
        "writers",
        "awards",
    }


def test_every_date_and_reference_carries_its_source_and_whether_it_was_verified():
    sources = law.sources()

    for checklist_rule in RULES:
        assert checklist_rule.legal_basis.source.citation, checklist_rule.id
        assert checklist_rule.applies_from.source.citation, checklist_rule.id
    assert all(source.citation and isinstance(source.verified, bool) for source in sources.values())
    # What rests on secondary sources only is said so, for a lawyer to re-check.
    assert not sources["INTIMATE_IMAGERY_PROHIBITION"].verified
    assert not sources["FINE_SMALL_MID_CAP"].verified
    assert sources["TRANSPARENCY_OBLIGATIONS"].verified


def test_the_dates_are_those_of_the_amended_act():
    assert law.PROHIBITIONS_AND_LITERACY == datetime.date(2025, 2, 2)
    assert law.GPAI_OBLIGATIONS == datetime.date(2025, 8, 2)
    assert law.GPAI_LEGACY_MODELS == datetime.date(2027, 8, 2)
    assert law.TRANSPARENCY_OBLIGATIONS == datetime.date(2026, 8, 2)
    assert law.INTIMATE_IMAGERY_PROHIBITION == datetime.date(2026, 12, 2)
    assert law.MARKING_GRACE_FOR_SYSTEMS_ON_MARKET == datetime.date(2026, 12, 2)
    assert law.HIGH_RISK_ANNEX_III == datetime.date(2027, 12, 2)
    assert law.ACADEMY_99TH_RULES == datetime.date(2026, 5, 1)
    assert law.SAG_AFTRA_2026 == datetime.date(2026, 7, 1)


def test_an_obligation_not_yet_in_force_says_when_it_applies_and_what_it_would_find(production):
    screening = AIUseFactory(production=production, screens_casting_or_hiring=True, is_final=False)

    before = item(production, "high-risk", on=datetime.date(2027, 12, 1))
    first_day = item(production, "high-risk", on=datetime.date(2027, 12, 2))

    assert before.status == NOT_APPLICABLE
    assert not before.in_force
    assert "applies from 2 December 2027" in before.explanation
    assert "Once it applies" in before.explanation
    assert ("ai_use", screening.id) in record_refs(before)
    assert before.records == first_day.records
    assert before.penalty == ""
    assert first_day.status == ATTENTION
    assert first_day.in_force


def test_an_obligation_not_yet_in_force_with_nothing_to_find_says_only_when_it_applies(production):
    AIUseFactory(production=production, deep_fake=DeepFake.NO)

    result = item(production, "deep-fake-determination", on=datetime.date(2026, 8, 1))

    assert result.status == NOT_APPLICABLE
    assert result.explanation == "Not in force on the assessment date: applies from 2 August 2026."
    assert result.records == []


# Fines: where the duty is the production's own, in the words for its size class (Art. 99).


def _prohibited(production):
    AIUseFactory(production=production, untargeted_face_scraping=True)


def _undisclosed_deep_fake(production):
    AIUseFactory(production=production, deep_fake=DeepFake.YES)


@pytest.mark.parametrize(
    ("arrange", "item_id", "company_size", "words"),
    [
        (_prohibited, "prohibited-practices", CompanySize.OTHER, ["EUR 35 million or 7%", "whichever is higher"]),
        (_prohibited, "prohibited-practices", CompanySize.SME, ["99(6)", "whichever is lower for an SME"]),
        # Art. 99(6a) covers the fines of 99(4) and (5), not those for prohibited practices.
        (_prohibited, "prohibited-practices", CompanySize.SMALL_MID_CAP, ["whichever is higher", "does not extend"]),
        (_prohibited, "prohibited-practices", CompanySize.NOT_STATED, ["Record the company's size class"]),
        (_undisclosed_deep_fake, "deep-fake-disclosure", CompanySize.OTHER, ["EUR 15 million or 3%", "higher"]),
        (_undisclosed_deep_fake, "deep-fake-disclosure", CompanySize.SME, ["whichever is lower for an SME"]),
        (_undisclosed_deep_fake, "deep-fake-disclosure", CompanySize.SMALL_MID_CAP, ["99(6a)", "small mid-cap"]),
        (_undisclosed_deep_fake, "deep-fake-disclosure", CompanySize.NOT_STATED, ["SME or a small mid-cap"]),
    ],
)
def test_the_fine_line_follows_the_company_size(production, arrange, item_id, company_size, words):
    arrange(production)
    set_production(production, company_size=company_size)

    result = item(production, item_id)

    assert result.status == NOT_MET
    for word in words:
        assert word in result.penalty


def test_no_fine_is_printed_where_the_law_attaches_none_or_the_duty_is_a_providers(production):
    AIUseFactory(
        production=production,
        department=Department.SOUND,
        tool=AIToolFactory(output_marking=OutputMarking.NONE, our_role=OperatorRole.DEPLOYER),
        digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
    )

    checklist = {result.rule.id: result for result in assess(production, on=EVERYTHING_IN_FORCE).items}

    assert checklist["ai-literacy"].status == ATTENTION
    assert checklist["ai-literacy"].penalty == ""
    assert checklist["output-marking"].status == ATTENTION
    assert checklist["output-marking"].penalty == ""
    assert checklist["prohibited-practices"].penalty  # a production's own duty, whatever its status


def test_the_fines_apply_from_2_august_2025(production):
    _prohibited(production)

    assert item(production, "prohibited-practices", on=datetime.date(2025, 8, 1)).penalty == ""
    assert item(production, "prohibited-practices", on=datetime.date(2025, 8, 2)).penalty


def test_the_fine_tiers_are_declared_on_the_rules():
    fines = {checklist_rule.id: checklist_rule.fine for checklist_rule in RULES}

    assert fines["prohibited-practices"] == fines["prohibited-intimate-imagery"] == Fine.PROHIBITED_PRACTICE
    assert fines["deep-fake-disclosure"] == fines["output-marking"] == Fine.OPERATOR_DUTY
    assert fines["ai-literacy"] == fines["gpai-provider-documents"] == Fine.NONE


# The whole checklist


def test_the_assessment_date_defaults_to_the_eu_release_then_today(production):
    assert assess(production).assessed_on == timezone.localdate()
    set_production(production, eu_release_date=datetime.date(2026, 9, 18))
    assert assess(production).assessed_on == datetime.date(2026, 9, 18)
    assert assess(production, on=datetime.date(2027, 1, 1)).assessed_on == datetime.date(2027, 1, 1)


def test_the_summary_counts_every_item_once(production):
    AIUseFactory(production=production)

    checklist = assess(production, on=datetime.date(2026, 9, 1))

    assert sum(checklist.summary.values()) == len(RULES)
    assert list(checklist.summary) == ["met", "attention", "not_met", "not_applicable"]
    # 5(1)(ba)-(bb) from 2 Dec 2026 and Annex III from 2 Dec 2027 are not yet in force on 1 Sep 2026.
    assert {result.rule.id for result in checklist.not_yet_in_force} == {"prohibited-intimate-imagery", "high-risk"}


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
    AIUseFactory(production=production, tool=None, department=Department.SOUND, deep_fake=DeepFake.NO)
    LiteracyMeasureFactory(production=production)
    set_production(production, company_size=CompanySize.SME)
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


def test_as_data_carries_per_item_the_basis_the_date_the_fine_and_the_records(varied_production):
    first = assess(varied_production, on=EVERYTHING_IN_FORCE).as_data()
    second = assess(varied_production, on=EVERYTHING_IN_FORCE).as_data()

    assert json.dumps(first) == json.dumps(second)
    assert first["assessed_on"] == "2028-01-01"
    assert first["production"]["company_size"] == "sme"
    assert [entry["id"] for entry in first["items"]] == [checklist_rule.id for checklist_rule in RULES]
    for entry in first["items"]:
        keys = [(record["type"], record["id"]) for record in entry["records"]]
        assert keys == sorted(keys)
        assert all(set(record) == {"type", "id", "label"} for record in entry["records"])
        assert set(entry) >= {"legal_basis", "applies_from", "penalty", "records", "status", "explanation"}
    disclosure = next(entry for entry in first["items"] if entry["id"] == "deep-fake-disclosure")
    assert disclosure["status"] == "not_met"
    assert disclosure["attestation"]["status"] == "met"
    assert disclosure["attestation"]["by"] == "lea"
    assert disclosure["applies_from"] == "2026-08-02"
    assert disclosure["legal_basis"] == "AI Act Art. 50(4), (5), Recital 134"
    assert "whichever is lower for an SME" in disclosure["penalty"]
    assert {record["label"] for record in disclosure["records"]} == {"Collapse", "Snow", "Crowd"}


def test_as_data_does_not_depend_on_the_order_records_were_created(production):
    first_person = PersonFactory(production=production, name="B")
    second_person = PersonFactory(production=production, name="A")
    AIUseFactory(production=production, performer_use=PerformerUse.VOICE_CLONE, people=[second_person, first_person])

    data = assess(production, on=EVERYTHING_IN_FORCE).as_data()

    consent_item = next(entry for entry in data["items"] if entry["id"] == "performer-consent")
    people = [record["id"] for record in consent_item["records"] if record["type"] == "person"]
    assert people == sorted([first_person.id, second_person.id])


def ledger(production, count):
    """`count` uses that lead every rule to read each field it reads, over tools as many as a fifth of them.

    Every use depicts a person and relies on a consent, including the uses the consent rules do not read.
    """
    tools = AIToolFactory.create_batch(
        max(count // 5, 1),
        general_purpose_model=True,
        training_content_summary_url="https://vendor.example/summary",
        output_marking=OutputMarking.NONE,
        our_role=OperatorRole.PROVIDER,
    )
    living, deceased = PersonFactory(production=production), PersonFactory(production=production, deceased=True)
    consent = approved(living, ConsentKind.DIGITAL_ALTERATION, intimate_imagery_consent=True,
                       intimate_imagery_description="Scene 12")  # fmt: skip
    uses = AIUse.objects.bulk_create(
        AIUse(
            production=production,
            phase=Phase.DEVELOPMENT if n % 5 == 0 else Phase.VFX,
            department=Department.VFX,
            title=f"Shot {n:04d}",
            tool=tools[n % len(tools)],
            output_type=OutputType.TEXT if n % 5 == 0 else OutputType.VIDEO,
            digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            is_final=n % 7 != 0,
            published_in=["trailer"] if n % 7 == 0 else [],
            used_until=datetime.date(2026, 12, 1) if n % 2 else None,
            performer_use=PerformerUse.DIGITAL_ALTERATION if n % 2 else PerformerUse.NONE,
            biometric_data=n % 3 == 0,
            intimate_imagery=n % 11 == 0,
            deep_fake=DeepFake.YES if n % 5 else DeepFake.NO,
            emotion_recognition=EmotionRecognition.CAST_CREW_AT_WORK if n % 13 == 0 else EmotionRecognition.AUDIENCE,
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
    # Legal confirmed the coverage of every other use: decisions cost no query of their own per use.
    scope = consent_scope_fingerprint(consent)
    CoverageDecision.objects.bulk_create(
        CoverageDecision(
            consent=consent,
            ai_use=use,
            decision=CoverageDecisionKind.COVERS,
            consent_scope=scope,
            use_facts=use_facts_fingerprint(use),
            decided_at=timezone.now(),
        )
        for use in uses[::2]
    )


def queries_to_assess(production):
    with CaptureQueriesContext(connection) as context:
        assess(production, on=EVERYTHING_IN_FORCE).as_data()
    return len(context.captured_queries)


def test_assessing_costs_the_same_queries_whatever_the_number_of_uses_and_what_the_rules_read(db):
    small, large = ProductionFactory(), ProductionFactory()
    ledger(small, 10)
    ledger(large, 300)

    assert AIUse.objects.filter(production=large).count() == 300
    # The uses, their tools, people, consents and legal's coverage decisions, the measures and the attestations.
    assert queries_to_assess(small) == queries_to_assess(large) <= 7


# The demo data


def test_the_demo_productions_show_every_status_and_what_they_show_is_right(db):
    load_demo()

    checklists = {production.title: assess(production) for production in Production.objects.all()}

    statuses = {result.status for checklist in checklists.values() for result in checklist.items}
    assert statuses == {MET, ATTENTION, NOT_MET, NOT_APPLICABLE}
    for title, checklist in checklists.items():
        assert checklist.summary["met"] >= 1, title
    letters = checklists["The Letters of Ilse Varga"]
    by_id = {result.rule.id: result for result in letters.items}
    # A documentary: nobody may treat it as evidently artistic, so the carve-out never applies.
    assert letters.production.evidently_artistic == "no"
    assert "does not hamper enjoyment" not in by_id["deep-fake-disclosure"].explanation
    # Ilse Varga died in 2019: her voice is outside the GDPR, but never a silent pass.
    gdpr = by_id["biometric-consent-dpia"]
    assert gdpr.status in (ATTENTION, NOT_MET)
    assert "Ilse Varga" in gdpr.explanation
    assert "art. 85" in gdpr.explanation


def test_dates_read_as_the_language_writes_them():
    from django.utils import translation

    from disclosure.checklist.findings import long_date

    with translation.override("fr"):
        assert long_date(datetime.date(2026, 8, 1)) == "1er août 2026"
        assert long_date(datetime.date(2026, 8, 2)) == "2 août 2026"
    with translation.override("en"):
        assert long_date(datetime.date(2026, 8, 1)) == "1 August 2026"
