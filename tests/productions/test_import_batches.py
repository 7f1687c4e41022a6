"""Import batches: every import recorded with what it wrote, undone exactly, refused while something depends on it,
and what its uses still lack for the checklist."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from disclosure.documents.building import records_revision
from productions import imports, services
from productions.conflicts import Conflict
from productions.consent_status import ConsentStatus, consent_status
from productions.models import AIUse, BlockedUse, ImportBatch
from productions.vocabularies import (
    ConsentKind,
    DeepFake,
    ImportSource,
    OutputType,
    PerformerUse,
    ReviewState,
)
from tests.factories import AIToolFactory, AIUseFactory, ConsentFactory, PersonFactory

HEADERS = ["id", "external_id", "title", "phase", "department", "output_type", "digital_source_type"]
SOURCE = "compositeWithTrainedAlgorithmicMedia"  # as the factory records uses
# Every field of a use that undoing gives back as it was: all but when it was written and its version.
KEPT = [f.attname for f in AIUse._meta.concrete_fields if f.name not in ("updated_at", "version")]


def csv_table(rows, name="shots.csv"):
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    return imports.read_table(stream.getvalue().encode(), name)


def commit(actor, production, rows, name="shots.csv", fixed=None):
    table = csv_table(rows, name)
    mapping = imports.suggest_mapping(table.headers, ImportSource.REELPROOF)
    return imports.commit_import(
        actor=actor, production=production, table=table, mapping=mapping, fixed=fixed, source=ImportSource.REELPROOF
    )


def ledger_state(production):
    """Every field of every use of the production, with its people and consents, and which uses are blocked."""
    uses = AIUse.objects.filter(production=production).prefetch_related("people", "consents").order_by("pk")
    return {
        "uses": {
            use.pk: (
                {name: getattr(use, name) for name in KEPT},
                sorted(person.pk for person in use.people.all()),
                sorted(consent.pk for consent in use.consents.all()),
            )
            for use in uses
        },
        "blocked": set(BlockedUse.objects.filter(ai_use__production=production).values_list("ai_use_id", "status")),
    }


@pytest.fixture
def tools(db):
    return {"runway": AIToolFactory(product="Runway"), "flow": AIToolFactory(product="Flow Studio")}


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín")


@pytest.fixture
def consent(performer):
    return ConsentFactory(
        person=performer,
        review_state=ReviewState.APPROVED,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        kind=ConsentKind.DIGITAL_ALTERATION,
    )


@pytest.fixture
def ledger(production, tools, performer, consent):
    """A de-ageing shot relying on a confirmed consent, a sky replacement, and a background left alone."""
    return {
        "de_ageing": AIUseFactory(
            production=production,
            external_id="SH0010",
            title="De-ageing",
            tool=tools["runway"],
            performer_use=PerformerUse.DIGITAL_ALTERATION,
            description="Flashback, reel 3",
            people=[performer],
            consents=[consent],
        ),
        "sky": AIUseFactory(production=production, external_id="SH0020", title="Sky", tool=tools["runway"]),
        "background": AIUseFactory(production=production, external_id="SH0030", title="Background", tool=None),
    }


def the_import(ledger, tools):
    """Changes the de-ageing shot's facts (its coverage is to confirm again) and renames the sky's tracker id."""
    return [
        [*HEADERS, "tool", "description", "published_in", "used_from", "deep_fake"],
        ["", "SH0010", "De-aged lead", "vfx", "vfx", "video", SOURCE, tools["flow"].pk, "Flashback, reels 3 and 4",
         "trailer", "2026-04-01", "yes"],
        [ledger["sky"].pk, "SH0021", "Sky", "vfx", "vfx", "video", SOURCE, tools["runway"].pk, "", "", "", ""],
        ["", "SH0030", "Background", "vfx", "vfx", "video", SOURCE, "", "", "", "", ""],
        ["", "SH0040", "Crowd", "vfx", "vfx", "video", SOURCE, tools["flow"].pk, "", "", "", ""],
        ["", "", "Voice of the narrator", "sound_music", "sound", "audio", SOURCE, "", "", "", "", ""],
    ]  # fmt: skip


# What a commit records


def test_an_import_is_recorded_with_an_item_per_use_it_created_or_updated(production, producer, ledger, tools):
    plan = commit(producer, production, the_import(ledger, tools))

    batch = ImportBatch.objects.get(production=production)
    assert plan.batch == batch
    assert (batch.file_name, batch.imported_by, batch.source, batch.mapping_name) == (
        "shots.csv",
        producer,
        ImportSource.REELPROOF,
        "",
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (2, 2, 1)
    assert batch.undone_at is None
    items = {item.row_number: item for item in batch.items.all()}
    assert sorted(items) == [2, 3, 5, 6], "the unchanged background (row 4) has no item"
    de_ageing, sky = items[2], items[3]
    assert (de_ageing.action, de_ageing.ai_use_id) == ("update", ledger["de_ageing"].pk)
    assert de_ageing.version_after == AIUse.objects.get(pk=ledger["de_ageing"].pk).version == 2
    assert de_ageing.before == {
        "title": "De-ageing",
        "tool": str(ledger["de_ageing"].tool_id),
        "description": "Flashback, reel 3",
        "published_in": "",
        "used_from": None,
        "deep_fake": DeepFake.NOT_DETERMINED,
    }
    assert sky.before == {"external_id": "SH0020"}
    crowd = AIUse.objects.get(external_id="SH0040")
    assert (items[5].action, items[5].ai_use, items[5].version_after, items[5].before) == ("create", crowd, 1, {})


def test_a_saved_mapping_used_as_it_is_is_named_on_the_batch(production, producer):
    rows = [["Shot", "Work"], ["SH0100", "Sky"]]
    table = csv_table(rows, "kitsu.csv")
    mapping = {"Shot": "external_id", "Work": "title"}
    fixed = {"phase": "vfx", "department": "vfx", "output_type": "video", "digital_source_type": SOURCE}
    imports.save_mapping(
        actor=producer, production=production, name="Kitsu VFX", source=ImportSource.KITSU, mapping=mapping, fixed=fixed
    )

    plan = imports.commit_import(actor=producer, production=production, table=table, mapping=mapping, fixed=fixed)

    assert (plan.batch.mapping_name, plan.batch.source) == ("Kitsu VFX", ImportSource.KITSU)
    other = imports.commit_import(
        actor=producer, production=production, table=table, mapping=mapping, fixed={**fixed, "phase": "set_design"}
    )
    assert (other.batch.mapping_name, other.batch.source) == ("", ""), "changed since it was chosen: not that mapping"


def test_an_import_that_changes_nothing_is_recorded_and_has_nothing_to_undo(production, producer, ledger, tools):
    rows = [HEADERS, ["", "SH0030", "Background", "vfx", "vfx", "video", SOURCE]]

    plan = commit(producer, production, rows)

    assert (plan.batch.created_count, plan.batch.updated_count, plan.batch.unchanged_count) == (0, 0, 1)
    assert not plan.batch.items.exists()
    with pytest.raises(ValidationError, match="nothing to undo"):
        imports.undo_import(actor=producer, batch=plan.batch)


def test_a_rejected_import_records_nothing(production, producer):
    with pytest.raises(imports.ImportRejected):
        commit(producer, production, [HEADERS, ["", "SH1", "Sky", "colour", "vfx", "video", SOURCE]])

    assert not ImportBatch.objects.exists()


# Undo


def test_undoing_an_import_gives_back_exactly_the_ledger_before_it(production, producer, ledger, tools, consent):
    before = ledger_state(production)
    revision_before = records_revision(production.pk)
    assert consent_status(AIUse.objects.get(pk=ledger["de_ageing"].pk)) == ConsentStatus.COVERED

    plan = commit(producer, production, the_import(ledger, tools))
    imported = ledger_state(production)
    assert imported != before
    assert (ledger["de_ageing"].pk, ConsentStatus.SCOPE_TO_CONFIRM) in imported["blocked"], "its facts changed"

    undone = imports.undo_import(actor=producer, batch=plan.batch)

    assert (len(undone.deletions), len(undone.reversions)) == (2, 2)
    assert ledger_state(production) == before
    assert consent_status(AIUse.objects.get(pk=ledger["de_ageing"].pk)) == ConsentStatus.COVERED
    de_ageing = AIUse.objects.get(pk=ledger["de_ageing"].pk)
    assert de_ageing.version == 3, "the import and its undo are two changes"
    assert records_revision(production.pk) != revision_before, "documents issued since see the records changed"
    batch = ImportBatch.objects.get(pk=plan.batch.pk)
    assert batch.undone_by == producer and batch.undone_at is not None


def test_the_audit_trail_shows_the_import_then_its_undo_by_whom_and_why(production, producer, ledger, tools, consent):
    plan = commit(producer, production, the_import(ledger, tools), name="kitsu_week_12.csv")
    crowd = AIUse.objects.get(external_id="SH0040")

    imports.undo_import(actor=producer, batch=plan.batch)

    entries = list(ledger["de_ageing"].history.order_by("history_id"))
    assert [(entry.history_type, entry.history_change_reason) for entry in entries[-2:]] == [
        ("~", "imported from kitsu_week_12.csv"),
        ("~", "undo of import kitsu_week_12.csv"),
    ]
    undo = entries[-1]
    assert undo.history_user == producer
    assert (undo.title, undo.tool_id, undo.published_in, undo.deep_fake) == (
        "De-ageing",
        ledger["de_ageing"].tool_id,
        [],
        DeepFake.NOT_DETERMINED,
    )
    assert [link.person_id for link in undo.people.all()] == [ledger["de_ageing"].people.get().pk]
    assert [link.consent_id for link in undo.consents.all()] == [consent.pk]
    gone = list(AIUse.history.filter(id=crowd.pk).order_by("history_id"))
    assert [(entry.history_type, entry.history_user, entry.history_change_reason) for entry in gone] == [
        ("+", producer, "imported from kitsu_week_12.csv"),
        ("-", producer, "undo of import kitsu_week_12.csv"),
    ]
    assert gone[-1].title == "Crowd"


def test_a_deleted_use_leaves_the_same_entry_as_a_single_deletion(production, producer, performer, consent):
    """The "-" entry undo writes for each use it deletes holds what delete_audited's holds: the fields, no links."""
    plan = commit(producer, production, [HEADERS, ["", "SH1", "Sky", "vfx", "vfx", "video", SOURCE]])
    created = plan.batch.items.get().ai_use
    single = AIUseFactory(production=production, people=[performer], consents=[consent], coverage=False)
    single_pk = single.pk
    services.delete_ai_use(actor=producer, ai_use=single)

    imports.undo_import(actor=producer, batch=plan.batch)

    by_single, by_undo = (AIUse.history.filter(id=pk, history_type="-").get() for pk in (single_pk, created.pk))
    assert not by_single.people.exists() and not by_undo.people.exists()
    assert by_undo.history_user == producer


