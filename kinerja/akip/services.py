"""Writes of the AKIP evaluation: atomic, checked, audited. Bad input raises a ValidationError
naming the field and writes nothing; a caller without the right raises PermissionDenied.

Who does what (`querysets`): the Inspektorat (and the system administrator) starts, answers,
refreshes and finalises the sheets and writes the recommendations; an agency's head and
administrator add follow-ups to their agency's recommendations. A sheet the caller does not
read is never passed in (views and the API look it up with ``within``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core.scope import Scope
from kinerja.organisations.models import OrgUnit

from . import lke_rules
from .choices import AnswerSource, EvaluationStatus, RecommendationStatus
from .models import Answer, Evaluation, FollowUp, Recommendation
from .prefill import suggestions
from .querysets import acts_for_agency, evaluates

TEXT_LIMIT = 5000


def _must_evaluate(scope: Scope) -> None:
    if not evaluates(scope):
        raise PermissionDenied(_("Only the Inspektorat fills the AKIP evaluation."))


def _must_be_draft(evaluation: Evaluation) -> None:
    if evaluation.is_final:
        raise ValidationError(
            {"status": _("The evaluation is final: its answers no longer change.")}
        )


def _check_link(field: str, link: str) -> None:
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(
                {field: _("Give a web address starting with http or https.")}
            ) from None


def _check_text(field: str, text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    return text


def _locked(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("agency").get(pk=evaluation.pk)


# The sheet ---------------------------------------------------------------------------------


def _apply_suggestions(evaluation: Evaluation, found: dict, now) -> list[str]:
    """Write the suggestions into the rows not yet answered by the evaluator; drop the
    unconfirmed ones no longer suggested. Return the codes that changed."""
    rows = {a.criterion: a for a in evaluation.answers.all()}
    changed = []
    for code, suggestion in found.items():
        row = rows.get(code)
        if row is not None and row.source == AnswerSource.ANSWERED:
            continue
        if row is None:
            Answer.objects.create(
                evaluation=evaluation,
                criterion=code,
                grade=suggestion.grade,
                source=AnswerSource.SUGGESTED,
                suggested_grade=suggestion.grade,
                prefilled_from=suggestion.reason,
                suggested_at=now,
            )
            changed.append(code)
        elif (row.suggested_grade, row.prefilled_from) != (suggestion.grade, suggestion.reason):
            row.grade = row.suggested_grade = suggestion.grade
            row.prefilled_from = suggestion.reason
            row.suggested_at = now
            row.save(update_fields=["grade", "suggested_grade", "prefilled_from", "suggested_at"])
            changed.append(code)
    for code, row in rows.items():
        if row.source == AnswerSource.SUGGESTED and code not in found:
            row.delete()
            changed.append(code)
    return sorted(changed)


@transaction.atomic
def evaluation_start(
    *,
    actor: Any,
    scope: Scope,
    agency: OrgUnit,
    year: int,
    budget_approved_on: dt.date | None = None,
    as_of: dt.date | None = None,
) -> Evaluation:
    """Start the LKE of ``agency`` for ``year`` with the system's suggested answers."""
    _must_evaluate(scope)
    today = as_of or timezone.localdate()
    if agency.instansi_id != scope.instansi_id:
        raise ValidationError({"agency": _("No such agency.")})
    if agency.parent_id is not None:
        raise ValidationError({"agency": _("Choose an agency (a unit at the top of the tree).")})
    if not 2000 <= int(year) <= today.year:
        raise ValidationError(
            {"year": _("Choose a year from 2000 to %(year)d.") % {"year": today.year}}
        )
    if budget_approved_on is not None and not (
        dt.date(year - 1, 1, 1) <= budget_approved_on <= dt.date(year, 12, 31)
    ):
        raise ValidationError(
            {
                "budget_approved_on": _(
                    "The budget of %(year)d is approved in %(year)d or the year before."
                )
                % {"year": year}
            }
        )
    if Evaluation.objects.filter(agency=agency, year=year).exists():
        raise ValidationError({"year": _("This agency already has an evaluation for the year.")})
    p = lke_rules.policy_for_year(year)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                instansi_id=agency.instansi_id,
                agency=agency,
                year=year,
                policy_version=p.version,
                evaluator=actor if getattr(actor, "pk", None) else None,
                budget_approved_on=budget_approved_on,
            )
    except IntegrityError:
        raise ValidationError(
            {"year": _("This agency already has an evaluation for the year.")}
        ) from None
    found = suggestions(
        agency=agency, year=year, policy=p, as_of=today, budget_approved_on=budget_approved_on
    )
    codes = _apply_suggestions(evaluation, found, timezone.now())
    record(
        actor=actor,
        action="akip.evaluation.start",
        target=evaluation,
        unit=agency,
        changes={
            "year": year,
            "policy_version": p.version,
            "budget_approved_on": budget_approved_on,
            "suggested": {c: found[c].grade for c in codes},
        },
    )
    return evaluation


