"""Check-in pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.checkins import report_views, review_views, views

app_name = "checkins"

urlpatterns = [
    path("checkins/", views.checkin_list, name="list"),
    path("checkins/<int:pk>/", views.checkin_detail, name="detail"),
    path("checkins/<int:pk>/invite.ics", views.checkin_invite, name="invite"),
    path("checkins/<int:pk>/agenda/", views.checkin_agenda, name="agenda"),
    path("checkins/<int:pk>/notes/", views.checkin_notes, name="notes"),
    path("checkins/<int:pk>/hold/", views.checkin_hold, name="hold"),
    path("checkins/<int:pk>/reschedule/", views.checkin_reschedule, name="reschedule"),
    path("checkins/<int:pk>/cancel/", views.checkin_cancel, name="cancel"),
    path("checkins/<int:pk>/actions/", views.checkin_action, name="action"),
    path("checkins/<int:pk>/commitments/", views.checkin_commitment, name="commitment"),
    path("checkins/actions/<int:pk>/", views.action_state, name="action_state"),
    path("checkins/reports/", report_views.report_page, name="reports"),
    path("checkins/pipeline/", review_views.review_list, name="reviews"),
    path("checkins/pipeline/<int:pk>/", review_views.review_detail, name="review"),
    path("checkins/pipeline/<int:pk>/decide/", review_views.review_decide, name="review_decide"),
    path("checkins/pipeline/<int:pk>/notes/", review_views.review_notes, name="review_notes"),
    path("checkins/cadence/<int:pk>/", report_views.proposal_decide, name="cadence_decide"),
]
