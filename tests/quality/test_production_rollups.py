"""On real PostgreSQL: concurrent transitions only append to the counters' backlog, refreshes
running beside them (beat, dashboard reads) lose no count, and the audit chain stays whole."""

import os
import threading

import pytest
from django.db import connection, connections

from quality import rollups
from quality.models import PeriodCount, RollupBacklog
from reports import events, services
from reports.models import Report
from spotter.audit import seal_pending, verify_chain
from spotter.models import AuditEvent, Role
from tests import factories

from .conftest import assert_incremental_matches_rebuild

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]

THREADS = 8


def run_together(jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


@pytest.fixture
def postgresql(db):
    """Like the browser fixture: locally without PostgreSQL this is skipped (run it with the
    Makefile's PROD_ENV); under CI=true it must not be."""
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("production tests must run on PostgreSQL (see Makefile PROD_ENV)")
        pytest.skip("needs PostgreSQL: run with the Makefile's PROD_ENV")


def test_concurrent_submissions_and_decisions_keep_exact_counts(postgresql, settings):
    settings.SECOND_REVIEW_SHARE = 0.5
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    factories.get_species(), factories.get_product_type()  # reference data, made once
    volunteers = [factories.make_user(Role.VOLUNTEER, country="US") for _ in range(THREADS)]
    experts = [factories.make_user(Role.EXPERT) for _ in range(THREADS)]

    # Every submission creates or increments the same "this month, US, pangolins" rows.
    submitted = []
    run_together([lambda v=v: submitted.append(factories.make_report(v)) for v in volunteers])
    assert len(submitted) == THREADS

    def decide(report, expert, confirm):
        services.claim_report(report=report, expert=expert)
        if confirm:
            services.confirm_report(report=report, expert=expert)
        else:
            services.reject_report(report=report, expert=expert, reason="not_wildlife")

    run_together(
        [
            lambda r=r, e=e, i=i: decide(r, e, i % 3 != 0)
            for i, (r, e) in enumerate(zip(submitted, experts, strict=True))
        ]
    )
    snapshot = assert_incremental_matches_rebuild()
    assert sum(t[0] for k, t in snapshot["tallies"].items() if k[1] == "all") == THREADS


def test_parallel_transitions_with_refreshes_beside_them(postgresql, settings):
    """N submissions, then N claims + confirmations, in parallel, while beat's refresh, a
    dashboard read's bounded refresh and the audit sequencer run beside them."""
    settings.SECOND_REVIEW_SHARE = 0.5
    factories.make_company(slug="shopco", domains=("example-shop.com",), name="ShopCo")
    factories.get_species(), factories.get_product_type()
    volunteers = [factories.make_user(Role.VOLUNTEER, country="US") for _ in range(THREADS)]
    experts = [factories.make_user(Role.EXPERT) for _ in range(THREADS)]
    stop = threading.Event()
    errors = []

    def beside(job):
        def loop():
            try:
                while not stop.is_set():
                    job()
            except Exception as exc:  # re-raised in the test thread
                errors.append(exc)
            finally:
                connections.close_all()

        return threading.Thread(target=loop)

    background = [
        beside(rollups.refresh),  # beat's task
        beside(rollups.read_fresh),  # a dashboard page (gives way to a running refresh)
        beside(seal_pending),  # the audit log's sequencer
    ]
    for thread in background:
        thread.start()
    try:
        submitted = []
        run_together([lambda v=v: submitted.append(factories.make_report(v)) for v in volunteers])

        def confirm(report, expert):
            services.claim_report(report=report, expert=expert)
            services.confirm_report(report=report, expert=expert)

        run_together(
            [lambda r=r, e=e: confirm(r, e) for r, e in zip(submitted, experts, strict=True)]
        )
    finally:
        stop.set()
        for thread in background:
            thread.join(timeout=120)
    assert not errors, errors

    seal_pending()
    rollups.refresh()
    assert not RollupBacklog.objects.exists()
    chain = verify_chain()
    assert chain.ok and chain.unsealed == 0, chain
    # One audit event per transition: submitted, claimed, confirmed, forwarded.
    for action in (events.SUBMITTED, events.CLAIMED, events.CONFIRMED, events.FORWARDED):
        assert AuditEvent.objects.filter(action=action).count() == THREADS
    assert Report.objects.filter(status="forwarded").count() == THREADS
    snapshot = assert_incremental_matches_rebuild()  # the counters equal a full recount
    assert sum(t[0] for k, t in snapshot["tallies"].items() if k[1] == "all") == THREADS
    assert sum(t[1] for k, t in snapshot["tallies"].items() if k[1] == "all") == THREADS
    assert PeriodCount.objects.filter(grain="m", cell=0, metric="s:forwarded").get().n == THREADS
