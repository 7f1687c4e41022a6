"""Writers are told when material handed to them was AI-generated (WGA MBA Art. 72)."""

import datetime

import pytest

from productions.vocabularies import OutputType, Phase
from tests.disclosure.checklist.builders import (
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    a_use,
    both,
    item,
    nothing,
    record_refs,
)
from tests.factories import AIUseFactory

TEXT = {"output_type": OutputType.TEXT, "phase": Phase.DEVELOPMENT, "is_final": False}

WRITERS = [
    pytest.param(nothing, MET, id="no AI use: met"),
    pytest.param(a_use(**TEXT), MET, id="AI text not handed to writers: met"),
    pytest.param(a_use(handed_to_writers=True, writers_informed=True, **TEXT), MET, id="handed and told: met"),
    pytest.param(a_use(handed_to_writers=True, **TEXT), NOT_MET, id="handed, not told: not met"),
    pytest.param(
        both(a_use(handed_to_writers=True, writers_informed=True, **TEXT), a_use(handed_to_writers=True, **TEXT)),
        NOT_MET,
        id="one of two handed materials not told: not met",
    ),
]


@pytest.mark.parametrize(("arrange", "expected"), WRITERS)
def test_writers_informed(production, arrange, expected):
    arrange(production)

    result = item(production, "writers-informed")

    assert result.status == expected, result.explanation


def test_material_the_writers_were_not_told_about_is_listed(production):
    untold = AIUseFactory(production=production, handed_to_writers=True, **TEXT)
    AIUseFactory(production=production, handed_to_writers=True, writers_informed=True, **TEXT)

    result = item(production, "writers-informed")

    assert result.status == NOT_MET
    assert "were not told" in result.explanation
    assert record_refs(result) == {("ai_use", untold.id)}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(datetime.date(2023, 9, 24), NOT_APPLICABLE, id="24 Sep 2023: before the 2023 MBA"),
        pytest.param(datetime.date(2023, 9, 25), NOT_MET, id="25 Sep 2023: under the 2023 MBA"),
    ],
)
def test_writers_informed_applies_from_the_2023_mba(production, on, expected):
    AIUseFactory(production=production, handed_to_writers=True, **TEXT)

    assert item(production, "writers-informed", on=on).status == expected
