"""The regional app's resources under /api/v1/: the development areas (read), the projects
(list with the project list's filters, read, create, patch), their milestones (list, read,
create, patch) and progress updates (list, read, create). Every read starts from
``.within(request.scope)`` (`view_planning`: areas and projects are public regional facts of
the instansi); every write goes through `kinerja.regional.services`, whose refusals answer 400
with field errors (a rule) or 403 (a role)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from kinerja.core.scope import Action
from kinerja.organisations.models import OrgUnit
from kinerja.performance.api.views import CanChange, documented
from kinerja.performance.models import Goal, Indicator

from .. import services
from ..choices import Funding, LandStatus, Phase, ProjectStatus, RegionRole
from ..filters import ProjectFilter
from ..models import DevelopmentArea, Milestone, ProgressUpdate, Project
from ..policy import category_choices

# The categories in force when the process started (the schema names the set).
CATEGORY_CHOICES = category_choices()

WRITERS = (Action.MANAGE_GOALS, Action.MANAGE_PLANS)


class ReadsPlanning(permissions.BasePermission):
    """Reading needs `view_planning` somewhere (every role with a grant)."""

    def has_permission(self, request, view) -> bool:
        return request.scope.can_anywhere(Action.VIEW_PLANNING)


# Serializers --------------------------------------------------------------------------------


class AreaSerializer(serializers.ModelSerializer):
    supports = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = DevelopmentArea
        fields = [
            "id",
            "code",
            "abbreviation",
            "name",
            "role",
            "supports",
            "description",
            "published_projects",
            "published_investment_rp",
            "members",
        ]
        read_only_fields = fields

    def get_members(self, area) -> list[dict[str, Any]]:
        return [
            {"code": m.region.code, "name": m.region.name, "confirmed": m.confirmed}
            for m in area.memberships.all()
        ]


class ProjectSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lead_agency_code = serializers.CharField(source="lead_agency.code", read_only=True)
    lead_agency_name = serializers.CharField(source="lead_agency.name", read_only=True)
    collaborators = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    goals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    indicators = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "area",
            "category",
            "description",
            "funding",
            "investment_rp",
            "lead_agency",
            "lead_agency_code",
            "lead_agency_name",
            "collaborators",
            "regions",
            "phase",
            "land_status",
            "readiness_met",
            "priority_criteria",
            "status",
            "start_date",
            "synthetic",
            "goals",
            "indicators",
        ]
        read_only_fields = fields

    def get_collaborators(self, project) -> list[dict[str, Any]]:
        return [
            {
                "agency": c.agency_id,
                "code": c.agency.code,
                "name": c.agency.name,
                "contribution": c.contribution,
            }
            for c in project.collaborations.all()
        ]

    def get_regions(self, project) -> list[dict[str, str]]:
        return [
            {"code": r.region.code, "name": r.region.name, "role": r.role}
            for r in project.project_regions.all()
        ]


class RegionInput(serializers.Serializer):
    code = serializers.CharField(max_length=13)
    role = serializers.ChoiceField(choices=RegionRole.choices, default=RegionRole.LOCATION)


class ProjectWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=300)
    area = serializers.SlugField(max_length=60, help_text="The area's code.")
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES)
    description = serializers.CharField(required=False, allow_blank=True)
    funding = serializers.ChoiceField(choices=Funding.choices)
    investment_rp = serializers.IntegerField(required=False, allow_null=True)
    lead_agency = serializers.IntegerField(help_text="The lead agency's unit id.")
    collaborators = serializers.ListField(child=serializers.IntegerField(), required=False)
    regions = RegionInput(many=True, required=False)
    phase = serializers.ChoiceField(choices=Phase.choices)
    land_status = serializers.ChoiceField(choices=LandStatus.choices, required=False)
    readiness_met = serializers.ListField(child=serializers.CharField(), required=False)
    priority_criteria = serializers.ListField(child=serializers.CharField(), required=False)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    synthetic = serializers.BooleanField(required=False)
    goals = serializers.ListField(child=serializers.IntegerField(), required=False)
    indicators = serializers.ListField(child=serializers.IntegerField(), required=False)


class MilestoneSerializer(serializers.ModelSerializer):
    late = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["id", "project", "name", "planned_date", "actual_date", "order", "late"]
        read_only_fields = fields

    def get_late(self, milestone) -> bool:
        from django.utils import timezone

        return milestone.is_late(timezone.localdate())


class MilestoneCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    planned_date = serializers.DateField()
    actual_date = serializers.DateField(required=False, allow_null=True)
    order = serializers.IntegerField(required=False, min_value=0, max_value=32767)


class MilestoneUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    planned_date = serializers.DateField(required=False)
    actual_date = serializers.DateField(required=False, allow_null=True)
    order = serializers.IntegerField(required=False, min_value=0, max_value=32767)


class ProgressSerializer(serializers.ModelSerializer):
    author = serializers.CharField(
        source="author.username", default=None, read_only=True, allow_null=True
    )
    evidence_url = serializers.CharField(read_only=True)  # may be empty
    has_evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "project",
            "date",
            "percent",
            "status",
            "note",
            "evidence_url",
            "has_evidence_file",
            "author",
        ]
        read_only_fields = fields

    def get_has_evidence_file(self, update) -> bool:
        return bool(update.evidence_file)


class ProgressCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    date = serializers.DateField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True)
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=500)


# Viewsets -----------------------------------------------------------------------------------


@documented(
    "regional-areas",
    list=dict(summary="List the Perpres 80/2019 development areas"),
    retrieve=dict(summary="Read a development area"),
)
class AreaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AreaSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-z0-9]+"
    permission_classes = [permissions.IsAuthenticated, ReadsPlanning]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DevelopmentArea.objects.none()
        return (
            DevelopmentArea.objects.within(self.request.scope)
            .select_related("supports")
            .prefetch_related("memberships__region")
            .ordered()
        )


def _not_found(field: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [_("Not found.")]})


def _resolve(request, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Turn the payload's codes and ids into the scoped rows the service takes."""
    scope = request.scope
    extra: dict[str, Any] = {}
    if "area" in data:
        area = DevelopmentArea.objects.within(scope).filter(code=data["area"]).first()
        if area is None:
            raise _not_found("area")
        data["area"] = area
    agencies = OrgUnit.objects.within(scope, Action.VIEW_ORG).filter(parent__isnull=True)
    if "lead_agency" in data:
        unit = agencies.filter(pk=data["lead_agency"]).first()
        if unit is None:
            raise serializers.ValidationError(
                {"lead_agency": [services.unknown_agency_error(data["lead_agency"])]}
            )
        data["lead_agency"] = unit
    if "collaborators" in data:
        ids = set(data.pop("collaborators"))
        units = list(agencies.filter(pk__in=ids))
        missing = sorted(ids - {u.pk for u in units})
        if missing:
            raise serializers.ValidationError(
                {"collaborators": [services.unknown_agency_error(i) for i in missing]}
            )
        extra["collaborators"] = units
    if "regions" in data:
        extra["regions"] = {
            r["code"]: r.get("role", RegionRole.LOCATION) for r in data.pop("regions")
        }
    for name, model in (("goals", Goal), ("indicators", Indicator)):
        if name in data:
            ids = set(data.pop(name))
            rows = list(model.objects.within(scope).filter(pk__in=ids))
            if len(rows) != len(ids):
                raise _not_found(name)
            extra[name] = rows
    return data, extra


@documented(
    "regional-projects",
    list=dict(
        summary="List the Perpres 80/2019 projects",
        description="Filters: `area` (code), `status`, `phase`, `funding`, `lead_agency` (id), "
        "`agency` (leading or joining, id), `synthetic`, `q` (code or name).",
    ),
    retrieve=dict(summary="Read a project"),
    create=dict(
        summary="Create a project",
        description="The project office (Bappeda: `manage_goals` across the instansi). "
        "`regions` is a list of `{code, role}` (Kemendagri codes; role location or "
        "supporting); `collaborators` agency unit ids.",
        request=ProjectWriteSerializer,
        responses={201: ProjectSerializer},
    ),
    partial_update=dict(
        summary="Change a project",
        description="Only the fields given change; `regions`, `collaborators`, `goals` and "
        "`indicators` replace the lists when given.",
        request=ProjectWriteSerializer,
        responses={200: ProjectSerializer},
    ),
)
class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProjectSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsPlanning, CanChange]
    change_actions = (Action.MANAGE_GOALS,)
    filterset_class = ProjectFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return (
            Project.objects.within(self.request.scope)
            .select_related("area", "lead_agency")
            .prefetch_related(
                "collaborations__agency", "project_regions__region", "goals", "indicators"
            )
            .order_by("area__order", "code")
        )

    def create(self, request, *args, **kwargs):
        form = ProjectWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data, extra = _resolve(request, dict(form.validated_data))
        project = services.project_create(
            actor=request.user, scope=request.scope, data=data, **extra
        )
        project = self.get_queryset().get(pk=project.pk)
        return Response(self.serializer_class(project).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        form = ProjectWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data, extra = _resolve(request, dict(form.validated_data))
        services.project_update(
            actor=request.user, scope=request.scope, project=project, data=data, **extra
        )
        project = self.get_queryset().get(pk=project.pk)
        return Response(self.serializer_class(project).data)


def _project_in_reach(request, pk: int) -> Project:
    project = (
        Project.objects.within(request.scope).select_related("lead_agency").filter(pk=pk).first()
    )
    if project is None:
        raise _not_found("project")
    return project


@documented(
    "regional-milestones",
    list=dict(summary="List project milestones", description="Filter: `project` (id)."),
    retrieve=dict(summary="Read a milestone"),
    create=dict(
        summary="Add a milestone",
        description="The project office. An actual date may not precede the project's start.",
        request=MilestoneCreateSerializer,
        responses={201: MilestoneSerializer},
    ),
    partial_update=dict(
        summary="Change a milestone",
        description="The project office changes any field; the lead agency's administrator "
        "only `actual_date`.",
        request=MilestoneUpdateSerializer,
        responses={200: MilestoneSerializer},
    ),
)
class MilestoneViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MilestoneSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsPlanning, CanChange]
    change_actions = WRITERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Milestone.objects.none()
        rows = Milestone.objects.within(self.request.scope).select_related("project__lead_agency")
        project = self.request.query_params.get("project", "")
        if project.isascii() and project.isdigit() and len(project) < 19:
            rows = rows.filter(project_id=int(project))
        return rows.order_by("project_id", "order", "planned_date", "pk")

    def create(self, request, *args, **kwargs):
        form = MilestoneCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        project = _project_in_reach(request, data.pop("project"))
        milestone = services.milestone_add(
            actor=request.user, scope=request.scope, project=project, **data
        )
        return Response(self.serializer_class(milestone).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        milestone = self.get_object()
        form = MilestoneUpdateSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        services.milestone_update(
            actor=request.user,
            scope=request.scope,
            milestone=milestone,
            data=dict(form.validated_data),
        )
        return Response(self.serializer_class(milestone).data)


@documented(
    "regional-progress-updates",
    list=dict(summary="List project progress updates", description="Filter: `project` (id)."),
    retrieve=dict(summary="Read a progress update"),
    create=dict(
        summary="Report a project's progress",
        description="The project office or the lead agency's administrator. The newest update "
        "sets the project's status; a finished project stands at 100%.",
        request=ProgressCreateSerializer,
        responses={201: ProgressSerializer},
    ),
)
class ProgressViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProgressSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsPlanning, CanChange]
    change_actions = WRITERS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgressUpdate.objects.none()
        rows = ProgressUpdate.objects.within(self.request.scope).select_related("author")
        project = self.request.query_params.get("project", "")
        if project.isascii() and project.isdigit() and len(project) < 19:
            rows = rows.filter(project_id=int(project))
        return rows.order_by("project_id", "-date", "-pk")

    def create(self, request, *args, **kwargs):
        form = ProgressCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        project = _project_in_reach(request, data.pop("project"))
        update = services.progress_add(
            actor=request.user, scope=request.scope, project=project, **data
        )
        return Response(self.serializer_class(update).data, status=status.HTTP_201_CREATED)
