"""The load_demo step of performance planning: the demo's regional plan (RPJMD), the
province's key indicators, some agencies' Renstra goals and indicators with targets, the
periods of the first year and of the current year, and the indicator library, from
``data/demo_plan.json``. Written through the services, so each row has its audit event.

Registered from `PerformanceConfig.ready()` as a step of `load_demo`: the organisation app
never imports this one.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import OrgUnit

from . import aggregates, services
from .choices import GoalLevel, TargetShape
from .models import (
    Goal,
    Indicator,
    IndicatorTemplate,
    KeyIndicatorSet,
    KeyIndicatorSetItem,
    LateEntryWindow,
    Period,
    SubPeriod,
    Target,
    TargetValue,
)
from .policy import DATA

DEMO_FILE = DATA / "demo_plan.json"
INDICATOR_KEYS = (
    "code", "name", "measure_unit", "polarity", "control_level", "is_key", "baseline",
    "baseline_year", "data_source", "aggregation", "data_type",
)  # fmt: skip


def _target_data(raw: Any) -> dict[str, Any]:
    if isinstance(raw, list):
        return {
            "shape": TargetShape.RANGE,
            "low": Decimal(str(raw[0])),
            "high": Decimal(str(raw[1])),
        }
    if isinstance(raw, str):
        return {"shape": TargetShape.QUALITATIVE, "expectation": raw}
    return {"shape": TargetShape.VALUE, "value": Decimal(str(raw))}


class _Loader:
    def __init__(self, instansi):
        self.instansi = instansi
        self.call = {
            "actor": None,
            "scope": Scope(instansi_id=instansi.pk, grants=(Grant(actions=Action.ALL),)),
        }
        self.counts = {"goals": 0, "indicators": 0, "targets": 0}
        self.periods: dict[int, Period] = {}

    def goal(self, spec, level, parent=None, unit=None) -> Goal:
        goal = services.goal_create(
            **self.call,
            instansi=self.instansi,
            data={"level": level, "code": spec["code"], "name": spec["name"], "parent": parent,
                  "unit": unit},
            rb_themes=spec.get("rb_themes"),
            development_areas=spec.get("development_areas"),
        )  # fmt: skip
        self.counts["goals"] += 1
        for raw in spec.get("indicators", ()):
            self.indicator(goal, raw)
        return goal

    def indicator(self, goal: Goal, raw: dict[str, Any]) -> None:
        data = {k: raw[k] for k in INDICATOR_KEYS if k in raw}
        if "baseline" in data:
            data["baseline"] = Decimal(str(data["baseline"]))
        indicator = services.indicator_create(
            **self.call, instansi=self.instansi, data={**data, "goal": goal}
        )
        self.counts["indicators"] += 1
        for year, value in raw.get("targets", {}).items():
            target = services.target_set(
                **self.call, indicator=indicator, year=int(year), data=_target_data(value)
            )
            self.counts["targets"] += 1
            quarters = raw.get("quarters", {}).get(year)
            if quarters and int(year) in self.periods:
                values = {
                    n: _target_data(q) if isinstance(q, list) else Decimal(str(q))
                    for n, q in enumerate(quarters, start=1)
                }
                services.target_set_values(**self.call, target=target, values=values)

    def tree(self, spec, levels, parent=None, unit=None) -> None:
        goal = self.goal(spec, levels[0], parent, unit)
        for child in spec.get("children", ()):
            self.tree(child, levels[1:], goal, unit)


@aggregates.batched
def demo_plan_run(ctx) -> str:
    """Load the demo plan once; keep what is there."""
    instansi = ctx.instansi
    existing = Goal.objects.filter(instansi=instansi).count()
    if existing:
        return _("kept: %(n)d goals already (use --reset to rebuild)") % {"n": existing}
    with open(DEMO_FILE, encoding="utf-8") as handle:
        spec = json.load(handle)
    loader = _Loader(instansi)
    first = spec["periods"]["first_year"]
    for year in sorted({first, timezone.localdate().year}):
        loader.periods[year] = services.period_create(
            **loader.call, instansi=instansi, year=year,
            data={"frequency": spec["periods"]["frequency"]},
        )  # fmt: skip
    for entry in spec["library"]:
        services.template_create(**loader.call, instansi=instansi, data=entry)
    regional = (GoalLevel.MISSION, GoalLevel.OBJECTIVE, GoalLevel.TARGET)
    for mission in spec["regional"]:
        loader.tree(mission, regional)
    agencies = {u.name: u for u in OrgUnit.objects.filter(instansi=instansi, parent__isnull=True)}
    missing = []
    for entry in spec["agencies"]:
        unit = agencies.get(entry["agency"])
        if unit is None:
            missing.append(entry["agency"])
            continue
        under = Goal.objects.get(instansi=instansi, code=entry["under"])
        for goal in entry["goals"]:
            loader.tree(goal, (GoalLevel.AGENCY_OBJECTIVE, GoalLevel.AGENCY_TARGET), under, unit)
    sets = 0
    for entry in spec["key_sets"]:
        unit = agencies.get(entry["owner"]) if entry["owner"] else None
        if entry["owner"] and unit is None:
            continue
        key_set = services.key_set_create(
            **loader.call, instansi=instansi,
            data={"unit": unit, "name": entry["name"], "first_year": entry["first_year"],
                  "last_year": entry["last_year"]},
        )  # fmt: skip
        for indicator in Indicator.objects.filter(instansi=instansi, unit=unit, is_key=True):
            services.key_set_add(**loader.call, key_set=key_set, indicator=indicator)
        if not services.key_set_missing(key_set):
            services.key_set_finalise(**loader.call, key_set=key_set)
        sets += 1
    if missing:
        ctx.notes.append(_("Demo plan: no agency named %(names)s.") % {"names": ", ".join(missing)})
    return _(
        "%(goals)d goals, %(indicators)d indicators, %(targets)d targets, %(sets)d key-indicator "
        "sets, years %(years)s"
    ) % {**loader.counts, "sets": sets, "years": ", ".join(str(y) for y in loader.periods)}


def demo_plan_wipe(ctx) -> str:
    """Remove the instansi's planning rows (their audit events stay, as every event does)."""
    instansi = ctx.instansi
    TargetValue.objects.filter(target__instansi=instansi).delete()
    targets, _x = Target.objects.filter(instansi=instansi).delete()
    KeyIndicatorSetItem.objects.filter(key_set__instansi=instansi).delete()
    KeyIndicatorSet.objects.filter(instansi=instansi).delete()
    Indicator.objects.filter(instansi=instansi).delete()
    goals = 0
    for level in reversed(GoalLevel.values):
        n, _x = Goal.objects.filter(instansi=instansi, level=level).delete()
        goals += n
    IndicatorTemplate.objects.filter(instansi=instansi).delete()
    LateEntryWindow.objects.filter(instansi=instansi).delete()
    SubPeriod.objects.filter(instansi=instansi).delete()
    Period.objects.filter(instansi=instansi).delete()
    return _("removed %(goals)d goals and %(targets)d targets") % {
        "goals": goals,
        "targets": targets,
    }
