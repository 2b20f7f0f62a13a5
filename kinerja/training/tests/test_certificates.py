"""Certificates: the rules with their numbers, issue with and without an exception, the bulk
run, the reviewer's initial before the signature, PAdES signatures that validate (and fail when
tampered), the national CA adapter against a fake service, revocation and the public check."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.training.certificate_rules import assess, certificate_number, policy_on
from kinerja.training.choices import AttendanceStatus
from kinerja.training.choices import TestKind as Kind
from kinerja.training.models import (
    Assessment,
    Attendance,
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateStatus,
)
from kinerja.training.services import certificates as svc
from kinerja.training.signing import LocalSigner, NationalCaSigner, SigningError
from kinerja.training.tests.factories import EventFactory, ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Service messages in English unless a test asks for Indonesian (the default language)."""
    with translation.override("en"):
        yield


PASSPHRASE = "Kopi-Tubruk-2023"
D = Decimal

# -- the rules, pure -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attended", "eligible", "shown"),
    [
        ("19.8", True, "90.0"),
        ("19.79", False, "89.9"),
        ("22", True, "100.0"),
        ("18.7", False, "85.0"),
    ],
)
def test_ninety_percent_of_22_jp_is_19_8(attended, eligible, shown):
    result = assess(
        planned_jp=D("22"),
        attended_jp=D(attended),
        min_percent=D("90"),
        post_test_required=True,
        post_test_taken=True,
    )
    assert result.eligible is eligible
    assert str(result.percent) == shown  # cut, never rounded up to the minimum


def test_the_post_test_is_needed_only_where_the_type_asks():
    base = {"planned_jp": D(22), "attended_jp": D(22), "min_percent": D(90)}
    assert assess(**base, post_test_required=True, post_test_taken=False).failures == ("post_test",)
    assert assess(**base, post_test_required=False, post_test_taken=False).eligible


def test_an_event_without_lesson_hours_gives_no_certificate():
    result = assess(
        planned_jp=D(0),
        attended_jp=D(0),
        min_percent=D(90),
        post_test_required=False,
        post_test_taken=False,
    )
    assert result.failures == ("attendance",)


def test_the_number_follows_the_policy():
    policy = policy_on(dt.date(2023, 1, 11))
    assert certificate_number(policy=policy, organiser="bpsdm", year=2023, sequence=1) == (
        "STTPP/BPSDM/2023/0001"
    )
    assert certificate_number(policy=policy, organiser="Biro-Org", year=2023, sequence=12) == (
        "STTPP/BIROORG/2023/0012"
    )


# -- an event of 11 sessions of 2 JP (22 JP) -------------------------------------------------


@pytest.fixture
def signer_dir(tmp_path, settings):
    settings.KINERJA_CERTIFICATE_KEY_DIR = str(tmp_path / "signing")
    settings.KINERJA_CERTIFICATE_SIGNER = "local"
    return tmp_path / "signing"


@pytest.fixture
def event(world):
    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a)
    for i in range(11):
        start = dt.datetime(2023, 1, 11 + i // 4, 8, 0, tzinfo=dt.UTC) + dt.timedelta(
            hours=2 * (i % 4)
        )
        SessionFactory(
            event=event,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=90),
            published=i < 4,
            title=f"Sesi {i + 1}",
        )
    return event


def attend(participant, total: str, post_test: bool = True):
    """Attendance summing to ``total`` JP over the event's sessions (2 JP each, the rest on
    the last), and a post-test score."""
    left = D(total)
    for session in participant.event.sessions.order_by("starts_at"):
        jp = min(D(2), left)
        left -= jp
        Attendance.objects.create(
            instansi=participant.instansi,
            participant=participant,
            session=session,
            status=AttendanceStatus.PRESENT if jp == 2 else AttendanceStatus.LEFT_EARLY,
            jp=jp,
        )
    if post_test:
        Assessment.objects.create(
            instansi=participant.instansi,
            participant=participant,
            kind=Kind.POST,
            knowledge=D("80"),
        )


def organiser(world):
    user = world.users["bpsdm"]
    return {"actor": user, "scope": scope_for(user)}


