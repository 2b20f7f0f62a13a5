"""The rules of the cascade health report, as pure functions over plain values (no queries):
the policy numbers come from ``data/health.json`` (versioned by ``valid_from``).

`selectors_health` reads the rows in a fixed number of grouped queries and calls these; the
tests call them with concrete numbers. See docs/analytics-health.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rapidfuzz import fuzz, utils

DATA = Path(__file__).resolve().parent / "data"

# The checks, in the order of the issue; each groups one or more kinds of finding.
CHECKS: tuple[tuple[str, Any], ...] = (
    ("orphan", _("Results that serve nothing")),
    ("manual", _("Incomplete indicator manual")),
    ("realisation", _("Realisations past their deadline")),
    ("plan", _("Plans that reach no PK target")),
    ("duplicate", _("Duplicate indicators")),
    ("smart", _("SMART-C")),
    ("iku", _("Key indicators changed too often")),
)
CHECK_CODES = tuple(code for code, _label in CHECKS)
CHECK_LABELS = dict(CHECKS)

KIND_CHECK = {
    "orphan_result": "orphan",
    "orphan_goal": "orphan",
    "orphan_agreement_target": "orphan",
    "manual_incomplete": "manual",
    "realisation_missing": "realisation",
    "plan_unreached": "plan",
    "duplicate": "duplicate",
    "smart_specific": "smart",
    "smart_measurable": "smart",
    "smart_achievable": "smart",
    "smart_relevant": "smart",
    "smart_time_bound": "smart",
    "smart_challenging": "smart",
    "iku_churn": "iku",
}
KIND_LABELS = {
    "orphan_result": _("SKP result serving no leader's result"),
    "orphan_goal": _("Renstra goal under no RPJMD goal"),
    "orphan_agreement_target": _("PK target whose goal serves nothing above"),
    "manual_incomplete": _("Incomplete indicator manual"),
    "realisation_missing": _("No realisation by the deadline"),
    "plan_unreached": _("SKP reaching no PK target"),
    "duplicate": _("Near-duplicate indicator"),
    "smart_specific": _("Specific"),
    "smart_measurable": _("Measurable"),
    "smart_achievable": _("Achievable"),
    "smart_relevant": _("Relevant"),
    "smart_time_bound": _("Time-bound"),
    "smart_challenging": _("Challenging"),
    "iku_churn": _("Key indicators changed too often"),
}
SEVERITY_LABELS = {"high": _("High"), "medium": _("Medium"), "low": _("Low")}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}

FIELD_LABELS = {
    "measure_unit": _("unit of measure"),
    "baseline": _("baseline"),
    "target": _("target for the year"),
    "data_source": _("data source"),
    "producer": _("data producer"),
    "definition": _("definition"),
    "formula": _("formula"),
    "quantitative_target": _("a quantitative target"),
    "sub_period_values": _("sub-period targets"),
}


# Policy --------------------------------------------------------------------------------------


@functools.cache
def _versions() -> tuple[tuple[dt.date, dict[str, Any]], ...]:
    with open(DATA / "health.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    versions = [(dt.date.fromisoformat(v["valid_from"]), v) for v in raw["versions"]]
    return tuple(sorted(versions, key=lambda item: item[0]))


def health_policy(year: int) -> dict[str, Any]:
    """The policy a year's report reads: the version in force on its 1 January (a day before
    the first version reads the first)."""
    on = dt.date(year, 1, 1)
    chosen = _versions()[0][1]
    for valid_from, version in _versions():
        if valid_from <= on:
            chosen = version
    return chosen


# Findings ------------------------------------------------------------------------------------


@dataclass
class Finding:
    """One finding: what is wrong (``kind``, with ``params`` for its message), how serious, on
    which object (type, id and its label as stored), in which agency (None: the province's own
    plan) and where it is fixed. Plain values only, so a report can be kept in the cache; the
    message is written in the reader's language when shown (`message`)."""

    kind: str
    severity: str
    agency_id: int | None
    object_type: str
    object_id: int
    label: str
    fix_url: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def check(self) -> str:
        return KIND_CHECK[self.kind]

    @property
    def check_label(self) -> str:
        return str(CHECK_LABELS[self.check])

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(self.severity, self.severity))

    @property
    def message(self) -> str:
        return message(self.kind, self.params)


