"""Writing production records through the services: who may, what is refused, and what gets stored."""

import datetime
import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from productions import catalogue, organisations, services
from productions.models import (
    AITool,
    AIUse,
    Consent,
    CoverageDecision,
    LiteracyMeasure,
    Membership,
    Person,
    Production,
)
from productions.tasks import fingerprint_consent_document
from productions.vocabularies import (
    ConsentKind,
    ConsentMedium,
    CoverageDecisionKind,
    DeepFake,
    Department,
    DigitalSourceType,
    LiteracyMeasureKind,
    OutputType,
    PerformerUse,
    Phase,
    ProductionKind,
    ReviewState,
    Role,
    ToolKind,
    TrainingDataProvenance,
    Union,
)
from tests.factories import (
    AIToolFactory,
    AIUseFactory,
    ConsentFactory,
    LiteracyMeasureFactory,
    MembershipFactory,
    OrganisationMembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.samples import JPEG, PDF, PNG

MODELS = (Production, Membership, Person, AITool, AIUse, Consent, CoverageDecision, LiteracyMeasure)


def audit_trail_length():
    return sum(model.history.count() for model in MODELS)


def rows():
    return {model.__name__: model.objects.count() for model in MODELS}


def ai_use_fields(**overrides):
    fields = {
        "phase": Phase.VFX,
        "department": Department.VFX,
        "title": "Building collapse, Buenos Aires",
        "output_type": OutputType.VIDEO,
        "digital_source_type": DigitalSourceType.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
        "is_final": True,
    }
    return fields | overrides


@pytest.fixture
def performer(production):
    return PersonFactory(production=production, name="Ricardo Darín", role="Juan Salvo")


@pytest.fixture
def submitted_consent(performer):
    return ConsentFactory(person=performer, review_state=ReviewState.SUBMITTED, signed_document=True)


# Productions


def test_the_founder_of_an_organisation_starts_a_production_in_it_and_becomes_its_producer(db):
    founder = UserFactory(username="fatima")
    studio = organisations.create_organisation(actor=founder, name="K&S Films")

    production = services.create_production(
        actor=founder,
        organisation=studio,
        title="L'Éternaute",
        kind=ProductionKind.SERIES,
        production_company="K&S Films",
        year=2025,
        countries=["AR"],
    )

    assert production.memberships.get().user == founder
    assert production.memberships.get().role == Role.PRODUCER
    assert production.organisation == studio


def test_a_production_with_an_implausible_year_is_refused_and_nothing_is_written(db):
    founder = UserFactory(username="fatima")
    studio = organisations.create_organisation(actor=founder, name="Lumière")
    before = rows()

    with pytest.raises(ValidationError) as refused:
        services.create_production(
            actor=founder,
            organisation=studio,
            title="Too early",
            kind=ProductionKind.SHORT,
            production_company="Lumière",
            year=1800,
        )

    assert "year" in refused.value.message_dict
    assert rows() == before


def test_a_producer_updates_the_production(production, producer):
    services.update_production(actor=producer, production=production, cut="picture lock v3")

    production.refresh_from_db()
    assert production.cut == "picture lock v3"


def test_a_failed_production_update_writes_nothing(production, producer):
    trail = audit_trail_length()

    with pytest.raises(ValidationError) as refused:
        services.update_production(actor=producer, production=production, title="")

    assert "title" in refused.value.message_dict
    production.refresh_from_db()
    assert production.title == "El Eternauta"
    assert audit_trail_length() == trail


# Members


def test_a_producer_puts_a_member_of_the_organisation_on_the_production(production, producer):
    newcomer = OrganisationMembershipFactory(organisation=production.organisation, user__username="nina").user

    membership = services.add_member(actor=producer, production=production, user=newcomer, role=Role.LEGAL)

    assert membership.role == Role.LEGAL
    assert production.memberships.filter(user=newcomer).exists()


def test_someone_outside_the_organisation_is_not_added_directly(production, producer):
    with pytest.raises(ValidationError) as refused:
        services.add_member(actor=producer, production=production, user=UserFactory(), role=Role.VIEWER)

    assert "invite them" in refused.value.message_dict["user"][0]
    assert production.memberships.count() == 1


def test_a_user_cannot_be_added_twice(production, producer, viewer):
    with pytest.raises(ValidationError) as refused:
        services.add_member(actor=producer, production=production, user=viewer, role=Role.LEGAL)

    assert "user" in refused.value.message_dict
    assert production.memberships.get(user=viewer).role == Role.VIEWER


def test_an_unknown_role_is_refused(production, producer):
    with pytest.raises(ValidationError) as refused:
        services.add_member(
            actor=producer,
            production=production,
            user=OrganisationMembershipFactory(organisation=production.organisation).user,
            role="director",
        )

    assert "role" in refused.value.message_dict


def test_a_producer_changes_a_member_role(production, producer, viewer):
    membership = production.memberships.get(user=viewer)

    services.change_member_role(actor=producer, membership=membership, role=Role.LEGAL)

    membership.refresh_from_db()
    assert membership.role == Role.LEGAL


def test_the_last_producer_cannot_step_down(production, producer):
    membership = production.memberships.get(user=producer)

    with pytest.raises(ValidationError) as refused:
        services.change_member_role(actor=producer, membership=membership, role=Role.VIEWER)

    assert refused.value.message_dict["role"] == ["A production keeps at least one producer."]
    membership.refresh_from_db()
    assert membership.role == Role.PRODUCER


def test_a_producer_steps_down_once_another_producer_is_there(production, producer):
    MembershipFactory(production=production, role=Role.PRODUCER)
    membership = production.memberships.get(user=producer)

    services.change_member_role(actor=producer, membership=membership, role=Role.VIEWER)

    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_a_producer_removes_a_member(production, producer, viewer):
    services.remove_member(actor=producer, membership=production.memberships.get(user=viewer))

    assert not production.memberships.filter(user=viewer).exists()


def test_the_last_producer_cannot_be_removed(production, producer):
    with pytest.raises(ValidationError, match="at least one producer"):
        services.remove_member(actor=producer, membership=production.memberships.get(user=producer))

    assert production.memberships.filter(user=producer).exists()


# People


def test_a_producer_records_updates_and_deletes_a_person(production, producer):
    person = services.create_person(
        actor=producer,
        production=production,
        name="César Troncoso",
        role="Favalli",
        union=Union.OTHER,
        union_other="Sindicato Argentino de Actores",
    )
    assert person.production == production

    services.update_person(actor=producer, person=person, deceased=True, representative_contact="Estate of C.T.")
    person.refresh_from_db()
    assert person.deceased

    services.delete_person(actor=producer, person=person)
    assert not Person.objects.filter(pk=person.pk).exists()


def test_a_person_in_another_union_must_name_it(production, producer):
    with pytest.raises(ValidationError):
        services.create_person(actor=producer, production=production, name="Andrea Pietra", union=Union.OTHER)

    assert not production.people.exists()


def test_a_person_with_a_consent_is_not_deleted(producer, performer):
    ConsentFactory(person=performer)

    with pytest.raises(ValidationError, match="remove those links first"):
        services.delete_person(actor=producer, person=performer)

    assert Person.objects.filter(pk=performer.pk).exists()


def test_a_person_depicted_in_an_ai_use_is_not_deleted(production, producer, performer):
    AIUseFactory(production=production, people=[performer])

    with pytest.raises(ValidationError, match="remove those links first"):
        services.delete_person(actor=producer, person=performer)

    assert Person.objects.filter(pk=performer.pk).exists()


# The tool catalogue (the curated catalogue's own tests: tests/productions/test_catalogue.py)


def test_a_curator_maintains_the_shared_catalogue_with_a_reason_for_each_change(curator):
    tool = catalogue.create_tool(
        actor=curator,
        reason="vendor's model card",
        vendor="Runway",
        product="Gen-4",
        kind=ToolKind.VIDEO,
        general_purpose_model=True,
        training_data_provenance=[TrainingDataProvenance.LICENSED, TrainingDataProvenance.SCRAPED_WEB],
    )

    catalogue.update_tool(actor=curator, tool=tool, reason="release notes", model_version="4.1")
    tool.refresh_from_db()
    assert tool.model_version == "4.1"

    catalogue.delete_tool(actor=curator, tool=tool, reason="duplicate entry")
    assert not AITool.objects.filter(pk=tool.pk).exists()


@pytest.mark.parametrize("role", ["producer", "legal", "viewer", "outsider"])
def test_only_curators_maintain_the_shared_catalogue(request, role):
    user = request.getfixturevalue(role)
    tool = AIToolFactory(product="Gen-3")

    with pytest.raises(PermissionDenied):
        catalogue.create_tool(actor=user, reason="r", vendor="Runway", product="Gen-4", kind=ToolKind.VIDEO)
    with pytest.raises(PermissionDenied):
        catalogue.update_tool(actor=user, tool=tool, reason="r", product="Gen-3 Alpha")
    with pytest.raises(PermissionDenied):
        catalogue.delete_tool(actor=user, tool=tool, reason="r")

    tool.refresh_from_db()
    assert tool.product == "Gen-3"
    assert list(AITool.objects.all()) == [tool]


def test_a_user_of_no_production_cannot_touch_the_catalogue(db):
    with pytest.raises(PermissionDenied):
        catalogue.create_tool(actor=UserFactory(), reason="r", vendor="Runway", product="Gen-4", kind=ToolKind.VIDEO)


def test_a_tool_recorded_in_an_ai_use_stays_in_the_catalogue(production, curator):
    use = AIUseFactory(production=production)

    with pytest.raises(ValidationError, match="stays in the catalogue"):
        catalogue.delete_tool(actor=curator, tool=use.tool, reason="unused")

    assert AITool.objects.filter(pk=use.tool_id).exists()


def test_the_same_model_version_is_catalogued_once(curator):
    AIToolFactory(vendor="Runway", product="Gen-4", model_name="", model_version="")

    with pytest.raises(ValidationError):
        catalogue.create_tool(actor=curator, reason="r", vendor="Runway", product="Gen-4", kind=ToolKind.VIDEO)

    assert AITool.objects.count() == 1


# AI uses


def test_a_producer_records_an_ai_use_with_the_people_and_consents_it_relies_on(production, producer, performer):
    consent = ConsentFactory(person=performer)
    tool = AIToolFactory()

    use = services.create_ai_use(
        actor=producer,
        production=production,
        people=[performer],
        consents=[consent],
        **ai_use_fields(tool=tool, external_id="001", timecode_in="01:02:03:04", timecode_out="01:02:05:00"),
    )

    use.refresh_from_db()
    assert use.production == production
    assert use.external_id == "001"
    assert list(use.people.all()) == [performer]
    assert list(use.consents.all()) == [consent]


def test_a_producer_updates_and_deletes_an_ai_use(production, producer, performer):
    use = AIUseFactory(production=production, people=[performer])

    services.update_ai_use(actor=producer, ai_use=use, deep_fake=DeepFake.YES, people=[])
    use.refresh_from_db()
    assert use.deep_fake == DeepFake.YES
    assert not use.people.exists()

    services.delete_ai_use(actor=producer, ai_use=use)
    assert not AIUse.objects.filter(pk=use.pk).exists()


def test_an_update_without_relations_keeps_them(production, producer, performer):
    consent = ConsentFactory(person=performer)
    use = AIUseFactory(production=production, people=[performer], consents=[consent])

    services.update_ai_use(actor=producer, ai_use=use, title="Collapse, second take")

    assert list(use.people.all()) == [performer]
    assert list(use.consents.all()) == [consent]


def test_people_and_consents_of_another_production_are_refused(production, producer, outsider):
    stranger = PersonFactory(production=outsider.memberships.get().production)
    strangers_consent = ConsentFactory(person=stranger)
    before = rows()

    with pytest.raises(ValidationError) as refused:
        services.create_ai_use(
            actor=producer, production=production, people=[stranger], consents=[strangers_consent], **ai_use_fields()
        )

    assert set(refused.value.message_dict) == {"people", "consents"}
    assert rows() == before


def test_an_update_linking_someone_elses_person_changes_nothing(production, producer, outsider):
    use = AIUseFactory(production=production, title="Snowfall")
    stranger = PersonFactory(production=outsider.memberships.get().production)
    trail = audit_trail_length()

    with pytest.raises(ValidationError) as refused:
        services.update_ai_use(actor=producer, ai_use=use, title="Toxic snowfall", people=[stranger])

    assert "people" in refused.value.message_dict
    use.refresh_from_db()
    assert use.title == "Snowfall"
    assert not use.people.exists()
    assert audit_trail_length() == trail


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"frame_in": 1200, "frame_out": 1100}, "frame_out"),
        ({"timecode_in": "1:02:03"}, "timecode_in"),
        ({"timecode_in": "01:02:03:04", "timecode_out": "01:00:00:00"}, "timecode_out"),
        ({"output_type": OutputType.TEXT, "deep_fake": DeepFake.YES}, "deep_fake"),
        ({"phase": "catering"}, "phase"),
    ],
    ids=["frames-reversed", "bad-timecode", "timecodes-reversed", "text-deep-fake", "unknown-phase"],
)
def test_an_invalid_ai_use_is_refused_with_the_field_named_and_nothing_written(
    production, producer, performer, fields, field
):
    before, trail = rows(), audit_trail_length()

    with pytest.raises(ValidationError) as refused:
        services.create_ai_use(actor=producer, production=production, people=[performer], **ai_use_fields(**fields))

    assert field in refused.value.message_dict
    assert rows() == before
    assert audit_trail_length() == trail


