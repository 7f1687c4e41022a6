"""Importing AI uses from spreadsheets: tracker exports, our template, bad files, updates, audit, 10,000 rows."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.utils import timezone
from multiselectfield import MultiSelectField
from openpyxl import Workbook

from productions import audit, imports, tracker_ids
from productions.imports import Action, ImportRejected
from productions.models import AIUse, ImportMapping
from productions.vocabularies import (
    DeepFake,
    Department,
    DigitalSourceType,
    ImportSource,
    OutputType,
    Phase,
    PublishedIn,
    ToolKind,
    UsePurpose,
)
from tests.factories import AIToolFactory, AIUseFactory, PersonFactory

DATA = Path(__file__).resolve().parent.parent / "data"

# The required columns of our template, and a row that fills them after its tracker id.
TEMPLATE_ROW = ["external_id", "title", "phase", "department", "output_type", "digital_source_type"]
NEW_ROW = ["Crowd extension", "vfx", "vfx", "video", "trainedAlgorithmicMedia"]
# What a Kitsu shot list of background work does not say, given once for the whole file.
BACKGROUNDS = {"phase": "set_design", "department": "art", "output_type": "image"}
VFX = {"phase": "vfx", "department": "vfx"}


def sample(name):
    return imports.read_table((DATA / name).read_bytes(), name)


def csv_table(rows, name="ledger.csv"):
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    return imports.read_table(stream.getvalue().encode(), name)


def plan_for(production, table, source=ImportSource.REELPROOF, fixed=None, mapping=None):
    mapping = mapping if mapping is not None else imports.suggest_mapping(table.headers, source)
    return imports.plan_import(production=production, table=table, mapping=mapping, fixed=fixed)


def commit(producer, production, table, source=ImportSource.REELPROOF, fixed=None, mapping=None):
    mapping = mapping if mapping is not None else imports.suggest_mapping(table.headers, source)
    return imports.commit_import(actor=producer, production=production, table=table, mapping=mapping, fixed=fixed)


def messages(plan):
    return [str(problem) for problem in plan.problems]


@pytest.fixture
def catalogue(db):
    return {
        "marrow": AIToolFactory(
            vendor="Brackwater Animation", product="Marrow Bay style model", model_name="SDXL LoRA", model_version="2.1"
        ),
        "runway": AIToolFactory(vendor="Runway", product="Runway", model_name="Gen-4", model_version=""),
        "flow": AIToolFactory(
            vendor="Autodesk", product="Flow Studio (formerly Wonder Studio)", model_name="", model_version=""
        ),
        "topaz": AIToolFactory(vendor="Topaz Labs", product="Topaz Video AI", model_name="Iris", model_version="2"),
        "midjourney": AIToolFactory(vendor="Midjourney", product="Midjourney", model_name="V7", model_version=""),
        "whisper": AIToolFactory(
            vendor="OpenAI",
            product="Whisper (run locally)",
            model_name="large-v3",
            model_version="",
            kind=ToolKind.TEXT,
        ),
        "rx": AIToolFactory(vendor="iZotope", product="RX 11 Advanced", model_name="", model_version=""),
    }


# Tracker exports


def test_a_kitsu_shot_list_is_recognised_and_imported_with_values_for_every_row(production, producer, catalogue):
    table = sample("kitsu_shots.csv")
    mapping = imports.suggest_mapping(table.headers, ImportSource.KITSU)

    assert {header: mapping[header] for header in ("Episode", "Sequence", "Name", "Frame In", "AI Use", "AI Tool")} == {
        "Episode": "external_id",
        "Sequence": "external_id",
        "Name": "external_id",
        "Frame In": "frame_in",
        "AI Use": "title",
        "AI Tool": "tool",
    }
    assert mapping["Project"] == mapping["FPS"] == mapping["Compositing"] == ""

    plan = commit(producer, production, table, ImportSource.KITSU, fixed=BACKGROUNDS)

    assert (plan.created, plan.updated, plan.unchanged) == (36, 0, 0)
    first = AIUse.objects.get(production=production, external_id="E201/SQ010/001")
    assert first.title == "Generated harbour background, repainted by the BG team"
    assert first.description == "Harbour at dusk, wide"
    assert (first.frame_in, first.frame_out) == (1001, 1048)
    assert first.tool == catalogue["marrow"]
    assert (first.phase, first.department, first.output_type) == (Phase.SET_DESIGN, Department.ART, OutputType.IMAGE)
    assert first.digital_source_type == DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA
    assert first.is_final is True
    assert AIUse.objects.get(external_id="E203/SQ020/0060").is_final is False
    assert AIUse.objects.filter(external_id="E202/SQ020/0010").exists()


def test_the_kitsu_workbook_reads_exactly_as_the_csv_ids_stay_text(production):
    from_csv, from_xlsx = sample("kitsu_shots.csv"), sample("kitsu_shots.xlsx")

    assert from_xlsx.headers == from_csv.headers
    assert from_xlsx.rows == from_csv.rows
    # Typed as the number 10 and formatted "0000" in the workbook; frames are number cells.
    assert from_xlsx.rows[1][1][3] == "0010"
    assert from_xlsx.rows[0][1][5:9] == ["1001", "1048", "24", "48"]


def test_number_cells_in_a_workbook_read_as_the_spreadsheet_shows_them(production):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["external_id", "frame_in"])
    for value in (1, 2.0, "001", 40, 23.976, True):
        sheet.append([value, 1001.0])
    sheet["A5"].number_format = "0000"
    stream = io.BytesIO()
    workbook.save(stream)

    table = imports.read_table(stream.getvalue(), "numbers.xlsx")

    assert [cells for _number, cells in table.rows] == [
        ["1", "1001"],
        ["2", "1001"],
        ["001", "1001"],
        ["0040", "1001"],
        ["23.976", "1001"],
        ["true", "1001"],
    ]


def test_a_shotgrid_export_maps_shot_codes_to_tracker_ids_and_ignores_its_own_row_ids(production, producer, catalogue):
    table = sample("shotgrid_shots.xlsx")
    mapping = imports.suggest_mapping(table.headers, ImportSource.SHOTGRID)

    assert mapping["Id"] == ""
    assert mapping["Shot Code"] == "external_id"
    assert (mapping["Cut In"], mapping["Cut Out"], mapping["Sequence"]) == ("frame_in", "frame_out", "shots")
    assert (mapping["AI Usage"], mapping["Source Type"], mapping["Deep Fake"]) == (
        "title",
        "digital_source_type",
        "deep_fake",
    )

    plan = commit(producer, production, table, ImportSource.SHOTGRID, fixed={**VFX, "output_type": "video"})

    assert plan.created == 32
    collapse = AIUse.objects.get(external_id="SQ030_SH0010")
    assert collapse.tool == catalogue["runway"]
    assert collapse.deep_fake == DeepFake.YES
    assert collapse.shots == "SQ030"
    assert AIUse.objects.filter(external_id="SQ040_0050").exists()
    # A cell starting with "-" is text, stored as written.
    assert AIUse.objects.get(external_id="SQ030_SH0030").title == "- sky replaced with generated storm clouds"


def test_the_shotgrid_csv_and_workbook_give_the_same_plan(production, catalogue):
    fixed = {**VFX, "output_type": "video"}
    from_csv = plan_for(production, sample("shotgrid_shots.csv"), ImportSource.SHOTGRID, fixed)
    from_xlsx = plan_for(production, sample("shotgrid_shots.xlsx"), ImportSource.SHOTGRID, fixed)

    assert from_csv.is_valid and from_xlsx.is_valid
    assert [(row.external_id, row.title) for row in from_csv.rows] == [
        (row.external_id, row.title) for row in from_xlsx.rows
    ]


def test_an_ftrack_export_reads_parent_and_name_as_the_shot(production, producer, catalogue):
    table = sample("ftrack_shots.csv")

    plan = commit(producer, production, table, ImportSource.FTRACK, fixed=VFX)

    assert plan.created == 28
    replaced = AIUse.objects.get(external_id="sq020/0010")
    assert replaced.tool == catalogue["flow"]
    assert replaced.is_final is False
    assert replaced.output_type == OutputType.VIDEO
    assert AIUse.objects.get(external_id="sq020/0020").tool == catalogue["topaz"]
    assert AIUse.objects.get(external_id="sq020/0020").digital_source_type == "algorithmicallyEnhanced"


def test_our_template_takes_codes_or_english_labels_and_keeps_ids_as_text(production, producer, catalogue):
    plan = commit(producer, production, sample("reelproof_template_filled.csv"))

    assert plan.created == 6
    storyboards = AIUse.objects.get(external_id="001")
    assert (storyboards.phase, storyboards.department) == (Phase.PRE_PRODUCTION, Department.DIRECTION)
    assert storyboards.tool == catalogue["midjourney"]
    assert AIUse.objects.get(external_id="0010").timecode_in == "01:10:00:00"
    assert AIUse.objects.get(external_id="SH0040").department == Department.VFX
    assert AIUse.objects.get(external_id="ADR_0007").phase == Phase.SOUND_MUSIC
    assert AIUse.objects.filter(production=production, external_id="").count() == 2
    assert not AIUse.objects.filter(external_id__in=["1", "10", "40"]).exists()


def test_every_code_and_english_label_of_every_vocabulary_is_accepted():
    from django.utils import translation

    for name in imports.TEMPLATE_COLUMNS:
        field = AIUse._meta.get_field(name) if name != "id" else None
        if field is None or not field.choices:
            continue
        several = isinstance(field, MultiSelectField)
        parse = imports.values._choices_parser(name) if several else imports.values._choice_parser(name)
        with translation.override("en"):
            for code, label in field.choices:
                assert parse(code) == ([code] if several else code)
                assert parse(str(label).upper()) == ([code] if several else code)


def test_the_dates_publications_purpose_and_intimate_imagery_of_a_use_are_imported(production, producer):
    table = csv_table(
        [
            [*TEMPLATE_ROW, "used_from", "used_until", "published_in", "purpose", "intimate_imagery"],
            ["SH0010", *NEW_ROW, "2026-08-24", "13/11/2026", "Trailer or teaser; social", "safety", "yes"],
            ["SH0020", *NEW_ROW, "3/9/2026", "", "epk,POSTER, trailer", "", ""],
            ["SH0030", *NEW_ROW, "", "", "", "Medical reasons", "no"],
        ]
    )

    plan = commit(producer, production, table)

    assert plan.created == 3
    first, second, third = AIUse.objects.order_by("external_id")
    assert (first.used_from, first.used_until) == (datetime.date(2026, 8, 24), datetime.date(2026, 11, 13))
    assert first.published_in == [PublishedIn.TRAILER, PublishedIn.SOCIAL]
    assert (first.purpose, first.intimate_imagery) == (UsePurpose.SAFETY, True)
    assert (second.used_from, second.used_until) == (datetime.date(2026, 9, 3), None)
    assert second.published_in == [PublishedIn.TRAILER, PublishedIn.POSTER, PublishedIn.EPK]
    assert (second.purpose, second.intimate_imagery) == (UsePurpose.NOT_STATED, False)
    assert (third.used_from, third.published_in, third.purpose) == (None, [], UsePurpose.MEDICAL)


def test_a_bad_date_or_publication_is_a_row_error_and_nothing_is_written(production, producer):
    table = csv_table(
        [
            [*TEMPLATE_ROW, "used_from", "used_until", "published_in"],
            ["SH0010", *NEW_ROW, "2026-02-30", "", ""],
            ["SH0020", *NEW_ROW, "next week", "", ""],
            ["SH0030", *NEW_ROW, "11/13/2026", "", ""],
            ["SH0040", *NEW_ROW, "2026-11-13", "24/08/2026", ""],
            ["SH0050", *NEW_ROW, "", "", "trailer; billboard"],
            ["SH0060", *NEW_ROW, "2026-08-24", "2026-11-13", "trailer"],
        ]
    )

    with pytest.raises(ImportRejected) as rejected:
        commit(producer, production, table)

    assert messages(rejected.value.plan) == [
        f"Row {row}, column “used_from”: “{value}” is not a date; write it as YYYY-MM-DD (2026-03-31) or DD/MM/YYYY "
        "(31/03/2026)."
        for row, value in ((2, "2026-02-30"), (3, "next week"), (4, "11/13/2026"))
    ] + [
        "Row 5, column “used_until”: The last use comes after the first.",
        "Row 6, column “published_in”: “billboard” is not among the choices of “published outside the final work "
        "in”. Accepted values: trailer (Trailer or teaser); poster (Poster or key art); epk (Electronic press kit); "
        "social (Social media).",
    ]
    assert not AIUse.objects.exists(), "the good row 7 is not written either"


# Updates


def test_a_known_tracker_id_updates_its_use_and_a_new_one_creates(production, producer, catalogue):
    existing = AIUseFactory(production=production, external_id="001", title="Old title", tool=catalogue["midjourney"])
    table = csv_table(
        [
            ["external_id", "title", "phase", "department", "output_type", "digital_source_type"],
            ["001", "Storyboard frames", "pre_production", "direction", "image", "trainedAlgorithmicMedia"],
            ["1", "Another use", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
        ]
    )

    plan = commit(producer, production, table)

    assert (plan.created, plan.updated) == (1, 1)
    assert plan.rows[0].action == Action.UPDATE
    assert set(plan.rows[0].changes) == {"title", "phase", "department", "output_type", "digital_source_type"}
    existing.refresh_from_db()
    assert existing.title == "Storyboard frames"
    assert existing.tool == catalogue["midjourney"], "a field without a column keeps its value"
    assert AIUse.objects.get(production=production, external_id="1").title == "Another use"


def test_an_update_keeps_the_people_in_the_audit_trail(production, producer):
    darin = PersonFactory(production=production, name="Ricardo Darín")
    use = AIUseFactory(production=production, external_id="SH0120", title="Old", people=[darin])
    table = csv_table(
        [
            ["external_id", "title", "phase", "department", "output_type", "digital_source_type"],
            ["SH0120", "De-ageing", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
        ]
    )

    commit(producer, production, table)

    latest = use.history.latest()
    assert latest.history_type == "~"
    assert [row.person_id for row in latest.people.all()] == [darin.pk]
    use.refresh_from_db()
    assert list(use.people.all()) == [darin]


def test_an_empty_cell_empties_its_field_and_a_value_for_every_row_fills_it(production, producer):
    use = AIUseFactory(production=production, external_id="SH0010", description="Old notes", phase=Phase.VFX)
    table = csv_table(
        [
            ["external_id", "title", "phase", "description", "department", "output_type", "digital_source_type"],
            ["SH0010", "Sky", "", "", "vfx", "video", "trainedAlgorithmicMedia"],
        ]
    )

    commit(producer, production, table, fixed={"phase": "post_picture"})

    use.refresh_from_db()
    assert (use.phase, use.description) == (Phase.POST_PICTURE, "")


# Bad files: a clear message, nothing written


def assert_unreadable(data, name, *words):
    with pytest.raises(ValidationError) as refused:
        imports.read_table(data, name)
    message = " ".join(refused.value.messages)
    for word in words:
        assert word in message, message
    return message


def test_latin_1_bytes_are_refused_as_not_utf8(production):
    data = (DATA / "kitsu_shots.csv").read_text(encoding="utf-8").replace("Harbour", "Port côtier").encode("latin-1")

    assert_unreadable(data, "kitsu.csv", "not UTF-8", "line 2", "export it as UTF-8 CSV")


def test_utf16_text_is_refused_with_its_name(production):
    data = (DATA / "kitsu_shots.csv").read_text(encoding="utf-8").encode("utf-16")

    assert_unreadable(data, "kitsu.csv", "UTF-16", "export it as UTF-8 CSV")


def test_a_utf8_byte_order_mark_is_fine(production):
    data = "\ufeff" + (DATA / "reelproof_template_filled.csv").read_text(encoding="utf-8")

    assert imports.read_table(data.encode(), "excel.csv").headers[0] == "id"


def test_empty_and_header_only_files_are_refused(production):
    assert_unreadable(b"", "empty.csv", "empty")
    assert_unreadable(b"\n\n ,,\n", "blank.csv", "empty")
    assert_unreadable(b"title,phase\n", "header.csv", "no rows to import")


def test_an_xlsx_that_is_not_a_zip_is_refused(production):
    assert_unreadable(b"title,phase\nSky,vfx\n", "renamed.xlsx", "not an Excel workbook", "zip")
    assert_unreadable(b"PK\x03\x04 not really a zip", "broken.xlsx", "not an Excel workbook")


def test_an_oversize_file_is_refused_unread(settings, production):
    settings.IMPORT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.csv", b"title\n" + b"x" * 2000)

    with pytest.raises(ValidationError) as refused:
        imports.read_upload(upload)

    assert "the limit is 1.0\xa0KB" in refused.value.messages[0]


def test_too_many_rows_are_refused(settings, production):
    settings.IMPORT_MAX_ROWS = 3

    assert_unreadable(b"title\na\nb\nc\nd\n", "long.csv", "more than 3 rows")


def test_duplicate_headers_and_cells_beyond_the_header_are_refused(production):
    assert_unreadable(b"Name,Status,Name\na,b,c\n", "dup.csv", "“Name” appears in columns A and C")
    assert_unreadable(b"title,phase\nSky,vfx,extra\n", "wide.csv", "Row 2 has more cells")


def test_a_semicolon_separated_file_from_a_european_spreadsheet_is_read(production):
    table = imports.read_table("title;phase\nCiel généré;vfx\n".encode(), "fr.csv")

    assert table.headers == ["title", "phase"]
    assert table.rows == [(2, ["Ciel généré", "vfx"])]


def test_missing_required_columns_are_named_and_nothing_is_written(production, producer):
    table = csv_table([["external_id", "title"], ["SH0010", "Sky"]])

    with pytest.raises(ImportRejected) as rejected:
        commit(producer, production, table)

    assert [str(problem) for problem in rejected.value.plan.problems] == [
        f"No column gives the {label}: map a column to it, or choose a value for every row."
        for label in ("phase", "department", "output type", "IPTC digital source type")
    ]
    assert not AIUse.objects.exists()


def test_a_bad_value_names_its_row_and_column_and_lists_what_is_accepted(production, producer):
    table = csv_table(
        [
            ["Shot", "AI use", "Phase", "department", "output_type", "digital_source_type", "frame_in"],
            ["SH0010", "Sky", "VFX", "vfx", "video", "trainedAlgorithmicMedia", "1001"],
            ["SH0020", "Crowd", "Visual FX", "vfx", "video", "trainedAlgorithmicMedia", "ten"],
        ]
    )
    mapping = {"Shot": "external_id", "AI use": "title", **imports.suggest_mapping(table.headers[2:], "reelproof")}

    with pytest.raises(ImportRejected) as rejected:
        commit(producer, production, table, mapping=mapping)

    found = [str(problem) for problem in rejected.value.plan.problems]
    assert found[0].startswith("Row 3, column “Phase”: “Visual FX” is not a known phase. Accepted values: ")
    assert "vfx (Visual effects)" in found[0] and "post_picture (Post-production (picture))" in found[0]
    assert found[1] == "Row 3, column “frame_in”: “ten” is not a whole number."
    assert not AIUse.objects.exists(), "the good row 2 is not written either"


def test_duplicate_tracker_ids_in_one_file_name_both_rows(production, producer):
    table = csv_table(
        [
            ["external_id", "title", "phase", "department", "output_type", "digital_source_type"],
            ["0010", "Sky", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
            ["0020", "Crowd", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
            ["0010", "Sky again", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
        ]
    )

    with pytest.raises(ImportRejected) as rejected:
        commit(producer, production, table)

    assert messages(rejected.value.plan) == [
        "Row 4, column “external_id”: The tracker id “0010” is also in row 2; each row must have its own."
    ]
    assert not AIUse.objects.exists()


def test_model_rules_are_checked_on_every_row(production, producer):
    table = csv_table(
        [
            [
                "title",
                "phase",
                "department",
                "output_type",
                "digital_source_type",
                "frame_in",
                "frame_out",
                "deep_fake",
            ],
            ["Sky", "vfx", "vfx", "video", "trainedAlgorithmicMedia", "1100", "1001", "no"],
            ["Notes", "development", "writing", "text", "trainedAlgorithmicMedia", "", "", "yes"],
            ["x" * 201, "vfx", "vfx", "video", "trainedAlgorithmicMedia", "", "", "no"],
        ]
    )

    plan = plan_for(production, table)

    assert messages(plan) == [
        "Row 2, column “frame_out”: The last frame comes after the first.",
        "Row 3, column “deep_fake”: Only image, video or audio content can be a deep fake.",
        "Row 4, column “title”: Ensure this value has at most 200 characters (it has 201).",
    ]
    assert [row.action for row in plan.rows] == [Action.ERROR] * 3


def test_a_bad_value_repeated_down_the_file_is_named_on_every_row(production):
    table = csv_table(
        [
            ["title", "phase", "department", "output_type", "digital_source_type", "timecode_in"],
            ["Sky", "Visual FX", "vfx", "video", "trainedAlgorithmicMedia", "1:02"],
            ["Crowd", "vfx", "vfx", "video", "trainedAlgorithmicMedia", "1:02"],
            ["x" * 201, "Visual FX", "vfx", "video", "trainedAlgorithmicMedia", ""],
            ["x" * 201, "vfx", "vfx", "video", "trainedAlgorithmicMedia", "1:02"],
        ]
    )

    plan = plan_for(production, table)

    assert [(problem.row, problem.column) for problem in plan.problems] == [
        (2, "phase"),
        (2, "timecode_in"),
        (3, "timecode_in"),
        (4, "phase"),
        (4, "title"),
        (5, "title"),
        (5, "timecode_in"),
    ]
    assert messages(plan)[0].startswith("Row 2, column “phase”: “Visual FX” is not a known phase.")
    assert messages(plan)[2] == "Row 3, column “timecode_in”: Enter a SMPTE timecode such as 01:02:03:04."
    assert messages(plan)[5] == "Row 5, column “title”: Ensure this value has at most 200 characters (it has 201)."
    assert [row.action for row in plan.rows] == [Action.ERROR] * 4


def test_the_defaults_of_the_fields_a_file_leaves_out_are_valid(production):
    """The plan checks the fields a file sets; a new use's other fields keep their defaults, which must pass."""
    required = {
        "title": "Sky",
        "phase": Phase.VFX,
        "department": Department.VFX,
        "output_type": OutputType.VIDEO,
        "digital_source_type": DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
    }
    assert set(required) == set(imports.REQUIRED_FIELDS)

    AIUse(production=production, **required).full_clean()


