"""The early warning's demo step: scan the year's targets so the staff list and the home card
have flags, and give the demo's head and leadership accounts an address (under the reserved
``.example`` domain, never delivered) so the weekly digest has recipients on the console."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.performance.models import Period

from . import selectors_warning as sel
from .models import TargetWarning

DEMO_DOMAIN = "demo.example"


def demo_warning_run(ctx) -> str:
    instansi = ctx.instansi
    years = list(
        Period.objects.filter(instansi=instansi).order_by("-year").values_list("year", flat=True)
    )
    if not years:
        return _("no period: nothing to scan")
    from kinerja.accounts.models import RoleAssignment, User

    today = timezone.localdate()
    head_employees = _head_employees(instansi, today)
    leaders = RoleAssignment.objects.filter(instansi=instansi, role="leadership").values("user_id")
    addressed = 0
    for user in User.objects.filter(is_demo=True, email="").filter(
        employee_id__in=head_employees
    ) | User.objects.filter(is_demo=True, email="", pk__in=leaders):
        user.email = f"{user.username}@{DEMO_DOMAIN}"
        user.save(update_fields=["email"])
        addressed += 1
    year = sel.default_year(years, today)
    flags = sel.scan(instansi.pk, year, today=today)
    return _("%(flags)d targets flagged in %(year)d; %(n)d demo accounts given an address") % {
        "flags": flags,
        "year": year,
        "n": addressed,
    }


def _head_employees(instansi, today) -> set[int]:
    from kinerja.organisations.models import Position
    from kinerja.organisations.selectors import holders_by_post

    posts = Position.objects.filter(
        instansi=instansi, is_head=True, is_active=True, unit__parent__isnull=True
    ).values_list("pk", flat=True)
    return {people[0].employee.pk for people in holders_by_post(posts, today).values() if people}


def demo_warning_wipe(ctx) -> str:
    removed = TargetWarning.objects.filter(instansi=ctx.instansi).delete()[0]
    return _("removed %(n)d early-warning flags") % {"n": removed}
