"""The audit trail's pages, under the `audit` namespace."""

from django.urls import path

from accountable.org import audit_views as views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_trail, name="list"),
    path("audit/export.csv", views.audit_export, name="export"),
]
