from django.urls import path

from . import views

app_name = "rechecks"

urlpatterns = [
    path("ops/takedown-checks/", views.overview, name="overview"),
    # The address in the checker's User-Agent (no trailing slash, exactly as sent).
    path("about/rechecks", views.about, name="about"),
]
