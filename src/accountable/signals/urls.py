from django.urls import path

from accountable.signals import views

app_name = "signals"

urlpatterns = [
    path("watchlist/", views.watchlist, name="watchlist"),
    path("watchlist/<int:pk>/", views.warning, name="warning"),
    path("watchlist/<int:pk>/acknowledge/", views.warning_acknowledge, name="acknowledge"),
    path("watchlist/<int:pk>/resolve/", views.warning_resolve, name="resolve"),
    path("settings/signals/", views.thresholds_settings, name="thresholds"),
]
