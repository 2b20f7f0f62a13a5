"""The data the planning pages of ``bench/http.py`` need, made through the services.

Run inside the bench's database (``manage.py shell``) after ``load_demo``; running it again
keeps what is there. For the agency of the agency administrator it makes:

- a log-in (``bench.verifier``) for the employee who verifies the agency head's targets (the
  regional secretary, see ``bench/http_site/parties.py``), unless that employee has one;
- the agency's performance agreement (PK) of the current year, a draft holding every target
  of the agency for that year (first party the agency head, second the verifier);
- the verifier's queue: a realisation for each target and sub-period of the other years,
  entered and submitted by the agency administrator on the head's behalf;
- where the employee plans (SKP) exist and the demo made none: the agency head's draft plan of
  the current year, for the plan page;
- the write pool: a draft realisation for each target and sub-period of the current year,
  which the benchmark submits (administrator) and returns (verifier) in turn; those a former
  run left submitted are returned, so the queue shows the same rows at every run.

It prints one line ``BENCH{json}`` with the keys the benchmark formats its paths with and the
pool as ``[{"id", "version", "status"}]``.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from kinerja.accounts.models import RoleAssignment
from kinerja.accounts.roles import Role
from kinerja.accounts.scope import scope_for
from kinerja.organisations.models import Employee
from kinerja.organisations.selectors import holders_of
from kinerja.performance import services
from kinerja.performance.choices import TargetShape
from kinerja.performance.models import Agreement, Period, Realisation, SubPeriod, Target
from kinerja.performance.parties import target_parties
from kinerja.performance.services import realisations as rs

from .http_site import parties  # noqa: F401 - the verifier of the agency heads' targets

VERIFIER = "bench.verifier"
EDITABLE = ("draft", "returned")
AWAITING = ("submitted", "resubmitted")


def _verifier(agency, today: dt.date):
    """The employee who verifies the agency head's targets (``bench/http_site/parties.py``)."""
    target = Target.objects.filter(indicator__unit=agency, year=today.year).first()
    return Employee.objects.get(pk=target_parties(target, today)[1])


def _verifier_user(employee):
    User = get_user_model()  # noqa: N806
    user = User.objects.filter(employee=employee).first()
    if user is None:
        user = User.objects.filter(username=VERIFIER).first() or User(username=VERIFIER)
        user.instansi_id, user.employee = employee.instansi_id, employee
        user.set_unusable_password()
        user.save()
    return user


def _agreement(admin, scope, agency, year: int, today: dt.date) -> Agreement:
    found = Agreement.objects.filter(unit=agency, year=year, is_current=True).first()
    if found is None:
        found = services.agreement_create(
            actor=admin,
            scope=scope,
            instansi=agency.instansi,
            data={
                "unit": agency,
                "year": year,
                "agreement_date": today,
                # An agency head reports to no one: the governor is the second party.
                "second_party_name": "Gubernur Jawa Timur",
                "second_party_title": "Gubernur Jawa Timur",
            },
        )
    if not found.targets.exists() and found.is_draft:
        found = services.agreement_set_targets(
            actor=admin,
            scope=scope,
            agreement=found,
            version=found.version,
            targets=list(services.eligible_targets(found).order_by("pk")),
        )
    return found


def _entered(call, target, sub) -> Realisation:
    found = Realisation.objects.filter(target=target, sub_period=sub).first()
    if found is None:
        data = (
            {"outcome": "Tercapai sesuai rencana"}
            if target.shape == TargetShape.QUALITATIVE
            else {"value": Decimal("50")}
        )
        found = rs.realisation_create(**call, target=target, sub_period=sub, data=data)
    return found


