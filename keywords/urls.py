from django.urls import path

from . import suggest, views

app_name = "keywords"

urlpatterns = [
    path("keywords/feed.json", views.feed_json, name="feed_json"),
    path("keywords/feed.csv", views.feed_csv, name="feed_csv"),
    path("keywords/suggest/", suggest.suggestions, name="suggest"),
]