@transaction.atomic
def evaluation_refresh(
    *,
    actor: Any,
    scope: Scope,
    evaluation: Evaluation,
    budget_approved_on: dt.date | None | str = "keep",
    as_of: dt.date | None = None,
) -> Evaluation:
    """Suggest again from today's data: the criteria the evaluator has not answered take the
    new suggestions; the answered ones keep theirs. ``budget_approved_on`` changes the date
    the PK is due from (None clears it; "keep" leaves it)."""
    _must_evaluate(scope)
    evaluation = _locked(evaluation)
    _must_be_draft(evaluation)
    before = evaluation.budget_approved_on
    if budget_approved_on != "keep":
        if budget_approved_on is not None and not (
            dt.date(evaluation.year - 1, 1, 1)
            <= budget_approved_on
            <= dt.date(evaluation.year, 12, 31)
        ):
            raise ValidationError(
                {
                    "budget_approved_on": _(
                        "The budget of %(year)d is approved in %(year)d or the year before."
                    )
                    % {"year": evaluation.year}
                }
            )
        evaluation.budget_approved_on = budget_approved_on
        evaluation.save(update_fields=["budget_approved_on", "updated_at"])
    p = lke_rules.policy(evaluation.policy_version)
    found = suggestions(
        agency=evaluation.agency,
        year=evaluation.year,
        policy=p,
        as_of=as_of or timezone.localdate(),
        budget_approved_on=evaluation.budget_approved_on,
    )
    codes = _apply_suggestions(evaluation, found, timezone.now())
    record(
        actor=actor,
        action="akip.evaluation.refresh",
        target=evaluation,
        unit=evaluation.agency,
        changes={
            **diff(
                {"budget_approved_on": before},
                {"budget_approved_on": evaluation.budget_approved_on},
            ),
            "suggested": {c: found[c].grade if c in found else None for c in codes},
        },
    )
    return evaluation


@transaction.atomic
def answer_set(
    *,
    actor: Any,
    scope: Scope,
    evaluation: Evaluation,
    criterion: str,
    grade: str,
    evidence_note: str = "",
    evidence_link: str = "",
) -> Answer:
    """Answer a criterion (confirm or change the suggestion). The evidence (a note or a link)
    is required, except when the system's suggestion is confirmed as it is: its reason is the
    evidence then."""
    _must_evaluate(scope)
    evaluation = _locked(evaluation)
    _must_be_draft(evaluation)
    p = lke_rules.policy(evaluation.policy_version)
    if criterion not in p.criteria:
        raise ValidationError({"criterion": _("No such criterion in this worksheet.")})
    if grade not in p.values:
        raise ValidationError(
            {"grade": _("Choose one of %(grades)s.") % {"grades": ", ".join(p.grades)}}
        )
    note = _check_text("evidence_note", evidence_note, required=False)
    link = (evidence_link or "").strip()
    _check_link("evidence_link", link)
    row = Answer.objects.filter(evaluation=evaluation, criterion=criterion).first()
    confirms = row is not None and row.suggested_grade == grade and bool(grade)
    if not (note or link or confirms):
        raise ValidationError(
            {"evidence_note": _("Give the evidence for this answer (a note or a link).")}
        )
    before = (
        {
            "grade": row.grade,
            "source": row.source,
            "note": row.evidence_note,
            "link": row.evidence_link,
        }
        if row
        else {}
    )
    row = row or Answer(evaluation=evaluation, criterion=criterion)
    row.grade = grade
    row.source = AnswerSource.ANSWERED
    row.evidence_note = note
    row.evidence_link = link
    row.answered_by = actor if getattr(actor, "pk", None) else None
    row.answered_at = timezone.now()
    row.save()
    after = {"grade": grade, "source": row.source, "note": note, "link": link}
    record(
        actor=actor,
        action="akip.answer.set",
        target=evaluation,
        unit=evaluation.agency,
        changes={"criterion": criterion, **diff(before, after)},
    )
    return row


