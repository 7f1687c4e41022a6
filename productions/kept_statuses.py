"""Consent statuses kept as data, so that the database filters and counts on them at any size.

A status is computed from the records on a date (productions.consent_status); at 50,000 uses, computing every
status on every request costs most of a page. So each production keeps its uses' statuses (KeptStatus, a row per
use that needs consent) with what they were computed for (StatusSnapshot): the revision of the records a status
reads (people, consents, coverage decisions, uses: productions.revisions) and the date.

`ensure` is the only way in: it reads the current revision of the productions asked for (one query) and recomputes
those whose revision or date moved, writing only the statuses that changed. So a kept status is never older than
the records it is read with: any write through the services, the importer, the admin, an undo or a bulk edit
leaves a history entry that moves the revision; the daily tick (notifications.reminders) moves the date and
recomputes ahead of the day's first page. `check` recomputes everything and compares, for the periodic
verification (`manage.py check_consent_statuses`) and the tests.

The revision is read before the statuses, so a write that commits in between leaves a snapshot older than the
records, recomputed on the next read, never the other way round. Documents that are issued (editions, PDFs)
compute their statuses from the records themselves, not from this table.
"""

import datetime
import uuid
from collections import Counter

from django.db import transaction
from django.db.models import Count, Q, Subquery
from django.utils import timezone

from productions import revisions
from productions.consent_status import NEEDS_CONSENT, ConsentStatus, consent_statuses
from productions.models import AIUse, Consent, CoverageDecision, KeptStatus, Person, Production, StatusSnapshot

# What a status reads (consent_status): the uses' facts and links, the people they depict, the consents and
# legal's coverage decisions. A person's deletion unlinks them from uses without a use history entry: the
# person's own entry moves the revision.
STATUS_SOURCES = {
    "people": (Person, "production"),
    "consents": (Consent, "person__production"),
    "coverage": (CoverageDecision, "ai_use__production"),
    "uses": (AIUse, "production"),
}

BATCH = 2000


def ensure(production_ids, on: datetime.date | None = None) -> int:
    """Make the kept statuses of these productions current for their records and `on` (today); one query when they
    are, and a few more for all those that are not, together. Returns the number of productions recomputed."""
    on = on or timezone.localdate()
    productions = Production.objects.filter(pk__in=list(production_ids))
    found = revisions.revisions(productions, STATUS_SOURCES, "status_snapshot__records", "status_snapshot__on")
    stale = {
        pk: (now, records, kept_on) for pk, (now, records, kept_on) in found.items() if (records, kept_on) != (now, on)
    }
    if stale:
        _recompute(stale, on)
    return len(stale)


def _needing(production_ids):
    return AIUse.objects.filter(production_id__in=production_ids, performer_use__in=NEEDS_CONSENT)


def _recompute(stale, on):
    """The statuses of these productions on `on`, written where they changed, and the snapshots they are for.

    `stale` is {production id: (revision read before the statuses, the snapshot's records and date as read then)}.
    A snapshot is marked current only if it is still as read: a write that was under way meanwhile has marked it
    stale (`mark_stale`) and holds its row until it commits, so this waits, finds it changed, and leaves it stale.
    """
    statuses = consent_statuses(_needing(stale), on=on)
    production_of = dict(_needing(stale).values_list("pk", "production_id"))
    with transaction.atomic():
        kept = dict(KeptStatus.objects.filter(production__in=stale).values_list("ai_use_id", "status"))
        gone = sorted(kept.keys() - statuses.keys())
        for start in range(0, len(gone), BATCH):
            KeptStatus.objects.filter(pk__in=gone[start : start + BATCH]).delete()
        changed = [
            KeptStatus(ai_use_id=pk, production_id=production_of[pk], status=status)
            for pk, status in sorted(statuses.items())
            if kept.get(pk) != status and pk in production_of
        ]
        # An upsert: a concurrent recompute of the same production writes the same rows, in the same order.
        KeptStatus.objects.bulk_create(
            changed, batch_size=BATCH, update_conflicts=True, unique_fields=["ai_use"], update_fields=["status"]
        )
        for pk, (revision, records, kept_on) in sorted(stale.items()):
            if records is not None:
                StatusSnapshot.objects.filter(production_id=pk, records=records, on=kept_on).update(
                    records=revision, on=on
                )
        first = [StatusSnapshot(production_id=pk, records=now, on=on) for pk, (now, records, _on) in stale.items()]
        StatusSnapshot.objects.bulk_create(
            [snapshot for snapshot in first if stale[snapshot.pk][1] is None], ignore_conflicts=True
        )


