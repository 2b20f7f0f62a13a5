from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView


@never_cache
def healthz(request):
    """Report liveness and whether the database answers, as JSON."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        code = 200
    except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
        db = {"status": "error", "error": exc.__class__.__name__}
        code = 503
    return JsonResponse({"status": "ok" if code == 200 else "error", "database": db}, status=code)


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"


class ImportStartView(LoginRequiredMixin, TemplateView):
    """Placeholder replaced by the import engine's views."""

    template_name = "core/home.html"
