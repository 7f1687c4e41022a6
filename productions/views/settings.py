"""Starting a production, editing its details, and managing who works on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from productions import organisations, selectors, services, tracker_ids
from productions.access import production_access
from productions.forms.production import InvitationForm, MemberRoleForm, NewProductionForm, ProductionForm
from productions.models import Production
from productions.roles import Capability
from productions.vocabularies import Role


def _bound(request):
    return request.POST if request.method == "POST" else None


@login_required
def production_create(request):
    organisations = selectors.organisations_where_user_creates(request.user).order_by("name", "id")
    if not organisations:
        # Nowhere to start one: the page offers to found an organisation instead of a form that cannot succeed.
        context = {"organisations": selectors.organisations_for(request.user).order_by("name", "id")}
        return render(request, "productions/settings/production_form.html", context)
    form = NewProductionForm(_bound(request), organisations=organisations, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            production = services.create_production(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(production)s created: you are its producer.") % {"production": production})
            return redirect("productions:dashboard", pk=production.pk)
    return render(request, "productions/settings/production_form.html", {"form": form})


def _pattern_preview(user, production, data):
    """How the pattern in `data` (as typed, with the kind chosen) reads a few of the production's tracker ids."""
    typed = data.get("tracker_id_pattern", production.tracker_id_pattern).strip()
    if typed:
        try:
            tracker_ids.check_pattern(typed)
        except ValidationError as error:
            return {"error": " ".join(error.messages)}
    # An empty pattern means the default of the kind chosen, saved or not.
    pattern = Production(kind=data.get("kind") or production.kind, tracker_id_pattern=typed).id_pattern
    return {
        "pattern": pattern,
        "is_default": not typed,
        "reads_episode": "{episode}" in pattern,
        "reading": selectors.tracker_id_reading(user, production, pattern),
    }


@require_GET
@login_required
def tracker_id_pattern_preview(request, pk):
    access = production_access(request, pk, Capability.EDIT_PRODUCTION)
    preview = _pattern_preview(request.user, access.production, request.GET)
    return render(request, "productions/settings/_pattern_preview.html", {"preview": preview})


@login_required
def production_edit(request, pk):
    access = production_access(request, pk, Capability.EDIT_PRODUCTION)
    production = access.production
    pattern_before = production.id_pattern
    preview_url = reverse("productions:tracker-id-pattern-preview", args=[pk])
    form = ProductionForm(_bound(request), instance=production, pattern_preview_url=preview_url)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_production(actor=request.user, production=production, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Production details saved."))
            if production.id_pattern != pattern_before:
                messages.info(
                    request,
                    _("The episode and sequence of every use were read again from its tracker id, with %(pattern)s.")
                    % {"pattern": production.id_pattern},
                )
            return redirect("productions:dashboard", pk=production.pk)
    preview = _pattern_preview(request.user, production, request.POST or {})
    # A pattern refused is already said on its field.
    context = access.context() | {"form": form, "pattern_preview": {} if "error" in preview else preview}
    if form.is_bound:
        # The form wrote the refused values onto its instance; the navigation shows the saved title.
        context["production"] = selectors.get_production(request.user, pk)
    return render(request, "productions/settings/production_form.html", context)


def _members_page(request, access, invite_form=None):
    context = access.context() | {
        "members": selectors.members_of(request.user, access.production),
        "invite_form": invite_form or InvitationForm(),
        "role_choices": Role.choices,
    }
    if access.can(Capability.MANAGE_MEMBERS):
        context["invitations"] = selectors.pending_invitations(production=access.production)
    return render(request, "productions/settings/members.html", context)


@login_required
def members(request, pk):
    return _members_page(request, production_access(request, pk))


@require_POST
@login_required
def member_invite(request, pk):
    access = production_access(request, pk, Capability.MANAGE_MEMBERS)
    production = access.production
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = organisations.invite(
                actor=request.user,
                organisation=production.organisation,
                production=production,
                email=form.cleaned_data["email"],
                production_role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The same words whoever the address belongs to: the page tells nobody whether it has an account.
            messages.success(
                request,
                _("An invitation is on its way to %(email)s; it works once, for seven days.")
                % {"email": invitation.email},
            )
            return redirect("productions:members", pk=pk)
    return _members_page(request, access, invite_form=form)


def _membership(request, access, member_pk):
    membership = selectors.get_membership(request.user, member_pk)
    if membership.production_id != access.production.pk:
        raise Http404(_("No such member."))
    return membership


def _after_change(request, pk):
    # Someone who removed themselves, or gave up their own access, can no longer see the page.
    if selectors.productions_for(request.user).filter(pk=pk).exists():
        return redirect("productions:members", pk=pk)
    return redirect("productions:home")


@require_POST
@login_required
def member_role(request, pk, member_pk):
    access = production_access(request, pk, Capability.MANAGE_MEMBERS)
    membership = _membership(request, access, member_pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("productions:members", pk=pk)
    try:
        services.change_member_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
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
def member_remove(request, pk, member_pk):
    access = production_access(request, pk, Capability.MANAGE_MEMBERS)
    membership = _membership(request, access, member_pk)
    username = membership.user.get_username()
    try:
        services.remove_member(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s no longer works on this production.") % {"user": username})
    return _after_change(request, pk)


urlpatterns = [
    path("productions/new/", production_create, name="production-create"),
    path("productions/<int:pk>/edit/", production_edit, name="production-edit"),
    path(
        "productions/<int:pk>/edit/tracker-id-pattern/", tracker_id_pattern_preview, name="tracker-id-pattern-preview"
    ),
    path("productions/<int:pk>/members/", members, name="members"),
    path("productions/<int:pk>/members/invite/", member_invite, name="member-invite"),
    path("productions/<int:pk>/members/<int:member_pk>/role/", member_role, name="member-role"),
    path("productions/<int:pk>/members/<int:member_pk>/remove/", member_remove, name="member-remove"),
]
