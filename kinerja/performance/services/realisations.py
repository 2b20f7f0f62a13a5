"""Writes of realisations and their evidence: atomic, checked, audited.

The target's holder enters a realisation and submits it; an administrator keeping the unit's
plans (manage_plans over it) may enter and submit on the holder's behalf, audited as
themselves. The verifier verifies it or returns it with a comment; a returned realisation is
changed and resubmitted. Entries and submissions happen while the sub-period is open or a
late-entry window of the unit covers the day. A verified realisation no longer changes unless
its verifier returns it. ``version`` counts the writes: a stale one is refused as a conflict.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import PurePath
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core.scope import Action, Scope

from .. import aggregates
from ..choices import TargetShape
from ..models import Evidence, EvidenceKind, Realisation, RealisationStatus, SubPeriod, Target
from ..parties import Parties, target_parties
from ..policy import evidence_rules
from ..selectors import can_enter
from . import (
    _number,
    _same_instansi,
    _snapshot,
    bump_version,
    check_numbers,
    lock_version,
)

__all__ = [
    "REALISATION_FIELDS",
    "detect_file_type",
    "evidence_add_file",
    "evidence_add_link",
    "may_enter",
    "may_verify",
    "realisation_check",
    "realisation_create",
    "realisation_return",
    "realisation_submit",
    "realisation_update",
    "realisation_verify",
]

REALISATION_FIELDS = ("value", "outcome", "supporting_factors", "obstructing_factors", "note")
TEXT_LIMIT = 10_000


# Who ---------------------------------------------------------------------------------------


def _manages(scope: Scope, target: Target) -> bool:
    """An administrator keeping the plans of the target's unit (for a province target: across
    the instansi)."""
    unit = target.indicator.unit
    if unit is None:
        return scope.paths_for(Action.MANAGE_PLANS) is None and scope.can_anywhere(
            Action.MANAGE_PLANS
        )
    return scope.can(Action.MANAGE_PLANS, unit.path)


def may_enter(scope: Scope, target: Target, holder_id: int | None) -> bool:
    return bool(scope.employee_id and scope.employee_id == holder_id) or _manages(scope, target)


def may_verify(scope: Scope, realisation: Realisation) -> bool:
    """The verifier; when nobody verifies the target (the top of the lines), an administrator
    keeping the plans across the instansi."""
    if realisation.verifier_id is not None:
        return scope.employee_id == realisation.verifier_id
    return scope.paths_for(Action.MANAGE_PLANS) is None and scope.can_anywhere(Action.MANAGE_PLANS)


def _require_enter(scope: Scope, target: Target, holder_id: int | None) -> None:
    if not may_enter(scope, target, holder_id):
        raise PermissionDenied(
            _("Only the holder of this target, or who keeps its unit's plans, enters it.")
        )


def _require_verify(scope: Scope, realisation: Realisation) -> None:
    if not may_verify(scope, realisation):
        raise PermissionDenied(_("Only the verifier of this target verifies or returns it."))


# Checks ------------------------------------------------------------------------------------


def _check_window(target: Target, sub_period: SubPeriod, on: dt.date) -> None:
    unit = target.indicator.unit
    open_ = (
        sub_period.is_open if unit is None else can_enter(unit=unit, sub_period=sub_period, on=on)
    )
    if not open_:
        raise ValidationError(
            {
                "sub_period": _(
                    "%(sub_period)s is closed for entries and no late-entry window of the unit "
                    "covers %(day)s."
                )
                % {"sub_period": sub_period, "day": on.isoformat()}
            }
        )


def _check_sub_period(target: Target, sub_period: Any) -> SubPeriod:
    if not isinstance(sub_period, SubPeriod):
        raise ValidationError({"sub_period": _("Choose the sub-period.")})
    _same_instansi(target.instansi_id, sub_period)
    if sub_period.period.year != target.year:
        raise ValidationError(
            {
                "sub_period": _(
                    "The target is for %(year)d: choose a sub-period of that year, not of "
                    "%(other)d."
                )
                % {"year": target.year, "other": sub_period.period.year}
            }
        )
    return sub_period


def _text(data: dict[str, Any], field: str, current: str = "") -> str:
    value = data.get(field, current)
    value = "" if value is None else str(value).strip()
    if len(value) > TEXT_LIMIT:
        raise ValidationError({field: _("Write at most %(n)d characters.") % {"n": TEXT_LIMIT}})
    return value


def _clean(target: Target, data: dict[str, Any], realisation: Realisation) -> None:
    """Set the fields of ``data`` on ``realisation``: a number for a value or a range target,
    a described outcome (and no number) for a qualitative one."""
    for field in ("outcome", "supporting_factors", "obstructing_factors", "note"):
        if field in data or not realisation.pk:
            setattr(realisation, field, _text(data, field, getattr(realisation, field)))
    if "value" in data or not realisation.pk:
        realisation.value = _number(data.get("value"), "value")
    if target.shape == TargetShape.QUALITATIVE:
        if realisation.value is not None:
            raise ValidationError(
                {"value": _("A qualitative target takes a described outcome, not a number.")}
            )
        if not realisation.outcome:
            raise ValidationError(
                {"outcome": _("Describe the outcome achieved for this qualitative target.")}
            )
        return
    if realisation.outcome:
        raise ValidationError(
            {"outcome": _("A quantitative target takes a number: leave the outcome empty.")}
        )
    if realisation.value is None:
        raise ValidationError({"value": _("Give the value achieved.")})
    check_numbers(target.indicator, {"value": realisation.value})


def _read_with_it(realisation: Realisation) -> bool:
    """Whether ``realisation`` came with its target, the target's indicator and unit, and its
    sub-period (the API reads them with it)."""
    cached = realisation._state.fields_cache
    target = cached.get("target")
    return (
        target is not None
        and "sub_period" in cached
        and "indicator" in target._state.fields_cache
        and "unit" in target.indicator._state.fields_cache
    )


def _lock(realisation: Realisation, version: Any) -> Realisation:
    """The realisation's row, locked, if ``version`` is the one its author saw, with its
    target (indicator, unit) and sub-period: those read with ``realisation`` when it came with
    them (only the realisation's own row is locked either way, and none of them changes under
    it), else read with the row. Compiling the four joins cost more than reading them."""
    rows = Realisation.objects.select_for_update(of=("self",))
    given = _read_with_it(realisation)
    if not given:
        rows = rows.select_related("target__indicator__unit", "sub_period__period")
    locked = lock_version(
        rows,
        realisation.pk,
        version,
        give=_("Give the version of the realisation you saw."),
        stale=_(
            "Someone changed this realisation after you opened it (you saw version "
            "%(seen)d, it is now at version %(now)d). Reload it and make your change "
            "again."
        ),
    )
    same = (locked.target_id, locked.sub_period_id) == (
        realisation.target_id,
        realisation.sub_period_id,
    )
    if given and same:  # else (never: they are fixed) they load when first used
        locked.target, locked.sub_period = realisation.target, realisation.sub_period
    return locked


def _check_editable(realisation: Realisation) -> None:
    if realisation.status == RealisationStatus.VERIFIED:
        raise ValidationError(
            _(
                "This realisation is verified and no longer changes; only its verifier can "
                "return it for a change."
            )
        )
    if not realisation.is_editable:
        raise ValidationError(
            _("This realisation is %(status)s: it waits for its verifier.")
            % {"status": realisation.get_status_display().lower()}
        )


_bump = bump_version


def _audit(actor, action: str, realisation: Realisation, changes: dict, reason: str = "") -> None:
    record(
        actor=actor,
        action=action,
        target=realisation,
        unit=realisation.target.indicator.unit,
        changes=changes,
        reason=reason,
    )


# Writes ------------------------------------------------------------------------------------


def realisation_check(
    *,
    scope: Scope,
    target: Target,
    sub_period: SubPeriod,
    data: dict[str, Any],
    realisation: Realisation | None = None,
    on: dt.date | None = None,
) -> None:
    """Raise what `realisation_create` (no ``realisation``) or `realisation_update` would
    refuse, writing nothing: the checks of an import's dry run."""
    on = on or timezone.localdate()
    holder = realisation.holder_id if realisation else target_parties(target, on)[0]
    _require_enter(scope, target, holder)
    _check_sub_period(target, sub_period)
    if realisation is not None:
        _check_editable(realisation)
    _check_window(target, sub_period, on)
    scratch = Realisation(target=target, sub_period=sub_period)
    if realisation is not None:
        scratch.pk = realisation.pk
        for field in REALISATION_FIELDS:
            setattr(scratch, field, getattr(realisation, field))
    _clean(target, data, scratch)


