"""Attendance writes: badge scans (one or a queued batch, idempotent by the scan's UUID), self
check-in with the rotating room code, corrections by hand; and the reads they share (the
participant behind a badge code, the totals in JP).

Who:
- scans badges and corrects: the organiser (``manage_training`` across the instansi: BPSDM, the
  system administrator);
- checks in with the room code: only the participant, signed in with their own account, on a
  confirmed enrolment in the session's event.

A session's attendance is recomputed from every scan kept (`attendance_rules.merge`, then
`attendance_rules.credit`), unless the organiser corrected it by hand: a correction stands, and
later scans are kept without changing it. Each write is atomic and audited; bad input raises
a ValidationError and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from kinerja.audit.services import diff, record
from kinerja.core.scope import Scope

from .. import attendance_rules as rules
from ..choices import AttendanceStatus, ParticipantStatus
from ..models import (
    Attendance,
    AttendanceScan,
    Event,
    Participant,
    ScanDirection,
    ScanMethod,
    ScanOutcome,
    Session,
)
from ..querysets import organises  # noqa: F401 - the API reads it here

BADGE_SALT = "kinerja.training.badge"
ROOM_SALT = "kinerja.training.room-code"
FIELDS = ("status", "checked_in_at", "checked_out_at", "minutes_present", "jp")
REFUSED, DUPLICATE = "refused", "duplicate"


def _now() -> dt.datetime:
    """The present moment (a seam for the window tests)."""
    return timezone.now()


def policy_for(session: Session) -> rules.AttendancePolicy:
    return rules.policy_on(timezone.localdate(session.starts_at))


def _require_organiser(scope: Scope, instansi_id: int) -> None:
    if scope.instansi_id != instansi_id or not organises(scope):
        raise PermissionDenied(_("Only the organiser may do this."))


# Reads ----------------------------------------------------------------------------------------


def attendance_for(scope: Scope):
    """The attendance rows of the enrolments the caller may read (as the enrolments)."""
    return Attendance.objects.filter(participant__in=Participant.objects.within(scope))


def totals_for(event: Event, participants) -> list[dict[str, Any]]:
    """Per participant (``participants``, already scoped): JP attended, JP planned (every
    session of the event) and the percent, rounded down to 0.01."""
    planned = list(Session.objects.filter(event=event).values_list("jp", flat=True))
    attended = dict(
        Attendance.objects.filter(session__event=event, participant__in=participants)
        .values("participant_id")
        .annotate(total=Sum("jp"))
        .values_list("participant_id", "total")
    )
    rows = []
    for participant in participants.select_related("employee"):
        found = rules.totals(planned, [attended.get(participant.pk) or Decimal("0")])
        rows.append(
            {
                "participant": participant,
                "attended": found.attended,
                "planned": found.planned,
                "percent": found.percent,
            }
        )
    return rows


# Badge codes ----------------------------------------------------------------------------------


def badge_code(participant: Participant) -> str:
    """The participant's personal code: the event and the enrolment, signed (salted HMAC with
    the secret key). It never expires; it names its event, so another event refuses it."""
    return signing.Signer(salt=BADGE_SALT).sign(f"{participant.event_id}.{participant.pk}")


def participant_of_code(code: str, event: Event) -> Participant:
    """The confirmed participant a badge code names, for ``event``; a forged code, another
    event's or a withdrawn enrolment is refused."""
    try:
        value = signing.Signer(salt=BADGE_SALT).unsign((code or "").strip())
        event_id, participant_id = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        raise ValidationError({"code": _("This code is not a valid badge.")}) from None
    if event_id != event.pk:
        raise ValidationError({"code": _("This badge is for another event.")})
    participant = Participant.objects.filter(
        pk=participant_id, event=event, status=ParticipantStatus.CONFIRMED
    ).first()
    if participant is None:
        raise ValidationError({"code": _("This participant is not confirmed for the event.")})
    return participant


# Recomputing ----------------------------------------------------------------------------------


