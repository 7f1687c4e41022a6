"""An AI use's consent status, computed in one place from its consents and the people it depicts.

The status is derived, never stored: `consent_status` reads only what
`with_consent_data` prefetches, so a list of any length costs the same three queries, and
`consent_statuses` computes many at once in three queries too; `filter_by_status` filters on it.
"""

import datetime
from collections import defaultdict
from typing import NamedTuple

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from productions.vocabularies import (
    CONSENT_KIND_FOR_PERFORMER_USE,
    REPLICA_CONSENT_KINDS,
    ConsentKind,
    ReviewState,
)

# The performer uses that need a consent: a use with any other is "not needed" from that alone.
NEEDS_CONSENT = tuple(CONSENT_KIND_FOR_PERFORMER_USE)


class ConsentStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    COVERED = "covered", _("Covered")
    PENDING_REVIEW = "pending_review", _("Pending review")
    MISSING = "missing", _("Missing")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    NOT_SEPARATELY_SIGNED = "not_separately_signed", _("Not separately signed")


# A use that relies on one of these may not go into the work until it is fixed.
BLOCKING_STATUSES = frozenset(
    {
        ConsentStatus.MISSING,
        ConsentStatus.REVOKED,
        ConsentStatus.EXPIRED,
        ConsentStatus.OUT_OF_SCOPE,
        ConsentStatus.NOT_SEPARATELY_SIGNED,
    }
)

# Worst first: a use depicting several people shows the worst of their statuses.
_SEVERITY = [
    ConsentStatus.REVOKED,
    ConsentStatus.EXPIRED,
    ConsentStatus.OUT_OF_SCOPE,
    ConsentStatus.NOT_SEPARATELY_SIGNED,
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
    """What one consent is worth on a date: valid, revoked, expired, pending, rejected or not separately signed.

    SAG-AFTRA asks for consent that is clear and conspicuous, not buried in a contract: an approved consent
    that was not signed on its own is not a valid one.
    """
    if consent.revoked_on and consent.revoked_on <= on:
        return ConsentStatus.REVOKED
    if consent.expires_on and consent.expires_on < on:
        return ConsentStatus.EXPIRED
    if consent.review_state == ReviewState.APPROVED:
        return ConsentStatus.COVERED if consent.separately_signed else ConsentStatus.NOT_SEPARATELY_SIGNED
    if consent.review_state in _PENDING_STATES:
        return ConsentStatus.PENDING_REVIEW
    return ConsentStatus.MISSING  # rejected: as good as no consent


def covers_kind(consent, needed_kind):
    """Whether a consent is to the kind of use needed: the same kind, or for a voice use a replica of the voice.

    A consent to another kind of use does not cover this one (SAG-AFTRA: a new use needs new consent); a
    digital replica is of the voice and/or likeness, so a replica consent whose use includes the voice covers it.
    """
    if consent.kind == needed_kind:
        return True
    return needed_kind == ConsentKind.VOICE_CLONE and consent.kind in REPLICA_CONSENT_KINDS and consent.covers_voice


def _person_status(linked, needed_kind, on):
    matching = [c for c in linked if covers_kind(c, needed_kind)]
    if not matching:
        return ConsentStatus.OUT_OF_SCOPE if linked else ConsentStatus.MISSING
    validities = {consent_validity(c, on) for c in matching}
    for status in (
        ConsentStatus.COVERED,
        ConsentStatus.PENDING_REVIEW,
        ConsentStatus.NOT_SEPARATELY_SIGNED,
        ConsentStatus.REVOKED,
        ConsentStatus.EXPIRED,
    ):
        if status in validities:
            return status
    return ConsentStatus.MISSING


def _status(needed_kind, person_ids, consents, on):
    """The status of a use that needs `needed_kind` of consent, from the people it depicts and its consents."""
    if not person_ids:
        return ConsentStatus.MISSING
    statuses = [_person_status([c for c in consents if c.person_id == pid], needed_kind, on) for pid in person_ids]
    return min(statuses, key=_SEVERITY.index)


def consent_status(ai_use, on: datetime.date | None = None) -> ConsentStatus:
    """The consent status of one AI use on a date (today by default)."""
    needed_kind = ai_use.required_consent_kind
    if needed_kind is None:
        return ConsentStatus.NOT_NEEDED
    people = [person.id for person in ai_use.people.all()]
    return _status(needed_kind, people, list(ai_use.consents.all()), on or timezone.localdate())


class _Terms(NamedTuple):
    """What a status reads of one consent."""

    person_id: int
    kind: str
    review_state: str
    separately_signed: bool
    covers_voice: bool
    expires_on: datetime.date | None
    revoked_on: datetime.date | None


def _links(use_ids):
    """The people and the consent terms of these uses, in two queries of plain values."""
    from productions.models import AIUse

    people, consents = defaultdict(list), defaultdict(list)
    links = AIUse.people.through.objects.filter(aiuse_id__in=use_ids).values_list("aiuse_id", "person_id")
    for use_id, person_id in links:
        people[use_id].append(person_id)
    terms = [f"consent__{name}" for name in _Terms._fields]
    for use_id, *values in AIUse.consents.through.objects.filter(aiuse_id__in=use_ids).values_list("aiuse_id", *terms):
        consents[use_id].append(_Terms(*values))
    return people, consents


def consent_statuses(ai_uses, on: datetime.date | None = None) -> dict[int, ConsentStatus]:
    """Statuses for many uses at once: a queryset of AI uses, or a list of them; at most three queries.

    People and consents are read only for the uses that need a consent (the others are "not needed" from
    their performer use alone), as plain values rather than model instances: a production's thousands of
    uses cost milliseconds. For uses whose people and consents are prefetched, `consent_status` costs none.
    """
    on = on or timezone.localdate()
    if isinstance(ai_uses, QuerySet):
        rows = ai_uses.select_related(None).prefetch_related(None).order_by().values_list("pk", "performer_use")
        needed = {pk: CONSENT_KIND_FOR_PERFORMER_USE.get(performer_use) for pk, performer_use in rows}
    else:
        needed = {use.id: use.required_consent_kind for use in ai_uses}
    to_read = [pk for pk, kind in needed.items() if kind is not None]
    people, consents = _links(to_read) if to_read else ({}, {})
    return {
        pk: _status(kind, people.get(pk, []), consents.get(pk, []), on) if kind else ConsentStatus.NOT_NEEDED
        for pk, kind in needed.items()
    }


def filter_by_status(ai_uses, wanted, *, exclude=False, statuses=None, on=None):
    """(The uses of a queryset whose status is in `wanted`, or the others with `exclude`; the statuses read.)

    "Not needed" is decided in the query from the performer use alone; the other statuses are computed for
    the uses that need a consent on `on` (today by default), unless `statuses` already holds them, and
    returned by use id.
    """
    if statuses is None:
        only_not_needed = set(wanted) == {ConsentStatus.NOT_NEEDED}
        needing = ai_uses.filter(performer_use__in=NEEDS_CONSENT)
        statuses = {} if only_not_needed else consent_statuses(needing, on=on)
    matching = Q(pk__in=[pk for pk, status in statuses.items() if status in wanted])
    if ConsentStatus.NOT_NEEDED in wanted:
        matching |= ~Q(performer_use__in=NEEDS_CONSENT)
    return (ai_uses.exclude(matching) if exclude else ai_uses.filter(matching)), statuses
