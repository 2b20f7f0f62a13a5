"""The position importer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.imports import ImportContext, RowError, register
from kinerja.imports.columns import for_field

from .. import services
from ..models import OrgUnit, Position, ReportingLine
from .common import (
    BATCH,
    _audit_name,
    _bulk_update,
    _changed,
    _code_taken,
    _created,
    _free_code,
    _RegistryImporter,
    _units_in_scope,
    _unknown_position,
    _unknown_unit,
)

POSITION_FIELDS = ("unit_id", "title", "kind", "eselon", "is_head", "duties", "is_active")


@register
class PositionImporter(_RegistryImporter):
    kind = "positions"
    label = gettext_lazy("Positions")
    description = gettext_lazy(
        "Posts (jabatan) in units, matched by code (in any case). The superior's position code "
        "names the post this one reports to, in the file or already registered."
    )
    key = ("code",)
    columns = (
        for_field(
            Position,
            "code",
            label="Kode Jabatan",
            example="DIKBUD-SMK-01",
            help=gettext_lazy("Position code, unique in the instansi regardless of case"),
        ),
        for_field(Position, "title", label="Nama Jabatan", example="Analis Kurikulum SMK"),
        for_field(
            OrgUnit,
            "code",
            column="unit_code",
            label="Kode Unit",
            required=True,
            example="DIKBUD-SMK",
            help=gettext_lazy("Code of the unit the position belongs to"),
        ),
        for_field(Position, "kind", label="Jenis Jabatan", example="fungsional"),
        for_field(Position, "eselon", label="Eselon", example=""),
        for_field(
            Position,
            "is_head",
            label="Kepala Unit",
            required=False,
            blank=False,
            example=gettext_lazy("no"),
        ),
        for_field(
            Position,
            "code",
            column="reports_to_code",
            label="Kode Jabatan Atasan",
            required=False,
            blank=True,
            example="",
            help=gettext_lazy("Code of the position this one reports to"),
        ),
        for_field(Position, "duties", label="Tugas dan Fungsi", example=""),
        for_field(
            Position,
            "is_active",
            label="Aktif",
            required=False,
            blank=False,
            example=gettext_lazy("yes"),
        ),
    )
    field_columns = {"unit": "unit_code", "reports_to": "reports_to_code"}

    @classmethod
    def example_row(cls, ctx: ImportContext | None) -> dict[str, Any]:
        row = super().example_row(ctx)
        unit = _units_in_scope(ctx).first() if ctx is not None else None
        if unit is not None:
            head = Position.objects.filter(unit=unit, is_head=True, is_active=True).first()
            row.update(
                code=_free_code(Position, ctx.instansi_id, f"{unit.code}-ANALIS"),
                title="Analis Kebijakan",
                unit_code=unit.code,
                reports_to_code=head.code if head else "",
            )
        return row

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self._load_units()
        self.existing = {
            row["code"].lower(): row
            for row in Position.objects.filter(instansi_id=self.ctx.instansi_id).values(
                "id", "code", "reports_to_id", *POSITION_FIELDS
            )
        }
        self.creates: dict[str, tuple[int, Position]] = {}
        self.updates: list[tuple[Position, list[str]]] = []
        self.update_before: dict[int, dict[str, Any]] = {}
        self.links: list[tuple[Position, str]] = []  # reports_to a position new in this file
        self.heads: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.in_file: dict[str, tuple[int, bool]] = {}  # code -> (unit id, active head?)
        self.reports: dict[str, tuple[int, str]] = {}
        self.created: list[Position] = []
        self.unchanged = 0
        # What each post of the file will be: code -> (row, unit id, superior's code, title);
        # with ``existing`` it is the whole instansi's lines after the import (finish checks it).
        self.planned: dict[str, tuple[int, int, str | None, str]] = {}
        self.code_by_id = {p["id"]: code for code, p in self.existing.items()}
        # The lines in force today (the dated lines, not the reports_to cache): one query.
        self.lines_today = dict(
            ReportingLine.objects.filter(instansi_id=self.ctx.instansi_id)
            .active_on(self.ctx.today)
            .order_by("valid_from", "pk")
            .values_list("position_id", "reports_to_id")
        )

    def _visible(self, position: dict[str, Any]) -> bool:
        unit = self.units_by_id.get(position["unit_id"])
        return unit is not None and self._in_scope(unit.path)

    def check(self, row: int, values: dict[str, Any]) -> None:
        bad, present = self.bad, self.ctx.present
        errors: dict[str, list[str]] = {}
        code, boss = values["code"], values["reports_to_code"]
        key = code.lower() if code else None
        boss_key = boss.lower() if boss else None
        boss_given = "reports_to_code" in present and "reports_to_code" not in bad
        before = self.existing.get(key) if key else None
        if before is not None and not self._visible(before):
            errors["code"] = [_code_taken()]
        unit = None
        if values["unit_code"] is not None:
            unit = self._find_unit(values["unit_code"])
            if unit is None:
                errors["unit_code"] = [_unknown_unit(values["unit_code"])]
            else:
                self.agencies.add(unit.agency_id)
        if boss_key:
            known = self.existing.get(boss_key)
            if boss_key == key:
                errors["reports_to_code"] = [_("A position cannot report to itself.")]
            elif known is not None and not self._visible(known):
                errors["reports_to_code"] = [_unknown_position(boss)]
        if errors:
            raise ValidationError(errors)
        if bad:
            return
        if before is not None:
            data = {**before}
        else:
            data = {
                "eselon": "",
                "is_head": False,
                "duties": "",
                "is_active": True,
                "reports_to_id": None,
            }
        for name in ("title", "kind", "eselon", "is_head", "duties", "is_active"):
            if name in present:
                value = values[name]
                data[name] = "" if value is None else value
        data["unit_id"] = unit.id
        position = Position(
            instansi_id=self.ctx.instansi_id,
            code=before["code"] if before else code,  # the stored spelling stays
            **{f: data[f] for f in POSITION_FIELDS},
        )
        position.reports_to_id = data["reports_to_id"]
        if boss_given:
            if boss_key:
                self.reports[key] = (row, boss)
            else:
                position.reports_to_id = None
        if boss_given:
            planned_boss = boss_key
        elif before is not None:
            planned_boss = self.code_by_id.get(self.lines_today.get(before["id"]))
        else:
            planned_boss = None
        self.planned[key] = (row, unit.id, planned_boss, position.title)
        active_head = bool(position.is_head and position.is_active)
        self.in_file[key] = (unit.id, active_head)
        if active_head:
            self.heads[unit.id].append((row, key))
        if before is None:
            self.creates[key] = (row, position)
            return
        position.pk = position.id = before["id"]
        self._plan_update(position, before, boss_key if boss_given else None)

    def _plan_update(self, position: Position, before: dict[str, Any], boss: str | None) -> None:
        known = self.existing.get(boss) if boss else None
        if known is not None:
            position.reports_to_id = known["id"]
        changed = _changed(position, before, POSITION_FIELDS)
        linked = bool(boss and known is None)
        if linked:
            self.links.append((position, boss))
        elif position.reports_to_id != before["reports_to_id"]:
            changed.append("reports_to_id")
        if changed:
            self.updates.append((position, changed))
        if changed or linked:
            self.update_before[position.pk] = before
        else:
            self.unchanged += 1

    def finish(self) -> list[RowError]:
        errors = []
        for row, boss in self.reports.values():
            key = boss.lower()
            if key not in self.existing and key not in self.in_file:
                errors.append(RowError(row, "reports_to_code", _unknown_position(boss), value=boss))
        errors.extend(self._line_errors())
        # One active head per unit: the database's constraint, checked before writing.
        db_heads = {
            p["unit_id"]: p["code"]
            for p in self.existing.values()
            if p["is_head"] and p["is_active"]
        }
        for unit_id, rows in self.heads.items():
            for row, _key in rows[1:]:
                errors.append(
                    RowError(
                        row,
                        "is_head",
                        _("Row %(row)d already names the head of this unit.") % {"row": rows[0][0]},
                    )
                )
            head = db_heads.get(unit_id)
            row, key = rows[0]
            if (
                head
                and head.lower() != key
                and self.in_file.get(head.lower(), (unit_id, True)) == (unit_id, True)
            ):
                errors.append(
                    RowError(
                        row,
                        "is_head",
                        _("Unit %(unit)s already has a head position (%(code)s).")
                        % {"unit": self.units_by_id[unit_id].code, "code": head},
                    )
                )
        return errors

    def _line_errors(self) -> list[RowError]:
        """The rules of `services._check_line` over the whole instansi's lines as the file
        leaves them, in memory (the units' paths are loaded; no query per row): a post reports
        to a post of its own unit or of a unit above it, and no line makes a loop. A post moved
        by the file to another unit is refused when a post that stays out of the file would no
        longer be in its unit or below."""
        planned, existing = self.planned, self.existing

        def unit_of(code: str) -> int | None:
            if code in planned:
                return planned[code][1]
            known = existing.get(code)
            return known["unit_id"] if known else None

        def boss_of(code: str) -> str | None:
            if code in planned:
                return planned[code][2]
            known = existing.get(code)
            return self.code_by_id.get(self.lines_today.get(known["id"])) if known else None

        def title_of(code: str) -> str:
            return planned[code][3] if code in planned else existing[code]["title"]

        def path_of(unit_id: int | None) -> str | None:
            unit = self.units_by_id.get(unit_id)
            return unit.path if unit is not None else None

        errors: list[RowError] = []
        for code, (row, unit_id, boss, _title) in planned.items():
            if boss is None or boss == code or (boss not in planned and boss not in existing):
                continue  # unknown or itself: reported by the row's own check
            boss_unit = self.units_by_id.get(unit_of(boss))
            own = path_of(unit_id)
            if boss_unit is not None and own is not None and not own.startswith(boss_unit.path):
                errors.append(
                    RowError(
                        row,
                        "reports_to_code",
                        _(
                            "%(post)s is in %(unit)s, which is neither this post's unit nor a "
                            "unit above it. A post reports to a post in its own unit or a unit "
                            "above it."
                        )
                        % {"post": title_of(boss), "unit": self._unit_name(boss_unit)},
                    )
                )
        # Posts the file leaves alone whose superior it moves.
        moved = {
            code
            for code, (_row, unit_id, _boss, _title) in planned.items()
            if code in existing and existing[code]["unit_id"] != unit_id
        }
        if moved:
            stranded: dict[str, list[str]] = defaultdict(list)
            for code, known in existing.items():
                boss = self.code_by_id.get(self.lines_today.get(known["id"]))
                if code in planned or boss not in moved:
                    continue
                own, above = path_of(known["unit_id"]), path_of(planned[boss][1])
                if own is not None and above is not None and not own.startswith(above):
                    stranded[boss].append(known["title"])
            for boss, titles in stranded.items():
                row, unit_id = planned[boss][0], planned[boss][1]
                errors.append(
                    RowError(
                        row,
                        "unit_code",
                        _(
                            "%(posts)s report to this post but would no longer be in %(new)s or "
                            "a unit below it. Change their reporting lines first."
                        )
                        % {
                            "posts": services._names(sorted(titles)),
                            "new": self._unit_name(self.units_by_id[unit_id]),
                        },
                    )
                )
        errors.extend(self._loop_errors(boss_of, title_of))
        return errors

    def _loop_errors(self, boss_of, title_of) -> list[RowError]:
        """A row whose post would reach itself up the lines (each post is walked once)."""
        state: dict[str, int] = {}  # 1: on the walk now, 2: done
        errors = []
        for start in self.planned:
            walk, code = [], start
            while code is not None and code not in state:
                state[code] = 1
                walk.append(code)
                code = boss_of(code)
            if code is not None and state[code] == 1:  # a loop: from ``code`` round to it
                loop = walk[walk.index(code) :]
                for member in loop:
                    if member in self.planned:
                        boss = boss_of(member)
                        errors.append(
                            RowError(
                                self.planned[member][0],
                                "reports_to_code",
                                _(
                                    "%(post)s already reports, directly or not, to this post: "
                                    "the line would make a loop."
                                )
                                % {"post": title_of(boss)},
                            )
                        )
            for member in walk:
                state[member] = 2
        return errors

    def _unit_name(self, unit) -> str:
        """A unit's name for a message: the loaded units carry only their code, so the names
        are read once, in one query, when the first message needs one."""
        if getattr(self, "_unit_names", None) is None:
            self._unit_names = dict(
                OrgUnit.objects.filter(instansi_id=self.ctx.instansi_id).values_list("pk", "name")
            )
        return self._unit_names.get(unit.id, unit.code)

    def counts(self) -> dict[str, int]:
        linked_only = {p.pk for p, _b in self.links} - {p.pk for p, _f in self.updates}
        return {
            "created": len(self.creates),
            "updated": len(self.updates) + len(linked_only),
            "unchanged": self.unchanged,
        }

    def write(self) -> None:
        now = timezone.now()
        new = []
        for key, (_row, position) in self.creates.items():
            boss = self.reports.get(key)
            if boss and boss[1].lower() in self.existing:
                position.reports_to_id = self.existing[boss[1].lower()]["id"]
            elif boss:
                self.links.append((position, boss[1].lower()))
            new.append(position)
        # Release heads first, so that a head moving between posts never meets itself.
        self.updates.sort(key=lambda u: u[0].is_head and u[0].is_active)
        _bulk_update(Position, self.updates, now)
        Position.objects.bulk_create(new, batch_size=BATCH)
        self.created = new
        if self.links:
            ids = {key: p["id"] for key, p in self.existing.items()}
            ids.update({p.code.lower(): p.pk for p in new})
            for position, boss in self.links:
                position.reports_to_id = ids[boss]
                position.updated_at = now
            Position.objects.bulk_update(
                [p for p, _b in self.links], ["reports_to", "updated_at"], batch_size=500
            )
        # Today's reports_to and is_active become the dated lines and lives of the posts.
        touched = [*new, *(p for p, _f in self.updates), *(p for p, _b in self.links)]
        services.sync_lines(self.ctx.instansi_id, [p.pk for p in touched], self.ctx.today)

    def audit_entries(self) -> Iterator[dict[str, Any]]:
        """Yield one audit entry per created or changed position, with its changed fields."""
        paths = {pk: unit.path for pk, unit in self.units_by_id.items()}
        for position in self.created:
            yield {
                "action": "create",
                "target_type": "organisations.position",
                "target_id": position.pk,
                "target_repr": position.title,
                "unit_id": position.unit_id,
                "unit_path": paths.get(position.unit_id, ""),
                "changes": _created(
                    {
                        "code": position.code,
                        **{f: getattr(position, f) for f in POSITION_FIELDS},
                        "reports_to_id": position.reports_to_id,
                    }
                ),
            }
        changed = {p.pk: (p, fields) for p, fields in self.updates}
        for position, _boss in self.links:
            if position.pk in self.update_before and position.pk not in changed:
                changed[position.pk] = (position, [])
        for pk, (position, fields) in changed.items():
            before = self.update_before[pk]
            names = [f for f in fields if f != "reports_to_id"]
            changes = {_audit_name(f): [before[f], getattr(position, f)] for f in names}
            if position.reports_to_id != before["reports_to_id"]:
                changes["reports_to"] = [before["reports_to_id"], position.reports_to_id]
            yield {
                "action": "update",
                "target_type": "organisations.position",
                "target_id": pk,
                "target_repr": position.title,
                "unit_id": position.unit_id,
                "unit_path": paths.get(position.unit_id, ""),
                "changes": changes,
            }
