"""Editions: issuing a disclosure document, legal's sign-off, withdrawal, and what changed since the last one.

Drafts are free for every member (documents.requests). Issuing is the document a festival receives:
producers and legal only, with a named signatory, and refused while an exposed use (in the final work or
published outside it) is blocked by its consent or a checklist item is not met, unless a legal reviewer
has signed off on exactly those records with a reason. An edition is the English and the French PDF of
one issue, rendered from the records revision the gate was checked on; when both are ready the edition is
issued and supersedes the previous ones of its kind as a whole. Every write here is audited.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from disclosure.documents import building, jobs, requests
from disclosure.models import (
    DocumentKind,
    Edition,
    EditionReason,
    EditionStatus,
    IssueSignOff,
    ItemStatus,
)
from productions.audit import save_audited
from productions.consent_status import BLOCKING_STATUSES, consent_validity, filter_by_status
from productions.models import AIUse, Consent, CoverageDecision, Production
from productions.roles import Capability, require


class IssueBlocked(ValidationError):
    """Issuing is refused: what blocks it, and no sign-off of legal covers it."""

    def __init__(self, message, blockers):
        super().__init__(message, code="issue_blocked")
        self.blockers = blockers


# What blocks issuing


def blockers(production, kind, on) -> list[dict]:
    """What stands in the way of issuing on `on`: exposed uses blocked by their consent, items not met.

    A use is exposed when the audience sees or hears it: in the final work, or published outside it
    (trailer, poster, EPK, social). Each entry is plain data, kept with the sign-off and the edition.
    """
    # published_in is stored as comma-separated text: empty when the use is published nowhere.
    exposed = AIUse.objects.filter(Q(is_final=True) | ~Q(published_in=""), production=production)
    blocked, statuses = filter_by_status(exposed, BLOCKING_STATUSES, on=on)
    found = [
        {
            "type": "use",
            "id": use_id,
            "label": title,
            "status": str(statuses[use_id]),
        }
        for use_id, title in blocked.order_by("title", "id").values_list("id", "title")
    ]
    checklist = building.document_type(DocumentKind.CHECKLIST).build(production, on=on)
    found += [
        {"type": "item", "id": item.rule.id, "label": item.rule.id, "status": str(ItemStatus.NOT_MET)}
        for item in checklist.items
        if item.status == ItemStatus.NOT_MET
    ]
    return found


def _applicable_sign_off(production, kind, on, revision, found):
    """Legal's sign-off made on these very records (and so on these blockers), if any."""
    candidates = IssueSignOff.objects.filter(
        production=production, kind=kind, assessment_date=on, records_revision=revision
    ).order_by("-signed_off_at")
    return next((record for record in candidates if record.blockers == found), None)


def blocked_message(found):
    uses = sum(entry["type"] == "use" for entry in found)
    items = len(found) - uses
    parts = []
    if uses:
        parts.append(
            ngettext(
                "%(count)s use the audience sees is blocked by its consent",
                "%(count)s uses the audience sees are blocked by their consent",
                uses,
            )
            % {"count": uses}
        )
    if items:
        parts.append(
            ngettext("%(count)s checklist item is not met", "%(count)s checklist items are not met", items)
            % {"count": items}
        )
    return _("This cannot be issued: %(what)s. Fix them, or ask a legal reviewer to sign off with a reason.") % {
        "what": _(" and ").join(parts)
    }


@dataclass(frozen=True)
class Gate:
    """What issuing would meet now: the blockers, and the sign-off that lets it through if one holds."""

    revision: str
    blockers: list
    sign_off: IssueSignOff | None

    @property
    def open(self):
        return not self.blockers or self.sign_off is not None


def gate(production, kind, on) -> Gate:
    revision = building.records_revision(production.pk)
    found = blockers(production, kind, on)
    sign_off = _applicable_sign_off(production, kind, on, revision, found) if found else None
    return Gate(revision=revision, blockers=found, sign_off=sign_off)


def _check_kind(kind):
    if kind not in building.DOCUMENT_TYPES:
        raise ValidationError({"kind": _("There is no document of this kind.")})


@transaction.atomic
def sign_off(*, actor, production, kind, on, reason):
    """Legal lets a document be issued despite what blocks it now, with a reason; audited."""
    require(actor, production.id, Capability.SIGN_OFF)
    _check_kind(kind)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this may be issued despite what blocks it.")})
    Production.objects.select_for_update().only("pk").get(pk=production.pk)
    now = gate(production, kind, on)
    if not now.blockers:
        raise ValidationError(_("Nothing blocks issuing this document: there is nothing to sign off."))
    record = IssueSignOff(
        production=production,
        kind=kind,
        assessment_date=on,
        records_revision=now.revision,
        blockers=now.blockers,
        reason=reason,
        signed_off_by=actor,
        signed_off_at=timezone.now(),
    )
    record.full_clean()
    return save_audited(record, actor, reason=EditionReason.SIGNED_OFF)


# What changed since the previous edition


