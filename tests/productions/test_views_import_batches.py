"""The imports pages: the list, an import's rows and what they lack (the page after an import), and its undo."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from productions import imports, services
from productions.models import AIUse, ImportBatch
from productions.vocabularies import ImportSource
from tests.factories import AIToolFactory, AIUseFactory

HEADERS = ["id", "external_id", "title", "phase", "department", "output_type", "digital_source_type", "is_final"]
SOURCE = "compositeWithTrainedAlgorithmicMedia"


def url(name, *args):
    return reverse(f"productions:{name}", args=args)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def text(response):
    return response.content.decode()


def commit(actor, production, rows, name="kitsu_week_12.csv"):
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    table = imports.read_table(stream.getvalue().encode(), name)
    mapping = imports.suggest_mapping(table.headers, ImportSource.REELPROOF)
    return imports.commit_import(
        actor=actor, production=production, table=table, mapping=mapping, source=ImportSource.KITSU
    ).batch


@pytest.fixture
def runway(db):
    return AIToolFactory(product="Runway")


@pytest.fixture
def sky(production, runway):
    return AIUseFactory(production=production, external_id="SH0020", title="Sky", tool=runway)


@pytest.fixture
def batch(production, producer, sky, runway):
    """Renames the sky, and creates a crowd with no tool and a final shot whose deep fake is undetermined."""
    return commit(
        producer,
        production,
        [
            [*HEADERS, "tool", "deep_fake", "marking_kept_in_master"],
            ["", "SH0020", "Sky, wider", "vfx", "vfx", "video", SOURCE, "yes", runway.pk, "no", "yes"],
            ["", "SH0040", "Crowd", "vfx", "vfx", "video", SOURCE, "yes", "", "", ""],
        ],
    )


# The list


def test_every_member_sees_the_imports_newest_first(production, producer, viewer, legal, batch):
    later = commit(
        producer, production, [HEADERS, ["", "SH0050", "Rain", "vfx", "vfx", "video", SOURCE, "no"]], "rain.csv"
    )
    imports.undo_import(actor=producer, batch=later)

    for member in (producer, legal, viewer):
        response = client_for(member).get(url("import-batches", production.pk))
        assert response.status_code == 200
        page = text(response)
        assert page.index("rain.csv") < page.index("kitsu_week_12.csv")
        assert "Undone" in page and "by paula" in page and "In the ledger" in page
    assert "Import a file" in text(client_for(producer).get(url("import-batches", production.pk)))
    assert "Import a file" not in page, "viewers import nothing"


def test_outsiders_find_no_imports(production, outsider, batch):
    client = client_for(outsider)

    assert client.get(url("import-batches", production.pk)).status_code == 404
    assert client.get(url("import-batch", production.pk, batch.pk)).status_code == 404
    assert client.get(url("import-batch-undo", production.pk, batch.pk)).status_code == 404
    assert client.post(url("import-batch-undo", production.pk, batch.pk)).status_code == 404
    assert ImportBatch.objects.get(pk=batch.pk).undone_at is None


def test_the_ledger_and_the_upload_page_link_to_the_imports(production, producer, viewer):
    imports_url = url("import-batches", production.pk)

    assert imports_url in text(client_for(viewer).get(url("ledger", production.pk)))
    assert imports_url in text(client_for(producer).get(url("ai-use-import", production.pk)))


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_costs_the_same_queries_for_few_or_many_imports(
    production, producer, count, django_assert_max_num_queries
):
    for number in range(count):
        commit(producer, production, [HEADERS, ["", f"SH{number}", "Sky", "vfx", "vfx", "video", SOURCE, "no"]])
    client = client_for(producer)

    with django_assert_max_num_queries(8):
        response = client.get(url("import-batches", production.pk))

    assert text(response).count("kitsu_week_12.csv") == min(count, 25)


# An import's page


def test_after_an_import_its_page_lists_the_uses_to_complete_with_links_to_their_forms(
    production, producer, batch, runway
):
    crowd = AIUse.objects.get(external_id="SH0040")
    client = client_for(producer)

    response = client.get(url("import-batch", production.pk, batch.pk))

    page = text(response)
    assert response.status_code == 200
    assert "1 imported use lacks facts the disclosure checklist needs" in page
    assert f'href="{url("ai-use-edit", production.pk, crowd.pk)}#id_tool"' in page
    assert "the tool used" in page and "whether it is a deep fake" in page
    assert "Sky, wider" not in page, "complete: not among the uses to complete"
    everything = text(client.get(url("import-batch", production.pk, batch.pk) + "?show=all"))
    assert "Sky, wider" in everything and "Changed:" in everything and "Title" in everything
    assert url("import-batch-undo", production.pk, batch.pk) in page


def test_viewers_see_an_import_but_neither_undo_it_nor_are_sent_to_edit_forms(production, viewer, legal, batch):
    for member in (viewer, legal):
        response = client_for(member).get(url("import-batch", production.pk, batch.pk))
        page = text(response)
        assert response.status_code == 200
        assert "the tool used" in page
        assert "/edit/" not in page and url("import-batch-undo", production.pk, batch.pk) not in page


@pytest.mark.parametrize("rows", [3, 120])
def test_an_imports_page_costs_the_same_queries_for_few_or_many_rows(
    production, producer, rows, django_assert_max_num_queries
):
    batch = commit(
        producer,
        production,
        [HEADERS, *[["", f"SH{n}", f"Shot {n}", "vfx", "vfx", "video", SOURCE, "yes"] for n in range(rows)]],
    )
    client = client_for(producer)

    with django_assert_max_num_queries(8):
        response = client.get(url("import-batch", production.pk, batch.pk))

    assert text(response).count("the tool used") == min(rows, 50)


# Undo


def test_a_producer_confirms_and_undoes_an_import(production, producer, batch, sky):
    client = client_for(producer)

    confirm = client.get(url("import-batch-undo", production.pk, batch.pk))

    page = text(confirm)
    assert confirm.status_code == 200
    assert "1 use it created will be deleted." in page
    assert "1 use it updated will get back its values from before the import." in page
    assert "Sky, wider" in page and "Crowd" in page
    assert AIUse.objects.filter(production=production).count() == 2, "the confirmation writes nothing"

    done = client.post(url("import-batch-undo", production.pk, batch.pk), follow=True)

    assert done.redirect_chain[-1][0] == url("import-batch", production.pk, batch.pk)
    assert "Import of “kitsu_week_12.csv” undone: 1 use deleted, 1 use given back its values." in text(done)
    assert list(AIUse.objects.filter(production=production).values_list("title", flat=True)) == ["Sky"]
    page = text(client.get(url("import-batch", production.pk, batch.pk) + "?show=all"))
    assert '<td class="tracker-id">SH0040</td>' in page
    assert '<span class="deleted-title">Crowd</span> <span class="muted">(deleted by the undo)</span>' in page
    history = text(client.get(url("ai-use-history", production.pk, sky.pk)))
    assert history.index("Import of kitsu_week_12.csv undone") < history.index("Imported from kitsu_week_12.csv")


def test_legal_and_viewers_may_not_undo(production, legal, viewer, batch):
    for member in (legal, viewer):
        client = client_for(member)
        assert client.get(url("import-batch-undo", production.pk, batch.pk)).status_code == 403
        assert client.post(url("import-batch-undo", production.pk, batch.pk)).status_code == 403
    assert ImportBatch.objects.get(pk=batch.pk).undone_at is None


def test_an_undo_refused_says_which_uses_depend_on_the_import(production, producer, batch):
    crowd = AIUse.objects.get(external_id="SH0040")
    services.update_ai_use(actor=producer, ai_use=crowd, description="Fifty extras")
    client = client_for(producer)

    assert "It cannot be undone while this use depends on it" in text(
        client.get(url("import-batch-undo", production.pk, batch.pk))
    )
    refused = client.post(url("import-batch-undo", production.pk, batch.pk))

    assert refused.status_code == 409
    page = text(refused)
    assert "This import cannot be undone: 1 of its uses was changed since" in page
    assert "Crowd" in page and "changed since the import, by paula" in page
    assert AIUse.objects.filter(production=production).count() == 2


def test_an_import_undone_cannot_be_undone_again(production, producer, batch):
    client = client_for(producer)
    client.post(url("import-batch-undo", production.pk, batch.pk))

    again = client.post(url("import-batch-undo", production.pk, batch.pk))

    assert again.status_code == 409
    assert "This import was already undone, by paula" in text(again)
