from django.urls import path

from accountable.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_trail, name="list"),
    path("audit/export.csv", views.audit_export, name="export"),
]
