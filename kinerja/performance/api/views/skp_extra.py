"""API around the employee plan (SKP): the bulk cascade, the cascade tree, a result's dialogue
and work log, the year's work log setting, the SKP as a PDF and as an e-Kinerja workbook.
Scoped like the plan's pages; every write through `services.skp_extra`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, renderers, status
from rest_framework.generics import get_object_or_404  # a malformed id answers 404
from rest_framework.response import Response
from rest_framework.views import APIView

from kinerja.core.pdf import PDF, pdf_response

from ...models import Period, Plan, WorkLogEntry
from ...plan_selectors import plans_for
from ...selectors_skp_extra import cascade_tree, dialogue_of, result_within
from ...services import skp, skp_extra
from ...skp_documents import (
    ekinerja_workbook,
    plan_pdf,
    plan_pdf_name,
    plan_xlsx_name,
)
from ..serializers.skp_extra import (
    CascadeAnswerSerializer,
    CascadeSerializer,
    DialogueSerializer,
    TreeNodeSerializer,
    WorkLogSerializer,
    WorkLogSettingSerializer,
)
from .documents import PdfRenderer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _ResultView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def result(self, request, pk):
        found = result_within(request.scope, pk)
        if found is None:
            raise Http404
        return found

    def call(self, request):
        return {"actor": request.user, "scope": request.scope}


class PlanCascadeApiView(_ResultView):
    @extend_schema(
        operation_id="plan-results_cascade",
        tags=["plan-results"],
        summary="Give a result to many reports at once (bulk cascade)",
        description="The result's owner (or who acts for the agency) adds to each listed "
        "employee's current draft plan overlapping the result's plan, whose evaluator is the "
        "owner, a result serving it directly (`text` defaults to the result's). One "
        "transaction; `skipped` says who was left out and why (`no_plan`, `not_draft`, "
        "`not_report`, `already`).",
        request=CascadeSerializer,
        responses=CascadeAnswerSerializer,
    )
    def post(self, request, pk):
        result = self.result(request, pk)
        form = CascadeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        out = skp_extra.plan_cascade(**self.call(request), result=result, **form.validated_data)
        reasons = skp_extra.skip_reasons()
        return Response(
            {
                "created": [{"employee": e, "plan": p, "result": r} for e, p, r in out["created"]],
                "skipped": [
                    {"employee": e, "reason": why, "message": reasons[why]}
                    for e, why in out["skipped"]
                ],
            }
        )


class PlanResultTreeApiView(_ResultView):
    @extend_schema(
        operation_id="plan-results_tree",
        tags=["plan-results"],
        summary="The cascade tree under a result",
        description="The result and every result of a current plan within reach that serves "
        "it, directly or through others, nested in `children`.",
        responses=TreeNodeSerializer,
    )
    def get(self, request, pk):
        return Response(cascade_tree(self.result(request, pk), request.scope).as_dict())


class PlanDialogueApiView(_ResultView):
    def readable(self, request, pk):
        result = self.result(request, pk)
        if not skp_extra.may_read_dialogue(request.scope, result.plan):
            raise PermissionDenied
        return result

    @extend_schema(
        operation_id="plan-results_dialogue_list",
        tags=["plan-results"],
        summary="A result's performance dialogue and feedback",
        description="For the plan's employee, its evaluator and the evaluator's superior.",
        responses=DialogueSerializer(many=True),
    )
    def get(self, request, pk):
        result = self.readable(request, pk)
        return Response(DialogueSerializer(dialogue_of(result), many=True).data)

    @extend_schema(
        operation_id="plan-results_dialogue_add",
        tags=["plan-results"],
        summary="Add a dialogue or feedback entry to a result",
        description="By the plan's employee or its evaluator; `on` defaults to today.",
        request=DialogueSerializer,
        responses={201: DialogueSerializer},
    )
    def post(self, request, pk):
        result = self.readable(request, pk)
        form = DialogueSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entry = skp_extra.dialogue_add(
            **self.call(request), result=result, data=dict(form.validated_data)
        )
        return Response(DialogueSerializer(entry).data, status=status.HTTP_201_CREATED)


class PlanWorkLogApiView(_ResultView):
    @extend_schema(
        operation_id="plan-results_work_log_list",
        tags=["plan-results"],
        summary="A result's daily work log",
        responses=WorkLogSerializer(many=True),
    )
    def get(self, request, pk):
        result = self.result(request, pk)
        rows = WorkLogEntry.objects.filter(result=result).order_by("-on", "-pk")[:500]
        return Response(WorkLogSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="plan-results_work_log_add",
        tags=["plan-results"],
        summary="Add a day's work to a result",
        description="The plan's employee (or who acts for the agency): `on` inside the plan "
        "and not in the future, `description`, optional `quantity` and `evidence_url`. "
        "Refused while the instansi keeps no work log in the plan's year.",
        request=WorkLogSerializer,
        responses={201: WorkLogSerializer},
    )
    def post(self, request, pk):
        result = self.result(request, pk)
        plan = result.plan
        if not (
            request.scope.employee_id == plan.employee_id
            or skp.acts_for_agency(request.scope, plan.unit)
        ):
            raise PermissionDenied
        form = WorkLogSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entry = skp_extra.work_log_add(
            **self.call(request), result=result, data=dict(form.validated_data)
        )
        return Response(WorkLogSerializer(entry).data, status=status.HTTP_201_CREATED)


class WorkLogSettingApiView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="periods_work_log",
        tags=["periods"],
        summary="Turn a year's daily work log on or off",
        request=WorkLogSettingSerializer,
        responses=WorkLogSettingSerializer,
    )
    def post(self, request, pk):
        period = get_object_or_404(Period, pk=pk, instansi_id=request.scope.instansi_id)
        form = WorkLogSettingSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        setting = skp_extra.work_log_set(
            actor=request.user,
            scope=request.scope,
            period=period,
            enabled=form.validated_data["enabled"],
        )
        return Response({"enabled": setting.enabled})


class _PlanDocument(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    pagination_class = None
    queryset = Plan.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Plan.objects.none()
        return plans_for(self.request.scope).select_related(
            "employee", "unit", "period", "instansi__region"
        )

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response


class PlanPdfApiView(_PlanDocument):
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="plans_pdf",
        tags=["plans"],
        summary="An employee plan (SKP) as a PDF",
        description="The official layout of PermenPAN-RB 6/2022, in Indonesian: the employee, "
        "the evaluator and the evaluator's superior; the results with their indicators and "
        "targets; the behaviour expectations per BerAKHLAK value; the annexes; signatures.",
        responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")},
    )
    def get(self, request, pk):
        plan = self.get_object()
        return pdf_response(plan_pdf(plan), plan_pdf_name(plan))


class PlanExportApiView(_PlanDocument):
    @extend_schema(
        operation_id="plans_ekinerja",
        tags=["plans"],
        summary="An employee plan as an e-Kinerja workbook",
        description="One row per individual indicator: our result and indicator ids, NIP, "
        "name, the plan's dates, result kind and text, aspect, indicator, target, unit, and "
        "the id of the served result.",
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook")},
    )
    def get(self, request, pk):
        plan = self.get_object()
        response = HttpResponse(ekinerja_workbook([plan]), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{plan_xlsx_name(plan)}"'
        return response