def test_a_use_deleted_since_is_left_deleted(production, producer, ledger, tools):
    plan = commit(producer, production, the_import(ledger, tools))
    services.delete_ai_use(actor=producer, ai_use=AIUse.objects.get(external_id="SH0040"))

    undone = imports.undo_import(actor=producer, batch=plan.batch)

    assert (undone.gone, len(undone.deletions)) == (1, 1)
    assert not AIUse.objects.filter(title__in=["Crowd", "Voice of the narrator"]).exists()


# Refusals


def refusal(producer, batch):
    with pytest.raises(imports.UndoRefused) as refused:
        imports.undo_import(actor=producer, batch=batch)
    return {dependent.ai_use.title: dependent.reasons for dependent in refused.value.dependents}


def test_undo_is_refused_once_a_use_it_wrote_was_edited_since(production, producer, legal, ledger, tools):
    plan = commit(producer, production, the_import(ledger, tools))
    crowd = AIUse.objects.get(external_id="SH0040")
    services.update_ai_use(actor=producer, ai_use=crowd, description="Fifty extras")
    state = ledger_state(production)

    reasons = refusal(producer, plan.batch)

    assert list(reasons) == ["Crowd"]
    assert reasons["Crowd"][0].startswith("changed since the import, by paula at ")
    assert ledger_state(production) == state, "nothing undone"
    assert ImportBatch.objects.get(pk=plan.batch.pk).undone_at is None