def test_issue_meets_the_rule_at_19_8_and_refuses_19_79_with_the_numbers(world, event, signer_dir):
    ok = ParticipantFactory(event=event, employee=world.staff_a)
    short = ParticipantFactory(event=event, employee=world.staff_b)
    attend(ok, "19.8")
    attend(short, "19.79")
    certificate = svc.certificate_issue(**organiser(world), participant=ok)
    assert certificate.number == f"STTPP/{world.agency_a.code}/2023/0001"
    assert (certificate.jp_total, certificate.jp_planned) == (D("19.8"), D("22"))
    assert certificate.facts["jp_total"] == "19,8" and len(certificate.code) == 10
    assert certificate.pdf.read().startswith(b"%PDF")
    before = Certificate.objects.count(), AuditEvent.objects.count()
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        svc.certificate_issue(**organiser(world), participant=short)
    assert "Kehadiran 89,9% dari 22 JP, minimal 90%." in refused.value.messages
    assert (Certificate.objects.count(), AuditEvent.objects.count()) == before


def test_the_refusal_names_85_percent(world, event, signer_dir):
    part = ParticipantFactory(event=event, employee=world.staff_a)
    attend(part, "18.7")
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        svc.certificate_issue(**organiser(world), participant=part)
    assert refused.value.messages[0] == "Kehadiran 85,0% dari 22 JP, minimal 90%."


def test_no_post_test_no_certificate(world, event, signer_dir):
    part = ParticipantFactory(event=event, employee=world.staff_a)
    attend(part, "22", post_test=False)
    with pytest.raises(ValidationError) as refused:
        svc.certificate_issue(**organiser(world), participant=part)
    assert "The post-test was not taken." in refused.value.messages


def test_an_exception_with_a_reason_is_audited(world, event, signer_dir):
    part = ParticipantFactory(event=event, employee=world.staff_a)
    attend(part, "18")
    certificate = svc.certificate_issue(
        **organiser(world), participant=part, exception_reason="Tugas mendadak dari Gubernur"
    )
    assert certificate.exception_reason == "Tugas mendadak dari Gubernur"
    event_row = AuditEvent.objects.get(
        action="training.certificate.issue", target_id=str(certificate.pk)
    )
    assert event_row.reason == "Tugas mendadak dari Gubernur"
    assert event_row.changes["eligible"] == [None, False]


def test_only_the_organiser_issues(world, event, signer_dir):
    part = ParticipantFactory(event=event, employee=world.staff_a)
    attend(part, "22")
    user = world.users["opd_admin"]
    with pytest.raises(PermissionDenied):
        svc.certificate_issue(actor=user, scope=scope_for(user), participant=part)


def test_one_valid_certificate_and_a_yearly_sequence(world, event, signer_dir):
    a = ParticipantFactory(event=event, employee=world.staff_a)
    b = ParticipantFactory(event=event, employee=world.staff_b)
    attend(a, "22")
    attend(b, "22")
    first = svc.certificate_issue(**organiser(world), participant=a)
    second = svc.certificate_issue(**organiser(world), participant=b)
    assert (first.sequence, second.sequence) == (1, 2)
    with pytest.raises(ValidationError):
        svc.certificate_issue(**organiser(world), participant=a)


def test_the_bulk_run_issues_the_eligible_only(world, event, signer_dir):
    a = ParticipantFactory(event=event, employee=world.staff_a)
    b = ParticipantFactory(event=event, employee=world.staff_b)
    attend(a, "20")
    attend(b, "10")
    seen = []
    batch = svc.certificate_batch_start(**organiser(world), event=event, background=False)
    assert batch.total == 1
    batch = svc.certificate_batch_run(batch.pk, progress=lambda d, t: seen.append((d, t)))
    assert (batch.status, batch.done, seen) == (BatchStatus.READY, 1, [(1, 1)])
    assert list(Certificate.objects.values_list("participant", flat=True)) == [a.pk]


def test_the_background_task_runs_the_batch(
    world, event, signer_dir, django_capture_on_commit_callbacks
):
    a = ParticipantFactory(event=event, employee=world.staff_a)
    attend(a, "22")
    with django_capture_on_commit_callbacks(execute=True):
        batch = svc.certificate_batch_start(**organiser(world), event=event)
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.percent) == (BatchStatus.READY, 1, 100)


def _ready_batch(world, event, n=2):
    parts = [
        ParticipantFactory(event=event, employee=e) for e in (world.staff_a, world.staff_b)[:n]
    ]
    for p in parts:
        attend(p, "22")
    batch = svc.certificate_batch_start(**organiser(world), event=event, background=False)
    return svc.certificate_batch_run(batch.pk)


def head(world):
    user = world.users["opd_head"]  # head_a: the head of agency A, the event's organiser unit
    return {"actor": user, "scope": scope_for(user)}


