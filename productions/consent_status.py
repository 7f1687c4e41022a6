"""An AI use's consent status, computed in one place from its consents, the people it depicts and legal's
coverage decisions.

The status is derived, never stored: `consent_status` reads only what `with_consent_data` prefetches, so a list
of any length costs the same queries, and `consent_statuses` computes many at once in four queries;
`filter_by_status` filters on it.

What makes a use covered (domain.md §2, SAG-AFTRA): for every person it depicts, a consent of the kind the use
needs (a replica consent covering the voice for a voice use, the likeness for a picture), approved with its signed
document, separately signed (or approved with a recorded reason why not), within its term, not revoked, and
which legal has confirmed covers this very use. A consent to one use is not consent to another: until legal
decides, the use's status is "scope to confirm", and it blocks.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from typing import NamedTuple

from django.db import models
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from multiselectfield import MultiSelectField

from productions.vocabularies import (
    CONSENT_KINDS_FOR_PERFORMER_USE,
    CoverageDecisionKind,
    OutputType,
    PerformerUse,
    ReviewState,
)

# The performer uses that need a consent: a use with any other is "not needed" from that alone.
NEEDS_CONSENT = tuple(CONSENT_KINDS_FOR_PERFORMER_USE)


class ConsentStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    COVERED = "covered", _("Covered")
    PENDING_REVIEW = "pending_review", _("Pending review")
    SCOPE_TO_CONFIRM = "scope_to_confirm", _("Scope to confirm")
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
        ConsentStatus.SCOPE_TO_CONFIRM,
    }
)

# Worst first: a use depicting several people shows the worst of their statuses.
_SEVERITY = [
    ConsentStatus.REVOKED,
    ConsentStatus.EXPIRED,
    ConsentStatus.OUT_OF_SCOPE,
    ConsentStatus.NOT_SEPARATELY_SIGNED,
    ConsentStatus.MISSING,
    ConsentStatus.SCOPE_TO_CONFIRM,
    ConsentStatus.PENDING_REVIEW,
    ConsentStatus.COVERED,
    ConsentStatus.NOT_NEEDED,
]
# Best first: of a person's consents to the kind needed, the use rests on the best one.
_PREFERENCE = [
    ConsentStatus.COVERED,
    ConsentStatus.SCOPE_TO_CONFIRM,
    ConsentStatus.PENDING_REVIEW,
    ConsentStatus.NOT_SEPARATELY_SIGNED,
    ConsentStatus.OUT_OF_SCOPE,
    ConsentStatus.REVOKED,
    ConsentStatus.EXPIRED,
]
_PENDING_STATES = {ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.CHANGES_REQUESTED}

# What a coverage decision was made on: when any of these changes, legal confirms the coverage again.
CONSENT_SCOPE_FIELDS = (
    "kind",
    "scope_description",
    "scope_shots",
    "media",
    "media_notes",
    "territory",
    "term_starts_on",
    "expires_on",
    "covers_likeness",
    "covers_voice",
)
USE_SCOPE_FIELDS = ("performer_use", "output_type", "description", "shots", "is_final", "published_in")


def _fingerprint(values):
    normalised = [sorted(v) if isinstance(v, list | set | tuple) else v for v in values]
    return hashlib.sha256(json.dumps(normalised, default=str).encode()).hexdigest()


def _stored(record, name):
    """A field's value as the database gives it back: a multiple choice assigned as text in memory (its default
    "", or "a,b") is the list it is stored as, so a record fresh from a form and the same record read back agree."""
    value = getattr(record, name)
    if isinstance(value, str) and isinstance(record._meta.get_field(name), MultiSelectField):
        return [item for item in value.split(",") if item]
    return value


def consent_scope_fingerprint(consent):
    return _fingerprint([_stored(consent, name) for name in CONSENT_SCOPE_FIELDS])


def use_facts_fingerprint(ai_use):
    return _fingerprint([_stored(ai_use, name) for name in USE_SCOPE_FIELDS])


class Need(NamedTuple):
    """What consent a use needs: one of `kinds`, covering the voice and/or the likeness where it says so."""

    kinds: frozenset
    voice: bool
    likeness: bool


def consent_need(performer_use, output_type):
    """The consent a use needs from each person it depicts, or None. A replica is of the voice in an audio output
    (and always in a voice clone), of the likeness in a picture."""
    kinds = CONSENT_KINDS_FOR_PERFORMER_USE.get(performer_use)
    if kinds is None:
        return None
    if performer_use == PerformerUse.VOICE_CLONE:
        return Need(kinds, voice=True, likeness=False)
    if performer_use in (PerformerUse.DIGITAL_ALTERATION, PerformerUse.SYNTHETIC_PERFORMER):
        return Need(kinds, voice=False, likeness=False)
    audio = output_type == OutputType.AUDIO
    return Need(kinds, voice=audio, likeness=not audio)


def use_need(ai_use):
    return consent_need(ai_use.performer_use, ai_use.output_type)


def with_consent_data(ai_uses):
    """Prefetch what `consent_status` reads, for a queryset of AI uses."""
    from productions.models import Consent, CoverageDecision, Person

    return ai_uses.prefetch_related(
        Prefetch("people", queryset=Person.objects.only("id", "name", "production_id", "deceased")),
        Prefetch("consents", queryset=Consent.objects.all()),
        Prefetch("coverage_decisions", queryset=CoverageDecision.objects.all()),
    )


def consent_validity(consent, on):
    """What one consent is worth on a date: valid, revoked, expired, pending, rejected or not separately signed.

    SAG-AFTRA asks for consent that is clear and conspicuous, not buried in a contract: an approved consent
    that was not signed on its own is valid only where legal approved it with a recorded reason why not (the
    checklist still asks for attention to it).
    """
    if consent.revoked_on and consent.revoked_on <= on:
        return ConsentStatus.REVOKED
    if consent.expires_on and consent.expires_on < on:
        return ConsentStatus.EXPIRED
    if consent.review_state == ReviewState.APPROVED:
        if consent.separately_signed or consent.not_separately_signed_reason.strip():
            return ConsentStatus.COVERED
        return ConsentStatus.NOT_SEPARATELY_SIGNED
    if consent.review_state in _PENDING_STATES:
        return ConsentStatus.PENDING_REVIEW
    return ConsentStatus.MISSING  # rejected: as good as no consent


def covers_kind(consent, need):
    """Whether a consent is to the kind of use needed: one of its kinds, of the voice and/or likeness it needs.

    A consent to another kind of use does not cover this one (SAG-AFTRA: a new use needs new consent); a
    digital replica is of the voice and/or likeness, so a replica consent covers a voice use only when its
    scope includes the voice.
    """
    return (
        consent.kind in need.kinds
        and (not need.voice or consent.covers_voice)
        and (not need.likeness or consent.covers_likeness)
    )


def _scope_of(consent):
    # Plain-values terms carry their fingerprint; a model instance computes it.
    return consent.scope if isinstance(consent, _Terms) else consent_scope_fingerprint(consent)


def decision_holds(decision, consent, use_facts):
    """Whether a coverage decision was made on the consent's scope and the use's facts as they are now."""
    return decision.consent_scope == _scope_of(consent) and decision.use_facts == use_facts


def coverage(consent, decisions, use_facts, on):
    """The status one valid consent gives a use: covered only once legal has confirmed it covers this use, on the
    consent's scope and the use's facts as they are now, and within the consent's term."""
    if consent.term_starts_on and consent.term_starts_on > on:
        return ConsentStatus.OUT_OF_SCOPE
    decision = decisions.get(consent.id)
    if decision is None or not decision_holds(decision, consent, use_facts):
        return ConsentStatus.SCOPE_TO_CONFIRM
    if decision.decision == CoverageDecisionKind.COVERS:
        return ConsentStatus.COVERED
    return ConsentStatus.OUT_OF_SCOPE


