"""Every write to production records: checked against the actor's role, validated, audited, atomic.

Services raise Http404 when the actor is not a member of the production, PermissionDenied
when their role does not allow the change, and ValidationError (with field messages) when
the data is wrong. Forms and the API call these and nothing else to write.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from productions import document_checks
from productions.audit import delete_audited, save_audited
from productions.conflicts import decision_conflict, lock, next_version
from productions.models import (
    AIUse,
    Consent,
    LiteracyMeasure,
    Membership,
    OrganisationMembership,
    Person,
    Production,
)
from productions.organisations import ensure_may_create_productions
from productions.roles import Capability, require
from productions.vocabularies import ReviewState, Role

PRODUCTION_FIELDS = {
    "title", "original_title", "kind", "production_company", "countries", "year",
    "eu_release_date", "cut", "contact_point", "screenplay_credit", "screenplay_human_authored",
    "performances_by_humans", "evidently_artistic", "principal_photography_start", "principal_photography_end",
    "company_size", "signatory",
}  # fmt: skip
PERSON_FIELDS = {"name", "role", "union", "union_other", "representative_contact", "deceased"}
TOOL_FIELDS = {
    "vendor", "product", "model_name", "model_version", "kind", "general_purpose_model", "our_role",
    "vendor_trains_on_inputs", "vendor_retains_inputs", "training_data_provenance", "training_data_notes",
    "training_content_summary_url", "copyright_policy_url", "honours_tdm_opt_out", "output_marking",
    "on_market_since",
}  # fmt: skip
AI_USE_FIELDS = {
    "phase", "department", "title", "description", "shots", "timecode_in", "timecode_out", "frame_in",
    "frame_out", "external_id", "used_from", "used_until", "tool", "output_type", "digital_source_type",
    "is_final", "human_contribution", "performer_use", "deep_fake", "disclosure_method", "published_in",
    "inputs_description", "inputs_rights", "biometric_data", "emotion_recognition", "purpose",
    "biometric_categorisation", "sensitive_traits_inferred", "untargeted_face_scraping", "people_informed",
    "intimate_imagery", "screens_casting_or_hiring", "public_interest_text", "human_editorial_responsibility",
    "marking_kept_in_master", "handed_to_writers", "writers_informed",
}  # fmt: skip
CONSENT_TERMS = {
    "kind", "scope_description", "separately_signed", "signed_on", "scan_notice_on", "scan_on", "media",
    "territory", "expires_on", "compensation", "covers_voice", "gdpr_explicit_consent", "dpia_reference",
    "intimate_imagery_consent", "intimate_imagery_description", "post_mortem_authority",
}  # fmt: skip
LITERACY_FIELDS = {"held_on", "kind", "description", "departments", "participants"}

# Signed documents are recognised by their first bytes: (content type, stored suffix).
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}


def _assign(instance, fields, allowed):
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{type(instance).__name__} does not accept {sorted(unknown)} here")
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name, value in fields.items():
        setattr(instance, name, value)
    return changed


def _validated(instance, exclude=None):
    instance.full_clean(exclude=exclude)
    return instance


# Productions and members


@transaction.atomic
def create_production(*, actor, organisation, **fields):
    """Start a production in an organisation, as its policy allows (404 outside it, 403 when not allowed).

    The actor becomes its first producer.
    """
    ensure_may_create_productions(actor, organisation)
    production = Production(organisation=organisation)
    _assign(production, fields, PRODUCTION_FIELDS)
    save_audited(_validated(production), actor, reason="created")
    save_audited(Membership(production=production, user=actor, role=Role.PRODUCER), actor, reason="creator")
    return production


@transaction.atomic
def update_production(*, actor, production, **fields):
    require(actor, production.id, Capability.EDIT_PRODUCTION)
    _assign(production, fields, PRODUCTION_FIELDS)
    return save_audited(_validated(production), actor)


def _ensure_a_producer_remains(membership, new_role=None):
    if membership.role != Role.PRODUCER or new_role == Role.PRODUCER:
        return
    # Locking the producers' rows stops two producers from demoting each other at the same moment.
    producers = Membership.objects.select_for_update().filter(
        production_id=membership.production_id, role=Role.PRODUCER
    )
    if not [m for m in producers if m.pk != membership.pk]:
        raise ValidationError({"role": _("A production keeps at least one producer.")})


@transaction.atomic
def add_member(*, actor, production, user, role):
    require(actor, production.id, Capability.MANAGE_MEMBERS)
    # Newcomers arrive through an invitation (productions.organisations.invite), which makes them members of the
    # organisation; only its members can be put on one of its productions directly.
    if not OrganisationMembership.objects.filter(organisation_id=production.organisation_id, user=user).exists():
        raise ValidationError(
            {"user": _("%(user)s is not a member of this organisation: invite them.") % {"user": user}}
        )
    if Membership.objects.filter(production=production, user=user).exists():
        raise ValidationError({"user": _("%(user)s is already a member of this production.") % {"user": user}})
    membership = Membership(production=production, user=user, role=role)
    return save_audited(_validated(membership), actor)


@transaction.atomic
def change_member_role(*, actor, membership, role):
    require(actor, membership.production_id, Capability.MANAGE_MEMBERS)
    _ensure_a_producer_remains(membership, new_role=role)
    membership.role = role
    return save_audited(_validated(membership), actor)


@transaction.atomic
def remove_member(*, actor, membership):
    require(actor, membership.production_id, Capability.MANAGE_MEMBERS)
    _ensure_a_producer_remains(membership)
    delete_audited(membership, actor)


# People


@transaction.atomic
def create_person(*, actor, production, **fields):
    require(actor, production.id, Capability.EDIT_RECORDS)
    person = Person(production=production)
    _assign(person, fields, PERSON_FIELDS)
    return save_audited(_validated(person), actor)


@transaction.atomic
def update_person(*, actor, person, **fields):
    require(actor, person.production_id, Capability.EDIT_RECORDS)
    _assign(person, fields, PERSON_FIELDS)
    return save_audited(_validated(person), actor)


@transaction.atomic
def delete_person(*, actor, person):
    require(actor, person.production_id, Capability.EDIT_RECORDS)
    if person.consents.exists() or person.ai_uses.exists():
        raise ValidationError(
            _("%(name)s has consents or appears in AI uses; remove those links first.") % {"name": person.name}
        )
    delete_audited(person, actor)


# AI uses


def _check_relations(production, people, consents, tool=None):
    errors = {}
    # Another organisation's private tool is not one this production may name.
    if tool is not None and tool.organisation_id not in (None, production.organisation_id):
        errors["tool"] = _("Name a tool of the shared catalogue or of this production's organisation.")
    if any(p.production_id != production.id for p in people):
        errors["people"] = _("Only people of this production can be linked.")
    if any(c.person.production_id != production.id for c in consents):
        errors["consents"] = _("Only consents of this production can be relied on.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_ai_use(*, actor, production, people=(), consents=(), **fields):
    require(actor, production.id, Capability.EDIT_RECORDS)
    ai_use = AIUse(production=production)
    _assign(ai_use, fields, AI_USE_FIELDS)
    _validated(ai_use)
    people, consents = list(people), list(consents)
    _check_relations(production, people, consents, ai_use.tool)
    return save_audited(ai_use, actor, m2m={"people": people, "consents": consents})


@transaction.atomic
def update_ai_use(*, actor, ai_use, version=None, people=None, consents=None, **fields):
    """Change the fields given; with `version`, the one the change was made on, refuse it if another came since."""
    require(actor, ai_use.production_id, Capability.EDIT_RECORDS)
    next_version(lock(ai_use), version)
    _assign(ai_use, fields, AI_USE_FIELDS)
    _validated(ai_use)
    people = list(ai_use.people.all()) if people is None else list(people)
    consents = list(ai_use.consents.all()) if consents is None else list(consents)
    _check_relations(ai_use.production, people, consents, ai_use.tool)
    return save_audited(ai_use, actor, m2m={"people": people, "consents": consents})


@transaction.atomic
def delete_ai_use(*, actor, ai_use):
    require(actor, ai_use.production_id, Capability.EDIT_RECORDS)
    delete_audited(ai_use, actor)


# Consents and their review


@transaction.atomic
def create_consent(*, actor, person, **fields):
    require(actor, person.production_id, Capability.EDIT_CONSENTS)
    consent = Consent(person=person)
    _assign(consent, fields, CONSENT_TERMS)
    return save_audited(_validated(consent), actor, reason="created")


def _reopen(consent):
    # New terms were not the ones reviewed: the consent goes back to draft for a new review.
    consent.review_state = ReviewState.DRAFT
    consent.review_reason = ""
    consent.reviewed_by = None
    consent.reviewed_at = None


def _refuse_if_revoked(consent):
    if consent.revoked_on:
        raise ValidationError(_("A revoked consent is kept as it was; record a new consent instead."))


@transaction.atomic
def update_consent(*, actor, consent, version=None, **fields):
    """Change the terms given; with `version`, the one the change was made on, refuse it if another came since."""
    require(actor, consent.person.production_id, Capability.EDIT_CONSENTS)
    next_version(lock(consent), version)
    _refuse_if_revoked(consent)
    changed = _assign(consent, fields, CONSENT_TERMS)
    reason = ""
    if changed and consent.review_state != ReviewState.DRAFT:
        _reopen(consent)
        reason = "terms changed: back to draft"
    return save_audited(_validated(consent), actor, reason=reason)


def _transition(consent, actor, capability, allowed_from, to, reason_text="", version=None):
    require(actor, consent.person.production_id, capability)
    # Claimed, then checked as stored now: of two decisions at once, the second finds the first.
    seen_state = consent.review_state
    lock(consent)
    _refuse_if_revoked(consent)
    if consent.review_state not in allowed_from:
        conflict = decision_conflict(consent, seen_state, to)
        if conflict:
            raise conflict
        raise ValidationError(
            _("A consent in state “%(state)s” cannot go to “%(target)s”.")
            % {"state": consent.get_review_state_display(), "target": ReviewState(to).label}
        )
    next_version(consent, version)
    consent.review_state = to
    consent.review_reason = reason_text
    if to == ReviewState.SUBMITTED:
        consent.reviewed_by, consent.reviewed_at = None, None
    else:
        consent.reviewed_by, consent.reviewed_at = actor, timezone.now()
    return save_audited(_validated(consent), actor, reason=to)


@transaction.atomic
def submit_consent(*, actor, consent, version=None):
    return _transition(
        consent,
        actor,
        Capability.EDIT_CONSENTS,
        {ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED},
        ReviewState.SUBMITTED,
        version=version,
    )


@transaction.atomic
def approve_consent(*, actor, consent, version=None):
    """With `version`, the one the reviewer read: terms changed since are not approved unseen."""
    return _transition(
        consent, actor, Capability.REVIEW_CONSENTS, {ReviewState.SUBMITTED}, ReviewState.APPROVED, version=version
    )


def _required_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"review_reason": _("Say why, so the producer knows what to fix.")})
    return reason


@transaction.atomic
def reject_consent(*, actor, consent, reason, version=None):
    return _transition(
        consent,
        actor,
        Capability.REVIEW_CONSENTS,
        {ReviewState.SUBMITTED},
        ReviewState.REJECTED,
        _required_reason(reason),
        version=version,
    )


@transaction.atomic
def request_consent_changes(*, actor, consent, reason, version=None):
    return _transition(
        consent,
        actor,
        Capability.REVIEW_CONSENTS,
        {ReviewState.SUBMITTED},
        ReviewState.CHANGES_REQUESTED,
        _required_reason(reason),
        version=version,
    )


@transaction.atomic
def revoke_consent(*, actor, consent, on):
    """Record a withdrawal of consent (GDPR Art. 7(3)); uses relying on it become blocked from that date."""
    require(actor, consent.person.production_id, Capability.EDIT_CONSENTS)
    next_version(lock(consent))
    _refuse_if_revoked(consent)
    if on is None:
        raise ValidationError({"revoked_on": _("Give the date the consent was withdrawn.")})
    consent.revoked_on = on
    return save_audited(_validated(consent), actor, reason="revoked")


def _sniff_document_type(uploaded_file):
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    for signature, document_type in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return document_type
    return None, None


@transaction.atomic
def attach_consent_document(*, actor, consent, uploaded_file):
    """Store the signed document privately; its fingerprint is computed off the request path."""
    require(actor, consent.person.production_id, Capability.EDIT_CONSENTS)
    next_version(lock(consent))
    _refuse_if_revoked(consent)
    if uploaded_file.size > settings.CONSENT_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "document": _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(settings.CONSENT_DOCUMENT_MAX_BYTES)}
            }
        )
    content_type, suffix = _sniff_document_type(uploaded_file)
    if content_type is None:
        raise ValidationError({"document": _("Upload the signed document as a PDF, JPEG or PNG file.")})
    refusal = document_checks.check(uploaded_file, content_type)
    if refusal:
        raise ValidationError({"document": refusal})
    consent.document_content_type = content_type
    consent.document_size = uploaded_file.size
    consent.document_sha256 = ""
    if consent.review_state != ReviewState.DRAFT:
        _reopen(consent)
    # Validated before the file is written, so a refused change leaves no file behind.
    _validated(consent, exclude=["document"])
    # The stored suffix follows the content, not the uploader's file name (which may have none, or lie).
    consent.document.save(f"signed{suffix}", uploaded_file, save=False)
    save_audited(consent, actor, reason="document attached")
    from productions.tasks import queue_fingerprint

    stored_name = consent.document.name
    # Queued after commit; when the broker is down the upload stands and the periodic sweep fingerprints it.
    transaction.on_commit(lambda: queue_fingerprint(consent.id, stored_name))
    return consent


@transaction.atomic
def delete_consent(*, actor, consent):
    require(actor, consent.person.production_id, Capability.EDIT_CONSENTS)
    _refuse_if_revoked(consent)
    if consent.review_state != ReviewState.DRAFT or consent.ai_uses.exists():
        raise ValidationError(
            _("Only an unreviewed draft that no AI use relies on can be deleted; revoke the consent instead.")
        )
    delete_audited(consent, actor)


# AI literacy (Art. 4)


@transaction.atomic
def create_literacy_measure(*, actor, production, **fields):
    require(actor, production.id, Capability.EDIT_RECORDS)
    measure = LiteracyMeasure(production=production)
    _assign(measure, fields, LITERACY_FIELDS)
    return save_audited(_validated(measure), actor)


@transaction.atomic
def update_literacy_measure(*, actor, measure, **fields):
    require(actor, measure.production_id, Capability.EDIT_RECORDS)
    _assign(measure, fields, LITERACY_FIELDS)
    return save_audited(_validated(measure), actor)


@transaction.atomic
def delete_literacy_measure(*, actor, measure):
    require(actor, measure.production_id, Capability.EDIT_RECORDS)
    delete_audited(measure, actor)
