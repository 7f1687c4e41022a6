"""Imports through the API: the batch a commit answers with, the list of imports, one import's rows, undoing it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from productions import services
from productions.models import AIUse, ImportBatch
from tests.api.conftest import api, assert_error
from tests.factories import AIToolFactory, AIUseFactory

CSV = (
    "external_id,title,phase,department,output_type,digital_source_type,is_final,tool,deep_fake\n"
    'SH0020,"Sky, wider",vfx,vfx,video,compositeWithTrainedAlgorithmicMedia,yes,{tool},no\n'
    "SH0040,Crowd,vfx,vfx,video,compositeWithTrainedAlgorithmicMedia,yes,,\n"
)


def imports_url(production, *rest):
    return api("/".join([f"productions/{production.pk}/imports", *map(str, rest)]) + "/")


@pytest.fixture
def runway(db):
    return AIToolFactory(product="Runway")


@pytest.fixture
def sky(production, runway):
    return AIUseFactory(production=production, external_id="SH0020", title="Sky", tool=runway)


@pytest.fixture
def committed(as_producer, production, sky, runway):
    """What POST .../ai-uses/import/ answers: the counts, the rows and the batch."""
    body = {"file": SimpleUploadedFile("week_12.csv", CSV.format(tool=runway.pk).encode()), "source": "reelproof"}
    response = as_producer.post(api(f"productions/{production.pk}/ai-uses/import/"), body, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_committed_import_answers_with_its_batch(production, committed, producer):
    batch = ImportBatch.objects.get(production=production)

    assert committed["batch"] == batch.pk
    assert (committed["created"], committed["updated"]) == (1, 1)
    assert (batch.imported_by, batch.source, batch.file_name) == (producer, "reelproof", "week_12.csv")


def test_every_member_lists_the_imports(production, committed, as_producer, as_legal, as_viewer):
    for client in (as_producer, as_legal, as_viewer):
        response = client.get(imports_url(production))
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        assert body["results"][0] == {
            "id": committed["batch"],
            "file_name": "week_12.csv",
            "source": "reelproof",
            "mapping_name": "",
            "imported_by": "paula",
            "imported_at": body["results"][0]["imported_at"],
            "created": 1,
            "updated": 1,
            "unchanged": 0,
            "undone_by": None,
            "undone_at": None,
        }


def test_an_import_lists_its_rows_with_what_each_use_lacks(production, committed, as_viewer, sky, runway):
    crowd = AIUse.objects.get(external_id="SH0040")

    body = as_viewer.get(imports_url(production, committed["batch"])).json()

    assert body["rows"] == [
        {
            "row": 2,
            "action": "update",
            "ai_use": sky.pk,
            "title": "Sky, wider",
            "external_id": "SH0020",
            "version_after": 2,
            "before": {"title": "Sky", "deep_fake": "not_determined"},
            "to_complete": ["marking_kept_in_master"],
        },
        {
            "row": 3,
            "action": "create",
            "ai_use": crowd.pk,
            "title": "Crowd",
            "external_id": "SH0040",
            "version_after": 1,
            "before": {},
            "to_complete": ["tool", "deep_fake"],
        },
    ]


def test_a_producer_undoes_an_import(production, committed, as_producer, sky):
    response = as_producer.post(imports_url(production, committed["batch"], "undo"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["undone_by"] == "paula" and body["undone_at"]
    assert [row["ai_use"] for row in body["rows"]] == [sky.pk, None]
    assert list(AIUse.objects.filter(production=production).values_list("title", flat=True)) == ["Sky"]
    again = as_producer.post(imports_url(production, committed["batch"], "undo"))
    assert "already undone" in assert_error(again, 409, "conflict")["detail"]


def test_an_undo_refused_lists_the_uses_that_depend_on_the_import(production, committed, as_producer, producer):
    crowd = AIUse.objects.get(external_id="SH0040")
    services.update_ai_use(actor=producer, ai_use=crowd, description="Fifty extras")

    response = as_producer.post(imports_url(production, committed["batch"], "undo"))

    body = assert_error(response, 409, "conflict", fields=[f"ai_uses.{crowd.pk}"])
    assert body["errors"][f"ai_uses.{crowd.pk}"][0].startswith("changed since the import, by paula")
    assert ImportBatch.objects.get(pk=committed["batch"]).undone_at is None


def test_an_import_that_wrote_nothing_has_nothing_to_undo(production, as_producer, committed):
    header, _sky, crowd = CSV.splitlines(keepends=True)
    body = {"file": SimpleUploadedFile("again.csv", (header + crowd).encode())}
    again = as_producer.post(api(f"productions/{production.pk}/ai-uses/import/"), body, format="multipart")
    assert again.status_code == 201, again.content

    response = as_producer.post(imports_url(production, again.json()["batch"], "undo"))

    assert "nothing to undo" in assert_error(response, 400, "invalid")["detail"]


def test_only_producers_undo_and_outsiders_find_nothing(production, committed, as_legal, as_viewer, as_outsider):
    for client in (as_legal, as_viewer):
        assert_error(client.post(imports_url(production, committed["batch"], "undo")), 403)
    assert_error(as_outsider.get(imports_url(production)), 404)
    assert_error(as_outsider.get(imports_url(production, committed["batch"])), 404)
    assert_error(as_outsider.post(imports_url(production, committed["batch"], "undo")), 404)
    assert ImportBatch.objects.get(pk=committed["batch"]).undone_at is None


@pytest.mark.parametrize("rows", [2, 120])
def test_an_import_costs_the_same_queries_for_few_or_many_rows(
    production, as_producer, producer, rows, django_assert_max_num_queries
):
    lines = "".join(f"SH{n},Shot {n},vfx,vfx,video,trainedAlgorithmicMedia\n" for n in range(rows))
    body = {
        "file": SimpleUploadedFile(
            "many.csv", f"external_id,title,phase,department,output_type,digital_source_type\n{lines}".encode()
        )
    }
    batch = as_producer.post(api(f"productions/{production.pk}/ai-uses/import/"), body, format="multipart").json()[
        "batch"
    ]

    with django_assert_max_num_queries(8):
        response = as_producer.get(imports_url(production, batch))

    assert len(response.json()["rows"]) == rows
