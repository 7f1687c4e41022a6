"""Imports through the API that never duplicate: respelt tracker ids, choices among uses with a row's title and
shots, and saved mappings chosen by the file's columns."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from productions import imports
from productions.models import AIUse, ImportMapping
from productions.vocabularies import ImportSource, Phase
from tests.api.conftest import api, assert_error
from tests.factories import AIToolFactory, AIUseFactory, ProductionFactory

HEADERS = ["external_id", "title", "shots", "phase", "department", "output_type", "digital_source_type"]
FACTS = ["vfx", "vfx", "video", "compositeWithTrainedAlgorithmicMedia"]
KITSU_HEADERS = ["Episode", "Sequence", "Name", "AI Use"]


def csv_bytes(rows):
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    return stream.getvalue().encode()


def post_rows(client, production, rows, **fields):
    body = {"file": SimpleUploadedFile("shots.csv", csv_bytes(rows))}
    body.update({key: json.dumps(value) if isinstance(value, dict) else value for key, value in fields.items()})
    return client.post(api(f"productions/{production.pk}/ai-uses/import/"), body, format="multipart")


def test_a_respelt_tracker_id_answers_with_the_use_it_updates_and_both_spellings(as_producer, production):
    use = AIUseFactory(production=production, external_id="EP203_SQ020_SH0030", title="Crowd", shots="")

    response = post_rows(as_producer, production, [HEADERS, ["EP203/SQ020/SH0030", "Crowd", "", *FACTS]], dry_run=True)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"] + body["unchanged"]) == (0, 1)
    assert body["matching_rule"].startswith("Tracker ids are compared ignoring case")
    row = body["rows"][0]
    assert (row["ai_use"], row["matched_on"]) == (use.pk, "tracker_id")
    assert (row["external_id"], row["file_external_id"]) == ("EP203_SQ020_SH0030", "EP203/SQ020/SH0030")


def test_a_row_matching_several_uses_waits_for_matches(as_producer, production):
    first = AIUseFactory(production=production, external_id="SH0010", title="Sky", shots="SQ030", phase=Phase.VFX)
    second = AIUseFactory(production=production, title="Sky", shots="SQ030", phase=Phase.VFX)
    rows = [HEADERS, ["", "Sky", "SQ030", *FACTS]]

    waiting = assert_error(post_rows(as_producer, production, rows, dry_run=True), 400, "invalid", ["matches.2"])
    assert f"#{first.pk} “Sky” (SH0010)" in waiting["errors"]["matches.2"][0]
    refused = post_rows(as_producer, production, rows, matches={"2": first.pk + second.pk + 1})
    assert "does not have this row’s title and shots" in assert_error(refused, 400)["errors"]["matches.2"][0]

    response = post_rows(as_producer, production, rows, matches={"2": second.pk})

    assert response.status_code == 201, response.content
    row = response.json()["rows"][0]
    assert (row["ai_use"], row["matched_on"]) == (second.pk, "choice")
    assert [candidate["id"] for candidate in row["candidates"]] == sorted([first.pk, second.pk])
    assert row["candidates"][0] == {"id": first.pk, "external_id": "SH0010", "title": "Sky", "phase": "vfx"}
    assert AIUse.objects.count() == 2

    created = post_rows(as_producer, production, rows, matches={"2": "new"})
    assert created.status_code == 201, created.content
    assert (created.json()["created"], created.json()["rows"][0]["ai_use"]) == (1, AIUse.objects.latest("pk").pk)


@pytest.mark.parametrize("matches", [["2", 1], {"2": "yes"}, {"two": 1}, {"2": True}])
def test_matches_must_name_rows_and_uses(as_producer, production, matches):
    rows = [HEADERS, ["", "Sky", "SQ030", *FACTS]]

    response = post_rows(as_producer, production, rows, matches=json.dumps(matches), dry_run=True)

    assert_error(response, 400, "invalid", ["matches"])


@pytest.fixture
def kitsu_crowds(production, producer):
    return imports.save_mapping(
        actor=producer,
        production=production,
        name="Kitsu crowds",
        source=ImportSource.KITSU,
        mapping=imports.suggest_mapping(KITSU_HEADERS, ImportSource.KITSU),
        fixed={"phase": "vfx", "department": "vfx", "output_type": "video", "digital_source_type": "virtualRecording"},
    )


KITSU_ROWS = [["Sequence", "Episode", "AI Use", "Name"], ["SQ020", "EP203", "Crowd", "SH0030"]]


def test_a_saved_mapping_is_applied_when_the_file_has_its_columns(as_producer, production, kitsu_crowds):
    response = post_rows(as_producer, production, KITSU_ROWS, dry_run=True)

    assert response.status_code == 200, response.content
    body = response.json()
    expected = {"id": kitsu_crowds.pk, "name": "Kitsu crowds", "chosen_by": "header_signature"}
    assert body["saved_mapping"] == expected
    assert body["rows"][0]["external_id"] == "SQ020/EP203/SH0030", "joined in the file's column order"


def test_a_request_names_its_saved_mapping_or_none(as_producer, production, kitsu_crowds):
    named = post_rows(as_producer, production, KITSU_ROWS, dry_run=True, saved_mapping=kitsu_crowds.pk)
    assert named.json()["saved_mapping"]["chosen_by"] == "request"

    # Without the saved mapping, nothing gives the phase, department, output and source type.
    none = post_rows(as_producer, production, KITSU_ROWS, dry_run=True, saved_mapping="", source="kitsu")
    assert_error(none, 400, "invalid", ["mapping"])
    with_mapping = post_rows(
        as_producer, production, KITSU_ROWS, dry_run=True, mapping={"AI Use": "title"}, source="kitsu"
    )
    assert_error(with_mapping, 400, "invalid", ["mapping"])

    elsewhere = ImportMapping.objects.create(production=ProductionFactory(), name="Theirs", source="kitsu")
    assert_error(
        post_rows(as_producer, production, KITSU_ROWS, saved_mapping=elsewhere.pk), 400, fields=["saved_mapping"]
    )


@pytest.mark.parametrize("client_name", ["as_legal", "as_viewer"])
def test_legal_and_viewers_may_not_choose_matches(request, production, client_name):
    use = AIUseFactory(production=production, title="Sky", shots="")
    client = request.getfixturevalue(client_name)

    response = post_rows(client, production, [HEADERS, ["", "Sky", "", *FACTS]], matches={"2": use.pk})

    assert response.status_code == 403


def test_a_dry_run_makes_the_same_queries_for_ten_or_a_hundred_matched_rows(
    as_producer, production, django_assert_max_num_queries
):
    tool = AIToolFactory()
    post_rows(as_producer, production, [HEADERS], dry_run=True)  # the token's first use is recorded once
    counted = []
    for count in (10, 100):
        AIUse.objects.all().delete()
        rows = [HEADERS]
        for n in range(count):
            AIUseFactory(production=production, external_id=f"SH{n:04d}", title=f"Shot {n}", tool=tool)
            AIUseFactory(production=production, title="Sky", shots=f"SQ{n}", tool=tool)
            rows += [[f"sh{n:04d}", f"Shot {n}", "", *FACTS], ["", "Sky", f"sq{n}", *FACTS]]
        with CaptureQueriesContext(connection) as queries:
            response = post_rows(as_producer, production, rows, dry_run=True)
        assert (response.json()["created"], response.json()["updated"]) == (0, count), "the ids' shots are as stored"
        counted.append(len(queries))

    assert counted[0] == counted[1]
    # The token, the production, the saved mapping for these columns, the tools and the uses.
    with django_assert_max_num_queries(5):
        post_rows(as_producer, production, rows, dry_run=True)
