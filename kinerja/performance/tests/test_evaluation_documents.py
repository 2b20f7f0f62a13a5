"""The evaluation's official documents and their verification: the codes (pure functions), the
PDFs (read back with pypdf: the name, the predikat and the code), issuing (audited, the same
unchanged evaluation reuses its code), the draft preview (no code), scope (another's PDF is
404), and the public check page (genuine, unknown, superseded; it shows nothing more than the
document's face; rate-limited; not indexed)."""

# ruff: noqa: F811 - the tests take the imported ``s`` fixture

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kinerja.accounts.scope import scope_for
from kinerja.audit.models import AuditEvent
from kinerja.performance import document_codes as codes
from kinerja.performance.evaluation_documents import qr_svg, unit_predikat_pdf
from kinerja.performance.models import DocumentCheck, Evaluation, Rollup, Target
from kinerja.performance.services import document_checks as docs
from kinerja.performance.services import evaluation as ev
from kinerja.performance.views.evaluation_documents import DocumentCheckView

from .test_evaluation import approved, as_kabid, siti_plan
from .test_skp import add_indicator, add_result, s, user_for  # noqa: F401 - the s fixture

AS, ABOVE = "as_expected", "above_expectation"


def _text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# The codes ---------------------------------------------------------------------------------


def test_codes_are_ten_unambiguous_characters_read_in_any_form():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200  # random, no repeats in practice
    for code in made:
        assert len(code) == 10 and set(code) <= set(codes.ALPHABET)
    assert len(codes.ALPHABET) == 32 and not set("01IO") & set(codes.ALPHABET)
    assert codes.grouped("7KQ4MXR2TB") == "7KQ4M-XR2TB"
    for typed in ("7KQ4M-XR2TB", "7kq4m xr2tb", " 7KQ4MXR2TB ", "7KQ4M\u2013XR2TB"):
        assert codes.normalise(typed) == "7KQ4MXR2TB"
    # Nine or eleven characters, a 0/O/1/I: not a code.
    for bad in ("7KQ4MXR2T", "7KQ4MXR2TBB", "7KQ4MXR2T0", "7KQ4MXR2TO", "IKQ4MXR2TB", ""):
        assert codes.normalise(bad) is None


def test_the_nip_is_masked():
    assert codes.mask_nip("198001012005011001") == "19****** ****** * 001"
    assert codes.mask_nip("19800101 200501 1 001") == "19****** ****** * 001"
    assert codes.mask_nip("") == ""
    assert codes.mask_nip("12345") == "**345"


def test_the_digest_is_canonical():
    a = codes.digest({"b": [1, Decimal("85.50")], "a": "x"})
    assert a == codes.digest({"a": "x", "b": [1, Decimal("85.50")]})  # key order is no fact
    assert a != codes.digest({"a": "x", "b": [1, Decimal("85.5")]})
    assert len(a) == 64


# Building a final evaluation -----------------------------------------------------------------


def final_q1(s, *, finalise=True):
    """Siti's approved 2024 plan with one result and indicator (12 dokumen), 9 realised in
    the first quarter (75 %), its Q1 evaluation rated as expected on both counts, feedback
    given, and final (predikat baik)."""
    plan = siti_plan(s)
    result = add_result(s, plan, s.siti_scope, s.siti_user, text="Laporan pengawasan SMA")
    indicator = add_indicator(
        plan, result, s.siti_scope, s.siti_user, name="Jumlah laporan diselesaikan"
    )
    plan = approved(plan)
    target = Target.objects.get(indicator=indicator, year=2024)
    Rollup.objects.create(
        instansi_id=plan.instansi_id,
        kind="target",
        object_id=target.pk,
        year=2024,
        sub_period=1,
        percent=Decimal("75.00"),
        realisation=Decimal("9"),
        target_value=Decimal("12"),
        computed_at=timezone.now(),
    )
    e = ev.evaluation_open(**as_kabid(s), plan=plan, kind="periodic", sub_period=1)
    e = ev.evaluation_rate_results(**as_kabid(s), evaluation=e, version=1, rating=AS)
    e = ev.evaluation_rate_behaviour(
        **as_kabid(s),
        evaluation=e,
        version=2,
        rating=AS,
        values={"adaptif": {"rating": ABOVE, "feedback": "Cepat belajar aplikasi baru"}},
    )
    e = ev.evaluation_feedback(
        **as_kabid(s), evaluation=e, version=3, feedback={result.pk: "Laporan rapi dan tepat"}
    )
    if finalise:
        e = ev.evaluation_finalise(**as_kabid(s), evaluation=e, version=4)
    return e


