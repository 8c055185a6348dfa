from django.urls import path

from . import views

app_name = "verification"

urlpatterns = [
    path("verification/model/", views.model_page, name="model"),
]
