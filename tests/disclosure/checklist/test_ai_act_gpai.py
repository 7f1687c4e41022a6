"""AI Act Art. 53(1)(c)-(d): general-purpose model providers' documents (from 2 Aug 2025; models placed on the
market before then have until 2 Aug 2027, Art. 111(3)). A provider's duty: for a deployer, record-keeping only.
"""

import datetime

import pytest

from productions.vocabularies import OperatorRole
from tests.disclosure.checklist.builders import (
    ATTENTION,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    a_use,
    both,
    item,
    nothing,
    record_refs,
    tool,
)
from tests.factories import AIToolFactory, AIUseFactory

SUMMARY = {"training_content_summary_url": "https://vendor.example/summary"}
POLICY = {"copyright_policy_url": "https://vendor.example/copyright"}
AUG_1_2025, AUG_2_2025 = datetime.date(2025, 8, 1), datetime.date(2025, 8, 2)
AUG_1_2027, AUG_2_2027 = datetime.date(2027, 8, 1), datetime.date(2027, 8, 2)


def gpai(role=OperatorRole.DEPLOYER, **fields):
    return a_use(tool=tool(general_purpose_model=True, our_role=role, **fields))


PROVIDER = OperatorRole.PROVIDER

GPAI_DOCUMENTS = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(), MET, id="no tool built on a general-purpose model: met"),
    pytest.param(gpai(**SUMMARY, **POLICY), MET, id="vendor's documents both on file: met"),
    pytest.param(gpai(**SUMMARY), ATTENTION, id="vendor's copyright policy missing: attention"),
    pytest.param(gpai(**POLICY), ATTENTION, id="vendor's training summary missing: attention"),
    pytest.param(gpai(), ATTENTION, id="vendor's documents both missing: attention"),
    pytest.param(
        gpai(on_market_since=datetime.date(2024, 3, 1)), ATTENTION, id="vendor's legacy model, undocumented: attention"
    ),
    pytest.param(gpai(PROVIDER, **SUMMARY, **POLICY), MET, id="our model, documents published: met"),
    pytest.param(
        gpai(PROVIDER, on_market_since=datetime.date(2025, 9, 1)), NOT_MET, id="our model, undocumented: not met"
    ),
    pytest.param(gpai(PROVIDER, **SUMMARY), NOT_MET, id="our model, copyright policy missing: not met"),
    pytest.param(gpai(PROVIDER), NOT_MET, id="our model, no date on the market, undocumented: not met"),
    pytest.param(
        gpai(PROVIDER, on_market_since=datetime.date(2025, 8, 1)),
        ATTENTION,
        id="our model placed before 2 Aug 2025, undocumented: attention until 2 Aug 2027",
    ),
    pytest.param(
        both(gpai(**SUMMARY, **POLICY), gpai(PROVIDER)),
        NOT_MET,
        id="documented vendor tool beside our undocumented model: not met",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), GPAI_DOCUMENTS)
def test_gpai_provider_documents(production, arrange, expected):
    arrange(production)

    result = item(production, "gpai-provider-documents", on=datetime.date(2026, 10, 1))

    assert result.status == expected, result.explanation
    # Art. 53 is enforced on model providers under Art. 101, not the fines of Art. 99.
    assert result.penalty == ""


def test_a_vendors_missing_documents_are_to_be_recorded_and_the_tool_listed(production):
    undocumented = AIToolFactory(general_purpose_model=True, **SUMMARY)
    AIUseFactory(production=production, tool=undocumented)
    AIUseFactory(production=production, tool=undocumented)
    AIUseFactory(production=production, tool=AIToolFactory(general_purpose_model=True, **SUMMARY, **POLICY))

    result = item(production, "gpai-provider-documents")

    assert result.status == ATTENTION
    assert "record whether the provider publishes them" in result.explanation
    assert record_refs(result) == {("tool", undocumented.id)}


def test_our_undocumented_model_is_listed(production):
    ours = AIToolFactory(general_purpose_model=True, our_role=PROVIDER, on_market_since=datetime.date(2025, 9, 1))
    AIUseFactory(production=production, tool=ours)

    result = item(production, "gpai-provider-documents")

    assert result.status == NOT_MET
    assert "the production provides" in result.explanation
    assert record_refs(result) == {("tool", ours.id)}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(AUG_1_2027, ATTENTION, id="1 Aug 2027: legacy model still in its transition"),
        pytest.param(AUG_2_2027, NOT_MET, id="2 Aug 2027: transition over"),
    ],
)
def test_our_model_placed_before_2_august_2025_has_until_2_august_2027(production, on, expected):
    ours = AIToolFactory(general_purpose_model=True, our_role=PROVIDER, on_market_since=AUG_1_2025)
    AIUseFactory(production=production, tool=ours)

    result = item(production, "gpai-provider-documents", on=on)

    assert result.status == expected, result.explanation
    assert record_refs(result) == {("tool", ours.id)}
    if expected == ATTENTION:
        assert "2 August 2027" in result.explanation


@pytest.mark.parametrize(
    ("on_market_since", "expected"),
    [
        pytest.param(AUG_1_2025, ATTENTION, id="placed 1 Aug 2025: legacy"),
        pytest.param(AUG_2_2025, NOT_MET, id="placed 2 Aug 2025: not legacy"),
    ],
)
def test_a_model_is_legacy_when_placed_before_2_august_2025(production, on_market_since, expected):
    AIUseFactory(
        production=production,
        tool=AIToolFactory(general_purpose_model=True, our_role=PROVIDER, on_market_since=on_market_since),
    )

    assert item(production, "gpai-provider-documents", on=datetime.date(2026, 1, 1)).status == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(AUG_1_2025, NOT_APPLICABLE, id="1 Aug 2025: not yet in force"),
        pytest.param(AUG_2_2025, ATTENTION, id="2 Aug 2025: applies"),
    ],
)
def test_gpai_provider_documents_apply_from_2_august_2025(production, on, expected):
    AIUseFactory(production=production, tool=AIToolFactory(general_purpose_model=True))

    result = item(production, "gpai-provider-documents", on=on)

    assert result.status == expected
    if expected == NOT_APPLICABLE:
        assert "applies from 2 August 2025" in result.explanation
        assert "Once it applies" in result.explanation
