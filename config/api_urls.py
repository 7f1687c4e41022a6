"""The REST API: version 1 under /api/v1/, its OpenAPI schema and the interactive docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from config.views import ApiDocsView
from productions.api.exceptions import not_found

app_name = "api"

urlpatterns = [
    path("v1/", include("productions.api.urls")),
    path("v1/", include("disclosure.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", not_found),
]
