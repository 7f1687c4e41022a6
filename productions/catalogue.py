"""Every write to the tool catalogue: curated shared entries, proposals, private tools, organisation policies.

The shared catalogue feeds every production's checklist and statement, so only curators change it, each
change with a reason kept in its history; anyone producing a film proposes corrections for them to decide.
An organisation keeps private tools of its own and says which tools its productions may use.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from productions.audit import delete_audited, save_audited
from productions.models import AITool, OrganisationMembership, OrganisationToolPolicy, ToolProposal
from productions.roles import (
    may_curate,
    may_edit_tool,
    may_propose_tool_changes,
    may_set_tool_policy,
    organisation_role_of,
)
from productions.services import TOOL_FIELDS, _assign, _validated
from productions.vocabularies import ProposalStatus, ToolPolicyStatus

PROPOSAL_REASON = "proposal #%(number)s: %(reason)s"


def _require_reason(reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why: every change of the shared catalogue keeps its reason.")})
    return reason.strip()


def _require_tool_editor(actor, tool):
    """404 for another organisation's private tool, 403 for anyone else who may not edit it."""
    if tool.organisation_id is not None and organisation_role_of(actor, tool.organisation_id) is None:
        raise Http404(_("No such tool."))
    if not may_edit_tool(actor, tool):
        if tool.organisation_id is None:
            raise PermissionDenied(
                _("Only catalogue curators change the shared catalogue: propose a correction instead.")
            )
        raise PermissionDenied(_("Your role in this organisation does not allow this."))


def _reason_for(tool, reason):
    """Shared entries need a reason; a private tool's is optional."""
    return _require_reason(reason) if tool.organisation_id is None else (reason or "").strip()


@transaction.atomic
def create_tool(*, actor, organisation=None, reason="", **fields):
    """Add a shared entry (curators) or a private tool of `organisation` (its tool keepers)."""
    tool = AITool(organisation=organisation)
    _require_tool_editor(actor, tool)
    reason = _reason_for(tool, reason)
    _assign(tool, fields, TOOL_FIELDS)
    return save_audited(_validated(tool), actor, reason=reason)


@transaction.atomic
def update_tool(*, actor, tool, reason="", **fields):
    _require_tool_editor(actor, tool)
    reason = _reason_for(tool, reason)
    _assign(tool, fields, TOOL_FIELDS)
    return save_audited(_validated(tool), actor, reason=reason)


@transaction.atomic
def delete_tool(*, actor, tool, reason=""):
    _require_tool_editor(actor, tool)
    reason = _reason_for(tool, reason)
    if tool.ai_uses.exists():
        raise ValidationError(_("This tool is recorded in AI uses and stays in the catalogue."))
    delete_audited(tool, actor, reason=reason)


# Proposals


def _stored(name, value):
    """A validated value as the proposal's JSON keeps it."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return list(value)
    return value


def _python(name, value):
    return AITool._meta.get_field(name).to_python(value)


def _check_changes(tool, changes):
    """The proposed values that differ from the tool's, validated as the tool's own fields would be."""
    if not isinstance(changes, dict) or not changes:
        raise ValidationError({"changes": _("Propose at least one value.")})
    unknown = sorted(set(changes) - TOOL_FIELDS)
    if unknown:
        raise ValidationError({"changes": _("Not a field of a tool: %(names)s.") % {"names": ", ".join(unknown)}})
    candidate = AITool() if tool is None else AITool.objects.get(pk=tool.pk)
    values = {name: _python(name, value) for name, value in changes.items()}
    differing = {name: value for name, value in values.items() if getattr(candidate, name) != value}
    if not differing:
        raise ValidationError({"changes": _("These are the values the catalogue already holds.")})
    _assign(candidate, differing, TOOL_FIELDS)
    _validated(candidate)
    return {name: _stored(name, value) for name, value in differing.items()}


@transaction.atomic
def propose_tool_change(*, actor, changes, reason, tool=None):
    """Propose corrections of a shared entry, or a new one (no `tool`); nothing changes until a curator accepts."""
    if not may_propose_tool_changes(actor):
        raise PermissionDenied(_("Only producers and curators propose changes to the catalogue."))
    if tool is not None and tool.organisation_id is not None:
        raise ValidationError(_("A private tool is edited by its organisation, not proposed."))
    reason = _require_reason(reason)
    proposal = ToolProposal(
        tool=tool,
        changes=_check_changes(tool, changes),
        reason=reason,
        proposed_by=actor,
        organisation_id=OrganisationMembership.objects.filter(user=actor)
        .order_by("created_at")
        .values_list("organisation_id", flat=True)
        .first(),
    )
    return save_audited(proposal, actor, reason="created")


def _decide(actor, proposal, status, note):
    if not may_curate(actor):
        raise PermissionDenied(_("Only catalogue curators decide on proposals."))
    locked = ToolProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(_("This proposal has already been decided."))
    proposal.status, proposal.decided_by, proposal.decided_at = status, actor, timezone.now()
    proposal.decision_note = (note or "").strip()
    return save_audited(proposal, actor, reason=status)


@transaction.atomic
def accept_proposal(*, actor, proposal, note=""):
    """Apply the proposed values through the catalogue's services, the proposal's reason in the tool's history."""
    _decide(actor, proposal, ProposalStatus.ACCEPTED, note)
    values = {name: _python(name, value) for name, value in proposal.changes.items()}
    reason = PROPOSAL_REASON % {"number": proposal.pk, "reason": proposal.reason}
    if proposal.tool is None:
        proposal.tool = create_tool(actor=actor, reason=reason, **values)
        save_audited(proposal, actor, reason="tool created")
    else:
        tool = AITool.objects.select_for_update().get(pk=proposal.tool_id)
        update_tool(actor=actor, tool=tool, reason=reason, **values)
    return proposal


@transaction.atomic
def reject_proposal(*, actor, proposal, note=""):
    if not (note or "").strip():
        raise ValidationError({"note": _("Tell the proposer why the proposal is rejected.")})
    return _decide(actor, proposal, ProposalStatus.REJECTED, note)


# Organisation policies


@transaction.atomic
def set_tool_policy(*, actor, organisation, tool, status, note=""):
    """Approve, restrict or block a tool for the organisation's productions; no status removes the policy."""
    if organisation_role_of(actor, organisation.pk) is None:
        raise Http404(_("No such organisation."))
    if not may_set_tool_policy(actor, organisation.pk):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))
    if tool.organisation_id not in (None, organisation.pk):
        raise Http404(_("No such tool."))
    policy = OrganisationToolPolicy.objects.select_for_update().filter(organisation=organisation, tool=tool).first()
    if not status:
        if policy is not None:
            delete_audited(policy, actor)
        return None
    if status not in ToolPolicyStatus.values:
        raise ValidationError({"status": _("Choose approved, restricted or blocked.")})
    policy = policy or OrganisationToolPolicy(organisation=organisation, tool=tool)
    policy.status, policy.note, policy.set_by = status, (note or "").strip(), actor
    return save_audited(_validated(policy), actor)
