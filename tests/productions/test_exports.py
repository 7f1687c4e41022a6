"""Exporting the ledger: template columns, neutralised formulas, filters, and a round trip that changes nothing."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from productions import exports, imports, selectors
from productions.filters import AIUseFilter
from productions.models import AIUse
from productions.vocabularies import (
    ConsentKind,
    DeepFake,
    Department,
    DigitalSourceType,
    DisclosureMethod,
    OutputType,
    PerformerUse,
    Phase,
    PublishedIn,
    ReviewState,
    UsePurpose,
)
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, PersonFactory


@pytest.fixture
def ledger(production):
    """A ledger as producers fill it in: tracker ids or none, people and consents, awkward text."""
    runway = AIToolFactory(vendor="Runway", product="Runway", model_name="Gen-4", model_version="")
    darin = PersonFactory(production=production, name="Ricardo Darín")
    consent = ConsentFactory(
        person=darin,
        kind=ConsentKind.DIGITAL_ALTERATION,
        review_state=ReviewState.APPROVED,
        reviewed_at=timezone.now(),
    )
    return [
        AIUseFactory(
            production=production,
            external_id="001",
            title="Building collapse",
            description="Generated collapse,\r\nblended with the street plate.",
            shots="EP106 SQ030",
            timecode_in="01:02:03:04",
            timecode_out="01:02:09:00",
            frame_in=1001,
            frame_out=1120,
            tool=runway,
            deep_fake=DeepFake.YES,
            disclosure_method=DisclosureMethod.END_CREDITS,
            human_contribution="Compositors chose and graded every frame.",
            used_from=datetime.date(2024, 5, 6),
            used_until=datetime.date(2024, 11, 29),
            # Stored in another order than the vocabulary's, as a record written outside the forms may be.
            published_in=[PublishedIn.SOCIAL, PublishedIn.TRAILER],
        ),
        AIUseFactory(
            production=production,
            external_id="0010",
            title='=HYPERLINK("http://evil.example","click")',
            description="+33 1 23 45 67 89",
            shots="@crowd",
            tool=None,
        ),
        AIUseFactory(
            production=production,
            external_id="SH0040",
            title="De-ageing in the flashback",
            performer_use=PerformerUse.DIGITAL_ALTERATION,
            people=[darin],
            consents=[consent],
            biometric_data=True,
            purpose=UsePurpose.SAFETY,
            intimate_imagery=True,
            used_from=datetime.date(2026, 2, 2),
        ),
        AIUseFactory(
            production=production,
            external_id="",
            title="-6 dB dialogue clean-up",
            phase=Phase.SOUND_MUSIC,
            department=Department.SOUND,
            output_type=OutputType.AUDIO,
            digital_source_type=DigitalSourceType.ALGORITHMICALLY_ENHANCED,
            tool=None,
            is_final=False,
        ),
        AIUseFactory(production=production, external_id="", title="'=already quoted", tool=None),
    ]


def uses_of(user, production, **query):
    return AIUseFilter(query, queryset=selectors.ai_uses_for(user, production), production=production).qs


def read_csv(data):
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_csv_export_has_the_template_columns_codes_and_the_consent_status(production, producer, ledger):
    rows = read_csv(exports.export_ai_uses(uses_of(producer, production), "csv"))

    assert rows[0] == [*imports.TEMPLATE_COLUMNS, "people", "consent_status"]
    by_title = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    collapse = by_title["Building collapse"]
    assert (collapse["external_id"], collapse["phase"], collapse["tool"], collapse["is_final"]) == (
        "001",
        "vfx",
        "Runway Runway (Gen-4)",
        "yes",
    )
    assert collapse["consent_status"] == "not_needed"
    de_ageing = by_title["De-ageing in the flashback"]
    assert (de_ageing["people"], de_ageing["consent_status"], de_ageing["biometric_data"]) == (
        "Ricardo Darín",
        "covered",
        "yes",
    )
    assert (collapse["used_from"], collapse["used_until"], collapse["published_in"]) == (
        "2024-05-06",
        "2024-11-29",
        "social; trailer",
    )
    assert (de_ageing["used_from"], de_ageing["used_until"], de_ageing["published_in"]) == ("2026-02-02", "", "")
    assert (de_ageing["purpose"], de_ageing["intimate_imagery"]) == ("safety", "yes")
    assert (collapse["purpose"], collapse["intimate_imagery"]) == ("", "no")


def test_the_workbook_holds_dates_as_the_text_imports_read(production, producer, ledger):
    data = exports.export_ai_uses(uses_of(producer, production), "xlsx")

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headers, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    collapse = next(row for row in rows if row["title"] == "Building collapse")
    assert (collapse["used_from"], collapse["published_in"]) == ("2024-05-06", "social; trailer")


def test_cells_a_spreadsheet_would_run_are_neutralised_with_a_quote(production, producer, ledger):
    rows = read_csv(exports.export_ai_uses(uses_of(producer, production), "csv"))
    cells = {cell for row in rows for cell in row}

    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+33 1 23 45 67 89" in cells
    assert "'@crowd" in cells
    assert "'-6 dB dialogue clean-up" in cells
    assert "''=already quoted" in cells
    assert not any(cell.startswith(imports.FORMULA_TRIGGERS) for cell in cells)


def test_the_workbook_holds_text_ids_and_no_formula(production, producer, ledger):
    data = exports.export_ai_uses(uses_of(producer, production), "xlsx")

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    ids = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert "001" in ids and "0010" in ids
    assert all(isinstance(value, str) or value is None for value in ids)


def test_an_export_keeps_the_ledger_filters(production, producer, ledger):
    rows = read_csv(exports.export_ai_uses(uses_of(producer, production, phase="sound_music"), "csv"))

    assert [row[2] for row in rows[1:]] == ["'-6 dB dialogue clean-up"]


def test_an_export_costs_the_same_queries_for_any_number_of_uses(
    production, producer, ledger, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        small = exports.export_ai_uses(uses_of(producer, production), "csv")
    AIUseFactory.create_batch(30, production=production)
    with django_assert_max_num_queries(5):
        large = exports.export_ai_uses(uses_of(producer, production), "csv")
    assert len(read_csv(large)) == len(read_csv(small)) + 30


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(production, producer, ledger, file_format):
    data = exports.export_ai_uses(uses_of(producer, production), file_format)
    table = imports.read_table(data, f"ledger.{file_format}")
    mapping = imports.suggest_mapping(table.headers, "reelproof")
    assert mapping["people"] == mapping["consent_status"] == ""
    history_before = AIUse.history.count()
    fields_before = list(AIUse.objects.order_by("pk").values())

    plan = imports.plan_import(production=production, table=table, mapping=mapping)
    assert plan.problems == []
    assert (plan.created, plan.unchanged, plan.updated) == (0, len(ledger), 0)

    imports.commit_import(actor=producer, production=production, table=table, mapping=mapping)

    assert AIUse.history.count() == history_before
    assert list(AIUse.objects.order_by("pk").values()) == fields_before


def test_an_edited_export_updates_only_the_rows_changed(production, producer, ledger):
    rows = read_csv(exports.export_ai_uses(uses_of(producer, production), "csv"))
    title = rows[0].index("title")
    for row in rows[1:]:
        if row[title] == "Building collapse":
            row[title] = "Building collapse, Buenos Aires"
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    table = imports.read_table(stream.getvalue().encode(), "edited.csv")

    plan = imports.commit_import(
        actor=producer, production=production, table=table, mapping=imports.suggest_mapping(table.headers, "reelproof")
    )

    assert (plan.created, plan.updated, plan.unchanged) == (0, 1, len(ledger) - 1)
    assert AIUse.objects.get(external_id="001").title == "Building collapse, Buenos Aires"


def test_the_template_is_a_header_row_and_the_workbook_has_a_guide(db):
    assert read_csv(exports.template_file("csv")) == [list(imports.TEMPLATE_COLUMNS)]

    workbook = load_workbook(io.BytesIO(exports.template_file("xlsx")))
    assert workbook.sheetnames == ["AI uses", "Guide"]
    assert [cell.value for cell in workbook["AI uses"][1]] == list(imports.TEMPLATE_COLUMNS)
    guide = {row[0]: row for row in workbook["Guide"].iter_rows(min_row=2, values_only=True)}
    assert guide["phase"][1] == "required"
    assert "vfx (Visual effects)" in guide["phase"][3]
    assert "“001” stays “001”" in guide["external_id"][3]
    assert "ignored by imports" in guide["consent_status"][2]
    assert guide["used_from"][2].startswith("First used on.")
    assert "YYYY-MM-DD (2026-03-31) or DD/MM/YYYY (31/03/2026)" in guide["used_until"][3]
    assert guide["published_in"][3] == (
        "none, one or several of trailer (Trailer or teaser); poster (Poster or key art); epk (Electronic press kit); "
        "social (Social media), separated by “;” or “,”"
    )
    assert guide["purpose"][3].startswith("an empty cell (Not stated); medical (Medical reasons); safety (")
    assert guide["intimate_imagery"][3] == "yes or no"
