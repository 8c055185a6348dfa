"""Training pages run a fixed number of queries, however many attempts a learner has."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from training import services

from .conftest import build_module, correct_answers, make_user

pytestmark = pytest.mark.django_db


def grow(user, modules, rounds):
    for _ in range(rounds):
        for module in modules:
            attempt = services.start_attempt(user=user, module=module)
            services.submit_attempt(attempt=attempt, user=user, answers=correct_answers(attempt))


def count(client, url):
    cache.clear()  # cold: the header's cached certificate answer must not make counts differ
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["training:home", "training:progress"])
def test_learner_pages_do_not_grow_with_attempts(
    login, learner, core, elephants, url_name, django_assert_max_num_queries
):
    client = login(learner)
    grow(learner, [core, elephants], 1)
    small = count(client, reverse(url_name))
    grow(learner, [core, elephants], 6)
    build_module("extra", questions=3)
    large = count(client, reverse(url_name))
    assert small == large, (small, large)
    with django_assert_max_num_queries(10):
        client.get(reverse(url_name))


def test_stats_page_does_not_grow_with_people(
    login, programme_admin, core, elephants, django_assert_max_num_queries
):
    client = login(programme_admin)
    grow(make_user(), [core], 1)
    small = count(client, reverse("training:stats"))
    for country in ("FR", "CN", "KE", "BR"):
        grow(make_user(country=country), [core, elephants], 2)
    large = count(client, reverse("training:stats"))
    assert small == large
    with django_assert_max_num_queries(10):
        client.get(reverse("training:stats"))


def test_result_page_has_a_fixed_query_count(login, learner, groups):
    client = login(learner)
    counts = []
    for n in (3, 12):
        module = build_module(f"m{n}", questions=n)
        attempt = services.start_attempt(user=learner, module=module)
        services.submit_attempt(attempt=attempt, user=learner, answers={})
        counts.append(count(client, reverse("training:result", args=[attempt.pk])))
    assert counts[0] == counts[1]
