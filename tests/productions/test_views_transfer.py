"""Import and export in the browser: upload, mapping, preview, import; downloads; who may do what."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from productions.imports.staging import SESSION_KEY
from productions.models import AITool, AIUse, ImportBatch, ImportMapping
from productions.vocabularies import Phase
from tests.factories import AIToolFactory, AIUseFactory

DATA = Path(__file__).resolve().parent.parent / "data"


def url(name, production, *args):
    return reverse(f"productions:{name}", args=[production.pk, *args])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def upload_file(name, data=None):
    return SimpleUploadedFile(name, data if data is not None else (DATA / name).read_bytes())


def page_text(response):
    return response.content.decode()


@pytest.fixture
def marrow(db):
    return AIToolFactory(vendor="Brackwater Animation", product="Marrow Bay style model")


@pytest.fixture
def as_producer(producer):
    return client_for(producer)


def upload(client, production, name, source="kitsu", **extra):
    return client.post(url("ai-use-import", production), {"file": upload_file(name), "source": source, **extra})


def mapping_post(response, **changes):
    """The mapping form as suggested, with `changes` (fixed_phase=..., save_as=...)."""
    form = response.context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items() if name.startswith("column_")}
    data.update(changes)
    return data


def test_a_producer_imports_a_kitsu_shot_list_step_by_step(as_producer, production, marrow, settings):
    response = upload(as_producer, production, "kitsu_shots.csv")
    assert response.status_code == 302
    token = response.url.rstrip("/").rsplit("/", 1)[-1]
    stored = as_producer.session[SESSION_KEY][token]["stored"]
    assert (settings.PRIVATE_MEDIA_ROOT / stored).exists(), "kept in private storage between the steps"

    mapping_page = as_producer.get(response.url)
    assert mapping_page.status_code == 200
    assert mapping_page.context["form"]["column_3"].initial == "external_id"  # Name
    assert "Harbour at dusk, wide" in page_text(mapping_page)

    posted = as_producer.post(
        response.url,
        mapping_post(
            mapping_page,
            fixed_phase="set_design",
            fixed_department="art",
            fixed_output_type="image",
            save_as="Kitsu backgrounds",
        ),
    )
    assert posted.status_code == 302
    assert ImportMapping.objects.get(production=production).name == "Kitsu backgrounds"

    preview = as_producer.get(posted.url)
    assert preview.status_code == 200
    assert (preview.context["plan"].created, preview.context["plan"].updated) == (36, 0)
    assert "E201/SQ010/001" in page_text(preview)
    assert not AIUse.objects.exists(), "a preview writes nothing"

    done = as_producer.post(url("ai-use-import-commit", production, token), follow=True)

    batch = ImportBatch.objects.get(production=production)
    assert done.redirect_chain[-1][0] == url("import-batch", production, batch.pk)
    assert "36 created, 0 updated." in page_text(done)
    assert (batch.file_name, batch.mapping_name, batch.created_count) == ("kitsu_shots.csv", "Kitsu backgrounds", 36)
    assert AIUse.objects.filter(production=production).count() == 36
    assert token not in as_producer.session[SESSION_KEY]
    assert not (settings.PRIVATE_MEDIA_ROOT / stored).exists()


def test_the_mapping_page_asks_for_what_the_file_lacks(as_producer, production, marrow):
    response = upload(as_producer, production, "kitsu_shots.csv")
    mapping_page = as_producer.get(response.url)

    refused = as_producer.post(response.url, mapping_post(mapping_page))

    assert refused.status_code == 200
    text = page_text(refused)
    assert "No column gives the phase" in text and "No column gives the department" in text


def test_a_saved_mapping_is_reused_for_the_next_file(as_producer, production, marrow):
    ImportMapping.objects.create(
        production=production,
        name="Kitsu backgrounds",
        source="kitsu",
        mapping={"Name": "external_id", "Description": "shots", "FPS": ""},
        fixed_values={"phase": "set_design", "department": "art", "output_type": "image"},
    )
    saved = ImportMapping.objects.get()

    response = as_producer.post(
        url("ai-use-import", production),
        {"file": upload_file("kitsu_shots.xlsx"), "source": "other", "saved_mapping": saved.pk},
    )
    form = as_producer.get(response.url).context["form"]

    assert form["column_4"].initial == "shots"  # Description, as saved
    assert form["column_5"].initial == "frame_in"  # Frame In, not in the saved mapping: suggested
    assert form["fixed_phase"].initial == "set_design"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("latin1.csv", "title,phase\nCiel généré,vfx\n".encode("latin-1"), "not UTF-8 text"),
        ("utf16.csv", "title,phase\nSky,vfx\n".encode("utf-16"), "UTF-16"),
        ("renamed.xlsx", b"title,phase\nSky,vfx\n", "not an Excel workbook"),
        ("empty.csv", b"", "The submitted file is empty."),
    ],
)
def test_an_unreadable_file_is_refused_at_upload_with_its_reason(as_producer, production, name, data, message):
    response = as_producer.post(url("ai-use-import", production), {"file": upload_file(name, data), "source": "other"})

    assert response.status_code == 200
    assert message in page_text(response)
    assert SESSION_KEY not in as_producer.session


def test_an_oversize_file_is_refused_at_upload(as_producer, production, settings):
    settings.IMPORT_MAX_BYTES = 2048

    response = upload(as_producer, production, "kitsu_shots.csv")

    assert "the limit is 2.0\xa0KB" in page_text(response)


def test_a_file_with_bad_rows_shows_every_problem_and_cannot_be_imported(as_producer, production):
    stream = io.StringIO()
    csv.writer(stream).writerows(
        [
            ["external_id", "title", "phase", "department", "output_type", "digital_source_type"],
            ["001", "Sky", "Visual FX", "vfx", "video", "trainedAlgorithmicMedia"],
            ["001", "Sky again", "vfx", "vfx", "video", "trainedAlgorithmicMedia"],
        ]
    )
    response = as_producer.post(
        url("ai-use-import", production),
        {"file": upload_file("bad.csv", stream.getvalue().encode()), "source": "reelproof"},
    )
    token = response.url.rstrip("/").rsplit("/", 1)[-1]
    mapping_page = as_producer.get(response.url)
    preview = as_producer.get(as_producer.post(response.url, mapping_post(mapping_page)).url)

    text = page_text(preview)
    assert "Row 2, column “phase”: “Visual FX” is not a known phase." in text
    assert "Row 3, column “external_id”: The tracker id “001” is also in row 2" in text
    assert "Import:" not in text

    refused = as_producer.post(url("ai-use-import-commit", production, token))
    assert refused.status_code == 400
    assert not AIUse.objects.exists()


def test_the_import_validates_again_when_committed(as_producer, production, marrow):
    response = upload(as_producer, production, "kitsu_shots.csv")
    token = response.url.rstrip("/").rsplit("/", 1)[-1]
    mapping_page = as_producer.get(response.url)
    as_producer.post(
        response.url,
        mapping_post(mapping_page, fixed_phase="set_design", fixed_department="art", fixed_output_type="image"),
    )
    AITool.objects.filter(pk=marrow.pk).delete()  # gone from the catalogue after the preview

    refused = as_producer.post(url("ai-use-import-commit", production, token))

    assert refused.status_code == 400
    assert "“Marrow Bay style model” is not in the tool catalogue" in page_text(refused)
    assert not AIUse.objects.exists()


def test_an_import_is_only_open_in_the_session_that_started_it(as_producer, production, producer, marrow):
    response = upload(as_producer, production, "kitsu_shots.csv")

    other_session = client_for(producer).get(response.url, follow=True)

    assert other_session.redirect_chain[-1][0] == url("ai-use-import", production)
    assert "That import is no longer open" in page_text(other_session)


@pytest.mark.parametrize("role", ["legal", "viewer"])
def test_legal_and_viewers_may_not_import(request, production, role, as_producer, marrow):
    token = upload(as_producer, production, "kitsu_shots.csv").url.rstrip("/").rsplit("/", 1)[-1]
    client = client_for(request.getfixturevalue(role))

    assert client.get(url("ai-use-import", production)).status_code == 403
    assert client.post(url("ai-use-import", production), {"file": upload_file("kitsu_shots.csv")}).status_code == 403
    assert client.get(url("ai-use-import-mapping", production, token)).status_code == 403
    assert client.get(url("ai-use-import-preview", production, token)).status_code == 403
    assert client.post(url("ai-use-import-commit", production, token)).status_code == 403


def test_outsiders_find_no_import_and_no_export(outsider, production):
    client = client_for(outsider)

    for name in ("ai-use-import", "ai-use-import-guide", "ai-use-export-csv", "ai-use-import-template-xlsx"):
        assert client.get(url(name, production)).status_code == 404
    assert client.get(url("ai-use-import-preview", production, "0" * 32)).status_code == 404


@pytest.mark.parametrize("role", ["producer", "legal", "viewer"])
def test_every_member_exports_the_ledger_with_its_filters(request, production, role):
    AIUseFactory(production=production, title="Sky replacement", external_id="SH0040", phase=Phase.VFX)
    AIUseFactory(production=production, title="Storyboards", external_id="001", phase=Phase.PRE_PRODUCTION)
    client = client_for(request.getfixturevalue(role))

    response = client.get(url("ai-use-export-csv", production) + "?phase=vfx&q=sky")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="el-eternauta-ai-uses-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["Sky replacement"]

    workbook = client.get(url("ai-use-export-xlsx", production))
    assert workbook.status_code == 200
    assert workbook.content.startswith(b"PK\x03\x04")


def test_the_template_and_its_guide_are_there_for_every_member(viewer, production):
    client = client_for(viewer)

    assert (
        client.get(url("ai-use-import-template-csv", production))
        .content.decode("utf-8-sig")
        .startswith("id,external_id,title,phase")
    )
    assert client.get(url("ai-use-import-template-xlsx", production)).content.startswith(b"PK")
    guide = client.get(url("ai-use-import-guide", production))
    assert guide.status_code == 200
    assert "vfx (Visual effects)" in page_text(guide)
