"""Forecast pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.forecasts import views

app_name = "forecasts"

urlpatterns = [
    path("forecasts/", views.mine, name="mine"),
    path("forecasts/team/", views.team, name="team"),
    path("forecasts/<int:pk>/adjust/", views.adjust, name="adjust"),
]