def _date(iso: str | None) -> str:
    from django.utils import formats

    return formats.date_format(dt.date.fromisoformat(iso)) if iso else ""


def sub_period_label(frequency: str, number: int, starts: str) -> str:
    """A sub-period as the pages name it: "Triwulan 1" or "03/2026"."""
    from django.utils.translation import gettext

    if frequency == "quarterly":
        return gettext("Quarter %(n)d") % {"n": number}
    return dt.date.fromisoformat(starts).strftime("%m/%Y")


def _fields(codes: Iterable[str]) -> str:
    return ", ".join(str(FIELD_LABELS.get(code, code)) for code in codes)


def message(kind: str, params: Mapping[str, Any]) -> str:
    """The finding's message in the active language."""
    from django.utils.translation import gettext

    p = dict(params)
    if kind == "orphan_result":
        if p.get("head"):
            return gettext("This result serves neither a PK target nor a leader's result.")
        return gettext("This result serves no result of the evaluator's plan.")
    if kind == "orphan_goal":
        below = int(p.get("below", 0))
        text = gettext("This Renstra goal sits under no RPJMD goal.")
        if below:
            text += " " + ngettext(
                "%(n)d goal below it is cut off too.",
                "%(n)d goals below it are cut off too.",
                below,
            ) % {"n": below}
        return text
    if kind == "orphan_agreement_target":
        return gettext(
            "The PK target's goal %(goal)s does not reach the RPJMD: the target serves nothing "
            "above the agency."
        ) % {"goal": p.get("goal", "")}
    if kind == "manual_incomplete":
        return gettext("Missing: %(fields)s.") % {"fields": _fields(p.get("missing", []))}
    if kind == "realisation_missing":
        return gettext("No submitted realisation for %(subs)s (deadline %(deadline)s).") % {
            "subs": ", ".join(sub_period_label(*sub) for sub in p.get("subs", [])),
            "deadline": _date(p.get("deadline")),
        }
    if kind == "plan_unreached":
        if not p.get("results"):
            return gettext("The plan has no result, so it reaches no target of the agency's PK.")
        return gettext(
            "None of the plan's %(n)d results leads, up the chain of results, to a target of "
            "the agency's PK."
        ) % {"n": p.get("results", 0)}
    if kind == "duplicate":
        return gettext("Near-duplicate of %(other)s (%(on)s similarity %(score)s).") % {
            "other": p.get("other", ""),
            "on": gettext("definition") if p.get("on") == "definition" else gettext("name"),
            "score": p.get("score", ""),
        }
    if kind == "smart_specific":
        if p.get("reason") == "short":
            return gettext("The name is too short to say what is measured (%(n)d words).") % {
                "n": p.get("words", 0)
            }
        return gettext(
            "The name states an intention (%(word)s) but not what is measured: name the "
            "measure (persentase, jumlah, indeks, ...)."
        ) % {"word": p.get("word", "")}
    if kind == "smart_measurable":
        return gettext("Not measurable as recorded: missing %(fields)s.") % {
            "fields": _fields(p.get("missing", []))
        }
    if kind == "smart_achievable":
        if p.get("reason") == "percent":
            return gettext("The target %(target)s %% is above %(max)s %%.") % {
                "target": p.get("target"),
                "max": p.get("max"),
            }
        return gettext(
            "The target %(target)s is %(fold)s times the baseline %(baseline)s (at most "
            "%(max)s times)."
        ) % {
            "target": p.get("target"),
            "fold": p.get("fold"),
            "baseline": p.get("baseline"),
            "max": p.get("max"),
        }
    if kind == "smart_relevant":
        return gettext("The indicator's goal does not lead to the RPJMD.")
    if kind == "smart_time_bound":
        return gettext("Missing: %(fields)s.") % {"fields": _fields(p.get("missing", []))}
    if kind == "smart_challenging":
        if p.get("polarity") == "lower_is_better":
            return gettext(
                "Lower is better, yet the target %(target)s is above the baseline %(baseline)s."
            ) % {"target": p.get("target"), "baseline": p.get("baseline")}
        return gettext(
            "Higher is better, yet the target %(target)s is below the baseline %(baseline)s."
        ) % {"target": p.get("target"), "baseline": p.get("baseline")}
    if kind == "iku_churn":
        return gettext(
            "%(changes)d key indicators changed from %(before)d to %(year)d (%(added)d added, "
            "%(removed)d removed; at most %(max)d allowed)."
        ) % {
            "changes": p.get("changes", 0),
            "before": p.get("year", 0) - 1,
            "year": p.get("year", 0),
            "added": len(p.get("added", [])),
            "removed": len(p.get("removed", [])),
            "max": p.get("max", 0),
        }
    return kind


