"""In Chromium: a volunteer selects words in a listing and proposes them; an expert approves
the proposal on the library page; the next submission with those words matches the term."""

import pytest

from keywords.models import ReportMatch, Term, TermStatus
from spotter.models import Role
from tests import factories
from tests.test_browser_loop import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECT = """(phrase) => {
  const node = document.querySelector('.listing-text').firstChild;
  const start = node.textContent.indexOf(phrase);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + phrase.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


def test_select_propose_approve_match(live_server, page):
    base = live_server.url
    volunteer = factories.make_user(Role.VOLUNTEER, email="vol@example.org")
    factories.make_user(Role.EXPERT, email="expert@example.org")
    report = factories.make_report(
        volunteer, listing_text="Rare moon bangles, old stock, discreet shipping"
    )

    # 1. The volunteer selects "moon bangles" in the listing text and proposes it.
    login(page, base, volunteer.email)
    page.goto(f"{base}/reports/{report.reference}/")
    page.evaluate(SELECT, "moon bangles")
    page.wait_for_function(
        "document.querySelector('[data-keyword-selection]').value === 'moon bangles'"
    )
    page.click("[data-testid=propose-keyword]")
    assert page.input_value("#id_text") == "moon bangles"
    page.select_option("#id_kind", "code_word")
    page.click("form.keyword-propose-form button[type=submit]")
    page.wait_for_selector("text=was proposed")
    term = Term.objects.get(normalized="moon bangles")
    assert term.status == TermStatus.PROPOSED and term.from_report == report
    logout(page, base)

    # 2. The expert approves it from the library page's list of proposals.
    login(page, base, "expert@example.org")
    page.goto(f"{base}/keywords/?status=proposed")
    page.click("tr[data-term='moon bangles'] [data-testid=approve]")
    page.wait_for_selector("text=is approved")
    term.refresh_from_db()
    assert term.status == TermStatus.APPROVED

    # 3. A new submission with those words matches it, and the review page shows the match.
    new = factories.make_report(listing_title="MOON  BANGLES, set of two")
    assert ReportMatch.objects.filter(report=new, term=term).exists()
    page.goto(f"{base}/review/{new.reference}/")
    assert page.inner_text(".keyword-matches mark") == "moon bangles"
