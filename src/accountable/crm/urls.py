"""Sales data pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.crm import pipeline_views, views

app_name = "crm"

urlpatterns = [
    path("deals/", views.deals, name="deals"),
    path("deals/new/", views.deal_new, name="deal_new"),
    path("deals/<int:pk>/", views.deal, name="deal"),
    path("deals/<int:pk>/edit/", views.deal_edit, name="deal_edit"),
    path(
        "deals/<int:pk>/milestones/<int:milestone_pk>/",
        views.deal_milestone,
        name="deal_milestone",
    ),
    path("activities/", views.activities, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/new/", views.feedback_new, name="feedback_new"),
    path("settings/pipeline/", pipeline_views.pipeline_page, name="pipeline"),
    path("settings/pipeline/stages/<int:pk>/", pipeline_views.stage_edit, name="stage_edit"),
    path("settings/pipeline/stages/<int:pk>/move/", pipeline_views.stage_move, name="stage_move"),
    path(
        "settings/pipeline/stages/<int:pk>/merge/", pipeline_views.stage_merge, name="stage_merge"
    ),
    path(
        "settings/pipeline/stages/<int:pk>/delete/",
        pipeline_views.stage_delete,
        name="stage_delete",
    ),
    path(
        "settings/pipeline/stages/<int:pk>/milestones/",
        pipeline_views.milestone_add,
        name="milestone_add",
    ),
    path(
        "settings/pipeline/milestones/<int:pk>/delete/",
        pipeline_views.milestone_delete,
        name="milestone_delete",
    ),
]
