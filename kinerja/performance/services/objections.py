"""Writes after and around a rating: objections (keberatan, PP 30/2019 Pasal 59), the audited
reopening of a final evaluation, and the non-binding input of an adviser, peers and
subordinates. Atomic, checked, audited, ``version``-locked like the evaluation: bad input
raises a ValidationError naming the field and writes nothing; a stale version raises
`Conflict` (the API answers 409).

Who:
- files an objection: only the employee whose plan it is, on a final evaluation, within the
  policy's days of its finalisation (`objection_rules`), one per final rating;
- decides it: the evaluator's superior recorded on the plan; when the plan records none (a
  head of agency, whose evaluator is named by hand), the personnel office acting across the
  instansi (``change_people`` instansi-wide: BKD, the system administrator);
- reopens a final evaluation: the evaluator's superior recorded on the plan, or the personnel
  office; never while an objection is open, nor once an objection of this rating is decided
  (the decision is final), nor once the unit's distribution is final (`distribution_final`);
- requests input: who rates the plan (`skp.may_evaluate`), on a draft evaluation; gives it:
  only the invitee; withdraws a request not yet answered: who rates the plan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee

from ..evaluation_rules import Rating, evaluation_rules_for_year, predikat
from ..models import (
    Evaluation,
    EvaluationInput,
    EvaluationStatus,
    InputRelation,
    InputStatus,
    Objection,
    ObjectionStatus,
    Plan,
)
from ..objection_rules import objection_closes, objection_days
from . import _snapshot, bump_version, lock_version
from .evaluation import FIELDS as EVALUATION_FIELDS
from .evaluation import _lock as _lock_evaluation
from .skp import TEXT_LIMIT, may_evaluate

LINK_LIMIT = 10
OBJECTION_FIELDS = (
    "status",
    "decided_by",
    "decided_at",
    "decision_reason",
    "results_after",
    "behaviour_after",
    "predikat_after",
)
INPUT_FIELDS = ("status", "suggested_rating", "text", "given_by", "given_at")
UPHOLD, CHANGE = "uphold", "change"


def _now() -> dt.datetime:
    """The present moment (a seam for the deadline tests)."""
    return timezone.now()


def distribution_final(evaluation: Evaluation) -> bool:
    """Whether the unit's distribution of predikat that counts this evaluation is already
    final (`selectors_unit_predikat.evaluation_is_closed`): the reopening refuses then."""
    from ..selectors_unit_predikat import evaluation_is_closed

    return evaluation_is_closed(evaluation)


def objection_last_day(evaluation: Evaluation) -> dt.date | None:
    """The last local day on which the employee may object to the evaluation's final rating;
    None for a draft."""
    if evaluation.status != EvaluationStatus.FINAL or evaluation.finalised_at is None:
        return None
    days = objection_days(evaluation.plan.period.year)
    closes = objection_closes(evaluation.finalised_at, days, timezone.get_default_timezone())
    return (closes - dt.timedelta(days=1)).date()


# Who may do what ---------------------------------------------------------------------------


def personnel_office(scope: Scope, instansi_id: int) -> bool:
    """The personnel office acting for every agency: ``change_people`` across the instansi."""
    return scope.instansi_id == instansi_id and scope.paths_for(Action.CHANGE_PEOPLE) is None


def is_superior(scope: Scope, plan: Plan) -> bool:
    return plan.evaluator_superior_id is not None and scope.employee_id == (
        plan.evaluator_superior_id
    )


def may_decide(scope: Scope, plan: Plan) -> bool:
    """The evaluator's superior recorded on the plan; the personnel office if none is."""
    if plan.evaluator_superior_id is not None:
        return is_superior(scope, plan)
    return personnel_office(scope, plan.instansi_id)


def may_reopen(scope: Scope, plan: Plan) -> bool:
    """The evaluator's superior recorded on the plan, or the personnel office."""
    return is_superior(scope, plan) or personnel_office(scope, plan.instansi_id)


def may_file(scope: Scope, plan: Plan) -> bool:
    return scope.employee_id is not None and scope.employee_id == plan.employee_id


# Shared checks ----------------------------------------------------------------------------


def _text(value: Any, field: str, *, required: str | None = None) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    return text


def _links(value: Any) -> list[str]:
    """Evidence links: http or https, at most ``LINK_LIMIT``, each at most 1000 characters."""
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        raise ValidationError({"links": _("Give the links as a list.")})
    if len(value) > LINK_LIMIT:
        raise ValidationError({"links": _("At most %(limit)d links.") % {"limit": LINK_LIMIT}})
    out = []
    for i, raw in enumerate(value):
        url = str(raw or "").strip()
        bad = ValidationError({f"links.{i}": _("Give a link starting with http:// or https://.")})
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise bad from None
        if len(url) > 1000 or not urlparse(url).netloc:
            raise bad
        out.append(url)
    return out


