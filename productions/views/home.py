"""home pages."""

urlpatterns = []
