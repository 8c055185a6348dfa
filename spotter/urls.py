from django.contrib import admin
from django.urls import include, path

from . import health, views

# Django's error pages for pages; JSON in the API's error shape under /api/ (spotter.error_views).
handler400 = "spotter.error_views.bad_request"
handler403 = "spotter.error_views.permission_denied"
handler404 = "spotter.error_views.page_not_found"
handler500 = "spotter.error_views.server_error"

admin.site.site_header = "Cyber Spotter administration"
admin.site.site_title = "Cyber Spotter"

urlpatterns = [
    # Answered by spotter.health.HealthCheckMiddleware before host checks; named here too.
    path("healthz", health.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/my-data.json", views.data_export, name="data_export"),
    path("profile/close/", views.close_account, name="close_account"),
    path("language/", views.choose_language, name="choose_language"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("training/", include("training.urls")),
    path("api/", include("api.urls")),
    path("", include("quality.urls")),
    path("", include("verification.urls")),
    path("", include("keywords.urls")),
    path("", include("sellers.urls")),
    path("", include("rechecks.urls")),
    path("", include("notifications.urls")),
    path("", include("referrals.urls")),
    path("", include("rounds.urls")),
    path("", include("leads.urls")),
    path("", include("intake.urls")),
    path("", include("tips.urls")),
    path("", include("reports.urls")),
]
