"""Certificates: issue (one, or every eligible participant of an event as a background run),
the reviewer's initial (paraf) on a batch, the signer's signature, revocation.

Who may do what:

- the organiser (``manage_training``: BPSDM, the system administrator) issues, grants an
  exception with a reason, starts the bulk issue, revokes;
- the reviewer is an organiser who is not the batch's signer: their initial comes first;
- the signer is whoever holds, or acts in, the head post of the event's organiser unit on the
  day of signing (the head of BPSDM for BPSDM's events); signing needs the reviewer's initial.
  The passphrase is passed to the signer and forgotten: it is in no row, no audit event, no
  task argument and no log.

Every write is atomic and audited; bad input raises ValidationError and writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record
from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import Employee, Instansi, Position
from kinerja.organisations.selectors import holders_of
from kinerja.performance.document_codes import new_code

from ..certificate_pdf import certificate_facts, certificate_pdf, session_rows
from ..certificate_rules import Eligibility, assess, certificate_number, policy_on
from ..choices import ParticipantStatus, TestKind
from ..models import (
    Assessment,
    Attendance,
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateStatus,
    Event,
    Participant,
    RevocationReason,
    Session,
)
from ..signing import Signer, SigningError, get_signer, signature_facts

logger = logging.getLogger(__name__)

OPEN_BATCH = (BatchStatus.ISSUING, BatchStatus.READY)


# -- reading the rules ---------------------------------------------------------------------


def planned_jp(event: Event) -> Decimal:
    """The event's lesson hours: the sum of its sessions' JP."""
    total = Session.objects.filter(event=event).aggregate(total=Sum("jp"))["total"]
    return total or Decimal(0)


def eligibility(participant: Participant, planned: Decimal | None = None) -> Eligibility:
    event = participant.event
    attended = Attendance.objects.filter(participant=participant).aggregate(total=Sum("jp"))
    taken = Assessment.objects.filter(
        participant=participant, kind=TestKind.POST, knowledge__isnull=False
    ).exists()
    return _assess(
        event, planned if planned is not None else planned_jp(event), attended["total"], taken
    )


def _assess(event: Event, planned, attended, taken: bool) -> Eligibility:
    kind = event.training_type
    return assess(
        planned_jp=planned or Decimal(0),
        attended_jp=attended or Decimal(0),
        min_percent=kind.min_attendance_percent,
        post_test_required=kind.post_test_required,
        post_test_taken=taken,
        percent_decimals=int(policy_on(event.starts_on)["percent_decimals"]),
    )


@dataclass
class Standing:
    """A participant of the event page: the rules' answer and the valid certificate, if any."""

    participant: Participant
    eligibility: Eligibility
    certificate: Certificate | None

    @property
    def reasons(self) -> list[str]:
        return reasons(self.eligibility)


def event_standings(event: Event, participants=None) -> list[Standing]:
    """Every confirmed participant of the event with the rules' answer (four queries)."""
    if participants is None:
        participants = Participant.objects.filter(event=event)
    participants = list(
        participants.filter(status=ParticipantStatus.CONFIRMED).select_related("employee")
    )
    ids = [p.pk for p in participants]
    attended = dict(
        Attendance.objects.filter(participant_id__in=ids)
        .values("participant_id")
        .annotate(total=Sum("jp"))
        .values_list("participant_id", "total")
    )
    taken = set(
        Assessment.objects.filter(
            participant_id__in=ids, kind=TestKind.POST, knowledge__isnull=False
        ).values_list("participant_id", flat=True)
    )
    certificates = {
        c.participant_id: c for c in Certificate.objects.filter(participant_id__in=ids).valid()
    }
    planned = planned_jp(event)
    return [
        Standing(
            p, _assess(event, planned, attended.get(p.pk), p.pk in taken), certificates.get(p.pk)
        )
        for p in participants
    ]


def _number(value: Decimal, places: int) -> str:
    return formats.number_format(value, places)


