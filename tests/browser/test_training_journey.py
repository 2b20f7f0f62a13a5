# ruff: noqa: F811 - the planning fixtures (pk, plan, scopes) are imported by name
"""A participant's journey through a training event in a real browser, in Indonesian.

The organiser (bpsdm) opens today's event and puts the room code of the running session on
the screen; Rina (agency B, first party of her agency's 2026 PK) signs in, checks in with the
code on the screen, answers the session's feedback form (and is told she already answered on
a second try), writes her action plan on "Aksi perubahan saya" linked to her own PK target
(Budi's PK of agency A is not offered), adds a milestone and submits it. Made eligible through
the services (the whole session's attendance and a post-test score), her certificate is issued
by the organiser, initialled by another organiser (the system administrator) and signed on the
signing page by Budi, the head of the organiser unit, with his passphrase; she downloads the
signed PDF from "Sertifikat saya" (its signature validates against the local signer's
root), and the public check page, signed out, says it is valid."""

from __future__ import annotations

import datetime as dt
import io
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from conftest import PASSWORD
from kinerja.accounts.models import User
from kinerja.accounts.scope import scope_for
from kinerja.performance.models import AgreementTarget
from kinerja.performance.tests.conftest import pk, plan, scopes  # noqa: F401 - fixtures
from kinerja.training.models import (
    ActionPlan,
    BatchStatus,
    Certificate,
    CertificateStatus,
    FeedbackReceipt,
)
from kinerja.training.services import attendance as attendance_svc
from kinerja.training.services import certificates as certificate_svc
from kinerja.training.services import events as events_svc
from kinerja.training.services import feedback as feedback_svc
from kinerja.training.signing import LocalSigner
from kinerja.training.tests.factories import (
    EventFactory,
    ParticipantFactory,
    SessionFactory,
    SpeakerFactory,
)
from kinerja.training.tests.test_action_plans import agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "Kopi-Tubruk-2026"


