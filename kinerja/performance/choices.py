"""Choices of performance planning. Lists that regulations set (themes, development areas,
units of measure) are policy data in ``data/`` and read through `kinerja.performance.policy`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """How an instansi splits its year for periodic evaluation."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class SubPeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class GoalLevel(models.TextChoices):
    """The levels of the goal tree, top down: the regional plan (RPJMD), then an agency's
    strategic plan (Renstra) under one of its targets (sasaran)."""

    MISSION = "mission", _("Mission (misi)")
    OBJECTIVE = "objective", _("Objective (tujuan)")
    TARGET = "target", _("Target (sasaran)")
    AGENCY_OBJECTIVE = "agency_objective", _("Strategic objective (tujuan Renstra)")
    AGENCY_TARGET = "agency_target", _("Strategic target (sasaran Renstra)")

    @classmethod
    def regional(cls) -> frozenset[str]:
        """The levels of the regional plan (RPJMD): they belong to no unit."""
        return frozenset({cls.MISSION, cls.OBJECTIVE, cls.TARGET})

    @classmethod
    def parent_level(cls, level: str) -> str | None:
        """The level a goal of ``level`` must sit under (None: at the top)."""
        return {
            cls.MISSION: None,
            cls.OBJECTIVE: cls.MISSION,
            cls.TARGET: cls.OBJECTIVE,
            cls.AGENCY_OBJECTIVE: cls.TARGET,
            cls.AGENCY_TARGET: cls.AGENCY_OBJECTIVE,
        }[level]


class TagKind(models.TextChoices):
    RB_THEME = "rb_theme", _("RB Tematik theme")
    DEVELOPMENT_AREA = "development_area", _("Development area (Perpres 80/2019)")


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", _("Higher is better")
    LOWER_IS_BETTER = "lower_is_better", _("Lower is better")


class DataType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    QUALITATIVE = "qualitative", _("Qualitative")


class ControlLevel(models.TextChoices):
    OUTCOME = "outcome", _("Outcome")
    INTERMEDIATE_OUTCOME = "intermediate_outcome", _("Intermediate outcome")
    OUTPUT = "output", _("Output")


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMESTER = "semester", _("Every six months")
    ANNUAL = "annual", _("Yearly")


class Aggregation(models.TextChoices):
    """How the sub-periods' values make the year's value."""

    CUMULATIVE = "cumulative", _("Cumulative (the sum of the sub-periods)")
    LAST_VALUE = "last_value", _("Last value (the last sub-period's)")
    AVERAGE = "average", _("Average of the sub-periods")


class TargetShape(models.TextChoices):
    """What a target is: a number, a range (with the indicator's polarity), or a described
    expectation with no number (a qualitative target)."""

    VALUE = "value", _("A value")
    RANGE = "range", _("A range")
    QUALITATIVE = "qualitative", _("Qualitative (a described expectation)")


class ZeroTargetRule(models.TextChoices):
    """What an indicator's target of 0 gives, instead of the policy's default rule for its
    polarity. "Better" is above 0 when higher is better, below 0 when lower is better."""

    EXACT = "exact", _("Only an exact hit: 100 at 0, otherwise the floor")
    NOT_WORSE = "not_worse", _("100 at 0 or better, the floor when worse")
    BETTER_CAPPED = "better_capped", _("100 at 0, the cap when better, the floor when worse")
    EVALUATOR = "evaluator", _("Rated by the evaluator, not computed")


class KeySetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SET = "set", _("Set (ditetapkan)")


class AgreementStatus(models.TextChoices):
    """The steps of a performance agreement (Perjanjian Kinerja), in order."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")


class PlanApproach(models.TextChoices):
    """How an employee plan (SKP) states its targets (PermenPAN-RB 6/2022)."""

    QUANTITATIVE = "quantitative", _("Quantitative")
    QUALITATIVE = "qualitative", _("Qualitative")


class ResultKind(models.TextChoices):
    MAIN = "main", _("Main result")
    ADDITIONAL = "additional", _("Additional result")


class ResultClassification(models.TextChoices):
    """How a head of agency's result stands to the agreement target it serves."""

    ORGANISATIONAL = "organisational", _("Organisational")
    INDIVIDUAL = "individual", _("Individual")


class Aspect(models.TextChoices):
    """The aspect an individual indicator (IKI) measures."""

    QUANTITY = "quantity", _("Quantity")
    QUALITY = "quality", _("Quality")
    TIME = "time", _("Time")
    COST = "cost", _("Cost")


class Perspective(models.TextChoices):
    """The four perspectives that group a JPT plan's indicators."""

    STAKEHOLDER = "stakeholder", _("Service recipients (stakeholders)")
    INTERNAL_PROCESS = "internal_process", _("Internal business process")
    LEARNING = "learning", _("Learning and growth (internal strengthening)")
    BUDGET = "budget", _("Budget")
