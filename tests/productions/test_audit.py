"""The audit trail: every change through a service leaves one history entry saying who did what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from productions import catalogue, organisations, services
from productions.models import AITool, AIUse, Consent, Membership, Person
from productions.vocabularies import (
    ConsentKind,
    Department,
    DigitalSourceType,
    OutputType,
    Phase,
    ReviewState,
    Role,
    ToolKind,
)
from tests.factories import AIToolFactory, ConsentFactory, OrganisationMembershipFactory, PersonFactory, UserFactory
from tests.samples import PDF


def trail(model, pk):
    """The history entries of one record, oldest first, as (type, user, reason)."""
    return [
        (entry.history_type, entry.history_user, entry.history_change_reason)
        for entry in model.history.filter(id=pk).order_by("history_id")
    ]


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín")


def test_an_ai_use_is_audited_from_creation_to_deletion(production, producer):
    use = services.create_ai_use(
        actor=producer,
        production=production,
        phase=Phase.VFX,
        department=Department.VFX,
        title="Building collapse",
        output_type=OutputType.VIDEO,
        digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
    )
    services.update_ai_use(actor=producer, ai_use=use, is_final=True)
    pk = use.pk
    services.delete_ai_use(actor=producer, ai_use=use)

    assert [(kind, user) for kind, user, _ in trail(AIUse, pk)] == [
        ("+", producer),
        ("~", producer),
        ("-", producer),
    ]


def test_an_ai_use_with_people_is_one_entry_that_remembers_them(production, producer, performer):
    double = PersonFactory(production=production, name="Stunt double")

    use = services.create_ai_use(
        actor=producer,
        production=production,
        people=[performer, double],
        phase=Phase.VFX,
        department=Department.VFX,
        title="Face replacement on the stunt",
        output_type=OutputType.VIDEO,
        digital_source_type=DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
    )

    (entry,) = use.history.all()
    assert entry.history_type == "+"
    assert {row.person_id for row in entry.people.all()} == {performer.pk, double.pk}


def test_unlinking_people_is_remembered_in_the_next_entry(production, producer, performer):
    use = services.create_ai_use(
        actor=producer,
        production=production,
        people=[performer],
        phase=Phase.VOICE_DUBBING,
        department=Department.LOCALISATION,
        title="French dub, voice match",
        output_type=OutputType.AUDIO,
        digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
    )

    services.update_ai_use(actor=producer, ai_use=use, people=[])

    latest, first = use.history.all()[:2]
    assert [row.person_id for row in first.people.all()] == [performer.pk]
    assert list(latest.people.all()) == []


def test_a_consent_is_audited_through_its_review(producer, legal, performer):
    consent = services.create_consent(
        actor=producer,
        person=performer,
        kind=ConsentKind.DIGITAL_ALTERATION,
        scope_description="De-ageing in the flashbacks of episode 4.",
        separately_signed=True,
        signed_on=datetime.date(2026, 3, 1),
    )
    services.attach_consent_document(actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("s.pdf", PDF))
    services.submit_consent(actor=producer, consent=consent)
    services.approve_consent(actor=legal, consent=consent)
    services.revoke_consent(actor=legal, consent=consent, on=datetime.date(2026, 6, 1), reason="Withdrawn by letter.")

    assert trail(Consent, consent.pk) == [
        ("+", producer, "created"),
        ("~", producer, "document attached"),
        ("~", producer, "submitted"),
        ("~", legal, "approved"),
        ("~", legal, "revoked"),
    ]


def test_an_approval_names_what_changed(producer, legal, performer):
    consent = ConsentFactory(person=performer, review_state=ReviewState.SUBMITTED, signed_document=True)
    before = consent.history.latest()

    services.approve_consent(actor=legal, consent=consent)

    after = consent.history.latest()
    assert after.history_change_reason == "approved"
    delta = after.diff_against(before)
    assert {"review_state", "reviewed_by", "reviewed_at"} <= set(delta.changed_fields)
    change = next(c for c in delta.changes if c.field == "review_state")
    assert (change.old, change.new) == (ReviewState.SUBMITTED, ReviewState.APPROVED)


def test_new_terms_sending_a_consent_back_to_draft_say_so(producer, legal, performer):
    consent = ConsentFactory(person=performer, review_state=ReviewState.SUBMITTED, signed_document=True)
    services.approve_consent(actor=legal, consent=consent)

    services.update_consent(actor=producer, consent=consent, territory="Worldwide")

    entry = consent.history.latest()
    assert (entry.history_user, entry.history_change_reason) == (producer, "terms changed: back to draft")
    assert {"territory", "review_state", "reviewed_by"} <= set(entry.diff_against(entry.prev_record).changed_fields)


def test_a_deleted_draft_consent_leaves_its_trail(producer, performer):
    consent = services.create_consent(
        actor=producer,
        person=performer,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        scope_description="Voice for ADR.",
    )
    pk = consent.pk

    services.delete_consent(actor=producer, consent=consent)

    assert [(kind, user) for kind, user, _ in trail(Consent, pk)] == [("+", producer), ("-", producer)]


def test_a_person_is_audited(production, producer):
    person = services.create_person(actor=producer, production=production, name="Carla Peterson")
    services.update_person(actor=producer, person=person, role="Elena")
    pk = person.pk
    services.delete_person(actor=producer, person=person)

    assert [(kind, user) for kind, user, _ in trail(Person, pk)] == [
        ("+", producer),
        ("~", producer),
        ("-", producer),
    ]


def test_a_catalogue_tool_is_audited_with_its_reasons(curator):
    tool = catalogue.create_tool(
        actor=curator, reason="vendor page", vendor="ElevenLabs", product="Dubbing", kind=ToolKind.AUDIO_VOICE
    )
    catalogue.update_tool(actor=curator, tool=tool, reason="v2 released", model_version="v2")
    pk = tool.pk
    catalogue.delete_tool(actor=curator, tool=tool, reason="withdrawn by the vendor")

    assert trail(AITool, pk) == [
        ("+", curator, "vendor page"),
        ("~", curator, "v2 released"),
        ("-", curator, "withdrawn by the vendor"),
    ]


def test_a_membership_is_audited(production, producer):
    newcomer = OrganisationMembershipFactory(organisation=production.organisation).user
    membership = services.add_member(actor=producer, production=production, user=newcomer, role=Role.VIEWER)
    services.change_member_role(actor=producer, membership=membership, role=Role.LEGAL)
    pk = membership.pk
    services.remove_member(actor=producer, membership=membership)

    assert [(kind, user) for kind, user, _ in trail(Membership, pk)] == [
        ("+", producer),
        ("~", producer),
        ("-", producer),
    ]
    assert [entry.role for entry in Membership.history.filter(id=pk).order_by("history_id")] == [
        Role.VIEWER,
        Role.LEGAL,
        Role.LEGAL,
    ]


def test_starting_a_production_records_its_creator(db):
    founder = UserFactory(username="fatima")
    archive = organisations.create_organisation(actor=founder, name="Cinémathèque")

    production = services.create_production(
        actor=founder,
        organisation=archive,
        title="Restored classic",
        kind="feature",
        production_company="Cinémathèque",
        year=1962,
    )

    assert production.history.get().history_user == founder
    membership = production.memberships.get()
    assert trail(Membership, membership.pk) == [("+", founder, "creator")]


def test_a_refused_write_leaves_no_entry(production, viewer):
    tool = AIToolFactory()
    before = AITool.history.count()

    with pytest.raises(PermissionDenied):
        catalogue.update_tool(actor=viewer, tool=tool, reason="r", product="Renamed")

    assert AITool.history.count() == before


def test_the_history_manager_class_is_made_once_per_model():
    """django-simple-history would make a new manager class at every access, every audited save included."""
    from disclosure.models import Edition

    assert type(AIUse.history) is type(AIUse.history)
    assert type(Edition.history) is type(Edition.history)
    assert AIUse.history.model is not Edition.history.model
