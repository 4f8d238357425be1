from django.contrib.auth import views as auth_views
from django.urls import include, path

from accountable.api.router import api
from accountable.boards import home as home_view
from accountable.core import views as core_views

auth = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", home_view.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    *auth,
    path("", include("accountable.org.urls")),
    path("", include("accountable.org.audit_urls")),
    path("", include("accountable.crm.urls")),
    path("", include("accountable.goals.urls")),
    path("", include("accountable.commitments.urls")),
    path("", include("accountable.forecasts.urls")),
    path("", include("accountable.imports.urls")),
    path("", include("accountable.tokens.urls")),
    path("", include("accountable.boards.urls")),
    path("", include("accountable.signals.urls")),
    path("", include("accountable.checkins.urls")),
    path("", include("accountable.plans.urls")),
    path("", include("accountable.packets.urls")),
    path("", include("accountable.reviews.urls")),
    path("api/", api.urls),
]
