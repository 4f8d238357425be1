"""Performance review pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.reviews import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.review_list, name="list"),
    path("reviews/<int:pk>/", views.review_detail, name="detail"),
    path("reviews/<int:pk>/assessment/", views.assessment_save, name="assessment"),
    path("reviews/<int:pk>/outcome/", views.outcome_record, name="outcome"),
    path("reviews/<int:pk>/acknowledge/", views.outcome_acknowledge, name="acknowledge"),
]
