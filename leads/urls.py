"""Lead spotters' pages (included at the site root by spotter/urls.py)."""

from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("leads/prescreen/", views.queue, name="queue"),
    path("leads/prescreen/<ref:reference>/", views.prescreen, name="prescreen"),
    path(
        "leads/prescreen/<ref:reference>/evidence/<int:evidence_id>/",
        views.evidence,
        name="evidence",
    ),
    path("leads/accuracy/", views.accuracy, name="accuracy"),
    path("leads/reports/<ref:reference>/questions/", views.questions, name="questions"),
    path("leads/questions/<int:question_id>/answer/", views.answer, name="answer"),
    path("leads/admin/accuracy/", views.lead_table, name="table"),
]
