"""Every write to production records: checked against the actor's role, validated, audited, atomic.

Services raise Http404 when the actor is not a member of the production, PermissionDenied
when their role does not allow the change, and ValidationError (with field messages) when
the data is wrong. Forms and the API call these and nothing else to write.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404, QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from productions import document_checks, selectors, tracker_ids
from productions.audit import delete_audited, save_audited, update_audited
from productions.bulk_edit import BATCH_SIZE, plan_bulk_edit
from productions.conflicts import Conflict, decision_conflict, lock, next_version
from productions.consent_status import consent_scope_fingerprint, use_facts_fingerprint
from productions.filters import ledger_query
from productions.models import (
    AIUse,
    Consent,
    CoverageDecision,
    LiteracyMeasure,
    Membership,
    OrganisationMembership,
    Person,
    Production,
    SavedView,
)
from productions.notifications import blocks, events
from productions.organisations import ensure_may_create_productions
from productions.roles import Capability, can, require, role_of
from productions.vocabularies import CoverageDecisionKind, ReviewState, Role

PRODUCTION_FIELDS = {
    "title", "original_title", "kind", "production_company", "countries", "year",
    "eu_release_date", "cut", "contact_point", "screenplay_credit", "screenplay_human_authored",
    "performances_by_humans", "evidently_artistic", "principal_photography_start", "principal_photography_end",
    "company_size", "signatory", "tracker_id_pattern",
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
# What the next use of a series shares with the last one (the next shot of the same work): all but what names,
# places and dates one use.
AI_USE_SERIES_FIELDS = AI_USE_FIELDS - {
    "title", "description", "shots", "timecode_in", "timecode_out", "frame_in", "frame_out", "external_id",
    "used_from", "used_until",
}  # fmt: skip
CONSENT_TERMS = {
    "kind", "scope_description", "scope_shots", "separately_signed", "signed_on", "scan_notice_on", "scan_on",
    "scan_business_reason", "media", "media_notes", "territory", "term_starts_on", "expires_on", "compensation",
    "covers_likeness", "covers_voice", "gdpr_explicit_consent", "dpia_reference", "intimate_imagery_consent",
    "intimate_imagery_description", "post_mortem_authority", "data_retention", "data_deletion_on",
    "training_permission", "third_party_licensing", "performer_is_minor", "guardian",
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
    # As stored: a form may already have written its values onto `production`. Locked while the uses are read again.
    stored = Production.objects.select_for_update().only("kind", "tracker_id_pattern").get(pk=production.pk)
    _assign(production, fields, PRODUCTION_FIELDS)
    save_audited(_validated(production), actor)
    if production.id_pattern != stored.id_pattern:
        _read_episodes_again(production)
    return production


# Enough rows per UPDATE to keep the queries few, few enough to stay under every database's parameter limit.
EPISODES_BATCH = 500


def _read_episodes_again(production):
    """Read the episode and sequence of each use of the production again, with the production's pattern.

    They are derived from the tracker id, not recorded: the uses keep their version and get no history entry (the
    production's history has the new pattern). Set-based, in batches: one query, then one per batch that changes.
    """
    pattern = production.id_pattern
    changed = []
    stored = AIUse.objects.filter(production=production).values_list("pk", "external_id", "episode", "sequence")
    for pk, external_id, episode, sequence in stored.iterator(chunk_size=2000):
        read = tracker_ids.episode_and_sequence(external_id, pattern)
        if read != (episode, sequence):
            changed.append(AIUse(pk=pk, episode=read[0], sequence=read[1]))
    AIUse.objects.bulk_update(changed, ["episode", "sequence"], batch_size=EPISODES_BATCH)
    return len(changed)


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


def _validated_use(ai_use):
    """Validate the use, its tracker id included: every field's error at once, the tracker id's as a field error."""
    errors = {}
    try:
        ai_use.full_clean()
    except ValidationError as error:
        errors = error.message_dict
    taken = selectors.tracker_id_taken(
        AIUse.objects.filter(production_id=ai_use.production_id), ai_use.external_id, ai_use.pk
    )
    if taken:
        # The unique constraint's own message says the same with less: the field error replaces it.
        said = {
            str(c.get_violation_error_message())
            for c in AIUse._meta.constraints
            if c.name in ("aiuse_unique_tracker_id", "aiuse_unique_tracker_key")
        }
        others = [m for m in errors.pop(NON_FIELD_ERRORS, []) if m not in said]
        if others:
            errors[NON_FIELD_ERRORS] = others
        errors["external_id"] = [taken]
    if errors:
        raise ValidationError(errors)
    return ai_use


@transaction.atomic
def create_ai_use(*, actor, production, people=(), consents=(), **fields):
    require(actor, production.id, Capability.EDIT_RECORDS)
    ai_use = AIUse(production=production)
    _assign(ai_use, fields, AI_USE_FIELDS)
    _validated_use(ai_use)
    people, consents = list(people), list(consents)
    _check_relations(production, people, consents, ai_use.tool)
    save_audited(ai_use, actor, m2m={"people": people, "consents": consents})
    blocks.refresh(AIUse.objects.filter(pk=ai_use.pk))
    return ai_use


@transaction.atomic
def update_ai_use(*, actor, ai_use, version=None, people=None, consents=None, **fields):
    """Change the fields given; with `version`, the one the change was made on, refuse it if another came since."""
    require(actor, ai_use.production_id, Capability.EDIT_RECORDS)
    next_version(lock(ai_use), version)
    _assign(ai_use, fields, AI_USE_FIELDS)
    _validated_use(ai_use)
    people = list(ai_use.people.all()) if people is None else list(people)
    consents = list(ai_use.consents.all()) if consents is None else list(consents)
    _check_relations(ai_use.production, people, consents, ai_use.tool)
    save_audited(ai_use, actor, m2m={"people": people, "consents": consents})
    blocks.refresh(AIUse.objects.filter(pk=ai_use.pk))
    return ai_use


@transaction.atomic
def create_ai_use_like(*, actor, ai_use, title):
    """A new use of `ai_use`'s series: its shared facts, people and consents, under `title`.

    The consents come without legal's coverage decisions: consent to one use is not consent to another.
    """
    return create_ai_use(
        actor=actor,
        production=ai_use.production,
        title=title,
        people=ai_use.people.all(),
        consents=ai_use.consents.all(),
        **{name: getattr(ai_use, name) for name in AI_USE_SERIES_FIELDS},
    )


@transaction.atomic
def delete_ai_use(*, actor, ai_use):
    require(actor, ai_use.production_id, Capability.EDIT_RECORDS)
    delete_audited(ai_use, actor)


@transaction.atomic
def bulk_update_ai_uses(*, actor, production, ai_uses, changes, versions=None):
    """Apply `changes` (productions.bulk_edit) to every one of `ai_uses` it alters: all of them, or none.

    With `versions` ({use id: version} as the preview read them), a selection that changed since is refused
    (Conflict). One history entry per changed use, its reason naming the changes and its links as they are
    after the change; none for a use that already had the values. Returns the plan written.
    """
    require(actor, production.id, Capability.EDIT_RECORDS)
    plan = plan_bulk_edit(production=production, ai_uses=ai_uses, changes=changes, lock=True)
    if versions is not None and versions != plan.versions:
        raise Conflict(_("The selected uses changed since the preview: nothing was changed. Check the new preview."))
    if plan.refused:
        raise ValidationError(
            [
                _("Nothing was changed: “%(title)s” (%(tracker_id)s) cannot be saved: %(reason)s")
                % {"title": ai_use.title, "tracker_id": ai_use.external_id or f"#{ai_use.pk}", "reason": reason}
                for ai_use, reason in plan.refused[:10]
            ]
        )
    changed = [change.ai_use for change in plan.changing]
    if not changed:
        return plan
    ids = [ai_use.pk for ai_use in changed]
    # Links first: the history entries copy each use's links as they are once written.
    for relation, (added, removed) in plan.link_writes().items():
        through = getattr(AIUse, relation).through
        target = f"{AIUse._meta.get_field(relation).m2m_reverse_field_name()}_id"
        for start in range(0, len(ids) if removed else 0, BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            through.objects.filter(aiuse_id__in=batch, **{f"{target}__in": removed}).delete()
        through.objects.bulk_create(
            [through(aiuse_id=use_id, **{target: target_id}) for use_id, target_id in sorted(added)],
            batch_size=BATCH_SIZE,
        )
    now = timezone.now()
    # The rows are locked: an edit opened before this one is refused after it. update() leaves auto_now alone.
    values = {name: plan.changes[name] for name in plan.fields} | {"updated_at": now, "version": F("version") + 1}
    update_audited(AIUse, changed, values, actor=actor, reason=plan.reason, date=now, batch_size=BATCH_SIZE)
    for ai_use in changed:
        ai_use.updated_at, ai_use.version = now, ai_use.version + 1
    # New people or consents, or facts a coverage decision was made on, can block a use or unblock it.
    blocks.refresh(AIUse.objects.filter(pk__in=ids))
    return plan


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
    consent.not_separately_signed_reason = ""


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
    save_audited(_validated(consent), actor, reason=reason)
    if changed:
        blocks.refresh_consent(consent)
    return consent


def _transition(
    consent, actor, capability, allowed_from, to, reason_text="", version=None, not_separately_signed_reason=""
):
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
    if to == ReviewState.APPROVED:
        _ensure_approvable(consent, not_separately_signed_reason)
    consent.review_state = to
    consent.review_reason = reason_text
    if to == ReviewState.SUBMITTED:
        consent.reviewed_by, consent.reviewed_at = None, None
    else:
        consent.reviewed_by, consent.reviewed_at = actor, timezone.now()
    save_audited(_validated(consent), actor, reason=to)
    if to == ReviewState.SUBMITTED:
        events.consent_submitted(consent, actor)
    else:
        events.consent_decided(consent, actor)
    blocks.refresh_consent(consent)
    return consent


def _ensure_approvable(consent, not_separately_signed_reason):
    """Only a consent whose signed document is attached, and that was separately signed (or legal records why
    not), can be approved: an approval is legal's word that the signed terms were read."""
    errors = {}
    if not consent.document:
        errors["document"] = _("Attach the signed document before approving: legal approves what was signed.")
    reason = (not_separately_signed_reason or "").strip()
    if not consent.separately_signed:
        if reason:
            consent.not_separately_signed_reason = reason
        else:
            errors["not_separately_signed_reason"] = _(
                "This consent was not signed on its own (SAG-AFTRA asks that it be): record why it can be approved"
                " all the same, or have it signed separately."
            )
    if errors:
        raise ValidationError(errors)


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
def approve_consent(*, actor, consent, version=None, not_separately_signed_reason=""):
    """With `version`, the one the reviewer read: terms changed since are not approved unseen.

    Refused without the signed document, and for a consent not separately signed without a recorded reason.
    """
    return _transition(
        consent,
        actor,
        Capability.REVIEW_CONSENTS,
        {ReviewState.SUBMITTED},
        ReviewState.APPROVED,
        version=version,
        not_separately_signed_reason=not_separately_signed_reason,
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
def revoke_consent(*, actor, consent, on, reason, withdrawal_document=None, version=None):
    """Record a withdrawal of consent (GDPR Art. 7(3)), with its reason and, when there is one, the person's written
    withdrawal (a private document); uses relying on it become blocked from that date, and producers and legal
    are told."""
    require(actor, consent.person.production_id, Capability.EDIT_CONSENTS)
    next_version(lock(consent), version)
    _refuse_if_revoked(consent)
    errors = {}
    if on is None:
        errors["revoked_on"] = _("Give the date the consent was withdrawn.")
    reason = (reason or "").strip()
    if not reason:
        errors["revocation_reason"] = _(
            "Say why the consent was withdrawn, as the person or their representative said."
        )
    if errors:
        raise ValidationError(errors)
    consent.revoked_on = on
    consent.revocation_reason = reason
    if withdrawal_document is not None:
        content_type, suffix = _checked_document(withdrawal_document, "withdrawal_document")
        consent.withdrawal_document_content_type = content_type
        consent.withdrawal_document_sha256 = _sha256(withdrawal_document)
        _validated(consent, exclude=["document", "withdrawal_document"])
        consent.withdrawal_document.save(f"withdrawal{suffix}", withdrawal_document, save=False)
    save_audited(_validated(consent), actor, reason="revoked")
    events.consent_revoked(consent, actor)
    blocks.refresh_consent(consent)
    return consent


def _sha256(uploaded_file):
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def _checked_document(uploaded_file, field):
    """(content type, suffix) of an uploaded signed document, or a field error: size, kind and content checked."""
    if uploaded_file.size > settings.CONSENT_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                field: _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(settings.CONSENT_DOCUMENT_MAX_BYTES)}
            }
        )
    content_type, suffix = _sniff_document_type(uploaded_file)
    if content_type is None:
        raise ValidationError({field: _("Upload the signed document as a PDF, JPEG or PNG file.")})
    refusal = document_checks.check(uploaded_file, content_type)
    if refusal:
        raise ValidationError({field: refusal})
    return content_type, suffix


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
    content_type, suffix = _checked_document(uploaded_file, "document")
    consent.document_content_type = content_type
    consent.document_size = uploaded_file.size
    consent.document_sha256 = ""
    if consent.review_state != ReviewState.DRAFT:
        _reopen(consent)
    # Validated before the file is written, so a refused change leaves no file behind.
    _validated(consent, exclude=["document", "withdrawal_document"])
    # The stored suffix follows the content, not the uploader's file name (which may have none, or lie).
    consent.document.save(f"signed{suffix}", uploaded_file, save=False)
    save_audited(consent, actor, reason="document attached")
    from productions.tasks import queue_fingerprint

    stored_name = consent.document.name
    # Queued after commit; when the broker is down the upload stands and the periodic sweep fingerprints it.
    transaction.on_commit(lambda: queue_fingerprint(consent.id, stored_name))
    blocks.refresh_consent(consent)
    return consent


