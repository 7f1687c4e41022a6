from django.urls import path

from productions import views

app_name = "productions"

urlpatterns = [
    path("consents/<int:pk>/document", views.consent_document, name="consent-document"),
]
