"""The app's URLs behind the views a page's latency is compared with.

- `trivial`: `HttpResponse("ok")`, the floor of any Django view (the issue's baseline);
- `empty_page`: signed in, the app's layout with nothing in it (what every page of the app pays);
- `empty_api`: a DRF view with the API's authentication, permissions and renderer, answering `{}`.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}{% block title %}Bench{% endblock %}')


def trivial(request):
    return HttpResponse("ok")


@login_required
def empty_page(request):
    return HttpResponse(EMPTY_PAGE.render(request=request))


class EmptyApi(APIView):
    def get(self, request):
        return Response({})


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/empty-page/", empty_page, name="bench-empty-page"),
    path("bench/empty-api/", EmptyApi.as_view(), name="bench-empty-api"),
    path("", include("config.urls")),
]
