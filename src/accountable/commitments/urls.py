"""Commitment pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.commitments import views

app_name = "commitments"

urlpatterns = [
    path("commitments/", views.commitment_list, name="list"),
    path("commitments/<int:pk>/", views.commitment_detail, name="detail"),
    path("commitments/<int:pk>/report/", views.commitment_report, name="report"),
    path("commitments/<int:pk>/confirm/", views.commitment_confirm, name="confirm"),
    path("commitments/<int:pk>/withdraw/", views.commitment_withdraw, name="withdraw"),
]
