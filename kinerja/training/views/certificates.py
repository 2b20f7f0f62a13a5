"""Certificate pages: the organiser's page of an event's certificates (who is eligible and
why not, issue all as a background run with its progress, issue one with an exception,
initial, revoke), the signer's signing page, a participant's own certificates, the PDF, and the
public check page of a verification code (no sign-in, rate-limited, not indexed)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from kinerja.core.pdf import pdf_response
from kinerja.performance.document_codes import mask_nip
from kinerja.performance.views.evaluation_documents import NOT_INDEXED, CheckThrottle

from ..certificate_pdf import certificate_filename, certificate_pdf
from ..models import (
    Certificate,
    CertificateBatch,
    CertificateStatus,
    Event,
    Participant,
    RevocationReason,
)
from ..querysets import organises
from ..services import certificates as svc


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def organiser_event(request, pk) -> Event:
    """The event, for the organiser only (others: 403; out of reach: 404)."""
    event = get_object_or_404(
        Event.objects.within(request.scope).select_related("training_type", "organiser_unit"),
        pk=pk,
    )
    if not organises(request.scope):
        raise PermissionDenied
    return event


def certificates_for(scope):
    return Certificate.objects.within(scope).select_related("event", "batch")


class CertificatesHomeView(LoginRequiredMixin, TemplateView):
    """Certificates at a glance: the organiser's events with their counts, the batches awaiting
    the caller's signature (the organiser unit's head), and a link to one's own."""

    template_name = "training/certificates/home.html"

    def get_context_data(self, **kwargs):
        scope, user = self.request.scope, self.request.user
        events = []
        if organises(scope):
            events = list(
                Event.objects.within(scope)
                .annotate(
                    participants_count=Count(
                        "participants", filter=Q(participants__status="confirmed"), distinct=True
                    ),
                    certificates_count=Count(
                        "certificates",
                        filter=~Q(certificates__status=CertificateStatus.REVOKED),
                        distinct=True,
                    ),
                )
                .order_by("-starts_on")[:50]
            )
        to_sign = [b for b in svc.signable_batches(scope) if svc.is_signer(user, b.event)]
        return {**super().get_context_data(**kwargs), "events": events, "to_sign": to_sign}


class EventCertificatesView(LoginRequiredMixin, TemplateView):
    """The organiser's page of an event's certificates."""

    template_name = "training/certificates/event.html"

    def get_context_data(self, **kwargs):
        event = organiser_event(self.request, kwargs["pk"])
        standings = svc.event_standings(event)
        batches = list(
            CertificateBatch.objects.within(self.request.scope)
            .filter(event=event)
            .select_related("initialled_by", "signed_by")
        )
        revoked = list(
            Certificate.objects.filter(event=event, status=CertificateStatus.REVOKED)
            .select_related("employee")
            .order_by("sequence")
        )
        return {
            **super().get_context_data(**kwargs),
            "event": event,
            "standings": standings,
            "eligible": sum(1 for s in standings if s.eligibility.eligible),
            "issued": sum(1 for s in standings if s.certificate),
            "signed": sum(
                1 for s in standings if s.certificate and s.certificate.status == "signed"
            ),
            "planned": svc.planned_jp(event),
            "batches": batches,
            "revoked": revoked,
            "is_signer": svc.is_signer(self.request.user, event),
        }


class BatchStartView(LoginRequiredMixin, View):
    """Issue every eligible participant's certificate, in the background."""

    def post(self, request, pk):
        event = organiser_event(request, pk)
        try:
            svc.certificate_batch_start(actor=request.user, scope=request.scope, event=event)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The certificates are being issued."))
        return redirect("training:certificate_event", pk=event.pk)


class BatchProgressView(LoginRequiredMixin, View):
    """The batch's progress (an HTMX fragment polled while it runs)."""

    def get(self, request, pk):
        batch = get_object_or_404(CertificateBatch.objects.within(request.scope), pk=pk)
        return render(request, "training/certificates/_progress.html", {"batch": batch})


