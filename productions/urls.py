from productions.views import (
    bulk,
    consents,
    grid,
    history,
    home,
    import_batches,
    ledger,
    notifications,
    organisations,
    people,
    saved_views,
    settings,
    tokens,
    tools,
    transfer,
)

app_name = "productions"

urlpatterns = [
    *home.urlpatterns,
    *ledger.urlpatterns,
    *bulk.urlpatterns,
    *grid.urlpatterns,
    *saved_views.urlpatterns,
    *people.urlpatterns,
    *consents.urlpatterns,
    *history.urlpatterns,
    *tools.urlpatterns,
    *settings.urlpatterns,
    *organisations.urlpatterns,
    *tokens.urlpatterns,
    *transfer.urlpatterns,
    *import_batches.urlpatterns,
    *notifications.urlpatterns,
]
