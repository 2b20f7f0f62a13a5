"""The rules of the AKIP evaluation worksheet (LKE, PermenPAN-RB 88/2021) as pure functions.

Every number comes from a versioned policy file in ``data/`` (``lke_<year>.json``): the
components and their weights, the sub-components' shares, the criteria, the answer scale and
the predikat bands. An evaluation keeps the version it was started with (`policy`).

- A criterion scores its grade's value (AA 100, A 90, BB 80, B 70, CC 60, C 50, D 30, E 0).
- A sub-component scores the mean of its criteria's values times its weight in points (the
  component's weight times the sub-component's share: Perencanaan's Keberadaan is 20 % of 30,
  6 points), rounded half up to two decimals; a component and the total add those up.
- The predikat is the first band whose lower bound the total exceeds (AA above 90, A above 80,
  ... D from 0): 80.00 is BB, 80.01 is A.
- A final sheet counts an unanswered criterion as 0. A draft leaves it out of its
  sub-component's mean and reports it as missing; a sub-component with no answer has no score
  yet, and the predicted total scales the points scored to the weight covered.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Criterion:
    code: str
    text: str
    sub_code: str
    component_code: str
    prefill: str = ""


@dataclass(frozen=True)
class SubComponent:
    code: str
    key: str
    name: str
    name_en: str
    share: Decimal  # percent of the component
    weight: Decimal  # points of the total
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Component:
    code: str
    key: str
    name: str
    name_en: str
    weight: Decimal
    subs: tuple[SubComponent, ...]


@dataclass(frozen=True)
class Band:
    predikat: str
    over: Decimal | None  # None: the last band, from 0
    label: str
    label_en: str


@dataclass(frozen=True)
class LkePolicy:
    version: str
    title: str
    applies_from_year: int
    places: int
    values: dict[str, Decimal]  # grade -> value, in the scale's order (AA first)
    meanings: dict[str, str]
    bands: tuple[Band, ...]
    components: tuple[Component, ...]
    prefill: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def criteria(self) -> dict[str, Criterion]:
        return {c.code: c for comp in self.components for sub in comp.subs for c in sub.criteria}

    @property
    def grades(self) -> list[str]:
        return list(self.values)

    def band(self, predikat: str) -> Band | None:
        return next((b for b in self.bands if b.predikat == predikat), None)


def _load(path: Path) -> LkePolicy:
    raw = json.loads(path.read_text(encoding="utf-8"))
    shares = {k: Decimal(str(v)) for k, v in raw["sub_component_shares"].items()}
    if sum(shares.values()) != HUNDRED:
        raise ValueError(f"{path.name}: the sub-component shares do not add up to 100")
    components = []
    for comp in raw["components"]:
        weight = Decimal(str(comp["weight"]))
        subs = []
        for sub in comp["sub_components"]:
            share = shares[sub["key"]]
            criteria = tuple(
                Criterion(
                    code=c["code"],
                    text=c["text"],
                    sub_code=sub["code"],
                    component_code=comp["code"],
                    prefill=c.get("prefill", ""),
                )
                for c in sub["criteria"]
            )
            subs.append(
                SubComponent(
                    code=sub["code"],
                    key=sub["key"],
                    name=sub["name"],
                    name_en=sub["name_en"],
                    share=share,
                    weight=weight * share / HUNDRED,
                    criteria=criteria,
                )
            )
        components.append(
            Component(
                code=comp["code"],
                key=comp["key"],
                name=comp["name"],
                name_en=comp["name_en"],
                weight=weight,
                subs=tuple(subs),
            )
        )
    if sum(c.weight for c in components) != HUNDRED:
        raise ValueError(f"{path.name}: the component weights do not add up to 100")
    bands = tuple(
        Band(
            predikat=b["predikat"],
            over=None if b["over"] is None else Decimal(str(b["over"])),
            label=b["label"],
            label_en=b["label_en"],
        )
        for b in raw["bands"]
    )
    if bands[-1].over is not None:
        raise ValueError(f"{path.name}: the last band must take any score")
    policy = LkePolicy(
        version=raw["version"],
        title=raw["title"],
        applies_from_year=int(raw["applies_from_year"]),
        places=int(raw["rounding"]["places"]),
        values={a["grade"]: Decimal(str(a["value"])) for a in raw["answers"]},
        meanings={a["grade"]: a["meaning"] for a in raw["answers"]},
        bands=bands,
        components=tuple(components),
        prefill=raw.get("prefill", {}),
    )
    codes = [c.code for comp in components for sub in comp.subs for c in sub.criteria]
    if len(codes) != len(set(codes)):
        raise ValueError(f"{path.name}: a criterion code is repeated")
    return policy


@functools.cache
def policies() -> tuple[LkePolicy, ...]:
    """Every version in ``data/``, oldest first."""
    found = [_load(path) for path in sorted(DATA.glob("lke_*.json"))]
    return tuple(sorted(found, key=lambda p: p.applies_from_year))


def policy_for_year(year: int) -> LkePolicy:
    """The version that applies to the evaluation of ``year`` (the latest that started by then;
    the oldest for an earlier year)."""
    chosen = policies()[0]
    for candidate in policies():
        if candidate.applies_from_year <= year:
            chosen = candidate
    return chosen


def policy(version: str) -> LkePolicy:
    """The version an evaluation was started with."""
    for candidate in policies():
        if candidate.version == version:
            return candidate
    raise LookupError(f"No LKE policy version {version!r}")


def round_score(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def grade_value(p: LkePolicy, grade: str) -> Decimal:
    """The value of a grade (``B`` is 70); an unknown grade raises KeyError."""
    return p.values[grade]


def predikat(p: LkePolicy, score: Decimal) -> str:
    """The band the score falls in: the first whose lower bound it exceeds."""
    for band in p.bands:
        if band.over is None or score > band.over:
            return band.predikat
    return p.bands[-1].predikat  # pragma: no cover - the last band takes any score


def share_grade(p: LkePolicy, percent: Decimal) -> str:
    """The grade the system suggests for a share of a criterion met (``share_grades``)."""
    for band in p.prefill["share_grades"]:
        if "min_percent" in band:
            if percent >= Decimal(str(band["min_percent"])):
                return band["grade"]
        elif band["over"] is None or percent > Decimal(str(band["over"])):
            return band["grade"]
    return p.prefill["share_grades"][-1]["grade"]  # pragma: no cover


@dataclass(frozen=True)
class SubScore:
    code: str
    weight: Decimal
    score: Decimal | None  # None: a draft's sub-component with no answer yet
    answered: int
    count: int
    mean: Decimal | None


@dataclass(frozen=True)
class ComponentScore:
    code: str
    weight: Decimal
    score: Decimal
    subs: tuple[SubScore, ...]


@dataclass(frozen=True)
class SheetScore:
    components: tuple[ComponentScore, ...]
    total: Decimal  # the points scored (a draft: by the sub-components with an answer)
    covered_weight: Decimal  # the points of the sub-components that have a score
    predicted: Decimal | None  # the total scaled to 100 points of weight (None: nothing yet)
    predikat: str | None  # of the total (final) or of the prediction (draft)
    missing: tuple[str, ...]  # criteria without an answer, in the sheet's order
    answered: int
    count: int
    final: bool

    def component(self, code: str) -> ComponentScore:
        return next(c for c in self.components if c.code == code)

    def sub(self, code: str) -> SubScore:
        return next(s for c in self.components for s in c.subs if s.code == code)


def score_sheet(p: LkePolicy, answers: Mapping[str, str], *, final: bool) -> SheetScore:
    """Score a sheet from ``answers`` (criterion code -> grade; blanks and unknown codes are
    unanswered). ``final``: unanswered criteria count as 0; else they are left out."""
    missing: list[str] = []
    components = []
    total = covered = Decimal(0)
    answered_all = count_all = 0
    for comp in p.components:
        subs = []
        comp_score = Decimal(0)
        for sub in comp.subs:
            values = []
            for criterion in sub.criteria:
                grade = answers.get(criterion.code) or ""
                if grade in p.values:
                    values.append(p.values[grade])
                else:
                    missing.append(criterion.code)
                    if final:
                        values.append(Decimal(0))
            answered = sum(1 for c in sub.criteria if (answers.get(c.code) or "") in p.values)
            count = len(sub.criteria)
            answered_all += answered
            count_all += count
            if values:
                mean = sum(values, Decimal(0)) / len(values)
                score = round_score(mean * sub.weight / HUNDRED, p.places)
                comp_score += score
                covered += sub.weight
            else:
                mean = score = None
            subs.append(SubScore(sub.code, sub.weight, score, answered, count, mean))
        total += comp_score
        components.append(ComponentScore(comp.code, comp.weight, comp_score, tuple(subs)))
    if covered:
        predicted = total if final else round_score(total * HUNDRED / covered, p.places)
    else:
        predicted = None
    return SheetScore(
        components=tuple(components),
        total=total,
        covered_weight=covered,
        predicted=predicted,
        predikat=None if predicted is None else predikat(p, predicted),
        missing=tuple(missing),
        answered=answered_all,
        count=count_all,
        final=final,
    )