# Review assignment and coverage decisions


@transaction.atomic
def assign_review(*, actor, consent, assignee, due_on, version=None):
    """Give a consent's review to a legal member of its production, by a date; the assignee is told."""
    production_id = consent.person.production_id
    require(actor, production_id, Capability.REVIEW_CONSENTS)
    next_version(lock(consent), version)
    if assignee is not None and not can(role_of(assignee, production_id), Capability.REVIEW_CONSENTS):
        raise ValidationError({"review_assignee": _("Assign the review to a legal member of this production.")})
    previous = consent.review_assignee_id
    consent.review_assignee, consent.review_due_on = assignee, due_on
    save_audited(_validated(consent), actor, reason="review assigned")
    if assignee is not None and assignee.pk != previous:
        events.review_assigned(consent, actor)
    return consent


@transaction.atomic
def decide_coverage(*, actor, consent, ai_uses, decision, note=""):
    """Legal's decision that a consent covers (or does not cover) each of these uses, which rely on it.

    One audited change per use, in one transaction; the decision holds for the consent's scope and each use's
    facts as they are now (productions.consent_status).
    """
    require(actor, consent.person.production_id, Capability.REVIEW_CONSENTS)
    lock(consent)
    _refuse_if_revoked(consent)
    note = (note or "").strip()
    if decision not in CoverageDecisionKind.values:
        raise ValidationError({"decision": _("Choose whether the consent covers the uses.")})
    if decision == CoverageDecisionKind.DOES_NOT_COVER and not note:
        raise ValidationError({"note": _("Say why the consent does not cover these uses, so the producer can act.")})
    wanted = {use.pk for use in ai_uses}
    if not wanted:
        raise ValidationError({"ai_uses": _("Choose the uses the decision is about.")})
    # The uses as stored: the decision holds for the facts legal decided on, not those of a stale copy.
    ai_uses = list(consent.ai_uses.filter(pk__in=wanted).order_by("pk"))
    if len(ai_uses) != len(wanted):
        raise ValidationError({"ai_uses": _("Decide only on uses that rely on this consent.")})
    scope = consent_scope_fingerprint(consent)
    existing = {d.ai_use_id: d for d in CoverageDecision.objects.select_for_update().filter(consent=consent)}
    now = timezone.now()
    decided = []
    for ai_use in ai_uses:
        record = existing.get(ai_use.pk) or CoverageDecision(consent=consent, ai_use=ai_use)
        record.decision, record.note = decision, note
        record.consent_scope, record.use_facts = scope, use_facts_fingerprint(ai_use)
        record.decided_by, record.decided_at = actor, now
        decided.append(save_audited(record, actor, reason=decision))
    blocks.refresh(AIUse.objects.filter(pk__in=[use.pk for use in ai_uses]))
    return decided


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


