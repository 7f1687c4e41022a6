"""Answers every page owes whatever its view: HEAD like GET, OPTIONS with what is allowed, and 413 early."""

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def request_size_cap(get_response):
    """Refuse a request body larger than REQUEST_MAX_BYTES before anything reads it."""

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            message = _("The request is larger than %(limit)s.") % {"limit": filesizeformat(settings.REQUEST_MAX_BYTES)}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware


def head_and_options(get_response):
    """HEAD is answered as GET without the body; OPTIONS, where a view refuses it, with its Allow header.

    Function views limited to GET (require_GET) would refuse HEAD and OPTIONS with 405.
    """

    def middleware(request):
        if request.method == "HEAD":
            request.method = "GET"
            try:
                response = get_response(request)
            finally:
                request.method = "HEAD"
            return _without_body(response)
        response = get_response(request)
        if request.method == "OPTIONS" and response.status_code == 405 and response.has_header("Allow"):
            return _allowed(response["Allow"])
        return response

    return middleware


def _without_body(response):
    # The headers stay those of GET, Content-Length included (set by CommonMiddleware, further in).
    if response.streaming:
        response.streaming_content = []
    else:
        length = response.get("Content-Length")
        response.content = b""
        if length is not None:
            response["Content-Length"] = length
    return response


def _allowed(allow):
    methods = [method.strip().upper() for method in allow.split(",") if method.strip()]
    if "GET" in methods and "HEAD" not in methods:
        methods.append("HEAD")
    if "OPTIONS" not in methods:
        methods.append("OPTIONS")
    return HttpResponse(status=200, headers={"Allow": ", ".join(methods), "Content-Length": "0"})
