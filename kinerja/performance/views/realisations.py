"""Pages of realisations: the entry of a target's sub-periods (inline, HTMX), a realisation's
detail with its evidence and the verifier's steps, the verifier's queue and the download of
an evidence file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from kinerja.core.excel import export_response
from kinerja.core.pagination import CappedPaginator, cap_for
from kinerja.core.scope import Action

from ..choices import TargetShape
from ..forms.realisations import EvidenceForm, RealisationEntryForm, RealisationStepForm
from ..models import Evidence, EvidenceKind, Realisation, SubPeriod, Target
from ..parties import target_parties
from ..selectors import can_enter
from ..services import realisations as services

__all__ = [
    "EvidenceDownloadView",
    "RealisationExportView",
    "RealisationDetailView",
    "RealisationEntryRowView",
    "RealisationEntryView",
    "RealisationEvidenceView",
    "RealisationStepView",
    "VerificationQueueView",
]

QUEUE_PER_PAGE = 50  # a page of the queue; every waiting row is reached by paging


def _target(request, pk: int) -> tuple[Target, int | None]:
    """The target, to whoever reads its unit's plans or holds it; else "not found"."""
    scope = request.scope
    target = (
        Target.objects.filter(pk=pk, instansi_id=scope.instansi_id)
        .select_related("indicator__unit")
        .first()
    )
    if target is None:
        raise Http404
    holder = target_parties(target)[0]
    if not (
        Target.objects.within(scope).filter(pk=target.pk).exists()
        or (scope.employee_id and scope.employee_id == holder)
    ):
        raise Http404
    return target, holder


