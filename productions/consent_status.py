"""An AI use's consent status, computed in one place from its consents and the people it depicts.

The status is derived, never stored: `consent_status` reads only what
`with_consent_data` prefetches, so a list of any length costs the same three queries.
"""

import datetime

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from productions.vocabularies import ReviewState


class ConsentStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    COVERED = "covered", _("Covered")
    PENDING_REVIEW = "pending_review", _("Pending review")
    MISSING = "missing", _("Missing")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


# A use that relies on one of these may not go into the work until it is fixed.
BLOCKING_STATUSES = frozenset(
    {ConsentStatus.MISSING, ConsentStatus.REVOKED, ConsentStatus.EXPIRED, ConsentStatus.OUT_OF_SCOPE}
)

# Worst first: a use depicting several people shows the worst of their statuses.
_SEVERITY = [
    ConsentStatus.REVOKED,
    ConsentStatus.EXPIRED,
    ConsentStatus.OUT_OF_SCOPE,
    ConsentStatus.MISSING,
    ConsentStatus.PENDING_REVIEW,
    ConsentStatus.COVERED,
    ConsentStatus.NOT_NEEDED,
]
_PENDING_STATES = {ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.CHANGES_REQUESTED}


def with_consent_data(ai_uses):
    """Prefetch what `consent_status` reads, for a queryset of AI uses."""
    from productions.models import Consent, Person

    return ai_uses.prefetch_related(
        Prefetch("people", queryset=Person.objects.only("id", "name", "production_id", "deceased")),
        Prefetch("consents", queryset=Consent.objects.all()),
    )


def consent_validity(consent, on):
    """What one consent is worth on a date: valid, revoked, expired, pending or rejected."""
    if consent.revoked_on and consent.revoked_on <= on:
        return ConsentStatus.REVOKED
    if consent.expires_on and consent.expires_on < on:
        return ConsentStatus.EXPIRED
    if consent.review_state == ReviewState.APPROVED:
        return ConsentStatus.COVERED
    if consent.review_state in _PENDING_STATES:
        return ConsentStatus.PENDING_REVIEW
    return ConsentStatus.MISSING  # rejected: as good as no consent


def _person_status(linked, needed_kind, on):
    matching = [c for c in linked if c.kind == needed_kind]
    if not matching:
        # A consent to another kind of use does not cover this one (SAG-AFTRA 2023).
        return ConsentStatus.OUT_OF_SCOPE if linked else ConsentStatus.MISSING
    validities = {consent_validity(c, on) for c in matching}
    for status in (
        ConsentStatus.COVERED,
        ConsentStatus.PENDING_REVIEW,
        ConsentStatus.REVOKED,
        ConsentStatus.EXPIRED,
    ):
        if status in validities:
            return status
    return ConsentStatus.MISSING


def consent_status(ai_use, on: datetime.date | None = None) -> ConsentStatus:
    """The consent status of one AI use on a date (today by default)."""
    needed_kind = ai_use.required_consent_kind
    if needed_kind is None:
        return ConsentStatus.NOT_NEEDED
    people = list(ai_use.people.all())
    if not people:
        return ConsentStatus.MISSING
    on = on or timezone.localdate()
    consents = list(ai_use.consents.all())
    statuses = [_person_status([c for c in consents if c.person_id == p.id], needed_kind, on) for p in people]
    return min(statuses, key=_SEVERITY.index)


def consent_statuses(ai_uses, on: datetime.date | None = None) -> dict[int, ConsentStatus]:
    """Statuses for many uses at once; pass a queryset prepared by `with_consent_data`."""
    on = on or timezone.localdate()
    return {use.id: consent_status(use, on) for use in ai_uses}
