"""Template tags of the evaluation pages wired to the curve and the objections: the curve
panels of the units the caller heads (Team evaluations) and the objection panel of an
evaluation (My evaluation, the evaluation page). Each reads through the selectors and the
``may_*`` functions of the services, never its own rules."""

from __future__ import annotations

from django import template
from django.utils import timezone

from .. import selectors_unit_predikat as curve
from ..curve_rules import _label
from ..evaluation_rules import Rating
from ..models import EvaluationKind, EvaluationStatus, ObjectionStatus
from ..services import objections as objection_svc

register = template.Library()


@register.simple_tag(takes_context=True)
def curve_panels_for(context, period, when):
    """The units the caller heads with their predikat for ``when`` and, per band, the count,
    the limits, the room left and a bar (share of the most allowed); three queries a unit."""
    request = context.get("request")
    if request is None or period is None or when is None:
        return []
    number = 0 if when.kind == EvaluationKind.ANNUAL else when.number
    panels = curve.curve_panels(request.scope.employee_id, period, number)
    out = []
    for panel in panels:
        found = panel.distribution
        breached = {b.band for b in found.found}
        bands = []
        for r in found.rooms:
            width = 0 if not r.max else min(100, round(100 * r.count / r.max))
            bands.append(
                {
                    "label": _label(r.band),
                    "count": r.count,
                    "min": r.min,
                    "max": r.max,
                    "room": r.room,
                    "needed": r.needed,
                    "width": width,
                    "breach": r.band in breached,
                }
            )
        out.append(
            {
                "unit": panel.unit,
                "row": panel.unit_predikat,
                "distribution": found,
                "bands": bands,
                "breaches": [b.message for b in found.found],
            }
        )
    return out


@register.simple_tag(takes_context=True)
def objection_panel(context, evaluation):
    """What the objection panel of ``evaluation`` shows the caller: the last day to object,
    whether the caller may object now, the objections (newest first, prefetched when the page
    lists several evaluations), who may decide and reopen."""
    from ..views.evaluation_wire import typed

    request = context.get("request")
    if request is None or evaluation is None:
        return {}
    scope = request.scope
    plan = evaluation.plan
    objections = sorted(evaluation.objections.all(), key=lambda o: (o.filed_at, o.pk), reverse=True)
    for o in objections:
        o.typed = typed(request, f"decide-{o.pk}") if o.status == ObjectionStatus.OPEN else {}
    final = evaluation.status == EvaluationStatus.FINAL
    last_day = objection_svc.objection_last_day(evaluation) if final else None
    today = timezone.localdate()
    finalised = evaluation.finalised_at
    current = [o for o in objections if finalised and o.filed_at >= finalised]
    return {
        "last_day": last_day,
        "may_file": bool(
            final
            and last_day is not None
            and today <= last_day
            and not current
            and objection_svc.may_file(scope, plan)
        ),
        "objections": objections,
        "open": [o for o in objections if o.status == ObjectionStatus.OPEN],
        "may_decide": objection_svc.may_decide(scope, plan),
        "may_reopen": final and not current and objection_svc.may_reopen(scope, plan),
        "rating_choices": Rating.choices,
        "typed": typed(request, f"objection-{evaluation.pk}"),
        "typed_reopen": typed(request, f"reopen-{evaluation.pk}"),
    }


@register.simple_tag(takes_context=True)
def oversight_objection_page(context):
    """The objections across agencies as the overrides page filters them (and ``ostatus``),
    a page at a time (``opage``), with the query without ``opage`` for the pager."""
    from kinerja.core.pagination import CappedPaginator

    from ..views.evaluation import PER_PAGE, _when_label
    from ..views.evaluation_wire import oversight_objections

    request = context["request"]
    page = CappedPaginator(oversight_objections(request), PER_PAGE).get_page(
        request.GET.get("opage")
    )
    for o in page.object_list:
        o.when_label = _when_label(o.evaluation)
    query = request.GET.copy()
    query.pop("opage", None)
    return {
        "page": page,
        "query": query.urlencode(),
        "statuses": ObjectionStatus.choices,
        "ostatus": request.GET.get("ostatus", ""),
    }
