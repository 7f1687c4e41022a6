"""The app's URLs behind the views a page's latency is compared with.

- `floor_page`: the floor of the app's pages (issue 16): signed in, the membership check every production page
  makes (`production_access`), 50 AI uses of the production with their tool, in the app's layout;
- `trivial`: `HttpResponse("ok")`, the floor of any Django view (it loads no session);
- `empty_page`: signed in, the app's layout with nothing in it;
- `empty_api`: a DRF view with the API's authentication, permissions and renderer, answering `{}`.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from productions.access import production_access
from productions.models import AIUse

EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}{% block title %}Bench{% endblock %}')
FLOOR_PAGE = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}{{ production.title }}{% endblock %}
{% block content %}
<h1>{{ production.title }}</h1>
<table>
  <thead><tr><th scope="col">Tracker id</th><th scope="col">Title</th><th scope="col">Tool</th></tr></thead>
  <tbody>
  {% for use in uses %}
    <tr><td>{{ use.external_id }}</td><td>{{ use.title }}</td><td>{{ use.tool|default:"—" }}</td></tr>
  {% endfor %}
  </tbody>
</table>
{% endblock %}"""
)
FLOOR_ROWS = 50


def trivial(request):
    return HttpResponse("ok")


@login_required
def empty_page(request):
    return HttpResponse(EMPTY_PAGE.render(request=request))


@login_required
def floor_page(request, pk):
    access = production_access(request, pk)
    # In an index's order, as the ledger sorted by tracker id: the first 50 cost the same at any size.
    uses = AIUse.objects.filter(production=access.production).select_related("tool").order_by("tracker_sort", "pk")
    return HttpResponse(FLOOR_PAGE.render({**access.context(), "uses": uses[:FLOOR_ROWS]}, request=request))


class EmptyApi(APIView):
    def get(self, request):
        return Response({})


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/empty-page/", empty_page, name="bench-empty-page"),
    path("bench/empty-api/", EmptyApi.as_view(), name="bench-empty-api"),
    path("bench/productions/<int:pk>/floor/", floor_page, name="bench-floor"),
    path("", include("config.urls")),
]
