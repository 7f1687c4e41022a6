"""What each role on a production may do, declared once (domain.md §2, Member)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from productions.vocabularies import OrganisationRole, ProductionCreation, Role


class Capability:
    READ = "read"
    EXPORT = "export"
    EDIT_PRODUCTION = "edit_production"
    MANAGE_MEMBERS = "manage_members"
    EDIT_RECORDS = "edit_records"  # AI uses, people, literacy measures
    EDIT_CONSENTS = "edit_consents"
    REVIEW_CONSENTS = "review_consents"
    ATTEST_CHECKLIST = "attest_checklist"
    ISSUE = "issue"  # issue and withdraw editions of disclosure documents
    SIGN_OFF = "sign_off"  # let an edition be issued despite what blocks it, with a reason
    ALL = (
        READ,
        EXPORT,
        EDIT_PRODUCTION,
        MANAGE_MEMBERS,
        EDIT_RECORDS,
        EDIT_CONSENTS,
        REVIEW_CONSENTS,
        ATTEST_CHECKLIST,
        ISSUE,
        SIGN_OFF,
    )


CAPABILITIES = {
    Role.PRODUCER: {
        Capability.READ,
        Capability.EXPORT,
        Capability.EDIT_PRODUCTION,
        Capability.MANAGE_MEMBERS,
        Capability.EDIT_RECORDS,
        Capability.EDIT_CONSENTS,
        Capability.ISSUE,
    },
    # Legal reviews what producers record; it does not approve its own edits away from producers.
    Role.LEGAL: {
        Capability.READ,
        Capability.EXPORT,
        Capability.EDIT_CONSENTS,
        Capability.REVIEW_CONSENTS,
        Capability.ATTEST_CHECKLIST,
        Capability.ISSUE,
        Capability.SIGN_OFF,
    },
    # Viewers read, export drafts and download issued documents; they never issue or supersede anything.
    Role.VIEWER: {Capability.READ, Capability.EXPORT},
}


def role_of(user, production_id):
    """The user's role on a production, or None when they are not a member."""
    if not user.is_authenticated:
        return None
    from productions.models import Membership

    return Membership.objects.filter(user=user, production_id=production_id).values_list("role", flat=True).first()


def can(role, capability):
    return role is not None and capability in CAPABILITIES.get(role, set())


def require(user, production_id, capability):
    """Raise Http404 for a non-member and PermissionDenied for a member whose role lacks the capability."""
    role = role_of(user, production_id)
    if role is None:
        raise Http404(_("No such production."))
    if not can(role, capability):
        raise PermissionDenied(_("Your role on this production does not allow this."))
    return role


# The tool catalogue: shared entries are curated; an organisation keeps private tools of its own.


def may_curate(user):
    """Curators (staff, or given `productions.curate_catalogue` in the admin) change the shared catalogue."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.has_perm("productions.curate_catalogue")


def may_keep_private_tools(user, organisation_id):
    """Owners and admins of an organisation, and producers of its productions, keep its private tools."""
    if not user.is_authenticated or organisation_id is None:
        return False
    from productions.models import Membership, OrganisationMembership

    return (
        OrganisationMembership.objects.filter(
            user=user,
            organisation_id=organisation_id,
            role__in=[OrganisationRole.OWNER, OrganisationRole.ADMIN],
        ).exists()
        or Membership.objects.filter(
            user=user, role=Role.PRODUCER, production__organisation_id=organisation_id
        ).exists()
    )


def may_edit_tool(user, tool):
    """Curators edit shared entries; an organisation's tool keepers edit its private ones."""
    if tool.organisation_id is None:
        return may_curate(user)
    return may_keep_private_tools(user, tool.organisation_id)


def may_propose_tool_changes(user):
    """Producers of any production (and curators) propose corrections of the shared catalogue."""
    if not user.is_authenticated:
        return False
    return may_curate(user) or user.memberships.filter(role=Role.PRODUCER).exists()


def may_set_tool_policy(user, organisation_id):
    """Owners and admins say which tools their organisation's productions may use."""
    return organisation_role_of(user, organisation_id) in {OrganisationRole.OWNER, OrganisationRole.ADMIN}


# Organisations (the studio or company that owns productions): what each organisation role may do.


class OrganisationCapability:
    READ = "read"  # see the organisation, its members, its policy and pending invitations
    INVITE = "invite"  # invite people by e-mail to the organisation
    CREATE_PRODUCTIONS = "create_productions"
    MANAGE = "manage"  # rename, change roles and the policy, remove members
    ALL = (READ, INVITE, CREATE_PRODUCTIONS, MANAGE)


ORGANISATION_CAPABILITIES = {
    OrganisationRole.OWNER: {
        OrganisationCapability.READ,
        OrganisationCapability.INVITE,
        OrganisationCapability.CREATE_PRODUCTIONS,
        OrganisationCapability.MANAGE,
    },
    OrganisationRole.ADMIN: {
        OrganisationCapability.READ,
        OrganisationCapability.INVITE,
        OrganisationCapability.CREATE_PRODUCTIONS,
    },
    OrganisationRole.MEMBER: {OrganisationCapability.READ},
}

# Who may invite to which role in the organisation: never above one's own.
INVITABLE_ORGANISATION_ROLES = {
    OrganisationRole.OWNER: set(OrganisationRole),
    OrganisationRole.ADMIN: {OrganisationRole.ADMIN, OrganisationRole.MEMBER},
    OrganisationRole.MEMBER: set(),
}


def organisation_role_of(user, organisation_id):
    """The user's role in an organisation, or None when they do not belong to it."""
    if not user.is_authenticated:
        return None
    from productions.models import OrganisationMembership

    return (
        OrganisationMembership.objects.filter(user=user, organisation_id=organisation_id)
        .values_list("role", flat=True)
        .first()
    )


def organisation_can(role, capability, organisation):
    """Whether an organisation role has a capability there; the organisation's policy may open production creation."""
    if role is None:
        return False
    if capability == OrganisationCapability.CREATE_PRODUCTIONS and (
        organisation.production_creation == ProductionCreation.MEMBERS
    ):
        return True
    return capability in ORGANISATION_CAPABILITIES.get(role, set())


def require_in_organisation(user, organisation, capability):
    """Raise Http404 for a non-member and PermissionDenied for a member whose role lacks the capability."""
    role = organisation_role_of(user, organisation.pk)
    if role is None:
        raise Http404(_("No such organisation."))
    if not organisation_can(role, capability, organisation):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))
    return role
