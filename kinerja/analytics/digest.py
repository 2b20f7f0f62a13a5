"""The weekly early-warning digest by e-mail (Django's mail backends; the console in the demo).

Recipients, per instansi:

- **each agency head**: whoever holds (or acts in: acting wins) the head post of an agency today,
  with a user account that is active and an e-mail address (the account's, else the employee
  record's); they get their agency's flagged PK/Renstra targets and the count of their staff
  plans' flagged targets at the last scan;
- **the leadership**: the active accounts holding the leadership role in the instansi, with an
  e-mail address; they get the province's flagged targets (RPJMD and every agency's PK/Renstra)
  and the staff flags per agency.

Indonesian by default (the site's language); the accounts store no language of their own yet,
so `language_for` is the one place to read it once they do. One audit event per instansi
(``warning.digest``, by the system) names how many messages went out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kinerja.audit.services import record
from kinerja.organisations.models import Instansi, OrgUnit, Position
from kinerja.organisations.selectors import holders_by_post
from kinerja.performance.models import Period, Target

from . import selectors_warning as sel
from .models import TargetWarning, WarningStatus


@dataclass
class Message:
    """One digest e-mail: who, in which language, and what it lists."""

    address: str
    name: str
    language: str
    role: str  # "head" or "leadership"
    subject: str = ""
    body: str = ""
    rows: list = field(default_factory=list)
    agency_name: str = ""


def language_for(user) -> str:
    """The language of a user's e-mail: their own when stored, else the site's (Indonesian)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _address(user) -> str:
    if user.email:
        return user.email
    employee = getattr(user, "employee", None)
    return employee.email if employee is not None else ""


def _name(user) -> str:
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else str(user)


def site_url(path: str) -> str:
    """An absolute link when ``KINERJA_SITE_URL`` is set, else the path."""
    return getattr(settings, "KINERJA_SITE_URL", "").rstrip("/") + path


def heads(instansi: Instansi, today: dt.date) -> dict[int, list]:
    """{agency id: its head's active accounts with an address} (acting officials first)."""
    from kinerja.accounts.models import User

    posts = dict(
        Position.objects.filter(
            instansi=instansi, is_head=True, is_active=True, unit__parent__isnull=True
        ).values_list("pk", "unit_id")
    )
    holders = holders_by_post(posts, today)
    employee_agency = {}
    for post, people in holders.items():
        if people:
            employee_agency.setdefault(people[0].employee.pk, posts[post])
    out: dict[int, list] = defaultdict(list)
    users = User.objects.filter(employee_id__in=employee_agency, is_active=True).select_related(
        "employee"
    )
    for user in users.order_by("pk"):
        if _address(user):
            out[employee_agency[user.employee_id]].append(user)
    return out


def leaders(instansi: Instansi, today: dt.date) -> list:
    from kinerja.accounts.models import RoleAssignment, User
    from kinerja.accounts.roles import Role

    held = RoleAssignment.objects.active_on(today).filter(instansi=instansi, role=Role.LEADERSHIP)
    users = User.objects.filter(pk__in=held.values("user_id"), is_active=True).select_related(
        "employee"
    )
    return [u for u in users.order_by("pk") if _address(u)]


def _staff_by_agency(instansi_id: int, year: int) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(WarningStatus.values, 0))
    for agency, state, n in (
        TargetWarning.objects.filter(
            instansi_id=instansi_id, year=year, target__indicator__result__isnull=False
        )
        .order_by()
        .values_list("target__indicator__unit__agency_id", "status")
        .annotate(n=Count("pk"))
    ):
        out[agency][state] = n
    return out


def build(instansi: Instansi, *, today: dt.date | None = None) -> list[Message]:
    """The messages of one instansi's digest, rendered (nothing sent)."""
    today = today or timezone.localdate()
    years = list(
        Period.objects.filter(instansi=instansi).order_by("-year").values_list("year", flat=True)
    )
    if not years:
        return []
    year = sel.default_year(years, today)
    goal = Target.objects.filter(instansi=instansi, year=year, indicator__result__isnull=True)
    flagged = [r for r in sel.project_targets(goal, today=today) if r.flagged]
    staff = _staff_by_agency(instansi.pk, year)
    names = dict(
        OrgUnit.objects.filter(instansi=instansi, parent__isnull=True).values_list("pk", "name")
    )
    limit = int(sel.policy_for_year(year)["digest_rows"])
    threshold = sel.threshold_for(year)
    messages: list[Message] = []
    for agency_id, users in sorted(heads(instansi, today).items()):
        rows = [r for r in flagged if r.agency_id == agency_id]
        for user in users:
            messages.append(
                _render(
                    Message(_address(user), _name(user), language_for(user), "head"),
                    rows=rows,
                    staff={agency_id: staff.get(agency_id, {})},
                    names=names,
                    agency_name=names.get(agency_id, ""),
                    year=year,
                    limit=limit,
                    threshold=threshold,
                    instansi=instansi,
                    agency_id=agency_id,
                )
            )
    for user in leaders(instansi, today):
        messages.append(
            _render(
                Message(_address(user), _name(user), language_for(user), "leadership"),
                rows=flagged,
                staff=dict(staff),
                names=names,
                agency_name="",
                year=year,
                limit=limit,
                threshold=threshold,
                instansi=instansi,
                agency_id=None,
            )
        )
    return messages


def _render(
    message: Message,
    *,
    rows,
    staff,
    names,
    agency_name,
    year,
    limit,
    threshold,
    instansi,
    agency_id,
):
    with translation.override(message.language):
        query = f"?year={year}" + (f"&agency={agency_id}" if agency_id else "")
        context = {
            "message": message,
            "instansi": instansi,
            "agency_name": agency_name,
            "year": year,
            "threshold": threshold,
            "rows": rows[:limit],
            "more": max(0, len(rows) - limit),
            "at_risk": sum(1 for r in rows if r.status == sel.Status.AT_RISK),
            "silent": sum(1 for r in rows if r.status == sel.Status.SILENT),
            "staff": sorted(
                ((names.get(a, "—"), c) for a, c in staff.items() if any(c.values())),
                key=lambda item: item[0],
            ),
            "list_url": site_url(reverse("analytics:warning_list") + query),
            "staff_url": site_url(reverse("analytics:warning_staff") + query),
            "site": site_url(""),
        }
        message.subject = " ".join(
            render_to_string("analytics/email/warning_digest_subject.txt", context).split()
        )
        message.body = render_to_string("analytics/email/warning_digest.txt", context)
    message.rows = rows
    message.agency_name = agency_name
    return message


def send(
    instansi: Instansi, *, today: dt.date | None = None, dry_run: bool = False
) -> list[Message]:
    """Build and send one instansi's digest (nothing sent on a dry run); the staff plans are
    scanned first so their counts are this morning's."""
    today = today or timezone.localdate()
    years = list(
        Period.objects.filter(instansi=instansi).order_by("-year").values_list("year", flat=True)
    )
    if not dry_run and years:
        sel.scan(instansi.pk, sel.default_year(years, today), today=today)
    messages = build(instansi, today=today)
    if dry_run or not messages:
        return messages
    connection = get_connection()
    connection.send_messages(
        [
            EmailMessage(m.subject, m.body, settings.DEFAULT_FROM_EMAIL, [m.address])
            for m in messages
        ]
    )
    record(
        actor=None,
        action="warning.digest",
        target=instansi,
        instansi_id=instansi.pk,
        changes={"messages": [None, len(messages)]},
    )
    return messages
