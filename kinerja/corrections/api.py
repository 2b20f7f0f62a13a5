"""The API of correction requests: read them within reach, accept or refuse them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kinerja.core.filters import IdFilter

from . import services
from .models import CORRECTABLE_FIELDS, CorrectionRequest, CorrectionStatus


class CorrectionRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CorrectionStatus.choices, label=_("Status"))
    employee = IdFilter(field_name="employee_id", label=_("Employee"))

    class Meta:
        model = CorrectionRequest
        fields = ["status", "employee"]


@extend_schema_field(
    {
        "type": "string",
        "enum": CorrectionStatus.values,
        "description": "pending, accepted or refused.",
    },
    component_name="CorrectionStatus",
)
class CorrectionStatusField(serializers.ChoiceField):
    """The status of a correction request; its own schema component (not another "status")."""

    def __init__(self, **kwargs):
        super().__init__(choices=CorrectionStatus.choices, **kwargs)


class CorrectionRequestSerializer(serializers.ModelSerializer):
    """A request as read: who asked to correct which field, from what to what, and its outcome."""

    employee_name = serializers.CharField(source="employee.display_name", read_only=True)
    field = serializers.ChoiceField(choices=CORRECTABLE_FIELDS, read_only=True)
    status = CorrectionStatusField(read_only=True)
    decided_by = serializers.CharField(
        allow_null=True, read_only=True, source="decided_by.username"
    )

    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "employee",
            "employee_name",
            "field",
            "current_value",
            "proposed_value",
            "reason",
            "status",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Why; required when refusing (the employee reads it).",
    )


@extend_schema_view(
    list=extend_schema(
        summary="List correction requests",
        description="Requests about employees within the caller's reach, and the caller's own. "
        "Filter by `status` (pending, accepted, refused) and `employee`.",
    ),
    retrieve=extend_schema(summary="One correction request"),
)
class CorrectionRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Employees' requests to correct their own data. Deciding needs change_people on the unit."""

    serializer_class = CorrectionRequestSerializer
    filterset_class = CorrectionRequestFilter
    permission_classes = [permissions.IsAuthenticated]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CorrectionRequest.objects.none()
        return CorrectionRequest.objects.within(self.request.scope).select_related(
            "employee", "employee__unit", "decided_by"
        )

    def _decide(self, request, service):
        correction = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = service(
            actor=request.user,
            scope=request.scope,
            correction=correction,
            note=serializer.validated_data["note"],
        )
        correction = self.get_queryset().get(pk=correction.pk)
        return Response(CorrectionRequestSerializer(correction).data)

    @extend_schema(
        summary="Accept a correction request",
        description="Applies the proposed value through the employee update rules (a value "
        "that breaks them answers 400 and the request stays pending). 403 without "
        "change_people on the employee's unit, or on one's own request.",
        request=DecisionSerializer,
        responses={200: CorrectionRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, services.accept_correction)

    @extend_schema(
        summary="Refuse a correction request",
        description="The record stays as it is; `note` is required.",
        request=DecisionSerializer,
        responses={200: CorrectionRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, services.refuse_correction)
