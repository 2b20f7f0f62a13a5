"""Reads of the development-hours ledger: a person's year, and the staff below the yearly
minimum with the forecast of who can no longer reach it.

The shortfall list is one query per page (and one count): the active staff within reach whose
status the year's rules apply to, each with the sum of their records of the year and the lesson
hours of the sessions still to come in the events they are enrolled in, both as correlated
sums on indexed columns, filtered to those below the minimum.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee, OrgUnit

from .choices import ParticipantStatus
from .ledger_rules import LedgerRules, rules_for_year, weeks_left
from .models import DevelopmentRecord, Session

JP_FIELD = DecimalField(max_digits=8, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=JP_FIELD)


def reads_shortfall(scope: Scope) -> bool:
    """Who sees a shortfall list: whoever may view people somewhere (the agency's administrator
    and head their agency; BKD, BPSDM, leadership and the other instansi-wide roles all)."""
    return scope.instansi_id is not None and scope.can_anywhere(Action.VIEW_PEOPLE)


@dataclass
class YearSummary:
    year: int
    records: list
    total: Decimal
    rules: LedgerRules
    applies: bool

    @property
    def minimum(self) -> Decimal:
        return self.rules.minimum_jp

    @property
    def missing(self) -> Decimal:
        return max(self.minimum - self.total, Decimal("0"))

    @property
    def percent(self) -> int:
        if not self.minimum:
            return 100
        return min(100, int(self.total * 100 / self.minimum))

    @property
    def met(self) -> bool:
        return self.total >= self.minimum


def year_summary(employee: Employee, year: int) -> YearSummary:
    """The person's records of ``year``, their total and the year's minimum."""
    records = list(
        DevelopmentRecord.objects.filter(employee=employee, year=year)
        .select_related("training_type")
        .order_by("starts_on", "pk")
    )
    rules = rules_for_year(year)
    total = sum((r.hours for r in records), Decimal("0"))
    return YearSummary(year, records, total, rules, employee.status in rules.applies_to)


def _year_start(year: int) -> dt.datetime:
    return dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())


def enrolled_future_jp(year: int, now: dt.datetime) -> Subquery:
    """Per employee (``OuterRef("pk")``): the lesson hours of the sessions of ``year`` that
    start after ``now`` in the events where they hold a seat (nominated or confirmed)."""
    after = max(now, _year_start(year))
    rows = (
        Session.objects.filter(
            event__participants__employee_id=OuterRef("pk"),
            event__participants__status__in=[
                ParticipantStatus.NOMINATED,
                ParticipantStatus.CONFIRMED,
            ],
            starts_at__gt=after,
            starts_at__lt=_year_start(year + 1),
        )
        .order_by()
        .values("event__participants__employee_id")
        .annotate(total=Sum("jp"))
        .values("total")
    )
    return Subquery(rows, output_field=JP_FIELD)


def year_total(year: int) -> Subquery:
    rows = (
        DevelopmentRecord.objects.filter(employee_id=OuterRef("pk"), year=year)
        .order_by()
        .values("employee_id")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Subquery(rows, output_field=JP_FIELD)


def shortfall(
    scope: Scope,
    *,
    year: int,
    agency: OrgUnit | None = None,
    unreachable_only: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet:
    """The active staff within reach below the year's minimum, each annotated with ``total``
    (JP recorded), ``enrolled`` (JP of future sessions they are enrolled in), ``missing`` and
    ``unreachable`` (True: total + enrolled + the weekly allowance for the whole weeks left is
    still below the minimum). Ordered by agency, unit and name."""
    now = now or timezone.now()
    rules = rules_for_year(year)
    allowance = rules.weekly_allowance_jp * weeks_left(timezone.localtime(now).date(), year)
    minimum = Value(rules.minimum_jp, output_field=JP_FIELD)
    rows = Employee.objects.within(scope, Action.VIEW_PEOPLE).filter(
        is_active=True, status__in=rules.applies_to
    )
    if agency is not None:
        rows = rows.filter(unit__path__startswith=agency.path, instansi_id=agency.instansi_id)
    rows = rows.annotate(
        total=Coalesce(year_total(year), ZERO, output_field=JP_FIELD),
        enrolled=Coalesce(enrolled_future_jp(year, now), ZERO, output_field=JP_FIELD),
    ).filter(total__lt=minimum)
    missing = ExpressionWrapper(minimum - F("total"), output_field=JP_FIELD)
    rows = rows.annotate(
        missing=missing,
        unreachable=Case(
            When(
                enrolled__lt=ExpressionWrapper(
                    minimum - F("total") - Value(allowance, output_field=JP_FIELD),
                    output_field=JP_FIELD,
                ),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    if unreachable_only:
        rows = rows.filter(unreachable=True)
    return rows.select_related("unit__agency", "position").order_by(
        "unit__agency__sort_key", "unit__sort_key", "name", "pk"
    )


def agencies_for(scope: Scope) -> QuerySet:
    """The agencies a shortfall list may be narrowed to: those whose units the caller reaches."""
    return OrgUnit.objects.within(scope, Action.VIEW_PEOPLE).filter(parent__isnull=True)