def test_an_invalid_update_leaves_the_ai_use_as_it_was(production, producer):
    use = AIUseFactory(production=production, frame_in=100, frame_out=200)
    trail = audit_trail_length()

    with pytest.raises(ValidationError) as refused:
        services.update_ai_use(actor=producer, ai_use=use, frame_out=50)

    assert "frame_out" in refused.value.message_dict
    use.refresh_from_db()
    assert use.frame_out == 200
    assert audit_trail_length() == trail


def test_tracker_ids_are_text_and_unique_within_a_production(production, producer, outsider):
    services.create_ai_use(actor=producer, production=production, **ai_use_fields(external_id="001"))

    # "001" and "1" are different shots in a tracker.
    services.create_ai_use(actor=producer, production=production, **ai_use_fields(external_id="1"))
    services.create_ai_use(
        actor=outsider, production=outsider.memberships.get().production, **ai_use_fields(external_id="001")
    )
    with pytest.raises(ValidationError):
        services.create_ai_use(actor=producer, production=production, **ai_use_fields(external_id="001"))

    assert sorted(production.ai_uses.values_list("external_id", flat=True)) == ["001", "1"]


# Consents and their review


def test_a_producer_records_a_consent_as_a_draft(producer, performer):
    consent = services.create_consent(
        actor=producer,
        person=performer,
        kind=ConsentKind.DIGITAL_ALTERATION,
        scope_description="De-ageing in the 1950s flashbacks of episode 4, series release only.",
        separately_signed=True,
    )

    assert consent.review_state == ReviewState.DRAFT
    assert consent.person == performer


