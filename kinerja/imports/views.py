"""Pages of the import engine: upload, job list, job status (polled by HTMX), templates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView

from kinerja.core.scope import Action
from kinerja.imports.models import ImportJob

from .base import get_importer, importers
from .forms import ImportForm
from .jobs import importjob_create, importjob_run
from .tasks import run_import_job
from .workbook import template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        context["recent_jobs"] = ImportJob.objects.within(self.request.scope)[:5]
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

    def get_queryset(self):
        return ImportJob.objects.within(self.request.scope).select_related("created_by")


@method_decorator(never_cache, name="dispatch")
class ImportJobDetailView(ImportAccessMixin, DetailView):
    """A job's status; with HTMX only the status partial, which polls until the job ends."""

    context_object_name = "job"

    def get_queryset(self):
        return ImportJob.objects.within(self.request.scope).select_related("created_by")

    def get_template_names(self):
        if self.request.htmx:
            return ["imports/partials/_importjob_status.html"]
        return ["imports/importjob_detail.html"]


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
        response = HttpResponse(template_xlsx(importer), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="kinerja-{kind}-template.xlsx"'
        return response
