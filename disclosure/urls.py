from django.urls import path

from disclosure import views, views_checklist

app_name = "disclosure"

urlpatterns = [
    path("productions/<int:pk>/disclosure/", views.overview, name="overview"),
    path("productions/<int:pk>/disclosure/statement/", views.statement, name="statement"),
    path("productions/<int:pk>/disclosure/statement/<slug:part>/", views.statement_list, name="statement-list"),
    path("productions/<int:pk>/disclosure/documents/", views.documents_partial, name="documents"),
    path("productions/<int:pk>/disclosure/documents/request", views.document_request, name="document-request"),
    path(
        "productions/<int:pk>/disclosure/documents/<uuid:document_id>/download",
        views.document_download,
        name="document-download",
    ),
    path(
        "productions/<int:pk>/disclosure/documents/<uuid:document_id>/retry",
        views.document_retry,
        name="document-retry",
    ),
    path("productions/<int:pk>/disclosure/editions/issue", views.edition_issue, name="edition-issue"),
    path(
        "productions/<int:pk>/disclosure/editions/<uuid:edition_id>/withdraw",
        views.edition_withdraw,
        name="edition-withdraw",
    ),
    # Public: whoever holds a document checks it here, without an account.
    path("verify/<uuid:document_id>/", views.verify, name="verify"),
    *views_checklist.urlpatterns,
]
