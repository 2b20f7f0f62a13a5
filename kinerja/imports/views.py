"""Pages of the import engine: upload, job list, job status (polled by HTMX), templates."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView

from kinerja.core.scope import Action
from kinerja.imports.models import ImportJob

from .base import ImportContext, get_importer, importers
from .errors import errors_xlsx
from .forms import ImportForm
from .jobs import importjob_create, importjob_reap, importjob_retry, importjob_run
from .tasks import run_import_job
from .workbook import template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 50
logger = logging.getLogger(__name__)


def reap_dead_jobs() -> None:
    """Fail the jobs of dead workers before a job page shows them; never fail the page."""
    try:
        importjob_reap()
    except DatabaseError:  # e.g. SQLite busy with a long import: the next page will do it
        logger.warning("Could not reap dead import jobs", exc_info=True)


class ImportAccessMixin(LoginRequiredMixin):
    """Let in only callers who may import somewhere."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.scope.can_anywhere(Action.IMPORT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportStartView(ImportAccessMixin, FormView):
    """Choose a kind, upload a file; small files run now, large ones on the worker."""

    template_name = "imports/import_start.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["importers"] = importers()
        context["recent_jobs"] = ImportJob.objects.within(self.request.scope).listed()[:5]
        context["background_rows"] = settings.KINERJA_IMPORT_BACKGROUND_ROWS
        return context

    def form_valid(self, form):
        total = form.estimated_rows
        job = importjob_create(
            actor=self.request.user,
            scope=self.request.scope,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            total_rows=total,
        )
        if total <= settings.KINERJA_IMPORT_BACKGROUND_ROWS:
            importjob_run(job=job)
        else:
            run_import_job.enqueue(job.pk)
        return redirect(job)


class ImportJobListView(ImportAccessMixin, ListView):
    template_name = "imports/importjob_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        reap_dead_jobs()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return ImportJob.objects.within(self.request.scope).listed().select_related("created_by")


@method_decorator(never_cache, name="dispatch")
class ImportJobDetailView(ImportAccessMixin, DetailView):
    """A job's status; with HTMX only the status partial, which polls until the job ends.

    An invalid job shows its errors a page at a time (``?errors_page=``) and links the whole
    list as a workbook.
    """

    context_object_name = "job"

    def get(self, request, *args, **kwargs):
        reap_dead_jobs()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return ImportJob.objects.within(self.request.scope).select_related("created_by", "retry_of")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        context["errors_page"] = Paginator(job.errors, ERRORS_PER_PAGE).get_page(
            self.request.GET.get("errors_page")
        )
        context["retries"] = list(ImportJob.objects.within(self.request.scope).filter(retry_of=job))
        return context

    def get_template_names(self):
        if self.request.htmx:
            return ["imports/partials/_importjob_status.html"]
        return ["imports/importjob_detail.html"]


class ImportJobErrorsView(ImportAccessMixin, View):
    """Download a job's errors as an .xlsx (row, column, value, message)."""

    def get(self, request, pk: int):
        job = get_object_or_404(ImportJob.objects.within(request.scope), pk=pk)
        response = HttpResponse(errors_xlsx(job), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="kinerja-import-{job.pk}-errors.xlsx"'
        )
        return response


class ImportJobRetryView(ImportAccessMixin, View):
    """Run a failed job again as a new job from the same stored file."""

    def post(self, request, pk: int):
        job = get_object_or_404(ImportJob.objects.within(request.scope), pk=pk)
        try:
            retry = importjob_retry(actor=request.user, scope=request.scope, job=job)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(job)
        if retry.total_rows <= settings.KINERJA_IMPORT_BACKGROUND_ROWS:
            importjob_run(job=retry)
        else:
            run_import_job.enqueue(retry.pk)
        return redirect(retry)


class ImportJobFileView(ImportAccessMixin, View):
    """Download the file a job was started with, to whoever may see the job."""

    def get(self, request, pk: int):
        job = get_object_or_404(ImportJob.objects.within(request.scope), pk=pk)
        if not job.file or not job.file.storage.exists(job.file.name):
            raise Http404
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.original_name)


class ImportTemplateView(ImportAccessMixin, View):
    """Download the .xlsx template of one kind."""

    def get(self, request, kind: str):
        importer = get_importer(kind)
        if importer is None:
            raise Http404
        scope = request.scope
        ctx = None
        if scope.instansi_id is not None:
            ctx = ImportContext(actor=request.user, scope=scope, instansi_id=scope.instansi_id)
        response = HttpResponse(template_xlsx(importer, ctx), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="kinerja-{kind}-template.xlsx"'
        return response
