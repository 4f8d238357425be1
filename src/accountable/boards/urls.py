"""Scorecard pages. The first path segment names the navigation section."""

from django.urls import path

from accountable.boards import views

app_name = "scorecards"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("scorecard/", views.scorecard, name="mine"),
    path("scorecard/<int:pk>/", views.scorecard, name="person"),
    path("rollup/", views.rollup, name="rollup"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("leaderboard/tv/", views.leaderboard_tv, name="leaderboard_tv"),
    path("settings/scorecards/", views.scorecard_settings, name="settings"),
]
