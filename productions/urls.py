from productions.views import consents, history, home, ledger, people, settings, tokens, tools

app_name = "productions"

urlpatterns = [
    *home.urlpatterns,
    *ledger.urlpatterns,
    *people.urlpatterns,
    *consents.urlpatterns,
    *history.urlpatterns,
    *tools.urlpatterns,
    *settings.urlpatterns,
    *tokens.urlpatterns,
]
