"""Bench-only URLs (bench/settings.py): the project's URLs plus two baselines for
bench/write_bench.py. Not part of the product's URLs."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from spotter.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok")


@csrf_exempt
def bare_insert(request):
    # One autocommitted INSERT into a bench-only table (created by write_bench.py's seeding):
    # the floor for any request that writes to PostgreSQL.
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_insert (payload) VALUES (%s)", [request.path])
    return HttpResponse("ok")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/insert/", bare_insert),
    *project_urlpatterns,
]