def test_undo_is_refused_once_a_later_import_changed_its_uses(production, producer, ledger, tools):
    first = commit(producer, production, the_import(ledger, tools))
    commit(producer, production, [HEADERS, ["", "SH0040", "Crowd, wider", "vfx", "vfx", "video", SOURCE]])

    assert list(refusal(producer, first.batch)) == ["Crowd, wider"]


def test_undo_is_refused_once_legal_decided_coverage_on_its_facts(production, producer, legal, ledger, tools, consent):
    plan = commit(producer, production, the_import(ledger, tools))
    services.decide_coverage(
        actor=legal, consent=consent, ai_uses=[AIUse.objects.get(pk=ledger["de_ageing"].pk)], decision="covers"
    )

    reasons = refusal(producer, plan.batch)

    assert reasons == {"De-aged lead": ("legal decided since whether the consent of Ricardo Darín (Lead) covers it",)}


def test_undo_is_refused_when_a_tracker_id_it_gives_back_was_taken_since(production, producer, ledger, tools):
    plan = commit(producer, production, the_import(ledger, tools))
    services.create_ai_use(
        actor=producer,
        production=production,
        external_id="sh0020",
        title="New sky",
        phase="vfx",
        department="vfx",
        output_type=OutputType.VIDEO,
        digital_source_type=SOURCE,
    )

    reasons = refusal(producer, plan.batch)

    assert reasons == {"Sky": ("its tracker id before the import is now that of “New sky” (sh0020)",)}