def test_a_deceased_persons_consent_names_the_post_mortem_authority(production, producer):
    late_actor = PersonFactory(production=production, deceased=True)

    with pytest.raises(ValidationError) as refused:
        services.create_consent(
            actor=producer, person=late_actor, kind=ConsentKind.INDEPENDENT_REPLICA, scope_description="Cameo."
        )

    assert "post_mortem_authority" in refused.value.message_dict
    assert not Consent.objects.exists()


def test_a_scan_needs_48_hours_notice(producer, performer):
    with pytest.raises(ValidationError) as refused:
        services.create_consent(
            actor=producer,
            person=performer,
            kind=ConsentKind.EMPLOYMENT_REPLICA,
            scope_description="Full-body scan for the crowd replica of reel 2.",
            scan_notice_on=datetime.date(2026, 3, 10),
            scan_on=datetime.date(2026, 3, 11),
        )

    assert "scan_notice_on" in refused.value.message_dict


def test_a_consent_goes_to_review_only_once_signed(producer, performer):
    consent = ConsentFactory(person=performer, signed_on=None)
    trail = audit_trail_length()

    with pytest.raises(ValidationError) as refused:
        services.submit_consent(actor=producer, consent=consent)

    assert "signed_on" in refused.value.message_dict
    consent.refresh_from_db()
    assert consent.review_state == ReviewState.DRAFT
    assert audit_trail_length() == trail


