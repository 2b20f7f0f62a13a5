"""The achievement calculation: the rule functions of `kinerja.performance.achievement` as a
read-only endpoint, so another system can check its numbers against Kinerja's. It reads no
data, so any signed-in user or API token may call it."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from ...achievement import (
    CAP,
    FLOOR,
    NotComputed,
    Result,
    TargetSpec,
    evaluate,
    year_achievement,
    zero_outcomes,
)
from ...choices import TargetShape
from ...policy import achievement_rules
from ..serializers.achievement import AchievementAnswerSerializer, AchievementQuestionSerializer

NOT_COMPUTED_MESSAGES = {
    NotComputed.QUALITATIVE: _("A qualitative target is rated by the evaluator, not computed."),
    NotComputed.ZERO_TARGET_RATED: _(
        "The target is 0 and the indicator's zero-target rule leaves it to the evaluator."
    ),
    NotComputed.NO_REALISATION: _("No realisation has been reported."),
}


def _text(number: Decimal | None) -> str | None:
    """A decimal as exact text, without trailing zeros ("105", "7.75")."""
    if number is None:
        return None
    return format(number.normalize(), "f")


def _target(spec: TargetSpec) -> dict:
    return {
        "shape": spec.shape,
        "value": _text(spec.value),
        "low": _text(spec.low),
        "high": _text(spec.high),
    }


def _result(result: Result) -> dict:
    return {
        "outcome": result.outcome.value,
        "achievement": None if result.percent is None else f"{result.percent:.2f}",
        "unbounded": None if result.unbounded is None else f"{result.unbounded:.2f}",
        "limited_by": result.limited_by.value if result.limited_by else None,
        "against": _text(result.against),
        "zero_target": result.zero_target,
        "reason": result.reason.value if result.reason else None,
        "message": str(NOT_COMPUTED_MESSAGES[result.reason]) if result.reason else "",
    }


def _outcome_text(outcome) -> str:
    return outcome if outcome in (CAP, FLOOR) else _text(outcome)


def _rules(rules, polarity: str, cap: Decimal | None, zero_rule: str | None) -> dict:
    zero = zero_outcomes(rules, polarity, zero_rule)
    return {
        "valid_from": rules.valid_from.isoformat(),
        "cap": _text(cap if cap is not None else rules.cap),
        "cap_source": "indicator" if cap is not None else "policy",
        "floor": _text(rules.floor),
        "zero_target": {
            "rule": zero_rule or "policy",
            "rated": zero.rated,
            "equal": None if zero.rated else _outcome_text(zero.equal),
            "better": None if zero.rated else _outcome_text(zero.better),
            "worse": None if zero.rated else _outcome_text(zero.worse),
        },
    }


def _spec(shape: str, value=None, low=None, high=None) -> TargetSpec:
    if shape == TargetShape.QUALITATIVE:
        return TargetSpec(qualitative=True)
    if shape == TargetShape.VALUE:
        return TargetSpec(value=value)
    return TargetSpec(low=low, high=high)


def calculate(data: dict) -> dict:
    """The answer to a checked question (`AchievementQuestionSerializer`)."""
    rules = data.get("rules") or achievement_rules(data.get("on") or timezone.localdate())
    polarity, shape = data["polarity"], data["shape"]
    cap, zero_rule = data.get("cap"), data.get("zero_target_rule")
    subs = data.get("sub_period_targets")
    many = data.get("realisations")
    kw = {"polarity": polarity, "rules": rules, "cap": cap, "zero_rule": zero_rule}
    answer = {"polarity": polarity, "rules": _rules(rules, polarity, cap, zero_rule)}
    if many is None and subs is None:
        target = _spec(shape, data.get("target"), data.get("low"), data.get("high"))
        realisation = data.get("realisation")
        result = evaluate(target=target, realisation=realisation, **kw)
        return {
            **answer,
            **_result(result),
            "aggregation": None,
            "basis": None,
            "target": _target(target),
            "realisation": _text(realisation),
            "reported": [],
            "missing": [],
            "complete": realisation is not None,
            "sub_periods": [],
        }
    if shape == TargetShape.QUALITATIVE:
        targets = {"target": TargetSpec(qualitative=True)}
        many = many or [None]
    elif subs is not None:
        targets = {"sub_period_targets": [_spec(shape, **s) for s in subs]}
    else:
        targets = {"target": _spec(shape, data.get("target"), data.get("low"), data.get("high"))}
    year = year_achievement(
        aggregation=data.get("aggregation") or "last_value",
        realisations=many,
        basis=data["basis"],
        **targets,
        **kw,
    )
    return {
        **answer,
        **_result(year.result),
        "aggregation": year.aggregation,
        "basis": year.basis.value,
        "target": _target(year.target),
        "realisation": _text(year.realisation),
        "reported": list(year.reported),
        "missing": list(year.missing),
        "complete": year.complete,
        "sub_periods": [
            {
                "number": s.number,
                "target": _target(s.target),
                "realisation": _text(s.realisation),
                **_result(s.result),
            }
            for s in year.sub_periods
        ],
    }


EXAMPLES = [
    OpenApiExample(
        "A lower-is-better range, better than its low bound",
        summary="Lower is better [7, 8] months, 6.5 months: 107.14",
        value={"polarity": "lower_is_better", "shape": "range", "low": "7", "high": "8",
               "realisation": "6.5", "on": "2023-12-31"},
        request_only=True,
    ),
    OpenApiExample(
        "A lower-is-better range, worse than its high bound",
        summary="Lower is better [7, 8] months, 9 months: 87.50 (not 112.5)",
        value={"polarity": "lower_is_better", "shape": "range", "low": "7", "high": "8",
               "realisation": "9", "policy_version": "2023-01-01"},
        request_only=True,
    ),
    OpenApiExample(
        "Quarterly targets summed, the fourth quarter not reported",
        summary="Cumulative: 75 of the year's 100 (100 to date)",
        value={"polarity": "higher_is_better",
               "sub_period_targets": [{"value": "25"}, {"value": "25"},
                                      {"value": "25"}, {"value": "25"}],
               "realisations": ["30", "20", "25", None], "aggregation": "cumulative",
               "basis": "year"},
        request_only=True,
    ),
    OpenApiExample(
        "A target of 0 with the indicator's rule",
        summary="Zero target, better_capped: 120",
        value={"polarity": "higher_is_better", "target": "0", "realisation": "4",
               "zero_target_rule": "better_capped"},
        request_only=True,
    ),
    OpenApiExample(
        "The answer for the range example",
        value={
            "polarity": "lower_is_better", "outcome": "computed", "achievement": "107.14",
            "unbounded": "107.14", "limited_by": None, "against": "7", "zero_target": False,
            "reason": None, "message": "", "aggregation": None, "basis": None,
            "target": {"shape": "range", "value": None, "low": "7", "high": "8"},
            "realisation": "6.5", "reported": [], "missing": [], "complete": True,
            "sub_periods": [],
            "rules": {"valid_from": "2023-01-01", "cap": "120", "cap_source": "policy",
                      "floor": "0", "zero_target": {"rule": "policy", "rated": False,
                                                    "equal": "100", "better": "0",
                                                    "worse": "0"}},
        },
        response_only=True,
    ),
]  # fmt: skip


class AchievementCalculateView(APIView):
    """POST a question, get the achievement: writes nothing, reads no data."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="achievement_calculate",
        tags=["achievement"],
        summary="Calculate an achievement (capaian) as Kinerja does",
        description=(
            "Give the polarity, the target's shape, the target (a value, a range's `low` and "
            "`high`, or one per sub-period in `sub_period_targets`), the realisation (or one "
            "per sub-period in `realisations`, null where nothing was reported, with the "
            "`aggregation`), and the policy version (`on` a day, or `policy_version` a "
            "version's first day; by default today's). The answer gives the achievement in "
            "percent (two decimals, between the floor and the cap), the target and the "
            "realisation it used (aggregated), each sub-period's own achievement and the "
            "rules applied. A qualitative target, or a target of 0 whose rule leaves it to "
            "the evaluator, answers `outcome` = `not_computed` with the `reason`. Nothing is "
            "read or written; any signed-in user or API token may call it. Messages follow "
            "Accept-Language (Indonesian by default)."
        ),
        request=AchievementQuestionSerializer,
        responses=AchievementAnswerSerializer,
        examples=EXAMPLES,
    )
    def post(self, request):
        question = AchievementQuestionSerializer(data=request.data)
        question.is_valid(raise_exception=True)
        return Response(calculate(question.validated_data))
