"""Permission classes that delegate to productions.roles; the rules themselves live there."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from productions.roles import can_edit_tool_catalogue


class CatalogueEditorOrReadOnly(BasePermission):
    """Every signed-in user reads the shared tool catalogue; catalogue editors change it."""

    message = _("Only producers maintain the tool catalogue.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or can_edit_tool_catalogue(request.user)