def test_legal_approves_a_submitted_consent(producer, legal, performer):
    consent = ConsentFactory(person=performer)

    services.attach_consent_document(actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("s.pdf", PDF))
    services.submit_consent(actor=producer, consent=consent)
    services.approve_consent(actor=legal, consent=consent)

    consent.refresh_from_db()
    assert consent.review_state == ReviewState.APPROVED
    assert consent.reviewed_by == legal
    assert consent.reviewed_at is not None


def test_a_producer_cannot_approve(producer, submitted_consent):
    with pytest.raises(PermissionDenied):
        services.approve_consent(actor=producer, consent=submitted_consent)

    submitted_consent.refresh_from_db()
    assert submitted_consent.review_state == ReviewState.SUBMITTED


@pytest.mark.parametrize("service", [services.reject_consent, services.request_consent_changes])
@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_refusal_says_why(legal, submitted_consent, service, reason):
    with pytest.raises(ValidationError) as refused:
        service(actor=legal, consent=submitted_consent, reason=reason)

    assert "review_reason" in refused.value.message_dict
    submitted_consent.refresh_from_db()
    assert submitted_consent.review_state == ReviewState.SUBMITTED


def test_legal_rejects_with_a_reason(legal, submitted_consent):
    services.reject_consent(actor=legal, consent=submitted_consent, reason="  The scope names no scenes.  ")

    submitted_consent.refresh_from_db()
    assert submitted_consent.review_state == ReviewState.REJECTED
    assert submitted_consent.review_reason == "The scope names no scenes."
    assert submitted_consent.reviewed_by == legal


