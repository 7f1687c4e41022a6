"""tools pages."""

urlpatterns = []