# 1. Results that serve nothing ---------------------------------------------------------------


def cut_off_goals(goals: Iterable[tuple[int, int | None, str, int | None]]) -> dict[int, int]:
    """For goals given as ``(id, parent_id, level, unit_id)``: every agency goal (with a unit)
    whose chain upwards reaches no regional (RPJMD) goal, mapped to the top of its cut-off
    chain (itself for the top). A cycle counts as cut off."""
    from kinerja.performance.choices import GoalLevel

    regional = GoalLevel.regional()
    rows = {pk: (parent, level, unit) for pk, parent, level, unit in goals}
    top: dict[int, int | None] = {}  # agency goal -> the top of its cut-off chain, None if fine

    def walk(pk: int) -> int | None:
        seen: list[int] = []
        current: int | None = pk
        result: int | None = None
        while current is not None:
            if current in top:
                result = top[current]
                break
            parent, level, _unit = rows.get(current, (None, "", None))
            if level in regional:
                result = None
                break
            seen.append(current)
            if parent is None or parent not in rows or parent in seen:
                result = current
                break
            current = parent
        for node in seen:
            top[node] = result
        return result

    found = {}
    for pk, (_parent, level, unit) in rows.items():
        if unit is None or level in regional:
            continue
        cut = walk(pk)
        if cut is not None:
            found[pk] = cut
    return found


# 2. The indicator manual ---------------------------------------------------------------------


def manual_gaps(
    indicator: Mapping[str, Any],
    *,
    has_target: bool,
    required: Sequence[str],
    producer_defaults_to_agency: bool = False,
) -> list[str]:
    """The required manual fields the indicator lacks (codes, in the policy's order). With
    ``producer_defaults_to_agency`` an agency's indicator (with a ``unit_id``) needs no
    producer named: its agency produces it."""
    missing = []
    for code in required:
        if code == "producer" and producer_defaults_to_agency and indicator.get("unit_id"):
            continue
        if code == "target":
            if not has_target:
                missing.append(code)
        elif code == "baseline":
            if indicator.get("baseline") is None:
                missing.append(code)
        elif not str(indicator.get(code) or "").strip():
            missing.append(code)
    return missing


# 3. Realisations past their deadline ---------------------------------------------------------

# The months that close a reporting step, per reporting frequency.
_CLOSING_MONTHS = {
    "monthly": set(range(1, 13)),
    "quarterly": {3, 6, 9, 12},
    "semester": {6, 12},
    "annual": {12},
}


def due_sub_periods(
    reporting_frequency: str, subs: Sequence[tuple[int, dt.date, dt.date]]
) -> list[int]:
    """The sub-periods (``(id, first day, last day)``) for which an indicator reported at
    ``reporting_frequency`` owes a realisation: those whose last month closes a reporting
    step (a quarterly indicator in a monthly year: March, June, September, December). A
    sub-period longer than the step (a quarter, for a monthly indicator) is always due."""
    months = _CLOSING_MONTHS.get(reporting_frequency, _CLOSING_MONTHS["quarterly"])
    due = []
    for pk, starts, ends in subs:
        span = (ends.year - starts.year) * 12 + ends.month - starts.month + 1
        if ends.month in months or span >= 12 // max(len(months), 1):
            due.append(pk)
    return due


def deadline(ends: dt.date, *, days: int, grace: int) -> dt.date:
    """The last day a sub-period's realisation may be reported: its last day, plus the
    period's periodic-evaluation days, plus the policy's grace days."""
    return ends + dt.timedelta(days=days + grace)


# 5. Duplicates -------------------------------------------------------------------------------


