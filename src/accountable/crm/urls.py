"""Sales data pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.crm import views

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
]
