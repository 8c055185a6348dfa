from django.urls import path

from . import views

app_name = "rounds"

urlpatterns = [
    path("rounds/", views.round_list, name="list"),
    path("rounds/new/", views.round_create, name="create"),
    path("rounds/<slug:round_slug>/", views.round_detail, name="detail"),
    path("rounds/<slug:round_slug>/edit/", views.round_edit, name="edit"),
    path("rounds/<slug:round_slug>/join/", views.round_join, name="join"),
    path("rounds/<slug:round_slug>/leave/", views.round_leave, name="leave"),
    path("rounds/<slug:round_slug>/invite/", views.round_invite, name="invite"),
    path("rounds/<slug:round_slug>/teams/", views.round_teams, name="teams"),
    path("rounds/<slug:round_slug>/teams/assign/", views.round_assign, name="assign"),
    path("rounds/<slug:round_slug>/report/", views.round_report, name="report"),
]
