"""Plan pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.plans import views

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/accounts/", views.account_plans, name="accounts"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/present/", views.plan_present, name="present"),
    path("plans/<int:pk>/update/", views.plan_update, name="update"),
    path("plans/<int:pk>/decide/", views.plan_decide, name="decide"),
    path("plans/<int:pk>/comment/", views.plan_comment, name="comment"),
    path("plans/<int:pk>/actions/", views.action_add, name="action_add"),
    path("plans/<int:pk>/actions/<int:action_pk>/", views.action_set, name="action_set"),
    path("plans/<int:pk>/review/", views.plan_review, name="review"),
    path("plans/reviews/<int:pk>/sign-off/", views.review_sign_off, name="sign_off"),
    path("plans/catch-ups/<int:pk>/close/", views.catch_up_close, name="catch_up_close"),
    path("accounts/<int:pk>/", views.account_page, name="account"),
]
