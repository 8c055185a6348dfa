"""Nothing a company (or an expert) can download identifies the volunteer who flagged, or is
computable from them.

The old evidence package carried each audit event's SHA-256 over actor id, actor label and IP:
with a list of candidate IPs the volunteer's id and address were recovered in under a second,
and two reports of one volunteer could be linked. Here every download a company or an expert can
make is searched: every 64-hex value must be an evidence file's hash (or, inside a package, the
hash of a file of that package), and no reporter identifier, nor its SHA-256, may appear.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from django.urls import reverse

from reports import services
from spotter.audit import current_ip, seal_pending
from spotter.models import AuditSeal
from tests import factories

pytestmark = pytest.mark.django_db

HEX64 = re.compile(rb"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")
CSV_LINK = re.compile(r'href="(/dashboard/csv/[a-z0-9_-]+\.csv[^"]*)"')
REPORTER_IP = "198.51.100.77"


@pytest.fixture
def two_closed_reports(volunteer, expert, staff):
    """Two reports by the same volunteer, submitted from a known IP, forwarded and closed."""
    token = current_ip.set(REPORTER_IP)
    try:
        reports = [
            factories.make_confirmed_report(volunteer=volunteer, expert=expert) for _ in range(2)
        ]
    finally:
        current_ip.reset(token)
    for report in reports:
        services.record_outcome(report=report, staff=staff, outcome="removed", note="Gone.")
    seal_pending()
    return reports


def _reporter_secrets(volunteer) -> list[bytes]:
    plain = [
        volunteer.email,
        volunteer.display_name,
        volunteer.pseudonym,
        REPORTER_IP,
        f"volunteer#{volunteer.pk}",
    ]
    hashed = [hashlib.sha256(value.encode()).hexdigest() for value in plain]
    hashed.append(hashlib.sha256(str(volunteer.pk).encode()).hexdigest())
    # The keyed chain hashes of the volunteer's events: unguessable, but not for companies.
    hashed += list(AuditSeal.objects.filter(event__actor=volunteer).values_list("hash", flat=True))
    return [value.encode() for value in plain + hashed if value]


def _evidence_hashes(reports) -> set[bytes]:
    hashes = set()
    for report in reports:
        for evidence in report.evidence.all():
            hashes |= {evidence.image_sha256.encode(), evidence.original_sha256.encode()}
    return hashes


def _assert_clean(name: str, body: bytes, allowed: set[bytes], secrets: list[bytes]) -> None:
    for value in HEX64.findall(body):
        assert value.lower() in allowed, f"{name}: 64-hex value {value[:12]!r}… is not evidence"
    for secret in secrets:
        assert secret not in body, f"{name}: reporter data {secret[:16]!r} appears"


def _package_files(response) -> dict[str, bytes]:
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name) for name in archive.namelist()}


def test_company_downloads_carry_nothing_computed_from_the_reporter(
    client_for, two_closed_reports, staff, volunteer
):
    client = client_for(staff)
    secrets = _reporter_secrets(volunteer)
    assert len(secrets) > 6
    evidence = _evidence_hashes(two_closed_reports)
    downloads: dict[str, bytes] = {}
    for report in two_closed_reports:
        files = _package_files(
            client.get(reverse("reports:evidence_package", args=[report.reference]))
        )
        package_hashes = {hashlib.sha256(data).hexdigest().encode() for data in files.values()}
        for name, data in files.items():
            _assert_clean(name, data, evidence | package_hashes, secrets)
        timeline = next(data for name, data in files.items() if name.endswith("timeline.json"))
        assert b'"hash"' not in timeline and b'"prev_hash"' not in timeline
        assert b'"id"' not in timeline, "no sequential event ids"
        downloads[f"detail {report.reference}"] = client.get(
            reverse("reports:company_detail", args=[report.reference])
        ).content
        downloads[f"api {report.reference}"] = client.get(
            f"/api/v1/company/reports/{report.reference}/"
        ).content
    downloads["portal"] = client.get(reverse("reports:portal")).content
    downloads["api list"] = client.get("/api/v1/company/reports/").content
    dashboard = client.get(reverse("quality:company_dashboard")).content.decode()
    downloads["dashboard"] = dashboard.encode()
    csv_links = set(CSV_LINK.findall(dashboard))
    assert csv_links, "the company dashboard offers CSV downloads"
    for link in csv_links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        downloads[link] = response.content
    for name, body in downloads.items():
        _assert_clean(name, body, evidence, secrets)


def test_expert_api_and_pages_carry_no_reporter_hash(
    client_for, two_closed_reports, expert, volunteer
):
    client = client_for(expert)
    # Experts know a volunteer by pseudonym (by design); nothing else about them.
    secrets = [s for s in _reporter_secrets(volunteer) if s != volunteer.pseudonym.encode()]
    evidence = _evidence_hashes(two_closed_reports)
    bodies = {"api list": client.get("/api/v1/reports/").content}
    for report in two_closed_reports:
        bodies[report.reference] = client.get(f"/api/v1/reports/{report.reference}/").content
        bodies[f"page {report.reference}"] = client.get(
            reverse("reports:detail", args=[report.reference])
        ).content
    for name, body in bodies.items():
        _assert_clean(name, body, evidence, secrets)


def test_two_packages_of_one_volunteer_share_no_linking_value(
    client_for, two_closed_reports, staff
):
    """Apart from the programme's own values, the two packages have nothing in common that a
    company could use to tell they came from the same person."""
    client = client_for(staff)
    tokens = []
    for report in two_closed_reports:
        files = _package_files(
            client.get(reverse("reports:evidence_package", args=[report.reference]))
        )
        timeline = next(data for name, data in files.items() if name.endswith("timeline.json"))
        tokens.append(set(re.findall(rb"[0-9a-fA-F]{16,}|#\d+", timeline)))
    assert not (tokens[0] & tokens[1])


def test_notice_thread_assignment_and_filters_carry_nothing_from_the_reporter(
    client_for, volunteer, expert, staff
):
    """The company tools of issue 13 (time left, filters, bulk acknowledge, assignment, the
    thread with the programme and its notifications) add nothing about the reporter."""
    token = current_ip.set(REPORTER_IP)
    try:
        report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    finally:
        current_ip.reset(token)
    services.bulk_acknowledge(staff=staff, references=[report.reference])
    services.assign_notice(report=report, staff=staff, assignee=staff)
    services.post_notice_message(report=report, author=staff, body="Which listing photo?")
    services.post_notice_message(report=report, author=expert, body="The second one.")
    seal_pending()
    client = client_for(staff)
    secrets = _reporter_secrets(volunteer)
    evidence = _evidence_hashes([report])
    bodies = {
        "detail": client.get(reverse("reports:company_detail", args=[report.reference])).content,
        "portal": client.get(reverse("reports:portal")).content,
        "portal filtered": client.get(
            reverse("reports:portal"), {"q": report.reference, "mine": "on", "sort": "-due"}
        ).content,
        "notifications": client.get(reverse("notifications:list")).content,
    }
    files = _package_files(client.get(reverse("reports:evidence_package", args=[report.reference])))
    package_hashes = {hashlib.sha256(data).hexdigest().encode() for data in files.values()}
    for name, data in files.items():
        _assert_clean(name, data, evidence | package_hashes, secrets)
    for name, body in bodies.items():
        _assert_clean(name, body, evidence, secrets)
    assert expert.display_name.encode() not in bodies["detail"]
