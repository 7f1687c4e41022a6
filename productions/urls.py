from productions.views import _pending, consents, history, home, ledger, people, tools

app_name = "productions"

urlpatterns = [
    *home.urlpatterns,
    *ledger.urlpatterns,
    *people.urlpatterns,
    *consents.urlpatterns,
    *history.urlpatterns,
    *tools.urlpatterns,
    *_pending.urlpatterns,  # TEMPORARY: each module removes its names from _pending when it registers them
]
