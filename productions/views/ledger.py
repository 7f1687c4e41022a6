"""ledger pages."""

urlpatterns = []
