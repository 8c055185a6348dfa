from django.urls import path

from .views import common, company, expert, overview, package, volunteer

app_name = "reports"

urlpatterns = [
    path("reports/new/", volunteer.submit, name="submit"),
    path("reports/mine/", volunteer.my_reports, name="mine"),
    path("reports/accuracy/", volunteer.my_accuracy, name="accuracy"),
    path("reports/<str:reference>/", common.detail, name="detail"),
    path("reports/<str:reference>/edit/", volunteer.resubmit, name="resubmit"),
    path("reports/<str:reference>/withdraw/", volunteer.withdraw, name="withdraw"),
    path(
        "reports/<str:reference>/evidence/<int:evidence_id>/",
        common.evidence_image,
        name="evidence",
    ),
    path(
        "reports/<str:reference>/evidence/<int:evidence_id>/original/",
        common.evidence_original,
        name="evidence_original",
    ),
    path(
        "reports/<str:reference>/evidence-package.zip",
        package.evidence_package,
        name="evidence_package",
    ),
    path("e/<str:token>/", common.evidence_link, name="evidence_link"),
    path("review/", expert.queue, name="queue"),
    path("review/<str:reference>/", expert.review, name="review"),
    path("review/<str:reference>/claim/", expert.claim, name="claim"),
    path("review/<str:reference>/release/", expert.release, name="release"),
    path("review/<str:reference>/confirm/", expert.confirm, name="confirm"),
    path("review/<str:reference>/reject/", expert.reject, name="reject"),
    path("review/<str:reference>/needs-info/", expert.needs_info, name="needs_info"),
    path("company/reports/", company.portal, name="portal"),
    path("company/reports/<str:reference>/", company.company_detail, name="company_detail"),
    path("company/reports/<str:reference>/acknowledge/", company.acknowledge, name="acknowledge"),
    path("company/reports/<str:reference>/outcome/", company.outcome, name="outcome"),
    path("overview/", overview.overview, name="overview"),
    path(
        "overview/deliveries/<int:delivery_id>/retry/",
        overview.retry_delivery,
        name="retry_delivery",
    ),
]
