from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Cyber Spotter administration"
admin.site.site_title = "Cyber Spotter"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("training/", include("training.urls")),
    path("", include("reports.urls")),
]
