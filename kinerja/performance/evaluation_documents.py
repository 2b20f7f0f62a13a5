"""The official documents of the employee evaluation (PermenPAN-RB 6/2022 annexes, PDF, in
Indonesian), each with its verification code and QR code:

- the "Evaluasi Kinerja Pegawai" of one evaluation (periodic or annual): identities, each
  result (RHK) with its indicators, targets, realisations and the evaluator's feedback, the
  BerAKHLAK values with feedback, both ratings, the predikat, place, date and signatures;
- the "Dokumen Evaluasi Kinerja Pegawai" of one evaluation (quarter I to IV, or the year):
  identities, the organisation's achievement and the distribution (given by the caller when
  known), the predikat; the annual one lists the year's periodic predikat too;
- the decision on the units' predikat and their staff distribution (Format Penetapan Predikat
  Kinerja), rendered from a documented context dict (`unit_predikat_pdf`).

A final evaluation's document carries the code of its issued version (`DocumentCheck`); a
draft is a preview marked "DRAF" with no code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import segno
from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse

from kinerja.core.pdf import pdf_filename, render_pdf

from .choices import Frequency
from .document_codes import digest
from .models import (
    DocumentCheck,
    DocumentKind,
    Evaluation,
    EvaluationKind,
    EvaluationSource,
    Plan,
    PredikatDistribution,
    Rollup,
    RollupKind,
)
from .plan_selectors import plan_content
from .services.skp import berakhlak

TEMPLATES = {
    DocumentKind.EVALUATION: "performance/evaluation_pdf.html",
    DocumentKind.EVALUATION_DOCUMENT: "performance/evaluation_document_pdf.html",
    DocumentKind.UNIT_PREDIKAT: "performance/unit_predikat_pdf.html",
}
NAMES = {
    DocumentKind.EVALUATION: "evaluasi-kinerja",
    DocumentKind.EVALUATION_DOCUMENT: "dokumen-evaluasi",
}
RATING_ID = {
    "above_expectation": "Di Atas Ekspektasi",
    "as_expected": "Sesuai Ekspektasi",
    "below_expectation": "Di Bawah Ekspektasi",
}
PREDIKAT_ID = {
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang/Misconduct",
    "sangat_kurang": "Sangat Kurang",
}
# The unit's predikat (slice of the curve; SE MenPAN-RB on the distribution).
UNIT_PREDIKAT_ID = {
    "istimewa": "Istimewa",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang",
    "sangat_kurang": "Sangat Kurang",
}
ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
MONTHS = (
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _day(day) -> str:
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def _sub_period(evaluation: Evaluation):
    if evaluation.kind == EvaluationKind.ANNUAL:
        return None
    return evaluation.plan.period.sub_periods.filter(number=evaluation.sub_period).first()


def period_name(evaluation: Evaluation) -> str:
    """ "Triwulan II 2024", "Bulan Maret 2024" or "Tahunan 2024"."""
    period = evaluation.plan.period
    if evaluation.kind == EvaluationKind.ANNUAL:
        return f"Tahunan {period.year}"
    if period.frequency == Frequency.MONTHLY:
        return f"Bulan {MONTHS[evaluation.sub_period]} {period.year}"
    return f"Triwulan {ROMAN[evaluation.sub_period]} {period.year}"


def period_label(evaluation: Evaluation) -> str:
    """The period as the documents and the check page print it: its name and days, the plan's
    days within it ("Triwulan II 2024 (1 April 2024 s.d. 30 Juni 2024)"); an annual evaluation
    that combines the year's plans (a transfer), their days together."""
    plan = evaluation.plan
    sub = _sub_period(evaluation)
    starts = max(plan.starts, sub.starts) if sub else plan.starts
    ends = min(plan.ends, sub.ends) if sub else plan.ends
    if evaluation.source == EvaluationSource.PLANS:  # the year's plans combined: their days
        span = Plan.objects.filter(
            employee_id=plan.employee_id, period_id=plan.period_id, is_current=True
        ).aggregate(starts=Min("starts"), ends=Max("ends"))
        starts, ends = span["starts"] or starts, span["ends"] or ends
    return f"{period_name(evaluation)} ({_day(starts)} s.d. {_day(ends)})"