# Saved views of the ledger: a member's own preference, not a record of the production. Any member may keep
# theirs (viewers and legal too); they are validated but not in the production's history.


def _own_view(actor, saved_view):
    require(actor, saved_view.production_id, Capability.READ)
    if saved_view.user_id != actor.pk:
        raise Http404(_("No such saved view."))


def _checked_view(saved_view):
    if len(saved_view.query) > SavedView._meta.get_field("query").max_length:
        raise ValidationError({"query": _("These filters are too long to save: search for fewer words.")})
    saved_view.full_clean(validate_unique=False, validate_constraints=False)
    return saved_view


@transaction.atomic
def save_view(*, actor, production, name, query):
    """Keep the ledger's filters, search, sort and grouping (`query`, a query string; only the ledger's parameters are
    kept, not the page) under `name`, for the actor alone. A view of theirs with that name is replaced.

    Returns the view and whether it replaced one.
    """
    require(actor, production.id, Capability.READ)
    saved_view = _checked_view(
        SavedView(user=actor, production=production, name=" ".join(name.split()), query=ledger_query(QueryDict(query)))
    )
    saved_view, created = SavedView.objects.update_or_create(
        user=actor, production=production, name=saved_view.name, defaults={"query": saved_view.query}
    )
    return saved_view, not created


@transaction.atomic
def rename_saved_view(*, actor, saved_view, name):
    _own_view(actor, saved_view)
    saved_view.name = " ".join(name.split())
    _checked_view(saved_view)
    others = SavedView.objects.filter(user=actor, production_id=saved_view.production_id, name=saved_view.name)
    if others.exclude(pk=saved_view.pk).exists():
        raise ValidationError(
            {"name": _("You already have a view named “%(name)s”: delete it first.") % {"name": saved_view.name}}
        )
    saved_view.save(update_fields=["name"])
    return saved_view


@transaction.atomic
def delete_saved_view(*, actor, saved_view):
    _own_view(actor, saved_view)
    saved_view.delete()
