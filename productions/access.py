"""How every production page finds its production and checks the user's role.

A non-member gets 404 (the production does not exist for them); a member whose role
lacks the capability gets 403. Pages put `access.context()` in their template context so
the production navigation and role-dependent buttons render.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from productions import selectors
from productions.roles import CAPABILITIES, Capability
from productions.vocabularies import Role


@dataclass(frozen=True)
class ProductionAccess:
    production: object
    role: str

    def can(self, capability):
        return capability in CAPABILITIES.get(self.role, set())

    def require(self, capability):
        if not self.can(capability):
            raise PermissionDenied(_("Your role on this production does not allow this."))
        return self

    def context(self):
        return {
            "production": self.production,
            "role": self.role,
            "role_label": Role(self.role).label,
            # {% if may.edit_records %} ... in templates
            "may": {capability: self.can(capability) for capability in Capability.ALL},
        }


def production_access(request, production_id, capability=Capability.READ):
    """The production (404 for non-members) and the user's role on it (403 without the capability)."""
    production = selectors.get_production(request.user, production_id)
    return ProductionAccess(production, production.role).require(capability)