def _rating(value: Any, field: str) -> str:
    if value not in Rating.values:
        raise ValidationError(
            {field: _("Choose a rating: above expectation, as expected or below expectation.")}
        )
    return value


def _lock_objection(objection: Objection, version: Any) -> Objection:
    return lock_version(
        Objection.objects.select_for_update(),
        objection.pk,
        version,
        give=_("Give the version of the objection you saw."),
        stale=_(
            "Someone acted on this objection after you opened it (you saw version %(seen)d, "
            "it is now at version %(now)d). Reload it."
        ),
    )


def _lock_input(item: EvaluationInput, version: Any) -> EvaluationInput:
    return lock_version(
        EvaluationInput.objects.select_for_update(),
        item.pk,
        version,
        give=_("Give the version of the input you saw."),
        stale=_(
            "Someone changed this input after you opened it (you saw version %(seen)d, it is "
            "now at version %(now)d). Reload it."
        ),
    )


def _lock_row(evaluation_id: int) -> Evaluation:
    return (
        Evaluation.objects.select_for_update()
        .select_related("plan__unit", "plan__period")
        .get(pk=evaluation_id)
    )


def _decided_for_this_rating(evaluation: Evaluation):
    """The objections filed against the evaluation's current final rating."""
    return Objection.objects.filter(
        evaluation=evaluation, filed_at__gte=evaluation.finalised_at
    ).exclude(status=ObjectionStatus.OPEN)


# Objections -------------------------------------------------------------------------------


@transaction.atomic
def objection_file(
    *,
    actor,
    scope: Scope,
    evaluation: Evaluation,
    reasons: Any,
    evidence: Any = "",
    links: Any = None,
) -> Objection:
    """The employee objects to a final rating, with reasons and evidence (text and links),
    within the policy's days of its finalisation (local time)."""
    evaluation = _lock_row(evaluation.pk)
    plan = evaluation.plan
    if not may_file(scope, plan):
        raise PermissionDenied(_("Only the employee whose plan it is may object to its rating."))
    if evaluation.status != EvaluationStatus.FINAL:
        raise ValidationError(
            {"evaluation": _("Only a final rating is objected to: this evaluation is a draft.")}
        )
    days = objection_days(plan.period.year)
    closes = objection_closes(evaluation.finalised_at, days, timezone.get_default_timezone())
    now = _now()
    if now >= closes:
        raise ValidationError(
            {
                "evaluation": _(
                    "An objection is filed within %(days)d days of the final rating: the last "
                    "day was %(last)s."
                )
                % {"days": days, "last": objection_last_day(evaluation).isoformat()}
            }
        )
    if evaluation.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise ValidationError({"evaluation": _("An objection to this rating is already open.")})
    if _decided_for_this_rating(evaluation).exists():
        raise ValidationError(
            {
                "evaluation": _(
                    "An objection to this rating has been decided, and the decision is final."
                )
            }
        )
    reasons = _text(reasons, "reasons", required=_("Give the reasons for the objection."))
    evidence = _text(evidence, "evidence")
    links = _links(links)
    objection = Objection(
        instansi_id=evaluation.instansi_id,
        evaluation=evaluation,
        filed_by=actor if getattr(actor, "pk", None) else None,
        filed_at=now,
        reasons=reasons,
        evidence=evidence,
        links=links,
        results_before=evaluation.results_rating,
        behaviour_before=evaluation.behaviour_rating,
        predikat_before=evaluation.predikat,
    )
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError:  # filed twice at the same moment: the constraint refuses one
        raise ValidationError(
            {"evaluation": _("An objection to this rating is already open.")}
        ) from None
    record(
        actor=actor,
        action="objection.file",
        target=objection,
        unit=plan.unit,
        changes={
            "evaluation": [None, evaluation.pk],
            "reasons": [None, reasons],
            "evidence": [None, evidence or None],
            "links": [None, links or None],
            "rating": [None, [evaluation.results_rating, evaluation.behaviour_rating]],
        },
    )
    return objection


