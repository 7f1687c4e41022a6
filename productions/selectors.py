"""Every read of production data, already scoped to the productions the user belongs to.

An object of a production the user is not a member of does not exist for them: the
`get_*` selectors raise Http404 exactly as for an id that was never used.
"""

from typing import NamedTuple

from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from productions import tracker_ids
from productions.consent_status import with_consent_data
from productions.models import (
    AITool,
    AIUse,
    Consent,
    ImportBatch,
    Invitation,
    LiteracyMeasure,
    Membership,
    Organisation,
    OrganisationMembership,
    OrganisationToolPolicy,
    Person,
    Production,
    SavedView,
    ToolProposal,
)
from productions.roles import may_curate
from productions.vocabularies import OrganisationRole, ProductionCreation, ReviewState, Role, ToolPolicyStatus


def _member(user):
    """The id to match against memberships; an anonymous user matches none.

    Not None: `memberships__user_id=None` would match productions that have no members at all.
    """
    return user.id if user.is_authenticated else 0


def productions_for(user):
    """The user's productions, each annotated with `role`."""
    # One membership per user and production: unordered, so without the joins the model's ordering takes.
    role = Membership.objects.filter(production=OuterRef("pk"), user_id=_member(user)).order_by().values("role")[:1]
    return Production.objects.filter(memberships__user_id=_member(user)).annotate(role=Subquery(role))


def get_production(user, pk):
    """The production with the user's `role` on it, as productions_for gives it (404 for anyone not a member), read
    through the membership: one join, where the list's subquery costs every request twice the SQL to compile."""
    membership = get_object_or_404(
        Membership.objects.select_related("production"), production_id=pk, user_id=_member(user)
    )
    production = membership.production
    production.role = membership.role
    return production


def members_of(user, production):
    return (
        Membership.objects.filter(production=production, production__memberships__user_id=_member(user))
        .select_related("user")
        .order_by("user__username")
    )


def get_membership(user, pk):
    return get_object_or_404(
        Membership.objects.select_related("user", "production"),
        pk=pk,
        production__memberships__user_id=_member(user),
    )


def people_for(user, production=None):
    people = Person.objects.filter(production__memberships__user_id=_member(user)).select_related("production")
    return people.filter(production=production) if production is not None else people


def get_person(user, pk):
    return get_object_or_404(people_for(user), pk=pk)


def consents_for(user, production=None):
    consents = Consent.objects.filter(person__production__memberships__user_id=_member(user)).select_related(
        "person", "person__production", "reviewed_by"
    )
    return consents.filter(person__production=production) if production is not None else consents


def get_consent(user, pk):
    return get_object_or_404(consents_for(user), pk=pk)


def consents_awaiting_review(user):
    """Submitted consents in every production where the user reviews (legal)."""
    # One filter() call: the role must be the user's own membership, not any member's.
    return (
        Consent.objects.filter(
            review_state=ReviewState.SUBMITTED,
            person__production__memberships__user_id=_member(user),
            person__production__memberships__role=Role.LEGAL,
        )
        .select_related("person", "person__production", "reviewed_by")
        .order_by("updated_at")
    )


def ai_uses_for(user, production=None):
    """AI uses with their tool, people and consents loaded: ready for `consent_status` in bulk."""
    uses = AIUse.objects.filter(production__memberships__user_id=_member(user)).select_related("tool", "production")
    if production is not None:
        uses = uses.filter(production=production)
    return with_consent_data(uses)


def get_ai_use(user, pk):
    return get_object_or_404(ai_uses_for(user), pk=pk)


def literacy_measures_for(user, production=None):
    measures = LiteracyMeasure.objects.filter(production__memberships__user_id=_member(user))
    return measures.filter(production=production) if production is not None else measures


def get_literacy_measure(user, pk):
    return get_object_or_404(literacy_measures_for(user), pk=pk)


def _organisations_of(user):
    return OrganisationMembership.objects.filter(user_id=_member(user)).values("organisation_id")


def tool_catalogue(user):
    """The shared catalogue, which every signed-in user reads, and the private tools of the user's organisations."""
    return AITool.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=_organisations_of(user)))