def sheet_answers(evaluation: Evaluation, *, confirmed_only: bool = False) -> dict[str, str]:
    qs = evaluation.answers.exclude(grade="")
    if confirmed_only:
        qs = qs.filter(source=AnswerSource.ANSWERED)
    return dict(qs.values_list("criterion", "grade"))


@transaction.atomic
def evaluation_finalise(*, actor: Any, scope: Scope, evaluation: Evaluation) -> Evaluation:
    """Close the sheet: every criterion answered by the evaluator (a suggestion must be
    confirmed). Its score and predikat are kept; nothing changes after."""
    _must_evaluate(scope)
    evaluation = _locked(evaluation)
    _must_be_draft(evaluation)
    p = lke_rules.policy(evaluation.policy_version)
    answers = sheet_answers(evaluation, confirmed_only=True)
    result = lke_rules.score_sheet(p, answers, final=True)
    if result.missing:
        shown = ", ".join(result.missing[:10])
        more = len(result.missing) - 10
        text = _("%(count)d criteria are not answered yet: %(codes)s") % {
            "count": len(result.missing),
            "codes": shown,
        }
        if more > 0:
            text += " " + _("and %(more)d more") % {"more": more}
        raise ValidationError({"answers": text + "."})
    evaluation.status = EvaluationStatus.FINAL
    evaluation.score = result.total
    evaluation.predikat = result.predikat
    evaluation.finalised_at = timezone.now()
    evaluation.finalised_by = actor if getattr(actor, "pk", None) else None
    evaluation.save()
    record(
        actor=actor,
        action="akip.evaluation.finalise",
        target=evaluation,
        unit=evaluation.agency,
        changes={"score": result.total, "predikat": result.predikat},
    )
    return evaluation


# Recommendations ---------------------------------------------------------------------------


def _check_place(evaluation: Evaluation, component: str, criterion: str) -> None:
    p = lke_rules.policy(evaluation.policy_version)
    codes = {c.code for c in p.components}
    if component not in codes:
        raise ValidationError({"component": _("No such component in this worksheet.")})
    if criterion:
        found = p.criteria.get(criterion)
        if found is None or found.component_code != component:
            raise ValidationError({"criterion": _("Choose a criterion of the component, or none.")})


def _check_unit(evaluation: Evaluation, unit: OrgUnit | None) -> None:
    if unit is None or not (
        unit.instansi_id == evaluation.instansi_id and unit.path.startswith(evaluation.agency.path)
    ):
        raise ValidationError({"responsible_unit": _("Choose the agency or one of its units.")})


def _check_due(due_on: dt.date | None, today: dt.date) -> None:
    if due_on is None:
        raise ValidationError({"due_on": _("This field is required.")})
    if due_on < today:
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})


@transaction.atomic
def recommendation_add(
    *,
    actor: Any,
    scope: Scope,
    evaluation: Evaluation,
    component: str,
    text: str,
    due_on: dt.date | None,
    responsible_unit: OrgUnit | None,
    criterion: str = "",
) -> Recommendation:
    """Add a recommendation on a component (and optionally one of its criteria)."""
    _must_evaluate(scope)
    evaluation = _locked(evaluation)
    _check_place(evaluation, component, criterion or "")
    text = _check_text("text", text, required=True)
    _check_due(due_on, timezone.localdate())
    _check_unit(evaluation, responsible_unit)
    rec = Recommendation.objects.create(
        instansi_id=evaluation.instansi_id,
        evaluation=evaluation,
        component=component,
        criterion=criterion or "",
        text=text,
        due_on=due_on,
        responsible_unit=responsible_unit,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        action="akip.recommendation.add",
        target=rec,
        unit=evaluation.agency,
        changes={
            "component": component,
            "criterion": criterion or "",
            "text": text,
            "due_on": due_on,
            "responsible_unit": responsible_unit.pk,
        },
    )
    return rec


