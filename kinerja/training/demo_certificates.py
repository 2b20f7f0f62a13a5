"""The demo's certificates of the 2023 refreshment: every eligible participant's certificate
issued in one batch, one exception granted with a reason, the batch initialled by BPSDM and
signed by the organiser unit's head with the local signer, and one certificate revoked.

The demo signer's passphrase is ``DEMO_PASSPHRASE`` (documented in docs/training-certificates.md
and printed by load_demo); the head of the organiser unit gets the demo account
``kepala.bpsdm`` (the demo password) so that the signing page can be tried."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from kinerja.core.scope import Action, Grant, Scope
from kinerja.organisations.models import Employee, Position

from .models import BatchStatus, Certificate, CertificateBatch, Event
from .services import certificates as svc
from .signing import LocalSigner

EVENT_TITLE = "Refreshment Manajemen Pemerintah Tahun 2023"
DEMO_PASSPHRASE = "Sertifikat-Demo-2023"  # noqa: S105 - the demo's test signer, documented
SIGNER_USERNAME = "kepala.bpsdm"
EXCEPTION_REASON = (
    "Mendampingi Gubernur dalam kunjungan kerja pada hari ketiga (nota dinas Sekretaris "
    "Daerah); materi hari ketiga dipelajari dari rekaman dan bahan tayang."
)
REVOCATION_NOTE = "Rekap daftar hadir sesi 9 dan 10 dikoreksi setelah verifikasi panitia."


def _signer_user(event: Event):
    """The demo account of the organiser unit's head (created when missing)."""
    User = get_user_model()
    head = Position.objects.filter(unit=event.organiser_unit, is_head=True, is_active=True).first()
    employee = Employee.objects.filter(position=head, is_active=True).first() if head else None
    if employee is None:
        return None
    user = User.objects.filter(employee=employee).first()
    if user is None:
        from kinerja.accounts.demo import DEMO_PASSWORD

        user = User.objects.filter(username=SIGNER_USERNAME).first() or User(
            username=SIGNER_USERNAME, instansi=event.instansi
        )
        user.employee = employee
        user.first_name = employee.name[:150]
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def demo_certificates(event: Event, *, key_dir=None, notes: list | None = None) -> str:
    if Certificate.objects.filter(event=event).exists():
        return _("certificates kept")
    User = get_user_model()
    organiser = (
        User.objects.filter(instansi=event.instansi, username="bpsdm").first()
        or User.objects.filter(instansi=event.instansi, username="admin").first()
    )
    scope = Scope(instansi_id=event.instansi_id, grants=(Grant(actions=Action.ALL),))
    standings = svc.event_standings(event)
    eligible = [s for s in standings if s.eligibility.eligible]
    if eligible:
        batch = svc.certificate_batch_start(
            actor=organiser, scope=scope, event=event, background=False
        )
        svc.certificate_batch_run(batch.pk)
    exceptions = [s for s in standings if not s.eligibility.eligible][:1]
    for standing in exceptions:
        svc.certificate_issue(
            actor=organiser,
            scope=scope,
            participant=standing.participant,
            exception_reason=EXCEPTION_REASON,
        )
    signer = _signer_user(event)
    local = LocalSigner(key_dir)
    for batch in CertificateBatch.objects.filter(event=event, status=BatchStatus.READY):
        svc.certificate_batch_initial(actor=organiser, scope=scope, batch=batch)
        if signer is not None:
            svc.certificate_batch_sign(
                actor=signer,
                scope=scope,
                batch=batch,
                passphrase=DEMO_PASSPHRASE,
                signer=local,
            )
    revoked = (
        Certificate.objects.filter(event=event, exception_reason="").order_by("-sequence").first()
    )
    if revoked is not None and len(eligible) > 1:
        svc.certificate_revoke(
            actor=organiser,
            scope=scope,
            certificate=revoked,
            category="attendance",
            note=REVOCATION_NOTE,
        )
    if notes is not None and signer is not None:
        notes.append(
            _("Certificates: the signer %(user)s signs with the passphrase %(passphrase)s")
            % {"user": signer.username, "passphrase": DEMO_PASSPHRASE}
        )
    count = Certificate.objects.filter(event=event).count()
    return _("%(n)d certificates (%(signed)d signed, %(exceptions)d by exception)") % {
        "n": count,
        "signed": Certificate.objects.filter(event=event, signed_at__isnull=False).count(),
        "exceptions": len(exceptions),
    }


def demo_certificates_run(ctx) -> str:
    event = Event.objects.filter(instansi=ctx.instansi, title=EVENT_TITLE).first()
    if event is None:
        return _("no 2023 refreshment event: no certificates")
    return demo_certificates(event, notes=ctx.notes)


def demo_certificates_wipe(ctx) -> str:
    """Remove the instansi's certificates and batches (their audit events and the signer's
    test key stay)."""
    count = Certificate.objects.filter(instansi=ctx.instansi).delete()[0]
    CertificateBatch.objects.filter(instansi=ctx.instansi).delete()
    return _("removed %(n)d certificates") % {"n": count}