def snapshot(production, on) -> dict:
    """The uses (title, newest audit entry, newest coverage decision) and consents (label, validity on `on`) an
    edition saw: legal confirming that a consent covers a use changes the use's standing, not its record."""
    history = AIUse.history.model.objects.filter(production_id=production.pk)
    newest = dict(history.values("id").annotate(newest=Max("history_id")).values_list("id", "newest"))
    decisions = CoverageDecision.history.model.objects.filter(ai_use__production_id=production.pk)
    decided = dict(decisions.values("ai_use_id").annotate(newest=Max("history_id")).values_list("ai_use_id", "newest"))
    uses = {
        str(use_id): [title, newest.get(use_id, 0), decided.get(use_id, 0)]
        for use_id, title in AIUse.objects.filter(production=production).values_list("id", "title")
    }
    consents = {
        str(consent.id): [str(consent), str(consent_validity(consent, on))]
        for consent in Consent.objects.filter(person__production=production).select_related("person")
    }
    return {"uses": uses, "consents": consents}


def changes_between(before: dict, after: dict) -> dict:
    """Uses added, removed or changed, and consents that changed state (or came or went), as plain data."""
    old_uses, new_uses = before.get("uses", {}), after.get("uses", {})
    old_consents, new_consents = before.get("consents", {}), after.get("consents", {})

    def listed(ids, source):
        return sorted(({"id": int(key), "title": source[key][0]} for key in ids), key=lambda entry: entry["title"])

    consents = [
        {
            "id": int(key),
            "label": (new_consents.get(key) or old_consents[key])[0],
            "before": old_consents[key][1] if key in old_consents else None,
            "after": new_consents[key][1] if key in new_consents else None,
        }
        for key in sorted(old_consents.keys() | new_consents.keys(), key=int)
        if old_consents.get(key, [None, None])[1] != new_consents.get(key, [None, None])[1]
    ]
    return {
        "uses_added": listed(new_uses.keys() - old_uses.keys(), new_uses),
        "uses_removed": listed(old_uses.keys() - new_uses.keys(), old_uses),
        "uses_changed": listed(
            (key for key in new_uses.keys() & old_uses.keys() if _use_changed(old_uses[key], new_uses[key])), new_uses
        ),
        "consents_changed": consents,
    }


def _use_changed(old, new):
    # Snapshots taken before coverage decisions existed hold two values; compare what both hold.
    common = min(len(old), len(new))
    return old[1:common] != new[1:common]


# Issuing


@transaction.atomic
def issue(*, actor, production, kind, on, signatory, signatory_role="", sign_off_reason=""):
    """Issue an edition of `kind` on `on`: its English and French PDFs are queued together.

    Refused (IssueBlocked) while something blocks it and no sign-off of legal made on these records covers
    it; a legal reviewer may give the sign-off's reason here (producers may not: PermissionDenied). The
    production row is locked, so that two issues never take the same number and the gate is checked on the
    records the edition is built from.
    """
    require(actor, production.id, Capability.ISSUE)
    _check_kind(kind)
    errors = {}
    signatory = (signatory or "").strip()
    if not signatory:
        errors["signatory"] = [_("Name the person who signs this document on the production's behalf.")]
    if not isinstance(on, datetime.date):
        errors["assessment_date"] = [_("Give the date the document speaks for.")]
    if errors:
        raise ValidationError(errors)
    Production.objects.select_for_update().only("pk").get(pk=production.pk)
    now = gate(production, kind, on)
    approval = now.sign_off
    if now.blockers and (sign_off_reason or "").strip():
        # Legal's reason given here is the one the edition shows, even where an earlier sign-off would hold.
        approval = sign_off(actor=actor, production=production, kind=kind, on=on, reason=sign_off_reason)
    if now.blockers and approval is None:
        raise IssueBlocked(blocked_message(now.blockers), now.blockers)
    editions = Edition.objects.filter(production=production, kind=kind)
    previous = editions.filter(status__in=(EditionStatus.ISSUED, EditionStatus.WITHDRAWN)).order_by("-number").first()
    seen = snapshot(production, on)
    edition = Edition(
        production=production,
        kind=kind,
        number=(editions.aggregate(last=Max("number"))["last"] or 0) + 1,
        assessment_date=on,
        signatory=signatory,
        signatory_role=(signatory_role or "").strip(),
        issued_by=actor,
        records_revision=now.revision,
        snapshot=seen,
        previous=previous,
        changes=changes_between(previous.snapshot, seen) if previous else None,
        blockers=now.blockers,
        sign_off=approval if now.blockers else None,
    )
    edition.full_clean(exclude=["snapshot", "changes", "blockers"])
    save_audited(edition, actor, reason=EditionReason.ISSUED)
    for language, _name in settings.LANGUAGES:
        key = building.request_key(production.pk, kind, language, on, now.revision)
        requests.record_job(production, kind, language, on, requested_by=actor, key=key, edition=edition)
    return edition


@transaction.atomic
def withdraw(*, actor, edition, reason):
    """Withdraw an issued edition with a reason: its verification page says so from now on."""
    require(actor, edition.production_id, Capability.ISSUE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this edition is withdrawn: the verification page shows it.")})
    withdrawn = jobs.edition_in(
        edition.id,
        [EditionStatus.ISSUED],
        status=EditionStatus.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawn_by=actor,
        withdrawal_reason=reason,
    )
    if withdrawn is None:
        raise ValidationError(_("Only an issued edition can be withdrawn."))
    return save_audited(withdrawn, actor, reason=EditionReason.WITHDRAWN)
