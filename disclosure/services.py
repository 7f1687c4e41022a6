"""Writes of disclosure records: legal attestations of checklist items.

An attestation sits beside the computed status of an item and never replaces it. Only a legal
reviewer of the production attests (Http404 for non-members, PermissionDenied for other roles);
every change is audited with who made it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.checklist import RULES_BY_ID
from disclosure.models import ChecklistAttestation
from productions.audit import delete_audited, save_audited
from productions.roles import Capability, require


def _known_item(item_id):
    if item_id not in RULES_BY_ID:
        raise ValidationError({"item_id": _("There is no checklist item %(item)s.") % {"item": item_id}})


@transaction.atomic
def attest_item(*, actor, production, item_id, status, comment):
    """Attest one item with a status and a comment, or update the existing attestation."""
    require(actor, production.id, Capability.ATTEST_CHECKLIST)
    _known_item(item_id)
    attestation = ChecklistAttestation.objects.select_for_update().filter(
        production=production, item_id=item_id
    ).first() or ChecklistAttestation(production=production, item_id=item_id)
    reason = "attested" if attestation._state.adding else "attestation updated"
    attestation.status = status
    attestation.comment = (comment or "").strip()
    attestation.attested_by = actor
    attestation.attested_at = timezone.now()
    attestation.full_clean()
    return save_audited(attestation, actor, reason=reason)


@transaction.atomic
def withdraw_attestation(*, actor, production, item_id):
    """Withdraw the attestation of an item: the computed status stands alone again."""
    require(actor, production.id, Capability.ATTEST_CHECKLIST)
    _known_item(item_id)
    attestation = (
        ChecklistAttestation.objects.select_for_update().filter(production=production, item_id=item_id).first()
    )
    if attestation is None:
        raise ValidationError(_("This item has no attestation to withdraw."))
    delete_audited(attestation, actor, reason="attestation withdrawn")