def test_changes_requested_then_resubmitted_clears_the_review(producer, legal, submitted_consent):
    services.request_consent_changes(actor=legal, consent=submitted_consent, reason="Add the territory.")
    submitted_consent.refresh_from_db()
    assert submitted_consent.review_state == ReviewState.CHANGES_REQUESTED

    services.update_consent(actor=producer, consent=submitted_consent, territory="Worldwide")
    services.submit_consent(actor=producer, consent=submitted_consent)

    submitted_consent.refresh_from_db()
    assert submitted_consent.review_state == ReviewState.SUBMITTED
    assert submitted_consent.reviewed_by is None
    assert submitted_consent.reviewed_at is None


@pytest.mark.parametrize(
    ("state", "transition"),
    [
        (ReviewState.DRAFT, "approve"),
        (ReviewState.DRAFT, "reject"),
        (ReviewState.DRAFT, "request_changes"),
        (ReviewState.SUBMITTED, "submit"),
        (ReviewState.APPROVED, "submit"),
        (ReviewState.REJECTED, "submit"),
    ],
)
def test_illegal_transitions_are_refused(producer, legal, performer, state, transition):
    decided = state in {ReviewState.APPROVED, ReviewState.REJECTED, ReviewState.CHANGES_REQUESTED}
    consent = ConsentFactory(
        person=performer,
        review_state=state,
        review_reason="Earlier decision." if decided else "",
        reviewed_by=legal if decided else None,
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC) if decided else None,
    )
    act = {
        "submit": lambda: services.submit_consent(actor=producer, consent=consent),
        "approve": lambda: services.approve_consent(actor=legal, consent=consent),
        "reject": lambda: services.reject_consent(actor=legal, consent=consent, reason="No."),
        "request_changes": lambda: services.request_consent_changes(actor=legal, consent=consent, reason="More."),
    }[transition]

    with pytest.raises(ValidationError, match="cannot go to"):
        act()

    consent.refresh_from_db()
    assert consent.review_state == state


def test_new_terms_on_an_approved_consent_send_it_back_to_draft(producer, legal, submitted_consent):
    services.approve_consent(actor=legal, consent=submitted_consent)

    services.update_consent(actor=producer, consent=submitted_consent, territory="Worldwide")

    submitted_consent.refresh_from_db()
    assert submitted_consent.review_state == ReviewState.DRAFT
    assert submitted_consent.reviewed_by is None
    assert submitted_consent.reviewed_at is None
    assert submitted_consent.territory == "Worldwide"


def test_saving_an_approved_consent_unchanged_keeps_the_approval(legal, submitted_consent):
    services.approve_consent(actor=legal, consent=submitted_consent)

    services.update_consent(actor=legal, consent=submitted_consent, territory=submitted_consent.territory)

    submitted_consent.refresh_from_db()
    assert submitted_consent.review_state == ReviewState.APPROVED
    assert submitted_consent.reviewed_by == legal


def test_a_revocation_is_dated_and_then_the_consent_is_kept_as_it_was(producer, legal, submitted_consent):
    services.approve_consent(actor=legal, consent=submitted_consent)

    services.revoke_consent(
        actor=legal, consent=submitted_consent, on=datetime.date(2026, 5, 4), reason="Withdrawn by letter."
    )

    submitted_consent.refresh_from_db()
    assert submitted_consent.revoked_on == datetime.date(2026, 5, 4)
    signed_document = submitted_consent.document.name
    refused_edits = [
        lambda: services.update_consent(actor=producer, consent=submitted_consent, territory="Worldwide"),
        lambda: services.submit_consent(actor=producer, consent=submitted_consent),
        lambda: services.reject_consent(actor=legal, consent=submitted_consent, reason="Too late."),
        lambda: services.revoke_consent(
            actor=legal, consent=submitted_consent, on=datetime.date(2026, 6, 1), reason="Again."
        ),
        lambda: services.attach_consent_document(
            actor=producer, consent=submitted_consent, uploaded_file=SimpleUploadedFile("x.pdf", PDF)
        ),
    ]
    for edit in refused_edits:
        with pytest.raises(ValidationError, match="revoked consent is kept as it was"):
            edit()
    submitted_consent.refresh_from_db()
    assert submitted_consent.revoked_on == datetime.date(2026, 5, 4)
    assert submitted_consent.territory == ""
    assert submitted_consent.document.name == signed_document