def _snapshot(att: Attendance) -> dict[str, Any]:
    return {name: getattr(att, name) for name in FIELDS}


def recompute(participant: Participant, session: Session) -> Attendance:
    """The participant's attendance of the session from every scan kept (unless corrected)."""
    att, _created = Attendance.objects.select_for_update().get_or_create(
        participant=participant,
        session=session,
        defaults={"instansi_id": participant.instansi_id},
    )
    if att.corrected_by_id is not None or att.correction_reason:
        return att
    scans = AttendanceScan.objects.filter(participant=participant, session=session)
    check_in, check_out = rules.merge(scans.values_list("direction", "scanned_at"))
    found = rules.credit(
        start=session.starts_at,
        end=session.ends_at,
        session_jp=session.jp,
        check_in=check_in,
        check_out=check_out,
        policy=policy_for(session),
    )
    values = {
        "checked_in_at": check_in,
        "checked_out_at": check_out,
        "minutes_present": found.minutes,
        "status": found.status,
        "jp": found.jp,
    }
    if any(getattr(att, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(att, k, v)
        att.version += 1
        att.save()
    return att


# Scans ----------------------------------------------------------------------------------------


def _parse_uuid(value: Any) -> uuidlib.UUID:
    try:
        return uuidlib.UUID(str(value))
    except (TypeError, ValueError):
        raise ValidationError({"uuid": _("The scan id is not a UUID.")}) from None


@transaction.atomic
def scan_record(
    *,
    actor,
    scope: Scope,
    session: Session,
    code: str,
    direction: str,
    scan_uuid: Any,
    scanned_at: dt.datetime | None = None,
    device: str = "",
    method: str = ScanMethod.TYPED,
) -> tuple[AttendanceScan, bool]:
    """Keep one badge scan by the organiser and recompute the attendance. Returns the scan and
    whether it is new: a scan whose UUID is already kept is answered with the kept one and
    changes nothing (an offline queue sent twice)."""
    _require_organiser(scope, session.instansi_id)
    scan_uuid = _parse_uuid(scan_uuid)
    kept = AttendanceScan.objects.filter(uuid=scan_uuid).first()
    if kept is not None:
        if kept.session_id != session.pk or kept.direction != direction:
            raise ValidationError({"uuid": _("This scan id was already used for another scan.")})
        return kept, False
    if direction not in ScanDirection.values:
        raise ValidationError({"direction": _("Choose check-in or check-out.")})
    if method not in (ScanMethod.CAMERA, ScanMethod.TYPED):
        method = ScanMethod.TYPED
    participant = participant_of_code(code, session.event)
    policy = policy_for(session)
    received_at = _now()
    scanned_at = scanned_at or received_at
    if timezone.is_naive(scanned_at):
        raise ValidationError({"scanned_at": _("The scan time needs its time zone.")})
    if not rules.device_time_ok(scanned_at, received_at, policy):
        raise ValidationError({"scanned_at": _("The device's clock is ahead of the server's.")})
    if not rules.in_window(scanned_at, session.starts_at, session.ends_at, policy):
        raise ValidationError({"scanned_at": _("The scan is outside the session's window.")})
    try:
        with transaction.atomic():
            scan = _keep(
                actor=actor,
                participant=participant,
                session=session,
                direction=direction,
                method=method,
                scanned_at=scanned_at,
                received_at=received_at,
                device=(device or "")[:64],
                scan_uuid=scan_uuid,
            )
    except IntegrityError:  # the same scan sent at the same moment by another request
        return AttendanceScan.objects.get(uuid=scan_uuid), False
    return scan, True


def _keep(*, actor, participant, session, direction, method, scanned_at, received_at, device,
          scan_uuid, room_step=None) -> AttendanceScan:  # fmt: skip
    before = Attendance.objects.filter(participant=participant, session=session).first()
    before_values = _snapshot(before if before is not None else Attendance())
    scan = AttendanceScan.objects.create(
        instansi_id=session.instansi_id,
        uuid=scan_uuid,
        participant=participant,
        session=session,
        direction=direction,
        method=method,
        scanned_at=scanned_at,
        received_at=received_at,
        device=device,
        actor=actor if getattr(actor, "pk", None) else None,
        room_step=room_step,
    )
    att = recompute(participant, session)
    changes = diff(before_values, _snapshot(att))
    if not changes:
        scan.outcome = ScanOutcome.IGNORED
        scan.save(update_fields=["outcome"])
    record(
        actor=actor,
        action="training.attendance_scan",
        target=att,
        unit=participant.unit,
        changes={
            "scan": str(scan.uuid),
            "direction": direction,
            "method": method,
            "scanned_at": scanned_at,
            "device": device,
            **changes,
        },
    )
    return scan


def scans_record_batch(*, actor, scope: Scope, items: list[dict[str, Any]]) -> list[dict]:
    """A queue of scans (as sent by an offline device): each kept or refused on its own, in
    its own savepoint; the answer names each scan's UUID and outcome (``counted``, ``ignored``,
    ``duplicate`` or ``refused`` with the reason)."""
    if scope.instansi_id is None or not organises(scope):
        raise PermissionDenied(_("Only the organiser may do this."))
    answers = []
    for item in items:
        answer: dict[str, Any] = {"uuid": str(item.get("uuid", ""))}
        try:
            session = item.get("session")
            if not isinstance(session, Session):
                raise ValidationError({"session": _("No such session.")})
            scan, created = scan_record(
                actor=actor,
                scope=scope,
                session=session,
                code=item.get("code", ""),
                direction=item.get("direction", ""),
                scan_uuid=item.get("uuid"),
                scanned_at=item.get("scanned_at"),
                device=item.get("device", ""),
                method=item.get("method", ScanMethod.TYPED),
            )
        except ValidationError as error:
            answer.update(outcome=REFUSED, message=" ".join(error.messages))
        else:
            answer.update(
                outcome=scan.outcome if created else DUPLICATE,
                participant=scan.participant_id,
                message="",
            )
        answers.append(answer)
    return answers


# The rotating room code -----------------------------------------------------------------------


def _room_key() -> bytes:
    return salted_hmac(ROOM_SALT, "room-code").digest()


def room_code_now(session: Session, moment: dt.datetime | None = None) -> dict[str, Any]:
    """The code the room's screen shows now, and the seconds until it changes."""
    policy = policy_for(session)
    moment = moment or _now()
    step = rules.room_step(moment, policy)
    left = policy.room_step_seconds - int(moment.timestamp()) % policy.room_step_seconds
    return {
        "code": rules.room_code(_room_key(), session.pk, step, policy),
        "step": step,
        "seconds_left": left,
        "step_seconds": policy.room_step_seconds,
    }


def _failures_key(participant: Participant, session: Session) -> str:
    return f"training:room-failures:{participant.pk}:{session.pk}"


def participant_in(scope: Scope, event: Event) -> Participant | None:
    """The caller's own confirmed enrolment in the event, if any."""
    if scope.employee_id is None or scope.instansi_id != event.instansi_id:
        return None
    return Participant.objects.filter(
        event=event, employee_id=scope.employee_id, status=ParticipantStatus.CONFIRMED
    ).first()


def room_check_in(*, actor, scope: Scope, session: Session, code: str, direction: str):
    """A participant's own check-in (or check-out) with the code on the room's screen. Refused:
    not a confirmed participant (PermissionDenied); outside the window; a wrong code (forged)
    or one older than the accepted steps (expired); a code this participant already used
    (each code once per participant, whatever the direction); more wrong codes than the
    policy allows in its minutes."""
    participant = participant_in(scope, session.event)
    if participant is None:
        raise PermissionDenied(_("Only a confirmed participant of the event may check in."))
    policy = policy_for(session)
    key = _failures_key(participant, session)
    if (cache.get(key) or 0) >= policy.room_failures_allowed:
        raise ValidationError(
            {"code": _("Too many wrong codes. Ask the organiser to scan your badge.")}
        )
    try:
        return _room_check_in(actor, participant, session, code, direction, policy)
    except ValidationError as error:
        if getattr(error, "code", None) == "wrong_code":
            cache.set(key, (cache.get(key) or 0) + 1, timeout=policy.room_failure_minutes * 60)
        raise


@transaction.atomic
def _room_check_in(actor, participant, session, code, direction, policy) -> AttendanceScan:
    if direction not in ScanDirection.values:
        raise ValidationError({"direction": _("Choose check-in or check-out.")})
    now = _now()
    if not rules.in_window(now, session.starts_at, session.ends_at, policy):
        raise ValidationError(_("The session's check-in is not open now."))
    step = rules.room_code_step(_room_key(), session.pk, code, now, policy)
    if step is None:
        raise ValidationError(
            _("The code is wrong or has expired. Type the code the screen shows now."),
            code="wrong_code",
        )
    if AttendanceScan.objects.filter(
        participant=participant, session=session, room_step=step
    ).exists():
        raise ValidationError(_("You already used this code. Wait for the next one."))
    try:
        with transaction.atomic():
            return _keep(
                actor=actor,
                participant=participant,
                session=session,
                direction=direction,
                method=ScanMethod.ROOM_CODE,
                scanned_at=now,
                received_at=now,
                device="",
                scan_uuid=uuidlib.uuid4(),
                room_step=step,
            )
    except IntegrityError:  # the same code sent twice at the same moment
        raise ValidationError(_("You already used this code. Wait for the next one.")) from None


# Corrections ----------------------------------------------------------------------------------


@transaction.atomic
def attendance_correct(
    *,
    actor,
    scope: Scope,
    participant: Participant,
    session: Session,
    status: str,
    checked_in_at: dt.datetime | None,
    checked_out_at: dt.datetime | None,
    reason: str,
) -> Attendance:
    """Set an attendance by hand, with a reason: the JP follow from the times (present, late,
    left early) or are 0 (excused, sick, absent). Later scans no longer change it."""
    _require_organiser(scope, session.instansi_id)
    if participant.event_id != session.event_id:
        raise ValidationError(_("The participant is not enrolled in this session's event."))
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason for the correction.")
    if status not in AttendanceStatus.values:
        errors["status"] = _("Choose a status.")
    credited = status not in rules.NO_CREDIT
    if credited and checked_in_at is None:
        errors["checked_in_at"] = _("Give the check-in time.")
    if checked_in_at and checked_out_at and checked_out_at <= checked_in_at:
        errors["checked_out_at"] = _("The check-out must be later than the check-in.")
    if errors:
        raise ValidationError(errors)
    if not credited:
        checked_in_at = checked_out_at = None
    att, _created = Attendance.objects.select_for_update().get_or_create(
        participant=participant, session=session, defaults={"instansi_id": session.instansi_id}
    )
    found = rules.credit(
        start=session.starts_at,
        end=session.ends_at,
        session_jp=session.jp,
        check_in=checked_in_at,
        check_out=checked_out_at,
        policy=policy_for(session),
        status=status,
    )
    before = _snapshot(att)
    att.status = status
    att.checked_in_at = checked_in_at
    att.checked_out_at = checked_out_at
    att.minutes_present = found.minutes
    att.jp = found.jp
    att.corrected_by = actor
    att.correction_reason = reason
    att.version += 1
    att.save()
    record(
        actor=actor,
        action="training.attendance_correct",
        target=att,
        unit=participant.unit,
        changes=diff(before, _snapshot(att)),
        reason=reason,
    )
    return att


def attendance_grid(session: Session, participants) -> list[Attendance]:
    """One attendance per participant of the session (unsaved rows for those never scanned)."""
    found = {
        a.participant_id: a
        for a in Attendance.objects.filter(session=session, participant__in=participants)
    }
    return [
        found.get(p.pk) or Attendance(participant=p, session=session, instansi_id=p.instansi_id)
        for p in participants.select_related("employee")
    ]
