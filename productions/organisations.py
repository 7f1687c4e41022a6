"""Organisations own productions: who belongs, in which role, who may start productions, invitations.

Every write here is checked against the actor's organisation role (productions.roles), validated, audited
and atomic, as in productions.services. People join only through an e-mailed, one-time link: nothing here
looks anyone up by username or e-mail address, and inviting an address never says whether it has an account.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from productions.audit import delete_audited, save_audited
from productions.models import Invitation, Membership, Organisation, OrganisationMembership
from productions.roles import (
    INVITABLE_ORGANISATION_ROLES,
    Capability,
    OrganisationCapability,
    organisation_role_of,
    require,
    require_in_organisation,
)
from productions.vocabularies import OrganisationRole, Role

INVITATION_LIFETIME = datetime.timedelta(days=7)
# Higher ranks first: accepting an invitation never lowers a role someone already has.
RANK = {OrganisationRole.OWNER: 3, OrganisationRole.ADMIN: 2, OrganisationRole.MEMBER: 1}


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token):
    return settings.REELPROOF_PUBLIC_URL + reverse("productions:invitation", args=[token])


def _validated(instance):
    instance.full_clean()
    return instance


# The organisation and its members


@transaction.atomic
def create_organisation(*, actor, name):
    """Anyone signed in may found an organisation (a new studio, say); they become its owner."""
    organisation = save_audited(_validated(Organisation(name=name)), actor, reason="created")
    save_audited(
        OrganisationMembership(organisation=organisation, user=actor, role=OrganisationRole.OWNER),
        actor,
        reason="founder",
    )
    return organisation


@transaction.atomic
def update_organisation(*, actor, organisation, name=None, production_creation=None):
    """Owners rename the organisation and decide who may start productions in it."""
    require_in_organisation(actor, organisation, OrganisationCapability.MANAGE)
    if name is not None:
        organisation.name = name
    if production_creation is not None:
        organisation.production_creation = production_creation
    return save_audited(_validated(organisation), actor)


@transaction.atomic
def add_organisation_member(*, actor, organisation, user, role):
    """An owner puts an account straight into the organisation: for the demo loader and operators' scripts only.

    No page or API call leads here; people join through invitations, which name nobody's account.
    """
    require_in_organisation(actor, organisation, OrganisationCapability.MANAGE)
    if OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"user": _("%(user)s is already a member of this organisation.") % {"user": user}})
    return save_audited(_validated(OrganisationMembership(organisation=organisation, user=user, role=role)), actor)


def _ensure_an_owner_remains(membership, new_role=None):
    if membership.role != OrganisationRole.OWNER or new_role == OrganisationRole.OWNER:
        return
    # Locking the owners' rows stops two owners from demoting each other at the same moment.
    owners = OrganisationMembership.objects.select_for_update().filter(
        organisation_id=membership.organisation_id, role=OrganisationRole.OWNER
    )
    if not [owner for owner in owners if owner.pk != membership.pk]:
        raise ValidationError({"role": _("An organisation keeps at least one owner.")})


@transaction.atomic
def change_organisation_role(*, actor, membership, role):
    require_in_organisation(actor, membership.organisation, OrganisationCapability.MANAGE)
    _ensure_an_owner_remains(membership, new_role=role)
    membership.role = role
    return save_audited(_validated(membership), actor)


@transaction.atomic
def remove_organisation_member(*, actor, membership):
    """Owners remove members; anyone may leave. They leave the organisation's productions with it."""
    if membership.user_id != actor.pk:
        require_in_organisation(actor, membership.organisation, OrganisationCapability.MANAGE)
    _ensure_an_owner_remains(membership)
    productions = Membership.objects.select_for_update().filter(
        user_id=membership.user_id, production__organisation_id=membership.organisation_id
    )
    for production_membership in productions.select_related("production"):
        if production_membership.role == Role.PRODUCER and not (
            Membership.objects.filter(production_id=production_membership.production_id, role=Role.PRODUCER)
            .exclude(pk=production_membership.pk)
            .exists()
        ):
            raise ValidationError(
                _("%(user)s is the only producer of %(production)s: make someone else its producer first.")
                % {"user": membership.user.get_username(), "production": production_membership.production}
            )
        delete_audited(production_membership, actor, reason="left the organisation")
    delete_audited(membership, actor)


def ensure_may_create_productions(actor, organisation):
    """404 outside the organisation, PermissionDenied when its policy does not let the actor start productions."""
    require_in_organisation(actor, organisation, OrganisationCapability.CREATE_PRODUCTIONS)


# Invitations


