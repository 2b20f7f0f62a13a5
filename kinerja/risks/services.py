"""Writes of the risk register: every one atomic, checked against the caller's scope and
audited with one event.

Who manages: the planners of the risk's owning unit (``manage_plans`` over it: the agency's
administrator in its agency, Bappeda and the system administrator across the instansi); the
risks of the regional plan's own goals and targets (no unit) need ``manage_plans`` across the
instansi. Refusals are `ValidationError` keyed by field, in the user's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.scope import Action, Scope
from kinerja.organisations.models import Employee, Instansi, OrgUnit, Position
from kinerja.performance.models import AgreementTarget, Goal, Target
from kinerja.regional.models import Project

from .choices import MitigationStatus, RiskSource, RiskStatus
from .models import Mitigation, Risk
from .policy import AGREEMENT, KEY, OTHER, PROVINCE_KEY, RiskPolicy, risk_policy

OBJECT_FIELDS = ("goal", "target", "project")
# The fields a risk's update may change (the object, the unit and the source never change).
RISK_FIELDS = (
    "title",
    "category",
    "cause",
    "impact_description",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "owner_position",
    "owner_employee",
    "review_on",
    "status",
)
MITIGATION_FIELDS = (
    "action",
    "responsible_position",
    "responsible_name",
    "due_on",
    "status",
    "progress_percent",
    "progress_note",
)
# Dates the register takes: the same bounds as the rest of the platform's dated rows.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


# Reach ---------------------------------------------------------------------------------


def may_manage(scope: Scope, unit: OrgUnit | None) -> bool:
    """Whether the caller manages the risks of ``unit`` (the province's own: None)."""
    if unit is None:
        return scope.paths_for(Action.MANAGE_PLANS) is None
    return scope.can(Action.MANAGE_PLANS, unit.path)


def _require_manage(scope: Scope, unit: OrgUnit | None) -> None:
    if not may_manage(scope, unit):
        raise PermissionDenied(_("Only the planners of the risk's unit may change its risks."))


def owning_unit(obj: Goal | Target | Project) -> OrgUnit | None:
    """The unit that owns the risks of ``obj``: a goal's agency, a target's indicator's unit,
    a project's lead agency; None for the regional plan's own."""
    if isinstance(obj, Target):
        return obj.indicator.unit
    if isinstance(obj, Project):
        return obj.lead_agency
    return obj.unit


def head_post(unit: OrgUnit | None) -> Position | None:
    """The unit's head post (the default risk owner: the head of the risk-owning unit)."""
    if unit is None:
        return None
    return Position.objects.filter(unit=unit, is_head=True, is_active=True).first()


# Checks --------------------------------------------------------------------------------


def _level_value(value: Any, policy: RiskPolicy, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        errors.setdefault(field, []).append(
            _("Choose a level from 1 to %(max)d.") % {"max": policy.scale_max}
        )
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in policy.scale or str(value).strip() != str(number):
        errors.setdefault(field, []).append(
            _("Choose a level from 1 to %(max)d.") % {"max": policy.scale_max}
        )
        return None
    return number


def _day(value: Any, field: str, errors: dict, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("Give a date."))
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            errors.setdefault(field, []).append(_("Give a date as YYYY-MM-DD."))
            return None
    if not FIRST_DAY <= value <= LAST_DAY:
        errors.setdefault(field, []).append(_("Give a date from 1900 to 2999."))
        return None
    return value


def _in_instansi(obj, instansi_id: int, field: str, errors: dict, message: str):
    if obj is not None and obj.instansi_id != instansi_id:
        errors.setdefault(field, []).append(message)
        return None
    return obj


def _clean_risk(values: dict[str, Any], instansi_id: int, policy: RiskPolicy) -> dict[str, Any]:
    """Check a risk's values (all of them, as they would be stored); raise every error at
    once. Returns the values with the levels as numbers."""
    errors: dict[str, list[str]] = {}
    out = dict(values)
    for field, message in (
        ("title", _("Name the risk.")),
        ("cause", _("Say what causes the risk.")),
        ("impact_description", _("Say what happens if the risk occurs.")),
    ):
        out[field] = str(values.get(field) or "").strip()
        if not out[field]:
            errors.setdefault(field, []).append(message)
    if len(out["title"]) > 300:
        errors.setdefault("title", []).append(_("Keep the risk's name within 300 characters."))
    if values.get("category") not in policy.category_keys():
        errors.setdefault("category", []).append(_("Choose a category of the policy."))
    out["likelihood"] = _level_value(values.get("likelihood"), policy, "likelihood", errors)
    out["impact"] = _level_value(values.get("impact"), policy, "impact", errors)
    res_l, res_i = values.get("residual_likelihood"), values.get("residual_impact")
    if res_l in (None, "") and res_i in (None, ""):
        out["residual_likelihood"] = out["residual_impact"] = None
    elif res_l in (None, "") or res_i in (None, ""):
        field = "residual_impact" if res_i in (None, "") else "residual_likelihood"
        errors.setdefault(field, []).append(
            _("Give the residual likelihood and impact together, or neither.")
        )
    else:
        out["residual_likelihood"] = _level_value(res_l, policy, "residual_likelihood", errors)
        out["residual_impact"] = _level_value(res_i, policy, "residual_impact", errors)
        if (
            out["residual_likelihood"]
            and out["residual_impact"]
            and out["likelihood"]
            and out["impact"]
            and policy.level(out["residual_likelihood"], out["residual_impact"])
            > policy.level(out["likelihood"], out["impact"])
        ):
            errors.setdefault("residual_likelihood", []).append(
                _(
                    "The residual level (%(residual)d) cannot be above the level before "
                    "mitigation (%(level)d)."
                )
                % {
                    "residual": policy.level(out["residual_likelihood"], out["residual_impact"]),
                    "level": policy.level(out["likelihood"], out["impact"]),
                }
            )
    owner_post = _in_instansi(
        values.get("owner_position"),
        instansi_id,
        "owner_position",
        errors,
        _("This post is not of your instansi."),
    )
    owner_employee = _in_instansi(
        values.get("owner_employee"),
        instansi_id,
        "owner_employee",
        errors,
        _("This employee is not of your instansi."),
    )
    out["owner_position"], out["owner_employee"] = owner_post, owner_employee
    if owner_post is not None and owner_employee is not None:
        errors.setdefault("owner_employee", []).append(
            _("Name the risk owner as a post or an employee, not both.")
        )
    elif owner_post is None and owner_employee is None and "owner_position" not in errors:
        errors.setdefault("owner_position", []).append(
            _("Name the risk owner: a post or an employee.")
        )
    identified = values.get("identified_on")
    review = _day(values.get("review_on"), "review_on", errors)
    out["review_on"] = review
    if review and identified and review < identified:
        errors.setdefault("review_on", []).append(
            _("The next review cannot come before the risk was identified.")
        )
    if errors:
        raise ValidationError(errors)
    return out


def _object(data: dict[str, Any], instansi_id: int) -> Goal | Target | Project:
    given = [(f, data.get(f)) for f in OBJECT_FIELDS if data.get(f) is not None]
    if len(given) != 1:
        raise ValidationError(
            {
                "goal": _(
                    "Choose exactly one goal, target or strategic project that the risk threatens."
                )
            }
        )
    field, obj = given[0]
    if obj.instansi_id != instansi_id:
        raise ValidationError({field: _("This is not of your instansi.")})
    return obj


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def _save(risk: Risk) -> None:
    """Save; a concurrent second open risk from the early warning (the unique constraint) is
    the same refusal as the one checked before."""
    try:
        with transaction.atomic():
            risk.save()
    except IntegrityError as exc:
        if risk.source == RiskSource.EARLY_WARNING and risk.is_live:
            raise ValidationError(
                {"target": _("This target already has an open risk raised from the early warning.")}
            ) from exc
        raise


# Risks ---------------------------------------------------------------------------------


AUDITED = (
    "goal",
    "target",
    "project",
    "unit",
    "year",
    "title",
    "category",
    "cause",
    "impact_description",
    "likelihood",
    "impact",
    "level",
    "residual_likelihood",
    "residual_impact",
    "residual_level",
    "status",
    "owner_position",
    "owner_employee",
    "source",
    "projected_percent",
    "threshold_percent",
    "identified_on",
    "review_on",
    "closed_on",
)


def _state(risk: Risk) -> dict[str, Any]:
    out = {}
    for field in AUDITED:
        concrete = Risk._meta.get_field(field)
        out[field] = getattr(risk, concrete.attname)
    return out


@transaction.atomic
def risk_create(*, actor, scope: Scope, instansi: Instansi, data: dict[str, Any]) -> Risk:
    """Register a risk of ``data``'s goal, target or project (exactly one). The owning unit
    comes from it; the owner defaults to the unit's head post; the level is likelihood x
    impact."""
    obj = _object(data, instansi.pk)
    unit = owning_unit(obj)
    _require_manage(scope, unit)
    errors: dict[str, list[str]] = {}
    identified = _day(data.get("identified_on"), "identified_on", errors) or timezone.localdate()
    if errors:
        raise ValidationError(errors)
    policy = risk_policy(identified)
    values = dict(data, identified_on=identified)
    if values.get("owner_position") is None and values.get("owner_employee") is None:
        values["owner_position"] = head_post(unit)
    values = _clean_risk(values, instansi.pk, policy)
    year = data.get("year") or getattr(obj, "year", None) or identified.year
    risk = Risk(
        instansi=instansi,
        unit=unit,
        year=year,
        source=data.get("source", RiskSource.MANUAL),
        projected_percent=data.get("projected_percent"),
        threshold_percent=data.get("threshold_percent"),
        identified_on=identified,
        **{f: obj if f == type(obj).__name__.lower() else None for f in OBJECT_FIELDS},
        **{f: values[f] for f in RISK_FIELDS if f != "status"},
    )
    _set_levels(risk, policy)
    _save(risk)
    record(
        actor=actor,
        action="risk.create",
        target=risk,
        unit=unit,
        changes={k: [None, v] for k, v in _state(risk).items() if v not in (None, "")},
    )
    return risk


def _set_levels(risk: Risk, policy: RiskPolicy) -> None:
    risk.level = policy.level(risk.likelihood, risk.impact)
    if risk.residual_likelihood and risk.residual_impact:
        risk.residual_level = policy.level(risk.residual_likelihood, risk.residual_impact)
    else:
        risk.residual_level = None


def _require_live(risk: Risk) -> None:
    if not risk.is_live:
        raise ValidationError({"status": _("This risk is closed: it no longer changes.")})


@transaction.atomic
def risk_update(*, actor, scope: Scope, risk: Risk, data: dict[str, Any], reason: str = "") -> Risk:
    """Change a live risk's description, levels, residual levels, owner, next review, or its
    status between open and being mitigated (closing: `risk_close`)."""
    risk = Risk.objects.select_for_update(of=("self",)).select_related("unit").get(pk=risk.pk)
    _require_manage(scope, risk.unit)
    _require_live(risk)
    unknown = set(data) - set(RISK_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    policy = risk_policy(risk.identified_on)
    current = {f: getattr(risk, f) for f in RISK_FIELDS}
    values = {**current, **data, "identified_on": risk.identified_on}
    # Naming one kind of owner replaces the other.
    if data.get("owner_position") is not None and "owner_employee" not in data:
        values["owner_employee"] = None
    if data.get("owner_employee") is not None and "owner_position" not in data:
        values["owner_position"] = None
    status = values.get("status")
    if status not in RiskStatus.live():
        raise ValidationError(
            {"status": _("Choose open or being mitigated; close a risk with its own step.")}
        )
    values = _clean_risk(values, risk.instansi_id, policy)
    before = _state(risk)
    for field in RISK_FIELDS:
        setattr(risk, field, values[field] if field != "status" else status)
    _set_levels(risk, policy)
    _save(risk)
    changes = _changes(before, _state(risk))
    if changes:
        record(
            actor=actor,
            action="risk.update",
            target=risk,
            unit=risk.unit,
            changes=changes,
            reason=reason,
        )
    return risk


@transaction.atomic
def risk_close(
    *,
    actor,
    scope: Scope,
    risk: Risk,
    status: str = RiskStatus.CLOSED,
    reason: str,
    on: dt.date | None = None,
) -> Risk:
    """End a live risk: ``closed`` (it no longer threatens) or ``accepted`` (it stays, within
    the appetite, without further treatment), with the reason. Its open mitigations stay as
    they are, for the record."""
    risk = Risk.objects.select_for_update(of=("self",)).select_related("unit").get(pk=risk.pk)
    _require_manage(scope, risk.unit)
    _require_live(risk)
    errors: dict[str, list[str]] = {}
    if status not in RiskStatus.ended():
        errors["status"] = [_("Close the risk as closed or accepted.")]
    reason = str(reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the risk is closed or accepted.")]
    day = _day(on, "closed_on", errors) or timezone.localdate()
    if day < risk.identified_on and "closed_on" not in errors:
        errors["closed_on"] = [_("A risk cannot close before it was identified.")]
    if errors:
        raise ValidationError(errors)
    before = _state(risk)
    risk.status, risk.closed_on, risk.close_reason = status, day, reason
    _save(risk)
    record(
        actor=actor,
        action="risk.close",
        target=risk,
        unit=risk.unit,
        changes=_changes(before, _state(risk)),
        reason=reason,
    )
    return risk


# Raising a risk from the early warning -------------------------------------------------


def target_weight(target: Target) -> str:
    """How much a target weighs for the impact rule: a key indicator (IKU) of the province,
    of an agency, a target of a current performance agreement (PK), or other."""
    indicator = target.indicator
    if indicator.is_key and indicator.unit_id is None:
        return PROVINCE_KEY
    if indicator.is_key:
        return KEY
    if AgreementTarget.objects.filter(target=target, agreement__is_current=True).exists():
        return AGREEMENT
    return OTHER


def _percent(value: Any, field: str, errors: dict) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Give a percentage, such as 72.5."))
        return None
    if not number.is_finite() or not Decimal("-1000") <= number <= Decimal("1000"):
        errors.setdefault(field, []).append(_("Give a percentage from -1000 to 1000."))
        return None
    return number.quantize(Decimal("0.01"))


def warning_preview(
    *, target: Target, projected_percent: Any, threshold: Any, on: dt.date | None = None
) -> dict[str, Any]:
    """What raising ``target`` would register: the title, category, likelihood (from the
    shortfall below the threshold), impact (from the target's weight), level and band.
    Raises ValidationError when the numbers are bad or the projection is not below the
    threshold."""
    errors: dict[str, list[str]] = {}
    projected = _percent(projected_percent, "projected_percent", errors)
    limit = _percent(threshold, "threshold", errors)
    if limit is not None and limit <= 0 and "threshold" not in errors:
        errors["threshold"] = [_("The threshold is a percentage above 0.")]
    if errors:
        raise ValidationError(errors)
    if projected >= limit:
        raise ValidationError(
            {
                "projected_percent": _(
                    "The projection (%(projected)s%%) is not below the threshold "
                    "(%(threshold)s%%): there is no early warning to raise."
                )
                % {"projected": _fmt(projected), "threshold": _fmt(limit)}
            }
        )
    policy = risk_policy(on)
    weight = target_weight(target)
    likelihood = policy.likelihood_from_shortfall(projected, limit)
    impact = policy.impact_from_weight(weight)
    level = policy.level(likelihood, impact)
    return {
        "title": _(
            "Achievement of %(indicator)s projected at %(projected)s%% "
            "(< threshold %(threshold)s%%)"
        )
        % {
            "indicator": target.indicator.name,
            "projected": _fmt(projected),
            "threshold": _fmt(limit),
        },
        "category": policy.warning_category,
        "likelihood": likelihood,
        "impact": impact,
        "level": level,
        "band": policy.band(level),
        "weight": weight,
        "projected_percent": projected,
        "threshold": limit,
        "shortfall": limit - projected,
    }


def _fmt(value: Decimal) -> str:
    """72.00 as 72, 72.50 as 72,5 in Indonesian (72.5 in English)."""
    text = f"{value.normalize():f}"
    if (get_language() or "id").startswith("id"):
        text = text.replace(".", ",")
    return text


def open_warning_risk(target: Target) -> Risk | None:
    """The target's live risk raised from the early warning, if any."""
    return (
        Risk.objects.filter(target=target, source=RiskSource.EARLY_WARNING)
        .filter(status__in=RiskStatus.live())
        .first()
    )


@transaction.atomic
def risk_raise_from_warning(
    *,
    actor,
    scope: Scope,
    target: Target,
    projected_percent: Any,
    threshold: Any,
    cause: str = "",
    impact_description: str = "",
    owner_position: Position | None = None,
    owner_employee: Employee | None = None,
    on: dt.date | None = None,
) -> Risk:
    """Raise an at-risk target as a risk in one step: the title, category (performance),
    likelihood and impact come from the projection and the policy (`warning_preview`); the
    owner defaults to the head post of the target's unit. Refused while the target has an
    open risk raised from the early warning."""
    target = Target.objects.select_related("indicator__unit").get(pk=target.pk)
    _require_manage(scope, target.indicator.unit)
    existing = open_warning_risk(target)
    if existing is not None:
        raise ValidationError(
            {
                "target": _(
                    "This target already has an open risk raised from the early warning: "
                    "“%(title)s”. Update that risk instead of raising a new one."
                )
                % {"title": existing.title}
            }
        )
    preview = warning_preview(
        target=target, projected_percent=projected_percent, threshold=threshold, on=on
    )
    indicator = target.indicator
    data = {
        "target": target,
        "title": preview["title"][:300],
        "category": preview["category"],
        "cause": cause.strip()
        or _(
            "Realisations so far project the year's achievement at %(projected)s%%, below "
            "the early-warning threshold of %(threshold)s%%."
        )
        % {
            "projected": _fmt(preview["projected_percent"]),
            "threshold": _fmt(preview["threshold"]),
        },
        "impact_description": impact_description.strip()
        or _("The %(year)d target of %(indicator)s is not achieved.")
        % {"year": target.year, "indicator": indicator.name},
        "likelihood": preview["likelihood"],
        "impact": preview["impact"],
        "owner_position": owner_position,
        "owner_employee": owner_employee,
        "identified_on": on,
        "source": RiskSource.EARLY_WARNING,
        "projected_percent": preview["projected_percent"],
        "threshold_percent": preview["threshold"],
    }
    instansi = Instansi.objects.get(pk=target.instansi_id)
    return risk_create(actor=actor, scope=scope, instansi=instansi, data=data)


# Mitigations ---------------------------------------------------------------------------


def _clean_mitigation(values: dict[str, Any], risk: Risk) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out = dict(values)
    out["action"] = str(values.get("action") or "").strip()
    if not out["action"]:
        errors["action"] = [_("Say what will be done.")]
    out["responsible_name"] = str(values.get("responsible_name") or "").strip()[:200]
    post = out["responsible_position"] = values.get("responsible_position")
    if post is not None and post.instansi_id != risk.instansi_id:
        errors["responsible_position"] = [_("This post is not of your instansi.")]
    elif post is None and not out["responsible_name"]:
        errors["responsible_position"] = [_("Name who is responsible: a post or a name.")]
    due = _day(values.get("due_on"), "due_on", errors, required=True)
    if due and due < risk.identified_on:
        errors.setdefault("due_on", []).append(
            _("The due date cannot come before the risk was identified (%(day)s).")
            % {"day": risk.identified_on.isoformat()}
        )
    out["due_on"] = due
    status = values.get("status") or MitigationStatus.PLANNED
    if status not in MitigationStatus.values:
        errors["status"] = [_("Choose a status of the list.")]
    out["status"] = status
    try:
        progress = int(values.get("progress_percent") or 0)
    except (TypeError, ValueError):
        progress = -1
    if not 0 <= progress <= 100:
        errors["progress_percent"] = [_("Give the progress from 0 to 100 percent.")]
    if status == MitigationStatus.DONE:
        progress = 100
    out["progress_percent"] = progress
    out["progress_note"] = str(values.get("progress_note") or "").strip()
    if errors:
        raise ValidationError(errors)
    return out


def _mitigation_state(m: Mitigation) -> dict[str, Any]:
    return {
        "risk": m.risk_id,
        "action": m.action,
        "responsible_position": m.responsible_position_id,
        "responsible_name": m.responsible_name,
        "due_on": m.due_on,
        "status": m.status,
        "progress_percent": m.progress_percent,
        "progress_note": m.progress_note,
        "done_on": m.done_on,
    }


def _done_on(m: Mitigation, before: str | None, on: dt.date | None) -> None:
    if m.status == MitigationStatus.DONE:
        if before != MitigationStatus.DONE or m.done_on is None:
            m.done_on = on or timezone.localdate()
    else:
        m.done_on = None


@transaction.atomic
def mitigation_add(*, actor, scope: Scope, risk: Risk, data: dict[str, Any]) -> Mitigation:
    """Add an action to a live risk's treatment plan. An open risk becomes "being
    mitigated"."""
    risk = Risk.objects.select_for_update(of=("self",)).select_related("unit").get(pk=risk.pk)
    _require_manage(scope, risk.unit)
    _require_live(risk)
    values = _clean_mitigation(data, risk)
    mitigation = Mitigation(risk=risk, **{f: values[f] for f in MITIGATION_FIELDS})
    _done_on(mitigation, None, data.get("on"))
    mitigation.save()
    record(
        actor=actor,
        action="risk.mitigation_add",
        target=mitigation,
        instansi_id=risk.instansi_id,
        unit=risk.unit,
        changes={
            k: [None, v] for k, v in _mitigation_state(mitigation).items() if v not in (None, "")
        },
    )
    if risk.status == RiskStatus.OPEN:
        risk.status = RiskStatus.MITIGATING
        risk.save(update_fields=["status", "updated_at"])
        record(
            actor=actor,
            action="risk.update",
            target=risk,
            unit=risk.unit,
            changes={"status": [RiskStatus.OPEN.value, RiskStatus.MITIGATING.value]},
            reason=_("A mitigation was added."),
        )
    return mitigation


@transaction.atomic
def mitigation_update(
    *, actor, scope: Scope, mitigation: Mitigation, data: dict[str, Any]
) -> Mitigation:
    """Change a mitigation of a live risk: its action, responsible, due date, status and
    progress. Done sets the day it was done (and 100 percent)."""
    mitigation = (
        Mitigation.objects.select_for_update(of=("self",))
        .select_related("risk__unit")
        .get(pk=mitigation.pk)
    )
    risk = mitigation.risk
    _require_manage(scope, risk.unit)
    _require_live(risk)
    unknown = set(data) - set(MITIGATION_FIELDS) - {"on"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    current = {f: getattr(mitigation, f) for f in MITIGATION_FIELDS}
    values = _clean_mitigation({**current, **data}, risk)
    before = _mitigation_state(mitigation)
    old_status = mitigation.status
    for field in MITIGATION_FIELDS:
        setattr(mitigation, field, values[field])
    _done_on(mitigation, old_status, data.get("on"))
    mitigation.save()
    changes = _changes(before, _mitigation_state(mitigation))
    if changes:
        record(
            actor=actor,
            action="risk.mitigation_update",
            target=mitigation,
            instansi_id=risk.instansi_id,
            unit=risk.unit,
            changes=changes,
        )
    return mitigation
