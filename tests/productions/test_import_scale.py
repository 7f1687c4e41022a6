"""Imports of a long series: 50,000 rows within the limits, files over them refused by name, a commit whose queries
come in batches, and a preview that pages through its rows."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productions import imports
from productions.imports.commit import BATCH_SIZE
from productions.imports.staging import SESSION_KEY
from productions.models import AIUse, ImportBatchItem
from tests.api.conftest import api, assert_error, token_client
from tests.factories import AIUseFactory
from tests.productions.test_import_batches import statements

HEADERS = ["external_id", "title", "shots", "phase", "department", "output_type", "digital_source_type"]
SOURCE = "trainedAlgorithmicMedia"


def shot_list(count, series="EP"):
    """A long series' shot list in our template's required columns, one AI use a shot."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(HEADERS)
    for number in range(count):
        episode, shot = divmod(number, 1_000)
        episode = f"{series}{episode:03d}"
        writer.writerow([f"{episode}_SH{shot:04d}", "Crowd extension", episode, "vfx", "vfx", "video", SOURCE])
    return stream.getvalue().encode()


def mapping():
    return {name: name for name in HEADERS}


@pytest.fixture
def as_producer(producer):
    client = Client()
    client.force_login(producer)
    return client


def url(name, production, *args):
    return reverse(f"productions:{name}", args=[production.pk, *args])


# The limits


