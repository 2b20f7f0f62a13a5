"""The certificate's PDF (WeasyPrint, QR by segno) and what it states.

``certificate_facts`` gathers, at issue, what the certificate states: the participant as
snapshotted on the enrolment (name, NIP, post, agency), the event, its dates and venue, the JP
attended and planned, and the sessions with their JP (a session whose subject was not
published is shown as such). They are stored on the certificate, so the PDF, the public check
page and the API say the same thing, and a later change of the event does not rewrite them.
The PDF is always in Indonesian (official document)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from kinerja.core.formatting import format_nip
from kinerja.core.pdf import pdf_filename, render_pdf
from kinerja.performance.document_codes import grouped
from kinerja.performance.evaluation_documents import qr_svg


def fmt_jp(value: Decimal | str | int) -> str:
    """Lesson hours as printed: ``22``, ``19,8`` (no trailing zeros, Indonesian comma)."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    return text.replace(".", ",")


def date_span(first, last) -> str:
    """``11-13 Januari 2023``, ``30 Januari - 1 Februari 2023``, in Indonesian."""
    with translation.override("id"):
        if first == last:
            return formats.date_format(first, "j F Y")
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day}-{formats.date_format(last, 'j F Y')}"
        if first.year == last.year:
            return f"{formats.date_format(first, 'j F')} - {formats.date_format(last, 'j F Y')}"
        return f"{formats.date_format(first, 'j F Y')} - {formats.date_format(last, 'j F Y')}"


def session_rows(event) -> list[dict[str, Any]]:
    rows = []
    sessions = event.sessions.order_by("starts_at", "pk").prefetch_related("speaker_links__speaker")
    for session in sessions:
        speakers = ", ".join(link.speaker.name for link in session.speaker_links.all())
        rows.append(
            {
                "title": session.title if session.published else "",
                "published": session.published,
                "speakers": speakers,
                "jp": fmt_jp(session.jp),
            }
        )
    return rows


def certificate_facts(*, participant, event, jp_total, jp_planned, sessions, issued_on) -> dict:
    """What the certificate states (stored as JSON on the certificate)."""
    employee = participant.employee
    with translation.override("id"):
        issued = formats.date_format(issued_on, "j F Y")
    organiser = event.organiser_unit
    return {
        "name": employee.display_name,
        "nip": employee.nip or "",
        "nip_grouped": format_nip(employee.nip or ""),
        "position": participant.position_title,
        "acting": participant.acting,
        "unit": participant.unit_name,
        "agency": participant.agency_name,
        "event": event.title,
        "programme": event.programme.name,
        "training_type": event.training_type.name,
        "venue": event.venue,
        "dates": date_span(event.starts_on, event.ends_on),
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "jp_total": fmt_jp(jp_total),
        "jp_planned": fmt_jp(jp_planned),
        "sessions": sessions,
        "organiser": organiser.name,
        "signer_title": f"Kepala {organiser.name}",
        "place": getattr(settings, "KINERJA_DOCUMENT_PLACE", "") or event.venue or "",
        "issued_on": issued,
    }


def check_url(code: str, request=None) -> str:
    """The public check page's address (``KINERJA_PUBLIC_URL`` when set)."""
    path = reverse("training:certificate_check", args=[grouped(code)])
    base = getattr(settings, "KINERJA_PUBLIC_URL", "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def certificate_pdf(certificate, request=None) -> bytes:
    """The unsigned PDF of a certificate, from its stored facts."""
    url = check_url(certificate.code, request)
    context = {
        "c": certificate,
        "f": certificate.facts,
        "printed_code": grouped(certificate.code),
        "check_url": url,
        "qr": qr_svg(url),
    }
    return render_pdf("training/documents/certificate.html", context)


def certificate_filename(certificate, signed: bool = True) -> str:
    return pdf_filename(
        "STTPP", certificate.year, f"{certificate.sequence:04d}", "" if signed else "draf"
    )
