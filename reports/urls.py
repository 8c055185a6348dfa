from django.urls import path

from .views import (
    audit,
    catalogue,
    common,
    company,
    expert,
    merge,
    notices,
    ops,
    overview,
    package,
    queue_nav,
    report_list,
    volunteer,
)

app_name = "reports"

urlpatterns = [
    path("reports/new/", volunteer.submit, name="submit"),
    path("reports/mine/", volunteer.my_reports, name="mine"),
    path("reports/listing-check/", volunteer.listing_check, name="listing_check"),
    path("reports/staged/<id:staged_id>/", volunteer.staged_upload, name="staged_upload"),
    path("reports/<ref:reference>/", common.detail, name="detail"),
    path("reports/<ref:reference>/edit/", volunteer.resubmit, name="resubmit"),
    path("reports/<ref:reference>/withdraw/", volunteer.withdraw, name="withdraw"),
    path(
        "reports/<ref:reference>/evidence/<id:evidence_id>/",
        common.evidence_image,
        name="evidence",
    ),
    path(
        "reports/<ref:reference>/evidence/<id:evidence_id>/original/",
        common.evidence_original,
        name="evidence_original",
    ),
    path(
        "reports/<ref:reference>/evidence-package.zip",
        package.evidence_package,
        name="evidence_package",
    ),
    path("e/<token:token>/", common.evidence_link, name="evidence_link"),
    # The public half of the evidence-package signing key (reports/signing.py).
    path(
        ".well-known/evidence-package-key",
        package.package_public_key,
        name="evidence_package_key",
    ),
    path("review/", expert.queue, name="queue"),
    path("review/next/", queue_nav.queue_next, name="queue_next"),
    path("review/filters/", queue_nav.save_filter, name="save_filter"),
    path("review/filters/<id:filter_id>/delete/", queue_nav.delete_filter, name="delete_filter"),
    path("review/<ref:reference>/", expert.review, name="review"),
    path("review/<ref:reference>/claim/", expert.claim, name="claim"),
    path("review/<ref:reference>/release/", expert.release, name="release"),
    path("review/<ref:reference>/confirm/", expert.confirm, name="confirm"),
    path("review/<ref:reference>/reject/", expert.reject, name="reject"),
    path("review/<ref:reference>/needs-info/", expert.needs_info, name="needs_info"),
    path("review/<ref:reference>/merge/", merge.merge, name="merge"),
    path("company/reports/", company.portal, name="portal"),
    path("company/settings/", company.company_settings, name="company_settings"),
    # Before company_detail: "bulk-acknowledge" would also match <ref:reference>.
    path(
        "company/reports/bulk-acknowledge/",
        notices.bulk_acknowledge,
        name="bulk_acknowledge",
    ),
    path("company/reports/<ref:reference>/", company.company_detail, name="company_detail"),
    path("company/reports/<ref:reference>/assign/", notices.assign, name="assign_notice"),
    path("notices/<ref:reference>/messages/", notices.post_message, name="notice_message"),
    path("company/reports/<ref:reference>/acknowledge/", company.acknowledge, name="acknowledge"),
    path("company/reports/<ref:reference>/outcome/", company.outcome, name="outcome"),
    path(
        "company/reports/<ref:reference>/outcome/correct/",
        company.correct_outcome,
        name="correct_outcome",
    ),
    path("overview/", overview.overview, name="overview"),
    path("overview/reports/", report_list.report_list, name="report_list"),
    path(
        "overview/deliveries/<id:delivery_id>/retry/",
        overview.retry_delivery,
        name="retry_delivery",
    ),
    path("ops/alerts/", ops.alert_list, name="ops_alerts"),
    path("ops/audit/", audit.audit_search, name="audit_search"),
    path("ops/alerts/acknowledge/", ops.acknowledge, name="acknowledge_alert"),
    path("catalogue/", catalogue.species_list, name="catalogue"),
    path("catalogue/species/<id:species_id>/", catalogue.species_detail, name="species"),
    path("catalogue/import/", catalogue.import_catalogue, name="catalogue_import"),
    path("catalogue/import/apply/", catalogue.import_apply, name="catalogue_import_apply"),
]
