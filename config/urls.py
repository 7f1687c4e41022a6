from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("productions.urls")),
    # The records are kept in the admin until the producers' web interface replaces it (issue 3).
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
]
