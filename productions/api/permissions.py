"""Permission classes that delegate to productions.roles; the rules themselves live there."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from productions.roles import may_edit_tool


class ToolEditorOrReadOnly(BasePermission):
    """Everyone signed in reads the tools they see; curators change shared entries, an organisation its own."""

    message = _("Only catalogue curators change the shared catalogue: propose a correction instead.")

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or may_edit_tool(request.user, obj)
