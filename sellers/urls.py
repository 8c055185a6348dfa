from django.urls import path

from . import views

app_name = "sellers"

urlpatterns = [
    path("sellers/", views.repeat_sellers, name="repeat"),
    path("sellers/identifiers/<id:identifier_id>/", views.identifier, name="identifier"),
    path("sellers/reports/<ref:reference>/", views.report_links, name="report_links"),
]
