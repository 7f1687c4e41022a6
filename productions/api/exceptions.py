"""One error shape for every API error: {"detail": "...", "code": "...", "errors": {"field": ["message"]}}.

Services raise Django's ValidationError (Conflict, a 409, when someone changed the record first),
PermissionDenied and Http404; DRF raises its own
exceptions. All of them, and database integrity errors that slip past validation, leave
the API in this shape with a 4xx status, never as a 500.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from productions.conflicts import Conflict

INVALID = _("Some of the data is not valid.")


class ConflictError(exceptions.APIException):
    """Someone changed or decided the record first: a 409, so a client knows to reload rather than fix its data."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone changed this record first; reload it and try again.")
    default_code = "conflict"


def _django_errors(error):
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


def _flatten(detail, path=""):
    """DRF error details (nested dicts and lists) as {"field.sub.0": ["message", ...]}."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{path}.{key}" if path else str(key)))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {path or api_settings.NON_FIELD_ERRORS_KEY: [str(item) for item in detail]}
        flat = {}
        for index, value in enumerate(detail):
            if value:
                flat.update(_flatten(value, f"{path}.{index}" if path else str(index)))
        return flat
    return {path or api_settings.NON_FIELD_ERRORS_KEY: [str(detail)]}


def error_body(detail, code, errors=None):
    return {"detail": str(detail), "code": code, "errors": errors or {}}


def _as_api_exception(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, Conflict):
        return ConflictError(" ".join(exc.messages))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_django_errors(exc))
    if isinstance(exc, IntegrityError):
        # Services validate constraints first; this is the race where two writes collide.
        return exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [_("This conflicts with another record; reload and try again.")]}
        )
    return exc


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        general = errors.get(api_settings.NON_FIELD_ERRORS_KEY)
        detail = " ".join(general) if general and len(errors) == 1 else INVALID
        response.data = error_body(detail, "invalid", errors)
    else:
        code = exc.get_codes()
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = error_body(detail, code if isinstance(code, str) else exc.default_code)
    return response


def not_found(request, *args, **kwargs):
    """Any URL under /api/ that names no endpoint: a JSON 404 rather than the HTML page."""
    body = error_body(_("No such endpoint. API URLs end with a slash, e.g. /api/v1/productions/."), "not_found")
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