@transaction.atomic
def realisation_create(
    *,
    actor,
    scope: Scope,
    target: Target,
    sub_period: Any,
    data: dict[str, Any],
    on: dt.date | None = None,
) -> Realisation:
    """Enter the draft realisation of ``target`` for ``sub_period`` (one per sub-period)."""
    on = on or timezone.localdate()
    if target.instansi_id != scope.instansi_id:
        raise PermissionDenied(_("You may not enter realisations of this target."))
    holder, verifier = target_parties(target, on)
    _require_enter(scope, target, holder)
    sub_period = _check_sub_period(target, sub_period)
    _check_window(target, sub_period, on)
    taken = ValidationError(
        {
            "sub_period": _(
                "This target already has a realisation for %(sub_period)s: change that one."
            )
            % {"sub_period": sub_period}
        }
    )
    if Realisation.objects.filter(target=target, sub_period=sub_period).exists():
        raise taken
    realisation = Realisation(
        instansi_id=target.instansi_id,
        target=target,
        sub_period=sub_period,
        holder_id=holder,
        verifier_id=verifier,
        entered_by=actor if getattr(actor, "pk", None) else None,
    )
    _clean(target, data, realisation)
    try:
        with transaction.atomic():
            realisation.save()
    except IntegrityError:
        raise taken from None
    _audit(
        actor,
        "realisation.create",
        realisation,
        {
            "sub_period": [None, sub_period.pk],
            **diff({}, _snapshot(realisation, REALISATION_FIELDS)),
        },
    )
    return realisation


