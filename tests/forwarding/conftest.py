import pytest

from reports.forwarding.webhooks import new_webhook_secret
from tests import factories

from .helpers import FailingEmailBackend, Receiver


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def loopback_webhooks(settings):
    """Only where a loopback receiver is needed: admit plain-http 127.0.0.1 targets."""
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1


@pytest.fixture
def hook_company(db, receiver, loopback_webhooks):
    return factories.make_company(
        slug="hookmarket",
        name="HookMarket",
        domains=("hook-market.com",),
        notify_by_email=False,
        webhook_url=receiver.url(),
        webhook_enabled=True,
        webhook_secret=new_webhook_secret(),
    )


@pytest.fixture
def failing_smtp(settings):
    settings.EMAIL_BACKEND = "tests.forwarding.helpers.FailingEmailBackend"
    FailingEmailBackend.failing = True
    yield FailingEmailBackend
    FailingEmailBackend.failing = True
