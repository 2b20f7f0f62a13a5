"""Thin API views of performance planning: scoped reads, writes through the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.core.scope import Action
from kinerja.organisations.models import Instansi
from kinerja.organisations.selectors import caller_instansi
from kinerja.performance import selectors, services
from kinerja.performance.filters import (
    AgreementFilter,
    GoalFilter,
    IndicatorFilter,
    IndicatorTemplateFilter,
    LateEntryWindowFilter,
    SubPeriodFilter,
    TargetFilter,
)
from kinerja.performance.models import (
    Agreement,
    AgreementTarget,
    Goal,
    Indicator,
    IndicatorTemplate,
    KeyIndicatorSet,
    KeyIndicatorSetItem,
    LateEntryWindow,
    Period,
    SubPeriod,
    Target,
)

from ..serializers import (
    AgreementReviseSerializer,
    AgreementSerializer,
    AgreementStepSerializer,
    GoalSerializer,
    IndicatorSerializer,
    IndicatorTemplateSerializer,
    KeyIndicatorSetSerializer,
    KeySetFinaliseSerializer,
    LateEntryWindowSerializer,
    PeriodSerializer,
    SimilarSerializer,
    SubPeriodSerializer,
    SubPeriodStatusSerializer,
    TargetSerializer,
    TargetValuesSerializer,
)

PLANNERS = (Action.MANAGE_GOALS, Action.MANAGE_PLANS)
SIMILAR_LIMIT = 10


def documented(noun: str, **docs: dict[str, Any]):
    """Give each action of a viewset a stable operation id (``goals_list``) and one tag."""
    return extend_schema_view(
        **{
            name: extend_schema(operation_id=f"{noun}_{name}", tags=[noun], **doc)
            for name, doc in docs.items()
        }
    )


class CanChange(permissions.BasePermission):
    """A write needs one of the view's ``change_actions`` somewhere: a read-only role gets 403
    before its payload is read. The services check the very row again."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return any(request.scope.can_anywhere(a) for a in view.change_actions)


class PlanningViewSet(viewsets.GenericViewSet):
    model: type
    change_actions: tuple[str, ...] = PLANNERS
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    permission_classes = [permissions.IsAuthenticated, CanChange]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return (
            self.model.objects.within(self.request.scope)
            .select_related(*self.select_related)
            .prefetch_related(*self.prefetch_related)
        )

    def get_instansi(self) -> Instansi:
        return caller_instansi(self.request.scope)

    def call(self) -> dict[str, Any]:
        return {"actor": self.request.user, "scope": self.request.scope}


class PartialUpdateMixin:
    """PATCH only: a change names the fields it changes (no PUT that would blank the rest)."""

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(serializer.data)


READ_WRITE = (
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    PartialUpdateMixin,
)


