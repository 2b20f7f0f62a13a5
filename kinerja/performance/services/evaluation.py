"""Writes of the employee evaluation: atomic, checked, audited, ``version``-locked like the plans.
Bad input raises a ValidationError naming the field and writes nothing; a stale version raises
`Conflict` (the API answers 409).

Who rates: who evaluates the plan as the SKP services decide (`skp.may_evaluate`: the plan's
evaluator, or a role that keeps the unit's plans or the personnel office acting for the
agency). Only an approved or signed plan is evaluated. A final evaluation no longer changes:
a change goes through an objection or an audited reopening (`services.objections`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core.scope import Scope

from ..choices import PlanApproach
from ..evaluation_rules import (
    EvaluationRules,
    Rating,
    combine_percents,
    evaluation_rules_for_year,
    predikat,
    suggested_rating,
)
from ..models import (
    Evaluation,
    EvaluationBehaviour,
    EvaluationKind,
    EvaluationResultFeedback,
    EvaluationSource,
    EvaluationStatus,
    Plan,
    PlanResult,
    PlanStatus,
    Rollup,
    RollupKind,
)
from ..selectors_unit_predikat import distribution_is_final, plan_is_head
from . import _snapshot, bump_version, lock_version
from .skp import TEXT_LIMIT, berakhlak, may_evaluate

EVALUATED = (PlanStatus.APPROVED, PlanStatus.SIGNED)
FIELDS = (
    "status",
    "achievement",
    "source",
    "suggested_rating",
    "results_rating",
    "override_reason",
    "behaviour_rating",
    "predikat",
)


def _require_evaluate(scope: Scope, plan: Plan) -> None:
    if not may_evaluate(scope, plan):
        raise PermissionDenied(_("Only the plan's evaluator may rate it."))


def _lock(evaluation: Evaluation, version: Any) -> Evaluation:
    return lock_version(
        Evaluation.objects.select_for_update().select_related("plan__unit", "plan__period"),
        evaluation.pk,
        version,
        give=_("Give the version of the evaluation you saw."),
        stale=_(
            "Someone changed this evaluation after you opened it (you saw version %(seen)d, "
            "it is now at version %(now)d). Reload it and make your change again."
        ),
    )


def _check_draft(evaluation: Evaluation) -> None:
    if evaluation.status == EvaluationStatus.FINAL:
        raise ValidationError(
            _(
                "This evaluation is final and no longer changes. A change goes through an "
                "objection or an audited reopening."
            )
        )


def _rating(value: Any, field: str) -> str:
    if value not in Rating.values:
        raise ValidationError(
            {field: _("Choose a rating: above expectation, as expected or below expectation.")}
        )
    return value


def _text(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    return text


def is_head_of_organisation(plan: Plan) -> bool:
    """The plan of an agency's head: the post heads the unit and the unit is an agency (at
    the top of the tree: a secretariat or a bureau inside an agency is not one)."""
    return bool(plan.position.is_head) and plan.unit.parent_id is None


def _percent(kind: str, object_id: int, year: int, sub_period: int) -> Decimal | None:
    row = Rollup.objects.filter(
        kind=kind, object_id=object_id, year=year, sub_period=sub_period
    ).first()
    return row.percent if row is not None else None


def achievement_of(
    rules: EvaluationRules, plan: Plan, kind: str, sub_period: int
) -> tuple[Decimal | None, str]:
    """The achievement a results rating is suggested from, and its source.

    A head of organisation: the agency's roll-up (SE MenPAN-RB 03/2023). A qualitative plan:
    none (the evaluator rates). Periodic: the plan's roll-up of the sub-period. Annual: the
    year's roll-up of each of the employee's approved or signed plans of the year, combined
    as the policy weighs them (by default the days each covers)."""
    year = plan.period.year
    if is_head_of_organisation(plan):
        return _percent(RollupKind.AGENCY, plan.unit_id, year, sub_period), EvaluationSource.AGENCY
    if plan.approach == PlanApproach.QUALITATIVE:
        return None, EvaluationSource.EVALUATOR
    if kind == EvaluationKind.PERIODIC:
        return _percent(RollupKind.PLAN, plan.pk, year, sub_period), EvaluationSource.PLAN
    plans = list(
        Plan.objects.filter(
            employee_id=plan.employee_id,
            period_id=plan.period_id,
            is_current=True,
            status__in=EVALUATED,
        ).order_by("starts")
    )
    if len(plans) <= 1:
        return _percent(RollupKind.PLAN, plan.pk, year, 0), EvaluationSource.PLAN
    parts = [
        (_percent(RollupKind.PLAN, p.pk, year, 0), (p.ends - p.starts).days + 1) for p in plans
    ]
    return combine_percents(rules, parts), EvaluationSource.PLANS


def _predikat(rules: EvaluationRules, evaluation: Evaluation) -> str:
    if evaluation.results_rating and evaluation.behaviour_rating:
        return predikat(rules, evaluation.results_rating, evaluation.behaviour_rating)
    return ""


def _save(actor, evaluation: Evaluation, before: dict[str, Any], action: str, **extra) -> None:
    rules = evaluation_rules_for_year(evaluation.plan.period.year)
    evaluation.predikat = _predikat(rules, evaluation)
    bump_version(evaluation, *FIELDS, "finalised_by", "finalised_at")
    record(
        actor=actor,
        action=action,
        target=evaluation,
        unit=evaluation.plan.unit,
        changes={**diff(before, _snapshot(evaluation, FIELDS)), **extra},
    )


@transaction.atomic
def evaluation_open(
    *, actor, scope: Scope, plan: Plan, kind: Any, sub_period: Any = None
) -> Evaluation:
    """Start the periodic (``sub_period``: its number) or annual evaluation of a plan, with
    the results rating suggested from achievement; for a head of organisation the agency's
    achievement is the results rating."""
    plan = (
        Plan.objects.select_for_update()
        .select_related("unit", "period", "position")
        .get(pk=plan.pk)
    )
    _require_evaluate(scope, plan)
    if plan.status not in EVALUATED:
        raise ValidationError(
            {
                "plan": _("Only an approved or signed plan is evaluated: this one is %(status)s.")
                % {"status": plan.get_status_display().lower()}
            }
        )
    if kind == EvaluationKind.ANNUAL:
        number = 0
    elif kind == EvaluationKind.PERIODIC:
        # The sub-periods the plan covers at least one day of.
        covered = plan.period.sub_periods.filter(starts__lte=plan.ends, ends__gte=plan.starts)
        numbers = set(covered.values_list("number", flat=True))
        if (
            not isinstance(sub_period, int)
            or isinstance(sub_period, bool)
            or (sub_period not in numbers)
        ):
            raise ValidationError(
                {"sub_period": _("Give the number of a sub-period that the plan covers.")}
            )
        number = sub_period
    else:
        raise ValidationError({"kind": _("Choose periodic or annual.")})
    if Evaluation.objects.filter(plan=plan, kind=kind, sub_period=number).exists():
        raise ValidationError({"kind": _("This evaluation of the plan is already open.")})
    if (
        kind == EvaluationKind.ANNUAL
        and Evaluation.objects.filter(
            plan__employee_id=plan.employee_id,
            plan__period_id=plan.period_id,
            kind=EvaluationKind.ANNUAL,
        ).exists()
    ):
        raise ValidationError(
            {
                "kind": _(
                    "The employee's annual evaluation of this year is already open on another "
                    "plan: a year has one annual evaluation, combining the year's plans."
                )
            }
        )
    if distribution_is_final(plan.unit, plan.period_id, number, head=plan_is_head(plan), lock=True):
        raise ValidationError(
            {
                "sub_period": _(
                    "The unit's distribution of predikat for this period is final: a change "
                    "goes through an objection or an audited reopening."
                )
            }
        )
    rules = evaluation_rules_for_year(plan.period.year)
    percent, source = achievement_of(rules, plan, kind, number)
    suggestion = suggested_rating(rules, percent) or ""
    evaluation = Evaluation.objects.create(
        instansi_id=plan.instansi_id,
        plan=plan,
        kind=kind,
        sub_period=number,
        achievement=percent,
        source=source,
        suggested_rating=suggestion,
        results_rating=suggestion if source == EvaluationSource.AGENCY else "",
    )
    record(
        actor=actor,
        action="evaluation.open",
        target=evaluation,
        unit=plan.unit,
        changes=diff({}, _snapshot(evaluation, FIELDS)),
    )
    return evaluation


@transaction.atomic
def evaluation_rate_results(
    *, actor, scope: Scope, evaluation: Evaluation, version: Any, rating: Any, reason: Any = ""
) -> Evaluation:
    """Give the results rating. Another rating than the suggestion needs a written reason;
    without a suggestion (a qualitative plan, no achievement yet) the evaluator's rating
    stands alone."""
    _require_evaluate(scope, evaluation.plan)
    evaluation = _lock(evaluation, version)
    _check_draft(evaluation)
    rating = _rating(rating, "rating")
    reason = _text(reason, "reason")
    overrides = bool(evaluation.suggested_rating) and rating != evaluation.suggested_rating
    if overrides and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The achievement suggests %(suggested)s: give the reason for rating otherwise."
                )
                % {"suggested": Rating(evaluation.suggested_rating).label.lower()}
            }
        )
    before = _snapshot(evaluation, FIELDS)
    evaluation.results_rating = rating
    evaluation.override_reason = reason if overrides else ""
    _save(actor, evaluation, before, "evaluation.rate_results")
    return evaluation


@transaction.atomic
def evaluation_rate_behaviour(
    *,
    actor,
    scope: Scope,
    evaluation: Evaluation,
    version: Any,
    rating: Any,
    values: dict[str, Any] | None = None,
) -> Evaluation:
    """Give the behaviour rating and, per BerAKHLAK value (its code), a rating with feedback:
    ``values`` maps a code to ``{"rating": ..., "feedback": ...}`` and replaces those given."""
    _require_evaluate(scope, evaluation.plan)
    evaluation = _lock(evaluation, version)
    _check_draft(evaluation)
    rating = _rating(rating, "rating")
    codes = {v["code"] for v in berakhlak()}
    rows = []
    for code, given in (values or {}).items():
        if code not in codes:
            raise ValidationError(
                {"values": _("%(code)s is not a BerAKHLAK value.") % {"code": code}}
            )
        given = given if isinstance(given, dict) else {}
        rows.append(
            EvaluationBehaviour(
                evaluation=evaluation,
                value=code,
                rating=_rating(given.get("rating"), "values"),
                feedback=_text(given.get("feedback"), "values"),
            )
        )
    before = _snapshot(evaluation, FIELDS)
    evaluation.behaviour_rating = rating
    EvaluationBehaviour.objects.filter(
        evaluation=evaluation, value__in=[r.value for r in rows]
    ).delete()
    EvaluationBehaviour.objects.bulk_create(rows)
    _save(
        actor,
        evaluation,
        before,
        "evaluation.rate_behaviour",
        values=[[r.value, r.rating, r.feedback] for r in rows],
    )
    return evaluation


@transaction.atomic
def evaluation_feedback(
    *, actor, scope: Scope, evaluation: Evaluation, version: Any, feedback: dict[Any, Any]
) -> Evaluation:
    """Feedback on results of the plan: result id -> text (an empty text removes it)."""
    _require_evaluate(scope, evaluation.plan)
    evaluation = _lock(evaluation, version)
    _check_draft(evaluation)
    results = set(PlanResult.objects.filter(plan=evaluation.plan).values_list("pk", flat=True))
    cleaned: dict[int, str] = {}
    for key, text in (feedback or {}).items():
        pk = int(key) if str(key).isdigit() else None
        if pk not in results:
            raise ValidationError(
                {"feedback": _("%(key)s is not a result of this plan.") % {"key": key}}
            )
        cleaned[pk] = _text(text, "feedback")
    if not cleaned:
        raise ValidationError({"feedback": _("Give feedback on at least one result.")})
    EvaluationResultFeedback.objects.filter(evaluation=evaluation, result_id__in=cleaned).delete()
    EvaluationResultFeedback.objects.bulk_create(
        EvaluationResultFeedback(evaluation=evaluation, result_id=pk, feedback=text)
        for pk, text in cleaned.items()
        if text
    )
    before = _snapshot(evaluation, FIELDS)
    _save(
        actor,
        evaluation,
        before,
        "evaluation.feedback",
        feedback={str(pk): text for pk, text in cleaned.items()},
    )
    return evaluation


@transaction.atomic
def evaluation_finalise(*, actor, scope: Scope, evaluation: Evaluation, version: Any) -> Evaluation:
    """Make the evaluation final: both ratings given, the predikat set."""
    _require_evaluate(scope, evaluation.plan)
    evaluation = _lock(evaluation, version)
    _check_draft(evaluation)
    if not evaluation.results_rating:
        raise ValidationError({"results_rating": _("Give the results rating first.")})
    if not evaluation.behaviour_rating:
        raise ValidationError({"behaviour_rating": _("Give the behaviour rating first.")})
    before = _snapshot(evaluation, FIELDS)
    evaluation.status = EvaluationStatus.FINAL
    evaluation.finalised_by = actor if getattr(actor, "pk", None) else None
    evaluation.finalised_at = timezone.now()
    _save(actor, evaluation, before, "evaluation.finalise")
    return evaluation