def pdf(client, name, evaluation):
    return client.get(reverse(f"performance:{name}", args=[evaluation.pk]))


def test_the_final_evaluation_pdf_carries_its_code_and_reprinting_reuses_it(s, client):
    e = final_q1(s)
    client.force_login(s.siti_user)
    events = AuditEvent.objects.filter(action="document.issue")
    answer = pdf(client, "evaluation_pdf", e)
    assert answer.status_code == 200
    check = DocumentCheck.objects.get()
    assert (check.kind, check.object_id, check.subject) == ("evaluation", e.pk, "Siti Aminah")
    assert check.period_label == "Triwulan I 2024 (1 Januari 2024 s.d. 31 Maret 2024)"
    assert (check.predikat, check.issued_by) == ("baik", s.siti_user)
    event = events.get()
    assert event.actor == s.siti_user and event.changes["code"] == [None, check.code]
    text = _text(answer.content)
    assert "EVALUASI KINERJA PEGAWAI" in text and "Siti Aminah" in text
    assert "Laporan pengawasan SMA" in text and "Jumlah laporan diselesaikan" in text
    assert "12 dokumen" in text and "9 dokumen" in text and "75" in text
    assert "Laporan rapi dan tepat" in text and "Cepat belajar aplikasi baru" in text
    assert "Sesuai Ekspektasi" in text and "Baik" in text
    assert check.printed_code in text and "Hartono" in text
    assert "http://testserver/cek/" in text
    # In the footer of every page.
    pages = PdfReader(io.BytesIO(answer.content)).pages
    assert len(pages) > 1 and all(check.printed_code in p.extract_text() for p in pages)
    assert answer["Content-Disposition"].endswith(f'evaluasi-kinerja-2024-p1-{s.siti.nip}.pdf"')
    assert events.count() == 1
    # Printed again, by the evaluator: the same document, the same code, nothing issued.
    client.force_login(s.kabid_user)
    assert check.printed_code in _text(pdf(client, "evaluation_pdf", e).content)
    assert DocumentCheck.objects.count() == 1 and events.count() == 1
    # The other document of the same evaluation has its own code.
    answer = pdf(client, "evaluation_document_pdf", e)
    other = DocumentCheck.objects.get(kind="evaluation_document")
    assert other.code != check.code
    text = _text(answer.content)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in text and "Siti Aminah" in text
    assert "PREDIKAT KINERJA PEGAWAI Baik" in text and other.printed_code in text
    assert events.count() == 2


def test_a_draft_is_a_preview_without_a_code(s, client):
    e = final_q1(s, finalise=False)
    client.force_login(s.kabid_user)
    answer = pdf(client, "evaluation_pdf", e)
    text = _text(answer.content)
    assert "DRAF" in text and "Siti Aminah" in text and "Kode verifikasi" not in text
    assert answer["Content-Disposition"].endswith('-draf.pdf"')
    assert not DocumentCheck.objects.exists()
    assert not AuditEvent.objects.filter(action="document.issue").exists()
    with pytest.raises(ValidationError, match="final"):
        docs.evaluation_document_issue(**as_kabid(s), evaluation=e, kind="evaluation")
    with pytest.raises(ValidationError, match="Pilih salah satu dokumen evaluasi"):
        docs.evaluation_document_issue(**as_kabid(s), evaluation=e, kind="unit_predikat")
    assert not DocumentCheck.objects.exists()