def _person_status(linked, need, decisions, use_facts, on):
    matching = [c for c in linked if covers_kind(c, need)]
    if not matching:
        return ConsentStatus.OUT_OF_SCOPE if linked else ConsentStatus.MISSING
    statuses = set()
    for consent in matching:
        validity = consent_validity(consent, on)
        statuses.add(coverage(consent, decisions, use_facts, on) if validity == ConsentStatus.COVERED else validity)
    for status in _PREFERENCE:
        if status in statuses:
            return status
    return ConsentStatus.MISSING


def _status(need, person_ids, consents, decisions, use_facts, on):
    """The status of a use that needs `need`, from the people it depicts, its consents and the coverage decisions."""
    if not person_ids:
        return ConsentStatus.MISSING
    statuses = [
        _person_status([c for c in consents if c.person_id == pid], need, decisions, use_facts, on)
        for pid in person_ids
    ]
    return min(statuses, key=_SEVERITY.index)


def consent_status(ai_use, on: datetime.date | None = None) -> ConsentStatus:
    """The consent status of one AI use on a date (today by default)."""
    if use_need(ai_use) is None:
        return ConsentStatus.NOT_NEEDED
    people = [person.id for person in ai_use.people.all()]
    decisions = {decision.consent_id: decision for decision in ai_use.coverage_decisions.all()}
    return status_of(ai_use, people, list(ai_use.consents.all()), decisions, use_facts_fingerprint(ai_use), on)


