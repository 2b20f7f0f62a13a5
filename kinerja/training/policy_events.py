"""The rules of the events capability, read from ``data/events.json`` (versioned by
``valid_from``: the version in force on a day is the latest that started on or before it; a day
before the first version reads the first)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class EventRules:
    valid_from: dt.date
    jp_minutes: int
    jp_step: Decimal
    material_max_bytes: int
    material_types: tuple[str, ...]

    def default_jp(self, minutes: int) -> Decimal:
        """A session's lesson hours from its length: minutes / ``jp_minutes``, rounded down to a
        multiple of ``jp_step`` (90 minutes: 2; 100 minutes: 2; 120 minutes: 2.5)."""
        if minutes <= 0:
            return Decimal("0")
        raw = Decimal(minutes) / Decimal(self.jp_minutes)
        steps = (raw / self.jp_step).to_integral_value(rounding=ROUND_FLOOR)
        return (steps * self.jp_step).quantize(Decimal("0.01"))


@functools.cache
def _versions() -> tuple[tuple[dt.date, dict], ...]:
    raw = json.loads((DATA / "events.json").read_text(encoding="utf-8"))
    versions = [(dt.date.fromisoformat(v["valid_from"]), v) for v in raw["versions"]]
    return tuple(sorted(versions, key=lambda item: item[0]))


def event_rules(on: dt.date) -> EventRules:
    versions = _versions()
    valid_from, chosen = versions[0]
    for start, version in versions:
        if start <= on:
            valid_from, chosen = start, version
    return EventRules(
        valid_from=valid_from,
        jp_minutes=int(chosen["jp_minutes"]),
        jp_step=Decimal(str(chosen["jp_step"])),
        material_max_bytes=int(chosen["material_max_bytes"]),
        material_types=tuple(chosen["material_types"]),
    )
