from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("intake/", views.batch_list, name="list"),
    path("intake/upload/", views.upload, name="upload"),
    path("intake/<id:batch_id>/", views.preview, name="preview"),
    path("intake/<id:batch_id>/mapping/", views.mapping, name="mapping"),
    path("intake/<id:batch_id>/import/", views.start, name="start"),
    path("intake/<id:batch_id>/progress/", views.progress, name="progress"),
    path("intake/<id:batch_id>/status/", views.status_fragment, name="status"),
]
