"""A realisation's journey in a real browser, in Indonesian: the holder enters a quarter's
value and factors, attaches a PDF and submits; the superior finds it in the verification
queue and returns it with a comment; the holder reads the comment, corrects and resubmits; the
superior verifies. Each sees the status on the page at every step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from kinerja.performance.models import Realisation
from kinerja.performance.tests.conftest import pk, plan, scopes  # noqa: F401 - fixtures
from kinerja.performance.tests.realisation_fixtures import rl_fixture  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def small_pdf() -> bytes:
    """A valid one-page PDF (catalog, pages, a page with a line of text, a correct xref)."""
    stream = b"BT /F1 12 Tf 72 720 Td (Notulen rapat evaluasi triwulan I) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.fixture
def sign_in(browser, live_server):
    """Sign a person in, in a browser context of their own (so both stay signed in); the
    contexts are closed before the live server's database is flushed."""
    contexts = []

    def _sign_in(username):
        context = browser.new_context(locale="id-ID")
        contexts.append(context)
        return log_in(context.new_page(), live_server.url, username)

    yield _sign_in
    for context in contexts:
        context.close()


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    return page


def test_enter_submit_return_correct_resubmit_verify(sign_in, live_server, rl, tmp_path):
    base = live_server.url
    rl.verifier_user.set_password(PASSWORD)
    rl.verifier_user.save()
    evidence = tmp_path / "notulen-triwulan-1.pdf"
    evidence.write_bytes(small_pdf())

    # The holder (Budi, head of Dinas Pendidikan) enters the first quarter as a draft.
    holder = sign_in(rl.holder_user.username)
    holder.goto(f"{base}/plans/realisations/target/{rl.t_a.pk}/")
    expect(holder.get_by_test_id("realisation-row")).to_have_count(4)
    q1 = holder.locator(f"#realisation-row-{rl.t_a.pk}-{rl.q1.pk}")
    expect(q1.locator("td").nth(2)).to_have_text("")  # nothing entered yet
    q1.get_by_label("Nilai").fill("78.5")
    q1.get_by_label("Faktor pendukung").fill("Bantuan operasional sekolah tepat waktu")
    q1.get_by_label("Faktor penghambat").fill("Dua sekolah terdampak banjir")
    q1.get_by_role("button", name="Simpan", exact=True).click()
    q1 = holder.locator(f"#realisation-row-{rl.t_a.pk}-{rl.q1.pk}")  # the row is swapped by HTMX
    expect(q1.locator("td").nth(2)).to_have_text("Draf")

    # Its detail page takes the PDF as evidence.
    q1.get_by_role("link", name="Rincian dan bukti dukung").click()
    expect(holder.get_by_text("Belum ada bukti dukung.")).to_be_visible()
    holder.get_by_label("Label").fill("Notulen rapat evaluasi")
    holder.get_by_label("Berkas").set_input_files(str(evidence))
    holder.get_by_role("button", name="Tambah bukti dukung").click()
    expect(holder.get_by_text("Bukti dukung telah ditambahkan.")).to_be_visible()
    expect(holder.get_by_test_id("evidence")).to_contain_text("Notulen rapat evaluasi")
    expect(holder.get_by_test_id("evidence")).to_contain_text("PDF")

    # Back on the entry page, the holder submits it.
    holder.get_by_role("link", name="Semua subperiode").click()
    q1 = holder.locator(f"#realisation-row-{rl.t_a.pk}-{rl.q1.pk}")
    expect(q1.get_by_label("Nilai")).to_have_value("78.5")
    q1.get_by_role("button", name="Simpan dan ajukan").click()
    q1 = holder.locator(f"#realisation-row-{rl.t_a.pk}-{rl.q1.pk}")
    expect(q1.locator("td").nth(2)).to_have_text("Diajukan")
    expect(q1.locator("form")).to_have_count(0)  # submitted: no longer editable

    # The superior (Adhy) finds it in the queue, with its evidence, and returns it.
    superior = sign_in(rl.verifier_user.username)
    superior.get_by_role("link", name="Realisasi untuk diverifikasi").first.click()
    row = superior.get_by_test_id("realisation")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("DIK-01")
    expect(row).to_contain_text("Diajukan")
    expect(row.get_by_role("link", name="Notulen rapat evaluasi")).to_be_visible()
    row.get_by_role("link", name=re.compile("DIK-01")).click()
    expect(superior.get_by_test_id("evidence")).to_contain_text("Notulen rapat evaluasi")
    superior.get_by_label("Catatan").fill("Lampirkan juga daftar hadir rapat")
    superior.get_by_role("button", name="Kembalikan ke pemegang").click()
    expect(superior.get_by_text("Realisasi telah disimpan.")).to_be_visible()
    expect(superior.locator("dl")).to_contain_text("Dikembalikan")
    superior.get_by_role("link", name="Realisasi untuk diverifikasi").first.click()
    expect(superior.get_by_text("Tidak ada yang menunggu verifikasi Anda.")).to_be_visible()

    # The holder sees the comment, corrects the value and resubmits.
    holder.reload()
    q1 = holder.locator(f"#realisation-row-{rl.t_a.pk}-{rl.q1.pk}")
    expect(q1.locator("td").nth(2)).to_have_text("Dikembalikan")
    expect(q1).to_contain_text("Catatan verifikator: Lampirkan juga daftar hadir rapat")
    q1.get_by_label("Nilai").fill("80")
    q1.get_by_role("button", name="Simpan dan ajukan").click()
    q1 = holder.locator(f"#realisation-row-{rl.t_a.pk}-{rl.q1.pk}")
    expect(q1.locator("td").nth(2)).to_have_text("Diajukan ulang")

    # The superior verifies it.
    superior.reload()
    row = superior.get_by_test_id("realisation")
    expect(row).to_contain_text("Diajukan ulang")
    row.get_by_role("link", name=re.compile("DIK-01")).click()
    superior.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(superior.locator("dl")).to_contain_text("Terverifikasi")
    expect(superior.get_by_role("button", name="Verifikasi", exact=True)).to_have_count(0)

    holder.reload()
    expect(
        holder.locator(f"#realisation-row-{rl.t_a.pk}-{rl.q1.pk}").locator("td").nth(2)
    ).to_have_text("Terverifikasi")
    realisation = Realisation.objects.get()
    assert (realisation.status, realisation.value) == ("verified", 80)
    assert realisation.return_comment == "Lampirkan juga daftar hadir rapat"
    stored = realisation.evidence.get()
    assert (stored.file_type, stored.size) == ("pdf", len(small_pdf()))
