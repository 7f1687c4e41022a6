"""Organisations: the user's, one at a glance (members, policy, invitations), and accepting an invitation.

A non-member of an organisation gets 404, as for productions; a member whose role lacks the capability 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from productions import organisations, selectors
from productions.access import organisation_access
from productions.forms.organisations import (
    NewOrganisationForm,
    OrganisationForm,
    OrganisationInvitationForm,
    OrganisationRoleForm,
)
from productions.roles import OrganisationCapability
from productions.vocabularies import OrganisationRole


@require_http_methods(["GET", "POST"])
@login_required
def organisation_list(request):
    form = NewOrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisations.create_organisation(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(organisation)s founded: you are its owner.") % {"organisation": organisation}
            )
            return redirect("productions:organisation", pk=organisation.pk)
    mine = list(selectors.organisations_for(request.user).order_by("name", "id"))
    for organisation in mine:
        organisation.role_label = OrganisationRole(organisation.role).label
    context = {"organisations": mine, "form": form}
    return render(request, "productions/organisations/list.html", context)


def _organisation_page(request, access, *, settings_form=None, invite_form=None):
    organisation = access.organisation
    context = access.context() | {
        "members": selectors.organisation_members_of(request.user, organisation),
        "productions": selectors.productions_for(request.user).filter(organisation=organisation).order_by("title"),
        "settings_form": settings_form or OrganisationForm(instance=organisation),
        "invite_form": invite_form or OrganisationInvitationForm(),
        "role_choices": OrganisationRole.choices,
        "tool_policies": organisation.tool_policies.select_related("tool", "set_by"),
        "private_tools": organisation.private_tools.all(),
    }
    if access.can(OrganisationCapability.INVITE):
        context["invitations"] = selectors.pending_invitations(organisation=organisation)
    return render(request, "productions/organisations/detail.html", context)


@login_required
def organisation_detail(request, pk):
    return _organisation_page(request, organisation_access(request, pk))


@require_POST
@login_required
def organisation_settings(request, pk):
    access = organisation_access(request, pk, OrganisationCapability.MANAGE)
    # Bound to a copy: a refused name must not show up in the page's title.
    form = OrganisationForm(request.POST, instance=selectors.get_organisation(request.user, pk))
    if form.is_valid():
        try:
            organisations.update_organisation(actor=request.user, organisation=access.organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Organisation settings saved."))
            return redirect("productions:organisation", pk=pk)
    return _organisation_page(request, access, settings_form=form)


@require_POST
@login_required
def organisation_invite(request, pk):
    access = organisation_access(request, pk, OrganisationCapability.INVITE)
    form = OrganisationInvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = organisations.invite(actor=request.user, organisation=access.organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The same words whoever the address belongs to: the page tells nobody whether it has an account.
            messages.success(
                request,
                _("An invitation is on its way to %(email)s; it works once, for seven days.")
                % {"email": invitation.email},
            )
            return redirect("productions:organisation", pk=pk)
    return _organisation_page(request, access, invite_form=form)


def _organisation_membership(request, access, member_pk):
    membership = selectors.get_organisation_membership(request.user, member_pk)
    if membership.organisation_id != access.organisation.pk:
        raise Http404(_("No such member."))
    return membership


def _after_change(request, pk):
    # Someone who left, or removed themselves, can no longer see the page.
    if selectors.organisations_for(request.user).filter(pk=pk).exists():
        return redirect("productions:organisation", pk=pk)
    return redirect("productions:organisations")


@require_POST
@login_required
def organisation_member_role(request, pk, member_pk):
    access = organisation_access(request, pk, OrganisationCapability.MANAGE)
    membership = _organisation_membership(request, access, member_pk)
    form = OrganisationRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("productions:organisation", pk=pk)
    try:
        organisations.change_organisation_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(user)s now has the role %(role)s.")
            % {"user": membership.user.get_username(), "role": membership.get_role_display()},
        )
    return _after_change(request, pk)


@require_POST
@login_required
def organisation_member_remove(request, pk, member_pk):
    # Anyone may leave; removing someone else takes an owner (the service checks which).
    access = organisation_access(request, pk)
    membership = _organisation_membership(request, access, member_pk)
    username = membership.user.get_username()
    try:
        organisations.remove_organisation_member(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s no longer belongs to this organisation.") % {"user": username})
    return _after_change(request, pk)


@require_POST
@login_required
def invitation_revoke(request, pk):
    invitation = get_object_or_404(selectors.invitations_managed_by(request.user), pk=pk)
    try:
        organisations.revoke_invitation(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    if (
        invitation.production_id
        and selectors.productions_for(request.user).filter(pk=invitation.production_id).exists()
    ):
        return redirect("productions:members", pk=invitation.production_id)
    return redirect("productions:organisation", pk=invitation.organisation_id)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def invitation(request, token):
    """The link sent by e-mail: shows what it grants, and accepts it on POST."""
    invitation = organisations.invitation_for_token(token)
    if request.method == "POST":
        try:
            organisations.accept_invitation(actor=request.user, token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if invitation.production_id:
                messages.success(
                    request,
                    _("Welcome to %(production)s, as %(role)s.")
                    % {"production": invitation.production, "role": invitation.get_production_role_display()},
                )
                return redirect("productions:dashboard", pk=invitation.production_id)
            messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation})
            return redirect("productions:organisation", pk=invitation.organisation_id)
    context = {"invitation": invitation, "refusal": organisations.refusal(invitation)}
    return render(request, "productions/organisations/invitation.html", context)


urlpatterns = [
    path("organisations/", organisation_list, name="organisations"),
    path("organisations/<int:pk>/", organisation_detail, name="organisation"),
    path("organisations/<int:pk>/settings/", organisation_settings, name="organisation-settings"),
    path("organisations/<int:pk>/invite/", organisation_invite, name="organisation-invite"),
    path("organisations/<int:pk>/members/<int:member_pk>/role/", organisation_member_role, name="organisation-role"),
    path(
        "organisations/<int:pk>/members/<int:member_pk>/remove/",
        organisation_member_remove,
        name="organisation-member-remove",
    ),
    path("invitations/<int:pk>/withdraw/", invitation_revoke, name="invitation-revoke"),
    path("invitations/<str:token>/", invitation, name="invitation"),
]