def attach_tools(ai_uses, *fields):
    """Give each of `ai_uses` its tool (only `fields` of it, or all), as select_related would, reading each tool
    once: thousands of uses share a few dozen tools, and a join builds a tool per use, prefetch_related checks and
    sets the relation through its descriptor per use (a fifth of a 35,000-use statement's time). One query."""
    tools = AITool.objects.only(*fields) if fields else AITool.objects.all()
    by_id = tools.in_bulk({ai_use.tool_id for ai_use in ai_uses if ai_use.tool_id is not None})
    relation = AIUse._meta.get_field("tool")
    for ai_use in ai_uses:
        relation.set_cached_value(ai_use, by_id.get(ai_use.tool_id))
    return ai_uses


def tools_for_production(production):
    """The tools a production's uses may name: the shared ones and its organisation's private ones."""
    return AITool.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=production.organisation_id))


def get_tool(user, pk):
    """A tool the user may see; another organisation's private tool does not exist for them (404)."""
    return get_object_or_404(tool_catalogue(user).select_related("organisation"), pk=pk)


def tool_policies_for(user, tool):
    """The policies the user's organisations set on a tool, with their organisation."""
    return OrganisationToolPolicy.objects.filter(tool=tool, organisation_id__in=_organisations_of(user)).select_related(
        "organisation", "set_by"
    )


def tool_policy_status(production):
    """For annotating a production's uses: the status its organisation's policy gives the use's tool, if any."""
    return Subquery(
        OrganisationToolPolicy.objects.filter(
            organisation_id=production.organisation_id, tool_id=OuterRef("tool_id")
        ).values("status")[:1]
    )


def organisations_keeping_tools(user):
    """The organisations whose private tools the user keeps: as owner or admin, or as a producer of a production."""
    managing = [OrganisationRole.OWNER, OrganisationRole.ADMIN]
    keeping = Q(memberships__user_id=_member(user), memberships__role__in=managing)
    producing = Q(productions__memberships__user_id=_member(user), productions__memberships__role=Role.PRODUCER)
    return Organisation.objects.filter(pk__in=Organisation.objects.filter(keeping | producing).values("pk")).order_by(
        "name", "id"
    )


def organisations_setting_tool_policy(user):
    """The organisations where the user, as owner or admin, sets which tools its productions may use."""
    return Organisation.objects.filter(
        memberships__user_id=_member(user), memberships__role__in=[OrganisationRole.OWNER, OrganisationRole.ADMIN]
    )


def tool_policy_of(production, tool_id):
    if tool_id is None:
        return None
    return OrganisationToolPolicy.objects.filter(organisation_id=production.organisation_id, tool_id=tool_id).first()


def flagged_tools(production):
    """The tools the production's organisation blocks or restricts, blocked first."""
    return (
        OrganisationToolPolicy.objects.filter(
            organisation_id=production.organisation_id,
            status__in=[ToolPolicyStatus.BLOCKED, ToolPolicyStatus.RESTRICTED],
        )
        .select_related("tool")
        .order_by("status", "tool__vendor", "tool__product")
    )


def tool_proposals_for(user, tool=None):
    """Every proposal for curators; otherwise the user's own."""
    proposals = ToolProposal.objects.select_related("tool", "proposed_by", "decided_by", "organisation")
    if not may_curate(user):
        proposals = proposals.filter(proposed_by_id=_member(user))
    return proposals.filter(tool=tool) if tool is not None else proposals


def get_tool_proposal(user, pk):
    return get_object_or_404(tool_proposals_for(user), pk=pk)


def tool_usage_for(user, tool):
    """The user's productions that use a tool, with how many uses each."""
    return (
        productions_for(user)
        .filter(ai_uses__tool=tool)
        .annotate(use_count=Count("ai_uses", filter=Q(ai_uses__tool=tool)))
        .order_by("title")
    )


# Organisations: a user sees the organisations they belong to, and nothing of others.


def organisations_for(user):
    """The user's organisations, each annotated with `role` (theirs)."""
    role = OrganisationMembership.objects.filter(organisation=OuterRef("pk"), user_id=_member(user)).values("role")[:1]
    return Organisation.objects.filter(memberships__user_id=_member(user)).annotate(role=Subquery(role))