def test_a_revocation_needs_a_date_after_the_signature(producer, performer):
    consent = ConsentFactory(person=performer, signed_on=datetime.date(2026, 3, 1))

    with pytest.raises(ValidationError) as without_date:
        services.revoke_consent(actor=producer, consent=consent, on=None, reason="Withdrawn by letter.")
    with pytest.raises(ValidationError) as before_signature:
        services.revoke_consent(
            actor=producer, consent=consent, on=datetime.date(2026, 2, 1), reason="Withdrawn by letter."
        )

    assert "revoked_on" in without_date.value.message_dict
    assert "revoked_on" in before_signature.value.message_dict
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_an_unreferenced_draft_can_be_deleted(producer, performer):
    consent = ConsentFactory(person=performer)

    services.delete_consent(actor=producer, consent=consent)

    assert not Consent.objects.filter(pk=consent.pk).exists()


def test_a_reviewed_consent_is_not_deleted(producer, submitted_consent):
    with pytest.raises(ValidationError, match="revoke the consent instead"):
        services.delete_consent(actor=producer, consent=submitted_consent)

    assert Consent.objects.filter(pk=submitted_consent.pk).exists()


def test_a_draft_an_ai_use_relies_on_is_not_deleted(production, producer, performer):
    consent = ConsentFactory(person=performer)
    AIUseFactory(production=production, people=[performer], consents=[consent])

    with pytest.raises(ValidationError, match="revoke the consent instead"):
        services.delete_consent(actor=producer, consent=consent)

    assert Consent.objects.filter(pk=consent.pk).exists()


# Signed consent documents


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("signed.pdf", PDF, "application/pdf"), ("scan.jpg", JPEG, "image/jpeg"), ("scan.PNG", PNG, "image/png")],
)
def test_a_signed_document_is_recognised_by_its_content(producer, performer, name, content, content_type):
    consent = ConsentFactory(person=performer)

    services.attach_consent_document(actor=producer, consent=consent, uploaded_file=SimpleUploadedFile(name, content))

    consent.refresh_from_db()
    assert consent.document_content_type == content_type
    assert consent.document_size == len(content)
    assert consent.document.read() == content


def test_a_text_file_named_like_a_pdf_is_refused(producer, performer):
    consent = ConsentFactory(person=performer)
    trail = audit_trail_length()

    with pytest.raises(ValidationError) as refused:
        services.attach_consent_document(
            actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("x.pdf", b"I agree to everything.")
        )

    assert "document" in refused.value.message_dict
    consent.refresh_from_db()
    assert not consent.document
    assert audit_trail_length() == trail


def test_an_oversize_document_is_refused(settings, producer, performer):
    settings.CONSENT_DOCUMENT_MAX_BYTES = 1024
    consent = ConsentFactory(person=performer)

    with pytest.raises(ValidationError) as refused:
        services.attach_consent_document(
            actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("big.pdf", PDF + b"0" * 1024)
        )

    assert "document" in refused.value.message_dict
    consent.refresh_from_db()
    assert not consent.document


def test_a_signed_document_is_fingerprinted_once_the_upload_commits(
    producer, performer, django_capture_on_commit_callbacks
):
    consent = ConsentFactory(person=performer)

    with django_capture_on_commit_callbacks(execute=True):
        services.attach_consent_document(
            actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("signed.pdf", PDF)
        )

    consent.refresh_from_db()
    assert consent.document_sha256 == hashlib.sha256(PDF).hexdigest()
    # Never a public link: the file leaves only through the permission-checked download view.
    with pytest.raises(ValueError, match="private file"):
        _ = consent.document.url


