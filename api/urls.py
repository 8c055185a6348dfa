from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import rounds, web
from .routers import ConverterRouter
from .views import company, intake, keywords, leads, me, reference, reports, review
from .views.docs import DocsView, not_found

app_name = "api"

router = ConverterRouter()
router.register("species-groups", reference.SpeciesGroupViewSet, basename="species-group")
router.register("species", reference.SpeciesViewSet, basename="species")
router.register("product-types", reference.ProductTypeViewSet, basename="product-type")
router.register("companies", reference.CompanyViewSet, basename="company")
router.register("reports", reports.ReportViewSet, basename="report")
router.register("company/reports", company.CompanyReportViewSet, basename="company-report")

v1 = [
    path("me/", me.MeView.as_view(), name="me"),
    path("me/accuracy/", me.MyAccuracyView.as_view(), name="my-accuracy"),
    path("review/queue/", review.ReviewQueueView.as_view(), name="review-queue"),
    path("training/progress/", me.TrainingProgressView.as_view(), name="training-progress"),
    path("training/certification/", me.CertificationView.as_view(), name="certification"),
    path("keywords/feed", keywords.KeywordFeedView.as_view(), name="keywords-feed"),
    path("stats/headline/", me.HeadlineView.as_view(), name="stats-headline"),
    path(
        "stats/volunteers/<ref:pseudonym>/accuracy/",
        me.VolunteerAccuracyView.as_view(),
        name="stats-volunteer-accuracy",
    ),
    path(  # leads
        "reports/<ref:reference>/prescreen/", leads.PreScreenView.as_view(), name="prescreen"
    ),
    path("rounds/", rounds.RoundListView.as_view(), name="rounds"),  # rounds
    path("intake/", intake.IntakeListView.as_view(), name="intake-list"),
    path("intake/<id:batch_id>/", intake.IntakeDetailView.as_view(), name="intake-detail"),
    path(
        "intake/<id:batch_id>/mapping/", intake.IntakeMappingView.as_view(), name="intake-mapping"
    ),
    path("intake/<id:batch_id>/import/", intake.IntakeImportView.as_view(), name="intake-import"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/new/", web.token_create, name="token_create"),
    path("tokens/<id:pk>/revoke/", web.token_revoke, name="token_revoke"),
    # Anything else under /api/ is a JSON 404 in the API's error shape, not an HTML page.
    re_path(r"^.*$", not_found),
]