def test_unknown_and_ambiguous_tools_are_explained(production, catalogue):
    AIToolFactory(vendor="Runway", product="Runway", model_name="Gen-3 Alpha", model_version="")
    table = csv_table(
        [
            ["title", "phase", "department", "output_type", "digital_source_type", "tool"],
            ["Sky", "vfx", "vfx", "video", "trainedAlgorithmicMedia", "Sora"],
            ["Crowd", "vfx", "vfx", "video", "trainedAlgorithmicMedia", "Runway"],
            ["Fog", "vfx", "vfx", "video", "trainedAlgorithmicMedia", "Runway Runway (Gen-4)"],
            ["Snow", "vfx", "vfx", "video", "trainedAlgorithmicMedia", str(catalogue["topaz"].pk)],
        ]
    )

    plan = plan_for(production, table)

    assert "“Sora” is not in the tool catalogue" in str(plan.problems[0])
    assert "“Runway” matches several tools" in str(plan.problems[1])
    assert len(plan.problems) == 2
    assert plan.rows[2].use.tool == catalogue["runway"]
    assert plan.rows[3].use.tool == catalogue["topaz"]


def test_formula_like_cells_are_stored_as_written(production, producer):
    table = csv_table(
        [
            ["title", "description", "shots", "phase", "department", "output_type", "digital_source_type"],
            [
                '=HYPERLINK("http://evil.example","x")',
                "+1 more shot",
                "@SUM(A1)",
                "vfx",
                "vfx",
                "video",
                "dataDrivenMedia",
            ],
            ["'=1+1", "-", "'plain quote stays", "vfx", "vfx", "video", "dataDrivenMedia"],
        ]
    )

    commit(producer, production, table)

    first, second = AIUse.objects.order_by("pk")
    assert (first.title, first.description, first.shots) == (
        '=HYPERLINK("http://evil.example","x")',
        "+1 more shot",
        "@SUM(A1)",
    )
    # A leading quote that neutralised a formula is taken off; any other quote stays.
    assert (second.title, second.description, second.shots) == ("=1+1", "-", "'plain quote stays")


