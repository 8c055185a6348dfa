from django.urls import path

from . import views

app_name = "tips"

urlpatterns = [
    path("tip/", views.tip_form, name="submit"),
    path("tip/sent/", views.tip_sent, name="sent"),
    path("tips/", views.queue, name="queue"),
    path("tips/<ref:tip_reference>/", views.detail, name="detail"),
    path("tips/<ref:tip_reference>/screenshot/", views.screenshot, name="screenshot"),
    path("tips/<ref:tip_reference>/convert/", views.convert, name="convert"),
    path("tips/<ref:tip_reference>/dismiss/", views.dismiss, name="dismiss"),
]
