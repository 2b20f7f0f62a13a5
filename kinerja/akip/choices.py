"""Choices of the AKIP evaluation. The grades and the predikat are the LKE policy's
(``data/lke_*.json``); these are the product's own states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class AnswerSource(models.TextChoices):
    """Who gave the grade: the system's suggestion not yet confirmed, or the evaluator."""

    SUGGESTED = "suggested", _("Suggested by the system")
    ANSWERED = "answered", _("Answered by the evaluator")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")

    @classmethod
    def closed(cls) -> frozenset[str]:
        return frozenset({cls.DONE, cls.DROPPED})


# The grades of the answer scale (PermenPAN-RB 88/2021), as stored; their values are policy.
GRADES = ("AA", "A", "BB", "B", "CC", "C", "D", "E")
GRADE_CHOICES = [(g, g) for g in GRADES]
