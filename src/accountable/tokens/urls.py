from django.urls import path

from accountable.tokens import views

app_name = "tokens"

urlpatterns = [
    path("account/tokens/", views.token_list, name="list"),
    path("account/tokens/new/", views.token_new, name="new"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
