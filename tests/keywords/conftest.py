import pytest

from keywords import services
from reports import services as report_services
from tests import factories


@pytest.fixture
def approved_term(expert):
    def make(text, language="en", **kwargs):
        term = services.propose_term(actor=expert, text=text, language=language, **kwargs)
        return services.approve_term(actor=expert, term=term)

    return make


@pytest.fixture
def rejected_report():
    def make(expert, **kwargs):
        report = factories.make_report(**kwargs)
        report_services.claim_report(report=report, expert=expert)
        return report_services.reject_report(report=report, expert=expert, reason="not_wildlife")

    return make
