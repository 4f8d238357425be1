from django.urls import path

from accountable.org import views

app_name = "org"

urlpatterns = [
    path("org/", views.org_tree, name="tree"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("time-off/", views.time_off, name="time_off"),
    path("time-off/<int:pk>/delete/", views.time_off_delete, name="time_off_delete"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/people/new/", views.person_new, name="person_new"),
    path("settings/teams/new/", views.team_new, name="team_new"),
    path("settings/teams/<int:pk>/", views.team_edit, name="team_edit"),
]