def test_a_formula_cell_in_a_workbook_is_stored_as_its_text(production, producer):
    workbook = Workbook()
    workbook.active.append(["title", "phase", "department", "output_type", "digital_source_type"])
    workbook.active.append(["=1+1", "vfx", "vfx", "video", "dataDrivenMedia"])
    stream = io.BytesIO()
    workbook.save(stream)

    commit(producer, production, imports.read_table(stream.getvalue(), "formula.xlsx"))

    assert AIUse.objects.get().title == "=1+1"


def test_a_mapping_naming_unknown_columns_or_fields_is_refused(production):
    table = csv_table([["title", "phase"], ["Sky", "vfx"]])

    plan = plan_for(production, table, mapping={"Title": "title", "phase": "colour"}, fixed=VFX)

    assert messages(plan)[:2] == [
        "Column “Title”: The file has no such column.",
        "Column “phase”: “colour” is not a field an import can set.",
    ]


# Rights and audit


def test_only_producers_import(production, legal, viewer, outsider):
    table = sample("reelproof_template_filled.csv")
    mapping = imports.suggest_mapping(table.headers, ImportSource.REELPROOF)

    for member in (legal, viewer):
        with pytest.raises(PermissionDenied):
            imports.commit_import(actor=member, production=production, table=table, mapping=mapping)
    with pytest.raises(Http404):
        imports.commit_import(actor=outsider, production=production, table=table, mapping=mapping)
    assert not AIUse.objects.exists()


