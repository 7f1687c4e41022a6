"""Property-based test of the whole API against its own OpenAPI schema (schemathesis).

The schema is the one the running Django app serves at /api/schema/, generated once per test process
(tests/api/conftest.py, which test_schema.py reads too); requests go to the app through WSGI. Every operation
is called with a bounded number of generated requests, valid and invalid, as a producer holding
a token, on a production seeded with one record of each kind; path ids point at those records. The records
are written once per test process and each operation runs in a savepoint over them, so every operation
starts from the same records and none sees another's writes.
No response may be a 5xx, and every response must match the status codes, content types and
bodies the schema declares.
"""

import collections
import datetime
import hashlib
import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core import NOT_SET
from schemathesis.generation.meta import TestPhase

from disclosure.models import (
    ChecklistAttestation,
    DisclosureDocument,
    DocumentKind,
    DocumentStatus,
    Edition,
    EditionStatus,
    ItemStatus,
)
from productions import catalogue, imports, organisations
from productions.models import Notification
from productions.tokens import issue_token
from productions.vocabularies import NotificationEvent, PerformerUse, ReviewState, Role, ToolPolicyStatus
from tests.api.conftest import openapi_document
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    CuratorFactory,
    LiteracyMeasureFactory,
    MembershipFactory,
    PersonFactory,
    ProductionFactory,
    UserFactory,
)
from tests.module_data import copy_files, kept_for_module

# The fuzzing budget: this many generated requests for each operation (hypothesis' max_examples, which
# bounds the fuzzing phase only). Besides them, schemathesis' coverage phase gives each operation its
# fixed boundary values and the HTTP methods it does not offer: 7,696 cases for the 104 operations, of
# which 4,071 distinct requests are sent (SENDERS, below), against 832 fuzzed. Each operation is a test of
# its own, which pytest-xdist spreads over the cores. Derandomized for CI; API_FUZZ_EXAMPLES=200 makes a
# deeper, random run for hunting bugs by hand.
EXAMPLES_PER_OPERATION = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
DERANDOMIZE = "API_FUZZ_EXAMPLES" not in os.environ

schema = schemathesis.openapi.from_file(openapi_document())
# What schemathesis.openapi.from_wsgi("/api/schema/", app) sets: requests go to Django's own WSGI
# application (config.wsgi refuses to start on the repository's key, which tests use).
schema.app = get_wsgi_application()
schema.location = "/api/schema/"

# Requests the coverage phase would send more than once are sent once. It derives each operation's requests from
# that operation's schema alone: a resource's three writes (POST to its collection, PUT and PATCH to one of its
# records) share a serializer and get the same bodies, and path parameters and the bodies' record ids are pointed at
# the seeded records (below) whatever was generated. Each distinct request goes to one of the operations that
# generated it, chosen by its content: the same in every test process, which all collect the same cases in order.
SENDERS = collections.defaultdict(list)
WRITES = ("POST", "PUT", "PATCH")


@schema.hook
def filter_case(context, case):
    if case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE:
        SENDERS[_request_sent(case)].append(case)
    return True


def _request_sent(case):
    """What is sent for `case`, whichever operation generated it, as text (the token is the test's)."""
    method, path = case.method.upper(), case.path
    if method == case.operation.method.upper() and method in WRITES:
        method, path = f"{case.meta.generation.mode} write", path.removesuffix("{id}/")
    headers = {name.lower(): value for name, value in (case.headers or {}).items() if name.lower() != "authorization"}
    body = None if case.body is NOT_SET else case.body
    if isinstance(body, dict):
        body = {name: "seeded" if name in SEEDED_IN_BODY else value for name, value in body.items()}
    return json.dumps([method, path, case.media_type, case.query, headers, body], sort_keys=True, default=repr)


