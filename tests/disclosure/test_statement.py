"""The transparency statement: what it says, in which order, from records it only reads."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.statement import Generation, build_statement
from productions.consent_status import ConsentStatus, consent_scope_fingerprint, use_facts_fingerprint
from productions.models import AIUse, CoverageDecision
from productions.vocabularies import (
    ConsentKind,
    CoverageDecisionKind,
    Determination,
    DigitalSourceType,
    DisclosureMethod,
    OutputMarking,
    PerformerUse,
    Phase,
    ReviewState,
    TrainingDataProvenance,
    TriState,
    Union,
)
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, PersonFactory

ON = datetime.date(2026, 11, 20)


@pytest.fixture
def runway(db):
    return AIToolFactory(
        vendor="Runway",
        product="Runway",
        model_name="Gen-4",
        model_version="",
        training_data_provenance=[TrainingDataProvenance.UNDISCLOSED],
        vendor_trains_on_inputs=TriState.UNKNOWN,
        copyright_policy_url="https://runwayml.example/terms",
        output_marking=OutputMarking.C2PA,
    )


@pytest.fixture
def firefly(db):
    return AIToolFactory(
        vendor="Adobe",
        product="Firefly",
        model_name="Image Model",
        model_version="4",
        training_data_provenance=[TrainingDataProvenance.PUBLIC_DOMAIN, TrainingDataProvenance.LICENSED],
        vendor_trains_on_inputs=TriState.NO,
        training_content_summary_url="https://adobe.example/summary",
        copyright_policy_url="https://adobe.example/policy",
        output_marking=OutputMarking.C2PA,
    )


@pytest.fixture
def ledger(production, runway, firefly):
    """Final uses in three phases (entered out of order), temporary uses and a voice clone with consent."""
    production.screenplay_credit = "Bruno Stagnaro, Ariel Staltari"
    production.signatory = "Matías Mosteirín, producer"
    production.countries = ["AR"]
    production.save()
    singer = PersonFactory(production=production, name="Inés Duarte", role="Elena", union=Union.SAG_AFTRA)
    # A voice clone consent: a digital replica of her voice, not of her face and body.
    voice_consent = ConsentFactory(
        person=singer,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        expires_on=datetime.date(2027, 3, 1),
    )
    uses = {
        "snow": AIUseFactory(
            production=production,
            phase=Phase.VFX,
            title="Toxic snow layers",
            tool=firefly,
            digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            disclosure_method=DisclosureMethod.NONE,
        ),
        "collapse": AIUseFactory(
            production=production,
            phase=Phase.VFX,
            title="Building collapse",
            description="Generated collapse blended with the street plate.",
            tool=runway,
            digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
            human_contribution="Compositors integrated every frame by hand.",
            disclosure_method=DisclosureMethod.END_CREDITS,
            external_id="EP106_SQ030_SH0120",
        ),
        "backgrounds": AIUseFactory(
            production=production,
            phase=Phase.SET_DESIGN,
            title="Harbour backgrounds",
            tool=firefly,
            digital_source_type=DigitalSourceType.ALGORITHMICALLY_ENHANCED,
            disclosure_method=DisclosureMethod.END_CREDITS,
        ),
        "song": AIUseFactory(
            production=production,
            phase=Phase.VOICE_DUBBING,
            title="Elena's song in the cloned voice",
            tool=runway,
            digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
            performer_use=PerformerUse.VOICE_CLONE,
            people=[singer],
            consents=[voice_consent],
            disclosure_method=DisclosureMethod.OPENING_CARD,
        ),
    }
    AIUseFactory(production=production, phase=Phase.PRE_PRODUCTION, is_final=False, title="Storyboards", tool=firefly)
    AIUseFactory(production=production, phase=Phase.PRE_PRODUCTION, is_final=False, title="Previs", tool=runway)
    AIUseFactory(production=production, phase=Phase.DEVELOPMENT, is_final=False, title="Script coverage", tool=None)
    return uses


def test_the_statement_names_the_production_the_cut_the_date_and_who_signs(production, ledger):
    statement = build_statement(production, on=ON)

    assert statement.title == "El Eternauta"
    assert statement.company == production.production_company
    assert statement.year == production.year
    assert statement.cut == "picture lock v1"
    assert statement.date == ON
    assert statement.signatory == "Matías Mosteirín, producer"
    assert statement.contact_point == "disclosure@example.org"
    assert statement.countries == ("AR",)
    assert "not legal advice" in str(statement.legal_note)


def test_final_uses_are_grouped_by_phase_in_declared_order_then_by_title(production, ledger):
    statement = build_statement(production, on=ON)

    assert [group.phase for group in statement.phases] == [Phase.SET_DESIGN, Phase.VFX, Phase.VOICE_DUBBING]
    assert [[use.title for use in group.uses] for group in statement.phases] == [
        ["Harbour backgrounds"],
        ["Building collapse", "Toxic snow layers"],
        ["Elena's song in the cloned voice"],
    ]
    assert statement.final_use_count == 4


def test_each_use_says_its_tool_whether_ai_generated_or_modified_it_and_what_the_humans_did(production, ledger):
    uses = {use.title: use for group in build_statement(production, on=ON).phases for use in group.uses}

    collapse = uses["Building collapse"]
    assert collapse.tool_name == "Runway (Gen-4)"
    assert collapse.tool_vendor == "Runway"
    assert collapse.description == "Generated collapse blended with the street plate."
    assert collapse.generation == Generation.MODIFIED
    assert collapse.iptc_code == "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
    assert collapse.human_contribution == "Compositors integrated every frame by hand."
    assert collapse.external_id == "EP106_SQ030_SH0120"
    assert uses["Toxic snow layers"].generation == Generation.GENERATED
    assert uses["Toxic snow layers"].tool_name == "Adobe Firefly (Image Model 4)"
    # Algorithmic enhancement (sharpening, noise reduction) generates nothing (IPTC).
    assert uses["Harbour backgrounds"].generation == Generation.ENHANCED


@pytest.mark.parametrize(
    ("source_type", "generation"),
    [
        (DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA, Generation.GENERATED),
        (DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA, Generation.MODIFIED),
        (DigitalSourceType.COMPOSITE_SYNTHETIC, Generation.MODIFIED),
        (DigitalSourceType.ALGORITHMICALLY_ENHANCED, Generation.ENHANCED),
        # Made by an algorithm from no training data, data rendered by human programming, human edits: no
        # generative AI, whatever the old labels said.
        (DigitalSourceType.ALGORITHMIC_MEDIA, Generation.OTHER),
        (DigitalSourceType.DATA_DRIVEN_MEDIA, Generation.OTHER),
        (DigitalSourceType.HUMAN_EDITS, Generation.OTHER),
        (DigitalSourceType.DIGITAL_CREATION, Generation.OTHER),
    ],
)
def test_generated_or_modified_follows_the_iptc_definitions(source_type, generation):
    assert Generation.of(source_type) == generation


def test_temporary_uses_are_only_counted_per_phase(production, ledger):
    statement = build_statement(production, on=ON)

    assert [(entry.phase, entry.count) for entry in statement.temporary] == [
        (Phase.DEVELOPMENT, 1),
        (Phase.PRE_PRODUCTION, 2),
    ]
    titles = json.dumps(statement.as_data())
    assert "Storyboards" not in titles and "Script coverage" not in titles


def test_voice_work_shows_the_consent_its_state_and_the_union_framework(production, ledger):
    (work,) = build_statement(production, on=ON).performers

    assert work.use_title == "Elena's song in the cloned voice"
    assert work.performer_use == PerformerUse.VOICE_CLONE
    assert work.consent_status == ConsentStatus.COVERED
    (person,) = work.people
    assert (person.name, person.union) == ("Inés Duarte", Union.SAG_AFTRA)
    assert "SAG-AFTRA 2023" in str(person.framework)
    (consent,) = person.consents
    assert (consent.kind, consent.review_state, consent.status) == (
        ConsentKind.INDEPENDENT_REPLICA,
        ReviewState.APPROVED,
        ConsentStatus.COVERED,
    )
    assert (consent.covers_voice, consent.covers_likeness) == (True, False)
    assert consent.kind_label == "Independently created digital replica (voice)"


def test_a_use_whose_coverage_legal_has_not_confirmed_is_not_said_to_be_consented(production, ledger):
    song = ledger["song"]
    song.coverage_decisions.all().delete()

    (work,) = build_statement(production, on=ON).performers
    (exception,) = build_statement(production, on=ON).authorship.exceptions

    assert work.consent_status == ConsentStatus.SCOPE_TO_CONFIRM
    assert work.people[0].consents[0].status == ConsentStatus.COVERED  # the consent itself is valid
    assert not exception.consented


def test_consent_status_is_assessed_on_the_statements_date(production, ledger):
    (after_expiry,) = build_statement(production, on=datetime.date(2027, 6, 1)).performers

    assert after_expiry.consent_status == ConsentStatus.EXPIRED
    assert after_expiry.people[0].consents[0].status == ConsentStatus.EXPIRED


@pytest.mark.parametrize("declared", [Determination.YES, Determination.NO, Determination.NOT_DETERMINED])
def test_human_authorship_names_every_replica_clone_and_alteration_whatever_the_production_declares(
    production, ledger, declared
):
    production.performances_by_humans = declared
    production.screenplay_human_authored = Determination.YES
    production.save()
    authorship = build_statement(production, on=ON).authorship

    assert authorship.screenplay_credit == "Bruno Stagnaro, Ariel Staltari"
    assert authorship.screenplay_human_authored == Determination.YES
    assert authorship.performances_by_humans == declared
    assert [(e.use_title, e.performer_use, e.people, e.consented) for e in authorship.exceptions] == [
        ("Elena's song in the cloned voice", PerformerUse.VOICE_CLONE, ("Inés Duarte",), True)
    ]


def test_an_exception_whose_consent_is_not_valid_is_never_said_to_be_consented(production, ledger):
    (after_expiry,) = build_statement(production, on=datetime.date(2027, 6, 1)).authorship.exceptions

    assert after_expiry.consent_status == ConsentStatus.EXPIRED
    assert not after_expiry.consented


def test_audience_disclosures_are_grouped_by_method_with_undisclosed_uses_last(production, ledger):
    audience = build_statement(production, on=ON).audience

    assert [(group.method, group.use_titles) for group in audience] == [
        (DisclosureMethod.END_CREDITS, ["Harbour backgrounds", "Building collapse"]),
        (DisclosureMethod.OPENING_CARD, ["Elena's song in the cloned voice"]),
        (DisclosureMethod.NONE, ["Toxic snow layers"]),
    ]


def test_the_tools_of_the_final_work_show_their_training_data_and_rights_posture(production, ledger):
    tools = build_statement(production, on=ON).tools

    assert [tool.vendor for tool in tools] == ["Adobe", "Runway"]
    adobe = tools[0]
    assert adobe.training_data_provenance == (TrainingDataProvenance.LICENSED, TrainingDataProvenance.PUBLIC_DOMAIN)
    assert adobe.vendor_trains_on_inputs == TriState.NO
    assert adobe.training_content_summary_url == "https://adobe.example/summary"
    assert adobe.copyright_policy_url == "https://adobe.example/policy"
    assert adobe.output_marking == OutputMarking.C2PA


def test_a_tool_used_only_for_temporary_work_is_not_in_the_statement(production, ledger):
    AIUseFactory(production=production, is_final=False, tool=AIToolFactory(vendor="Midjourney"))

    assert "Midjourney" not in [tool.vendor for tool in build_statement(production, on=ON).tools]


def test_as_data_is_json_and_the_same_on_every_build(production, ledger):
    first = build_statement(production, on=ON).as_data()
    second = build_statement(production, on=ON).as_data()

    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["date"] == "2026-11-20"
    assert first["phases"][1]["uses"][0]["title"] == "Building collapse"
    assert first["performers"][0]["people"][0]["consents"][0]["signed_on"] == "2026-03-01"


def test_a_production_without_ai_still_has_a_statement(production):
    statement = build_statement(production, on=ON)

    assert (statement.phases, statement.performers, statement.tools, statement.temporary) == ((), (), (), ())
    assert json.dumps(statement.as_data())


def test_building_the_statement_writes_nothing(production, ledger):
    with CaptureQueriesContext(connection) as queries:
        build_statement(production, on=ON)

    assert [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")] == []


def _bulk_ledger(production, count):
    tool = AIToolFactory()
    person = PersonFactory(production=production)
    consent = ConsentFactory(person=person, kind=ConsentKind.DIGITAL_ALTERATION)
    scope = consent_scope_fingerprint(consent)
    uses = AIUse.objects.bulk_create(
        AIUse(
            production=production,
            phase=list(Phase.values)[n % len(Phase.values)],
            department="vfx",
            title=f"Shot {n:04d}",
            tool=tool,
            output_type="video",
            digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
            is_final=n % 4 != 0,
            performer_use=PerformerUse.DIGITAL_ALTERATION if n % 3 == 0 else PerformerUse.NONE,
        )
        for n in range(count)
    )
    AIUse.people.through.objects.bulk_create(AIUse.people.through(aiuse=use, person=person) for use in uses)
    AIUse.consents.through.objects.bulk_create(AIUse.consents.through(aiuse=use, consent=consent) for use in uses)
    CoverageDecision.objects.bulk_create(
        CoverageDecision(
            consent=consent,
            ai_use=use,
            decision=CoverageDecisionKind.COVERS,
            consent_scope=scope,
            use_facts=use_facts_fingerprint(use),
            decided_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        )
        for use in uses
        if use.performer_use == PerformerUse.DIGITAL_ALTERATION
    )


@pytest.mark.parametrize("count", [10, 300])
def test_the_statement_costs_the_same_queries_for_10_or_300_uses(production, django_assert_max_num_queries, count):
    _bulk_ledger(production, count)

    # The final uses, their tools, people, consents and coverage decisions, and the temporary uses' counts.
    with django_assert_max_num_queries(6):
        statement = build_statement(production, on=ON)

    assert statement.final_use_count + statement.temporary_use_count == count


# What the PDF says: its text, as a festival desk reads it.


def statement_text(production, language="en", on=ON):
    from tests.disclosure.test_pdf import issue, read, text_of

    return " ".join(text_of(read(issue(production, language=language, on=on))).split())


def test_the_pdf_names_each_exception_and_claims_consent_only_where_it_is_valid(production, ledger):
    production.performances_by_humans = Determination.YES
    production.screenplay_human_authored = Determination.YES
    production.save()

    valid = statement_text(production)
    expired = statement_text(production, on=datetime.date(2027, 6, 1))

    assert "The production states that the screenplay was written by humans: Bruno Stagnaro, Ariel Staltari." in valid
    assert "each with the valid consent of the person concerned" in valid
    assert "Elena's song in the cloned voice: Voice clone or synthesis (Inés Duarte) · with valid consent" in valid
    assert "Independently created digital replica (voice): Approved" in valid
    assert "voice_clone" not in valid
    assert "The performances are by humans, with their consent." not in valid
    assert "not all rest on a valid consent" in expired
    assert "Consent: Expired" in expired
    assert "with valid consent" not in expired


def test_the_pdf_does_not_claim_human_authorship_nobody_determined(production):
    text = statement_text(production)

    assert "The production has not stated whether the screenplay was written by humans alone." in text
    assert "the production has not stated that every performance is given by a human" in text
    assert "written by humans:" not in text


def test_the_pdf_labels_non_generative_source_types_as_such(production):
    AIUseFactory(
        production=production,
        title="Procedural rock texture",
        digital_source_type=DigitalSourceType.ALGORITHMIC_MEDIA,
    )
    AIUseFactory(production=production, title="Rotoscoping", digital_source_type=DigitalSourceType.HUMAN_EDITS)

    text = statement_text(production)

    assert "Generated by AI" not in text
    assert "modified with generative AI" not in text
    assert text.count("No generative step") == 2


def test_the_french_pdf_puts_a_no_break_space_before_colons_and_semicolons(production, ledger):
    from tests.disclosure.test_pdf import issue, read, text_of

    text = text_of(read(issue(production, language="fr"))).replace("\n", " ")

    assert "Elena's song in the cloned voice\u00a0: Clonage" in text
    assert "Harbour backgrounds\u00a0; Building collapse" in text
    assert "voice: " not in text and "backgrounds; " not in text