@documented(
    "periods",
    list=dict(summary="List periods", description="The instansi's years with sub-periods."),
    retrieve=dict(summary="Read a period"),
    create=dict(
        summary="Open a year",
        description="Open `year` with its sub-periods (monthly or quarterly). Settings left "
        "out take the policy's defaults for that year. Needs manage_periods across the "
        "instansi (system administrator, BKD, Bappeda).",
    ),
    partial_update=dict(
        summary="Change a year's settings",
        description="A new `frequency` remakes the sub-periods; refused once one is closed "
        "or holds targets. The year itself cannot change.",
    ),
)
class PeriodViewSet(*READ_WRITE, PlanningViewSet):
    model = Period
    change_actions = (Action.MANAGE_PERIODS,)
    serializer_class = PeriodSerializer
    prefetch_related = ("sub_periods", "sub_periods__period")
    ordering_fields = ["year"]
    ordering = ["-year"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("reason", None)
        serializer.instance = services.period_create(
            **self.call(), instansi=self.get_instansi(), year=data.pop("year"), data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        if data.pop("year", serializer.instance.year) != serializer.instance.year:
            raise ValidationError({"year": _("The year of an open period cannot change.")})
        serializer.instance = services.period_update(
            **self.call(), period=serializer.instance, data=data, reason=reason
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


@documented(
    "sub_periods",
    list=dict(summary="List sub-periods", description="`year` keeps to one year."),
    retrieve=dict(summary="Read a sub-period"),
)
class SubPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PlanningViewSet):
    model = SubPeriod
    change_actions = (Action.MANAGE_PERIODS,)
    serializer_class = SubPeriodSerializer
    filterset_class = SubPeriodFilter
    select_related = ("period",)
    ordering_fields = ["starts"]
    ordering = ["-period__year", "number"]

    @extend_schema(
        operation_id="sub_periods_status",
        tags=["sub_periods"],
        summary="Open or close a sub-period",
        description="A closed sub-period takes no entries, except from a unit with a "
        "late-entry window. Needs manage_periods across the instansi.",
        request=SubPeriodStatusSerializer,
        responses=SubPeriodSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def status(self, request, pk=None):
        sub_period = self.get_object()
        form = SubPeriodStatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        sub_period = services.sub_period_set_status(
            **self.call(), sub_period=sub_period, **form.validated_data
        )
        return Response(self.get_serializer(sub_period).data)


@documented(
    "late_entry_windows",
    list=dict(summary="List late-entry windows", description="`year`, `unit` filter."),
    retrieve=dict(summary="Read a late-entry window"),
    create=dict(
        summary="Open a late-entry window",
        description="Let `unit` and its sub-units enter data for a closed sub-period from "
        "`opens` to `closes` (both included; after the sub-period ends, at most 90 days). "
        "Needs manage_periods on the unit.",
    ),
)
class LateEntryWindowViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, PlanningViewSet
):
    model = LateEntryWindow
    change_actions = (Action.MANAGE_PERIODS,)
    serializer_class = LateEntryWindowSerializer
    filterset_class = LateEntryWindowFilter
    select_related = ("unit", "sub_period")
    ordering_fields = ["opens", "closes"]
    ordering = ["-opens", "pk"]

    def perform_create(self, serializer):
        serializer.instance = services.late_entry_open(**self.call(), **serializer.validated_data)


@documented(
    "goals",
    list=dict(
        summary="List goals",
        description="The regional plan (RPJMD: missions, objectives, targets) and the "
        "agencies' strategic plans (Renstra) within reach. `regional=true` keeps the RPJMD.",
    ),
    retrieve=dict(summary="Read a goal"),
    create=dict(
        summary="Add a goal",
        description="A mission at the top; an objective under a mission; a target under an "
        "objective (RPJMD, no unit: manage_goals across the instansi). A Renstra objective "
        "under an RPJMD target, a Renstra target under a Renstra objective, both of one "
        "agency (manage_plans on it).",
    ),
    partial_update=dict(
        summary="Change a goal",
        description="A new `parent` moves the goal with its sub-goals, never under one of "
        "them. `rb_themes` and `development_areas` replace the tags when given.",
    ),
)
class GoalViewSet(*READ_WRITE, PlanningViewSet):
    model = Goal
    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    select_related = ("parent", "unit")
    prefetch_related = ("tags",)
    ordering_fields = ["code", "name", "level"]
    ordering = ["code", "pk"]

    @staticmethod
    def split(serializer):
        data = dict(serializer.validated_data)
        tags = {
            "rb_themes": data.pop("rb_themes", None),
            "development_areas": data.pop("development_areas", None),
        }
        return data, tags, data.pop("reason", "")

    def perform_create(self, serializer):
        data, tags, _reason = self.split(serializer)
        goal = services.goal_create(**self.call(), instansi=self.get_instansi(), data=data, **tags)
        serializer.instance = self.get_queryset().get(pk=goal.pk)

    def perform_update(self, serializer):
        data, tags, reason = self.split(serializer)
        goal = services.goal_update(
            **self.call(), goal=serializer.instance, data=data, reason=reason, **tags
        )
        serializer.instance = self.get_queryset().get(pk=goal.pk)


@documented(
    "indicator_templates",
    list=dict(summary="List the indicator library", description="`q` searches names."),
    retrieve=dict(summary="Read a library entry"),
    create=dict(
        summary="Add a library entry",
        description="A reusable indicator for a kind of post. Needs manage_goals across the "
        "instansi (Bappeda).",
    ),
    partial_update=dict(summary="Change a library entry"),
)
class IndicatorTemplateViewSet(*READ_WRITE, PlanningViewSet):
    model = IndicatorTemplate
    change_actions = (Action.MANAGE_GOALS,)
    serializer_class = IndicatorTemplateSerializer
    filterset_class = IndicatorTemplateFilter
    ordering_fields = ["name", "position_kind"]
    ordering = ["position_kind", "name", "pk"]

    def perform_create(self, serializer):
        serializer.instance = services.template_create(
            **self.call(), instansi=self.get_instansi(), data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = services.template_update(
            **self.call(), template=serializer.instance, data=dict(serializer.validated_data)
        )


@documented(
    "indicators",
    list=dict(
        summary="List indicators",
        description="Indicators within reach with their manual. `is_key=true` keeps the key "
        "indicators (IKU).",
    ),
    retrieve=dict(summary="Read an indicator"),
    create=dict(
        summary="Add an indicator",
        description="An indicator of `goal`; it belongs to the goal's agency (none for the "
        "RPJMD's). A library entry (`template`) fills the manual fields left out.",
    ),
    partial_update=dict(
        summary="Change an indicator",
        description="Once it has targets, its data type, unit of measure and aggregation "
        "no longer change.",
    ),
)
class IndicatorViewSet(*READ_WRITE, PlanningViewSet):
    model = Indicator
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    select_related = ("goal", "unit", "template")
    ordering_fields = ["code", "name"]
    ordering = ["code", "pk"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("reason", None)
        serializer.instance = services.indicator_create(
            **self.call(), instansi=self.get_instansi(), data=data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = services.indicator_update(
            **self.call(), indicator=serializer.instance, data=data, reason=reason
        )

    @extend_schema(
        operation_id="indicators_similar",
        tags=["indicators"],
        summary="Find indicators with a similar name",
        description="The indicators and library entries within reach whose names are closest "
        "to `name` (typos and word order forgiven), best first, at most 10; none for an empty "
        "name.",
        parameters=[OpenApiParameter("name", str, description="A typed name.")],
        responses=SimilarSerializer(many=True),
        filters=False,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def similar(self, request):
        name = request.query_params.get("name", "")
        if len(name) > 500 or "\x00" in name:
            raise ValidationError({"name": _("Type a name of at most 500 characters.")})
        found = selectors.similar_indicators(scope=request.scope, name=name, limit=SIMILAR_LIMIT)
        return Response(SimilarSerializer(found, many=True).data)


@documented(
    "targets",
    list=dict(summary="List targets", description="`indicator` and `year` filter."),
    retrieve=dict(summary="Read a target"),
    create=dict(
        summary="Set an indicator's target for a year",
        description="Creates the year's target, or replaces it (200). A value needs `value`; "
        "a range `low` and `high` (low not above high), read with the indicator's polarity; a "
        "qualitative target an `expectation`. A negative number is refused where the unit of "
        "measure forbids it.",
        responses={200: TargetSerializer, 201: TargetSerializer},
    ),
)
class TargetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, PlanningViewSet
):
    model = Target
    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    select_related = ("indicator",)
    prefetch_related = ("values", "values__sub_period")
    ordering_fields = ["year"]
    ordering = ["indicator__code", "year", "pk"]

    def create(self, request, *args, **kwargs):
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        indicator, year, reason = data.pop("indicator"), data.pop("year"), data.pop("reason", "")
        existed = Target.objects.filter(indicator=indicator, year=year).exists()
        target = services.target_set(
            **self.call(), indicator=indicator, year=year, data=data, reason=reason
        )
        body = self.get_serializer(self.get_queryset().get(pk=target.pk)).data
        return Response(body, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="targets_values",
        tags=["targets"],
        summary="Set a target's values per sub-period",
        description="One entry per sub-period of the year (the year must be open). Under the "
        "indicator's aggregation they must make the year's target: cumulative values add up "
        "to it, the last value equals it, or the values average it.",
        request=TargetValuesSerializer,
        responses=TargetSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def values(self, request, pk=None):
        target = self.get_object()
        form = TargetValuesSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = {}
        for row in form.validated_data["values"]:
            if target.shape == "range":
                values[row["number"]] = {"low": row.get("low"), "high": row.get("high")}
            else:
                values[row["number"]] = row.get("value")
        services.target_set_values(
            **self.call(), target=target, values=values, reason=form.validated_data["reason"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=target.pk)).data)


@documented(
    "key_indicator_sets",
    list=dict(
        summary="List key-indicator (IKU) sets",
        description="The province's set and the agencies' sets within reach, with their "
        "indicators in order.",
    ),
    retrieve=dict(summary="Read a key-indicator set"),
    create=dict(
        summary="Start a key-indicator set",
        description="The province's set (no `unit`: manage_goals across the instansi) or an "
        "agency's (manage_plans on it) for a plan of at most ten years; no two sets of one "
        "owner cover the same year. `indicators` adds key indicators of the owner.",
    ),
    partial_update=dict(
        summary="Change a draft key-indicator set",
        description="Name, years, decree number; `indicators` replaces the set's indicators "
        "(key indicators of the owner). A set already set (ditetapkan) no longer changes.",
    ),
)
class KeyIndicatorSetViewSet(*READ_WRITE, PlanningViewSet):
    model = KeyIndicatorSet
    serializer_class = KeyIndicatorSetSerializer
    filterset_class = None
    select_related = ("unit",)
    prefetch_related = (
        Prefetch(
            "items",
            queryset=KeyIndicatorSetItem.objects.select_related("indicator").order_by(
                "position", "pk"
            ),
        ),
    )
    ordering_fields = ["first_year", "name"]
    ordering = ["-first_year", "name", "pk"]

    def _set_indicators(self, key_set: KeyIndicatorSet, wanted: list[Indicator]) -> None:
        have = {item.indicator_id: item.indicator for item in key_set.items.all()}
        wanted_ids = {i.pk for i in wanted}
        for indicator in have.values():
            if indicator.pk not in wanted_ids:
                services.key_set_remove(**self.call(), key_set=key_set, indicator=indicator)
        for indicator in wanted:
            if indicator.pk not in have:
                services.key_set_add(**self.call(), key_set=key_set, indicator=indicator)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        indicators = data.pop("indicators", None)
        with transaction.atomic():
            key_set = services.key_set_create(
                **self.call(), instansi=self.get_instansi(), data=data
            )
            for indicator in indicators or []:
                services.key_set_add(**self.call(), key_set=key_set, indicator=indicator)
        serializer.instance = self.get_queryset().get(pk=key_set.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        key_set = serializer.instance
        if "unit" in data and data.pop("unit") != key_set.unit:
            raise ValidationError({"unit": _("The owner of a set cannot change.")})
        indicators = data.pop("indicators", None)
        with transaction.atomic():
            if data:
                services.key_set_update(**self.call(), key_set=key_set, data=data)
            if indicators is not None:
                self._set_indicators(key_set, indicators)
        serializer.instance = self.get_queryset().get(pk=key_set.pk)

    @extend_schema(
        operation_id="key_indicator_sets_finalise",
        tags=["key_indicator_sets"],
        summary="Set (tetapkan) a key-indicator set",
        description="The set needs indicators and a target for each of them in every year of "
        "the plan; once set it no longer changes.",
        request=KeySetFinaliseSerializer,
        responses=KeyIndicatorSetSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def finalise(self, request, pk=None):
        key_set = self.get_object()
        form = KeySetFinaliseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.key_set_finalise(
            **self.call(), key_set=key_set, decree_number=form.validated_data["decree_number"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=key_set.pk)).data)


PARTIES = tuple(
    f"{side}_{key}" for side in ("first_party", "second_party") for key in ("name", "nip", "title")
)
STEP_DOC = "Needs the `version` you read; a stale one answers 409."


def _step_schema(name: str, summary: str, description: str, request=AgreementStepSerializer):
    return extend_schema(
        operation_id=f"agreements_{name}",
        tags=["agreements"],
        summary=summary,
        description=f"{description} {STEP_DOC}",
        request=request,
        responses=AgreementSerializer,
    )


@documented(
    "agreements",
    list=dict(
        summary="List performance agreements (PK)",
        description="The agreements within reach: the province's (the governor's) and the "
        "units'. `current` keeps to the current revisions.",
    ),
    retrieve=dict(summary="Read a performance agreement"),
    create=dict(
        summary="Start a performance agreement",
        description="A draft for a unit with a head post (manage_plans on it) or the province "
        "(no `unit`, manage_goals across the instansi; `first_party_name` and "
        "`first_party_title` name the governor). The parties are read from the reporting "
        "lines on `agreement_date`; above the lines (the head of an agency) "
        "`second_party_name` and `second_party_title` name the second party. `target_ids` "
        "are the owner's targets of the year (the province's: its IKU's).",
    ),
    partial_update=dict(
        summary="Change a draft performance agreement",
        description="Date, hand-named parties, `target_ids` and `programs` (each replaces "
        "the agreement's rows). Only a draft changes: a signed one is revised. " + STEP_DOC,
    ),
)
class AgreementViewSet(*READ_WRITE, PlanningViewSet):
    model = Agreement
    serializer_class = AgreementSerializer
    optimistic_lock = True
    filterset_class = AgreementFilter
    select_related = ("unit",)
    prefetch_related = (
        Prefetch(
            "targets",
            queryset=AgreementTarget.objects.select_related("target__indicator", "goal").order_by(
                "position", "pk"
            ),
        ),
        "programs",
    )
    ordering_fields = ["year"]
    ordering = ["-year", "unit__path", "-revision", "pk"]

    def _rows(self, agreement: Agreement, data: dict[str, Any]) -> Agreement:
        if "target_ids" in data:
            agreement = services.agreement_set_targets(
                **self.call(),
                agreement=agreement,
                version=agreement.version,
                targets=data["target_ids"],
            )
        if "programs" in data:
            agreement = services.agreement_set_programs(
                **self.call(),
                agreement=agreement,
                version=agreement.version,
                programs=[dict(row) for row in data["programs"]],
            )
        return agreement

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        with transaction.atomic():
            agreement = services.agreement_create(
                **self.call(), instansi=self.get_instansi(), data=data
            )
            agreement = self._rows(agreement, data)
        serializer.instance = self.get_queryset().get(pk=agreement.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        agreement = serializer.instance
        if "unit" in data and data.pop("unit") != agreement.unit:
            raise ValidationError({"unit": _("The owner of an agreement cannot change.")})
        if data.pop("year", agreement.year) != agreement.year:
            raise ValidationError({"year": _("The year of an agreement cannot change.")})
        version = data.pop("version", None)
        with transaction.atomic():
            agreement = services.agreement_update(
                **self.call(),
                agreement=agreement,
                version=version,
                data={k: v for k, v in data.items() if k in (*PARTIES, "agreement_date")},
            )
            agreement = self._rows(agreement, data)
        serializer.instance = self.get_queryset().get(pk=agreement.pk)

    def _step(self, request, service, form_class=AgreementStepSerializer, **extra):
        agreement = self.get_object()
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        agreement = service(**self.call(), agreement=agreement, **form.validated_data, **extra)
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)

    @_step_schema("submit", "Submit a draft", "A draft with at least one target.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        return self._step(request, services.agreement_submit)

    @_step_schema(
        "approve",
        "Approve a submitted agreement",
        "The second party's side: manage_plans over the unit (its agency administrator, "
        "Bappeda); for the province, manage_goals across the instansi.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        return self._step(request, services.agreement_approve)

    @_step_schema(
        "sign",
        "Sign an approved agreement",
        "Copies the targets' shapes and values into the agreement; it no longer changes.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def sign(self, request, pk=None):
        return self._step(request, services.agreement_sign)

    @_step_schema(
        "revise",
        "Revise a signed agreement",
        "Starts revision n+1 as a draft copy with the `reason`; answers the new revision. "
        "The signed revision stays readable.",
        request=AgreementReviseSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def revise(self, request, pk=None):
        return self._step(request, services.agreement_revise, AgreementReviseSerializer)
