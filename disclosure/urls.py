from django.http import HttpResponseNotFound
from django.urls import path

app_name = "disclosure"


def _not_built(request, **kwargs):  # TEMPORARY during this session: replaced by the disclosure views
    return HttpResponseNotFound("not built yet")


urlpatterns = [
    path("productions/<int:pk>/disclosure/", _not_built, name="overview"),
]
