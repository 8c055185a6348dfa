from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("progress/", views.progress, name="progress"),
    path("start/", views.start, name="start"),
    path("stats/", views.stats, name="stats"),
    path("attempts/<id:attempt_id>/", views.result, name="result"),
    path("practice/<ref:reference>/", views.make_practice_question, name="practice_question"),
    path("<slug:slug>/", views.module_detail, name="module"),
    path("<slug:slug>/lessons/<id:order>/", views.lesson_detail, name="lesson"),
    path("<slug:slug>/quiz/", views.quiz, name="quiz"),
]