def test_every_imported_use_is_audited_with_who_and_which_file(production, producer, catalogue):
    update = AIUseFactory(production=production, external_id="SH0040", title="Old")
    before = AIUse.history.count()

    commit(producer, production, sample("reelproof_template_filled.csv"))

    entries = AIUse.history.filter(history_id__gt=0).order_by("history_id")[before:]
    assert [entry.history_type for entry in entries].count("+") == 5
    assert [entry.history_type for entry in entries].count("~") == 1
    assert {entry.history_user for entry in entries} == {producer}
    assert {entry.history_change_reason for entry in entries} == {"imported from reelproof_template_filled.csv"}
    assert update.history.latest().title == "Sky replacement"


def test_each_created_use_has_one_entry_holding_what_was_written(production, producer, catalogue):
    table = csv_table(
        [
            ["external_id", "title", "phase", "department", "output_type", "digital_source_type", "tool", "frame_in"],
            ["SH0010", "Sky", "vfx", "vfx", "video", "trainedAlgorithmicMedia", "Runway", "1001"],
            ["", "=1+1", "development", "writing", "text", "trainedAlgorithmicMedia", "", ""],
        ]
    )

    commit(producer, production, table, fixed={"is_final": True})

    uses = AIUse.objects.filter(production=production)
    entries = AIUse.history.filter(production=production).order_by("history_id")
    assert [entry.id for entry in entries] == sorted(use.pk for use in uses)
    for use, entry in zip(uses.order_by("pk"), entries, strict=True):
        assert entry.history_type == "+"
        assert (entry.history_user, entry.history_change_reason) == (producer, "imported from ledger.csv")
        assert entry.history_date <= use.created_at
        kept = [f.attname for f in AIUse._meta.concrete_fields if f.name not in tracker_ids.DERIVED_FIELDS]
        assert {name: getattr(entry, name) for name in kept} == {name: getattr(use, name) for name in kept}
    assert len({entry.history_date for entry in entries}) == 1
    assert entries[0].tool == catalogue["runway"] and entries[1].title == "=1+1"


