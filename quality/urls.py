from django.urls import path

from .views import dashboards, fast_track, reviews, volunteers

app_name = "quality"

urlpatterns = [
    path("dashboard/", dashboards.programme, name="dashboard"),
    path("dashboard/company/", dashboards.company, name="company_dashboard"),
    path("dashboard/csv/<slug:name>.csv", dashboards.chart_csv, name="chart_csv"),
    path("dashboard/volunteers/", dashboards.volunteers, name="volunteers"),
    path("dashboard/transparency/", dashboards.transparency, name="transparency"),
    # Before reports' review/<ref:reference>/ (quality's URLs are included first).
    path("review/fast-track/", fast_track.fast_track, name="fast_track"),
    path("second-reviews/", reviews.queue, name="second_reviews"),
    path("second-reviews/senior/", reviews.senior, name="senior_queue"),
    path("second-reviews/<id:pk>/", reviews.case, name="case"),
    path(
        "second-reviews/<id:pk>/evidence/<id:evidence_id>/",
        reviews.evidence,
        name="case_evidence",
    ),
    # Under reports/ like the volunteer's other pages (quality's URLs are included first).
    path("reports/accuracy/", volunteers.my_accuracy, name="accuracy"),
    path("me/lead-spotter/", volunteers.accept_lead_spotter, name="accept_lead_spotter"),
]