def _require_may_invite(actor, organisation, production, role):
    if production is not None:
        if production.organisation_id != organisation.pk:
            raise Http404(_("No such production."))
        require(actor, production.pk, Capability.MANAGE_MEMBERS)
        if role != OrganisationRole.MEMBER:
            raise PermissionDenied(_("An invitation to a production makes its guest a member of the organisation."))
        return
    actor_role = require_in_organisation(actor, organisation, OrganisationCapability.INVITE)
    if role not in INVITABLE_ORGANISATION_ROLES[actor_role]:
        raise PermissionDenied(_("You may not invite someone to a role above your own."))


@transaction.atomic
def invite(*, actor, organisation, email, role=OrganisationRole.MEMBER, production=None, production_role=""):
    """Invite an e-mail address; returns the invitation. The link goes out by e-mail once the invitation is saved.

    Whether the address belongs to an account, or to someone already in, is never said: the answer is the same.
    """
    _require_may_invite(actor, organisation, production, role)
    if production is not None and not production_role:
        raise ValidationError({"production_role": _("Choose the role on the production.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        production=production,
        production_role=production_role if production is not None else "",
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    save_audited(_validated(invitation), actor, reason="invited")
    link = invitation_link(token)
    # Sent only once the invitation is stored: a rolled-back invitation must not leave a link in a mailbox.
    transaction.on_commit(lambda: _send_invitation(invitation, link, actor))
    return invitation


def _send_invitation(invitation, link, actor):
    inviter = actor.get_full_name() or actor.get_username()
    place = invitation.production or invitation.organisation
    subject = _("%(inviter)s invites you to %(place)s on Reelproof") % {"inviter": inviter, "place": place}
    body = _(
        "%(inviter)s invites you to join %(place)s (%(organisation)s) on Reelproof.\n\n"
        "Open this link, sign in and accept:\n%(link)s\n\n"
        "The link works once and expires on %(expires)s. If you did not expect it, ignore this message."
    ) % {
        "inviter": inviter,
        "place": place,
        "organisation": invitation.organisation,
        "link": link,
        "expires": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
    }
    send_mail(subject, body, None, [invitation.email])


def invitation_for_token(token):
    """The invitation a link's token opens (whatever its state), or 404."""
    invitation = (
        Invitation.objects.select_related("organisation", "production", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise Http404(_("This invitation link is not valid."))
    return invitation


def refusal(invitation, now=None):
    """Why an invitation can no longer be accepted, in words, or None while it can."""
    now = now or timezone.now()
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn.")
    if invitation.expires_at <= now:
        return _("This invitation expired on %(date)s: ask for a new one.") % {
            "date": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")
        }
    return None


@transaction.atomic
def accept_invitation(*, actor, token):
    """The signed-in actor accepts: they join the organisation and, when named, the production. One use only.

    The link is what grants: whoever opens it signed in gets what the invitation says, nothing more.
    """
    invitation = invitation_for_token(token)
    # Claim the row: of two acceptances at once, the second finds it used.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "production")
        .get(pk=invitation.pk)
    )
    reason = refusal(invitation)
    if reason:
        raise ValidationError(reason, code="invitation_closed")
    production = invitation.production
    if production is not None and Membership.objects.filter(production=production, user=actor).exists():
        raise ValidationError(_("You already work on %(production)s.") % {"production": production})
    membership = OrganisationMembership.objects.filter(organisation=invitation.organisation, user=actor).first()
    if membership is None:
        membership = OrganisationMembership(organisation=invitation.organisation, user=actor, role=invitation.role)
        save_audited(_validated(membership), actor, reason="accepted an invitation")
    elif RANK[OrganisationRole(invitation.role)] > RANK[OrganisationRole(membership.role)]:
        membership.role = invitation.role
        save_audited(_validated(membership), actor, reason="accepted an invitation")
    if production is not None:
        save_audited(
            _validated(Membership(production=production, user=actor, role=invitation.production_role)),
            actor,
            reason="accepted an invitation",
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    save_audited(invitation, actor, reason="accepted")
    return invitation


def _require_may_withdraw(actor, invitation):
    role = organisation_role_of(actor, invitation.organisation_id)
    if role in (OrganisationRole.OWNER, OrganisationRole.ADMIN):
        return
    if invitation.production_id is not None:
        require(actor, invitation.production_id, Capability.MANAGE_MEMBERS)
        return
    require_in_organisation(actor, invitation.organisation, OrganisationCapability.INVITE)


@transaction.atomic
def revoke_invitation(*, actor, invitation):
    """Withdraw a pending invitation: its link stops working. Withdrawing twice changes nothing."""
    _require_may_withdraw(actor, invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted: remove the member instead."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        save_audited(invitation, actor, reason="withdrawn")
    return invitation