def test_the_annual_document_lists_the_year(s, client):
    q1 = final_q1(s)
    annual = ev.evaluation_open(**as_kabid(s), plan=q1.plan, kind="annual")
    annual = ev.evaluation_rate_results(**as_kabid(s), evaluation=annual, version=1, rating=ABOVE)
    annual = ev.evaluation_rate_behaviour(**as_kabid(s), evaluation=annual, version=2, rating=ABOVE)
    annual = ev.evaluation_finalise(**as_kabid(s), evaluation=annual, version=3)
    client.force_login(s.kabid_user)
    text = _text(pdf(client, "evaluation_document_pdf", annual).content)
    assert "PERIODE: TAHUNAN 2024 (1 JANUARI 2024 S.D. 31 DESEMBER 2024)" in text
    assert "PREDIKAT KINERJA PER PERIODE" in text
    assert (
        "1 Triwulan I 2024 (1 Januari 2024 s.d. 31 Maret 2024) Baik "
        "2 Tahunan 2024 (1 Januari 2024 s.d. 31 Desember 2024) Sangat Baik"
    ) in text
    assert DocumentCheck.objects.get().predikat == "sangat_baik"


def test_another_agency_sees_no_pdf(s, client):
    e = final_q1(s)
    outsider = user_for(s.world, s.world.staff_b, "rina")
    client.force_login(outsider)
    for name in ("evaluation_pdf", "evaluation_document_pdf"):
        assert pdf(client, name, e).status_code == 404
    assert pdf(client, "evaluation_pdf", Evaluation(pk=999999)).status_code == 404
    assert not DocumentCheck.objects.exists()
    with pytest.raises(PermissionDenied):
        docs.evaluation_document_issue(
            actor=outsider,
            scope=scope_for(outsider),
            evaluation=e,
            kind="evaluation",
        )
    client.logout()
    answer = pdf(client, "evaluation_pdf", e)
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


# The check page ------------------------------------------------------------------------------


def check_page(client, code):
    return client.get(reverse("document_check", args=[code]))


def test_the_check_page_of_a_genuine_code_shows_the_face_of_the_document_only(s, client):
    e = final_q1(s)
    check, new = docs.evaluation_document_issue(**as_kabid(s), evaluation=e, kind="evaluation")
    assert new
    for typed in (check.printed_code, check.code.lower()):
        answer = check_page(client, typed)  # no sign-in
        assert answer.status_code == 200
        assert "noindex" in answer["X-Robots-Tag"]
        page = answer.content.decode()
        assert 'data-testid="check-genuine"' in page and 'data-testid="check-current"' in page
        assert "Siti Aminah" in page and codes.mask_nip(s.siti.nip) in page
        assert "Triwulan I 2024" in page and "Baik" in page and check.printed_code in page
        assert f'data-field="issued">{timezone.localdate().day} ' in page
    # Nothing else: not the full NIP, the ratings, the feedback, the unit, the evaluator.
    for secret in (
        s.siti.nip,
        "Sesuai Ekspektasi",
        "Di Atas Ekspektasi",
        "As expected",
        "Above expectation",
        "Cepat belajar",
        "Laporan rapi",
        "Jumlah laporan",
        "75.00",
        "75,00",
        "Hartono",
        s.world.division_a.name,
        s.world.instansi.name,
    ):
        assert secret not in page, secret


