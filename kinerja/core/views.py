from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from .scope import Action


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


def share_rows(counts: dict[str, int], choices) -> list[dict]:
    """Return one row per choice with its label, count and share of the total, for bar lists."""
    total = sum(counts.values())
    return [
        {
            "status": value,
            "label": label,
            "count": counts.get(value, 0),
            "percent": round(100 * counts.get(value, 0) / total) if total else 0,
        }
        for value, label in choices
    ]


class HomeView(LoginRequiredMixin, TemplateView):
    """The signed-in user's dashboard: their instansi, roles, reach and the pages they can use.

    Models are looked up through the app registry: core imports no domain app.
    """

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        Instansi = apps.get_model("organisations", "Instansi")
        OrgUnit = apps.get_model("organisations", "OrgUnit")
        Employee = apps.get_model("organisations", "Employee")
        role_field = apps.get_model("accounts", "RoleAssignment")._meta.get_field("role")
        role_labels = dict(role_field.flatchoices)
        context = {
            "nav_active": "home",
            "instansi": Instansi.objects.filter(pk=scope.instansi_id).first(),
            "roles": sorted(str(role_labels.get(r, r)) for r in scope.roles),
        }
        if scope.can_anywhere(Action.VIEW_ORG):
            units = OrgUnit.objects.within(scope).active()
            context["unit_count"] = units.count()
            context["agency_count"] = units.agencies().count()
        if scope.can_anywhere(Action.VIEW_PEOPLE):
            staff = Employee.objects.within(scope).active()
            counts = staff.count_by_status()
            context["employee_count"] = sum(counts.values())
            context["status_rows"] = share_rows(counts, Employee._meta.get_field("status").choices)
        if scope.employee_id:
            context["me"] = (
                Employee.objects.within(scope)
                .select_related("unit", "position")
                .filter(pk=scope.employee_id)
                .first()
            )
        return super().get_context_data(**context, **kwargs)
