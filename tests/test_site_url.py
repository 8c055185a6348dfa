"""One public base URL (settings.SITE_URL, through spotter.siteurl.absolute_url) for every link
we hand out: `make demo HOST=127.0.0.1:8101` must not email links to port 8000."""

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.urls import reverse

from api.bookmarklet import bookmarklet_href
from reports import forwarding, tasks
from reports.models import Channel
from reports.notices import evidence_link, notice_payload
from spotter import services
from spotter.models import Role
from tests import factories
from tests.forwarding.helpers import confirmed, delivery_of

pytestmark = pytest.mark.django_db

OTHER = "http://127.0.0.1:8101"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def other_host(settings):
    settings.SITE_URL = OTHER
    return OTHER


def links(text):
    return re.findall(r"https?://[^\s\"'<>)]+", text)


def test_notice_email_evidence_link_and_webhook_body_use_site_url(other_host, mailoutbox):
    factories.make_company(slug="mailco", name="MailCo", domains=("mail-market.com",))
    report = confirmed("mail-market.com")
    forwarding.attempt_delivery(delivery_of(report, Channel.EMAIL).pk)
    [message] = mailoutbox
    ours = [u for u in links(message.body) if "mail-market.com" not in u]
    assert ours and all(u.startswith(OTHER + "/") for u in ours), ours
    assert f"{OTHER}/company/reports/{report.reference}/" in message.body
    assert evidence_link(report.evidence.get().pk).startswith(OTHER + "/e/")
    payload = str(notice_payload(report))
    assert "127.0.0.1:8000" not in payload and f"{OTHER}/api/v1/company/reports/" in payload


def test_volunteer_email_uses_site_url(other_host, company, mailoutbox):
    report = confirmed("example-shop.com")
    mailoutbox.clear()
    tasks.notify_volunteer(report.pk, "outcome")
    [message] = mailoutbox
    assert f"{OTHER}/reports/{report.reference}/" in message.body


def test_invitation_and_bookmarklet_use_site_url(other_host, mailoutbox):
    user = factories.make_user(Role.EXPERT, email="invited@example.org")
    link = services.send_invitation(user=user)
    assert link.startswith(OTHER + "/accounts/") and link in mailoutbox[0].body
    assert f'"{OTHER}/reports/new/"' in unquote(bookmarklet_href())


def test_account_emails_use_site_url(other_host, client, mailoutbox):
    password = "a-Long-pass-2026"
    signup = {"email": "new@example.org", "password1": password, "password2": password}
    client.post(reverse("account_signup"), signup)
    factories.make_user(Role.EXPERT, email="known@example.org")
    client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    client.post(reverse("account_signup"), {**signup, "email": "known@example.org"})
    bodies = [message.body for message in mailoutbox]
    assert len(bodies) == 4, [m.subject for m in mailoutbox]
    assert f"{OTHER}/accounts/confirm-email/" in bodies[0]
    assert f"{OTHER}/accounts/password/reset/key/" in bodies[1]
    for body in bodies:
        assert links(body) and all(u.startswith(OTHER + "/") for u in links(body)), body


def _our_sources():
    skip = {"spotter/settings.py", "spotter/siteurl.py"}
    for folder in ("spotter", "reports", "training", "quality", "api", "templates", "static/js"):
        for path in sorted((ROOT / folder).rglob("*")):
            rel = path.relative_to(ROOT).as_posix()
            wanted = path.suffix in {".py", ".html", ".txt", ".js"} and "/migrations/" not in rel
            if wanted and rel not in skip:
                yield rel, path.read_text(encoding="utf-8")


def test_no_module_hard_codes_the_host_or_builds_absolute_urls_another_way():
    """Absolute links come from spotter.siteurl.absolute_url only (settings.SITE_URL is read
    there and nowhere else); the request's host is not used for them, nor a fixed address."""
    forbidden = re.compile(
        r"127\.0\.0\.1:8000|localhost:8000|build_absolute_uri|SITE_URL|\{\{\s*site_url"
    )
    found = {
        rel: sorted(set(forbidden.findall(text)))
        for rel, text in _our_sources()
        if forbidden.search(text)
    }
    assert found == {}


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_sets_site_url_from_host():
    """`make demo HOST=...` gives the loader, the outbox loop and the server the same base URL."""
    dry_run = subprocess.run(
        ["make", "-n", "demo", "HOST=127.0.0.1:8101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
    ).stdout
    load = next(line for line in dry_run.splitlines() if "load_demo" in line)
    serve = dry_run[dry_run.index("run_outbox") - 200 :]
    assert "SITE_URL=http://127.0.0.1:8101 " in load
    serve_line = next(line for line in serve.splitlines() if "run_outbox" in line)
    assert "SITE_URL=http://127.0.0.1:8101 " in serve_line and "sh -c" in serve_line
    assert "runserver 127.0.0.1:8101" in serve
