from productions.views import (
    consents,
    history,
    home,
    ledger,
    notifications,
    organisations,
    people,
    settings,
    tokens,
    tools,
    transfer,
)

app_name = "productions"

urlpatterns = [
    *home.urlpatterns,
    *ledger.urlpatterns,
    *people.urlpatterns,
    *consents.urlpatterns,
    *history.urlpatterns,
    *tools.urlpatterns,
    *settings.urlpatterns,
    *organisations.urlpatterns,
    *tokens.urlpatterns,
    *transfer.urlpatterns,
    *notifications.urlpatterns,
]
