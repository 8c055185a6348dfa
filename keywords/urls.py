from django.urls import path

from . import suggest
from .views import curation, feed, library, propose, transfer

app_name = "keywords"

urlpatterns = [
    path("keywords/feed.json", feed.feed_json, name="feed_json"),
    path("keywords/feed.csv", feed.feed_csv, name="feed_csv"),
    path("keywords/", library.library, name="library"),
    path("keywords/library.csv", transfer.export, name="export"),
    path("keywords/import/", transfer.import_csv, name="import"),
    path("keywords/import/apply/", transfer.import_apply, name="import_apply"),
    path("keywords/terms/<id:term_id>/", library.term_detail, name="term"),
    path("keywords/terms/<id:term_id>/edit/", curation.edit, name="edit"),
    path("keywords/terms/<id:term_id>/approve/", curation.approve, name="approve"),
    path("keywords/terms/<id:term_id>/reject/", curation.reject, name="reject"),
    path("keywords/terms/<id:term_id>/retire/", curation.retire, name="retire"),
    path("keywords/terms/<id:term_id>/merge/", curation.merge, name="merge"),
    path("keywords/propose/<ref:reference>/", propose.propose, name="propose"),
    path("keywords/suggest/", suggest.suggestions, name="suggest"),
]