def _sent_by_another(case):
    """Whether another of the coverage phase's cases sends what `case` would (the fuzzing phase's are all sent)."""
    request = _request_sent(case)
    senders = SENDERS.get(request, ())
    if not any(sender is case for sender in senders):
        return False
    return senders[int(hashlib.sha256(request.encode()).hexdigest(), 16) % len(senders)] is not case


CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def test_connection_kept(db):
    """Requests go straight to the WSGI app, not through Django's test client, which would keep the
    test's database connection (and its transaction) open: do as it does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker, tmp_path_factory):
    """The records and tokens of `seeded`, written once for the module in a transaction kept open until its
    last test and then rolled back (as Django's TestCase.setUpTestData): each test's own transaction (the
    `db` fixture) is a savepoint inside it. Returns the folder holding the records' files and the records."""
    yield from kept_for_module(django_db_blocker, tmp_path_factory.mktemp("fuzzed-files"), _seed)


@pytest.fixture
def seeded(seed, test_connection_kept, settings):
    """A production with one record of each kind, and a producer's token; each test has its own copy of
    their files."""
    folder, records = seed
    copy_files(folder, settings)
    cache.clear()
    return records


def _seed():
    production = ProductionFactory(title="Fuzzed", eu_release_date=datetime.date(2026, 9, 1))
    producer = MembershipFactory(production=production, user=UserFactory(username="fuzz"), role=Role.PRODUCER).user
    legal = MembershipFactory(production=production, user=UserFactory(username="fuzz-legal"), role=Role.LEGAL).user
    # Curates the shared catalogue and, as a producer here, proposes and keeps private tools.
    curator = MembershipFactory(production=production, user=CuratorFactory(username="fuzz-curator")).user
    tool = AIToolFactory()
    proposal = catalogue.propose_tool_change(actor=producer, tool=tool, changes={"model_version": "2"}, reason="r")
    policy = catalogue.set_tool_policy(
        actor=producer, organisation=production.organisation, tool=tool, status=ToolPolicyStatus.APPROVED
    )
    person = PersonFactory(production=production)
    consent = ConsentFactory(person=person, review_state=ReviewState.SUBMITTED, document_content_type="application/pdf")
    consent.document.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"), save=True)
    use = AIUseFactory(
        production=production,
        tool=tool,
        performer_use=PerformerUse.DIGITAL_ALTERATION,
        people=[person],
        consents=[consent],
    )
    measure = LiteracyMeasureFactory(production=production)
    shot_list = imports.read_table(
        b"title,phase,department,output_type,digital_source_type\nFuzzed shot,vfx,vfx,video,trainedAlgorithmicMedia\n",
        "fuzz.csv",
    )
    batch = imports.commit_import(
        actor=producer,
        production=production,
        table=shot_list,
        mapping=imports.suggest_mapping(shot_list.headers, "reelproof"),
    ).batch
    note = Notification.objects.create(
        recipient=producer,
        production=production,
        event=NotificationEvent.CONSENT_APPROVED,
        key="fuzz",
        consent=consent,
        details={"person": person.name, "kind": consent.kind, "production": production.title, "reason": ""},
    )
    invitation = organisations.invite(
        actor=producer,
        organisation=production.organisation,
        email="fuzz-invitee@example.org",
        production=production,
        production_role=Role.VIEWER,
    )
    pdf = b"%PDF-1.7 statement"
    document = DisclosureDocument(
        production=production,
        kind=DocumentKind.STATEMENT,
        language="en",
        assessment_date=datetime.date(2026, 9, 1),
        production_title=production.title,
        status=DocumentStatus.READY,
        sha256=hashlib.sha256(pdf).hexdigest(),
        content_hash="0" * 64,
    )
    edition = Edition.objects.create(
        production=production,
        kind=DocumentKind.STATEMENT,
        number=1,
        assessment_date=datetime.date(2026, 9, 1),
        signatory="Fuzz Producer",
        status=EditionStatus.ISSUED,
        records_revision="production0",
    )
    document.is_draft, document.edition = False, edition
    document.file.save("statement.pdf", ContentFile(pdf), save=False)
    document.save()
    ChecklistAttestation.objects.create(
        production=production,
        item_id="inventory",
        status=ItemStatus.MET,
        comment="Checked against the vendor contracts.",
        attested_by=producer,
        attested_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC),
    )
    cache.clear()
    return {
        "producer": issue_token(user=producer, name="schemathesis")[1],
        "legal": issue_token(user=legal, name="schemathesis")[1],
        "curator": issue_token(user=curator, name="schemathesis")[1],
        "production_id": production.pk,
        "organisation_id": production.organisation_id,
        # The record each path's {id} names, by the collection it is in.
        "ids": {
            "ai-uses": use.pk,
            "consents": consent.pk,
            "people": person.pk,
            "literacy-measures": measure.pk,
            "members": production.memberships.get(user=producer).pk,
            "tools": tool.pk,
            "tool-proposals": proposal.pk,
            "organisation-tool-policies": policy.pk,
            "productions": production.pk,
            "invitations": invitation.pk,
            "organisations": production.organisation_id,
            "organisation-members": production.organisation.memberships.get(user=producer).pk,
            "organisation-invitations": invitation.pk,
            "documents": str(document.pk),
            "editions": str(edition.pk),
            "notifications": note.pk,
            "imports": batch.pk,
        },
        "document_id": str(document.pk),
        "item_id": "inventory",
        # Request bodies name these records, so that writes can succeed as well as fail.
        "body": {
            "person": person.pk,
            "tool": tool.pk,
            "people": [person.pk],
            "consents": [consent.pk],
            "ai_uses": [use.pk],
        },
    }