def test_an_unknown_code_is_404_with_a_clear_message(s, client):
    for code in ("ABCDE-FGHJK", "not-a-code", "0000000000"):
        answer = check_page(client, code)
        assert answer.status_code == 404
        assert "Tidak ada dokumen yang diterbitkan dengan kode ini" in answer.content.decode()
        assert "noindex" in answer["X-Robots-Tag"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = check_page(client, "ABCDE-FGHJK")
    assert answer.status_code == 404
    assert "No document was issued with this code" in answer.content.decode()


def test_a_changed_evaluation_supersedes_its_document(s, client):
    e = final_q1(s)
    client.force_login(s.kabid_user)
    pdf(client, "evaluation_pdf", e)
    old = DocumentCheck.objects.get()
    # An objection changed the rating (that slice writes through its own service).
    Evaluation.objects.filter(pk=e.pk).update(
        results_rating=ABOVE, behaviour_rating=ABOVE, predikat="sangat_baik"
    )
    page = check_page(client, old.code).content.decode()
    assert 'data-testid="check-superseded"' in page and "check-current" not in page
    # Printed again: a new version with a new code, which is current.
    e.refresh_from_db()
    text = _text(pdf(client, "evaluation_pdf", e).content)
    new = DocumentCheck.objects.exclude(pk=old.pk).get()
    assert new.printed_code in text and old.printed_code not in text
    assert new.predikat == "sangat_baik"
    assert 'data-testid="check-current"' in check_page(client, new.code).content.decode()
    # Undone: the first document states the evaluation again.
    Evaluation.objects.filter(pk=e.pk).update(
        results_rating=AS, behaviour_rating=AS, predikat="baik"
    )
    assert 'data-testid="check-current"' in check_page(client, old.code).content.decode()


def test_a_renamed_unit_supersedes_nothing_and_an_issued_pdf_renders_once(s, client):
    from unittest import mock

    from django.core.cache import cache

    from kinerja.core import pdf as core_pdf

    e = final_q1(s)
    client.force_login(s.kabid_user)
    cache.clear()
    with mock.patch.object(core_pdf, "_write_pdf", return_value=b"%PDF-1.7 test") as write:
        assert pdf(client, "evaluation_pdf", e).content == b"%PDF-1.7 test"
        assert pdf(client, "evaluation_pdf", e).status_code == 200
        assert write.call_count == 1  # kept under the issued code
        s.world.division_a.name = "Bidang SMA dan SLB"
        s.world.division_a.save(update_fields=["name"])
        pdf(client, "evaluation_pdf", e)
        assert write.call_count == 2  # the page reads otherwise: rendered anew ...
    check = DocumentCheck.objects.get()  # ... under the same code, still current
    assert 'data-testid="check-current"' in check_page(client, check.code).content.decode()
    cache.clear()


def test_the_check_page_is_rate_limited(s, client):
    rates = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2/min"},
    }
    from django.core.cache import cache

    cache.clear()
    with override_settings(REST_FRAMEWORK=rates):
        assert check_page(client, "ABCDE-FGHJK").status_code == 404
        assert check_page(client, "ABCDE-FGHJK").status_code == 404
        answer = check_page(client, "ABCDE-FGHJK")
        assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
    cache.clear()


# The QR code and the decision ----------------------------------------------------------------


def test_the_qr_code_points_at_the_absolute_check_url(s, rf):
    from kinerja.performance.evaluation_documents import check_context

    e = final_q1(s)
    check, _new = docs.evaluation_document_issue(**as_kabid(s), evaluation=e, kind="evaluation")
    context = check_context(check, rf.get("/"))
    url = f"http://testserver/cek/{check.printed_code}/"
    assert context["check_url"] == url and context["qr"] == qr_svg(url)
    assert context["qr"].startswith("<svg") and "viewBox" in context["qr"]
    with override_settings(KINERJA_PUBLIC_URL="https://kinerja.example.go.id/"):
        assert check_context(check)["check_url"] == (
            f"https://kinerja.example.go.id/cek/{check.printed_code}/"
        )
    assert DocumentCheckView.template_name.endswith("document_check.html")


def test_the_unit_predikat_decision_renders_from_its_context(world):
    check = DocumentCheck(
        instansi=world.instansi,
        code="7KQ4MXR2TB",
        kind="unit_predikat",
        object_id=1,
        digest="0" * 64,
        subject="Dinas Pendidikan",
        period_label="Tahunan 2023",
        predikat="baik",
        issued_at=timezone.now(),
    )
    context = {
        "instansi_name": "Pemerintah Provinsi Jawa Timur",
        "number": "800/123/2024",
        "period_label": "Tahunan 2023",
        "units": [
            {
                "name": "Dinas Pendidikan",
                "predikat": "istimewa",
                "achievement": Decimal("104.5"),
                "distribution": {"sangat_baik": 3, "baik": 6, "butuh_perbaikan": 1},
                "total": 10,
            }
        ],
        "place": "Surabaya",
        "date": dt.date(2024, 1, 31),
        "signer": {"name": "Adhy Karyono", "nip": "", "title": "Sekretaris Daerah"},
        "check": check,
    }
    text = _text(unit_predikat_pdf(context))
    assert "PENETAPAN PREDIKAT KINERJA UNIT KERJA" in text and "NOMOR: 800/123/2024" in text
    assert "Dinas Pendidikan 104,5 Istimewa 3 6 1 0 0 10" in text
    assert "7KQ4M-XR2TB" in text and "Adhy Karyono" in text
    draft = _text(unit_predikat_pdf({**context, "check": None}))
    assert "DRAF" in draft and "7KQ4M-XR2TB" not in draft