@transaction.atomic
def realisation_update(
    *,
    actor,
    scope: Scope,
    realisation: Realisation,
    version: Any,
    data: dict[str, Any],
    on: dt.date | None = None,
) -> Realisation:
    """Change a draft or returned realisation."""
    on = on or timezone.localdate()
    _require_enter(scope, realisation.target, realisation.holder_id)
    realisation = _lock(realisation, version)
    _check_editable(realisation)
    _check_window(realisation.target, realisation.sub_period, on)
    before = _snapshot(realisation, REALISATION_FIELDS)
    _clean(realisation.target, data, realisation)
    after = _snapshot(realisation, REALISATION_FIELDS)
    if after == before:
        return realisation
    _bump(realisation, *REALISATION_FIELDS)
    _audit(actor, "realisation.update", realisation, diff(before, after))
    return realisation


def realisation_submit(
    *,
    actor,
    scope: Scope,
    realisation: Realisation,
    version: Any,
    on: dt.date | None = None,
    parties: Parties | None = None,
) -> Realisation:
    """Send a draft to its verifier (submitted) or a returned one back (resubmitted). The
    parties are read again: the verifier is whoever answers above the holder today.

    They are read before the write's transaction (a dozen reads of the organisation, which on
    SQLite would hold the database's one write lock); a caller that opens the transaction
    itself passes them, read with `target_parties` for the same target and day."""
    on = on or timezone.localdate()
    _require_enter(scope, realisation.target, realisation.holder_id)
    if parties is None:
        parties = target_parties(realisation.target, on)
    with transaction.atomic():
        return _submit(actor, realisation, version, on, parties)


def _submit(actor, realisation: Realisation, version: Any, on: dt.date, parties: Parties):
    realisation = _lock(realisation, version)
    _check_editable(realisation)
    _check_window(realisation.target, realisation.sub_period, on)
    before = realisation.status
    now = timezone.now()
    user = actor if getattr(actor, "pk", None) else None
    if before == RealisationStatus.DRAFT:
        realisation.status = RealisationStatus.SUBMITTED
        realisation.submitted_by, realisation.submitted_at = user, now
    else:
        realisation.status = RealisationStatus.RESUBMITTED
        realisation.resubmitted_by, realisation.resubmitted_at = user, now
    holder, verifier = parties
    if holder is not None:
        realisation.holder_id, realisation.verifier_id = holder, verifier
    _bump(
        realisation,
        "status",
        "submitted_by",
        "submitted_at",
        "resubmitted_by",
        "resubmitted_at",
        "holder",
        "verifier",
    )
    _audit(
        actor,
        "realisation.submit" if before == RealisationStatus.DRAFT else "realisation.resubmit",
        realisation,
        {"status": [before, realisation.status]},
    )
    return realisation


@transaction.atomic
def realisation_verify(
    *, actor, scope: Scope, realisation: Realisation, version: Any
) -> Realisation:
    """Verify a submitted or resubmitted realisation."""
    realisation = _lock(realisation, version)
    _require_verify(scope, realisation)
    if realisation.status not in RealisationStatus.awaiting():
        raise ValidationError(
            {
                "status": _("Only a submitted realisation is verified: this one is %(status)s.")
                % {"status": realisation.get_status_display().lower()}
            }
        )
    before = realisation.status
    realisation.status = RealisationStatus.VERIFIED
    realisation.verified_by = actor if getattr(actor, "pk", None) else None
    realisation.verified_at = timezone.now()
    _bump(realisation, "status", "verified_by", "verified_at")
    _audit(actor, "realisation.verify", realisation, {"status": [before, realisation.status]})
    aggregates.refresh_targets([realisation.target_id])
    return realisation


