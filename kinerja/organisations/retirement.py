"""Retirement age (BUP, batas usia pensiun) by kind of post, and the staff who reach it.

The ages are policy data in ``data/bup.csv`` (versioned by ``valid_from``; the rules in force on
a day are those of the newest version that began on or before it). Each rule matches a post by
its kind, its eselon and words of its title (any of them left empty matches every post); the
first rule that matches gives the age. Staff without a post get the last rule of the version
(the one matching everything).

Retirement falls at the end of the month in which the employee reaches the BUP; the pension
runs from the first day of the next month (``pension_start``).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from .choices import EmployeeStatus

BUP_CSV = Path(__file__).resolve().parent / "data" / "bup.csv"
# Statuses the BUP applies to: civil servants. Non-ASN staff work under other contracts.
BUP_STATUSES = (EmployeeStatus.PNS, EmployeeStatus.PPPK)
MONTH_CHOICES = (6, 12, 24)  # the windows the retirement page offers


@dataclass(frozen=True)
class BupRule:
    valid_from: dt.date
    kind: str
    eselons: tuple[str, ...]
    title_contains: str
    age: int

    def matches(self, kind: str, eselon: str, title: str) -> bool:
        return (
            (not self.kind or self.kind == kind)
            and (not self.eselons or eselon in self.eselons)
            and (not self.title_contains or self.title_contains.lower() in title.lower())
        )

    def q(self, prefix: str = "position__") -> Q:
        """The rule as a filter on employees (through their post)."""
        q = Q()
        if self.kind:
            q &= Q(**{f"{prefix}kind": self.kind})
        if self.eselons:
            q &= Q(**{f"{prefix}eselon__in": self.eselons})
        if self.title_contains:
            q &= Q(**{f"{prefix}title__icontains": self.title_contains})
        return q


@functools.cache
def _all_rules(path: Path = BUP_CSV) -> tuple[BupRule, ...]:
    with open(path, newline="", encoding="utf-8") as handle:
        return tuple(
            BupRule(
                valid_from=dt.date.fromisoformat(r["valid_from"]),
                kind=r["kind"].strip(),
                eselons=tuple(e for e in r["eselon"].split("|") if e),
                title_contains=r["title_contains"].strip(),
                age=int(r["age"]),
            )
            for r in csv.DictReader(handle)
        )


def today() -> dt.date:
    """The day the retirement page counts from (a function, so tests can set it)."""
    return timezone.localdate()


def bup_rules(on: dt.date) -> tuple[BupRule, ...]:
    """Return the rules of the version in force on ``on``, in their order."""
    rules = _all_rules()
    versions = sorted({r.valid_from for r in rules if r.valid_from <= on})
    if not versions:
        raise ValueError(f"{BUP_CSV.name}: no version in force on {on.isoformat()}")
    return tuple(r for r in rules if r.valid_from == versions[-1])


def bup_age(kind: str, eselon: str, title: str, *, on: dt.date) -> int:
    """Return the retirement age of a post (kind, eselon, title) under the rules of ``on``."""
    rules = bup_rules(on)
    for rule in rules:
        if rule.matches(kind or "", eselon or "", title or ""):
            return rule.age
    return rules[-1].age


def min_bup_age(on: dt.date) -> int:
    return min(r.age for r in bup_rules(on))


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def retirement_date(birth: dt.date, age: int) -> dt.date:
    """Return the last day of the month in which someone born on ``birth`` turns ``age``.

    Born 15 March 1968, BUP 58: 31 March 2026. Born 29 February 1968, BUP 58: 28 February 2026.
    """
    return _end_of_month(birth.year + age, birth.month)


def pension_start(birth: dt.date, age: int) -> dt.date:
    """Return the first day of the pension: the day after the retirement date."""
    return retirement_date(birth, age) + dt.timedelta(days=1)


def latest_birth_retiring_by(day: dt.date, age: int) -> dt.date:
    """Return the last birth date whose retirement date (at ``age``) is on or before ``day``'s
    month end: retirement by the end of month M of year Y means born by the end of month M
    of year Y - age."""
    return _end_of_month(day.year - age, day.month)


def earliest_birth_in_service(day: dt.date, age: int) -> dt.date:
    """Return the earliest birth date of someone not yet retired on ``day`` at ``age``."""
    return dt.date(day.year - age, day.month, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def bup_age_expression(on: dt.date) -> Case:
    """The retirement age of each employee's post, as a database expression (first rule wins)."""
    whens, default = [], bup_rules(on)[-1].age
    for rule in bup_rules(on):
        q = rule.q()
        if not q:  # matches every post: the rules after it never apply
            default = rule.age
            break
        whens.append(When(q, then=Value(rule.age)))
    return Case(*whens, default=Value(default), output_field=IntegerField())


def reaching_bup(employees: QuerySet, *, today: dt.date, months: int) -> QuerySet:
    """Narrow ``employees`` (already scoped) to the active civil servants whose retirement date
    falls by the end of the month ``months`` months after ``today``; those already past it and
    still active are included too. Annotates ``bup_age``; order: soonest first. One query.

    Each row's dates come from `retirement_date(row.birth_date, row.bup_age)`.
    """
    horizon = add_months(today, months)
    ages = sorted({r.age for r in bup_rules(today)})
    by_age = Q()
    for age in ages:
        by_age |= Q(bup_age=age, birth_date__lte=latest_birth_retiring_by(horizon, age))
    return (
        employees.filter(
            is_active=True,
            status__in=BUP_STATUSES,
            birth_date__isnull=False,
            # A cheap first cut on the indexed column: nobody younger than the lowest BUP.
            birth_date__lte=latest_birth_retiring_by(horizon, ages[0]),
        )
        .annotate(bup_age=bup_age_expression(today))
        .filter(by_age)
        .annotate(
            # Months since year 0 of the retirement month: orders by retirement date in SQL.
            retirement_month=(ExtractYear("birth_date") + F("bup_age")) * 12
            + ExtractMonth("birth_date")
        )
        .order_by("retirement_month", "name", "pk")
    )


@dataclass(frozen=True)
class Retiree:
    """One employee reaching BUP, with the dates."""

    employee: object
    age: int
    retirement_date: dt.date
    pension_start: dt.date
    overdue: bool


def with_dates(rows, *, today: dt.date) -> list[Retiree]:
    """Return the rows of `reaching_bup` (a page of them) with their dates, in their order."""
    out = []
    for e in rows:
        when = retirement_date(e.birth_date, e.bup_age)
        out.append(Retiree(e, e.bup_age, when, when + dt.timedelta(days=1), overdue=when < today))
    return out
