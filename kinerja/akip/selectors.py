"""Reads of the AKIP evaluation that several pages and the API share: the sheet laid out for
a page, the predicted score, the instansi's overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from kinerja.core.scope import Scope
from kinerja.organisations.models import OrgUnit

from . import lke_rules
from .choices import AnswerSource
from .models import Answer, Evaluation
from .prefill import suggestions
from .querysets import agency_paths, reads_all


def agencies_for(scope: Scope):
    """The agencies whose sheets the caller reads (in the official order)."""
    qs = OrgUnit.objects.filter(instansi_id=scope.instansi_id, parent__isnull=True)
    if scope.instansi_id is None:
        return qs.none()
    if reads_all(scope):
        return qs.active_on().order_by("sort_key")
    paths = agency_paths(scope)
    if not paths:
        return qs.none()
    from django.db.models import Q

    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return qs.filter(q).order_by("sort_key")


def _english() -> bool:
    return (translation.get_language() or "id").startswith("en")


@dataclass
class CriterionRow:
    code: str
    text: str
    answer: Answer | None
    grade: str
    value: Decimal | None
    state: str  # "answered", "predicted", "missing"
    suggestion: str = ""
    reason: str = ""
    changed: bool = False  # the evaluator's grade differs from the suggestion


@dataclass
class SubRow:
    code: str
    name: str
    weight: Decimal
    score: Decimal | None
    answered: int
    count: int
    criteria: list[CriterionRow] = field(default_factory=list)


@dataclass
class ComponentRow:
    code: str
    name: str
    weight: Decimal
    score: Decimal
    subs: list[SubRow] = field(default_factory=list)


@dataclass
class Sheet:
    policy: lke_rules.LkePolicy
    components: list[ComponentRow]
    score: lke_rules.SheetScore  # every grade so far (answers and suggestions)
    answered: int  # by the evaluator
    predicted: int  # suggested, not yet confirmed
    count: int
    band_label: str = ""


def _band_label(p: lke_rules.LkePolicy, predikat: str | None) -> str:
    band = p.band(predikat or "")
    if band is None:
        return ""
    return band.label_en if _english() else band.label


def build_sheet(
    p: lke_rules.LkePolicy, answers: dict[str, Answer], live: dict[str, Any] | None = None
) -> Sheet:
    """Lay out the sheet: ``answers`` are the stored rows by criterion; ``live`` the
    suggestions computed now (an agency with no evaluation yet)."""
    grades: dict[str, str] = {}
    for code, row in answers.items():
        if row.grade:
            grades[code] = row.grade
    for code, s in (live or {}).items():
        if s.grade and code not in grades:
            grades[code] = s.grade
    score = lke_rules.score_sheet(p, grades, final=False)
    english = _english()
    components = []
    answered = predicted = 0
    for comp in p.components:
        comp_score = score.component(comp.code)
        crow = ComponentRow(
            comp.code, comp.name_en if english else comp.name, comp.weight, comp_score.score
        )
        for sub in comp.subs:
            sub_score = score.sub(sub.code)
            srow = SubRow(
                sub.code,
                sub.name_en if english else sub.name,
                sub.weight,
                sub_score.score,
                sub_score.answered,
                sub_score.count,
            )
            for c in sub.criteria:
                row = answers.get(c.code)
                s = (live or {}).get(c.code)
                grade = grades.get(c.code, "")
                if row is not None and row.source == AnswerSource.ANSWERED:
                    state = "answered"
                    answered += 1
                elif grade:
                    state = "predicted"
                    predicted += 1
                else:
                    state = "missing"
                suggestion = row.suggested_grade if row else (s.grade if s else "")
                reason = row.prefilled_from if row else (s.reason if s else "")
                srow.criteria.append(
                    CriterionRow(
                        code=c.code,
                        text=c.text,
                        answer=row,
                        grade=grade,
                        value=p.values.get(grade),
                        state=state,
                        suggestion=suggestion,
                        reason=reason,
                        changed=state == "answered" and bool(suggestion) and suggestion != grade,
                    )
                )
            crow.subs.append(srow)
        components.append(crow)
    return Sheet(
        policy=p,
        components=components,
        score=score,
        answered=answered,
        predicted=predicted,
        count=score.count,
        band_label=_band_label(p, score.predikat),
    )


def evaluation_sheet(evaluation: Evaluation) -> Sheet:
    p = lke_rules.policy(evaluation.policy_version)
    answers = {a.criterion: a for a in evaluation.answers.select_related("answered_by")}
    sheet = build_sheet(p, answers)
    if evaluation.is_final:
        sheet.band_label = _band_label(p, evaluation.predikat)
    return sheet


def predicted_sheet(agency: OrgUnit, year: int, as_of: dt.date | None = None) -> Sheet:
    """The sheet an agency would start with today: the system's suggestions only."""
    p = lke_rules.policy_for_year(year)
    live = suggestions(agency=agency, year=year, policy=p, as_of=as_of or timezone.localdate())
    return build_sheet(p, {}, live)


