import pytest

from referrals.models import PartnerKind
from referrals.services import new_webhook_secret
from spotter.models import Role
from tests import factories
from tests.forwarding.helpers import Receiver

from .helpers import make_partner


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def loopback_webhooks(settings):
    """The egress defences refuse loopback targets; only these tests admit plain-http
    127.0.0.1 (the same setting the forwarding tests use)."""
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1


@pytest.fixture
def ngo(db):
    """Worldwide, by email."""
    return make_partner(name="Wild NGO", worldwide=True)


@pytest.fixture
def cn_authority(db):
    return make_partner(
        name="CN Authority",
        kind=PartnerKind.AUTHORITY,
        jurisdictions=["CN"],
        notice_language="zh-hans",
    )


@pytest.fixture
def hook_partner(db, receiver, loopback_webhooks):
    return make_partner(
        name="Hook Police",
        kind=PartnerKind.POLICE,
        worldwide=True,
        email="",
        send_email_notice=False,
        webhook_url=receiver.url(),
        webhook_enabled=True,
        webhook_secret=new_webhook_secret(),
    )


@pytest.fixture
def identified_volunteer(db):
    return factories.make_user(
        Role.VOLUNTEER, email="vera.volunteer@example.org", display_name="Vera Identifiable"
    )
