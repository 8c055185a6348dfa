import pytest

from tips.models import Tip, TipStatus
from training.demo import demo_loaded

pytestmark = pytest.mark.django_db


def test_demo_loaded_puts_tips_in_the_queue_once():
    demo_loaded.send(sender=None, accounts=[])
    demo_loaded.send(sender=None, accounts=[])
    tips = list(Tip.objects.all())
    assert len(tips) == 3 and all(t.status == TipStatus.NEW for t in tips)
    assert sum(1 for t in tips if hasattr(t, "screenshot")) == 1
    assert {t.language for t in tips if t.tipster_email} == {"fr", "zh-hans"}