@transaction.atomic
def realisation_return(
    *, actor, scope: Scope, realisation: Realisation, version: Any, comment: str
) -> Realisation:
    """Return a submitted (or a verified) realisation to its holder with a comment: they change
    it and resubmit it."""
    realisation = _lock(realisation, version)
    _require_verify(scope, realisation)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the holder should change.")})
    if realisation.status not in {*RealisationStatus.awaiting(), RealisationStatus.VERIFIED}:
        raise ValidationError(
            {
                "status": _(
                    "Only a submitted or verified realisation is returned: this one is %(status)s."
                )
                % {"status": realisation.get_status_display().lower()}
            }
        )
    before = realisation.status
    realisation.status = RealisationStatus.RETURNED
    realisation.returned_by = actor if getattr(actor, "pk", None) else None
    realisation.returned_at = timezone.now()
    realisation.return_comment = comment[:TEXT_LIMIT]
    realisation.verified_by, realisation.verified_at = None, None
    _bump(
        realisation,
        "status",
        "returned_by",
        "returned_at",
        "return_comment",
        "verified_by",
        "verified_at",
    )
    _audit(
        actor,
        "realisation.return",
        realisation,
        {"status": [before, realisation.status]},
        reason=realisation.return_comment,
    )
    if before == RealisationStatus.VERIFIED:
        aggregates.refresh_targets([realisation.target_id])
    return realisation


# Evidence ----------------------------------------------------------------------------------

EXTENSIONS = {
    "pdf": "pdf",
    "jpg": "jpg",
    "jpeg": "jpg",
    "png": "png",
    "xlsx": "xlsx",
    "docx": "docx",
}


def detect_file_type(head: bytes, whole=None) -> str | None:
    """The type of a file read from its first bytes (and, for an Office file, the names inside
    the zip): ``pdf``, ``jpg``, ``png``, ``xlsx``, ``docx``, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04") and whole is not None:
        try:
            with zipfile.ZipFile(whole) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
    return None


def _label(label: str) -> str:
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Give the evidence a label.")})
    return label[:300]


def _evidence_target(scope: Scope, realisation: Realisation) -> Realisation:
    realisation = Realisation.objects.select_related("target__indicator__unit").get(
        pk=realisation.pk
    )
    _require_enter(scope, realisation.target, realisation.holder_id)
    _check_editable(realisation)
    return realisation


@transaction.atomic
def evidence_add_file(
    *, actor, scope: Scope, realisation: Realisation, upload, label: str = ""
) -> Evidence:
    """Attach a file to a draft or returned realisation: its type is read from its content
    and must match its name's extension; types and size are policy data."""
    realisation = _evidence_target(scope, realisation)
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    rules = evidence_rules(timezone.localdate())
    name = PurePath(getattr(upload, "name", "") or "").name[:255]
    allowed = ", ".join(t.upper() for t in rules.types)
    if upload.size > rules.max_bytes:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": f"{upload.size / 1048576:.1f}",
                    "limit": f"{rules.max_bytes / 1048576:g}",
                }
            }
        )
    content = b"".join(upload.chunks())
    upload.seek(0)
    found = detect_file_type(content[:16], io.BytesIO(content))
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower().lstrip("."))
    if found is None or found not in rules.types or claimed != found:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” is a file of the wrong type: its content is not what its name "
                    "says, or the type is not allowed. Upload a %(allowed)s file."
                )
                % {"name": name, "allowed": allowed}
            }
        )
    evidence = Evidence(
        instansi_id=realisation.instansi_id,
        realisation=realisation,
        kind=EvidenceKind.FILE,
        label=_label(label or name),
        file_name=name,
        file_type=found,
        size=upload.size,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    evidence.file.save(name, upload, save=False)
    evidence.save()
    _audit(
        actor,
        "realisation.evidence_add",
        realisation,
        {"evidence": [None, {"label": evidence.label, "file": name, "size": upload.size}]},
    )
    return evidence


@transaction.atomic
def evidence_add_link(
    *, actor, scope: Scope, realisation: Realisation, url: str, label: str
) -> Evidence:
    """Attach a link (http or https) to a draft or returned realisation."""
    realisation = _evidence_target(scope, realisation)
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {"url": _("Give a link starting with http:// or https://.")}
        ) from None
    if len(url) > 1000 or not urlparse(url).netloc:
        raise ValidationError({"url": _("Give a link starting with http:// or https://.")})
    evidence = Evidence(
        instansi_id=realisation.instansi_id,
        realisation=realisation,
        kind=EvidenceKind.LINK,
        label=_label(label),
        url=url,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    evidence.save()
    _audit(
        actor,
        "realisation.evidence_add",
        realisation,
        {"evidence": [None, {"label": evidence.label, "url": url}]},
    )
    return evidence