def _year_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The year of an annual evaluation: the periodic evaluations of each of the employee's
    current plans of the year (a transfer makes several plans: each period names its days),
    by sub-period and first day, then the annual evaluation itself. A periodic evaluation that
    is not final has no predikat yet."""
    plan = evaluation.plan
    periodic = (
        Evaluation.objects.filter(
            kind=EvaluationKind.PERIODIC,
            plan__employee_id=plan.employee_id,
            plan__period_id=plan.period_id,
            plan__is_current=True,
        )
        .select_related("plan")
        .order_by("sub_period", "plan__starts", "pk")
    )
    rows = []
    for other in [*periodic, evaluation]:
        other.plan.period = plan.period  # one period: read once
        rows.append(
            {
                "name": period_label(other),
                "plan": other.plan_id,
                "kind": other.kind,
                "sub_period": other.sub_period,
                "predikat": other.predikat if other.is_final else "",
            }
        )
    return rows


def organisation(evaluation: Evaluation) -> dict[str, Any]:
    """The organisation's side of the Dokumen Evaluasi: the predikat of the unit whose
    distribution counts the employee for the period (the nearest unit predikat at or above
    the plan's unit; above it for the unit's head), and, once that distribution is final, how
    many staff hold each predikat and their share. Empty while the unit has no predikat."""
    from .selectors_unit_predikat import covering, plan_is_head

    plan = evaluation.plan
    found = covering(plan.unit, plan.period_id, evaluation.sub_period, head=plan_is_head(plan))
    if found is None or not found.predikat:
        return {"organisation_predikat": "", "organisation_unit": "", "distribution": []}
    rows = []
    final = PredikatDistribution.objects.filter(unit_predikat=found).first()
    if final is not None:
        staff = sum(int(n) for n in final.counts.values())
        for code, label in PREDIKAT_ID.items():
            count = int(final.counts.get(code, 0))
            share = (Decimal(count) * 100 / staff).quantize(Decimal("0.1")) if staff else None
            rows.append({"code": code, "predikat": label, "count": count, "share": share})
    return {
        "organisation_predikat": found.predikat,
        "organisation_unit": found.unit.name,
        "distribution": rows,
    }


def evaluation_facts(evaluation: Evaluation, kind: str) -> dict[str, Any]:
    """What the document states about the evaluation: a change to any of them is another
    version of the document (its digest). Names of units and posts as printed are not facts
    of the evaluation: renaming a unit does not supersede a document."""
    plan = evaluation.plan
    facts: dict[str, Any] = {
        "document": kind,
        "evaluation": evaluation.pk,
        "kind": evaluation.kind,
        "sub_period": evaluation.sub_period,
        "plan": [plan.pk, plan.revision, str(plan.starts), str(plan.ends)],
        "employee": [plan.employee.display_name, plan.employee.nip or ""],
        "evaluator": [plan.evaluator_name, plan.evaluator_nip],
        "status": evaluation.status,
        "finalised_at": evaluation.finalised_at.isoformat() if evaluation.finalised_at else "",
        "achievement": evaluation.achievement,
        "results_rating": evaluation.results_rating,
        "override_reason": evaluation.override_reason,
        "behaviour_rating": evaluation.behaviour_rating,
        "predikat": evaluation.predikat,
    }
    if kind == DocumentKind.EVALUATION:
        facts["behaviours"] = sorted(
            evaluation.behaviours.values_list("value", "rating", "feedback")
        )
        facts["feedback"] = sorted(evaluation.feedback.values_list("result_id", "feedback"))
    else:
        side = organisation(evaluation)
        facts["organisation"] = [
            side["organisation_predikat"],
            [[r["code"], r["count"]] for r in side["distribution"]],
        ]
    if kind == DocumentKind.EVALUATION_DOCUMENT and evaluation.kind == EvaluationKind.ANNUAL:
        facts["year"] = [
            [r["plan"], r["kind"], r["sub_period"], r["predikat"]] for r in _year_rows(evaluation)
        ]
    return facts


def evaluation_digest(evaluation: Evaluation, kind: str) -> str:
    return digest(evaluation_facts(evaluation, kind))


def _person(employee, name="", nip="", title="", unit="") -> dict[str, str]:
    return {
        "name": name or (employee.display_name if employee else ""),
        "nip": nip or (employee.nip if employee else "") or "",
        "grade": employee.grade_label if employee else "",
        "title": title,
        "unit": unit or (employee.unit.name if employee and employee.unit_id else ""),
    }


def identities(evaluation: Evaluation) -> dict[str, dict[str, str]]:
    plan = evaluation.plan
    return {
        "employee": _person(plan.employee, title=plan.position_title, unit=plan.unit.name),
        "evaluator": _person(
            plan.evaluator, plan.evaluator_name, plan.evaluator_nip, plan.evaluator_title
        ),
        "superior": _person(
            plan.evaluator_superior,
            plan.evaluator_superior_name,
            plan.evaluator_superior_nip,
            plan.evaluator_superior_title,
        ),
    }


def result_rows(evaluation: Evaluation) -> dict[str, list[dict[str, Any]]]:
    """Each result with its indicators: target, realisation and achievement of the evaluated
    period (the target's roll-up row), and the evaluator's feedback."""
    plan = evaluation.plan
    content = plan_content(plan)
    targets = [
        t.pk for row in content["main"] + content["additional"] for _, t in row.indicators if t
    ]
    rollups = {
        r.object_id: r
        for r in Rollup.objects.filter(
            kind=RollupKind.TARGET,
            object_id__in=targets,
            year=plan.period.year,
            sub_period=evaluation.sub_period,
        )
    }
    feedback = dict(evaluation.feedback.values_list("result_id", "feedback"))
    out: dict[str, list[dict[str, Any]]] = {"main": [], "additional": []}
    for key in out:
        for row in content[key]:
            indicators = []
            for indicator, target in row.indicators:
                rollup = rollups.get(target.pk) if target else None
                indicators.append(
                    {
                        "indicator": indicator,
                        "target": target,
                        "realisation": rollup.realisation if rollup else None,
                        "percent": rollup.percent if rollup else None,
                    }
                )
            out[key].append(
                {
                    "result": row.result,
                    "indicators": indicators,
                    "feedback": feedback.get(row.result.pk, ""),
                }
            )
    return out


def behaviour_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    given = {b.value: b for b in evaluation.behaviours.all()}
    rows = []
    for value in berakhlak():
        row = given.get(value["code"])
        rows.append(
            {
                "name": value["name"],
                "behaviours": value.get("behaviours", []),
                "rating": RATING_ID.get(row.rating, "") if row else "",
                "feedback": row.feedback if row else "",
            }
        )
    return rows


def check_url(code: str, request=None) -> str:
    """The absolute address of the check page: ``KINERJA_PUBLIC_URL`` (such as
    "https://kinerja.jatimprov.go.id") when set, else the request's own host."""
    path = reverse("document_check", args=[code])
    base = getattr(settings, "KINERJA_PUBLIC_URL", "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def qr_svg(url: str) -> str:
    """The URL as an inline SVG QR code (error correction M, the standard quiet zone of four
    modules), sized by the page's CSS."""
    return segno.make(url, error="m").svg_inline(scale=1, omitsize=True)


def check_context(check: DocumentCheck | None, request=None) -> dict[str, Any]:
    if check is None:
        return {"check": None}
    url = check_url(check.printed_code, request)
    return {"check": check, "check_url": url, "qr": qr_svg(url)}


def document_place(evaluation: Evaluation) -> str:
    return getattr(settings, "KINERJA_DOCUMENT_PLACE", "") or evaluation.instansi.region.name


def evaluation_pdf_context(
    evaluation: Evaluation, kind: str, check: DocumentCheck | None, request=None, **extra
) -> dict[str, Any]:
    """The template's context (``extra`` overrides it)."""
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "plan": evaluation.plan,
        "people": identities(evaluation),
        "period_label": period_label(evaluation),
        "is_annual": evaluation.kind == EvaluationKind.ANNUAL,
        "results_rating": RATING_ID.get(evaluation.results_rating, "-"),
        "behaviour_rating": RATING_ID.get(evaluation.behaviour_rating, "-"),
        "predikat": PREDIKAT_ID.get(evaluation.predikat, "-"),
        "place": document_place(evaluation),
        "date": evaluation.finalised_at,
        "organisation_predikat": "",
        "organisation_unit": "",
        "distribution": [],
        **check_context(check, request),
    }
    if kind == DocumentKind.EVALUATION:
        context.update(result_rows(evaluation))
        context["behaviours"] = behaviour_rows(evaluation)
    else:
        context.update(organisation(evaluation))
    if kind == DocumentKind.EVALUATION_DOCUMENT and evaluation.kind == EvaluationKind.ANNUAL:
        context["year_rows"] = [
            {**r, "predikat": PREDIKAT_ID.get(r["predikat"], "-")} for r in _year_rows(evaluation)
        ]
    context.update(extra)
    context["organisation_predikat"] = UNIT_PREDIKAT_ID.get(context["organisation_predikat"], "")
    return context


def evaluation_pdf(
    evaluation: Evaluation, kind: str, check: DocumentCheck | None, request=None
) -> bytes:
    """The document as PDF bytes. An issued (final) one is kept in the cache under its code;
    a draft preview is rendered on every request."""
    key = f"evaluation:{evaluation.pk}:{kind}:{check.code}" if check else ""
    context = evaluation_pdf_context(evaluation, kind, check, request)
    return render_pdf(TEMPLATES[kind], context, cache_key=key)


def evaluation_pdf_name(evaluation: Evaluation, kind: str) -> str:
    plan = evaluation.plan
    when = "tahunan" if evaluation.kind == EvaluationKind.ANNUAL else f"p{evaluation.sub_period}"
    draft = "" if evaluation.is_final else "draf"
    return pdf_filename(
        NAMES[kind], plan.period.year, when, plan.employee.nip or plan.employee.pk, draft
    )


def unit_predikat_pdf(context: dict[str, Any], request=None) -> bytes:
    """The decision setting the units' predikat and their staff distribution (Format Penetapan
    Predikat Kinerja). ``context`` (the unit's predikat is another slice; this renders what it
    is given):

    - ``instansi_name``, ``title`` (the decision's title), ``number`` (its number, may be "");
    - ``period_label`` ("Tahunan 2023", "Triwulan II 2024");
    - ``units``: rows of ``{"name", "predikat" (code: istimewa ... sangat_kurang),
      "achievement" (percent or None), "distribution": {employee predikat code: count},
      "total"}``;
    - ``place``, ``date`` (a date), ``signer``: ``{"name", "nip", "title"}``;
    - ``check``: the issued `DocumentCheck` (None: a draft, marked "DRAF").
    """
    rows = []
    for unit in context.get("units", []):
        counts = unit.get("distribution", {})
        rows.append(
            {
                **unit,
                "predikat_label": UNIT_PREDIKAT_ID.get(unit.get("predikat", ""), "-"),
                "counts": [counts.get(code, 0) for code in PREDIKAT_ID],
            }
        )
    full = {
        **context,
        "rows": rows,
        "predikat_columns": list(PREDIKAT_ID.values()),
        **check_context(context.get("check"), request),
    }
    check = context.get("check")
    return render_pdf(
        TEMPLATES[DocumentKind.UNIT_PREDIKAT],
        full,
        cache_key=f"unit_predikat:{check.code}" if check else "",
    )


def is_current(check: DocumentCheck) -> bool:
    """Whether the issued document still states what the data says: for an evaluation's
    document, the evaluation is still final with the same facts (an objection or a reopening
    that changed it supersedes the document); for the decision on a unit's predikat, the
    distribution is still final with the same facts; for any other kind, no later version of
    the same document was issued."""
    if check.kind in (DocumentKind.EVALUATION, DocumentKind.EVALUATION_DOCUMENT):
        evaluation = (
            Evaluation.objects.select_related("plan__employee", "plan__period")
            .filter(pk=check.object_id, instansi_id=check.instansi_id)
            .first()
        )
        return (
            evaluation is not None
            and evaluation.is_final
            and evaluation_digest(evaluation, check.kind) == check.digest
        )
    if check.kind == DocumentKind.UNIT_PREDIKAT:
        from .models import UnitPredikat

        found = (
            UnitPredikat.objects.select_related("period")
            .filter(pk=check.object_id, instansi_id=check.instansi_id)
            .first()
        )
        return (
            found is not None
            and found.is_final
            and digest(unit_predikat_facts(found)) == check.digest
        )
    return not (
        DocumentCheck.objects.filter(
            kind=check.kind, object_id=check.object_id, issued_at__gt=check.issued_at
        )
        .exclude(digest=check.digest)
        .exists()
    )


# The decision on a unit's predikat (Format Penetapan Predikat Kinerja) -------------------------


def unit_period_label(unit_predikat) -> str:
    """ "Triwulan I 2024", "Bulan Maret 2024" or "Tahunan 2024"."""
    period = unit_predikat.period
    if unit_predikat.sub_period == 0:
        return f"Tahunan {period.year}"
    if period.frequency == Frequency.MONTHLY:
        return f"Bulan {MONTHS[unit_predikat.sub_period]} {period.year}"
    return f"Triwulan {ROMAN[unit_predikat.sub_period]} {period.year}"


def _final_distribution(unit_predikat):
    return PredikatDistribution.objects.filter(unit_predikat=unit_predikat).first()


def unit_predikat_facts(unit_predikat) -> dict[str, Any]:
    """What the decision states: the unit, the period, the predikat and its basis, who set it,
    and the final distribution's counts."""
    final = _final_distribution(unit_predikat)
    return {
        "document": DocumentKind.UNIT_PREDIKAT,
        "unit_predikat": unit_predikat.pk,
        "unit": unit_predikat.unit_id,
        "sub_period": unit_predikat.sub_period,
        "status": unit_predikat.status,
        "predikat": unit_predikat.predikat,
        "achievement": unit_predikat.achievement,
        "progress": unit_predikat.progress,
        "set_by": unit_predikat.set_by_name,
        "set_at": unit_predikat.set_at.isoformat() if unit_predikat.set_at else "",
        "counts": sorted((final.counts if final else {}).items()),
        "finalised_at": final.finalised_at.isoformat() if final else "",
    }


def unit_predikat_context(unit_predikat, check: DocumentCheck | None = None) -> dict[str, Any]:
    """The context of `unit_predikat_pdf` for one unit predikat and its distribution: signed
    by who set the predikat (the leader one level up), dated when the distribution became
    final (else when the predikat was set)."""
    final = _final_distribution(unit_predikat)
    counts = final.counts if final else {}
    setter = unit_predikat.set_by
    employee = getattr(setter, "employee", None) if setter else None
    place = getattr(settings, "KINERJA_DOCUMENT_PLACE", "") or unit_predikat.instansi.region.name
    achievement = (
        unit_predikat.achievement if unit_predikat.sub_period == 0 else unit_predikat.progress
    )
    return {
        "instansi_name": unit_predikat.instansi.name,
        "number": "",
        "period_label": unit_period_label(unit_predikat),
        "units": [
            {
                "name": unit_predikat.unit.name,
                "predikat": unit_predikat.predikat,
                "achievement": achievement,
                "distribution": counts,
                "total": sum(int(n) for n in counts.values()),
            }
        ],
        "place": place,
        "date": final.finalised_at if final else unit_predikat.set_at,
        "signer": {
            "name": unit_predikat.set_by_name or (setter.get_full_name() if setter else ""),
            "nip": (employee.nip or "") if employee else "",
            "title": employee.position.title if employee and employee.position_id else "",
        },
        "check": check,
    }