def mark_stale(production_ids):
    """Within a write's transaction: these productions' kept statuses are not current once it commits.

    Called by every write that can change a status (notifications.blocks.refresh, which each such service calls).
    The revision alone would do, but for a write that took its audit-trail entry before another that committed
    first: a recompute in between would read the other's revision, and this write would commit under it. The
    snapshot row this takes stays locked until the write commits or rolls back, and the marker it leaves is new
    (never a revision, never another write's), so that such a recompute finds the snapshot changed.
    """
    marker = f"stale {uuid.uuid4().hex}"
    StatusSnapshot.objects.bulk_create(
        [
            StatusSnapshot(production_id=pk, records=marker, on=timezone.localdate())
            for pk in sorted(set(production_ids))
        ],
        update_conflicts=True,
        unique_fields=["production"],
        update_fields=["records"],
    )


def current_on(on):
    """Whether kept statuses answer for `on`: they are kept for today only; another date is computed."""
    return on is None or on == timezone.localdate()


def filter_by_status(ai_uses, production_ids, wanted, *, exclude=False):
    """The uses of a queryset (of these productions) whose status today is in `wanted`, or the others with
    `exclude`, filtered in the database on the kept statuses."""
    ensure(production_ids)
    kept = [status for status in wanted if status != ConsentStatus.NOT_NEEDED]
    matching = Q(
        pk__in=Subquery(KeptStatus.objects.filter(production__in=production_ids, status__in=kept).values("pk"))
    )
    if ConsentStatus.NOT_NEEDED in wanted:
        matching |= ~Q(performer_use__in=NEEDS_CONSENT)
    return ai_uses.exclude(matching) if exclude else ai_uses.filter(matching)


def count_with(production_id, wanted) -> int | None:
    """How many of the production's uses have a status in `wanted` today, read from the kept statuses alone (their
    (production, status) index): what filter_by_status keeps of the production's uses, counted without reading
    every use. Call it after filter_by_status, which made the statuses current. None when `wanted` holds
    NOT_NEEDED: a use that needs no consent keeps no status, so only its uses can count it."""
    if ConsentStatus.NOT_NEEDED in wanted:
        return None
    return KeptStatus.objects.filter(production_id=production_id, status__in=list(wanted)).count()


def counts(production_ids) -> Counter:
    """{(production id, status): number of uses} of these productions' uses needing consent, today: one aggregate
    query, on the (production, status) index, once the statuses are current."""
    ensure(production_ids)
    rows = (
        KeptStatus.objects.filter(production__in=production_ids)
        .order_by()
        .values_list("production_id", "status")
        .annotate(count=Count("pk"))
    )
    return Counter({(production_id, status): count for production_id, status, count in rows})


def check(production_ids=None, on=None) -> dict[int, dict]:
    """Recompute the statuses of these productions (all by default) on `on` (today) and compare them with the kept
    ones, after making them current: {production id: {use id: (kept, computed)}} for every difference found.

    Differences mean a write that left no audit-trail entry (which the services exist to prevent); the rows
    are then rewritten, so that what is kept is right again.
    """
    on = on or timezone.localdate()
    if production_ids is None:
        production_ids = list(Production.objects.values_list("pk", flat=True))
    differences = {}
    for production_id in production_ids:
        ensure([production_id], on=on)
        kept = dict(KeptStatus.objects.filter(production_id=production_id).values_list("ai_use_id", "status"))
        computed = consent_statuses(_needing([production_id]), on=on)
        found = {
            pk: (kept.get(pk), computed.get(pk))
            for pk in kept.keys() | computed.keys()
            if kept.get(pk) != computed.get(pk)
        }
        if found:
            differences[production_id] = found
            snapshot = StatusSnapshot.objects.get(production_id=production_id)
            revision = revisions.revision(production_id, STATUS_SOURCES)
            _recompute({production_id: (revision, snapshot.records, snapshot.on)}, on)
    return differences
