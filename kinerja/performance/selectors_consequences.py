"""Reads of the consequences of the evaluation: the credit points of a final evaluation and the
performance component of the regional allowance (TPP) of every employee of a unit for a month.

Neither is stored: both are computed on read from the final evaluations and the policy
(`kinerja.performance.consequence_rules`). The TPP rows of a month cost three queries whatever
the number of staff (the period, the plans with their evaluation, the staff without a plan).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Exists, FilteredRelation, OuterRef, Q
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Scope
from kinerja.organisations.choices import EmployeeStatus
from kinerja.organisations.models import Employee, OrgUnit

from .consequence_rules import (
    CreditPoints,
    credit_rules_for_year,
    month_day,
    months_covered,
    post_credit_points,
    sub_period_of_month,
    tpp_performance,
    tpp_rules_for_year,
    window_months,
)
from .evaluation_rules import Predikat
from .models import Evaluation, EvaluationKind, EvaluationStatus, Period, Plan
from .services import FIRST_YEAR, LAST_YEAR

# The state of a TPP row.
FINAL = "final"
NO_FINAL_EVALUATION = "no_final_evaluation"
NO_PLAN = "no_plan"


def evaluation_credit_points(evaluation: Evaluation) -> CreditPoints | None:
    """The credit points of a final evaluation of a functional post's plan; None when the
    evaluation is not final or the post is not functional. Periodic: the months of its
    sub-period that the plan covers; annual: the months of the year the plan covers. Reads
    the plan and its period (select them with the evaluation: no query of its own)."""
    if evaluation.status != EvaluationStatus.FINAL:
        return None
    plan = evaluation.plan
    year = plan.period.year
    rules = credit_rules_for_year(year)
    first, last = window_months(year, plan.period.frequency, evaluation.sub_period)
    months = months_covered(plan.starts, plan.ends, year, first, last, rules.plan_covers_day)
    points = post_credit_points(
        rules,
        position_kind=plan.position_kind,
        position_title=plan.position_title,
        predikat=evaluation.predikat,
        months=months,
    )
    return None if points.reason == "not_functional" else points


def may_read_tpp(scope: Scope) -> bool:
    """The TPP rows are personnel data: read where the caller views people by unit (an
    agency's own staff, or everyone for an instansi-wide role); an evaluator's reach down the
    reporting lines does not extend to them."""
    paths = scope.paths_for(Action.VIEW_PEOPLE)
    return paths is None or bool(paths)


def tpp_units(scope: Scope):
    """The units whose TPP rows the caller may ask for."""
    return OrgUnit.objects.filter(instansi_id=scope.instansi_id).filter(
        scope.unit_q(Action.VIEW_PEOPLE, "path")
    )


@dataclass(frozen=True)
class TppRow:
    nip: str
    name: str
    position: str
    unit: str
    agency: str
    year: int
    month: int
    sub_period: int | None
    state: str  # final, no_final_evaluation, no_plan
    plan_id: int | None
    evaluation_id: int | None
    achievement: Decimal | None
    predikat: str
    percent: Decimal | None
    weight: Decimal
    component: Decimal | None
    sort: tuple = ()


def tpp_rows(scope: Scope, *, year: int, month: int, unit: OrgUnit | None = None) -> list[TppRow]:
    """One row per employee for ``month`` of ``year``: the staff whose plan (current revision)
    covers the month's reference day (the 15th by default) in a unit within the caller's reach
    (and under ``unit``), with the final periodic evaluation of the plan's sub-period holding
    the month; a plan without one gives a ``no_final_evaluation`` row. Active civil servants
    (PNS and PPPK; non-ASN staff are paid no TPP) of those units without such a plan give a
    ``no_plan`` row. Ordered by unit, then name."""
    rules = tpp_rules_for_year(year)
    if scope.instansi_id is None or not may_read_tpp(scope):
        return []
    day = month_day(year, month, rules.plan_covers_day)
    reach = scope.unit_q(Action.VIEW_PEOPLE, "unit__path")
    if unit is not None:
        reach &= Q(unit__path__startswith=unit.path)
    rows: dict[int, TppRow] = {}
    # Six possible components (five predikat and none): computed once, not per employee.
    parts = {p: tpp_performance(rules, p) for p in ("", *Predikat.values)}
    period = Period.objects.filter(instansi_id=scope.instansi_id, year=year).first()
    if period is not None:
        number = sub_period_of_month(period.frequency, month)
        plans = (
            Plan.objects.filter(reach, period=period, is_current=True, starts__lte=day)
            .filter(ends__gte=day)
            .annotate(
                final=FilteredRelation(
                    "evaluations",
                    condition=Q(
                        evaluations__kind=EvaluationKind.PERIODIC,
                        evaluations__sub_period=number,
                        evaluations__status=EvaluationStatus.FINAL,
                    ),
                )
            )
            .order_by("starts", "pk")
            .values_list(
                "pk",
                "employee_id",
                "employee__nip",
                "employee__name",
                "position_title",
                "unit__name",
                "unit__sort_key",
                "unit__path",
                "unit__agency__name",
                "final__pk",
                "final__achievement",
                "final__predikat",
            )
        )
        for (
            plan_id,
            employee_id,
            nip,
            name,
            title,
            unit_name,
            sort_key,
            path,
            agency,
            evaluation_id,
            achievement,
            predikat,
        ) in plans.iterator(chunk_size=5000):
            part = parts[predikat if evaluation_id else ""]
            rows[employee_id] = TppRow(  # a later plan (an overlap) replaces an earlier one
                nip=nip or "",
                name=name,
                position=title,
                unit=unit_name,
                agency=agency or unit_name,
                year=year,
                month=month,
                sub_period=number,
                state=FINAL if evaluation_id else NO_FINAL_EVALUATION,
                plan_id=plan_id,
                evaluation_id=evaluation_id,
                achievement=achievement,
                predikat=predikat or "",
                percent=part.percent,
                weight=part.weight,
                component=part.component,
                sort=(sort_key, path, name.casefold(), employee_id),
            )
    covered = Plan.objects.filter(
        employee_id=OuterRef("pk"),
        is_current=True,
        starts__lte=day,
        ends__gte=day,
        instansi_id=scope.instansi_id,
    )
    without = (
        Employee.objects.filter(reach, instansi_id=scope.instansi_id, is_active=True)
        .exclude(status=EmployeeStatus.NON_ASN)  # the TPP is paid to civil servants (ASN)
        .filter(~Exists(covered))
        .values_list(
            "pk",
            "nip",
            "name",
            "position__title",
            "unit__name",
            "unit__sort_key",
            "unit__path",
            "unit__agency__name",
        )
    )
    for employee_id, nip, name, title, unit_name, sort_key, path, agency in without.iterator(
        chunk_size=5000
    ):
        rows.setdefault(
            employee_id,
            TppRow(
                nip=nip or "",
                name=name,
                position=title or "",
                unit=unit_name,
                agency=agency or unit_name,
                year=year,
                month=month,
                sub_period=None,
                state=NO_PLAN,
                plan_id=None,
                evaluation_id=None,
                achievement=None,
                predikat="",
                percent=None,
                weight=rules.performance_weight,
                component=None,
                sort=(sort_key, path, name.casefold(), employee_id),
            ),
        )
    return sorted(rows.values(), key=lambda row: row.sort)


def tpp_query(scope: Scope, params, today: dt.date) -> tuple[int, int, OrgUnit | None]:
    """The ``year``, ``month`` and ``unit`` (an id) a TPP list is asked for in ``params`` (a
    request's GET); the current month when none is given. A malformed value, or a unit out of
    the caller's reach, is refused (``ValidationError`` naming the field)."""
    values = {}
    for name, default, low, high in (
        ("year", today.year, FIRST_YEAR, LAST_YEAR),
        ("month", today.month, 1, 12),
    ):
        raw = str(params.get(name, "") or "").strip()
        if not raw:
            values[name] = default
        elif raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
            values[name] = int(raw)
        else:
            raise ValidationError(
                {name: _("Give a number from %(low)d to %(high)d.") % {"low": low, "high": high}}
            )
    unit = None
    raw = str(params.get("unit", "") or "").strip()
    if raw:
        unit = (
            tpp_units(scope).filter(pk=int(raw)).first()
            if raw.isdigit() and len(raw) < 16
            else None
        )
        if unit is None:
            raise ValidationError({"unit": _("No such unit within your reach.")})
    return values["year"], values["month"], unit
