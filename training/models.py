"""Training content (modules, lessons, question bank) and what learners did with it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Translatable(models.Model):
    """Training content written in English, with its other languages beside it.

    The English text lives in the model's own fields (the source every translation follows);
    ``translations`` holds ``{language: {field: text}}`` loaded from
    ``training/data/modules/<language>/<slug>.json``, one file per language, so an editor can
    update one language without touching the others. ``tr(field)`` answers in the active
    language and falls back to English field by field.
    """

    TRANSLATED: tuple[str, ...] = ()
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def tr(self, field: str, language: str | None = None):
        language = (language or get_language() or "en").lower()
        value = (self.translations or {}).get(language, {}).get(field)
        return value if value else getattr(self, field)

    def is_translated(self, language: str | None = None) -> bool:
        """True when every non-empty English field has a text in ``language``."""
        language = (language or get_language() or "en").lower()
        if language.startswith("en"):
            return True
        done = (self.translations or {}).get(language, {})
        return all(done.get(field) for field in self.TRANSLATED if getattr(self, field))


def default_pass_percent() -> int:
    # A callable, so changing QUIZ_PASS_PERCENT changes new modules without a migration.
    return settings.QUIZ_PASS_PERCENT


class Module(Translatable):
    TRANSLATED = ("title", "summary")

    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=150)
    species_group = models.ForeignKey(
        "reports.SpeciesGroup",
        verbose_name=_("species group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_modules",
    )
    is_core = models.BooleanField(
        _("core module"),
        default=False,
        help_text=_("How to flag, evidence, safety and privacy: required for certification."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=default_pass_percent
    )
    questions_per_quiz = models.PositiveSmallIntegerField(_("questions per quiz"), default=10)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    def __str__(self) -> str:
        return self.tr("title")


class Lesson(Translatable):
    TRANSLATED = ("title", "body_markdown", "image_alt", "visual_clues", "search_terms", "law")

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body_markdown = models.TextField(_("body (Markdown)"))
    image = models.CharField(
        _("image"),
        max_length=200,
        blank=True,
        help_text=_("Path under static/, e.g. training/img/x.svg"),
    )
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    visual_clues = models.JSONField(_("visual clues"), default=list, blank=True)
    search_terms = models.JSONField(_("search terms and code words"), default=list, blank=True)
    law = models.TextField(_("the law in plain words"), blank=True)

    class Meta:
        ordering = ["module", "order"]
        verbose_name = _("lesson")
        constraints = [
            models.UniqueConstraint(fields=["module", "order"], name="one_lesson_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.module.slug} {self.order}. {self.title}"


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("Multiple choice")
    LISTING = "listing", _("Is this listing prohibited?")


class Question(Translatable):
    TRANSLATED = ("prompt", "listing_title", "listing_text", "explanation")

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.CHOICE
    )
    prompt = models.TextField(_("question"))
    listing_title = models.CharField(_("listing title"), max_length=300, blank=True)
    listing_text = models.TextField(_("listing text"), blank=True)
    image = models.CharField(_("image"), max_length=200, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    is_active = models.BooleanField(_("in the question bank"), default=True)
    # Set for questions loaded from training/data: lets the loader update them in place.
    content_key = models.CharField(max_length=40, blank=True, editable=False)
    # Practice questions made from real decided reports (one per report, identity removed).
    source_report = models.OneToOneField(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_question",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["module", "id"]
        verbose_name = _("question")
        constraints = [
            models.UniqueConstraint(
                fields=["module", "content_key"],
                condition=~models.Q(content_key=""),
                name="one_question_per_content_key",
            )
        ]

    def __str__(self) -> str:
        text = self.listing_title or self.prompt
        return text if len(text) <= 80 else text[:77] + "…"


class Choice(Translatable):
    TRANSLATED = ("text",)

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("answer choice")

    def __str__(self) -> str:
        return self.tr("text")


class QuizAttempt(models.Model):
    """One sitting of a module's quiz.

    ``layout`` fixes, server-side, which questions were drawn and in which order their choices
    were shown: ``[{"q": question_id, "c": [choice_id, ...]}, ...]``. Scoring only ever looks at
    the layout, so a learner cannot add, swap or repeat questions by editing the form."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="attempts")
    role = models.CharField(_("role at the time"), max_length=20, blank=True)
    layout = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    correct_count = models.PositiveSmallIntegerField(default=0)
    question_count = models.PositiveSmallIntegerField(default=0)
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    pass_percent = models.PositiveSmallIntegerField(default=default_pass_percent)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("quiz attempt")
        indexes = [models.Index(fields=["user", "module", "passed", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.module.slug} · {self.score_percent}%"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def question_ids(self) -> list[int]:
        return [row["q"] for row in self.layout]


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    # PROTECT: answered questions are retired with is_active=False, never deleted.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}: {'✓' if self.is_correct else '✗'}"


class CertificateQuerySet(models.QuerySet):
    def valid(self, at=None):
        return self.filter(revoked=False, expires_at__gt=at or timezone.now())


class Certificate(models.Model):
    """A certified spotter. A new one is issued at each renewal; old ones stay as history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-expires_at"]
        verbose_name = _("certificate")
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.expires_at:%Y-%m-%d}"

    @property
    def is_valid(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now()


class LessonView(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_views"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_view_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.lesson}"
