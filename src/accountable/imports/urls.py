from django.urls import path

from accountable.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.run_list, name="list"),
    path("imports/new/", views.run_new, name="new"),
    path("imports/templates/<str:kind>.csv", views.template, name="template"),
    path("imports/<int:pk>/", views.run_detail, name="run"),
    path("imports/<int:pk>/columns/", views.run_columns, name="columns"),
    path("imports/<int:pk>/preview/", views.run_preview, name="preview"),
    path("imports/<int:pk>/stages/", views.run_stages, name="stages"),
    path("imports/<int:pk>/apply/", views.run_apply, name="apply"),
    path("imports/<int:pk>/working/", views.run_working, name="working"),
    path("imports/<int:pk>/rejected.csv", views.run_rejects, name="rejects"),
]
