"""The app's URLs behind a trivial view: the floor a page's latency is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("config.urls")),
]
