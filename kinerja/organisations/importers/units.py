"""The org unit importer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.scope import Action
from kinerja.imports import ImportContext, RowError, register
from kinerja.imports.columns import for_field

from .. import services
from ..models import OrgUnit, Region
from .common import (
    _KEEP,
    BATCH,
    _audit_name,
    _bulk_update,
    _changed,
    _code_taken,
    _created,
    _free_code,
    _RegistryImporter,
    _units_in_scope,
    _unknown_unit,
)

UNIT_FIELDS = ("name", "short_name", "kind", "region_id", "duties", "valid_from", "valid_to")
_UNIT_BLANK = {"short_name": "", "duties": "", "valid_to": None}


@register
class UnitImporter(_RegistryImporter):
    kind = "units"
    label = gettext_lazy("Org units")
    description = gettext_lazy(
        "Agencies and the units beneath them, matched by code (in any case). A new unit goes "
        "under the unit named in the parent code (in the file or already registered); an empty "
        "parent code adds an agency. Moving an existing unit is done on its page."
    )
    key = ("code",)
    columns = (
        for_field(
            OrgUnit,
            "code",
            label="Kode Unit",
            example="DIKBUD-SMK",
            help=gettext_lazy("Unit code, unique in the instansi regardless of case"),
        ),
        for_field(OrgUnit, "name", label="Nama Unit", example="Bidang Pembinaan SMK"),
        for_field(OrgUnit, "kind", label="Jenis Unit", example="bidang"),
        for_field(
            OrgUnit,
            "code",
            column="parent_code",
            label="Kode Unit Induk",
            required=False,
            blank=True,
            example="DIKBUD",
            help=gettext_lazy("Code of the parent unit; empty for an agency (OPD)"),
        ),
        for_field(OrgUnit, "short_name", label="Nama Singkat", example="SMK"),
        for_field(
            Region,
            "code",
            column="region_code",
            label="Kode Wilayah",
            required=False,
            blank=True,
            example="",
            help=gettext_lazy("Kemendagri code of the unit's region"),
        ),
        for_field(
            OrgUnit,
            "valid_from",
            label="Berlaku Mulai",
            required=False,
            blank=True,
            example="",
            help=gettext_lazy(
                "First day of the unit; empty: today for a new unit, unchanged for an existing one"
            ),
        ),
        for_field(OrgUnit, "valid_to", label="Berlaku Sampai", example=""),
        for_field(OrgUnit, "duties", label="Tugas dan Fungsi", example=""),
    )
    field_columns = {"parent": "parent_code", "region": "region_code"}

    @classmethod
    def example_row(cls, ctx: ImportContext | None) -> dict[str, Any]:
        row = super().example_row(ctx)
        parent = _units_in_scope(ctx).first() if ctx is not None else None
        if parent is not None:
            row.update(
                code=_free_code(OrgUnit, ctx.instansi_id, f"{parent.code}-BARU"),
                parent_code=parent.code,
                name="Bidang Baru",
                short_name="",
            )
        return row

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self._load_units()
        self.existing = {
            row["code"].lower(): row
            for row in OrgUnit.objects.filter(instansi_id=self.ctx.instansi_id).values(
                "id", "code", *UNIT_FIELDS
            )
        }
        self.regions = dict(Region.objects.values_list("code", "id"))
        self.creates: dict[str, tuple[int, OrgUnit, str | None]] = {}
        self.updates: list[tuple[OrgUnit, list[str]]] = []
        self.update_before: list[dict[str, Any]] = []
        self.created_units: list[OrgUnit] = []
        self.unchanged = 0

    def check(self, row: int, values: dict[str, Any]) -> None:
        bad, present = self.bad, self.ctx.present
        errors: dict[str, list[str]] = {}
        code, parent_code = values["code"], values["parent_code"]
        key = code.lower() if code else None
        parent_key = parent_code.lower() if parent_code else None
        parent_given = "parent_code" in present and "parent_code" not in bad
        if key and parent_key == key:
            errors["parent_code"] = [_("A unit cannot be placed under itself.")]
        region_id: Any = _KEEP
        if "region_code" in present and "region_code" not in bad:
            region_id = None
            if values["region_code"]:
                region_id = self.regions.get(values["region_code"])
                if region_id is None:
                    errors["region_code"] = [
                        _("Unknown region code '%(code)s'.") % {"code": values["region_code"]}
                    ]
        ref = self.units.get(key) if key else None
        before = self.existing.get(key) if key else None
        if ref is not None and before is not None:
            if not self._in_scope(ref.path):
                errors["code"] = [_code_taken()]
            elif parent_given and "parent_code" not in errors:
                parent = self.units_by_id.get(ref.parent_id) if ref.parent_id else None
                if (parent.code.lower() if parent else None) != parent_key:
                    errors["parent_code"] = [
                        _("To move a unit under another parent, edit it on its page.")
                    ]
            if "code" not in errors:
                self.agencies.add(ref.agency_id)
            data = {**before}
        else:
            if "parent_code" not in bad and "parent_code" not in errors:
                try:
                    self._check_new_parent(parent_key, parent_code)
                except ValidationError as exc:
                    errors.update(exc.message_dict)
            data = {**_UNIT_BLANK, "valid_from": self.ctx.today, "region_id": None}
        if errors:
            raise ValidationError(errors)
        if bad:
            return
        for name in ("name", "kind", "short_name", "duties", "valid_to"):
            if name in present:
                value = values[name]
                data[name] = _UNIT_BLANK[name] if value is None else value
        if values["valid_from"] is not None:
            data["valid_from"] = values["valid_from"]
        if region_id is not _KEEP:
            data["region_id"] = region_id
        unit = OrgUnit(
            instansi_id=self.ctx.instansi_id,
            code=before["code"] if before else code,  # the stored spelling stays
            **{f: data[f] for f in UNIT_FIELDS},
        )
        # The model's own constraints (valid_to not before valid_from); units are few.
        try:
            unit.validate_constraints(exclude={"instansi", "code"})
        except ValidationError as exc:
            raise ValidationError({"valid_to": exc.messages}) from None
        if before is None:
            self.creates[key] = (row, unit, parent_key)
            return
        unit.pk = unit.id = before["id"]
        changed = _changed(unit, before, UNIT_FIELDS)
        if changed:
            self.updates.append((unit, changed))
            self.update_before.append(before)
        else:
            self.unchanged += 1

    def _check_new_parent(self, parent_key: str | None, parent_code: str | None) -> None:
        if parent_key is None:
            if self.ctx.scope.paths_for(Action.IMPORT) is not None:
                raise ValidationError(
                    {
                        "parent_code": _(
                            "Only an administrator of the whole instansi may add an "
                            "agency; fill in parent_code."
                        )
                    }
                )
            self.agencies.add(None)
            return
        if parent_key in self.units:
            self._unit(parent_code, "parent_code")
        # Otherwise the parent must be a new unit of this file: `finish` checks it.

    def finish(self) -> list[RowError]:
        errors = []
        for key, (row, _unit, parent_key) in self.creates.items():
            if parent_key and parent_key not in self.units and parent_key not in self.creates:
                errors.append(
                    RowError(row, "parent_code", _unknown_unit(parent_key), value=parent_key)
                )
            elif self._level(key) is None:
                errors.append(
                    RowError(row, "parent_code", _("The parent units of this unit form a circle."))
                )
        return errors

    def _level(self, key: str) -> int | None:
        """Return how many new units of the file stand above ``key``; None for a circle."""
        level, seen = 0, {key}
        parent = self.creates[key][2]
        while parent and parent not in self.units:
            if parent in seen or parent not in self.creates:
                return None if parent in seen else level
            seen.add(parent)
            level += 1
            parent = self.creates[parent][2]
        return level

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
        }

    def write(self) -> None:
        placed: dict[str, OrgUnit] = {}
        levels: dict[int, list[str]] = defaultdict(list)
        for key in self.creates:
            levels[self._level(key) or 0].append(key)
        for level in sorted(levels):
            batch = []
            for key in levels[level]:
                _row, unit, parent_key = self.creates[key]
                if parent_key:
                    parent = placed.get(parent_key) or self._existing_unit(parent_key)
                    unit.parent = parent
                batch.append(unit)
            OrgUnit.objects.bulk_create(batch, batch_size=BATCH)
            for unit in batch:
                services._place(unit)  # path, depth and agency by the one tree convention
                placed[unit.code.lower()] = unit
            self.created_units.extend(batch)
        _bulk_update(OrgUnit, self.updates, timezone.now())
        for unit, changed in self.updates:
            if "kind" in changed:
                services.resort_subtree(unit)  # the kind is part of the sort key

    def audit_entries(self) -> Iterator[dict[str, Any]]:
        """Yield one audit entry per created or changed unit, with its changed fields."""
        for unit in self.created_units:
            yield {
                "action": "create",
                "target_type": "organisations.orgunit",
                "target_id": unit.pk,
                "target_repr": unit.name,
                "unit_id": unit.pk,
                "unit_path": unit.path,
                "changes": _created(
                    {
                        "code": unit.code,
                        "parent_id": unit.parent_id,
                        **{f: getattr(unit, f) for f in UNIT_FIELDS},
                    }
                ),
            }
        for (unit, changed), before in zip(self.updates, self.update_before, strict=True):
            ref = self.units_by_id.get(unit.pk)
            yield {
                "action": "update",
                "target_type": "organisations.orgunit",
                "target_id": unit.pk,
                "target_repr": unit.name,
                "unit_id": unit.pk,
                "unit_path": ref.path if ref else "",
                "changes": {_audit_name(f): [before[f], getattr(unit, f)] for f in changed},
            }

    def _existing_unit(self, key: str) -> OrgUnit:
        ref = self.units[key]
        return OrgUnit(
            id=ref.id,
            instansi_id=self.ctx.instansi_id,
            code=ref.code,
            path=ref.path,
            depth=ref.depth,
            agency_id=ref.agency_id,
            parent_id=ref.parent_id,
        )
