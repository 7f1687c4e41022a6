"""OpenAPI generation: every operation documents the errors it can answer with, in the one error shape."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import SAFE_METHODS, AllowAny

from productions.api.serializers import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": _("The data or a query parameter is not valid; `errors` says which and why."),
    "401": _("No credentials, or an invalid or revoked token."),
    "403": _("Your role on the production does not allow this (or the session's CSRF check failed)."),
    "404": _("No such record, or it belongs to a production you are not a member of."),
    "409": _(
        "Someone changed the record since the version you sent, or already decided on it: nothing was"
        " overwritten. Read it again and reapply your change."
    ),
    "415": _("The request body's media type is not accepted here."),
    "429": _("Too many requests; retry after the number of seconds in the Retry-After header."),
}


class AutoSchema(openapi.AutoSchema):
    def _is_public(self):
        return all(permission is AllowAny for permission in self.view.permission_classes)

    def _error_codes(self):
        codes = {"404", "429"}
        writes = self.method not in SAFE_METHODS
        if not self._is_public():
            codes.add("401")
            if writes:
                codes.add("403")
        if writes or self._is_list_view() or self.get_override_parameters():
            codes.add("400")
        if self.method in {"POST", "PUT", "PATCH"} and self.get_request_serializer() is not None:
            codes.add("415")
        if getattr(self.view, "action", None) in getattr(self.view, "conflicting_actions", ()):
            codes.add("409")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in sorted(self._error_codes()):
            if code not in responses:
                error = OpenApiResponse(ErrorSerializer, description=str(ERROR_DESCRIPTIONS[code]))
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses
