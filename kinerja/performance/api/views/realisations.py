"""The realisations API: scoped reads, writes through the services, each write idempotent
with an ``Idempotency-Key`` header."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from kinerja.core.filters import IdFilter
from kinerja.core.idempotency import IdempotentMixin
from kinerja.performance.models import Evidence, Realisation, RealisationStatus
from kinerja.performance.parties import target_parties
from kinerja.performance.services import realisations as services

from ..serializers.realisations import (
    EvidenceSerializer,
    EvidenceUploadSerializer,
    RealisationReturnSerializer,
    RealisationSerializer,
    RealisationStepSerializer,
)
from . import PartialUpdateMixin, PlanningViewSet, documented

__all__ = ["RealisationViewSet"]


def _submit_reads(realisation: Realisation) -> dict:
    """Who holds and verifies the realisation's target today (`realisation_submit`)."""
    on = timezone.localdate()
    return {"on": on, "parties": target_parties(realisation.target, on)}


STEP_DOC = "Needs the `version` you read; a stale one answers 409."


class RealisationFilter(django_filters.FilterSet):
    target = IdFilter(field_name="target_id", label=gettext_lazy("Target"))
    sub_period = IdFilter(field_name="sub_period_id", label=gettext_lazy("Sub-period"))
    unit = IdFilter(field_name="target__indicator__unit_id", label=gettext_lazy("Unit"))
    status = django_filters.ChoiceFilter(
        choices=RealisationStatus.choices, label=gettext_lazy("Status")
    )

    class Meta:
        model = Realisation
        fields = ["target", "sub_period", "unit", "status"]


def _step_schema(name: str, summary: str, description: str, request=RealisationStepSerializer):
    return extend_schema(
        operation_id=f"realisations_{name}",
        tags=["realisations"],
        summary=summary,
        description=f"{description} {STEP_DOC}",
        request=request,
        responses=RealisationSerializer,
    )


@documented(
    "realisations",
    list=dict(
        summary="List realisations",
        description="The realisations within reach (view_planning over the target's unit), "
        "and those the caller holds or verifies.",
    ),
    retrieve=dict(summary="Read a realisation"),
    create=dict(
        summary="Enter a realisation",
        description="A draft for a `target` and a `sub_period` of its year: a `value` (a "
        "value or range target) or an `outcome` (a qualitative target). By the target's "
        "holder, or who keeps its unit's plans; while the sub-period is open or a late-entry "
        "window of the unit covers today.",
    ),
    partial_update=dict(
        summary="Change a draft or returned realisation",
        description="`value`, `outcome`, the factors and the note. " + STEP_DOC,
    ),
)
class RealisationViewSet(
    IdempotentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    PartialUpdateMixin,
    PlanningViewSet,
):
    model = Realisation
    serializer_class = RealisationSerializer
    optimistic_lock = True
    filterset_class = RealisationFilter
    # A holder may hold no planning role: the services check who may write each row.
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    select_related = ("target__indicator__unit", "sub_period")
    reads_first = frozenset({"submit", "verify", "return_"})
    # Each realisation's evidence in its order (the model's default order joins the
    # realisation, its target, indicator and sub-period to sort by them: one realisation's
    # evidence shares those).
    prefetch_related = (Prefetch("evidence", queryset=Evidence.objects.order_by("pk")),)
    ordering_fields = ["created_at"]
    ordering = ["target_id", "sub_period__number", "pk"]

    def _answer(self, read: Realisation, written: Realisation) -> Realisation:
        """The written row as the answer, without reading it again: the service's locked row
        carries the target, its indicator and the sub-period, and a write of a realisation
        does not change its evidence, so the evidence read with ``read`` stands."""
        cache = getattr(read, "_prefetched_objects_cache", None)
        if cache is not None and "evidence" in cache:
            written._prefetched_objects_cache = {"evidence": cache["evidence"]}
            return written
        return self.get_queryset().get(pk=written.pk)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        realisation = services.realisation_create(
            **self.call(),
            target=data.pop("target"),
            sub_period=data.pop("sub_period"),
            data={k: v for k, v in data.items() if k in services.REALISATION_FIELDS},
        )
        serializer.instance = self.get_queryset().get(pk=realisation.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        realisation = serializer.instance
        if "target" in data and data.pop("target") != realisation.target:
            raise ValidationError({"target": _("The target of a realisation cannot change.")})
        if "sub_period" in data and data.pop("sub_period") != realisation.sub_period:
            raise ValidationError(
                {"sub_period": _("The sub-period of a realisation cannot change.")}
            )
        realisation = services.realisation_update(
            **self.call(),
            realisation=realisation,
            version=data.pop("version", None),
            data={k: v for k, v in data.items() if k in services.REALISATION_FIELDS},
        )
        serializer.instance = self._answer(serializer.instance, realisation)

    def _step(self, request, service, form_class=RealisationStepSerializer, reads=None):
        """A step: the realisation and the form read first, then the service's writes and the
        answer in one transaction (``reads_first``). ``reads(realisation)`` gives the service
        what it would otherwise read inside that transaction."""
        read = self.get_object()
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        given = reads(read) if reads is not None else {}
        return self.write_and_answer(
            lambda: service(**self.call(), realisation=read, **form.validated_data, **given),
            lambda written: Response(self.get_serializer(self._answer(read, written)).data),
        )

    @_step_schema(
        "submit",
        "Submit a realisation",
        "A draft goes to its verifier (submitted), a returned one back (resubmitted).",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        return self._step(request, services.realisation_submit, reads=_submit_reads)

    @_step_schema("verify", "Verify a realisation", "By the target's verifier.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def verify(self, request, pk=None):
        return self._step(request, services.realisation_verify)

    @_step_schema(
        "return",
        "Return a realisation with a comment",
        "By the target's verifier: a submitted or verified realisation goes back to its "
        "holder, who changes and resubmits it.",
        request=RealisationReturnSerializer,
    )
    @action(
        detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None
    )
    def return_(self, request, pk=None):
        return self._step(request, services.realisation_return, RealisationReturnSerializer)

    @extend_schema(
        operation_id="realisations_evidence",
        tags=["realisations"],
        summary="Add evidence to a realisation",
        description="Multipart: a `file` (PDF, JPG, PNG, XLSX or DOCX up to 5 MB, its type "
        "read from its content) or a `url` (http or https), with a `label`. Only while the "
        "realisation is a draft or returned.",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def evidence(self, request, pk=None):
        realisation = self.get_object()
        form = EvidenceUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        with transaction.atomic():
            if data.get("file") is not None:
                evidence = services.evidence_add_file(
                    **self.call(), realisation=realisation, upload=data["file"], label=data["label"]
                )
            elif data.get("url"):
                evidence = services.evidence_add_link(
                    **self.call(), realisation=realisation, url=data["url"], label=data["label"]
                )
            else:
                raise ValidationError({"file": _("Upload a file or give a link.")})
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)
