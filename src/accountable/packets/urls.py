"""Review packet pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.packets import views

app_name = "packets"

urlpatterns = [
    path("packets/<int:pk>/", views.packet_page, name="page"),
    path("packets/<int:pk>/packet.pdf", views.packet_download, name="pdf"),
]
