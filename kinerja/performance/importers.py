"""The action-plan importer: actions with their schedule, in the columns of the action-plan
workbook (``action_excel``), so an exported plan imports again unchanged.

A row names its agreement (``ID PK``, a draft within the caller's reach) and its action by
code; an unknown code adds the action under the target of the indicator named, an existing one
is changed. A column absent from the file keeps what is stored, and an action the file does not
mention stays as it is: the import never clears what its file does not mention. The schedule
changes only in the sub-periods whose columns the file has.

Every row is tried through the services (the same rules as the pages and the API) inside a
savepoint that is rolled back, so the checks report every refusal before anything is written;
the write runs the services again and each writes its own audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.imports import RowError, register
from kinerja.imports.base import Importer
from kinerja.imports.columns import Column, as_text, text
from kinerja.organisations.models import OrgUnit

from .action_excel import BASE_COLUMNS, MAX_SUB_PERIODS, schedule_columns
from .models import Action, Agreement, AgreementTarget
from .services import actions as svc

ACTION_COLUMNS = (
    "position",
    "text",
    "program_code",
    "activity_code",
    "sub_activity_code",
    "budget",
    "spending",
    "funding_source",
)


def _number(cell: Any) -> Decimal:
    try:
        value = Decimal(as_text(cell).replace(" ", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(_("Give a number."))
    return value


def _whole(cell: Any) -> int:
    value = _number(cell)
    if value != value.to_integral_value() or value < 0:
        raise ValidationError(_("Give a whole number from 0."))
    return int(value)


PARSERS = {"agreement": _whole, "position": _whole, "budget": _number, "spending": _number}
REQUIRED = {"agreement", "code"}


def _columns() -> tuple[Column, ...]:
    out = [
        Column(
            name=name,
            parse=PARSERS.get(name, text()),
            required=name in REQUIRED,
            blank=name not in REQUIRED,
            label=label,
        )
        for name, label in BASE_COLUMNS
    ]
    for n in range(1, MAX_SUB_PERIODS + 1):
        (output, output_label), (weight, weight_label) = schedule_columns(n)
        out.append(Column(name=output, parse=text(), blank=True, label=output_label))
        out.append(Column(name=weight, parse=_number, blank=True, label=weight_label))
    return tuple(out)


@dataclass
class Planned:
    row: int
    agreement: Agreement
    code: str
    target: AgreementTarget | None  # a new action: the target it serves
    data: dict[str, Any]
    schedule: dict[int, tuple[str, Decimal]] | None  # by sub-period number; None: keep
    parent_code: str | None = None  # None: keep (an existing action), "" the top
    existing: Action | None = None
    errors: list[RowError] = field(default_factory=list)


@register
class ActionPlanImporter(Importer):
    kind = "action_plan"
    label = gettext_lazy("Action plans (rencana aksi)")
    description = gettext_lazy(
        "Actions of draft performance agreements with their schedule, matched by the "
        "agreement's id and the action's code: an unknown code adds an action under the "
        "target of the indicator named, a known one is changed. What the file does not "
        "mention stays as it is."
    )
    key = ("agreement", "code")
    columns = _columns()
    field_columns = {
        "unit": "unit_code",
        "parent": "parent_code",
        "agreement_target": "indicator_code",
    }

    def prepare(self, column) -> None:
        self.agreements: dict[int, Agreement | None] = {}
        self.plans: list[Planned] = []
        self.created = self.updated = self.unchanged = 0

    def _agreement(self, pk: int) -> Agreement | None:
        if pk not in self.agreements:
            found = (
                Agreement.objects.within(self.ctx.scope)
                .select_related("unit")
                .filter(pk=pk, instansi_id=self.ctx.instansi_id)
                .first()
            )
            self.agreements[pk] = found
        return self.agreements[pk]

    def check(self, row: int, values: dict[str, Any]) -> None:
        present = self.ctx.present
        agreement = self._agreement(values["agreement"])
        if agreement is None:
            raise ValidationError(
                {"agreement": _("No agreement %(id)s was found.") % {"id": values["agreement"]}}
            )
        code = values["code"]
        existing = (
            Action.objects.filter(agreement=agreement, code=code)
            .select_related("unit", "parent")
            .first()
        )
        data: dict[str, Any] = {}
        for name in ACTION_COLUMNS:
            if name in present:
                data[name] = values[name] if values[name] is not None else ""
        if "position" in data and data["position"] == "":
            data["position"] = 0
        if "text" in present and not data.get("text"):
            raise ValidationError({"text": _("This column must be filled.")})
        if "unit_code" in present:
            unit = OrgUnit.objects.filter(
                instansi_id=self.ctx.instansi_id, code__iexact=values["unit_code"] or ""
            ).first()
            if unit is None:
                raise ValidationError(
                    {
                        "unit_code": _("Unknown unit code '%(code)s'.")
                        % {"code": values["unit_code"]}
                    }
                )
            data["unit"] = unit
        target = None
        if existing is None:
            indicator = values["indicator_code"] or ""
            target = agreement.targets.filter(target__indicator__code=indicator).first()
            if target is None:
                raise ValidationError(
                    {
                        "indicator_code": _(
                            "The agreement has no target of the indicator '%(code)s'."
                        )
                        % {"code": indicator}
                    }
                )
            for name in ("text", "unit"):
                if name not in data:
                    column = "unit_code" if name == "unit" else name
                    raise ValidationError({column: _("This column must be filled.")})
        schedule = None
        numbers = [
            n
            for n in range(1, MAX_SUB_PERIODS + 1)
            if f"weight_{n}" in present or f"output_{n}" in present
        ]
        if numbers:
            schedule = (
                {s.sub_period.number: (s.planned_output, s.weight) for s in existing.schedule.all()}
                if existing is not None
                else {}
            )
            for n in numbers:
                output, weight = schedule.get(n, ("", None))
                if f"output_{n}" in present:
                    output = values[f"output_{n}"] or ""
                if f"weight_{n}" in present:
                    weight = values[f"weight_{n}"]
                if weight is None:
                    schedule.pop(n, None)
                else:
                    schedule[n] = (output, weight)
        parent_code = None
        if "parent_code" in present:
            parent_code = values["parent_code"] or ""
        elif existing is None:
            parent_code = ""
        self.plans.append(
            Planned(row, agreement, code, target, data, schedule, parent_code, existing)
        )

    def _unchanged(self, plan: Planned) -> bool:
        action = plan.existing
        if action is None:
            return False
        for name, value in plan.data.items():
            if name == "unit":
                if value.pk != action.unit_id:
                    return False
            elif name in ("budget", "spending"):
                if Decimal(value or 0) != getattr(action, name):
                    return False
            elif str(value) != str(getattr(action, name)):
                return False
        parent = action.parent.code if action.parent_id else ""
        if plan.parent_code is not None and plan.parent_code != parent:
            return False
        if plan.schedule is not None:
            now = {s.sub_period.number: (s.planned_output, s.weight) for s in action.schedule.all()}
            if now != plan.schedule:
                return False
        return True

    def _apply(self, plan: Planned) -> Action | None:
        """Write one row through the services; None when nothing changes."""
        call = {"actor": self.ctx.actor, "scope": self.ctx.scope}
        data = dict(plan.data)
        if plan.parent_code is not None:
            data["parent"] = (
                Action.objects.filter(agreement=plan.agreement, code=plan.parent_code).first()
                if plan.parent_code
                else None
            )
            if plan.parent_code and data["parent"] is None:
                raise ValidationError(
                    {
                        "parent_code": _(
                            "No action %(code)s in this agreement (a parent comes before its "
                            "sub-actions in the file)."
                        )
                        % {"code": plan.parent_code}
                    }
                )
        schedule = None
        if plan.schedule is not None:
            schedule = [
                {"sub_period": n, "planned_output": output, "weight": weight}
                for n, (output, weight) in sorted(plan.schedule.items())
            ]
        data["code"] = plan.code
        if plan.existing is None:
            return svc.action_create(
                **call, agreement_target=plan.target, data=data, schedule=schedule
            )
        if self._unchanged(plan):
            return None
        action = Action.objects.get(pk=plan.existing.pk)
        return svc.action_update(
            **call, action=action, version=action.version, data=data, schedule=schedule
        )

    def _run(self) -> list[RowError]:
        errors = []
        self.created = self.updated = self.unchanged = 0
        for plan in self.plans:
            try:
                with transaction.atomic():
                    done = self._apply(plan)
            except PermissionDenied:
                errors.append(
                    RowError(plan.row, "agreement", _("You may not change this agreement's plan."))
                )
                continue
            except ValidationError as exc:
                errors.extend(self.errors_from(plan.row, exc))
                continue
            if done is None:
                self.unchanged += 1
            elif plan.existing is None:
                self.created += 1
            else:
                self.updated += 1
        return errors

    def finish(self) -> list[RowError]:
        """Try every row through the services and roll the whole try back."""

        class _Rollback(Exception):
            pass

        errors: list[RowError] = []
        try:
            with transaction.atomic():
                errors = self._run()
                raise _Rollback
        except _Rollback:
            pass
        return errors

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def write(self) -> None:
        errors = self._run()
        if errors:  # the data changed between the check and the write
            raise ValidationError(errors[0].message)