def test_an_import_is_undone_once(production, producer, ledger, tools):
    plan = commit(producer, production, the_import(ledger, tools))
    imports.undo_import(actor=producer, batch=plan.batch)

    with pytest.raises(Conflict, match="already undone, by paula"):
        imports.undo_import(actor=producer, batch=plan.batch)


def test_only_producers_undo_imports(production, producer, legal, viewer, outsider, ledger, tools):
    plan = commit(producer, production, the_import(ledger, tools))

    for member in (legal, viewer):
        with pytest.raises(PermissionDenied):
            imports.undo_import(actor=member, batch=plan.batch)
    with pytest.raises(Http404):
        imports.undo_import(actor=outsider, batch=plan.batch)
    assert ImportBatch.objects.get(pk=plan.batch.pk).undone_at is None


# Bounded work


def shots(count, start=0):
    return [["", f"SH{start + n:04d}", f"Shot {start + n}", "vfx", "vfx", "video", SOURCE] for n in range(count)]


def split_by_parameters(sql):
    """A bulk write Django splits into statements of as many rows as the database takes parameters for (SQLite
    999: some twenty uses per INSERT, a hundred per UPDATE); every other statement serves 500 rows."""
    return (sql.startswith("INSERT INTO") and " VALUES " in sql) or (sql.startswith("UPDATE") and " CASE WHEN " in sql)


def statements(captured):
    """(statements split by the parameter limit, the others) of a captured run."""
    sqls = [query["sql"] for query in captured.captured_queries]
    return sum(map(split_by_parameters, sqls)), sum(not split_by_parameters(sql) for sql in sqls)