def _realisation(request, pk: int) -> Realisation:
    found = (
        Realisation.objects.within(request.scope)
        .select_related("target__indicator__unit", "sub_period__period")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _row(request, target, holder, sub_period, realisation=None, form=None, errors=None) -> dict:
    scope = request.scope
    unit = target.indicator.unit
    today = timezone.localdate()
    window = (
        sub_period.is_open
        if unit is None
        else can_enter(unit=unit, sub_period=sub_period, on=today)
    )
    editable = realisation is None or realisation.is_editable
    may = services.may_enter(scope, target, realisation.holder_id if realisation else holder)
    if form is None:
        initial = {"version": realisation.version} if realisation else {}
        if realisation:
            initial.update(
                value=f"{realisation.value.normalize():f}" if realisation.value is not None else "",
                outcome=realisation.outcome,
                supporting_factors=realisation.supporting_factors,
                obstructing_factors=realisation.obstructing_factors,
                note=realisation.note,
            )
        form = RealisationEntryForm(initial=initial, prefix=f"sp{sub_period.pk}")
    return {
        "sub_period": sub_period,
        "realisation": realisation,
        "window": window,
        "may_enter": may and window and editable,
        "form": form,
        "errors": errors or [],
    }


class RealisationEntryView(LoginRequiredMixin, TemplateView):
    """A target's sub-periods, each with its realisation, entered and submitted inline."""

    template_name = "performance/realisation_entry.html"

    def get_context_data(self, **kwargs):
        target, holder = _target(self.request, self.kwargs["pk"])
        subs = SubPeriod.objects.filter(
            instansi_id=target.instansi_id, period__year=target.year
        ).select_related("period")
        found = {
            r.sub_period_id: r
            for r in Realisation.objects.filter(target=target).prefetch_related("evidence")
        }
        rows = [_row(self.request, target, holder, s, found.get(s.pk)) for s in subs]
        return super().get_context_data(
            target=target,
            qualitative=target.shape == TargetShape.QUALITATIVE,
            rows=rows,
            nav_active="planning",
            **kwargs,
        )


class RealisationEntryRowView(LoginRequiredMixin, View):
    """Save (and with ``submit``, submit) one sub-period's realisation; an HTMX request gets
    the row back, any other a redirect to the entry page."""

    def post(self, request, pk, sub_period):
        target, holder = _target(request, pk)
        sub = (
            SubPeriod.objects.filter(pk=sub_period, instansi_id=target.instansi_id)
            .select_related("period")
            .first()
        )
        if sub is None:
            raise Http404
        realisation = Realisation.objects.filter(target=target, sub_period=sub).first()
        form = RealisationEntryForm(request.POST, prefix=f"sp{sub.pk}")
        errors = []
        call = {"actor": request.user, "scope": request.scope}
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                with transaction.atomic():  # a refused submission leaves nothing saved
                    realisation = self._save(call, target, sub, realisation, form, data)
                form = None
            except ValidationError as exc:
                errors = exc.messages
                realisation = Realisation.objects.filter(target=target, sub_period=sub).first()
        else:
            errors = [m for msgs in form.errors.values() for m in msgs]
        return self._answer(request, target, holder, sub, realisation, form, errors)

    @staticmethod
    def _save(call, target, sub, realisation, form, data):
        if realisation is None:
            realisation = services.realisation_create(
                **call, target=target, sub_period=sub, data=data
            )
        else:
            realisation = services.realisation_update(
                **call, realisation=realisation, version=form.cleaned_data["version"], data=data
            )
        if form.data.get("submit"):
            realisation = services.realisation_submit(
                **call, realisation=realisation, version=realisation.version
            )
        return realisation

    @staticmethod
    def _answer(request, target, holder, sub, realisation, form, errors):
        if not request.headers.get("HX-Request"):
            for message in errors:
                messages.error(request, message)
            return redirect("performance:realisation_entry", pk=target.pk)
        row = _row(request, target, holder, sub, realisation, form, errors)
        return render(
            request,
            "performance/partials/_realisation_row.html",
            {"row": row, "target": target, "qualitative": target.shape == TargetShape.QUALITATIVE},
        )


class RealisationDetailView(LoginRequiredMixin, TemplateView):
    """One realisation: its numbers, its steps and who took them, its evidence (downloads,
    and an upload while it is editable), and the verifier's verify or return."""

    template_name = "performance/realisation_detail.html"

    def get_context_data(self, **kwargs):
        realisation = _realisation(self.request, self.kwargs["pk"])
        scope = self.request.scope
        awaiting = realisation.status in ("submitted", "resubmitted")
        return super().get_context_data(
            realisation=realisation,
            evidence=list(realisation.evidence.all()),
            may_add=realisation.is_editable
            and services.may_enter(scope, realisation.target, realisation.holder_id),
            may_verify=awaiting and services.may_verify(scope, realisation),
            may_return=(awaiting or realisation.status == "verified")
            and services.may_verify(scope, realisation),
            evidence_form=EvidenceForm(),
            nav_active="planning",
            **kwargs,
        )


class RealisationStepView(LoginRequiredMixin, View):
    """Submit, verify or return a realisation (POST with the version shown)."""

    SERVICES = {
        "submit": services.realisation_submit,
        "verify": services.realisation_verify,
        "return": services.realisation_return,
    }

    def post(self, request, pk, step):
        realisation = _realisation(request, pk)
        if step not in self.SERVICES:
            raise Http404
        form = RealisationStepForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Reload the page and try again."))
            return redirect("performance:realisation_detail", pk=realisation.pk)
        extra = {"comment": form.cleaned_data["comment"]} if step == "return" else {}
        try:
            self.SERVICES[step](
                actor=request.user,
                scope=request.scope,
                realisation=realisation,
                version=form.cleaned_data["version"],
                **extra,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, gettext("The realisation has been saved."))
        return redirect("performance:realisation_detail", pk=realisation.pk)


class RealisationEvidenceView(LoginRequiredMixin, View):
    """Attach a file or a link to a realisation."""

    def post(self, request, pk):
        realisation = _realisation(request, pk)
        form = EvidenceForm(request.POST, request.FILES)
        call = {"actor": request.user, "scope": request.scope, "realisation": realisation}
        try:
            if not form.is_valid():
                raise ValidationError(gettext("Upload a file or give a link."))
            data = form.cleaned_data
            if data.get("file"):
                services.evidence_add_file(**call, upload=data["file"], label=data["label"])
            elif data.get("url"):
                services.evidence_add_link(**call, url=data["url"], label=data["label"])
            else:
                raise ValidationError(gettext("Upload a file or give a link."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, gettext("The evidence has been added."))
        return redirect(reverse("performance:realisation_detail", args=[realisation.pk]))


class VerificationQueueView(LoginRequiredMixin, TemplateView):
    """The realisations waiting for the caller as their verifier (submitted or resubmitted),
    oldest first."""

    template_name = "performance/realisation_queue.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        rows = Realisation.objects.none()
        if scope.employee_id:
            rows = (
                Realisation.objects.within(scope)
                .awaiting()
                .filter(verifier_id=scope.employee_id)
                .select_related("target__indicator__unit", "sub_period__period")
                .prefetch_related("evidence")
                .order_by("submitted_at", "pk")
            )
        get = self.request.GET
        # The page is read only when the queue is not kept ({% kept %} in the template).
        page = SimpleLazyObject(
            lambda: CappedPaginator(rows, QUEUE_PER_PAGE, cap=cap_for(get)).get_page(
                get.get("page")
            )
        )
        kwargs.setdefault("nav_active", "realisation_queue")
        return super().get_context_data(
            rows=SimpleLazyObject(lambda: page.object_list), page_obj=page, query="", **kwargs
        )


class EvidenceDownloadView(LoginRequiredMixin, View):
    """An evidence file, to whoever reaches its realisation; anyone else gets "not found"."""

    def get(self, request, pk):
        evidence = (
            Evidence.objects.filter(
                pk=pk,
                kind=EvidenceKind.FILE,
                realisation__in=Realisation.objects.within(request.scope),
            )
            .only("file", "file_name")
            .first()
        )
        if evidence is None:
            raise Http404
        return FileResponse(
            evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name
        )


class RealisationExportView(LoginRequiredMixin, View):
    """The realisations within reach as a workbook in the importer's layout (CSV with
    ``?format=csv``), filtered like the API: ``target``, ``sub_period``, ``unit``, ``status``,
    and ``year``."""

    def get(self, request):
        from ..api.views.realisations import RealisationFilter
        from ..realisation_io import RealisationReport

        if not request.scope.can_anywhere(Action.EXPORT):
            raise PermissionDenied
        rows = Realisation.objects.within(request.scope)
        filterset = RealisationFilter(request.GET, queryset=rows)
        rows = filterset.qs if filterset.is_valid() else rows.none()
        year = request.GET.get("year", "")
        if year.isascii() and year.isdigit() and len(year) == 4:
            rows = rows.filter(target__year=int(year))
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        filename = f"realisasi-{timezone.localtime():%Y%m%d-%H%M}"
        return export_response(RealisationReport(rows), filename=filename, fmt=fmt)