def test_a_signed_document_is_stored_privately(settings, producer, performer):
    consent = ConsentFactory(person=performer)

    services.attach_consent_document(actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("s.pdf", PDF))

    stored = Path(consent.document.path).resolve()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_a_new_document_on_a_reviewed_consent_reopens_it(producer, legal, submitted_consent):
    services.approve_consent(actor=legal, consent=submitted_consent)

    services.attach_consent_document(
        actor=producer, consent=submitted_consent, uploaded_file=SimpleUploadedFile("signed.pdf", PDF)
    )

    submitted_consent.refresh_from_db()
    assert submitted_consent.review_state == ReviewState.DRAFT
    assert submitted_consent.reviewed_by is None


def test_a_replaced_document_keeps_the_fingerprint_of_the_newer_one(
    producer, performer, django_capture_on_commit_callbacks
):
    consent = ConsentFactory(person=performer)
    services.attach_consent_document(actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    first_name = consent.document.name
    newer = PDF + b"% countersigned\n"
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_consent_document(
            actor=producer, consent=consent, uploaded_file=SimpleUploadedFile("b.pdf", newer)
        )

    # A late run for the first upload finds its file replaced and changes nothing.
    assert fingerprint_consent_document(consent.pk, first_name) is None

    consent.refresh_from_db()
    assert consent.document_sha256 == hashlib.sha256(newer).hexdigest()


# AI literacy measures


def test_a_producer_records_updates_and_deletes_a_literacy_measure(production, producer):
    measure = services.create_literacy_measure(
        actor=producer,
        production=production,
        held_on=datetime.date(2025, 1, 20),
        kind=LiteracyMeasureKind.WORKSHOP,
        description="Generative tools in VFX: limits, marking and consent.",
        departments=[Department.VFX, Department.EDITORIAL],
        participants=14,
    )
    assert list(production.literacy_measures.all()) == [measure]

    services.update_literacy_measure(actor=producer, measure=measure, participants=16)
    measure.refresh_from_db()
    assert measure.participants == 16

    services.delete_literacy_measure(actor=producer, measure=measure)
    assert not production.literacy_measures.exists()


def test_a_literacy_measure_names_its_departments(production, producer):
    with pytest.raises(ValidationError) as refused:
        services.create_literacy_measure(
            actor=producer,
            production=production,
            held_on=datetime.date(2025, 1, 20),
            kind=LiteracyMeasureKind.BRIEFING,
            description="Briefing.",
            departments=[],
        )

    assert "departments" in refused.value.message_dict
    assert not LiteracyMeasure.objects.exists()


# Who may write what


@pytest.fixture
def records(production, performer, legal):
    """One of everything on `production`, in the state each write expects."""
    submitted = ConsentFactory(
        person=performer,
        kind=ConsentKind.INDEPENDENT_REPLICA,
        covers_voice=True,
        covers_likeness=False,
        review_state=ReviewState.SUBMITTED,
        signed_document=True,
    )
    return SimpleNamespace(
        production=production,
        person=performer,
        bystander=PersonFactory(production=production, name="Bystander"),
        draft=ConsentFactory(person=performer),
        submitted=submitted,
        ai_use=AIUseFactory(production=production),
        relying=AIUseFactory(
            production=production,
            performer_use=PerformerUse.VOICE_CLONE,
            people=[performer],
            consents=[submitted],
            coverage=False,
        ),
        measure=LiteracyMeasureFactory(production=production),
        crew=MembershipFactory(production=production, role=Role.VIEWER),
        reviewer=legal,
    )


WRITES = {
    "update_production": lambda actor, r: services.update_production(actor=actor, production=r.production, cut="v9"),
    "add_member": lambda actor, r: services.add_member(
        actor=actor,
        production=r.production,
        user=OrganisationMembershipFactory(organisation=r.production.organisation).user,
        role=Role.LEGAL,
    ),
    "change_member_role": lambda actor, r: services.change_member_role(actor=actor, membership=r.crew, role=Role.LEGAL),
    "remove_member": lambda actor, r: services.remove_member(actor=actor, membership=r.crew),
    "create_person": lambda actor, r: services.create_person(actor=actor, production=r.production, name="Extra"),
    "update_person": lambda actor, r: services.update_person(actor=actor, person=r.person, name="Renamed"),
    "delete_person": lambda actor, r: services.delete_person(actor=actor, person=r.bystander),
    "create_ai_use": lambda actor, r: services.create_ai_use(actor=actor, production=r.production, **ai_use_fields()),
    "update_ai_use": lambda actor, r: services.update_ai_use(actor=actor, ai_use=r.ai_use, title="Renamed"),
    "delete_ai_use": lambda actor, r: services.delete_ai_use(actor=actor, ai_use=r.ai_use),
    "create_literacy_measure": lambda actor, r: services.create_literacy_measure(
        actor=actor,
        production=r.production,
        held_on=datetime.date(2025, 2, 1),
        kind=LiteracyMeasureKind.GUIDANCE,
        description="Written AI policy.",
        departments=[Department.ART],
    ),
    "update_literacy_measure": lambda actor, r: services.update_literacy_measure(
        actor=actor, measure=r.measure, participants=3
    ),
    "delete_literacy_measure": lambda actor, r: services.delete_literacy_measure(actor=actor, measure=r.measure),
    "create_consent": lambda actor, r: services.create_consent(
        actor=actor, person=r.person, kind=ConsentKind.EMPLOYMENT_REPLICA, scope_description="Crowd replica."
    ),
    "update_consent": lambda actor, r: services.update_consent(
        actor=actor, consent=r.draft, media=[ConsentMedium.STREAMING]
    ),
    "submit_consent": lambda actor, r: services.submit_consent(actor=actor, consent=r.draft),
    "revoke_consent": lambda actor, r: services.revoke_consent(
        actor=actor, consent=r.draft, on=datetime.date(2026, 4, 1), reason="Withdrawn by letter."
    ),
    "attach_consent_document": lambda actor, r: services.attach_consent_document(
        actor=actor, consent=r.draft, uploaded_file=SimpleUploadedFile("signed.pdf", PDF)
    ),
    "delete_consent": lambda actor, r: services.delete_consent(actor=actor, consent=r.draft),
    "approve_consent": lambda actor, r: services.approve_consent(actor=actor, consent=r.submitted),
    "reject_consent": lambda actor, r: services.reject_consent(actor=actor, consent=r.submitted, reason="No."),
    "request_consent_changes": lambda actor, r: services.request_consent_changes(
        actor=actor, consent=r.submitted, reason="More detail."
    ),
    "assign_review": lambda actor, r: services.assign_review(
        actor=actor, consent=r.submitted, assignee=r.reviewer, due_on=datetime.date(2026, 4, 1)
    ),
    "decide_coverage": lambda actor, r: services.decide_coverage(
        actor=actor, consent=r.submitted, ai_uses=[r.relying], decision=CoverageDecisionKind.COVERS
    ),
}
REVIEWS = {"approve_consent", "reject_consent", "request_consent_changes", "assign_review", "decide_coverage"}
CONSENT_EDITS = {
    "create_consent", "update_consent", "submit_consent", "revoke_consent", "attach_consent_document",
    "delete_consent",
}  # fmt: skip
PRODUCER_ONLY = set(WRITES) - REVIEWS - CONSENT_EDITS

# Who is refused each write, by role on the production (roles.CAPABILITIES).
REFUSED_ROLES = (
    [(write, "viewer") for write in WRITES]
    + [(write, "legal") for write in sorted(PRODUCER_ONLY)]
    + [(write, "producer") for write in sorted(REVIEWS)]
)


@pytest.mark.parametrize(("write", "role"), REFUSED_ROLES)
def test_a_member_whose_role_does_not_allow_a_write_is_refused(request, records, write, role):
    actor = request.getfixturevalue(role)
    before, trail = rows(), audit_trail_length()

    with pytest.raises(PermissionDenied):
        WRITES[write](actor, records)

    assert rows() == before
    assert audit_trail_length() == trail


@pytest.mark.parametrize("write", WRITES)
def test_an_outsider_is_told_the_production_does_not_exist(outsider, records, write):
    before, trail = rows(), audit_trail_length()

    with pytest.raises(Http404):
        WRITES[write](outsider, records)

    assert rows() == before
    assert audit_trail_length() == trail


@pytest.mark.parametrize(
    ("write", "role"),
    [(write, "producer") for write in sorted(PRODUCER_ONLY | CONSENT_EDITS)]
    + [(write, "legal") for write in sorted(CONSENT_EDITS | REVIEWS)],
)
def test_a_member_whose_role_allows_a_write_makes_it(request, records, write, role):
    actor = request.getfixturevalue(role)
    trail = audit_trail_length()

    WRITES[write](actor, records)

    assert audit_trail_length() > trail