def _tells_apart(first: str, second: str, policy: Mapping[str, Any]) -> bool:
    """Whether one text swaps a number or a short code of the other for another (``SMA`` for
    ``SMK``, ``2025`` for ``2026``, up to ``distinct_token_max_length`` characters): then they
    name two things, not one with a typo. A short word only one side has (``dan``, ``di``)
    tells nothing."""
    longest = int(policy.get("distinct_token_max_length", 0))
    a, b = set(first.split()), set(second.split())

    def codes(words: set[str]) -> bool:
        return any(word.isdigit() or len(word) <= longest for word in words)

    return codes(a - b) and codes(b - a)


def duplicate_pairs(
    items: Sequence[tuple[int, str, str]], *, policy: Mapping[str, Any]
) -> list[tuple[int, int, str, float]]:
    """Pairs ``(first id, second id, "name" or "definition", score)`` of near-duplicate
    indicators among ``items`` (``(id, name, definition)``, one agency's), the lower id first,
    each pair once: names at ``name_min_score`` or more (RapidFuzz's token-sort ratio over
    lower-cased text without punctuation), else definitions long enough at
    ``definition_min_score``; never two texts that differ in a number or a short code."""
    if len(items) < 2:
        return []
    ordered = sorted(items)
    ids = [pk for pk, _n, _d in ordered]
    names = [utils.default_process(name or "") for _pk, name, _d in ordered]
    found: dict[tuple[int, int], tuple[str, float]] = {}
    name_min = float(policy["name_min_score"])
    # One agency holds about a hundred indicators: pairwise scoring in RapidFuzz's compiled
    # code is a few thousand calls (no numpy needed for a score matrix).
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            if not names[i] or not names[j]:
                continue
            if _tells_apart(names[i], names[j], policy):
                continue
            score = fuzz.token_sort_ratio(names[i], names[j], score_cutoff=name_min)
            if score:
                found[(ids[i], ids[j])] = ("name", round(float(score), 1))
    min_length = int(policy["definition_min_length"])
    defs = [(k, utils.default_process(d or "")) for k, (_pk, _n, d) in enumerate(ordered)]
    defs = [(k, text) for k, text in defs if len(text) >= min_length]
    def_min = float(policy["definition_min_score"])
    for a in range(len(defs)):
        for b in range(a + 1, len(defs)):
            key = (ids[defs[a][0]], ids[defs[b][0]])
            if key in found:
                continue
            if _tells_apart(defs[a][1], defs[b][1], policy):
                continue
            score = fuzz.token_sort_ratio(defs[a][1], defs[b][1], score_cutoff=def_min)
            if score:
                found[key] = ("definition", round(float(score), 1))
    return [(a, b, on, score) for (a, b), (on, score) in sorted(found.items())]


# 6. SMART-C ----------------------------------------------------------------------------------

_WORD = re.compile(r"[\w-]+", re.UNICODE)


def vague_name(name: str, *, policy: Mapping[str, Any]) -> dict[str, Any] | None:
    """Why the name is not specific (None when it is): fewer than ``min_words`` words, or a
    vague verb of the policy's list with no measure word (persentase, jumlah, indeks, ...)."""
    words = [w.lower() for w in _WORD.findall(name or "")]
    if len(words) < int(policy["min_words"]):
        return {"reason": "short", "words": len(words)}
    vague = set(policy["vague_words"])
    measures = set(policy["measure_words"])
    found = next((w for w in words if w in vague), None)
    if found is not None and not any(w in measures for w in words):
        return {"reason": "vague", "word": found}
    return None


def measurable_gaps(
    indicator: Mapping[str, Any],
    target: Mapping[str, Any] | None,
    *,
    formula_units: Sequence[str] = (),
) -> list[str]:
    """What keeps the indicator from being measured: a unit of measure, a formula where the
    unit is derived (``formula_units``: a percentage, a ratio, an index; a count is its own
    formula), and a quantitative target for the year (a qualitative data type or target is
    not)."""
    missing = []
    unit = str(indicator.get("measure_unit") or "").strip()
    if not unit:
        missing.append("measure_unit")
    if unit in formula_units and not str(indicator.get("formula") or "").strip():
        missing.append("formula")
    qualitative = indicator.get("data_type") == "qualitative" or (
        target is not None and target.get("shape") == "qualitative"
    )
    if qualitative:
        missing.append("quantitative_target")
    return missing


