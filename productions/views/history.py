"""history pages."""

urlpatterns = []