def test_signing_needs_the_reviewers_initial_and_then_validates(world, event, signer_dir):
    batch = _ready_batch(world, event)
    with pytest.raises(ValidationError) as refused:
        svc.certificate_batch_sign(**head(world), batch=batch, passphrase=PASSPHRASE)
    assert "not initialled" in refused.value.messages[0]
    assert not Certificate.objects.filter(status=CertificateStatus.SIGNED).exists()
    with pytest.raises(PermissionDenied):  # the signer does not initial their own batch
        svc.certificate_batch_initial(**head(world), batch=batch)
    with pytest.raises(PermissionDenied):  # an organiser who is not the head does not sign
        svc.certificate_batch_initial(**organiser(world), batch=batch)
        svc.certificate_batch_sign(**organiser(world), batch=batch, passphrase=PASSPHRASE)
    batch = svc.certificate_batch_sign(**head(world), batch=batch, passphrase=PASSPHRASE)
    assert batch.status == BatchStatus.SIGNED
    signer = LocalSigner(signer_dir)
    for certificate in Certificate.objects.all():
        assert certificate.status == CertificateStatus.SIGNED
        assert certificate.signer_name == world.head_a.display_name
        assert certificate.signature_serial and "Budi" in certificate.signature_subject
        signed = certificate.signed_pdf.read()
        status = _validate(signed, signer)
        assert status.bottom_line and status.intact and status.trusted
        tampered = bytearray(signed)
        tampered[300] = (tampered[300] + 1) % 256
        broken = _validate(bytes(tampered), signer)
        assert not broken.intact and not broken.bottom_line


def _validate(pdf: bytes, signer: LocalSigner):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    embedded = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    return validate_pdf_signature(embedded, signer.validation_context())


def test_a_wrong_passphrase_signs_nothing_and_no_passphrase_is_stored(world, event, signer_dir):
    batch = _ready_batch(world, event)
    svc.certificate_batch_initial(**organiser(world), batch=batch)
    svc.certificate_batch_sign(**head(world), batch=batch, passphrase=PASSPHRASE)
    # A second batch signed with another passphrase: the key opens only with the first.
    other = ParticipantFactory(event=event, employee=world.head_a)
    attend(other, "22")
    cert = svc.certificate_issue(**organiser(world), participant=other)
    svc.certificate_batch_initial(**organiser(world), batch=cert.batch)
    with pytest.raises(ValidationError) as refused:
        svc.certificate_batch_sign(**head(world), batch=cert.batch, passphrase="salah-sandi")
    assert "passphrase is wrong" in refused.value.messages[0]
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.INITIALLED and not cert.signed_pdf
    # The passphrase is in no row of any table and no audit event.
    from django.apps import apps

    for model in apps.get_models():
        for row in model.objects.all().values():
            assert PASSPHRASE not in json.dumps(row, default=str), model
            assert "salah-sandi" not in json.dumps(row, default=str), model
    key = next((signer_dir / "signers").glob("*.key")).read_bytes()
    assert b"ENCRYPTED" in key and PASSPHRASE.encode() not in key


def test_revocation_keeps_the_signed_pdf_and_the_check_says_revoked(
    world, event, signer_dir, client
):
    batch = _ready_batch(world, event, n=1)
    svc.certificate_batch_initial(**organiser(world), batch=batch)
    svc.certificate_batch_sign(**head(world), batch=batch, passphrase=PASSPHRASE)
    certificate = Certificate.objects.get()
    signed = certificate.signed_pdf.read()
    with pytest.raises(ValidationError):
        svc.certificate_revoke(**organiser(world), certificate=certificate, category="", note="")
    svc.certificate_revoke(
        **organiser(world),
        certificate=certificate,
        category="attendance",
        note="Daftar hadir hari ketiga dikoreksi (catatan internal)",
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED and certificate.was_signed
    assert certificate.signed_pdf.read() == signed
    page = client.get(f"/training/certificates/check/{certificate.printed_code}/")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="certificate-revoked"' in text
    assert "catatan internal" not in text and page["X-Robots-Tag"].startswith("noindex")
    assert world.staff_a.nip not in text
    api = client.get(f"/api/v1/training-certificate-checks/{certificate.code}/")
    assert api.status_code == 200 and api.json()["valid"] is False
    assert api.json()["revocation"] == "attendance" and "note" not in json.dumps(api.json())
    # A new certificate may be issued once the old one is revoked.
    again = svc.certificate_issue(**organiser(world), participant=certificate.participant)
    assert again.sequence == 2


def test_the_public_check_answers_a_valid_certificate_and_an_unknown_code(
    world, event, signer_dir, client
):
    batch = _ready_batch(world, event, n=1)
    certificate = batch.certificates.get()
    page = client.get(f"/training/certificates/check/{certificate.code.lower()}/")
    assert page.status_code == 200 and 'data-testid="certificate-valid"' in page.content.decode()
    assert client.get("/training/certificates/check/ABCDE-FGHJK/").status_code == 404


def test_the_public_check_is_rate_limited_per_address(world, event, signer_dir, client, settings):
    from rest_framework.settings import api_settings

    batch = _ready_batch(world, event, n=1)
    code = batch.certificates.get().printed_code
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100/min", "anon": "2/min"},
    }
    api_settings.reload()
    try:
        answers = [
            client.get(f"/training/certificates/check/{code}/").status_code for _ in range(3)
        ]
    finally:
        api_settings.reload()
    assert answers == [200, 200, 429]