@dataclass
class OverviewRow:
    agency: OrgUnit
    evaluation: Evaluation | None
    score: Decimal | None
    predikat: str
    predicted: bool  # a draft's prediction, not a final score
    answered: int
    count: int
    open_recommendations: int


SORTS = ("agency", "score", "predikat", "status")


def overview(scope: Scope, year: int, sort: str = "agency") -> list[OverviewRow]:
    """Each agency within reach with its evaluation of ``year``: the final score, or a
    draft's prediction (answers and suggestions so far); three queries whatever the size."""
    from django.db.models import Count, Q

    agencies = list(agencies_for(scope).only("pk", "name", "code", "sort_key", "path"))
    evaluations = {
        e.agency_id: e
        for e in Evaluation.objects.within(scope)
        .filter(year=year, agency__in=[a.pk for a in agencies])
        .annotate(
            open_recs=Count(
                "recommendations",
                filter=~Q(recommendations__status__in=("done", "dropped")),
            )
        )
    }
    grades: dict[int, dict[str, str]] = {}
    confirmed: dict[int, int] = {}
    for eid, code, grade, source in (
        Answer.objects.filter(evaluation__in=[e.pk for e in evaluations.values()])
        .exclude(grade="")
        .values_list("evaluation_id", "criterion", "grade", "source")
    ):
        grades.setdefault(eid, {})[code] = grade
        if source == AnswerSource.ANSWERED:
            confirmed[eid] = confirmed.get(eid, 0) + 1
    rows = []
    for agency in agencies:
        e = evaluations.get(agency.pk)
        if e is None:
            rows.append(OverviewRow(agency, None, None, "", False, 0, 0, 0))
            continue
        p = lke_rules.policy(e.policy_version)
        if e.is_final:
            rows.append(
                OverviewRow(
                    agency,
                    e,
                    e.score,
                    e.predikat,
                    False,
                    len(p.criteria),
                    len(p.criteria),
                    e.open_recs,
                )
            )
            continue
        result = lke_rules.score_sheet(p, grades.get(e.pk, {}), final=False)
        rows.append(
            OverviewRow(
                agency,
                e,
                result.predicted,
                result.predikat or "",
                True,
                confirmed.get(e.pk, 0),
                len(p.criteria),
                e.open_recs,
            )
        )
    return sort_rows(rows, sort)


def sort_rows(rows: list[OverviewRow], sort: str) -> list[OverviewRow]:
    """Sort by ``agency`` (the official order), ``score``, ``predikat`` (the score's band, so
    the same order) or ``status`` (final, draft, not started); ``-`` before it reverses. The
    agencies without a score stay at the end either way."""
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, desc = "agency", False
    if key == "agency":
        return sorted(rows, key=lambda r: r.agency.sort_key, reverse=desc)
    if key == "status":
        rank = {"final": 0, "draft": 1}
        return sorted(
            rows,
            key=lambda r: (
                rank.get(r.evaluation.status, 2) if r.evaluation else 3,
                r.agency.sort_key,
            ),
            reverse=desc,
        )
    scored = [r for r in rows if r.score is not None]
    unscored = [r for r in rows if r.score is None]
    scored.sort(key=lambda r: (r.score, r.agency.sort_key), reverse=desc)
    return scored + unscored