def link_prefetches(*, people, consents, decisions=None):
    """The prefetches that read the people (`people`: a queryset of them, in the order wanted), consents and
    coverage decisions of uses as plain lists on each: `linked_people`, `linked_consents`, `linked_decisions`. A
    related manager and a cached queryset per use and relation, as prefetch_related keeps them otherwise, cost more
    than the records at thousands of uses. Three queries; `linked_status` reads them."""
    from productions.models import CoverageDecision

    return (
        Prefetch("people", queryset=people, to_attr="linked_people"),
        Prefetch("consents", queryset=consents, to_attr="linked_consents"),
        Prefetch(
            "coverage_decisions",
            queryset=CoverageDecision.objects.all() if decisions is None else decisions,
            to_attr="linked_decisions",
        ),
    )


def read_links(ai_uses, *, people, consents):
    """`link_prefetches` run on a list of uses already read."""
    prefetch_related_objects(ai_uses, *link_prefetches(people=people, consents=consents))
    return ai_uses


def linked_decisions(ai_use):
    """Legal's coverage decisions on a use of `read_links`, by consent id."""
    return {decision.consent_id: decision for decision in ai_use.linked_decisions}


def linked_status(ai_use, on: datetime.date | None = None) -> ConsentStatus:
    """`consent_status` of a use whose links `read_links` read."""
    people = [person.id for person in ai_use.linked_people]
    return status_of(
        ai_use, people, ai_use.linked_consents, linked_decisions(ai_use), use_facts_fingerprint(ai_use), on
    )


def status_of(ai_use, person_ids, consents, decisions, use_facts, on: datetime.date | None = None) -> ConsentStatus:
    """`consent_status` of a use from its links as the caller read them: the ids of the people it depicts, its
    consents, legal's decisions by consent id and its facts' fingerprint."""
    need = use_need(ai_use)
    if need is None:
        return ConsentStatus.NOT_NEEDED
    return _status(need, person_ids, consents, decisions, use_facts, on or timezone.localdate())


class _Terms(NamedTuple):
    """What a status reads of one consent."""

    id: int
    person_id: int
    kind: str
    review_state: str
    separately_signed: bool
    not_separately_signed_reason: str
    covers_likeness: bool
    covers_voice: bool
    term_starts_on: datetime.date | None
    expires_on: datetime.date | None
    revoked_on: datetime.date | None
    scope: str


class _Decision(NamedTuple):
    consent_id: int
    decision: str
    consent_scope: str
    use_facts: str


