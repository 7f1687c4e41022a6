"""TEMPORARY during this session's parallel work: names base.html links to, until their module registers them.

Each module removes its names from here when it builds the real page; this file is deleted before commit.
"""

from django.http import HttpResponseNotFound
from django.urls import path


def _not_built(request, **kwargs):
    return HttpResponseNotFound("not built yet")


urlpatterns = [
    path("", _not_built, name="home"),
    path("productions/<int:pk>/", _not_built, name="dashboard"),
    path("productions/<int:pk>/uses/", _not_built, name="ledger"),
    path("productions/<int:pk>/people/", _not_built, name="people"),
    path("review/", _not_built, name="review-queue"),
    path("tools/", _not_built, name="tools"),
]
