"""Reaction feedback with anonymity by design.

- `FeedbackForm`: one per session and speaker, or one for the organisation of an event.
- `FeedbackReceipt`: WHO has answered a form (to refuse a second answer), nothing about what.
- `FeedbackResponse`: WHAT was answered, with no link to the participant, no timestamp and a
  random key (rows read in key order come in no order of arrival): the receipt and the
  response are written in one transaction but nothing joins them.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import TenantModel

from ..querysets import InstansiEventQuerySet

__all__ = [
    "FeedbackForm",
    "FeedbackFormKind",
    "FeedbackFormStatus",
    "FeedbackReceipt",
    "FeedbackResponse",
    "Moderation",
]


class FeedbackFormKind(models.TextChoices):
    SESSION = "session", _("Session and speaker")
    ORGANISATION = "organisation", _("Organisation")


class FeedbackFormStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    RELEASED = "released", _("Results released")


class Moderation(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    HIDDEN = "hidden", _("Hidden")


class FeedbackFormQuerySet(InstansiEventQuerySet):
    event_field = "event"


RATING = {"null": True, "blank": True}


class FeedbackForm(TenantModel):
    """A reaction form of an event: for one session and one of its speakers, or for the
    organisation (venue, facilities, schedule). Answered while open (within ``opens_at`` and
    ``closes_at`` when set); its results are shown once released and only from ``min_count``
    responses."""

    event = models.ForeignKey(
        "training.Event",
        on_delete=models.CASCADE,
        related_name="feedback_forms",
        verbose_name=_("event"),
    )
    kind = models.CharField(_("form"), max_length=12, choices=FeedbackFormKind.choices)
    session = models.ForeignKey(
        "training.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback_forms",
        verbose_name=_("session"),
    )
    speaker = models.ForeignKey(
        "training.Speaker",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_forms",
        verbose_name=_("speaker"),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FeedbackFormStatus.choices,
        default=FeedbackFormStatus.OPEN,
    )
    min_count = models.PositiveSmallIntegerField(_("minimum responses to show results"))

    objects = FeedbackFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")
        ordering = ["event", "kind", "session__starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="session", session__isnull=False, speaker__isnull=False)
                | Q(kind="organisation", session__isnull=True, speaker__isnull=True),
                name="training_feedbackform_kind",
            ),
            models.UniqueConstraint(
                fields=["session", "speaker"],
                condition=Q(kind="session"),
                name="training_feedbackform_one_per_session_speaker",
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(kind="organisation"),
                name="training_feedbackform_one_organisation",
            ),
            models.CheckConstraint(
                condition=Q(min_count__gte=1), name="training_feedbackform_min_count"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == FeedbackFormKind.ORGANISATION:
            return f"{self.event}: {FeedbackFormKind.ORGANISATION.label}"
        return f"{self.session} ({self.speaker})"


class FeedbackReceipt(TenantModel):
    """That a participant has answered a form, and when: nothing about the answers."""

    form = models.ForeignKey(
        FeedbackForm, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("form")
    )
    participant = models.ForeignKey(
        "training.Participant",
        on_delete=models.CASCADE,
        related_name="feedback_receipts",
        verbose_name=_("participant"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("feedback receipt")
        verbose_name_plural = _("feedback receipts")
        ordering = ["form", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "participant"], name="training_feedbackreceipt_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id}/{self.participant_id}"


class FeedbackResponse(models.Model):
    """What one (unknown) participant answered: ratings on the policy's scale and a comment.
    No participant, no timestamp, a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instansi = models.ForeignKey(
        "organisations.Instansi",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("instansi"),
    )
    form = models.ForeignKey(
        FeedbackForm, on_delete=models.CASCADE, related_name="responses", verbose_name=_("form")
    )
    session = models.ForeignKey(
        "training.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    speaker = models.ForeignKey(
        "training.Speaker",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker"),
    )
    relevance = models.PositiveSmallIntegerField(_("relevance"), **RATING)
    speaker_rating = models.PositiveSmallIntegerField(_("the speaker"), **RATING)
    material = models.PositiveSmallIntegerField(_("material"), **RATING)
    applicability = models.PositiveSmallIntegerField(_("applicability"), **RATING)
    venue = models.PositiveSmallIntegerField(_("venue"), **RATING)
    facilities = models.PositiveSmallIntegerField(_("facilities"), **RATING)
    schedule = models.PositiveSmallIntegerField(_("schedule"), **RATING)
    comment = models.TextField(_("comment"), blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.APPROVED
    )

    class Meta:
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")
        ordering = ["form", "id"]  # a random key: no order of arrival

    def __str__(self) -> str:
        return str(_("feedback response"))