# -- the national CA adapter against a fake service ----------------------------------------


class _FakeCa(BaseHTTPRequestHandler):
    signed = b""
    seen: list = []

    def do_POST(self):  # noqa: N802

        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        type(self).seen.append((self.path, self.headers.get("Authorization", ""), body))
        if b'name="nik"\r\n\r\n0000000000000000' in body:
            return self._json(400, {"status_code": 2021, "error": "NIK tidak terdaftar"})
        if b'name="passphrase"\r\n\r\nsalah' in body:
            return self._json(400, {"status_code": 2031, "error": "Passphrase salah"})
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(type(self).signed)))
        self.end_headers()
        self.wfile.write(type(self).signed)

    def _json(self, code, payload):
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_ca(signer_dir):
    from weasyprint import HTML

    pdf = HTML(string="<p>STTPP</p>").write_pdf()
    _FakeCa.signed = LocalSigner(signer_dir).sign(
        pdf, passphrase=PASSPHRASE, reason="uji", signer_id="ca", signer_name="Kepala BPSDM"
    )
    _FakeCa.seen = []
    server = HTTPServer(("127.0.0.1", 0), _FakeCa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pdf
    server.shutdown()
    server.server_close()


def test_the_national_ca_adapter_posts_the_pdf_and_answers_the_signed_one(fake_ca):
    url, pdf = fake_ca
    signer = NationalCaSigner(base_url=url, username="kinerja", password="rahasia", timeout=(2, 5))
    signed = signer.sign(
        pdf,
        passphrase="benar-sekali",
        reason="Sertifikat",
        signer_id="3573010101800001",
        signer_name="Kepala",
    )
    assert signed == _FakeCa.signed
    path, auth, body = _FakeCa.seen[0]
    assert path == "/api/sign/pdf" and auth.startswith("Basic ")
    assert (
        b'name="nik"\r\n\r\n3573010101800001' in body
        and b'name="tampilan"\r\n\r\ninvisible' in body
    )
    assert pdf in body


@pytest.mark.parametrize(
    ("nik", "passphrase", "kind"),
    [("3573010101800001", "salah", "passphrase"), ("0000000000000000", "benar", "not_registered")],
)
def test_the_national_ca_adapter_maps_its_errors(fake_ca, nik, passphrase, kind):
    url, pdf = fake_ca
    signer = NationalCaSigner(base_url=url, username="", password="", timeout=(2, 5))
    with pytest.raises(SigningError) as refused:
        signer.sign(pdf, passphrase=passphrase, reason="x", signer_id=nik, signer_name="K")
    assert refused.value.kind == kind


def test_the_national_ca_adapter_says_when_the_service_is_down():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    signer = NationalCaSigner(
        base_url=f"http://127.0.0.1:{port}", username="", password="", timeout=(1, 1)
    )
    with pytest.raises(SigningError) as refused:
        signer.sign(b"%PDF-1.7", passphrase="x", reason="x", signer_id="1", signer_name="K")
    assert refused.value.kind == "unavailable"
    assert "not available" in str(refused.value)


def test_signing_through_the_national_ca_setting(world, event, signer_dir, fake_ca, settings):
    url, _pdf = fake_ca
    settings.KINERJA_CERTIFICATE_SIGNER = "national_ca"
    settings.KINERJA_NATIONAL_CA_URL = url
    batch = _ready_batch(world, event, n=1)
    svc.certificate_batch_initial(**organiser(world), batch=batch)
    svc.certificate_batch_sign(
        **head(world), batch=batch, passphrase="benar", signer_nik="3573010101800001"
    )
    certificate = Certificate.objects.get()
    assert certificate.signature_backend == "national_ca"
    assert certificate.signed_pdf.read() == _FakeCa.signed
    assert CertificateBatch.objects.get().status == BatchStatus.SIGNED


# -- pages and the demo --------------------------------------------------------------------


def test_the_organiser_page_says_who_is_eligible_and_why_not(
    world, event, signer_dir, client, django_capture_on_commit_callbacks
):
    a = ParticipantFactory(event=event, employee=world.staff_a)
    b = ParticipantFactory(event=event, employee=world.staff_b)
    attend(a, "22")
    attend(b, "18.7")
    client.force_login(world.users["bpsdm"])
    page = client.get(f"/training/events/{event.pk}/certificates/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and text.count('data-testid="standing-row"') == 2
    assert "Kehadiran 85,0% dari 22 JP, minimal 90%." in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/training/events/{event.pk}/certificates/issue/")
    assert response.status_code == 302
    batch = CertificateBatch.objects.get()
    assert (batch.status, batch.done) == (BatchStatus.READY, 1)  # the immediate backend ran it
    progress = client.get(f"/training/certificates/batches/{batch.pk}/progress/")
    assert b"hx-get" not in progress.content and b"100%" in progress.content
    client.force_login(world.users["opd_admin"])
    assert client.get(f"/training/events/{event.pk}/certificates/").status_code == 403


def test_the_signing_page_signs_and_the_participant_downloads(world, event, signer_dir, client):
    batch = _ready_batch(world, event, n=1)
    client.force_login(world.users["opd_head"])
    page = client.post(
        f"/training/certificates/batches/{batch.pk}/sign/", {"passphrase": PASSPHRASE}
    )
    assert page.status_code == 200 and b'data-testid="sign-error"' in page.content
    svc.certificate_batch_initial(**organiser(world), batch=batch)
    home = client.get("/training/certificates/")
    assert b'data-testid="to-sign"' in home.content
    done = client.post(
        f"/training/certificates/batches/{batch.pk}/sign/", {"passphrase": PASSPHRASE}
    )
    assert done.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.status == CertificateStatus.SIGNED
    client.force_login(world.users["employee"])  # staff_a, the participant
    mine = client.get("/training/my/certificates/")
    assert mine.content.decode().count('data-testid="my-certificate"') == 1
    pdf = client.get(f"/training/certificates/{certificate.pk}/pdf/")
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert pdf.status_code == 200 and body == certificate.signed_pdf.open("rb").read()


def test_the_demo_issues_signs_grants_one_exception_and_revokes_one(world, signer_dir):
    import time

    from kinerja.training.demo_certificates import EVENT_TITLE, demo_certificates

    event = EventFactory(instansi=world.instansi, organiser_unit=world.agency_a, title=EVENT_TITLE)
    for i in range(11):
        start = dt.datetime(2023, 1, 11 + i // 4, 1 + 2 * (i % 4), 0, tzinfo=dt.UTC)
        SessionFactory(
            event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=90), published=i < 4
        )
    parts = [
        ParticipantFactory(event=event, employee=e)
        for e in (world.staff_a, world.staff_b, world.staff_x)
    ]
    attend(parts[0], "22")
    attend(parts[1], "21")
    attend(parts[2], "16")
    # The bpsdm account acts as the organiser (the demo finds it by its user name).
    world.users["bpsdm"].username = "bpsdm"
    world.users["bpsdm"].save()
    started = time.monotonic()
    notes = []
    summary = demo_certificates(event, key_dir=signer_dir, notes=notes)
    elapsed = time.monotonic() - started
    certificates = list(Certificate.objects.filter(event=event).order_by("sequence"))
    assert len(certificates) == 3, summary
    assert [c.exception_reason != "" for c in certificates] == [False, False, True]
    assert all(c.signed_pdf and c.signed_at for c in certificates)
    assert [c.status for c in certificates] == ["signed", "revoked", "signed"]
    assert CertificateBatch.objects.get(event=event).status == BatchStatus.SIGNED
    assert "Sertifikat-Demo-2023" in notes[0]
    status = _validate(certificates[0].signed_pdf.read(), LocalSigner(signer_dir))
    assert status.bottom_line
    assert elapsed < 20, elapsed  # 3 PDFs and signatures; 61 in the demo
    assert demo_certificates(event, key_dir=signer_dir) == "certificates kept"


def test_the_terminal_command_issues_the_batch(world, event, signer_dir):
    from io import StringIO

    from django.core.management import call_command

    a = ParticipantFactory(event=event, employee=world.staff_a)
    attend(a, "22")
    out = StringIO()
    call_command(
        "issue_certificates",
        event=event.pk,
        username=world.users["bpsdm"].username,
        stdout=out,
        verbosity=0,
    )
    assert "1 of 1, ready" in out.getvalue()
    assert Certificate.objects.get().participant == a
