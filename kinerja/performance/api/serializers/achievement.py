"""API shapes of the achievement calculation: the question (polarity, target shape, one target
or one per sub-period, the realisations, the aggregation, the policy version, the indicator's
own cap and zero-target rule) and the answer. Every rule is in `kinerja.performance.achievement`;
this module only checks that the question is whole and consistent."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kinerja.performance.achievement import Basis, Bound, NotComputed, Outcome
from kinerja.performance.choices import TargetShape
from kinerja.performance.policy import achievement_rules_version, achievement_versions

from . import (
    AggregationField,
    PolarityField,
    ShapeField,
    ZeroTargetRuleField,
    choice_field,
)

__all__ = ["AchievementAnswerSerializer", "AchievementQuestionSerializer"]

MAX_SUB_PERIODS = 12  # a monthly year
NUMBER = {"max_digits": 20, "decimal_places": 4}  # as targets and realisations are stored
BasisField = choice_field(
    [(Basis.YEAR, _("The whole year's target")), (Basis.TO_DATE, _("The target to date"))],
    "AchievementBasis",
)
OutcomeField = choice_field(
    [(Outcome.COMPUTED, _("Computed")), (Outcome.NOT_COMPUTED, _("Not computed"))],
    "AchievementOutcome",
)
ReasonField = choice_field([(r.value, r.value) for r in NotComputed], "AchievementNotComputed")
BoundField = choice_field([(b.value, b.value) for b in Bound], "AchievementBound")


def _plain(number) -> str:
    """A number as it was meant ("9", not the field's "9.0000")."""
    return format(number.normalize(), "f")


class SubPeriodTargetSerializer(serializers.Serializer):
    value = serializers.DecimalField(**NUMBER, required=False, allow_null=True)
    low = serializers.DecimalField(**NUMBER, required=False, allow_null=True)
    high = serializers.DecimalField(**NUMBER, required=False, allow_null=True)


class AchievementQuestionSerializer(serializers.Serializer):
    polarity = PolarityField(help_text=_("higher_is_better or lower_is_better."))
    shape = ShapeField(
        required=False,
        default=TargetShape.VALUE,
        help_text=_("value (the default), range or qualitative."),
    )
    target = serializers.DecimalField(
        **NUMBER,
        required=False,
        allow_null=True,
        help_text=_("The target (a value shape), for the year or for one sub-period."),
    )
    low = serializers.DecimalField(
        **NUMBER, required=False, allow_null=True, help_text=_("A range's low bound.")
    )
    high = serializers.DecimalField(
        **NUMBER, required=False, allow_null=True, help_text=_("A range's high bound.")
    )
    sub_period_targets = SubPeriodTargetSerializer(
        many=True,
        required=False,
        max_length=MAX_SUB_PERIODS,
        help_text=_(
            "Instead of target (or low and high): one target per sub-period, in order, each "
            "a value or a low and a high bound."
        ),
    )
    realisation = serializers.DecimalField(
        **NUMBER,
        required=False,
        allow_null=True,
        help_text=_("One realisation, against the one target."),
    )
    realisations = serializers.ListField(
        child=serializers.DecimalField(**NUMBER, allow_null=True),
        required=False,
        min_length=1,
        max_length=MAX_SUB_PERIODS,
        help_text=_(
            "Instead of realisation: one per sub-period, in order; null where nothing was "
            "reported (left out of the aggregate, never counted as 0)."
        ),
    )
    aggregation = AggregationField(
        required=False,
        help_text=_("How the sub-periods make the year: cumulative, last_value or average."),
    )
    basis = BasisField(
        required=False,
        default=Basis.YEAR,
        help_text=_(
            "year (the default): the realisations against the whole year's target; to_date: "
            "against the targets of the sub-periods reported (needs sub_period_targets)."
        ),
    )
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("The rules in force on this day (the default: today)."),
    )
    policy_version = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Instead of on: the version of the rules that starts on this day."),
    )
    cap = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=100,
        required=False,
        allow_null=True,
        help_text=_("The indicator's own cap in percent (at least 100); empty: the policy's."),
    )
    zero_target_rule = ZeroTargetRuleField(
        required=False,
        allow_null=True,
        help_text=_(
            "The indicator's rule for a target of 0: exact, not_worse, better_capped or "
            "evaluator; empty: the policy's."
        ),
    )

    def validate(self, data):
        errors: dict[str, str] = {}
        self._check_version(data, errors)
        shape = data["shape"]
        subs = data.get("sub_period_targets")
        numbers = [n for n in ("target", "low", "high") if data.get(n) is not None]
        if shape == TargetShape.QUALITATIVE:
            if numbers or subs:
                errors["shape"] = _("A qualitative target carries no number.")
            if errors:
                raise serializers.ValidationError(errors)
            return data
        self._check_targets(data, shape, subs, numbers, errors)
        self._check_realisations(data, subs, errors)
        if errors:
            raise serializers.ValidationError(errors)
        return data

    def _check_version(self, data, errors):
        if data.get("on") and data.get("policy_version"):
            errors["policy_version"] = _("Give either on or policy_version, not both.")
        elif data.get("policy_version"):
            day = data["policy_version"]
            rules = achievement_rules_version(day)
            if rules is None:
                errors["policy_version"] = _(
                    "No version of the rules starts on %(day)s. The versions start on: %(days)s."
                ) % {
                    "day": date_format(day),
                    "days": ", ".join(v.isoformat() for v in achievement_versions()),
                }
            else:
                data["rules"] = rules

    def _check_targets(self, data, shape, subs, numbers, errors):
        if subs is not None:
            if numbers:
                errors["sub_period_targets"] = _(
                    "Give the year's target or the sub-period targets, not both."
                )
            for number, sub in enumerate(subs, 1):
                message = self._sub_target_error(shape, sub)
                if message:
                    errors["sub_period_targets"] = _("Sub-period %(n)d: %(message)s") % {
                        "n": number,
                        "message": message,
                    }
                    break
            return
        if shape == TargetShape.VALUE:
            if data.get("target") is None:
                errors["target"] = _("Give the target (or sub_period_targets).")
            elif data.get("low") is not None or data.get("high") is not None:
                errors["low"] = _("A value target has no bounds; for a range set shape to range.")
            return
        if data.get("target") is not None:
            errors["target"] = _("A range has bounds (low and high), not a target value.")
        elif data.get("low") is None or data.get("high") is None:
            errors["low"] = _("Give both bounds of the range (or sub_period_targets).")
        elif data["low"] > data["high"]:
            errors["low"] = _("The low bound (%(low)s) is above the high bound (%(high)s).") % {
                "low": _plain(data["low"]),
                "high": _plain(data["high"]),
            }

    @staticmethod
    def _sub_target_error(shape, sub) -> str | None:
        value, low, high = sub.get("value"), sub.get("low"), sub.get("high")
        if shape == TargetShape.VALUE:
            if value is None or low is not None or high is not None:
                return _("give a value (and no bounds).")
            return None
        if value is not None or low is None or high is None:
            return _("give the low and high bounds (and no value).")
        if low > high:
            return _("the low bound is above the high bound.")
        return None

    def _check_realisations(self, data, subs, errors):
        one, many = data.get("realisation"), data.get("realisations")
        if one is not None and many is not None:
            errors["realisations"] = _("Give realisation or realisations, not both.")
            return
        if many is None:
            if subs is not None:
                errors["realisations"] = _("Give one realisation per sub-period target.")
            elif one is None:
                errors["realisation"] = _("Give the realisation (or realisations).")
            if data["basis"] == Basis.TO_DATE:
                errors["basis"] = _("A target to date needs sub_period_targets and realisations.")
            return
        if data.get("aggregation") is None:
            errors["aggregation"] = _("Say how the sub-periods make the year (aggregation).")
        if subs is not None and len(subs) != len(many):
            errors["realisations"] = _(
                "Give one realisation per sub-period target: %(targets)d targets, "
                "%(realisations)d realisations."
            ) % {"targets": len(subs), "realisations": len(many)}
        if subs is None and data["basis"] == Basis.TO_DATE:
            errors["basis"] = _("A target to date needs sub_period_targets.")