# Through the API -----------------------------------------------------------------------------


def test_the_api_serves_both_pdfs_scoped_and_checks_a_code_publicly(s):
    from rest_framework.test import APIClient

    e = final_q1(s)
    api = APIClient()
    api.force_authenticate(s.kabid_user)
    answer = api.get(f"/api/v1/evaluations/{e.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    check = DocumentCheck.objects.get()
    assert check.printed_code in _text(answer.content)
    answer = api.get(f"/api/v1/evaluations/{e.pk}/document-pdf/", HTTP_ACCEPT="application/pdf")
    assert answer.status_code == 200 and DocumentCheck.objects.count() == 2
    api.force_authenticate(user_for(s.world, s.world.staff_b, "rina"))
    answer = api.get(f"/api/v1/evaluations/{e.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"

    public = APIClient()
    answer = public.get(f"/api/v1/document-checks/{check.code.lower()}/")
    assert answer.status_code == 200
    assert answer.json() == {
        "code": check.printed_code,
        "kind": "evaluation",
        "kind_label": "Evaluasi Kinerja Pegawai",
        "name": "Siti Aminah",
        "nip": codes.mask_nip(s.siti.nip),
        "period": "Triwulan I 2024 (1 Januari 2024 s.d. 31 Maret 2024)",
        "predikat": "baik",
        "predikat_label": "Baik",
        "issued_on": timezone.localdate().isoformat(),
        "current": True,
    }
    answer = public.get("/api/v1/document-checks/ABCDE-FGHJK/")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Tidak ada dokumen yang diterbitkan dengan kode ini."
    answer = public.get("/api/v1/document-checks/ABCDE-FGHJK/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["detail"] == "No document was issued with this code."
    answer = public.get(f"/api/v1/document-checks/{check.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["predikat_label"] == "Good (Baik)"


def test_the_annual_document_of_a_transferred_employee_lists_both_plans(s, client):
    from kinerja.performance.models import Plan

    q1 = final_q1(s)
    first = q1.plan
    Plan.objects.filter(pk=first.pk).update(ends=dt.date(2024, 6, 30))
    second = Plan.objects.create(
        instansi=first.instansi,
        employee=first.employee,
        position=first.position,
        position_title="Analis SMK",
        position_kind=first.position_kind,
        unit=first.unit,
        period=first.period,
        starts=dt.date(2024, 7, 1),
        ends=dt.date(2024, 12, 31),
        status="approved",
        evaluator_name="Hartono",
    )
    Evaluation.objects.create(  # written straight: the third quarter, final, butuh perbaikan
        instansi=first.instansi,
        plan=second,
        kind="periodic",
        sub_period=3,
        source="plan",
        results_rating="below_expectation",
        behaviour_rating=AS,
        predikat="butuh_perbaikan",
        status="final",
        finalised_at=timezone.now(),
    )
    first.refresh_from_db()
    annual = Evaluation.objects.create(
        instansi=first.instansi,
        plan=first,
        kind="annual",
        sub_period=0,
        source="plans",
        results_rating=AS,
        behaviour_rating=AS,
        predikat="baik",
        status="final",
        finalised_at=timezone.now(),
    )
    client.force_login(s.kabid_user)
    text = _text(pdf(client, "evaluation_document_pdf", annual).content)
    assert (
        "1 Triwulan I 2024 (1 Januari 2024 s.d. 31 Maret 2024) Baik "
        "2 Triwulan III 2024 (1 Juli 2024 s.d. 30 September 2024) Butuh Perbaikan "
        "3 Tahunan 2024 (1 Januari 2024 s.d. 31 Desember 2024) Baik"
    ) in text
    # The combined year: both plans' days.
    assert "PERIODE: TAHUNAN 2024 (1 JANUARI 2024 S.D. 31 DESEMBER 2024)" in text


def test_the_document_states_the_units_predikat_and_its_final_distribution(s, client):
    from kinerja.performance.models import PredikatDistribution, UnitPredikat

    e = final_q1(s)
    client.force_login(s.kabid_user)
    text = _text(pdf(client, "evaluation_document_pdf", e).content)
    assert "CAPAIAN KINERJA ORGANISASI - POLA DISTRIBUSI -" in text  # no unit predikat yet
    unit = s.world.division_a
    found = UnitPredikat.objects.create(
        instansi=unit.instansi,
        unit=unit,
        period=s.period,
        sub_period=1,
        status="set",
        predikat="istimewa",
    )
    text = _text(pdf(client, "evaluation_document_pdf", e).content)
    assert f"CAPAIAN KINERJA ORGANISASI Istimewa ({unit.name}) POLA DISTRIBUSI -" in text
    first = DocumentCheck.objects.order_by("issued_at", "pk").last()
    PredikatDistribution.objects.create(
        instansi=unit.instansi,
        unit_predikat=found,
        predikat="istimewa",
        staff=4,
        counts={"sangat_baik": 1, "baik": 3},
        policy_valid_from=dt.date(2024, 1, 1),
        finalised_at=timezone.now(),
    )
    UnitPredikat.objects.filter(pk=found.pk).update(status="final")
    # The distribution became final: the document printed before it is superseded.
    page = check_page(client, first.code).content.decode()
    assert 'data-testid="check-superseded"' in page
    text = _text(pdf(client, "evaluation_document_pdf", e).content)
    assert (
        "POLA DISTRIBUSI Sangat Baik: 1 (25%) Baik: 3 (75%) Butuh Perbaikan: 0 (0%) "
        "Kurang/Misconduct: 0 (0%) Sangat Kurang: 0 (0%)"
    ) in text
    assert DocumentCheck.objects.filter(kind="evaluation_document").count() == 3


def test_the_decision_on_a_units_predikat_its_code_and_check(s, client):
    from kinerja.performance.models import PredikatDistribution, UnitPredikat

    unit = s.world.division_a
    found = UnitPredikat.objects.create(
        instansi=unit.instansi,
        unit=unit,
        period=s.period,
        sub_period=0,
        status="set",
        predikat="istimewa",
        achievement=Decimal("104.50"),
        set_by_name="Budi Santoso",
        set_at=timezone.now(),
    )
    page = reverse("performance:unit_predikat_pdf", args=[found.pk])
    client.force_login(s.head_user)
    answer = client.get(page)  # set, not final: a preview
    text = _text(answer.content)
    assert "DRAF" in text and unit.name in text and "Kode verifikasi" not in text
    assert not DocumentCheck.objects.exists()
    PredikatDistribution.objects.create(
        instansi=unit.instansi,
        unit_predikat=found,
        predikat="istimewa",
        staff=10,
        counts={"sangat_baik": 3, "baik": 6, "butuh_perbaikan": 1},
        policy_valid_from=dt.date(2024, 1, 1),
        finalised_at=timezone.now(),
    )
    UnitPredikat.objects.filter(pk=found.pk).update(status="final")
    text = _text(client.get(page).content)
    check = DocumentCheck.objects.get(kind="unit_predikat")
    assert (check.subject, check.nip, check.period_label) == (unit.name, "", "Tahunan 2024")
    assert f"{unit.name} 104,5 Istimewa 3 6 1 0 0 10" in text
    assert check.printed_code in text and "Budi Santoso" in text
    client.get(page)
    assert DocumentCheck.objects.count() == 1  # reused
    body = check_page(client, check.code).content.decode()
    assert 'data-testid="check-current"' in body and unit.name in body
    assert "Outstanding (Istimewa)" in body or "Istimewa" in body
    assert 'data-field="nip"' not in body and "104" not in body
    # Another distribution after a reopening: the decision printed before is superseded.
    PredikatDistribution.objects.filter(unit_predikat=found).update(
        counts={"sangat_baik": 2, "baik": 7, "butuh_perbaikan": 1}
    )
    body = check_page(client, check.code).content.decode()
    assert 'data-testid="check-superseded"' in body
    # Out of reach: 404.
    client.force_login(user_for(s.world, s.world.staff_b, "rina"))
    assert client.get(page).status_code == 404
