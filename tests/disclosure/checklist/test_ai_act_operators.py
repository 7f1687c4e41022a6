"""AI Act operators: the inventory of systems (Art. 26, 50; Art. 3(3)-(4)) and AI literacy (Art. 4 as amended)."""

import datetime

import pytest

from productions.vocabularies import Department
from tests.disclosure.checklist.builders import (
    ATTENTION,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    a_use,
    both,
    item,
    literacy,
    nothing,
    record_refs,
    tool,
)
from tests.factories import AIToolFactory, AIUseFactory, LiteracyMeasureFactory

INVENTORY = [
    pytest.param(nothing, MET, id="no AI use recorded: met"),
    pytest.param(a_use(), MET, id="use names a complete tool: met"),
    pytest.param(a_use(tool=None), NOT_MET, id="use names no tool: not met"),
    pytest.param(a_use(tool=tool(vendor="")), ATTENTION, id="tool lacks its vendor: attention"),
    pytest.param(a_use(tool=tool(model_name="")), ATTENTION, id="tool lacks its model: attention"),
    pytest.param(a_use(tool=tool(our_role="")), ATTENTION, id="tool lacks our role: attention"),
    pytest.param(
        both(a_use(tool=None), a_use(tool=tool(model_name=""))),
        NOT_MET,
        id="use without tool beside an incomplete tool: the worst, not met",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), INVENTORY)
def test_inventory(production, arrange, expected):
    arrange(production)

    result = item(production, "inventory")

    assert result.status == expected, result.explanation
    assert result.penalty == ""


def test_inventory_lists_the_use_without_a_tool_and_the_incomplete_tool(production):
    toolless = AIUseFactory(production=production, tool=None)
    incomplete = AIToolFactory(vendor="")
    AIUseFactory(production=production, tool=incomplete)
    AIUseFactory(production=production)

    result = item(production, "inventory")

    assert result.status == NOT_MET
    assert record_refs(result) == {("ai_use", toolless.id), ("tool", incomplete.id)}
    assert "names no tool" in result.explanation
    assert "lacks its vendor, model name or our role" in result.explanation


LITERACY = [
    pytest.param(nothing, MET, id="no department uses AI: met"),
    pytest.param(both(a_use(department=Department.VFX), literacy([Department.VFX])), MET, id="department trained: met"),
    pytest.param(a_use(department=Department.VFX), ATTENTION, id="no measure at all: attention, not not-met"),
    pytest.param(
        both(a_use(department=Department.SOUND), literacy([Department.VFX])),
        ATTENTION,
        id="another department trained: attention",
    ),
    pytest.param(
        both(a_use(department=Department.VFX), literacy([Department.VFX], held_on=datetime.date(2028, 2, 1))),
        ATTENTION,
        id="measure held after the assessment date: attention",
    ),
    pytest.param(
        both(
            a_use(department=Department.VFX),
            a_use(department=Department.SOUND),
            literacy([Department.VFX, Department.SOUND]),
        ),
        MET,
        id="one measure for both departments: met",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), LITERACY)
def test_ai_literacy(production, arrange, expected):
    arrange(production)

    result = item(production, "ai-literacy")

    assert result.status == expected, result.explanation
    # Art. 4 as amended carries no fine: none is ever printed.
    assert result.penalty == ""


def test_ai_literacy_names_the_departments_without_a_measure(production):
    sound = AIUseFactory(production=production, department=Department.SOUND)
    AIUseFactory(production=production, department=Department.VFX)
    LiteracyMeasureFactory(production=production, departments=[Department.VFX])

    result = item(production, "ai-literacy")

    assert result.status == ATTENTION
    assert "Sound" in result.explanation
    assert "Visual effects" not in result.explanation
    assert "Record the training or guidance" in result.explanation
    assert record_refs(result) == {("ai_use", sound.id)}


def test_a_literacy_measure_counts_from_the_day_it_is_held(production):
    AIUseFactory(production=production, department=Department.SOUND)
    measure = LiteracyMeasureFactory(
        production=production, departments=[Department.SOUND], held_on=datetime.date(2026, 3, 10)
    )

    assert item(production, "ai-literacy", on=datetime.date(2026, 3, 9)).status == ATTENTION
    held = item(production, "ai-literacy", on=datetime.date(2026, 3, 10))
    assert held.status == MET
    assert record_refs(held) == {("literacy_measure", measure.id)}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(datetime.date(2025, 2, 1), NOT_APPLICABLE, id="1 Feb 2025: not yet in force"),
        pytest.param(datetime.date(2025, 2, 2), ATTENTION, id="2 Feb 2025: applies"),
    ],
)
def test_ai_literacy_applies_from_2_february_2025(production, on, expected):
    use = AIUseFactory(production=production, department=Department.VFX)

    result = item(production, "ai-literacy", on=on)

    assert result.status == expected
    assert ("ai_use", use.id) in record_refs(result)
    assert result.penalty == ""
    if expected == NOT_APPLICABLE:
        assert "applies from 2 February 2025" in result.explanation
        assert "Once it applies" in result.explanation


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(datetime.date(2024, 7, 31), NOT_APPLICABLE, id="31 Jul 2024: AI Act not in force"),
        pytest.param(datetime.date(2024, 8, 1), NOT_MET, id="1 Aug 2024: in force"),
    ],
)
def test_inventory_applies_from_the_ai_act_entry_into_force(production, on, expected):
    AIUseFactory(production=production, tool=None)

    assert item(production, "inventory", on=on).status == expected
