"""How pages, the API and disclosure find a production (or organisation) and check the user's role.

A non-member gets 404 (the production does not exist for them); a member whose role
lacks the capability gets 403. Pages put `access.context()` in their template context so
the production navigation and role-dependent buttons render.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from productions import selectors
from productions.roles import CAPABILITIES, Capability, OrganisationCapability, organisation_can
from productions.vocabularies import OrganisationRole, Role


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


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: object
    role: str

    def can(self, capability):
        return organisation_can(self.role, capability, self.organisation)

    def require(self, capability):
        if not self.can(capability):
            raise PermissionDenied(_("Your role in this organisation does not allow this."))
        return self

    def context(self):
        return {
            "organisation": self.organisation,
            "organisation_role": self.role,
            "organisation_role_label": OrganisationRole(self.role).label,
            # {% if may.invite %} ... in templates
            "may": {capability: self.can(capability) for capability in OrganisationCapability.ALL},
        }


def organisation_access(request, organisation_id, capability=OrganisationCapability.READ):
    """The organisation (404 for non-members) and the user's role in it (403 without the capability)."""
    organisation = selectors.get_organisation(request.user, organisation_id)
    return OrganisationAccess(organisation, organisation.role).require(capability)
