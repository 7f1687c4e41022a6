"""Matching a request to a document already issued, from the audit trail, without building anything."""

import datetime
import re

import pytest
from django.apps import apps
from django.db import connection

from disclosure import services as disclosure_services
from disclosure.documents import building, jobs, requests
from disclosure.models import DisclosureDocument, DocumentKind, DocumentStatus, ItemStatus
from productions import catalogue, kept_statuses, revisions, services
from productions.models import AIUse, Production
from productions.vocabularies import ConsentKind, DigitalSourceType, OutputType, Phase, ReviewState, Role
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    CuratorFactory,
    LiteracyMeasureFactory,
    OrganisationMembershipFactory,
    PersonFactory,
    ProductionFactory,
)

ON = datetime.date(2026, 11, 20)
# Audited, but no document reads them: tokens; and editions and sign-offs, which issuing writes and whose
# facts a document states as they were at issue.
# Organisations decide who works on what; no document prints them.
# Proposals change nothing until accepted (then the tool changes); an organisation's tool policy flags, never prints.
NOT_READ_BY_DOCUMENTS = {
    "ApiToken",
    "Edition",
    "IssueSignOff",
    "Organisation",
    "OrganisationMembership",
    "Invitation",
    "ToolProposal",
    "OrganisationToolPolicy",
}


@pytest.fixture
def records(production):
    person = PersonFactory(production=production, name="Ana Ruiz")
    consent = ConsentFactory(person=person, review_state=ReviewState.SUBMITTED, signed_document=True)
    use = AIUseFactory(production=production, title="De-ageing, reel 3", people=[person], consents=[consent])
    draft = ConsentFactory(
        person=person, kind=ConsentKind.INDEPENDENT_REPLICA, covers_voice=True, covers_likeness=False
    )
    return {"person": person, "consent": consent, "draft": draft, "use": use}


def _audited_models():
    for label in ("productions", "disclosure"):
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "history") and not model.__name__.startswith("Historical"):
                yield model.__name__


def test_every_audited_record_a_document_could_read_is_in_the_revision():
    sources = {model.__name__ for model, _path in building.REVISION_SOURCES.values()}

    assert set(_audited_models()) - NOT_READ_BY_DOCUMENTS == sources


