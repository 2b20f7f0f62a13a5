"""Pre- and post-test scores to and from a workbook, per event: the importer (the project's
import engine: header matching, per-row checks with row and column, all-or-nothing) and the
export in the same layout, so an exported file imports again unchanged.

Columns: NIP, Nama (read only), Tes (pre/post), Pengetahuan, Keterampilan, Sikap. A score
column absent from the file keeps what is stored; an empty cell in a present column clears.
The import is the organiser's (``manage_training``), not the generic import page's: it runs
for one event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.audit.services import record
from kinerja.core.excel import Report
from kinerja.imports.base import ImportContext, Importer, RowError
from kinerja.imports.columns import Column, as_text, choice, readonly
from kinerja.imports.engine import ImportOutcome, _check_rows, match_headers
from kinerja.imports.readers import Table
from kinerja.organisations.models import Employee
from kinerja.organisations.validators import normalise_nip

from .choices import TestKind
from .models import Assessment, Event, Participant
from .services.feedback import _require_organiser, _write_assessment, check_scores

__all__ = ["AssessmentImporter", "AssessmentReport", "assessment_import"]

SCORES = ("knowledge", "skill", "attitude")


def _nip(cell: Any) -> str:
    if cell.__class__ is not str:
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            raise ValidationError(
                _(
                    "Type the NIP as text: Excel rounds numbers longer than "
                    "15 digits. Format the column as Text."
                )
            )
        cell = as_text(cell)
    return normalise_nip(cell)


def _score_text(cell: Any) -> str:
    return as_text(cell)


def _score_column(name: str, label: str, help: Any) -> Column:
    return Column(name=name, parse=_score_text, blank=True, label=label, example="75", help=help)


class AssessmentImporter(Importer):
    kind = "training_assessments"
    label = gettext_lazy("Test scores")
    key = ("nip", "kind")
    checks_partial_rows = True
    columns = (
        Column(
            name="nip",
            parse=_nip,
            required=True,
            label="NIP",
            example="197503152005011002",
            help=gettext_lazy("The participant's NIP"),
        ),
        readonly("name", "Nama"),
        Column(
            name="kind",
            parse=choice(TestKind.choices, {"pre-test": "pre", "post-test": "post"}),
            required=True,
            label="Tes",
            example="pre",
            help=gettext_lazy("pre or post"),
        ),
        _score_column("knowledge", "Pengetahuan", gettext_lazy("Knowledge score (0-100)")),
        _score_column("skill", "Keterampilan", gettext_lazy("Skill score (0-100)")),
        _score_column("attitude", "Sikap", gettext_lazy("Attitude score (0-100)")),
    )

    event: Event

    def prepare(self, column: Callable[[str], list[Any]]) -> None:
        self.participants = {
            p.employee.nip: p
            for p in Participant.objects.active()
            .filter(event=self.event)
            .select_related("employee", "unit")
        }
        nips = set()
        for cell in column("nip"):
            try:
                nips.add(_nip(cell))
            except ValidationError:
                continue
        self.known = set(
            Employee.objects.filter(instansi_id=self.ctx.instansi_id, nip__in=nips).values_list(
                "nip", flat=True
            )
        )
        self.existing = {
            (a.participant_id, a.kind): a
            for a in Assessment.objects.filter(participant__event=self.event)
        }
        self.planned: list[tuple[Participant, str, dict[str, Any]]] = []
        self.unchanged = 0
        self.created = 0
        self.updated = 0

    def check(self, row: int, values: dict[str, Any]) -> None:
        errors: dict[str, list[str]] = {}
        participant = None
        nip = values.get("nip")
        if nip is not None and "nip" not in self.bad:
            participant = self.participants.get(nip)
            if participant is None:
                if nip in self.known:
                    errors["nip"] = [
                        _("%(nip)s is not a participant of this event.") % {"nip": nip}
                    ]
                else:
                    errors["nip"] = [_("No employee with the NIP %(nip)s.") % {"nip": nip}]
        data = {f: values[f] for f in SCORES if f in self.ctx.present and f not in self.bad}
        try:
            scores = check_scores(self.event, data)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            scores = None
        if errors:
            raise ValidationError(errors)
        if participant is None or scores is None or values.get("kind") is None:
            return
        existing = self.existing.get((participant.pk, values["kind"]))
        if existing is not None and all(getattr(existing, f) == v for f, v in scores.items()):
            self.unchanged += 1
            return
        if existing is None and all(v is None for v in scores.values()):
            self.unchanged += 1
            return
        if existing is None:
            self.created += 1
        else:
            self.updated += 1
        self.planned.append((participant, values["kind"], scores))

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def write(self) -> None:
        for participant, kind, scores in self.planned:
            _write_assessment(self.ctx.actor, participant, kind, scores, None)


def assessment_import(
    *, actor, scope, event: Event, table: Table, dry_run: bool = False, file_name: str = ""
) -> ImportOutcome:
    """Check every row of the file; unless it is a dry run or a row is wrong, write them all
    in one transaction (each score audited, and one summary event)."""
    _require_organiser(scope, event)
    total = table.row_count
    index, errors = match_headers(AssessmentImporter, table)
    if errors:
        return ImportOutcome(valid=False, dry_run=dry_run, total_rows=total, errors=errors)
    if not total:
        nothing = _("The file has a header but no rows: there is nothing to import.")
        return ImportOutcome(
            valid=False,
            dry_run=dry_run,
            total_rows=0,
            errors=[RowError(table.header_row + 1, "", nothing)],
        )
    ctx = ImportContext(
        actor=actor, scope=scope, instansi_id=scope.instansi_id, present=frozenset(index)
    )
    run = AssessmentImporter(ctx)
    run.event = event

    def column(name: str) -> list[Any]:
        if name not in index:
            return []
        i = index[name]
        return [row[i] for row in table.rows if i < len(row)]

    run.prepare(column)
    errors = _check_rows(run, table, index, None, total)
    table.release()
    if errors:
        errors.sort(key=lambda e: e.row)
        return ImportOutcome(valid=False, dry_run=dry_run, total_rows=total, errors=errors)
    counts = run.counts()
    if not dry_run:
        with transaction.atomic():
            run.write()
            record(
                actor=actor,
                action="training.assessment.import",
                target=event,
                unit=event.organiser_unit,
                changes={**counts, "rows": total},
                reason=f"Import: {file_name}" if file_name else "",
            )
    return ImportOutcome(valid=True, dry_run=dry_run, total_rows=total, counts=counts)


def _shown(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


class AssessmentReport(Report):
    """The event's scores in the importer's layout (one row per participant and test)."""

    title = gettext_lazy("Test scores")
    columns = tuple(column.header for column in AssessmentImporter.columns)
    widths = (22, 36, 8, 14, 14, 14)

    def __init__(self, event: Event) -> None:
        self.event = event

    def rows(self) -> Iterator[tuple]:
        scores = {
            (a.participant_id, a.kind): a
            for a in Assessment.objects.filter(participant__event=self.event)
        }
        participants = (
            Participant.objects.active()
            .filter(event=self.event)
            .select_related("employee")
            .order_by("agency_name", "employee__name", "pk")
        )
        for p in participants:
            for kind in (TestKind.PRE, TestKind.POST):
                a = scores.get((p.pk, kind))
                if a is None:
                    yield (p.employee.nip, p.employee.name, kind.value, "", "", "")
                else:
                    yield (
                        p.employee.nip,
                        p.employee.name,
                        kind.value,
                        _shown(a.knowledge),
                        _shown(a.skill),
                        _shown(a.attitude),
                    )