class IssueOneView(LoginRequiredMixin, View):
    """Issue one participant's certificate; an exception needs a reason."""

    def post(self, request, pk):
        participant = get_object_or_404(
            Participant.objects.within(request.scope).select_related("event"), pk=pk
        )
        if not organises(request.scope):
            raise PermissionDenied
        try:
            svc.certificate_issue(
                actor=request.user,
                scope=request.scope,
                participant=participant,
                exception_reason=request.POST.get("exception_reason", ""),
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The certificate was issued."))
        return redirect("training:certificate_event", pk=participant.event_id)


class BatchInitialView(LoginRequiredMixin, View):
    """The reviewer's initial (paraf) on a batch."""

    def post(self, request, pk):
        batch = get_object_or_404(CertificateBatch.objects.within(request.scope), pk=pk)
        try:
            svc.certificate_batch_initial(actor=request.user, scope=request.scope, batch=batch)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The batch was initialled."))
        return redirect("training:certificate_event", pk=batch.event_id)


def signing_batch(request, pk) -> CertificateBatch:
    """The batch, for the organiser and for the signer (the organiser unit's head)."""
    batch = get_object_or_404(
        CertificateBatch.objects.filter(instansi_id=request.scope.instansi_id).select_related(
            "event__organiser_unit", "initialled_by"
        ),
        pk=pk,
    )
    if not (organises(request.scope) or svc.is_signer(request.user, batch.event)):
        raise Http404
    return batch


class BatchSignView(LoginRequiredMixin, View):
    """The signer signs a batch with their passphrase (never stored)."""

    template_name = "training/certificates/sign.html"

    def context(self, request, batch, **extra):
        return {
            "batch": batch,
            "event": batch.event,
            "count": batch.certificates.exclude(status=CertificateStatus.REVOKED).count(),
            "is_signer": svc.is_signer(request.user, batch.event),
            "national_ca": settings.KINERJA_CERTIFICATE_SIGNER == "national_ca",
            **extra,
        }

    def get(self, request, pk):
        batch = signing_batch(request, pk)
        return render(request, self.template_name, self.context(request, batch))

    def post(self, request, pk):
        batch = signing_batch(request, pk)
        try:
            svc.certificate_batch_sign(
                actor=request.user,
                scope=request.scope,
                batch=batch,
                passphrase=request.POST.get("passphrase", ""),
                signer_nik=request.POST.get("nik", "").strip(),
            )
        except ValidationError as exc:
            context = self.context(request, batch, error=_errors(exc))
            return render(request, self.template_name, context)
        messages.success(request, _("The certificates were signed."))
        if organises(request.scope):
            return redirect("training:certificate_event", pk=batch.event_id)
        return redirect("training:certificate_sign", pk=batch.pk)


class RevokeView(LoginRequiredMixin, View):
    template_name = "training/certificates/revoke.html"

    def certificate(self, request, pk):
        certificate = get_object_or_404(certificates_for(request.scope), pk=pk)
        if not organises(request.scope):
            raise PermissionDenied
        return certificate

    def get(self, request, pk):
        certificate = self.certificate(request, pk)
        return render(
            request,
            self.template_name,
            {"certificate": certificate, "categories": RevocationReason.choices},
        )

    def post(self, request, pk):
        certificate = self.certificate(request, pk)
        try:
            svc.certificate_revoke(
                actor=request.user,
                scope=request.scope,
                certificate=certificate,
                category=request.POST.get("category", ""),
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            context = {
                "certificate": certificate,
                "categories": RevocationReason.choices,
                "error": _errors(exc),
                "typed": request.POST,
            }
            return render(request, self.template_name, context)
        messages.success(request, _("The certificate was revoked."))
        return redirect("training:certificate_event", pk=certificate.event_id)


def certificate_pdf_bytes(certificate, scope) -> bytes | None:
    """The PDF a reader gets: the signed one; before signing, the unsigned one for the
    organiser only (None: nothing to give)."""
    if certificate.signed_pdf:
        with certificate.signed_pdf.open("rb") as handle:
            return handle.read()
    if not organises(scope):
        return None
    if certificate.pdf:
        with certificate.pdf.open("rb") as handle:
            return handle.read()
    return certificate_pdf(certificate)


class CertificatePdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        certificate = get_object_or_404(certificates_for(request.scope), pk=pk)
        content = certificate_pdf_bytes(certificate, request.scope)
        if content is None:
            raise Http404
        name = certificate_filename(certificate, signed=bool(certificate.signed_pdf))
        return pdf_response(content, name, inline=False)


class MyCertificatesView(LoginRequiredMixin, TemplateView):
    template_name = "training/certificates/mine.html"

    def get_context_data(self, **kwargs):
        employee_id = self.request.scope.employee_id
        rows = (
            Certificate.objects.filter(
                instansi_id=self.request.scope.instansi_id, employee_id=employee_id
            ).select_related("event")
            if employee_id
            else Certificate.objects.none()
        )
        return {**super().get_context_data(**kwargs), "certificates": rows.order_by("-issued_at")}


class CertificateCheckThrottle(CheckThrottle):
    """The check page's throttle (per address, the API's anonymous rate), counted apart from
    the evaluation documents' page."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": "certificate_check", "ident": self.get_ident(request)}


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def check_facts(certificate: Certificate) -> dict:
    """What the public page (and its API) shows: what the certificate states, and whether it
    is valid; a revocation with its date and category, never the internal note."""
    facts = certificate.facts
    return {
        "code": certificate.printed_code,
        "number": certificate.number,
        "name": facts.get("name", ""),
        "nip": mask_nip(facts.get("nip", "")),
        "agency": facts.get("agency", ""),
        "event": facts.get("event", ""),
        "dates": facts.get("dates", ""),
        "venue": facts.get("venue", ""),
        "jp_total": facts.get("jp_total", ""),
        "issued_on": _day(certificate.issued_at),
        "signed": bool(certificate.signed_at),
        "signed_on": _day(certificate.signed_at),
        "valid": certificate.status != CertificateStatus.REVOKED,
        "revoked_on": _day(certificate.revoked_at),
        "revocation": certificate.revocation_category,
        "revocation_label": (
            str(certificate.get_revocation_category_display())
            if certificate.revocation_category
            else ""
        ),
    }


def private(response):
    response["X-Robots-Tag"] = NOT_INDEXED
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


class CertificateCheckView(View):
    """Is this certificate genuine and still valid? (public)"""

    template_name = "training/certificates/check.html"

    def get(self, request, code):
        throttle = CertificateCheckThrottle()
        if not throttle.allow_request(request, self):
            response = render(request, self.template_name, {"throttled": True}, status=429)
            response["Retry-After"] = str(int(throttle.wait() or 60))
            return private(response)
        certificate = svc.find_by_code(code)
        if certificate is None:
            return private(render(request, self.template_name, {"code": code[:40]}, status=404))
        context = {"certificate": certificate, "facts": check_facts(certificate)}
        return private(render(request, self.template_name, context))