def required_value(target: Mapping[str, Any], polarity: str) -> Decimal | None:
    """The value the target requires: its value, or for a range the bound one must at least
    reach (the low bound when higher is better, the high bound when lower is better)."""
    shape = target.get("shape")
    if shape == "value":
        return target.get("value")
    if shape == "range":
        return target.get("high") if polarity == "lower_is_better" else target.get("low")
    return None


def _num(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text


def unachievable(
    *,
    required: Decimal | None,
    baseline: Decimal | None,
    polarity: str,
    measure_unit: str,
    policy: Mapping[str, Any],
) -> dict[str, Any] | None:
    """Why the target looks out of reach (None when it does not): a percentage above
    ``percent_max``, or more than ``max_fold`` times a positive baseline (higher is better),
    less than the baseline divided by ``max_fold`` (lower is better). Exactly ``max_fold``
    times passes."""
    if required is None:
        return None
    if measure_unit in policy["percent_units"] and required > Decimal(str(policy["percent_max"])):
        return {"reason": "percent", "target": _num(required), "max": policy["percent_max"]}
    if baseline is None or baseline <= 0:
        return None
    fold = Decimal(str(policy["max_fold"]))
    if polarity == "lower_is_better":
        if required <= 0 or baseline / required <= fold:
            return None
        ratio = baseline / required
    else:
        if required <= baseline * fold:
            return None
        ratio = required / baseline
    return {
        "reason": "fold",
        "target": _num(required),
        "baseline": _num(baseline),
        "fold": _num(ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
        "max": _num(fold),
    }


def not_challenging(
    *, required: Decimal | None, baseline: Decimal | None, polarity: str
) -> dict[str, Any] | None:
    """The target asks for less than the baseline (None when it does not): below it when
    higher is better, above it when lower is better. Equal to the baseline passes."""
    if required is None or baseline is None:
        return None
    worse = required > baseline if polarity == "lower_is_better" else required < baseline
    if not worse:
        return None
    return {"target": _num(required), "baseline": _num(baseline), "polarity": polarity}


def time_bound_gaps(
    *, target: Mapping[str, Any] | None, reporting_frequency: str, values: int
) -> list[str]:
    """A target for the year, and its sub-period values when reported more often than
    yearly."""
    if target is None:
        return ["target"]
    if reporting_frequency != "annual" and values == 0:
        return ["sub_period_values"]
    return []


# 7. Key indicators changed too often ---------------------------------------------------------


def _key(name: str) -> str:
    return " ".join(utils.default_process(name or "").split())


def iku_changes(
    sets: Sequence[tuple[int, int, Sequence[str]]], *, year: int, policy: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The pairs of consecutive years, up to ``year`` and ``lookback_years`` back, in which one
    owner's key indicators changed more than ``max_changes`` (added plus removed, compared by
    name). ``sets`` are ``(first year, last year, indicator names)``. A year whose sets all
    start that year and span a whole plan (``new_plan_min_years``) while none covering the
    year before runs on is a new plan period and is not compared (``new_plan_resets``)."""
    first = year - int(policy["lookback_years"]) + 1
    out = []
    for y in range(first + 1, year + 1):
        before = [s for s in sets if s[0] <= y - 1 <= s[1]]
        now = [s for s in sets if s[0] <= y <= s[1]]
        if not before or not now:
            continue
        new_period = all(
            s[0] == y and s[1] - s[0] + 1 >= int(policy["new_plan_min_years"]) for s in now
        ) and not any(s[1] >= y for s in before)
        if policy.get("new_plan_resets") and new_period:
            continue
        old = {_key(n): n for s in before for n in s[2]}
        new = {_key(n): n for s in now for n in s[2]}
        added = sorted(new[k] for k in new.keys() - old.keys())
        removed = sorted(old[k] for k in old.keys() - new.keys())
        changes = len(added) + len(removed)
        if changes > int(policy["max_changes"]):
            out.append(
                {
                    "year": y,
                    "changes": changes,
                    "added": added,
                    "removed": removed,
                    "max": int(policy["max_changes"]),
                }
            )
    return out
