"""Accounts, roles and the append-only audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    EXPERT = "expert", _("Wildlife expert")
    COMPANY_STAFF = "company_staff", _("Company enforcement staff")
    ADMIN = "admin", _("Coalition admin")


class SpotterUserManager(UserManager):
    """Users log in by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VOLUNTEER)
    company = models.ForeignKey(
        "reports.MemberCompany",
        verbose_name=_("member company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("Required for company enforcement staff, empty for everyone else."),
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2.")
    )
    languages = models.CharField(
        _("languages"),
        max_length=120,
        blank=True,
        help_text=_("Languages you read listings in (ISO 639-1 codes)."),
    )
    language = models.CharField(
        _("interface language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of pages and emails; empty follows the browser."),
    )
    is_senior_expert = models.BooleanField(_("senior expert"), default=False)
    is_lead_spotter = models.BooleanField(_("lead spotter"), default=False)
    # Pseudonym shown to experts (blind review) and in exports; never the email.
    pseudonym = models.CharField(_("pseudonym"), max_length=20, unique=True, null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = SpotterUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="company_staff", company__isnull=False)
                    | (~models.Q(role="company_staff") & models.Q(company__isnull=True))
                ),
                name="company_staff_has_exactly_one_company",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self):
        super().clean()
        if self.role == Role.COMPANY_STAFF and not self.company_id:
            raise ValidationError({"company": _("Company staff must belong to a member company.")})
        if self.role != Role.COMPANY_STAFF and self.company_id:
            raise ValidationError({"company": _("Only company staff belong to a company.")})
        self.country = (self.country or "").upper()

    def save(self, *args, **kwargs):
        if not self.pseudonym and self.role == Role.VOLUNTEER:
            import secrets

            self.pseudonym = "S-" + secrets.token_hex(4).upper()
        super().save(*args, **kwargs)

    @property
    def is_volunteer(self) -> bool:
        return self.role == Role.VOLUNTEER

    @property
    def is_expert(self) -> bool:
        return self.role == Role.EXPERT

    @property
    def is_company_staff(self) -> bool:
        return self.role == Role.COMPANY_STAFF

    @property
    def is_programme_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def public_name(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]


class AppendOnlyQuerySet(models.QuerySet):
    """No updates or deletes: rows are only ever added (spotter.audit)."""

    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError("The audit log is append-only.")

    def update_or_create(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class AuditEventQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        raise PermissionError("Audit events are appended with record_event() / record_events().")

    def append_many(self, events: list) -> list:
        """New events only, in one INSERT; ``spotter.audit.record_events`` is the one caller."""
        if any(event.pk is not None for event in events):
            raise PermissionError("The audit log is append-only.")
        return super().bulk_create(events)


class AuditEvent(models.Model):
    """One thing that happened. Append-only; sealed into a keyed hash chain by
    ``spotter.audit.seal_pending`` (the event row itself carries no hash)."""

    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"]),
            # The admins' audit search by action, newest first (reports/audit_search.py).
            models.Index(fields=["action", "id"], name="audit_action_id"),
        ]
        # Django's internal writes (save, related managers) go through the guarded queryset too.
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def canonical_payload(self) -> dict:
        """Everything the seal's keyed hash covers (the seal adds its sequence number and the
        previous hash)."""
        return {
            "id": self.pk,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "reason": self.reason,
            "data": self.data,
            "ip_address": self.ip_address,
        }


class AuditSeal(models.Model):
    """An event's place in the chain, written by the sequencer (``spotter.audit.seal_pending``).

    ``hash`` is HMAC-SHA256 under the server's audit key over (seq, prev_hash, the event's
    canonical payload): without the key nobody can recompute it, so a hash reveals nothing about
    the event's actor or IP address. Append-only like the events. ``event`` carries no database
    constraint so that a row deleted behind the application's back is reported by the
    verification, not hidden by a cascade or refused by the database.
    """

    seq = models.BigIntegerField(unique=True)
    event = models.OneToOneField(
        AuditEvent,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="seal",
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"seal #{self.seq} of event {self.event_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class AuditChainHead(models.Model):
    """The sequencer's single row: the newest sealed hash and sequence number, and the id below
    which every event is known to be sealed. Locked only by the sequencer, never by writers."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)
    sealed_floor_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain head ({self.count} sealed events)"