@transaction.atomic
def objection_decide(
    *,
    actor,
    scope: Scope,
    objection: Objection,
    version: Any,
    decision: Any,
    reason: Any,
    results_rating: Any = None,
    behaviour_rating: Any = None,
) -> Objection:
    """Decide an open objection: ``uphold`` (the rating stands) or ``change`` (a new results
    and/or behaviour rating: the predikat follows from the matrix of the evaluation's year).
    A reason is required; the decision is final. A change rewrites the evaluation, audited on
    both the objection and the evaluation."""
    evaluation = _lock_row(objection.evaluation_id)
    plan = evaluation.plan
    if not may_decide(scope, plan):
        raise PermissionDenied(
            _("Only the evaluator's superior recorded on the plan decides this objection.")
        )
    objection = _lock_objection(objection, version)
    if not objection.is_open:
        raise ValidationError(
            {"status": _("This objection is already decided, and the decision is final.")}
        )
    if decision not in (UPHOLD, CHANGE):
        raise ValidationError({"decision": _("Choose uphold or change.")})
    reason = _text(reason, "reason", required=_("Give the reason for the decision."))
    results = evaluation.results_rating
    behaviour = evaluation.behaviour_rating
    if decision == CHANGE:
        if results_rating not in (None, ""):
            results = _rating(results_rating, "results_rating")
        if behaviour_rating not in (None, ""):
            behaviour = _rating(behaviour_rating, "behaviour_rating")
        if (results, behaviour) == (evaluation.results_rating, evaluation.behaviour_rating):
            raise ValidationError(
                {
                    "results_rating": _(
                        "A change gives another results or behaviour rating than the one "
                        "objected to; to keep it, uphold the rating."
                    )
                }
            )
    rules = evaluation_rules_for_year(plan.period.year)
    before = _snapshot(objection, OBJECTION_FIELDS)
    objection.status = ObjectionStatus.CHANGED if decision == CHANGE else ObjectionStatus.UPHELD
    objection.decided_by = actor if getattr(actor, "pk", None) else None
    objection.decided_at = _now()
    objection.decision_reason = reason
    objection.results_after = results
    objection.behaviour_after = behaviour
    objection.predikat_after = predikat(rules, results, behaviour)
    bump_version(objection, *OBJECTION_FIELDS)
    record(
        actor=actor,
        action="objection.decide",
        target=objection,
        unit=plan.unit,
        changes=diff(before, _snapshot(objection, OBJECTION_FIELDS)),
        reason=reason,
    )
    if decision == CHANGE:
        snapshot = _snapshot(evaluation, EVALUATION_FIELDS)
        evaluation.results_rating = results
        evaluation.behaviour_rating = behaviour
        evaluation.predikat = objection.predikat_after
        overrides = bool(evaluation.suggested_rating) and results != evaluation.suggested_rating
        evaluation.override_reason = (
            (evaluation.override_reason if results == snapshot["results_rating"] else reason)
            if overrides
            else ""
        )
        bump_version(evaluation, *EVALUATION_FIELDS)
        record(
            actor=actor,
            action="evaluation.objection_change",
            target=evaluation,
            unit=plan.unit,
            changes={
                **diff(snapshot, _snapshot(evaluation, EVALUATION_FIELDS)),
                "objection": [None, objection.pk],
            },
            reason=reason,
        )
    return objection


@transaction.atomic
def evaluation_reopen(
    *, actor, scope: Scope, evaluation: Evaluation, version: Any, reason: Any
) -> Evaluation:
    """Reopen a final evaluation for correction: back to draft, its version bumped, audited
    with the reason. Refused while an objection is open, once one of this rating is decided,
    and once the unit's distribution is final."""
    evaluation = _lock_evaluation(evaluation, version)
    plan = evaluation.plan
    if not may_reopen(scope, plan):
        raise PermissionDenied(
            _("Only the evaluator's superior or the personnel office reopens an evaluation.")
        )
    if evaluation.status != EvaluationStatus.FINAL:
        raise ValidationError({"status": _("Only a final evaluation is reopened.")})
    reason = _text(reason, "reason", required=_("Give the reason for reopening the evaluation."))
    if evaluation.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise ValidationError(
            {
                "status": _(
                    "An objection to this rating is open: its decision comes first, not a "
                    "reopening."
                )
            }
        )
    if _decided_for_this_rating(evaluation).exists():
        raise ValidationError(
            {
                "status": _(
                    "An objection to this rating has been decided, and the decision is final."
                )
            }
        )
    if distribution_final(evaluation):
        raise ValidationError(
            {"status": _("The unit's distribution of predikat is final: it is not reopened.")}
        )
    before = _snapshot(evaluation, EVALUATION_FIELDS)
    finalised = (evaluation.finalised_by_id, evaluation.finalised_at)
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.finalised_by = None
    evaluation.finalised_at = None
    bump_version(evaluation, *EVALUATION_FIELDS, "finalised_by", "finalised_at")
    record(
        actor=actor,
        action="evaluation.reopen",
        target=evaluation,
        unit=plan.unit,
        changes={
            **diff(before, _snapshot(evaluation, EVALUATION_FIELDS)),
            "finalised": [[finalised[0], finalised[1].isoformat()], None],
        },
        reason=reason,
    )
    return evaluation