def _jp(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    places = len(text.split(".")[1]) if "." in text else 0
    return formats.number_format(Decimal(value), places)


def reasons(result: Eligibility) -> list[str]:
    """Why the rules are not met, with the numbers ("Attendance 85.0% of 22 JP, at least
    90%.")."""
    out = []
    if "attendance" in result.failures:
        out.append(
            _("Attendance %(percent)s%% of %(planned)s JP, at least %(minimum)s%%.")
            % {
                "percent": _number(result.percent, result.percent_decimals),
                "planned": _jp(result.planned_jp),
                "minimum": _jp(result.min_percent),
            }
        )
    if "post_test" in result.failures:
        out.append(_("The post-test was not taken."))
    return out


# -- who may do what -----------------------------------------------------------------------


def _require_organiser(scope: Scope, event: Event) -> None:
    if event.instansi_id != scope.instansi_id:
        raise PermissionDenied(_("This event is out of your reach."))
    if not scope.can_anywhere(Action.MANAGE_TRAINING):
        raise PermissionDenied(_("Only the organiser issues and revokes certificates."))


def is_signer(user, event: Event, on=None) -> bool:
    """Whether ``user`` holds or acts in the head post of the event's organiser unit on ``on``."""
    employee_id = getattr(user, "employee_id", None)
    if not employee_id:
        return False
    on = on or timezone.localdate()
    heads = list(
        Position.objects.filter(
            unit_id=event.organiser_unit_id, is_head=True, is_active=True
        ).values_list("pk", flat=True)
    )
    if not heads:
        return False
    # The current post kept on the record (the services maintain it), or a dated holder or
    # acting official of the head post on the day.
    if Employee.objects.filter(pk=employee_id, position_id__in=heads, is_active=True).exists():
        return True
    return any(
        holder.employee.pk == employee_id for head in heads for holder in holders_of(head, on)
    )


def signable_batches(scope: Scope):
    """The instansi's batches awaiting a signature (the signer's page finds its own among
    them)."""
    return CertificateBatch.objects.filter(
        instansi_id=scope.instansi_id, status__in=[BatchStatus.READY, BatchStatus.INITIALLED]
    ).select_related("event")


# -- issuing -------------------------------------------------------------------------------


def _open_batch(event: Event, actor) -> CertificateBatch:
    batch = (
        CertificateBatch.objects.select_for_update()
        .filter(event=event, status=BatchStatus.READY)
        .order_by("-pk")
        .first()
    )
    if batch is None:
        batch = CertificateBatch.objects.create(
            instansi_id=event.instansi_id,
            event=event,
            status=BatchStatus.READY,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
    return batch


def _fresh_code() -> str:
    for _attempt in range(5):
        code = new_code()
        if not Certificate.objects.filter(code=code).exists():
            return code
    raise IntegrityError("no free verification code")  # 2^50 codes: never in practice


@transaction.atomic
def certificate_issue(
    *,
    actor,
    scope: Scope,
    participant: Participant,
    exception_reason: str = "",
    batch: CertificateBatch | None = None,
    request=None,
    planned: Decimal | None = None,
) -> Certificate:
    """Issue the participant's certificate: refused when the rules are not met, unless the
    organiser grants an exception with a reason (audited). The number takes the next of the
    instansi's yearly sequence; the unsigned PDF is rendered and stored."""
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related(
            "event__training_type", "event__organiser_unit", "event__programme", "employee"
        )
        .get(pk=participant.pk)
    )
    event = participant.event
    _require_organiser(scope, event)
    if participant.status != ParticipantStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed participant receives a certificate."))
    if Certificate.objects.filter(participant=participant).valid().exists():
        raise ValidationError(_("This participant already holds a valid certificate."))
    planned = planned if planned is not None else planned_jp(event)
    result = eligibility(participant, planned)
    exception_reason = (exception_reason or "").strip()
    if result.eligible:
        exception_reason = ""
    elif not exception_reason:
        raise ValidationError(
            {
                "exception_reason": reasons(result)
                + [_("Grant an exception with a reason, or do not issue.")]
            }
        )
    policy = policy_on(event.starts_on)
    # The yearly sequence of the instansi: its row is locked, so two issues take two numbers.
    Instansi.objects.select_for_update().filter(pk=event.instansi_id).first()
    year = event.ends_on.year
    last = Certificate.objects.filter(instansi_id=event.instansi_id, year=year).aggregate(
        last=Max("sequence")
    )["last"]
    sequence = (last or 0) + 1
    now = timezone.now()
    if batch is None:
        batch = _open_batch(event, actor)
    certificate = Certificate(
        instansi_id=event.instansi_id,
        participant=participant,
        event=event,
        employee=participant.employee,
        unit_id=participant.unit_id,
        batch=batch,
        year=year,
        sequence=sequence,
        number=certificate_number(
            policy=policy, organiser=event.organiser_unit.code, year=year, sequence=sequence
        ),
        code=_fresh_code(),
        jp_total=result.attended_jp,
        jp_planned=result.planned_jp,
        issued_at=now,
        issued_by=actor if getattr(actor, "pk", None) else None,
        exception_reason=exception_reason,
        status=CertificateStatus.ISSUED,
    )
    certificate.facts = certificate_facts(
        participant=participant,
        event=event,
        jp_total=result.attended_jp,
        jp_planned=result.planned_jp,
        sessions=_sessions_of(event),
        issued_on=timezone.localdate(now),
    )
    certificate.pdf.save(
        f"{certificate.number.replace('/', '-')}.pdf",
        ContentFile(certificate_pdf(certificate, request)),
        save=False,
    )
    certificate.save()
    changes = {
        "number": [None, certificate.number],
        "participant": [None, participant.pk],
        "jp_total": [None, str(result.attended_jp)],
        "jp_planned": [None, str(result.planned_jp)],
        "eligible": [None, result.eligible],
    }
    if exception_reason:
        changes["exception_reason"] = [None, exception_reason]
    record(
        actor=actor,
        action="training.certificate.issue",
        target=certificate,
        changes=changes,
        reason=exception_reason,
    )
    return certificate


# One event's sessions as the back page lists them, read once per bulk run.
_SESSIONS: dict[int, list] = {}


def _sessions_of(event: Event) -> list:
    cached = _SESSIONS.get(event.pk)
    return cached if cached is not None else session_rows(event)


@transaction.atomic
def certificate_batch_start(
    *, actor, scope: Scope, event: Event, background: bool = True
) -> CertificateBatch:
    """Start issuing the certificates of every eligible participant of the event without one,
    as a background run (``tasks.issue_certificates``); the batch shows its progress. With
    ``background=False`` the caller runs it (`certificate_batch_run`, the terminal command)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_organiser(scope, event)
    if CertificateBatch.objects.filter(event=event, status=BatchStatus.ISSUING).exists():
        raise ValidationError(_("Certificates of this event are being issued already."))
    todo = [s for s in event_standings(event) if s.certificate is None and s.eligibility.eligible]
    if not todo:
        raise ValidationError(_("No eligible participant is waiting for a certificate."))
    batch = CertificateBatch.objects.create(
        instansi_id=event.instansi_id,
        event=event,
        status=BatchStatus.ISSUING,
        total=len(todo),
        created_by=actor,
    )
    record(
        actor=actor,
        action="training.certificate_batch.start",
        target=batch,
        unit=event.organiser_unit,
        changes={"event": [None, event.pk], "total": [None, len(todo)]},
    )
    if background:
        from ..tasks import issue_certificates

        transaction.on_commit(lambda: issue_certificates.enqueue(batch.pk))
    return batch


def certificate_batch_run(
    batch_id: int, progress: Callable[[int, int], None] | None = None
) -> CertificateBatch:
    """Issue the batch's certificates, one transaction each, counting progress on the batch.
    Runs in the background task (and in ``manage.py issue_certificates``). Participants who
    lost their eligibility or got a certificate since the start are passed over."""
    from kinerja.accounts.scope import scope_for

    batch = CertificateBatch.objects.select_related("event", "created_by").get(pk=batch_id)
    if batch.status != BatchStatus.ISSUING:
        return batch
    actor = batch.created_by
    if actor is not None:
        scope = scope_for(actor)
    else:  # started by the system (the demo): the organiser's reach over the instansi
        scope = Scope(instansi_id=batch.instansi_id, grants=(Grant(actions=Action.ALL),))
    event = batch.event
    try:
        _SESSIONS[event.pk] = session_rows(event)
        standings = [
            s for s in event_standings(event) if s.certificate is None and s.eligibility.eligible
        ]
        planned = planned_jp(event)
        done = 0
        for standing in standings:
            try:
                certificate_issue(
                    actor=actor,
                    scope=scope,
                    participant=standing.participant,
                    batch=batch,
                    planned=planned,
                )
            except ValidationError as exc:
                logger.info(
                    "certificate of participant %s passed over: %s", standing.participant.pk, exc
                )
            done += 1
            CertificateBatch.objects.filter(pk=batch.pk).update(done=done)
            if progress is not None:
                progress(done, len(standings))
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.READY, done=done, total=max(batch.total, done)
        )
    except Exception as exc:  # the run stops; what was issued stays issued, each whole
        logger.exception("certificate batch %s failed", batch.pk)
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, error=str(exc)[:1000]
        )
    finally:
        _SESSIONS.pop(event.pk, None)
    batch.refresh_from_db()
    return batch


# -- initial and signature ---------------------------------------------------------------


@transaction.atomic
def certificate_batch_initial(*, actor, scope: Scope, batch: CertificateBatch) -> CertificateBatch:
    """The reviewer's initial (paraf): an organiser who is not the batch's signer."""
    batch = CertificateBatch.objects.select_for_update().select_related("event").get(pk=batch.pk)
    _require_organiser(scope, batch.event)
    policy = policy_on(batch.event.starts_on)
    if not policy["reviewer_may_sign"] and is_signer(actor, batch.event):
        raise PermissionDenied(
            _("The signer cannot also initial the batch: another organiser reviews it.")
        )
    if batch.status != BatchStatus.READY:
        raise ValidationError(_("Only a batch awaiting its initial can be initialled."))
    certificates = batch.certificates.filter(status=CertificateStatus.ISSUED)
    if not certificates.exists():
        raise ValidationError(_("The batch holds no certificate to initial."))
    now = timezone.now()
    count = certificates.update(status=CertificateStatus.INITIALLED, updated_at=now)
    batch.status = BatchStatus.INITIALLED
    batch.initialled_by = actor
    batch.initialled_at = now
    batch.save(update_fields=["status", "initialled_by", "initialled_at", "updated_at"])
    record(
        actor=actor,
        action="training.certificate_batch.initial",
        target=batch,
        unit=batch.event.organiser_unit,
        changes={
            "status": [BatchStatus.READY, BatchStatus.INITIALLED],
            "certificates": [None, count],
        },
    )
    return batch


@transaction.atomic
def certificate_batch_sign(
    *,
    actor,
    scope: Scope,
    batch: CertificateBatch,
    passphrase: str,
    signer_nik: str = "",
    signer: Signer | None = None,
) -> CertificateBatch:
    """The signer signs every initialled certificate of the batch with the passphrase they
    typed. Refused without the reviewer's initial. All or nothing: a refusal by the signing
    service signs none. The passphrase is not kept anywhere."""
    batch = (
        CertificateBatch.objects.select_for_update()
        .select_related("event__organiser_unit")
        .get(pk=batch.pk)
    )
    event = batch.event
    if batch.instansi_id != scope.instansi_id or not is_signer(actor, event):
        raise PermissionDenied(
            _("Only the head of the organiser unit (or its acting head) signs its certificates.")
        )
    if batch.status in OPEN_BATCH:
        raise ValidationError(
            _("The reviewer has not initialled this batch yet: it cannot be signed.")
        )
    if batch.status != BatchStatus.INITIALLED:
        raise ValidationError(_("This batch is not awaiting a signature."))
    if not passphrase:
        raise ValidationError({"passphrase": _("Type the signing passphrase.")})
    signer = signer or get_signer()
    employee = actor.employee
    certificates = list(
        batch.certificates.filter(status=CertificateStatus.INITIALLED).order_by("sequence")
    )
    now = timezone.now()
    signed_ids = []
    for certificate in certificates:
        content = certificate.pdf.read() if certificate.pdf else certificate_pdf(certificate)
        if certificate.pdf:
            certificate.pdf.close()
        try:
            signed = signer.sign(
                content,
                passphrase=passphrase,
                reason=f"Sertifikat {certificate.number}",
                signer_id=signer_nik or str(actor.pk),
                signer_name=employee.display_name,
                location=certificate.facts.get("place", ""),
            )
        except SigningError as exc:
            raise ValidationError({"passphrase": str(exc)}) from None
        facts = signature_facts(signed, signer.backend)
        certificate.signed_pdf.save(
            f"{certificate.number.replace('/', '-')}-signed.pdf", ContentFile(signed), save=False
        )
        certificate.status = CertificateStatus.SIGNED
        certificate.signer_name = employee.display_name[:250]
        certificate.signed_at = now
        certificate.signature_subject = facts.subject
        certificate.signature_serial = facts.serial
        certificate.signature_backend = facts.backend
        certificate.version += 1
        certificate.save()
        signed_ids.append(certificate.pk)
    batch.status = BatchStatus.SIGNED
    batch.signed_by = actor
    batch.signed_at = now
    batch.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
    record(
        actor=actor,
        action="training.certificate_batch.sign",
        target=batch,
        unit=event.organiser_unit,
        changes={
            "status": [BatchStatus.INITIALLED, BatchStatus.SIGNED],
            "certificates": [None, signed_ids],
            "signer": [None, signer.backend],
        },
    )
    return batch


# -- revocation ----------------------------------------------------------------------------


@transaction.atomic
def certificate_revoke(
    *, actor, scope: Scope, certificate: Certificate, category: str, note: str
) -> Certificate:
    """Revoke with a reason (a category the public page shows, and a note it does not). The
    PDFs stay as they were; the public page answers "revoked" with the date."""
    certificate = (
        Certificate.objects.select_for_update().select_related("event").get(pk=certificate.pk)
    )
    _require_organiser(scope, certificate.event)
    errors = {}
    if category not in RevocationReason.values:
        errors["category"] = _("Choose the reason for the revocation.")
    if not (note or "").strip():
        errors["note"] = _("Say why the certificate is revoked.")
    if certificate.status == CertificateStatus.REVOKED:
        errors["status"] = _("This certificate is revoked already.")
    if errors:
        raise ValidationError(errors)
    before = certificate.status
    certificate.was_signed = before == CertificateStatus.SIGNED
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_category = category
    certificate.revocation_note = note.strip()
    certificate.version += 1
    certificate.save()
    record(
        actor=actor,
        action="training.certificate.revoke",
        target=certificate,
        changes={"status": [before, CertificateStatus.REVOKED], "category": [None, category]},
        reason=note.strip(),
    )
    return certificate


def find_by_code(code: str) -> Certificate | None:
    from kinerja.performance.document_codes import normalise

    normal = normalise(code)
    if normal is None:
        return None
    return Certificate.objects.filter(code=normal).select_related("event").first()


__all__ = [
    "certificate_batch_initial",
    "certificate_batch_run",
    "certificate_batch_sign",
    "certificate_batch_start",
    "certificate_issue",
    "certificate_revoke",
    "event_standings",
    "is_signer",
    "reasons",
]
