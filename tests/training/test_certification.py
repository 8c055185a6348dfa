"""Certification rules: the pass mark, core + species, expiry, refresher, roles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from spotter.errors import NotAllowed
from spotter.models import AuditEvent, Role
from training import selectors, services
from training.models import Certificate, QuizAttempt

from .conftest import answers_with, make_user

pytestmark = pytest.mark.django_db


def take(user, module, n_correct=10):
    attempt = services.start_attempt(user=user, module=module)
    return services.submit_attempt(
        attempt=attempt, user=user, answers=answers_with(attempt, n_correct)
    )


@pytest.mark.parametrize(
    ("n_correct", "passed"), [(10, True), (9, True), (8, True), (7, False), (0, False)]
)
def test_pass_mark_boundary_exactly_80_percent_passes(learner, core, n_correct, passed):
    submission = take(learner, core, n_correct)
    assert submission.attempt.score_percent == n_correct * 10
    assert submission.attempt.passed is passed


def test_pass_mark_is_configurable_per_module(learner, core):
    core.pass_percent = 90
    core.save()
    assert take(learner, core, 8).attempt.passed is False
    assert take(learner, core, 9).attempt.passed is True


def test_default_pass_mark_comes_from_settings(settings, groups):
    from .conftest import build_module

    settings.QUIZ_PASS_PERCENT = 70
    assert build_module("x", questions=1).pass_percent == 70


def test_core_module_alone_is_not_enough(learner, core, elephants):
    submission = take(learner, core)
    assert submission.attempt.passed and submission.certificate is None
    assert selectors.certification_problem(learner) is not None
    assert not Certificate.objects.filter(user=learner).exists()


def test_species_module_alone_is_not_enough(learner, elephants):
    assert take(learner, elephants).certificate is None
    assert selectors.certification_problem(learner) is not None


def test_core_plus_one_species_module_certifies(learner, core, elephants):
    take(learner, core)
    before = timezone.now()
    submission = take(learner, elephants)
    certificate = submission.certificate
    assert certificate is not None and certificate.user == learner
    expected = before + timedelta(days=365)
    assert abs((certificate.expires_at - expected).total_seconds()) < 60
    assert selectors.certification_problem(learner) is None
    assert selectors.active_certificate(learner) == certificate
    assert AuditEvent.objects.filter(action="training.certified", object_id=str(certificate.pk))


def test_a_failed_species_attempt_does_not_certify(learner, core, elephants):
    take(learner, core)
    assert take(learner, elephants, 7).certificate is None
    assert selectors.active_certificate(learner) is None


def test_validity_period_is_configurable(settings, learner, core, elephants):
    settings.CERTIFICATE_VALID_DAYS = 30
    take(learner, core)
    certificate = take(learner, elephants).certificate
    assert (certificate.expires_at - certificate.issued_at) == timedelta(days=30)


def test_expired_certificate_blocks_with_its_date(learner, core, elephants):
    take(learner, core)
    certificate = take(learner, elephants).certificate
    certificate.expires_at = timezone.now() - timedelta(days=1)
    certificate.save()
    assert selectors.active_certificate(learner) is None
    problem = selectors.certification_problem(learner)
    assert "expired" in problem and "refresher" in problem
    assert str(certificate.expires_at.year) in problem


def test_passes_older_than_the_validity_window_do_not_count(learner, core, elephants):
    take(learner, core)
    QuizAttempt.objects.filter(user=learner).update(
        submitted_at=timezone.now() - timedelta(days=366)
    )
    assert take(learner, elephants).certificate is None
    # Passing core again inside the window completes the pair.
    assert take(learner, core).certificate is not None


def test_refresher_prompt_and_renewal_when_expiring_soon(learner, core, elephants):
    take(learner, core)
    first = take(learner, elephants).certificate
    assert selectors.expires_soon(learner) is None
    # Passing again long before expiry does not pile up certificates.
    assert take(learner, core).certificate is None

    # Fast-forward 350 days: the passes and the certificate are now old.
    QuizAttempt.objects.filter(user=learner).update(
        submitted_at=timezone.now() - timedelta(days=351)
    )
    first.issued_at = timezone.now() - timedelta(days=350)
    first.expires_at = timezone.now() + timedelta(days=15)
    first.save()
    assert selectors.expires_soon(learner) == first
    # The earlier passes predate the certificate: the refresher needs both passed again.
    assert take(learner, core).certificate is None
    renewed = take(learner, elephants).certificate
    assert renewed is not None and renewed.expires_at > first.expires_at
    assert selectors.active_certificate(learner) == renewed
    assert selectors.expires_soon(learner) is None


def test_revoked_certificate_blocks(learner, core, elephants, programme_admin):
    take(learner, core)
    certificate = take(learner, elephants).certificate
    services.revoke_certificate(certificate=certificate, actor=programme_admin)
    assert "withdrawn" in selectors.certification_problem(learner)


def test_only_admins_revoke(learner, core, elephants, trainer_expert):
    take(learner, core)
    certificate = take(learner, elephants).certificate
    with pytest.raises(NotAllowed):
        services.revoke_certificate(certificate=certificate, actor=trainer_expert)


@pytest.mark.parametrize("role", [Role.EXPERT, Role.ADMIN])
def test_other_roles_take_modules_without_certificates(role, core, elephants):
    user = make_user(role)
    take(user, core)
    take(user, elephants)
    assert QuizAttempt.objects.filter(user=user, passed=True, role=role).count() == 2
    assert not Certificate.objects.filter(user=user).exists()
    assert selectors.certification_problem(user) is None


def test_company_staff_attempts_are_recorded(core, groups):
    from reports.models import MemberCompany

    company = MemberCompany.objects.create(slug="shop", name="Shop")
    staff = make_user(Role.COMPANY_STAFF, company=company)
    assert take(staff, core).attempt.role == Role.COMPANY_STAFF
    assert not Certificate.objects.filter(user=staff).exists()


def test_every_attempt_writes_audit_events(learner, core):
    submission = take(learner, core)
    actions = set(
        AuditEvent.objects.filter(object_id=str(submission.attempt.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"training.attempt_started", "training.attempt_submitted"} <= actions


def test_demo_volunteer_is_certified_through_the_services(learner, core, elephants):
    from training.demo import certify_demo_volunteer

    certify_demo_volunteer(learner)
    certify_demo_volunteer(learner)  # idempotent
    assert selectors.active_certificate(learner) is not None
    assert QuizAttempt.objects.filter(user=learner, passed=True).count() == 2
    assert Certificate.objects.filter(user=learner).count() == 1