def test_a_shot_list_of_50000_rows_is_within_the_shipped_limits(production):
    data = shot_list(50_000)

    table = imports.read_upload(SimpleUploadedFile("series.csv", data))

    assert len(table.rows) == 50_000
    assert table.rows[-1] == (50_001, ["EP049_SH0999", "Crowd extension", "EP049", "vfx", "vfx", "video", SOURCE])
    # Room for twice as many rows, each with a description of several hundred characters.
    assert imports.max_rows() == 100_000
    assert imports.max_bytes() >= 100_000 * (len(data) // 50_000 + 600)


def test_every_row_of_a_long_shot_list_is_planned(production, settings):
    """The plan of 50,000 rows is the bench's (bench/imports.py); here a few thousand, with the limit just above."""
    settings.IMPORT_MAX_ROWS = 3_000
    table = imports.read_table(shot_list(3_000), "series.csv")

    plan = imports.plan_import(production=production, table=table, mapping=mapping())

    assert plan.is_valid and plan.created == 3_000
    assert plan.rows[-1].external_id == "EP002_SH0999"


def test_a_file_over_the_row_limit_is_refused_naming_the_limit(production, settings):
    settings.IMPORT_MAX_ROWS = 100

    with pytest.raises(ValidationError) as refused:
        imports.read_table(shot_list(101), "series.csv")

    assert refused.value.messages == ["The file has more than 100 rows; split it into several files."]
    assert len(imports.read_table(shot_list(100), "series.csv").rows) == 100


def test_the_upload_page_refuses_a_file_over_the_limits_with_the_reason(as_producer, production, settings):
    settings.IMPORT_MAX_ROWS = 100
    too_long = as_producer.post(
        url("ai-use-import", production), {"file": SimpleUploadedFile("series.csv", shot_list(101)), "source": "other"}
    )
    settings.IMPORT_MAX_BYTES = 1_000
    too_large = as_producer.post(
        url("ai-use-import", production), {"file": SimpleUploadedFile("series.csv", shot_list(50)), "source": "other"}
    )

    assert too_long.status_code == too_large.status_code == 200  # the form again, with the file's error
    assert too_long.context["form"].errors["file"] == ["The file has more than 100 rows; split it into several files."]
    assert "the limit is 1000\xa0bytes" in too_large.context["form"].errors["file"][0]
    assert SESSION_KEY not in as_producer.session


def test_the_api_refuses_a_file_over_the_limits_with_a_400_on_the_file(producer, production, settings):
    client = token_client(producer)
    settings.IMPORT_MAX_ROWS = 100

    def post(data):
        body = {"file": SimpleUploadedFile("series.csv", data), "dry_run": "true"}
        return client.post(api(f"productions/{production.pk}/ai-uses/import/"), body, format="multipart")

    too_long = assert_error(post(shot_list(101)), 400, "invalid", fields=["file"])
    settings.IMPORT_MAX_BYTES = 1_000
    too_large = assert_error(post(shot_list(50)), 400, "invalid", fields=["file"])

    assert too_long["errors"]["file"] == ["The file has more than 100 rows; split it into several files."]
    assert "the limit is 1000\xa0bytes" in too_large["errors"]["file"][0]
    assert not AIUse.objects.exists()


# The commit, batch by batch


def committed_queries(producer, production, rows):
    table = imports.read_table(shot_list(rows, series=f"S{rows}E"), f"{rows}.csv")
    with CaptureQueriesContext(connection) as captured:
        plan = imports.commit_import(actor=producer, production=production, table=table, mapping=mapping())
    assert plan.batch.created_count == rows
    return statements(captured)


def test_a_commit_writes_in_batches_whose_number_alone_grows_with_the_rows(producer, production):
    rows = 3 * BATCH_SIZE

    split_small, other_small = committed_queries(producer, production, 10)
    split_large, other_large = committed_queries(producer, production, rows)

    # Nothing per row: a few statements per batch of 500 rows (the uses, their import items, their history copied by
    # INSERT ... SELECT), which SQLite splits further by its parameter limit and PostgreSQL sends whole.
    assert other_large <= other_small + 4 * (rows // BATCH_SIZE)
    # And what SQLite splits by its parameter limit (some twenty uses, a hundred items per INSERT) and PostgreSQL
    # sends a batch at a time.
    assert split_large <= split_small + rows // 20 + rows // 100
    assert ImportBatchItem.objects.filter(batch__file_name=f"{rows}.csv").count() == rows


# The preview


def test_the_preview_pages_through_the_rows_and_lists_the_first_problems(as_producer, production, monkeypatch):
    from productions.views import transfer

    monkeypatch.setattr(transfer, "PREVIEW_ROWS", 10)
    monkeypatch.setattr(transfer, "PREVIEW_PROBLEMS", 5)
    rows = list(csv.reader(io.StringIO(shot_list(25).decode())))
    for row in rows[1:9]:
        row[3] = "opening"  # not a phase: eight problems
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    uploaded = as_producer.post(
        url("ai-use-import", production),
        {"file": SimpleUploadedFile("series.csv", stream.getvalue().encode()), "source": "reelproof"},
    )
    token = uploaded.url.rstrip("/").rsplit("/", 1)[-1]
    form = as_producer.get(uploaded.url).context["form"]
    columns = {name: field.initial for name, field in form.fields.items() if name.startswith("column_")}
    assert as_producer.post(uploaded.url, columns).status_code == 302

    first = as_producer.get(url("ai-use-import-preview", production, token))
    last = as_producer.get(url("ai-use-import-preview", production, token), {"page": 3})

    assert first.status_code == last.status_code == 200
    assert [row.number for row in first.context["page"]] == list(range(2, 12))
    assert [row.number for row in last.context["page"]] == list(range(22, 27))
    page_one, page_three = first.content.decode(), last.content.decode()
    assert "Rows 1 to 10 of 25" in page_one and "Page 1 of 3" in page_one
    assert "EP000_SH0009" in page_one and "EP000_SH0010" not in page_one
    assert "EP000_SH0024" in page_three and "EP000_SH0009" not in page_three
    assert page_one.count("Row 6, column") == 1 and "Row 7, column" not in page_one.split("<table")[0]
    assert "and 3 more problems, shown beside their rows below." in page_one


# Matching


def test_rows_that_all_claim_one_use_name_only_the_first_of_the_others(production):
    use = AIUseFactory(production=production, title="Crowd extension", shots="EP000", external_id="")
    stream = io.StringIO()
    csv.writer(stream).writerows([HEADERS] + [["", "Crowd extension", "EP000", "vfx", "vfx", "video", SOURCE]] * 30)
    table = imports.read_table(stream.getvalue().encode(), "again.csv")

    plan = imports.plan_import(production=production, table=table, mapping=mapping())

    assert plan.to_choose == 30
    assert (
        plan.rows[0]
        .problems[0]
        .message.startswith(
            f"Rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, … also have the title and shots of AI use #{use.pk} "
        )
    )
    assert plan.rows[29].problems[0].message.startswith("Rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … also have")
