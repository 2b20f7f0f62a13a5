"""Checks of the demo's employee plans (SKP) and realisations, run by ``test_demo.py`` on its
shared load: the bulk step gives the rows the services' rules give, for every active employee
of 2023 and for the current year in progress."""

import datetime as dt

from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone
from django.utils.module_loading import import_string

from kinerja.audit.models import AuditEvent
from kinerja.core.registry import demo_steps
from kinerja.organisations.management.commands.load_demo import DemoContext
from kinerja.organisations.models import Assignment, Instansi
from kinerja.organisations.selectors import posts_on
from kinerja.performance.choices import SubPeriodStatus
from kinerja.performance.demo_plans import demo_plans_run, demo_plans_wipe
from kinerja.performance.models import (
    ActionProgress,
    ActionSchedule,
    Indicator,
    LateEntryWindow,
    Plan,
    PlanBehaviour,
    PlanResult,
    PlanStatus,
    Realisation,
    RealisationStatus,
    SubPeriod,
    Target,
)
from kinerja.performance.selectors import can_enter
from kinerja.performance.services import skp

YEAR = 2023


def _every_employee_in_post_in_2023_has_a_signed_plan():
    start = dt.date(YEAR, 1, 2)
    in_post = set(posts_on(Assignment.objects.values_list("employee_id", flat=True), start))
    plans = Plan.objects.filter(period__year=YEAR)
    assert set(plans.filter(starts=start).values_list("employee_id", flat=True)) == in_post
    assert len(in_post) > 240
    assert plans.exclude(status=PlanStatus.SIGNED).count() == 0
    assert plans.filter(signed_at__isnull=True).count() == 0
    # 1 to 3 results each, each result 1 to 3 indicators with a target of the year.
    per_plan = set(
        PlanResult.objects.filter(plan__in=plans)
        .values("plan")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert per_plan <= {1, 2, 3}
    iki = Indicator.objects.filter(result__plan__in=plans)
    assert iki.count() == Target.objects.filter(indicator__in=iki, year=YEAR).count()
    assert set(iki.values_list("aspect", flat=True)) == {"quantity", "quality", "time"}
    assert PlanBehaviour.objects.filter(plan__in=plans).count() == 7 * plans.count()
    assert plans.filter(resources="").count() == 0
    qualitative = plans.filter(approach="qualitative").count()
    assert 0 < qualitative < plans.count() // 8
    # A head of agency serves the agreement's targets; everyone else the evaluator's results.
    heads = PlanResult.objects.filter(plan__in=plans, serves_target__isnull=False)
    assert heads.values("plan__unit").distinct().count() == 52
    assert set(heads.values_list("classification", flat=True)) == {"organisational", "individual"}
    others = PlanResult.objects.filter(plan__in=plans, serves_target__isnull=True)
    assert others.filter(serves__isnull=True).count() == 0
    assert others.exclude(serves__plan__employee_id=F("plan__evaluator_id")).count() == 0
    assert AuditEvent.objects.filter(action="plan.create").count() == Plan.objects.count()


def _a_transferred_employee_has_two_plans_with_the_evaluators_of_their_first_days():
    moved = Assignment.objects.filter(valid_from=dt.date(YEAR, 7, 1))
    assert moved.count() == 1  # one in a hundred of the non-head staff (of 250: one)
    employee = moved.first().employee
    first, second = Plan.objects.filter(employee=employee, period__year=YEAR).order_by("starts")
    assert (first.starts, first.ends) == (dt.date(YEAR, 1, 2), dt.date(YEAR, 6, 30))
    assert (second.starts, second.ends) == (dt.date(YEAR, 7, 1), dt.date(YEAR, 12, 31))
    assert first.unit_id != second.unit_id
    for plan in (first, second):
        expected = skp.plan_evaluator(employee, plan.starts, {}, plan.delegated_authority)
        assert plan.evaluator == expected["evaluator"]
        assert plan.evaluator_title == expected["evaluator_title"]
    assert AuditEvent.objects.filter(action="employee.update", target_id=str(employee.pk)).exists()


def _the_rows_pass_the_services_checks():
    """The bulk rows are those the services would write: the post and evaluator of the first
    day (acting officials included), and each result's kind, text and what it serves."""
    for plan in Plan.objects.select_related("employee", "period").order_by("pk")[::7]:
        given = {f"evaluator_{k}": getattr(plan, f"evaluator_{k}") for k in ("name", "title")}
        expected = skp.plan_evaluator(plan.employee, plan.starts, given, plan.delegated_authority)
        assert {k: getattr(plan, k) for k in expected} == expected
        assert skp._post_on(plan.employee, plan.starts).pk == plan.position_id
    results = PlanResult.objects.select_related(
        "plan__position", "plan__period", "serves__plan__employee"
    )
    for result in results.order_by("pk")[::5]:
        skp._check_result(result.plan, result)  # raises on a rule broken
    # The Plt of a division head's post evaluates the division's staff.
    assert Plan.objects.filter(period__year=YEAR, evaluator_title__startswith="Plt. ").exists()


def _2023_realisations_are_the_quarters_times_the_indicators_all_verified():
    targets = Target.objects.filter(year=YEAR, indicator__result__isnull=False)
    quarters = {
        t: sum(
            1
            for s in SubPeriod.objects.filter(period__year=YEAR)
            if s.starts <= ends and s.ends >= starts
        )
        for t, starts, ends in targets.values_list(
            "pk", "indicator__result__plan__starts", "indicator__result__plan__ends"
        )
    }
    realisations = Realisation.objects.filter(target__in=targets)
    assert realisations.count() == sum(quarters.values())
    assert realisations.count() > 4 * targets.count() - 200  # the transferred: two quarters each
    assert set(realisations.values_list("status", flat=True)) == {RealisationStatus.VERIFIED}
    mismatched = realisations.exclude(holder_id=F("target__indicator__result__plan__employee_id"))
    assert mismatched.count() == 0
    assert SubPeriod.objects.filter(period__year=YEAR, status=SubPeriodStatus.OPEN).count() == 0
    # The 2023 action plans' progress: every quarter an action plans something for.
    planned = ActionSchedule.objects.filter(
        action__agreement__year=YEAR, action__agreement__is_current=True, weight__gt=0
    )
    progress = ActionProgress.objects.filter(action__agreement__year=YEAR)
    assert progress.count() == planned.count() > 100
    assert AuditEvent.objects.filter(action="action.progress").count() == progress.count()
    assert AuditEvent.objects.filter(action="realisation.create").count() == (
        Realisation.objects.count()
    )


def _the_current_year_is_in_progress_with_returned_late_and_waiting_entries():
    today = timezone.localdate()
    plans = Plan.objects.filter(period__year=today.year)
    statuses = dict(plans.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    assert statuses[PlanStatus.SIGNED] > 0.8 * plans.count()
    assert statuses.get(PlanStatus.DRAFT, 0) + statuses.get(PlanStatus.SUBMITTED, 0) > 0
    closed = SubPeriod.objects.filter(period__year=today.year, ends__lt=today)
    assert set(closed.values_list("status", flat=True)) == {SubPeriodStatus.CLOSED}
    current = Realisation.objects.filter(target__year=today.year)
    assert set(current.values_list("sub_period", flat=True)) == set(
        closed.values_list("pk", flat=True)
    )
    assert current.filter(target__indicator__result__plan__status=PlanStatus.DRAFT).count() == 0
    returned = current.filter(status=RealisationStatus.RETURNED)
    assert returned.count() > 0 and returned.filter(return_comment="").count() == 0
    waiting = current.filter(status=RealisationStatus.SUBMITTED)
    assert waiting.count() > returned.count() // 2
    windows = LateEntryWindow.objects.all()
    assert windows.count() >= 1
    last = closed.order_by("-number").first()
    for window in windows:
        assert window.sub_period == last and can_enter(unit=window.unit, sub_period=last, on=today)
        late = waiting.filter(sub_period=last, target__indicator__unit=window.unit)
        assert late.filter(submitted_at__date=today).exists()


def _a_second_run_keeps_and_reset_rebuilds_the_same():
    """A second load keeps the plans; the step's wipe and run make the same rows again (the
    full reset runs in the agreements' demo test, this step's wipe first)."""

    def counts():
        return (
            Plan.objects.count(),
            Realisation.objects.count(),
            Realisation.objects.filter(status=RealisationStatus.RETURNED).count(),
            LateEntryWindow.objects.count(),
        )

    before = counts()
    call_command("load_demo", staff=250, seed=1, verbosity=0)
    assert counts() == before
    ctx = DemoContext(staff=250, seed=1, instansi=Instansi.objects.get())
    # The steps after this one build on its plans (the evaluations rate them, the training's
    # action plans link their results): wiped first, the latest first.
    plans_order = next(step.order for step in demo_steps() if step.label == "employee_plans")
    for step in reversed(demo_steps()):
        if step.order > plans_order and step.wipe:
            import_string(step.wipe)(ctx)
    before = counts()  # without the agencies' realisations the evaluations step entered
    assert str(before[0]) in demo_plans_wipe(ctx)  # the summary names the plans removed
    assert Plan.objects.count() == Indicator.objects.filter(result__isnull=False).count() == 0
    demo_plans_run(ctx)
    assert counts() == before
