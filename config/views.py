"""The interactive API docs, served under our Content-Security-Policy."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer


# Swagger UI styles its elements inline and draws its icons as data: images; its script is served from
# this view's own URL (?script), so scripts stay limited to 'self'.
@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    def get_renderers(self):
        # The page is an HTML template, which cannot render OPTIONS' description of the view.
        if self.request.method == "OPTIONS":
            return [JSONRenderer()]
        return super().get_renderers()