def _first_plan(admin, scope, agency, today: dt.date):
    """An employee plan (SKP) of the agency, where the employee plans exist: the demo's first,
    else the agency head's draft plan of the current year (no results yet), made here."""
    try:
        model = apps.get_model("performance", "Plan")
        from kinerja.performance.services import skp
    except (LookupError, ImportError):
        return None
    found = model.objects.within(scope).order_by("pk").values_list("pk", flat=True).first()
    if found is not None:
        return found
    period = Period.objects.filter(instansi_id=agency.instansi_id, year=today.year).first()
    head = services.head_post_on(agency, today)
    if period is None or head is None or not holders_of(head, today):
        return None
    try:
        plan = skp.plan_create(
            actor=admin,
            scope=scope,
            instansi=agency.instansi,
            data={
                "employee": holders_of(head, today)[0].employee,
                "period": period,
                # An agency head reports to no one: the evaluator is named.
                "evaluator_name": "Sekretaris Daerah Provinsi Jawa Timur",
                "evaluator_title": "Sekretaris Daerah Provinsi Jawa Timur",
            },
        )
    except (ValidationError, PermissionDenied):
        return None
    return plan.pk


def _resolves(path: str) -> bool:
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


@transaction.atomic
def run(agency_admin: str, optional_paths: list[str]) -> dict:
    admin = get_user_model().objects.get(username=agency_admin)
    agency = (
        RoleAssignment.objects.filter(user=admin, role=Role.OPD_ADMIN)
        .select_related("unit__instansi")
        .first()
        .unit
    )
    scope = scope_for(admin)
    today = timezone.localdate()
    verifier = _verifier_user(_verifier(agency, today))
    agreement = _agreement(admin, scope, agency, today.year, today)

    call = {"actor": admin, "scope": scope}
    targets = Target.objects.filter(indicator__unit=agency).select_related("indicator__unit")
    pairs = [
        (target, sub)
        for target in targets.order_by("year", "pk")
        for sub in SubPeriod.objects.filter(
            instansi_id=agency.instansi_id, period__year=target.year
        ).order_by("number")
    ]
    pool_pairs = [p for p in pairs if p[0].year == today.year]
    queue_pairs = [p for p in pairs if p[0].year != today.year]
    if not queue_pairs:
        queue_pairs, pool_pairs = (
            pool_pairs[: len(pool_pairs) // 2],
            pool_pairs[len(pool_pairs) // 2 :],
        )
    refused = (ValidationError, PermissionDenied)  # a closed window, another verifier
    queue = 0
    for target, sub in queue_pairs:
        try:
            realisation = _entered(call, target, sub)
            if realisation.status in EDITABLE:
                realisation = rs.realisation_submit(
                    **call, realisation=realisation, version=realisation.version
                )
        except refused:
            continue
        queue += realisation.verifier_id == verifier.employee_id and realisation.status in AWAITING
    # The pool: realisations the administrator may submit and the verifier return. Those a
    # former run left submitted are returned, so the queue holds the same rows at every run.
    back = {"actor": verifier, "scope": scope_for(verifier), "comment": "Lengkapi bukti dukung"}
    pool = []
    # Only open sub-periods: a realisation of a closed one may be returned but never sent
    # again, and would answer 400 to every submit of the run.
    for target, sub in [p for p in pool_pairs if p[1].is_open]:
        try:
            realisation = _entered(call, target, sub)
            if realisation.status not in EDITABLE:
                realisation = rs.realisation_return(
                    **back, realisation=realisation, version=realisation.version
                )
        except refused:
            continue
        pool.append(realisation)
    skp_plan = _first_plan(admin, scope, agency, today)
    return {
        "agreement": agreement.pk,
        "skp_plan": skp_plan,
        "verifier": verifier.username,
        "queue": queue,
        "pool": [{"id": r.pk, "version": r.version, "status": r.status} for r in pool],
        "resolves": {path: _resolves(path) for path in optional_paths},
    }


def main(agency_admin: str, optional_paths: list[str]) -> None:
    print("BENCH" + json.dumps(run(agency_admin, optional_paths)))