def test_a_database_that_returns_no_ids_from_bulk_inserts_still_gets_every_history_entry(
    production, producer, monkeypatch
):
    """The entries are copied against the new uses' ids; without them the library writes the entries itself."""
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    table = csv_table(
        [
            ["title", "phase", "department", "output_type", "digital_source_type"],
            ["Sky", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
            ["Sea", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
        ]
    )

    commit(producer, production, table)

    entries = AIUse.history.filter(production=production)
    assert sorted(entry.id for entry in entries) == sorted(AIUse.objects.values_list("pk", flat=True))
    assert {(entry.history_type, entry.history_user, entry.history_change_reason) for entry in entries} == {
        ("+", producer, "imported from ledger.csv")
    }


def test_no_use_is_written_without_its_history_entry(production, producer):
    """Entries are written against the new uses' ids: uses without ids get nothing written."""
    with pytest.raises(RuntimeError):
        audit._copy_creations(
            AIUse, [AIUse(title="Never inserted")], user=producer, reason="test", date=timezone.now(), batch_size=500
        )

    assert not AIUse.history.exists()


def test_saved_mappings_are_per_production_and_replaced_by_name(production, producer, legal):
    saved = imports.save_mapping(
        actor=producer,
        production=production,
        name="Kitsu backgrounds",
        source=ImportSource.KITSU,
        mapping={"Name": "external_id", "FPS": ""},
        fixed=BACKGROUNDS,
    )
    again = imports.save_mapping(
        actor=producer,
        production=production,
        name="Kitsu backgrounds",
        source=ImportSource.KITSU,
        mapping={"Name": "external_id"},
        fixed={"phase": "vfx", "tool": ""},
    )

    assert again.pk == saved.pk
    assert ImportMapping.objects.get().fixed_values == {"phase": "vfx"}
    assert imports.initial_mapping(["Name", "Frame In", "Project"], ImportSource.KITSU, again.mapping) == {
        "Name": "external_id",
        "Frame In": "frame_in",
        "Project": "",
    }
    with pytest.raises(PermissionDenied):
        imports.save_mapping(
            actor=legal, production=production, name="x", source=ImportSource.KITSU, mapping={}, fixed={}
        )


# Volume


def test_ten_thousand_rows_are_imported_in_one_go_with_one_history_entry_each(production, producer, catalogue):
    """Not a timing test: it shows 10,000 rows complete, all written and all audited."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(["external_id", "title", "phase", "department", "tool", "output_type", "digital_source_type"])
    for number in range(10_000):
        writer.writerow(
            [f"{number:05d}", f"Crowd extension {number}", "vfx", "vfx", "Runway", "video", "trainedAlgorithmicMedia"]
        )
    table = imports.read_table(stream.getvalue().encode(), "ten_thousand.csv")

    plan = commit(producer, production, table)

    assert plan.created == 10_000
    assert AIUse.objects.filter(production=production).count() == 10_000
    assert AIUse.objects.filter(external_id="00042").exists()
    assert AIUse.history.filter(history_user=producer, history_type="+").count() == 10_000


def test_an_id_column_means_our_id_only_in_our_own_files():
    assert imports.suggest_mapping(["id", "title"], ImportSource.REELPROOF)["id"] == "id"
    for source in (ImportSource.OTHER, ImportSource.SHOTGRID, ImportSource.FTRACK):
        assert imports.suggest_mapping(["ID", "title"], source)["ID"] == ""


def test_values_for_every_row_are_checked_before_any_row(production):
    table = csv_table([["title"], ["Sky"]])

    plan = plan_for(production, table, fixed={**VFX, "output_type": "film", "colour": "red", "external_id": "1"})

    assert messages(plan) == [
        "Value for every row, output type: “film” is not a known output type. Accepted values: image (Image); "
        "video (Video); audio (Audio); text (Text); 3d (3D asset); analysis (Analysis or data).",
        "Value for every row, colour: “colour” is not a field an import can set.",
        "Value for every row, tracker id: Each row needs its own tracker id; it cannot be one value for every row.",
        "No column gives the output type: map a column to it, or choose a value for every row.",
        "No column gives the IPTC digital source type: map a column to it, or choose a value for every row.",
    ]
    assert not plan.rows