# Input of others --------------------------------------------------------------------------


def _check_draft(evaluation: Evaluation) -> None:
    if evaluation.status == EvaluationStatus.FINAL:
        raise ValidationError(
            {"evaluation": _("This evaluation is final: input is given before the rating.")}
        )


@transaction.atomic
def input_request(
    *, actor, scope: Scope, evaluation: Evaluation, author: Employee, relation: Any
) -> EvaluationInput:
    """Who rates the plan asks an adviser, a peer or a subordinate for input on a draft
    evaluation."""
    evaluation = _lock_row(evaluation.pk)
    plan = evaluation.plan
    if not may_evaluate(scope, plan):
        raise PermissionDenied(_("Only the plan's evaluator asks for input on its rating."))
    _check_draft(evaluation)
    if relation not in InputRelation.values:
        raise ValidationError({"relation": _("Choose adviser, peer or subordinate.")})
    if author.instansi_id != evaluation.instansi_id:
        raise ValidationError({"author": _("No such employee.")})
    if author.pk in (plan.employee_id, plan.evaluator_id):
        raise ValidationError(
            {"author": _("Input comes from someone other than the employee and the evaluator.")}
        )
    taken = ValidationError({"author": _("This person is already asked for input.")})
    if EvaluationInput.objects.filter(evaluation=evaluation, author=author).exists():
        raise taken
    item = EvaluationInput(
        instansi_id=evaluation.instansi_id,
        evaluation=evaluation,
        author=author,
        relation=relation,
        requested_by=actor if getattr(actor, "pk", None) else None,
        requested_at=_now(),
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise taken from None
    record(
        actor=actor,
        action="evaluation_input.request",
        target=item,
        unit=plan.unit,
        changes={
            "evaluation": [None, evaluation.pk],
            "author": [None, author.pk],
            "relation": [None, relation],
        },
    )
    return item


@transaction.atomic
def input_give(
    *,
    actor,
    scope: Scope,
    item: EvaluationInput,
    version: Any,
    text: Any,
    suggested_rating: Any = "",
) -> EvaluationInput:
    """The invitee gives the input: a text and, optionally, the rating they suggest. It is
    shown to the evaluator and binds nobody."""
    evaluation = _lock_row(item.evaluation_id)
    if scope.employee_id is None or scope.employee_id != item.author_id:
        raise PermissionDenied(_("Only the person asked gives this input."))
    item = _lock_input(item, version)
    if item.status != InputStatus.REQUESTED:
        raise ValidationError(
            {"status": _("This input is %(status)s.") % {"status": item.get_status_display()}}
        )
    _check_draft(evaluation)
    text = _text(text, "text", required=_("Write the input."))
    rating = _rating(suggested_rating, "suggested_rating") if suggested_rating else ""
    before = _snapshot(item, INPUT_FIELDS)
    item.status = InputStatus.GIVEN
    item.text = text
    item.suggested_rating = rating
    item.given_by = actor if getattr(actor, "pk", None) else None
    item.given_at = _now()
    bump_version(item, *INPUT_FIELDS)
    record(
        actor=actor,
        action="evaluation_input.give",
        target=item,
        unit=evaluation.plan.unit,
        changes=diff(before, _snapshot(item, INPUT_FIELDS)),
    )
    return item


@transaction.atomic
def input_withdraw(*, actor, scope: Scope, item: EvaluationInput, version: Any) -> EvaluationInput:
    """Who rates the plan withdraws a request not yet answered."""
    evaluation = _lock_row(item.evaluation_id)
    if not may_evaluate(scope, evaluation.plan):
        raise PermissionDenied(_("Only the plan's evaluator withdraws a request for input."))
    item = _lock_input(item, version)
    if item.status != InputStatus.REQUESTED:
        raise ValidationError(
            {"status": _("This input is %(status)s.") % {"status": item.get_status_display()}}
        )
    before = _snapshot(item, INPUT_FIELDS)
    item.status = InputStatus.WITHDRAWN
    bump_version(item, *INPUT_FIELDS)
    record(
        actor=actor,
        action="evaluation_input.withdraw",
        target=item,
        unit=evaluation.plan.unit,
        changes=diff(before, _snapshot(item, INPUT_FIELDS)),
    )
    return item
