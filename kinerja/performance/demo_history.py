"""The load_demo step after the evaluations: the agencies' figures of the years before the
demo's first (2021 and 2022 before 2023). Each indicator an agency signed for in the first
year gets a target in each earlier year (a few percent lower, or higher where lower is
better), its quarterly values, and four verified quarterly realisations, so that the year's
achievement exists; the impact report of the 2023 refreshment compares the participants' 2023
figures with this trend. Through the services (periods, targets, values) and the evaluations
step's realisation writer, each with its audit event; how many years and how far apart are in
``data/demo_evaluations.json`` ("history").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope

from . import aggregates, services
from .choices import DataType, Polarity, TargetShape
from .demo_agencies import _round, first_year, sub_period_values
from .demo_evaluations import _Builder, load_spec
from .models import AgreementTarget, Period, Realisation, SubPeriod, Target, TargetValue


def _years(spec: dict[str, Any]) -> list[int]:
    first = first_year()
    return list(range(first - int(spec["history"]["years_before"]), first))


def _earlier(target: Target, years_back: int, step: Decimal) -> dict[str, Any]:
    """The target's data ``years_back`` years earlier: ``step`` percent a year easier."""
    factor = Decimal(1) + (step * years_back / 100) * (
        1 if target.indicator.polarity == Polarity.LOWER_IS_BETTER else -1
    )
    integer = target.indicator.data_type == DataType.INTEGER
    data: dict[str, Any] = {"shape": target.shape, "expectation": target.expectation}
    if target.shape == TargetShape.RANGE:
        data.update(
            low=_round(target.low * factor, integer), high=_round(target.high * factor, integer)
        )
    else:
        data["value"] = _round(target.value * factor, integer)
    return data


@aggregates.batched
def demo_history_run(ctx) -> str:
    """Give the first year's agency targets their earlier years; keep what is there."""
    instansi = ctx.instansi
    spec = load_spec()
    years = _years(spec)
    existing = Target.objects.filter(instansi=instansi, year__in=years).count()
    if existing:
        return _("kept: %(n)d targets of earlier years already (use --reset to rebuild)") % {
            "n": existing
        }
    call = {
        "actor": None,
        "scope": Scope(instansi_id=instansi.pk, grants=(Grant(actions=Action.ALL),)),
    }
    first = first_year()
    signed = list(
        Target.objects.filter(
            pk__in=AgreementTarget.objects.filter(
                agreement__instansi=instansi,
                agreement__year=first,
                agreement__is_current=True,
                agreement__unit__isnull=False,
            ).values("target_id")
        )
        .exclude(shape=TargetShape.QUALITATIVE)
        .select_related("indicator")
        .order_by("indicator__code", "pk")
    )
    step = Decimal(str(spec["history"]["target_step_percent"]))
    builder = _Builder(ctx, spec)
    made = 0
    for year in years:
        period = Period.objects.filter(instansi=instansi, year=year).first()
        if period is None:
            period = services.period_create(**call, instansi=instansi, year=year)
        subs = list(SubPeriod.objects.filter(period=period).order_by("number"))
        targets = []
        for current in signed:
            indicator = current.indicator
            try:
                data = _earlier(current, first - year, step)
                target = services.target_set(**call, indicator=indicator, year=year, data=data)
            except ValidationError:  # out of the indicator's bounds: the same target
                data = {k: getattr(current, k) for k in ("shape", "value", "low", "high")}
                target = services.target_set(**call, indicator=indicator, year=year, data=data)
            values = sub_period_values(target, indicator, len(subs))
            services.target_set_values(**call, target=target, values=values)
            target.indicator = indicator
            targets.append(target)
        builder.realise_agency_targets(targets, year, subs)
        made += len(targets)
    return _(
        "%(targets)d agency targets of %(years)s, each realised and verified every quarter"
    ) % {"targets": made, "years": ", ".join(str(y) for y in years)}


def demo_history_wipe(ctx) -> str:
    """Remove the earlier years: their realisations, targets and periods (their audit events
    stay)."""
    instansi = ctx.instansi
    years = _years(load_spec())
    targets = Target.objects.filter(instansi=instansi, year__in=years)
    ids = set(targets.values_list("pk", flat=True))
    agencies = set(targets.values_list("indicator__unit_id", "year"))
    Realisation.objects.filter(target__in=ids).delete()
    TargetValue.objects.filter(target__in=ids).delete()
    targets.delete()
    aggregates.refresh_targets(ids, agencies=agencies)
    Period.objects.filter(instansi=instansi, year__in=years).delete()
    return _("removed %(n)d targets of earlier years") % {"n": len(ids)}
