"""The rules of the action plans, read from ``data/action_plans.json``: versioned by
``valid_from``, the version in force on an event's last day applies to the event (so an event
keeps the rules of its own year). A day before the first version reads the first."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ActionPlanRules:
    valid_from: dt.date
    write_days_after_end: int
    review_months: tuple[int, ...]
    review_opens_days_before: int
    review_closes_days_after: int
    max_peers: int
    on_track: frozenset[str]


@functools.cache
def _versions() -> tuple[ActionPlanRules, ...]:
    with open(DATA / "action_plans.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    out = [
        ActionPlanRules(
            valid_from=dt.date.fromisoformat(v["valid_from"]),
            write_days_after_end=int(v["write_days_after_end"]),
            review_months=tuple(int(m) for m in v["review_months"]),
            review_opens_days_before=int(v["review_opens_days_before"]),
            review_closes_days_after=int(v["review_closes_days_after"]),
            max_peers=int(v["max_peers"]),
            on_track=frozenset(v["on_track"]),
        )
        for v in raw["versions"]
    ]
    return tuple(sorted(out, key=lambda r: r.valid_from))


def rules_on(on: dt.date) -> ActionPlanRules:
    versions = _versions()
    chosen = versions[0]
    for version in versions:
        if version.valid_from <= on:
            chosen = version
    return chosen


def rules_for(event) -> ActionPlanRules:
    """The rules an event's action plans follow: those in force on its last day."""
    return rules_on(event.ends_on)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, the day clipped to the month's end."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def write_closes(event) -> dt.date:
    """The last day on which the participant writes or changes the action plan."""
    return event.ends_on + dt.timedelta(days=rules_for(event).write_days_after_end)


def review_due(event, month: int) -> dt.date:
    """The due date of the follow-up review at ``month`` months after the event's last day."""
    return add_months(event.ends_on, month)


def review_window(event, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day on which the review of ``month`` may be submitted."""
    rules = rules_for(event)
    due = review_due(event, month)
    return (
        due - dt.timedelta(days=rules.review_opens_days_before),
        due + dt.timedelta(days=rules.review_closes_days_after),
    )