REC_FIELDS = ("text", "due_on", "responsible_unit", "status", "status_note")


@transaction.atomic
def recommendation_update(
    *, actor: Any, scope: Scope, recommendation: Recommendation, data: dict[str, Any]
) -> Recommendation:
    """Change a recommendation: its text, due date, responsible unit, or the state of its
    follow-up. Done needs a follow-up of the agency on record; dropped needs a note."""
    _must_evaluate(scope)
    rec = (
        Recommendation.objects.select_for_update()
        .select_related("evaluation__agency")
        .get(pk=recommendation.pk)
    )
    before = {
        f: getattr(rec, f if f != "responsible_unit" else "responsible_unit_id") for f in REC_FIELDS
    }
    if "text" in data:
        rec.text = _check_text("text", data["text"], required=True)
    if "due_on" in data and data["due_on"] != rec.due_on:
        _check_due(data["due_on"], timezone.localdate())
        rec.due_on = data["due_on"]
    if "responsible_unit" in data:
        _check_unit(rec.evaluation, data["responsible_unit"])
        rec.responsible_unit = data["responsible_unit"]
    if "status_note" in data:
        rec.status_note = _check_text("status_note", data["status_note"], required=False)
    status = data.get("status", rec.status)
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if status == RecommendationStatus.DONE and not rec.follow_ups.exists():
        raise ValidationError(
            {"status": _("Record the agency's follow-up before closing it as done.")}
        )
    if status == RecommendationStatus.DROPPED and not rec.status_note:
        raise ValidationError({"status_note": _("Say why the recommendation is dropped.")})
    if status in RecommendationStatus.closed():
        if rec.status != status or rec.closed_on is None:
            rec.closed_on = timezone.localdate()
    else:
        rec.closed_on = None
    rec.status = status
    rec.save()
    after = {
        f: getattr(rec, f if f != "responsible_unit" else "responsible_unit_id") for f in REC_FIELDS
    }
    changes = diff(before, after)
    if changes:
        record(
            actor=actor,
            action="akip.recommendation.update",
            target=rec,
            unit=rec.evaluation.agency,
            changes=changes,
        )
    return rec


def may_follow_up(scope: Scope, recommendation: Recommendation) -> bool:
    """The agency's head or administrator, or the system administrator."""
    agency = recommendation.evaluation.agency
    return acts_for_agency(scope, agency) or (
        scope.instansi_id == agency.instansi_id and "system_admin" in scope.roles
    )


@transaction.atomic
def follow_up_add(
    *,
    actor: Any,
    scope: Scope,
    recommendation: Recommendation,
    on: dt.date | None,
    note: str,
    evidence_link: str = "",
) -> FollowUp:
    """Record what the agency did on a recommendation; an open one moves to in progress."""
    rec = (
        Recommendation.objects.select_for_update()
        .select_related("evaluation__agency")
        .get(pk=recommendation.pk)
    )
    if not may_follow_up(scope, rec):
        raise PermissionDenied(_("Only the agency's head or administrator records its follow-up."))
    if rec.is_closed:
        raise ValidationError(
            {"note": _("The recommendation is closed: it takes no more follow-ups.")}
        )
    today = timezone.localdate()
    if on is None:
        raise ValidationError({"on": _("This field is required.")})
    if on > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if on < timezone.localtime(rec.created_at).date():
        raise ValidationError(
            {
                "on": _("The date cannot precede the recommendation (%(day)s).")
                % {"day": timezone.localtime(rec.created_at).date().isoformat()}
            }
        )
    note = _check_text("note", note, required=True)
    link = (evidence_link or "").strip()
    _check_link("evidence_link", link)
    follow = FollowUp.objects.create(
        recommendation=rec,
        on=on,
        note=note,
        evidence_link=link,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if rec.status == RecommendationStatus.OPEN:
        rec.status = RecommendationStatus.IN_PROGRESS
        rec.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action="akip.follow_up.add",
        target=rec,
        unit=rec.evaluation.agency,
        changes={"on": on, "note": note, "evidence_link": link, "status": rec.status},
    )
    return follow
