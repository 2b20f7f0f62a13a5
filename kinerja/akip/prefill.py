"""Suggested answers from what the system already knows, each with its reason.

Each rule reads a few facts of one agency and year and answers a `Suggestion`: a grade (or
none, when the system cannot tell) and the reason, in the instansi's language (it is kept on
the sheet as a record). The grades come from the policy's ``prefill`` section (see
``data/lke_2021.json``); shares are graded by `lke_rules.share_grade`.

- ``pk_on_time``: the agency's PK for the year signed by its due date: one month after the
  budget document's approval when the evaluation records that date, else the policy's date
  (31 January of the year). The date that counts is the date on the signed PK
  (``agreement_date``), the date an evaluator reads on the document; the day the second party
  signed it in the system is named in the reason when it is later.
- ``actions_monitored``: the share of the sub-periods ended so far in which at least half of
  the PK's scheduled actions have a progress entry.
- ``realisations_verified``: the share of the agency's realisations past draft (of the year's
  targets of its indicators) that are verified.
- ``iku_set``: the agency's key-indicator set covering the year, set (ditetapkan) or draft.
- ``indicators_complete``: the share of the agency's indicators with a unit of measure, a
  baseline and a data source.
- ``report_published``: nothing in the system records the publication: no grade.
- ``recommendations_followed``: the share of the recommendations of the agency's latest
  earlier evaluation that are done (dropped ones left out).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import formats, translation
from django.utils.translation import gettext as _

from kinerja.organisations.models import OrgUnit
from kinerja.performance.choices import AgreementStatus, KeySetStatus
from kinerja.performance.models import (
    ActionProgress,
    ActionSchedule,
    Agreement,
    Indicator,
    KeyIndicatorSet,
    Realisation,
    RealisationStatus,
)

from .lke_rules import HUNDRED, LkePolicy, round_score, share_grade


@dataclass(frozen=True)
class Suggestion:
    grade: str  # "" when the system cannot tell
    reason: str


@dataclass(frozen=True)
class Facts:
    agency: OrgUnit
    year: int
    policy: LkePolicy
    as_of: dt.date
    budget_approved_on: dt.date | None = None


def _day(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _pct(part: int, whole: int) -> Decimal:
    return round_score(Decimal(part) * HUNDRED / Decimal(whole), 1) if whole else Decimal(0)


def _num(value: Decimal) -> str:
    """A share as the reason's language writes it (66,7 in Indonesian)."""
    return formats.number_format(value, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def pk_due(policy: LkePolicy, year: int, budget_approved_on: dt.date | None) -> dt.date:
    """The PK's due date: a month after the budget's approval, else the policy's date."""
    rules = policy.prefill
    if budget_approved_on is not None:
        return add_months(budget_approved_on, int(rules["pk_months_after_budget"]))
    return dt.date.fromisoformat(f"{year}-{rules['pk_default_due']}")


def _first_signed(agency: OrgUnit, year: int) -> Agreement | None:
    return (
        Agreement.objects.filter(unit=agency, year=year, status=AgreementStatus.SIGNED)
        .order_by("revision")
        .first()
    )


def pk_on_time(f: Facts) -> Suggestion | None:
    grades = f.policy.prefill["pk_grades"]
    due = pk_due(f.policy, f.year, f.budget_approved_on)
    basis = (
        _("a month after the budget document's approval on %(day)s")
        % {"day": _day(f.budget_approved_on)}
        if f.budget_approved_on
        else _("the policy's date, since the system holds no budget approval date")
    )
    agreement = _first_signed(f.agency, f.year)
    if agreement is None:
        if f.as_of <= due:
            return None  # not due yet: nothing to suggest
        return Suggestion(
            grades["not_signed"],
            _("No signed PK %(year)s; it was due on %(due)s (%(basis)s).")
            % {"year": f.year, "due": _day(due), "basis": basis},
        )
    on = agreement.agreement_date
    recorded = agreement.signed_at.date() if agreement.signed_at else None
    note = ""
    if recorded and recorded > due:
        note = " " + _("It was recorded as signed in the system on %(day)s.") % {
            "day": _day(recorded)
        }
    facts = {"year": f.year, "on": _day(on), "due": _day(due), "basis": basis}
    if on > due:
        return Suggestion(
            grades["late"],
            _("PK %(year)s signed on %(on)s, after its due date %(due)s (%(basis)s).") % facts
            + note,
        )
    before = _first_signed(f.agency, f.year - 1)
    kept = before is not None and before.agreement_date <= pk_due(f.policy, f.year - 1, None)
    if kept:
        text = _(
            "PK %(year)s signed on %(on)s, by its due date %(due)s (%(basis)s); the PK of "
            "%(before)s was signed on time too."
        )
        return Suggestion(
            grades["on_time_two_years"], text % {**facts, "before": f.year - 1} + note
        )
    text = _("PK %(year)s signed on %(on)s, by its due date %(due)s (%(basis)s).")
    return Suggestion(grades["on_time"], text % facts + note)


def actions_monitored(f: Facts) -> Suggestion | None:
    agreement = (
        Agreement.objects.filter(unit=f.agency, year=f.year, is_current=True)
        .only("pk", "revision")
        .first()
    )
    if agreement is None:
        return Suggestion("E", _("The agency has no PK for %(year)s.") % {"year": f.year})
    schedule = ActionSchedule.objects.filter(
        action__agreement=agreement, sub_period__ends__lt=f.as_of
    )
    planned = dict(schedule.values_list("sub_period__number").annotate(n=Count("pk")).order_by())
    if not planned:
        if ActionSchedule.objects.filter(action__agreement=agreement).exists():
            return None  # no scheduled sub-period has ended yet
        return Suggestion(
            "E", _("The PK %(year)s has no scheduled action plan.") % {"year": f.year}
        )
    entered = _entered(agreement, f.as_of)
    minimum = Decimal(str(f.policy.prefill.get("monitored_sub_period_min_percent", 50)))
    monitored = sum(
        1 for number, n in planned.items() if _pct(entered.get(number, 0), n) >= minimum
    )
    share = _pct(monitored, len(planned))
    reason = _(
        "The PK's action plan had progress entered for at least %(min)s %% of its scheduled "
        "actions in %(done)d of the %(ended)d sub-periods ended so far (%(share)s %%)."
    ) % {
        "min": _num(minimum).removesuffix(",0").removesuffix(".0"),
        "done": monitored,
        "ended": len(planned),
        "share": _num(share),
    }
    return Suggestion(share_grade(f.policy, share), reason)


def _entered(agreement: Agreement, as_of: dt.date) -> dict[int, int]:
    """Per ended sub-period number, how many scheduled actions have a progress entry there."""
    rows = ActionProgress.objects.filter(
        action__agreement=agreement, sub_period__ends__lt=as_of
    ).values_list("action_id", "sub_period_id", "sub_period__number")
    scheduled = set(
        ActionSchedule.objects.filter(
            action__agreement=agreement, sub_period__ends__lt=as_of
        ).values_list("action_id", "sub_period_id")
    )
    out: dict[int, int] = {}
    for action_id, sub_id, number in rows:
        if (action_id, sub_id) in scheduled:
            out[number] = out.get(number, 0) + 1
    return out


def realisations_verified(f: Facts) -> Suggestion | None:
    rows = dict(
        Realisation.objects.filter(
            instansi_id=f.agency.instansi_id,
            target__year=f.year,
            target__indicator__goal__isnull=False,
            target__indicator__unit__path__startswith=f.agency.path,
        )
        .exclude(status=RealisationStatus.DRAFT)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(rows.values())
    if not total:
        return None
    verified = rows.get(RealisationStatus.VERIFIED, 0)
    share = _pct(verified, total)
    reason = _(
        "%(verified)d of the %(total)d realisations submitted for the %(year)s targets are "
        "verified (%(share)s %%)."
    ) % {"verified": verified, "total": total, "year": f.year, "share": _num(share)}
    return Suggestion(share_grade(f.policy, share), reason)


def iku_set(f: Facts) -> Suggestion | None:
    grades = f.policy.prefill["iku_grades"]
    sets = list(
        KeyIndicatorSet.objects.filter(
            unit=f.agency, first_year__lte=f.year, last_year__gte=f.year
        ).order_by("-status", "-first_year")
    )
    done = next((s for s in sets if s.status == KeySetStatus.SET), None)
    if done is not None:
        decree = (
            _(", decree %(number)s") % {"number": done.decree_number} if done.decree_number else ""
        )
        return Suggestion(
            grades["set"],
            _("The IKU %(first)d–%(last)d is set%(decree)s.")
            % {"first": done.first_year, "last": done.last_year, "decree": decree},
        )
    if sets:
        return Suggestion(
            grades["draft"],
            _("The IKU %(first)d–%(last)d is still a draft.")
            % {"first": sets[0].first_year, "last": sets[0].last_year},
        )
    return Suggestion(
        grades["none"], _("The agency has no IKU covering %(year)s.") % {"year": f.year}
    )


def indicators_complete(f: Facts) -> Suggestion | None:
    indicators = Indicator.objects.filter(
        instansi_id=f.agency.instansi_id,
        goal__isnull=False,
        unit__path__startswith=f.agency.path,
    )
    counts = indicators.aggregate(
        total=Count("pk"),
        complete=Count(
            "pk",
            filter=~Q(measure_unit="") & Q(baseline__isnull=False) & ~Q(data_source=""),
        ),
    )
    total, complete = counts["total"], counts["complete"]
    if not total:
        return Suggestion("E", _("The agency has no performance indicator."))
    share = _pct(complete, total)
    reason = _(
        "%(complete)d of the agency's %(total)d indicators have a unit of measure, a baseline "
        "and a data source (%(share)s %%)."
    ) % {"complete": complete, "total": total, "share": _num(share)}
    return Suggestion(share_grade(f.policy, share), reason)


def report_published(f: Facts) -> Suggestion | None:
    return Suggestion(
        "",
        _(
            "Nothing in the system records the publication of the performance report: "
            "answer from the evidence (the report's page on the agency's website)."
        ),
    )


def recommendations_followed(f: Facts) -> Suggestion | None:
    from .models import Evaluation

    before = Evaluation.objects.filter(agency=f.agency, year__lt=f.year).order_by("-year").first()
    if before is None:
        return Suggestion("", _("No earlier evaluation in the system to follow up."))
    counts = before.recommendations.exclude(status="dropped").aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status="done"))
    )
    if not counts["total"]:
        return Suggestion(
            "", _("The evaluation of %(year)s made no recommendation.") % {"year": before.year}
        )
    share = _pct(counts["done"], counts["total"])
    reason = _(
        "%(done)d of the %(total)d recommendations of the %(year)s evaluation are done "
        "(%(share)s %%)."
    ) % {
        "done": counts["done"],
        "total": counts["total"],
        "year": before.year,
        "share": _num(share),
    }
    return Suggestion(share_grade(f.policy, share), reason)


RULES: dict[str, Callable[[Facts], Suggestion | None]] = {
    "pk_on_time": pk_on_time,
    "actions_monitored": actions_monitored,
    "realisations_verified": realisations_verified,
    "iku_set": iku_set,
    "indicators_complete": indicators_complete,
    "report_published": report_published,
    "recommendations_followed": recommendations_followed,
}


def suggestions(
    *,
    agency: OrgUnit,
    year: int,
    policy: LkePolicy,
    as_of: dt.date,
    budget_approved_on: dt.date | None = None,
) -> dict[str, Suggestion]:
    """The suggestions for the criteria the policy marks, by criterion code, in the
    instansi's language (they are kept on the sheet)."""
    facts = Facts(agency, year, policy, as_of, budget_approved_on)
    out: dict[str, Suggestion] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for code, criterion in policy.criteria.items():
            rule = RULES.get(criterion.prefill)
            if rule is None:
                continue
            found = rule(facts)
            if found is not None:
                out[code] = found
    return out