_SCOPE_ONLY = tuple(name for name in CONSENT_SCOPE_FIELDS if name not in _Terms._fields)


def _terms(use_ids):
    """The consent terms of these uses' consents, by use, in two queries of plain values."""
    from productions.models import AIUse, Consent

    links = list(AIUse.consents.through.objects.filter(aiuse_id__in=use_ids).values_list("aiuse_id", "consent_id"))
    fields = [name for name in _Terms._fields if name != "scope"]
    terms = {}
    for row in Consent.objects.filter(pk__in={consent_id for _use, consent_id in links}).values(*fields, *_SCOPE_ONLY):
        scope = _fingerprint([row[name] for name in CONSENT_SCOPE_FIELDS])
        terms[row["id"]] = _Terms(*(row[name] for name in fields), scope=scope)
    consents = defaultdict(list)
    for use_id, consent_id in links:
        consents[use_id].append(terms[consent_id])
    return consents


def _links(use_ids):
    """The people, consent terms and coverage decisions of these uses, in four queries of plain values."""
    from productions.models import AIUse, CoverageDecision

    people, decisions = defaultdict(list), defaultdict(dict)
    links = AIUse.people.through.objects.filter(aiuse_id__in=use_ids).values_list("aiuse_id", "person_id")
    for use_id, person_id in links:
        people[use_id].append(person_id)
    rows = CoverageDecision.objects.filter(ai_use_id__in=use_ids).values_list("ai_use_id", *_Decision._fields)
    for use_id, *values in rows:
        decision = _Decision(*values)
        decisions[use_id][decision.consent_id] = decision
    return people, _terms(use_ids), decisions


def consent_statuses(ai_uses, on: datetime.date | None = None) -> dict[int, ConsentStatus]:
    """Statuses for many uses at once: a queryset of AI uses, or a list of them; at most six queries.

    People, consents and decisions are read only for the uses that need a consent (the others are "not needed"
    from their performer use alone), as plain values rather than model instances: a production's thousands of
    uses cost milliseconds. For uses whose people and consents are prefetched, `consent_status` costs none.
    """
    on = on or timezone.localdate()
    if isinstance(ai_uses, QuerySet):
        rows = (
            ai_uses.select_related(None)
            .prefetch_related(None)
            .order_by()
            .filter(performer_use__in=NEEDS_CONSENT)
            .values_list("pk", *USE_SCOPE_FIELDS)
        )
        facts = {pk: dict(zip(USE_SCOPE_FIELDS, values, strict=True)) for pk, *values in rows}
        result = dict.fromkeys(
            ai_uses.exclude(performer_use__in=NEEDS_CONSENT).order_by().values_list("pk", flat=True),
            ConsentStatus.NOT_NEEDED,
        )
    else:
        needing = [use for use in ai_uses if use.performer_use in NEEDS_CONSENT]
        result = {use.id: ConsentStatus.NOT_NEEDED for use in ai_uses if use.performer_use not in NEEDS_CONSENT}
        if any(use.get_deferred_fields().intersection(USE_SCOPE_FIELDS) for use in needing):
            # Uses loaded with a table's few columns: their facts in one query, not one per use and field.
            from productions.models import AIUse

            rows = AIUse.objects.filter(pk__in=[use.pk for use in needing]).values_list("pk", *USE_SCOPE_FIELDS)
            facts = {pk: dict(zip(USE_SCOPE_FIELDS, values, strict=True)) for pk, *values in rows}
        else:
            facts = {use.id: {name: _stored(use, name) for name in USE_SCOPE_FIELDS} for use in needing}
    if not facts:
        return result
    people, consents, decisions = _links(list(facts))
    for pk, use in facts.items():
        need = consent_need(use["performer_use"], use["output_type"])
        fingerprint = _fingerprint([use[name] for name in USE_SCOPE_FIELDS])
        result[pk] = _status(need, people.get(pk, []), consents.get(pk, []), decisions.get(pk, {}), fingerprint, on)
    return result


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