def an_import_and_its_undo(producer, production, size):
    """Queries of committing `size` updates and `size` creations, of planning their undo, and of undoing them."""
    AIUseFactory.create_batch(size, production=production, tool=None, external_id="")
    existing = [[use.pk, f"EX{use.pk}", use.title, "vfx", "vfx", "video", SOURCE] for use in AIUse.objects.all()]
    with CaptureQueriesContext(connection) as committing:
        plan = commit(producer, production, [HEADERS, *existing[-size:], *shots(size)])
    assert (plan.batch.created_count, plan.batch.updated_count) == (size, size)
    with CaptureQueriesContext(connection) as planning:
        imports.plan_undo(plan.batch)
    with CaptureQueriesContext(connection) as undoing:
        imports.undo_import(actor=producer, batch=plan.batch)
    return statements(committing), statements(planning), statements(undoing)


def test_imports_are_recorded_and_undone_in_queries_that_do_not_grow_with_their_rows(production, producer):
    small = an_import_and_its_undo(producer, production, 5)
    large = an_import_and_its_undo(producer, production, 240)

    for (split_small, other_small), (split_large, other_large) in zip(small, large, strict=True):
        assert other_large == other_small
        assert split_large <= split_small + 2 * 240 // 20
    # SQLite splits one statement that PostgreSQL sends whole; the kept statuses are marked stale (2) and those of
    # the deleted uses deleted with them (1).
    assert sum(small[2]) == 29
    assert small[1] == large[1] == (0, 3)


# What the imported uses still lack


def test_the_rows_of_a_batch_say_what_each_use_still_lacks_for_the_checklist(production, producer, tools):
    rows = [
        [*HEADERS, "tool", "is_final", "performer_use", "deep_fake", "marking_kept_in_master", "published_in"],
        ["", "SH1", "Sky", "vfx", "vfx", "video", SOURCE, tools["runway"].pk, "yes", "none", "no", "yes", ""],
        ["", "SH2", "De-ageing", "vfx", "vfx", "video", SOURCE, tools["runway"].pk, "yes", "digital_alteration",
         "no", "yes", ""],
        ["", "SH3", "Poster face", "marketing", "marketing", "image", SOURCE, "", "no", "none", "", "", "poster"],
        ["", "SH4", "Matte painting", "vfx", "vfx", "video", SOURCE, tools["runway"].pk, "yes", "none", "no", "", ""],
        ["", "SH5", "Fake anchor", "vfx", "vfx", "video", SOURCE, tools["runway"].pk, "yes", "none", "yes", "yes",
         ""],
    ]  # fmt: skip
    plan = commit(producer, production, rows)

    missing = {row.ai_use.title: [fact.field for fact in row.to_complete] for row in imports.batch_rows(plan.batch)}

    assert missing == {
        "Sky": [],
        "De-ageing": ["people", "consents"],
        "Poster face": ["tool", "deep_fake"],
        "Matte painting": ["marking_kept_in_master"],
        "Fake anchor": ["disclosure_method"],
    }


def test_a_use_completed_since_is_no_longer_to_complete(production, producer, tools, performer, consent):
    rows = [
        [*HEADERS, "tool", "performer_use", "deep_fake", "marking_kept_in_master"],
        ["", "SH2", "De-ageing", "vfx", "vfx", "video", SOURCE, tools["runway"].pk, "digital_alteration", "no", "yes"],
    ]
    plan = commit(producer, production, rows)
    use = plan.batch.items.get().ai_use

    services.update_ai_use(actor=producer, ai_use=use, people=[performer], consents=[consent])

    assert [row.to_complete for row in imports.batch_rows(plan.batch)] == [[]]


def test_the_rows_of_a_batch_are_read_in_one_query(production, producer, tools, django_assert_num_queries):
    plan = commit(producer, production, [HEADERS, *shots(200)])

    with django_assert_num_queries(1):
        rows = imports.batch_rows(plan.batch)

    assert len(rows) == 200 and all(fact.field == "tool" for row in rows for fact in row.to_complete)
