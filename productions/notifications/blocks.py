"""Which AI uses are newly blocked by their consents, told once.

A use's status is computed from the records (productions.consent_status); a `BlockedUse` row remembers the
blocking status the notifications last told, so that the same block is told once, and an expiry, which changes
no record, is found by the daily reminders.
"""

from collections import defaultdict

from django.utils import timezone

from productions import kept_statuses
from productions.consent_status import BLOCKING_STATUSES, NEEDS_CONSENT, ConsentStatus, consent_statuses
from productions.models import AIUse, BlockedUse
from productions.notifications import events


def refresh(ai_uses, on=None, *, written=True):
    """Compare the statuses of these uses (a queryset) on `on` (today) with the blocks last told; tell the new ones.

    Every write that can change a status calls it, in its transaction (`written`): the kept statuses of the uses'
    productions are marked stale there (productions.kept_statuses). Returns the number of uses newly blocked.
    """
    on = on or timezone.localdate()
    if written:
        kept_statuses.mark_stale(ai_uses.order_by().values_list("production_id", flat=True).distinct())
    statuses = consent_statuses(ai_uses.filter(performer_use__in=NEEDS_CONSENT), on=on)
    known = dict(BlockedUse.objects.filter(ai_use_id__in=list(statuses)).values_list("ai_use_id", "status"))
    unblocked = [pk for pk, status in known.items() if statuses.get(pk) not in BLOCKING_STATUSES]
    BlockedUse.objects.filter(ai_use_id__in=unblocked).delete()
    # A use whose performer use no longer needs consent is no longer blocked either.
    BlockedUse.objects.filter(ai_use__in=ai_uses).exclude(ai_use__performer_use__in=NEEDS_CONSENT).delete()
    newly = {pk: status for pk, status in statuses.items() if status in BLOCKING_STATUSES and known.get(pk) != status}
    if not newly:
        return 0
    BlockedUse.objects.filter(ai_use_id__in=list(newly)).delete()
    BlockedUse.objects.bulk_create([BlockedUse(ai_use_id=pk, status=status, since=on) for pk, status in newly.items()])
    groups = defaultdict(list)
    for ai_use in AIUse.objects.filter(pk__in=list(newly)).select_related("production").order_by("title", "pk"):
        groups[ai_use.production, newly[ai_use.pk]].append(ai_use)
    for (production, status), uses in groups.items():
        if status == ConsentStatus.SCOPE_TO_CONFIRM:
            events.coverage_awaited(production, uses, on)
        else:
            events.uses_blocked(production, status, uses, on)
    return len(newly)


def refresh_consent(consent, on=None):
    """After a change to a consent: the uses relying on it."""
    return refresh(AIUse.objects.filter(consents=consent), on=on)