# Reviewing consents and attesting the checklist is legal's work; everything else the producer's.
LEGAL_OPERATIONS = (
    "/approve/",
    "/reject/",
    "/request-changes/",
    "/attestation/",
    "/sign-off/",
    "/assign/",
    "/coverage/",
)


# The tool catalogue's writes and decisions are curators'.
CURATOR_PATHS = ("/api/v1/tools/", "/api/v1/tool-proposals/")


def _role_for(case):
    if case.path.startswith(CURATOR_PATHS):
        return "curator"
    return "legal" if case.path.endswith(LEGAL_OPERATIONS) else "producer"


# The names of records in request bodies, pointed at the seeded ones.
SEEDED_IN_BODY = ("person", "tool", "people", "consents", "ai_uses")


def _point_at_seeded_records(case, seeded):
    if isinstance(case.body, dict):
        for name in SEEDED_IN_BODY:
            if name in case.body:
                case.body[name] = seeded["body"][name]
    parameters = case.path_parameters
    if not parameters:
        return
    if "production_id" in parameters:
        parameters["production_id"] = seeded["production_id"]
    if "organisation_id" in parameters:
        parameters["organisation_id"] = seeded["organisation_id"]
    if "document_id" in parameters:
        parameters["document_id"] = seeded["document_id"]
    if "item_id" in parameters:
        parameters["item_id"] = seeded["item_id"]
    if "id" in parameters:
        collection = case.path.split("/{id}")[0].rsplit("/", 1)[-1]
        if "{organisation_id}" in case.path:
            collection = f"organisation-{collection}"
        parameters["id"] = seeded["ids"][collection]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, seeded):
    if _sent_by_another(case):
        return
    _point_at_seeded_records(case, seeded)
    cache.clear()  # the per-user throttle would otherwise trip over the fuzzer's pace
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded[_role_for(case)]}"}, checks=CHECKS)


def test_each_request_of_the_coverage_phase_is_sent_once():
    shared = [senders for senders in SENDERS.values() if len(senders) > 1]
    assert shared, "no request is generated twice: nothing to share out"
    assert any({case.operation.method.upper() for case in senders} >= set(WRITES) for senders in shared)
    for senders in SENDERS.values():
        assert [case for case in senders if not _sent_by_another(case)] in ([case] for case in senders)