# The answer (documentation of what the view returns) ---------------------------------------


class AnswerTargetSerializer(serializers.Serializer):
    shape = ShapeField()
    value = serializers.DecimalField(max_digits=None, decimal_places=None, allow_null=True)
    low = serializers.DecimalField(max_digits=None, decimal_places=None, allow_null=True)
    high = serializers.DecimalField(max_digits=None, decimal_places=None, allow_null=True)


class _ResultFields(serializers.Serializer):
    outcome = OutcomeField()
    achievement = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text=_("Percent, two decimals, between the floor and the cap; null if not computed."),
    )
    unbounded = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        allow_null=True,
        help_text=_("The formula's value before the cap and the floor."),
    )
    limited_by = BoundField(allow_null=True, help_text=_("cap or floor when one applied."))
    against = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        allow_null=True,
        help_text=_("The target or range bound the formula used (null inside a range)."),
    )
    zero_target = serializers.BooleanField(help_text=_("The target (or bound) used was 0."))
    reason = ReasonField(allow_null=True, help_text=_("Why it was not computed."))
    message = serializers.CharField(allow_blank=True)


class SubPeriodAnswerSerializer(_ResultFields):
    number = serializers.IntegerField()
    target = AnswerTargetSerializer()
    realisation = serializers.DecimalField(max_digits=None, decimal_places=None, allow_null=True)


class ZeroRuleAnswerSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("policy, or the indicator's rule given."))
    rated = serializers.BooleanField()
    equal = serializers.CharField(allow_null=True)
    better = serializers.CharField(allow_null=True)
    worse = serializers.CharField(allow_null=True)


class RulesAnswerSerializer(serializers.Serializer):
    valid_from = serializers.DateField()
    cap = serializers.DecimalField(max_digits=None, decimal_places=None)
    cap_source = serializers.CharField(help_text=_("policy or indicator."))
    floor = serializers.DecimalField(max_digits=None, decimal_places=None)
    zero_target = ZeroRuleAnswerSerializer()


class AchievementAnswerSerializer(_ResultFields):
    polarity = PolarityField()
    aggregation = AggregationField(allow_null=True)
    basis = BasisField(allow_null=True)
    target = AnswerTargetSerializer(help_text=_("The target used: the year's, or aggregated."))
    realisation = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        allow_null=True,
        help_text=_("The realisation used: the one given, or aggregated."),
    )
    reported = serializers.ListField(child=serializers.IntegerField())
    missing = serializers.ListField(child=serializers.IntegerField())
    complete = serializers.BooleanField()
    sub_periods = SubPeriodAnswerSerializer(many=True)
    rules = RulesAnswerSerializer()
