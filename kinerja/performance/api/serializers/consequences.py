"""Serializers of the consequences: an evaluation's credit points and the TPP rows."""

from __future__ import annotations

from rest_framework import serializers

from ...evaluation_rules import Predikat

DECIMAL = {"max_digits": 9, "decimal_places": 2, "read_only": True, "allow_null": True}


class CreditPointsSerializer(serializers.Serializer):
    """The credit points (angka kredit) of a final evaluation of a functional post."""

    points = serializers.DecimalField(
        **DECIMAL,
        help_text="months / 12 x percent / 100 x coefficient, to 0.01 half up; null with a reason",
    )
    level = serializers.CharField(
        read_only=True, help_text="the level read from the post's title; empty when none"
    )
    coefficient = serializers.DecimalField(**DECIMAL)
    percent = serializers.DecimalField(**DECIMAL, help_text="the predikat's percent")
    months = serializers.IntegerField(read_only=True, help_text="months covered (0 to 12)")
    confirmed = serializers.BooleanField(
        read_only=True, help_text="false when the level's coefficient is not confirmed"
    )
    reason = serializers.CharField(
        read_only=True,
        help_text="why there are no points: no_level (the title names no level) or "
        "no_predikat; empty otherwise",
    )


class TppRowSerializer(serializers.Serializer):
    """One employee's month: the performance component of the TPP and its inputs."""

    nip = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    position = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    agency = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    month = serializers.IntegerField(read_only=True)
    sub_period = serializers.IntegerField(read_only=True, allow_null=True)
    state = serializers.CharField(read_only=True, help_text="final, no_final_evaluation or no_plan")
    plan = serializers.IntegerField(source="plan_id", read_only=True, allow_null=True)
    evaluation = serializers.IntegerField(source="evaluation_id", read_only=True, allow_null=True)
    achievement = serializers.DecimalField(**DECIMAL)
    predikat = serializers.CharField(read_only=True, help_text=", ".join(Predikat.values))
    percent = serializers.DecimalField(**DECIMAL, help_text="the predikat's TPP percent")
    weight = serializers.DecimalField(**DECIMAL, help_text="the performance weight (percent)")
    component = serializers.DecimalField(
        **DECIMAL, help_text="percent x weight / 100: the performance share of the TPP, percent"
    )