def get_organisation(user, pk):
    return get_object_or_404(organisations_for(user), pk=pk)


def organisations_where_user_creates(user):
    """Where the user may start a production: as owner or admin, or as any member when the policy allows."""
    return organisations_for(user).filter(
        Q(role__in=[OrganisationRole.OWNER, OrganisationRole.ADMIN]) | Q(production_creation=ProductionCreation.MEMBERS)
    )


def organisation_members_of(user, organisation):
    return (
        OrganisationMembership.objects.filter(
            organisation=organisation, organisation__memberships__user_id=_member(user)
        )
        .select_related("user")
        .order_by("user__username")
    )


def get_organisation_membership(user, pk):
    return get_object_or_404(
        OrganisationMembership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation__memberships__user_id=_member(user),
    )


def pending_invitations(organisation=None, production=None):
    """Invitations not yet accepted, withdrawn or expired, of an organisation or of one production."""
    invitations = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("production", "invited_by", "organisation")
    if organisation is not None:
        invitations = invitations.filter(organisation=organisation)
    if production is not None:
        invitations = invitations.filter(production=production)
    return invitations.order_by("-created_at", "-id")


def invitations_managed_by(user):
    """Invitations the user may see and withdraw: every one of the organisations where they invite (owners and
    admins), and those to the productions whose members they manage (producers)."""
    inviting = OrganisationMembership.objects.filter(
        user_id=_member(user), role__in=[OrganisationRole.OWNER, OrganisationRole.ADMIN]
    ).values("organisation_id")
    producing = Membership.objects.filter(user_id=_member(user), role=Role.PRODUCER).values("production_id")
    return Invitation.objects.filter(Q(organisation_id__in=inviting) | Q(production_id__in=producing)).select_related(
        "organisation", "production", "invited_by"
    )


def tracker_id_taken(ai_uses, external_id, pk=None):
    """Why `external_id` cannot be used among `ai_uses` (another use has it, perhaps spelt otherwise), or ""."""
    key = tracker_ids.tracker_key(external_id)
    other = key and ai_uses.filter(tracker_key=key).exclude(pk=pk).values("title", "external_id").first()
    if not other:
        return ""
    return _("“%(title)s” already has this tracker id, as %(external_id)s. %(rule)s") % {
        **other,
        "rule": tracker_ids.MATCHING_RULE,
    }


def saved_views_for(user, production):
    """The user's own saved views of the production's ledger: nobody sees anyone else's."""
    return SavedView.objects.filter(
        user_id=_member(user), production=production, production__memberships__user_id=_member(user)
    ).order_by("name", "id")


def get_saved_view(user, production, pk):
    return get_object_or_404(saved_views_for(user, production), pk=pk)


def import_batches_for(user, production):
    """The production's imports, newest first, with who imported and who undid each."""
    return ImportBatch.objects.filter(
        production=production, production__memberships__user_id=_member(user)
    ).select_related("imported_by", "undone_by")


def get_import_batch(user, production, pk):
    return get_object_or_404(import_batches_for(user, production).select_related("production"), pk=pk)


class TrackerIdReading(NamedTuple):
    """How a pattern reads the tracker ids of a production."""

    examples: list  # (tracker id, episode, sequence) of a few ids, spread over the ledger in natural order
    count: int  # the uses with a tracker id
    unread_count: int  # the ids it reads neither an episode nor a sequence from
    unread_examples: list


def tracker_id_reading(user, production, pattern, examples=6):
    """How `pattern` would read the production's tracker ids. One query; the ids are read in Python."""
    ids = list(
        ai_uses_for(user, production)
        .select_related(None)
        .prefetch_related(None)
        .exclude(external_id="")
        .order_by("tracker_sort", "pk")
        .values_list("external_id", flat=True)
    )
    readings = [(external_id, *tracker_ids.episode_and_sequence(external_id, pattern)) for external_id in ids]
    unread = [external_id for external_id, episode, sequence in readings if not (episode or sequence)]
    spread = readings[:: max(1, len(readings) // examples)][:examples]
    return TrackerIdReading(spread, len(readings), len(unread), unread[:3])
