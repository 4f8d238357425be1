"""Targets and goals pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.goals import views

app_name = "goals"

urlpatterns = [
    path("targets/", views.targets, name="targets"),
    path("targets/row/", views.target_row, name="target_row"),
    path("targets/split/", views.target_split, name="target_split"),
    path("targets/allocate/", views.target_allocate, name="target_allocate"),
    path("goals/", views.goals, name="goals"),
    path("goals/new/", views.goal_new, name="goal_new"),
    path("goals/check/", views.goal_check, name="goal_check"),
    path("goals/<int:pk>/", views.goal, name="goal"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/done/", views.goal_done, name="goal_done"),
    path("goals/<int:pk>/measures/", views.goal_measures, name="goal_measures"),
    path("goals/person/<int:pk>/", views.person_goals, name="person"),
    path("okrs/", views.okrs, name="okrs"),
    path("okrs/new/", views.objective_new, name="objective_new"),
    path("okrs/<int:pk>/key-results/", views.key_result_new, name="key_result_new"),
    path(
        "okrs/key-results/<int:pk>/confidence/",
        views.key_result_confidence,
        name="key_result_confidence",
    ),
]
