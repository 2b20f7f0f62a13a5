"""Checks of the demo's evaluations, run by ``test_demo.py`` on its shared load: the bulk step
gives the rows the services' rules give (the suggestion from the roll-up, the predikat from the
matrix, a reason for every override), 2023 evaluated end to end and the current year's closed
quarters so far."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.performance.evaluation_rules import (
    evaluation_rules_for_year,
    predikat,
    suggested_rating,
)
from kinerja.performance.models import (
    Evaluation,
    EvaluationBehaviour,
    EvaluationKind,
    EvaluationSource,
    EvaluationStatus,
    Plan,
    PlanStatus,
    Rollup,
    RollupKind,
    SubPeriod,
)
from kinerja.performance.services.evaluation import is_head_of_organisation


def _2023_is_rated_every_quarter_and_once_for_the_year():
    plans = Plan.objects.filter(period__year=2023, is_current=True, status=PlanStatus.SIGNED)
    subs = list(SubPeriod.objects.filter(period__year=2023))
    expected = sum(
        1 for p in plans for s in subs if s.starts <= p.ends and s.ends >= p.starts
    )  # the quarters each plan covers a day of
    periodic = Evaluation.objects.filter(plan__period__year=2023, kind=EvaluationKind.PERIODIC)
    assert periodic.count() == expected > 0
    annual = Evaluation.objects.filter(plan__period__year=2023, kind=EvaluationKind.ANNUAL)
    employees = plans.values("employee").distinct().count()
    # One annual evaluation per employee, on the last plan of the year.
    assert annual.count() == employees
    assert annual.values("plan__employee").distinct().count() == employees
    assert not Evaluation.objects.filter(plan__period__year=2023).exclude(
        status=EvaluationStatus.FINAL
    )
    moved = (
        plans.values("employee").annotate(n=Count("pk")).filter(n=2).order_by("employee").first()
    )
    if moved:
        mine = annual.get(plan__employee=moved["employee"])
        assert mine.plan == plans.filter(employee=moved["employee"]).latest("starts")


def _the_rows_follow_the_rules():
    percents = {
        (r.kind, r.object_id, r.year, r.sub_period): r.percent
        for r in Rollup.objects.filter(kind__in=(RollupKind.PLAN, RollupKind.AGENCY))
    }
    from kinerja.performance.demo_evaluations import load_spec

    curve_reason = load_spec()["curve_reason"]
    overrides = Counter()
    for e in Evaluation.objects.select_related("plan__period", "plan__position", "plan__unit"):
        year = e.plan.period.year
        rules = evaluation_rules_for_year(year)
        assert e.suggested_rating == (suggested_rating(rules, e.achievement) or "")
        assert e.predikat == predikat(rules, e.results_rating, e.behaviour_rating)
        if e.suggested_rating and e.results_rating != e.suggested_rating:
            assert e.override_reason  # never an override without its reason
            overrides["curve" if e.override_reason == curve_reason else year] += 1
        elif not e.objections.exists():
            assert e.override_reason == ""
        if is_head_of_organisation(e.plan):
            assert e.source == EvaluationSource.AGENCY
            assert (
                e.achievement == percents[(RollupKind.AGENCY, e.plan.unit_id, year, e.sub_period)]
            )
            assert e.results_rating == e.suggested_rating != ""
        elif e.source == EvaluationSource.PLAN:
            assert e.achievement == percents.get((RollupKind.PLAN, e.plan_id, year, e.sub_period))
    total = Evaluation.objects.count()
    # An evaluator's own overrides, a few in a hundred each year; in 2023 the curve's besides.
    this_year = timezone.localdate().year
    assert 0 < overrides[2023] < total * 0.1 and 0 < overrides[this_year] < total * 0.1
    assert overrides["curve"] > 0
    assert not Evaluation.objects.filter(
        plan__period__year=this_year, override_reason=curve_reason
    ).exists()
    # One audit event per evaluation.
    assert AuditEvent.objects.filter(action="evaluation.open").count() == total
    # Feedback on the values that stood out, at the employee's behaviour rating.
    stood_out = EvaluationBehaviour.objects.select_related("evaluation")
    assert stood_out.exists()
    assert all(b.rating == b.evaluation.behaviour_rating and b.feedback for b in stood_out)
    assert Counter(Evaluation.objects.values_list("predikat", flat=True))["baik"] > total / 2
    assert Counter(Evaluation.objects.values_list("predikat", flat=True))["sangat_baik"] > 0


def _every_agency_has_its_2023_achievement():
    agencies = Rollup.objects.filter(kind=RollupKind.AGENCY, year=2023, sub_period=0)
    assert agencies.exists() and not agencies.filter(percent__isnull=True).exists()


def _the_current_year_has_its_closed_quarters_so_far():
    year = timezone.localdate().year
    closed = set(
        SubPeriod.objects.filter(period__year=year, ends__lt=timezone.localdate()).values_list(
            "number", flat=True
        )
    )
    current = Evaluation.objects.filter(plan__period__year=year)
    assert not current.filter(kind=EvaluationKind.ANNUAL).exists()
    assert set(current.values_list("sub_period", flat=True)) == closed
    last = max(closed)
    drafts = current.filter(status=EvaluationStatus.DRAFT)
    assert set(drafts.values_list("sub_period", flat=True)) <= {last}
    assert current.filter(status=EvaluationStatus.FINAL, sub_period=last).exists()
    # Only approved or signed plans are rated.
    assert not current.exclude(plan__status__in=(PlanStatus.APPROVED, PlanStatus.SIGNED))


def _every_agency_has_its_2023_predikat_and_its_curve_kept_but_one_justified():
    from kinerja.performance.curve_rules import breaches, curve_rules_for_year
    from kinerja.performance.models import PredikatDistribution, UnitPredikat
    from kinerja.performance.selectors_unit_predikat import distribution

    agencies = Rollup.objects.filter(kind=RollupKind.AGENCY, year=2023, sub_period=0).count()
    years = UnitPredikat.objects.filter(period__year=2023, sub_period=0)
    assert years.count() == agencies
    assert not UnitPredikat.objects.exclude(status="final").exists()
    # Three recommendations on every year's predikat, none on the quarters'.
    assert {up.recommendations.count() for up in years} == {3}
    # One leader set a predikat other than the suggestion, with a reason.
    lowered = UnitPredikat.objects.exclude(reason="")
    assert lowered.count() == 1 and lowered.get().predikat != lowered.get().suggested
    rules = curve_rules_for_year(2023)
    justified = PredikatDistribution.objects.exclude(justification="")
    assert justified.count() == 1
    for final in PredikatDistribution.objects.select_related("unit_predikat__unit"):
        up = final.unit_predikat
        now = distribution(up.unit, up.period, up.sub_period, up.predikat)
        assert now.counts == final.counts or final.justification or up.sub_period == 0
        found = breaches(rules, up.predikat, final.counts)
        assert bool(found) == bool(final.justification), up.unit.name
        assert final.breaches == [b.as_dict() for b in found]
    # The curve moved ratings: a baik agency's year has at most 70 % baik.
    baik = years.filter(predikat="baik").exclude(distribution__justification__gt="").first()
    counts = baik.distribution.counts
    assert counts["baik"] <= round(sum(counts.values()) * 0.7 + 0.5)
    assert counts["butuh_perbaikan"] + counts["kurang"] >= 1


def _two_objections_one_upheld_one_changed():
    from kinerja.performance.models import Objection

    objections = Objection.objects.select_related("evaluation").order_by("filed_at")
    assert sorted(o.status for o in objections) == ["changed", "upheld"]
    for o in objections:
        assert o.decided_at > o.filed_at and o.decision_reason
        assert (o.filed_at - o.evaluation.finalised_at).days <= 14
    changed = objections.get(status="changed")
    assert (changed.predikat_before, changed.predikat_after) == ("baik", "sangat_baik")
    assert changed.evaluation.predikat == "sangat_baik"
    upheld = objections.get(status="upheld")
    assert upheld.evaluation.predikat == upheld.predikat_before == "butuh_perbaikan"
    assert AuditEvent.objects.filter(action="objection.decide").count() == 2


def _functional_posts_earn_credit_points():
    from kinerja.performance.selectors_consequences import evaluation_credit_points

    functional = Evaluation.objects.filter(
        plan__period__year=2023,
        kind=EvaluationKind.ANNUAL,
        plan__position_kind="fungsional",
        plan__position_title__endswith="Ahli Pertama",
        predikat="baik",
        plan__starts__lte="2023-01-15",
        plan__ends="2023-12-31",
    ).select_related("plan__period")
    evaluation = functional.first()
    assert evaluation is not None
    points = evaluation_credit_points(evaluation)
    assert points.points == Decimal("12.50")  # 12/12 x 100 % x 12.5