WRITES = {
    "production edited": lambda p, r, producer, legal: services.update_production(
        actor=producer, production=p, contact_point="press@example.org"
    ),
    "member added": lambda p, r, producer, legal: services.add_member(
        actor=producer,
        production=p,
        user=OrganisationMembershipFactory(organisation=p.organisation).user,
        role=Role.VIEWER,
    ),
    "person added": lambda p, r, producer, legal: services.create_person(
        actor=producer, production=p, name="Ben Ode", role="Stunt double"
    ),
    "person renamed": lambda p, r, producer, legal: services.update_person(
        actor=producer, person=r["person"], name="Ana Ruiz Vidal"
    ),
    "consent approved": lambda p, r, producer, legal: services.approve_consent(actor=legal, consent=r["consent"]),
    "consent deleted": lambda p, r, producer, legal: services.delete_consent(actor=producer, consent=r["draft"]),
    "use edited": lambda p, r, producer, legal: services.update_ai_use(
        actor=producer, ai_use=r["use"], title="De-ageing, reels 3 and 4"
    ),
    "use added": lambda p, r, producer, legal: AIUseFactory(production=p),
    "use deleted": lambda p, r, producer, legal: services.delete_ai_use(actor=producer, ai_use=r["use"]),
    "person unlinked from a use": lambda p, r, producer, legal: r["use"].people.remove(r["person"]),
    "tool of a use edited": lambda p, r, producer, legal: catalogue.update_tool(
        actor=CuratorFactory(),
        tool=r["use"].tool,
        reason="vendor's summary",
        training_data_notes="Licensed stock only, per the vendor's summary.",
    ),
    "a use moved to another tool": lambda p, r, producer, legal: services.update_ai_use(
        actor=producer, ai_use=r["use"], tool=AIToolFactory()
    ),
    "literacy measure added": lambda p, r, producer, legal: LiteracyMeasureFactory(production=p),
    "checklist item attested": lambda p, r, producer, legal: disclosure_services.attest_item(
        actor=legal, production=p, item_id="inventory", status=ItemStatus.MET, comment="Checked with the VFX lead."
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_changes_the_records_revision(production, records, producer, legal, write):
    before = building.records_revision(production.pk)

    write(production, records, producer, legal)

    assert building.records_revision(production.pk) != before


def test_writes_to_another_production_leave_the_revision_alone(production, records, producer):
    before = building.records_revision(production.pk)

    AIUseFactory(title="Someone else's shot", tool=records["use"].tool)
    PersonFactory()
    AIToolFactory()  # a tool no use of this production names

    assert building.records_revision(production.pk) == before


def test_the_key_differs_by_kind_language_and_date_and_not_otherwise(production, records):
    key = building.request_key(production.pk, DocumentKind.STATEMENT, "en", ON)

    assert key == building.request_key(production.pk, DocumentKind.STATEMENT, "en", ON)
    others = {
        building.request_key(production.pk, DocumentKind.CHECKLIST, "en", ON),
        building.request_key(production.pk, DocumentKind.STATEMENT, "fr", ON),
        building.request_key(production.pk, DocumentKind.STATEMENT, "en", ON + datetime.timedelta(days=1)),
    }
    assert key not in others and len(others) == 3


def test_a_request_builds_nothing_and_its_queries_do_not_grow_with_the_ledger(
    production, records, monkeypatch, django_assert_max_num_queries
):
    def no_building(*args, **kwargs):
        raise AssertionError("a request must not build the document")

    monkeypatch.setattr(building, "build", no_building)
    with django_assert_max_num_queries(5):
        first, created = requests.request_document(
            production=production, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
        )
    assert created and first.status == DocumentStatus.QUEUED
    AIUseFactory.create_batch(40, production=production)

    with django_assert_max_num_queries(5):
        second, created = requests.request_document(
            production=production, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
        )
    assert created and second != first


def test_a_write_while_a_document_is_queued_is_in_it_and_in_its_key(production, records, producer):
    document, _created = requests.request_document(
        production=production, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )
    services.update_ai_use(actor=producer, ai_use=records["use"], title="Written while queued")

    jobs.render(document.id)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert "Written while queued" in str(document.data)
    again, created = requests.request_document(
        production=production, kind=DocumentKind.STATEMENT, language="en", on=ON, queue=False
    )
    assert (again, created) == (document, False), "the worker keyed the document on the records it read"
    assert DisclosureDocument.objects.count() == 1
    assert AIUse.objects.get(pk=records["use"].pk).title == "Written while queued"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize("sources", ["documents", "kept statuses"])
def test_a_revision_reads_the_productions_own_history_not_everyone_elses(production, records, sources):
    # Another production's 2,000 use entries, all newer than this production's: a busy neighbour.
    other = ProductionFactory()
    uses = [
        AIUse(
            production=other,
            title=f"Matte {index}",
            phase=Phase.VFX,
            department="vfx",
            output_type=OutputType.IMAGE,
            digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        )
        for index in range(2000)
    ]
    for ai_use in uses:
        ai_use.derive_keys(other.id_pattern)
    AIUse.history.bulk_history_create(AIUse.objects.bulk_create(uses))
    chosen = building.REVISION_SOURCES if sources == "documents" else kept_statuses.STATUS_SOURCES
    query = Production.objects.filter(pk=production.pk).annotate(**revisions._newest(chosen)).values_list("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # Each kind's newest entry is read from an index on (parent, history_id) (migrations 0015 and disclosure's
    # 0006), not by walking every production's history back from the newest entry until one is this production's.
    removed = [int(count) for count in re.findall(r"Rows Removed by (?:Join )?Filter: (\d+)", plan)]
    assert max(removed, default=0) < 100, plan
