"""Import and export through the API: dry runs, all-or-nothing imports with row errors, filtered exports."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from productions.models import AIUse
from productions.vocabularies import Phase
from tests.api.conftest import api, assert_error
from tests.factories import AIToolFactory, AIUseFactory

# The routes of productions/api/transfer.py, mounted as productions/api/urls.py will mount them.

DATA = Path(__file__).resolve().parent.parent / "data"
BACKGROUNDS = {"phase": "set_design", "department": "art", "output_type": "image"}


def import_url(production):
    return api(f"productions/{production.pk}/ai-uses/import/")


def export_url(production, file_format="csv"):
    return api(f"productions/{production.pk}/ai-uses/export.{file_format}")


def post_file(client, production, name, data=None, **fields):
    body = {"file": SimpleUploadedFile(name, data if data is not None else (DATA / name).read_bytes())}
    body.update({key: json.dumps(value) if isinstance(value, dict) else value for key, value in fields.items()})
    return client.post(import_url(production), body, format="multipart")


@pytest.fixture
def marrow(db):
    return AIToolFactory(vendor="Brackwater Animation", product="Marrow Bay style model")


def test_a_dry_run_says_what_would_happen_and_writes_nothing(as_producer, production, marrow):
    AIUseFactory(production=production, external_id="E201/SQ010/001", title="Harbour", phase=Phase.SET_DESIGN)
    response = post_file(as_producer, production, "kitsu_shots.xlsx", source="kitsu", fixed=BACKGROUNDS, dry_run="true")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (35, 1, 0)
    assert body["rows"][1] == {
        "row": 3,
        "action": "create",
        "ai_use": None,
        "external_id": "E201/SQ010/0010",
        "file_external_id": "",
        "matched_on": "",
        "candidates": [],
        "title": "Generated market stalls, set dressing repainted",
        "changes": [],
    }
    assert body["rows"][0]["action"] == "update"
    assert "title" in body["rows"][0]["changes"] and "phase" not in body["rows"][0]["changes"]
    assert AIUse.objects.count() == 1


def test_an_import_writes_every_row_and_answers_with_the_counts(as_producer, producer, production, marrow):
    AIUseFactory(production=production, external_id="E201/SQ010/001", title="Old title")

    response = post_file(as_producer, production, "kitsu_shots.csv", source="kitsu", fixed=BACKGROUNDS)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (35, 1, 0)
    assert AIUse.objects.filter(production=production).count() == 36
    entry = AIUse.history.filter(external_id="E201/SQ010/001").latest()
    assert (entry.history_user, entry.history_change_reason) == (producer, "imported from kitsu_shots.csv")


def test_row_problems_come_back_in_the_error_shape_and_nothing_is_written(as_producer, production):
    rows = [
        ["Shot", "AI use", "Phase", "department", "output_type", "digital_source_type"],
        ["0010", "Sky", "Visual FX", "vfx", "video", "trainedAlgorithmicMedia"],
        ["0020", "Crowd", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
        ["0010", "Fog", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
    ]
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)

    response = post_file(
        as_producer,
        production,
        "shots.csv",
        stream.getvalue().encode(),
        source="other",
        mapping={"Shot": "external_id", "AI use": "title"},
    )

    body = assert_error(response, 400, "invalid", fields=["rows.2.Phase", "rows.4.Shot"])
    assert body["detail"] == "Nothing was imported: 2 problems to fix."
    assert body["errors"]["rows.2.Phase"][0].startswith("“Visual FX” is not a known phase. Accepted values:")
    assert body["errors"]["rows.4.Shot"] == ["The tracker id “0010” is also in row 2; each row must have its own."]
    assert not AIUse.objects.exists()


def test_a_dry_run_with_problems_is_a_400_too(as_producer, production):
    response = post_file(as_producer, production, "kitsu_shots.csv", source="kitsu", dry_run="true")

    body = assert_error(response, 400, "invalid", fields=["mapping"])
    assert "No column gives the phase" in " ".join(body["errors"]["mapping"])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("latin1.csv", "title,phase\nCiel généré,vfx\n".encode("latin-1"), "not UTF-8 text"),
        ("renamed.xlsx", b"title,phase\nSky,vfx\n", "not an Excel workbook"),
        ("header.csv", b"title,phase\n", "no rows to import"),
    ],
)
def test_an_unreadable_file_is_a_400_on_the_file(as_producer, production, name, data, message):
    body = assert_error(post_file(as_producer, production, name, data), 400, "invalid", fields=["file"])

    assert message in body["errors"]["file"][0]


def test_an_oversize_file_is_refused(as_producer, production, settings):
    settings.IMPORT_MAX_BYTES = 1000

    body = assert_error(post_file(as_producer, production, "kitsu_shots.csv"), 400, fields=["file"])

    assert "the limit is 1000\xa0bytes" in body["errors"]["file"][0]


def test_mapping_and_fixed_must_be_json_objects(as_producer, production):
    response = as_producer.post(
        import_url(production),
        {"file": SimpleUploadedFile("a.csv", b"title\nSky\n"), "mapping": "[1, 2]", "fixed": "{not json"},
        format="multipart",
    )

    assert_error(response, 400, "invalid", fields=["mapping", "fixed"])


@pytest.mark.parametrize("client_name", ["as_legal", "as_viewer"])
def test_legal_and_viewers_may_not_import(request, production, client_name):
    response = post_file(request.getfixturevalue(client_name), production, "kitsu_shots.csv")

    assert_error(response, 403, "permission_denied")


def test_outsiders_and_anonymous_callers_are_refused(as_outsider, anonymous, production):
    assert_error(post_file(as_outsider, production, "kitsu_shots.csv"), 404, "not_found")
    assert_error(as_outsider.get(export_url(production)), 404, "not_found")
    assert_error(post_file(anonymous, production, "kitsu_shots.csv"), 401)
    assert_error(anonymous.get(export_url(production)), 401)


@pytest.mark.parametrize("client_name", ["as_producer", "as_legal", "as_viewer"])
def test_every_member_exports_with_the_ledger_filters(request, production, client_name):
    AIUseFactory(production=production, title="Sky replacement", external_id="SH0040", phase=Phase.VFX)
    AIUseFactory(production=production, title="Storyboards", external_id="001", phase=Phase.PRE_PRODUCTION)
    client = request.getfixturevalue(client_name)

    response = client.get(export_url(production), {"phase": "pre_production"}, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row[1], row[2]) for row in rows[1:]] == [("001", "Storyboards")]
    workbook = client.get(export_url(production, "xlsx"))
    assert workbook.status_code == 200
    assert workbook["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_bad_filter_is_a_400(as_viewer, production):
    body = assert_error(as_viewer.get(export_url(production), {"phase": "space"}), 400, "invalid", fields=["phase"])

    assert "space" in body["errors"]["phase"][0]


def test_an_api_export_imports_back_unchanged(as_producer, production):
    AIUseFactory.create_batch(3, production=production)
    AIUseFactory(production=production, external_id="", title="=SUM(A1:A3)")
    exported = as_producer.get(export_url(production, "xlsx")).content

    response = post_file(as_producer, production, "ledger.xlsx", exported, dry_run="true")

    assert response.status_code == 200, response.content
    assert {key: response.json()[key] for key in ("created", "updated", "unchanged")} == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
    }


def test_the_schema_with_these_routes_validates_without_a_warning(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
    )

    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/productions/{production_id}/ai-uses/import/:" in schema
    assert "/api/v1/productions/{production_id}/ai-uses/export.xlsx:" in schema