@pytest.fixture
def sign_in(browser, live_server):
    contexts = []

    def _sign_in(username=None):
        context = browser.new_context(locale="id-ID", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        if username:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.locator("form button[type=submit]").first.click()
            expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    yield _sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def journey(world, pk, settings, tmp_path):  # noqa: F811
    settings.KINERJA_CERTIFICATE_KEY_DIR = str(tmp_path / "signing")
    settings.KINERJA_CERTIFICATE_SIGNER = "local"
    o = type("Journey", (), {})()
    o.key_dir = tmp_path / "signing"
    o.world = world
    today = timezone.localdate()
    year = today.year
    o.event = EventFactory(
        instansi=world.instansi,
        organiser_unit=world.agency_a,
        title="Penyegaran Kepemimpinan Hari Ini",
        starts_on=today,
        ends_on=today,
    )
    # A session running now that stays inside today's local day (a session never spans two
    # days), whatever the hour the suite runs at.
    now = timezone.now()
    local = timezone.localtime(now)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = local.replace(hour=23, minute=59, second=59, microsecond=0)
    o.session = SessionFactory(
        event=o.event,
        title="Kepemimpinan Perubahan",
        starts_at=max(now - dt.timedelta(minutes=1), day_start),
        ends_at=min(now + dt.timedelta(minutes=89), day_end),
        speakers=[SpeakerFactory(instansi=world.instansi, name="Ainun Najib")],
    )
    # Rina's own PK of the event's year, and Budi's (not hers: never offered to her).
    o.target_b = AgreementTarget.objects.create(
        agreement=agreement(world, world.agency_b, world.staff_b, year=year),
        target=pk.target(pk.plan.ind_b, "75", year),
        goal=pk.plan.objective_b,
        indicator_name=pk.plan.ind_b.name,
    )
    o.target_a = AgreementTarget.objects.create(
        agreement=agreement(world, world.agency_a, world.head_a, year=year),
        target=pk.target(pk.plan.ind_a, "92", year),
        goal=pk.plan.target_a,
        indicator_name=pk.plan.ind_a.name,
    )
    o.rina = User.objects.create_user(
        username="rina", password=PASSWORD, instansi=world.instansi, employee=world.staff_b
    )
    o.participant = ParticipantFactory(event=o.event, employee=world.staff_b)
    o.bpsdm = world.users["bpsdm"]
    o.bpsdm_scope = scope_for(o.bpsdm)
    events_svc.timetable_publish(actor=o.bpsdm, scope=o.bpsdm_scope, event=o.event)
    return o


def test_check_in_feedback_action_plan_and_signed_certificate(journey, sign_in, live_server):
    o, world, base = journey, journey.world, live_server.url
    session, event = o.session, o.event

    # 1. The organiser opens the event, then the room's screen of the running session.
    organiser = sign_in(o.bpsdm.username)
    organiser.goto(f"{base}/training/events/{event.pk}/")
    expect(organiser.get_by_text(event.title).first).to_be_visible()
    expect(organiser.get_by_test_id("day")).to_contain_text("1 sesi")
    organiser.goto(f"{base}/training/sessions/{session.pk}/room-code/")
    screen = organiser.get_by_test_id("room-code")
    expect(screen).to_have_text(re.compile(r"\S+"))

    # 2. Rina checks in with the code on the screen.
    rina = sign_in(o.rina.username)
    rina.goto(f"{base}/training/sessions/{session.pk}/check-in/")
    rina.fill("#code", screen.inner_text().strip())
    rina.select_option("#direction", "in")
    rina.get_by_role("button", name="Catat").click()
    expect(rina.get_by_text("Kehadiran Anda sudah dicatat.")).to_be_visible()
    expect(rina.get_by_test_id("my-attendance")).to_contain_text("Hadir")

    # 3. The session's feedback form, created by the organiser; answered once.
    feedback_svc.forms_create(actor=o.bpsdm, scope=o.bpsdm_scope, event=event)
    rina.goto(f"{base}/training/feedback/")
    row = rina.get_by_test_id("feedback-form").filter(has_text=session.title)
    row.get_by_role("link", name="Isi").click()
    answer_url = rina.url
    for fieldset in rina.locator("form fieldset").all():
        fieldset.locator("input[type=radio][value='5']").check()
    rina.fill("#id_comment", "Contoh kasusnya dekat dengan pekerjaan kami.")
    rina.get_by_role("button", name="Kirim").click()
    expect(rina).to_have_url(re.compile(r"/training/feedback/$"))
    expect(row).to_contain_text("Terima kasih, sudah diisi")
    assert FeedbackReceipt.objects.filter(participant=o.participant).count() == 1
    rina.goto(answer_url)  # a second try is refused with the service's message
    for fieldset in rina.locator("form fieldset").all():
        fieldset.locator("input[type=radio][value='1']").check()
    rina.get_by_role("button", name="Kirim").click()
    expect(rina.get_by_text("Anda sudah mengisi formulir ini, terima kasih.")).to_be_visible()
    assert FeedbackReceipt.objects.filter(participant=o.participant).count() == 1

    # 4. The action plan, linked to her own PK target, with a milestone, submitted.
    rina.goto(f"{base}/training/action-plans/mine/")
    expect(rina.get_by_role("heading", name="Aksi perubahan saya").first).to_be_visible()
    card = rina.get_by_test_id("enrolment").filter(has_text=event.title)
    card.locator("input[name=title]").fill("Layanan rujukan daring")
    card.locator("textarea[name=change]").fill(
        "Rujukan pasien antar-puskesmas diproses dalam satu jam, tanpa berkas kertas."
    )
    card.locator("button").click()
    expect(rina).to_have_url(re.compile(r"/training/action-plans/\d+/$"))
    options = rina.locator("#target option")
    expect(options).to_have_count(1)  # only her own: Budi's PK of agency A is not offered
    expect(options.first).to_have_attribute("value", f"pk:{o.target_b.pk}")
    rina.select_option("#target", f"pk:{o.target_b.pk}")
    rina.locator("form:has(#target) button").click()
    expect(rina.get_by_test_id("linked")).to_have_count(1)
    expect(rina.get_by_test_id("linked")).to_contain_text(o.target_b.indicator_name)
    due = timezone.localdate() + dt.timedelta(days=60)
    rina.fill("#m-title", "Aplikasi rujukan diuji di tiga puskesmas")
    rina.fill("#m-due", due.isoformat())
    rina.select_option("#m-link", index=1)
    rina.locator("form:has(#m-title) button").click()
    expect(rina.get_by_test_id("milestone")).to_contain_text("Aplikasi rujukan diuji")
    expect(rina.get_by_test_id("status")).to_have_text("Draf")
    rina.get_by_role("button", name="Ajukan kepada mentor").click()
    expect(rina.get_by_test_id("status")).to_have_text("Diajukan")
    plan_row = ActionPlan.objects.get(participant=o.participant)
    assert plan_row.status == "submitted"
    assert list(plan_row.links.values_list("agreement_target", flat=True)) == [o.target_b.pk]

    # 5. Eligible through the services: the whole session, and a post-test score.
    attendance_svc.attendance_correct(
        actor=o.bpsdm,
        scope=o.bpsdm_scope,
        participant=o.participant,
        session=session,
        status="present",
        checked_in_at=session.starts_at,
        checked_out_at=session.ends_at,
        reason="Hadir penuh menurut daftar hadir",
    )
    feedback_svc.assessment_set(
        actor=o.bpsdm,
        scope=o.bpsdm_scope,
        participant=o.participant,
        kind="post",
        data={"knowledge": "84"},
    )
    assert certificate_svc.eligibility(o.participant).eligible
    certificate = certificate_svc.certificate_issue(
        actor=o.bpsdm, scope=o.bpsdm_scope, participant=o.participant
    )
    admin = world.users["system_admin"]
    certificate_svc.certificate_batch_initial(
        actor=admin, scope=scope_for(admin), batch=certificate.batch
    )
    # Budi, head of the organiser unit, signs on the signing page with his passphrase.
    budi = sign_in(world.users["opd_head"].username)
    budi.goto(f"{base}/training/certificates/batches/{certificate.batch_id}/sign/")
    budi.fill("#passphrase", PASSPHRASE)
    budi.locator("form button[type=submit]").last.click()
    expect(budi.locator(".alert-success").last).to_be_visible()
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SIGNED
    assert certificate.batch.status == BatchStatus.SIGNED
    assert certificate.signer_name == world.head_a.display_name

    # Rina downloads the signed PDF from "Sertifikat saya".
    rina.goto(f"{base}/training/my/certificates/")
    mine = rina.get_by_test_id("my-certificate")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(certificate.number)
    with rina.expect_download() as download:
        mine.get_by_role("link", name="Unduh", exact=False).click()
    pdf = open(download.value.path(), "rb").read()  # noqa: SIM115 - read once
    assert pdf.startswith(b"%PDF")
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    assert "Budi" in signatures[0].signer_cert.subject.human_friendly
    # pyHanko's validation runs its own event loop: off Playwright's, in a worker thread.
    context = LocalSigner(o.key_dir).validation_context()
    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(validate_pdf_signature, signatures[0], context).result()
    assert status.intact and status.trusted and status.bottom_line

    # 6. The public check page, signed out, says it is valid.
    public = sign_in()
    public.goto(f"{base}/training/certificates/check/{certificate.code}/")
    expect(public.get_by_test_id("certificate-valid")).to_be_visible()
    expect(public.get_by_test_id("certificate-check")).to_contain_text(certificate.number)
    assert Certificate.objects.get().jp_total == Decimal("2")
