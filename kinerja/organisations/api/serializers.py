"""API shapes of the organisation registry. Rules live in the validators and the services.

Related objects are written as an id or a code and looked up only among what the caller may
reach, so a unit of another agency is "not found" rather than revealed; they are read back as a
brief object (id, code, name or title).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kinerja.core.scope import Scope
from kinerja.organisations.choices import ActingKind
from kinerja.organisations.forms import NIP_INPUT_MAX_LENGTH
from kinerja.organisations.models import (
    ActingAssignment,
    Employee,
    OrgUnit,
    Position,
    Region,
    ReportingLine,
)
from kinerja.organisations.selectors import superiors_of
from kinerja.organisations.validators import normalise_nip

MAX_ID = 2**63 - 1


def brief(obj, serializer: type[serializers.ModelSerializer]) -> dict:
    """The brief form of ``obj`` (id, code, name or title) as ``serializer`` writes it.

    Read straight from the attributes: a brief serializer's fields are plain numbers and text,
    and building one per row (DRF introspects the model for each instance) cost more than the
    rest of a page of 50 employees. A test holds the two forms equal. A serializer with a field
    that formats its value (a decimal as text, a date) is run as it is.
    """
    plain = _PLAIN_BRIEF.get(serializer)
    if plain is None:
        plain = _PLAIN_BRIEF[serializer] = not any(
            isinstance(field, FORMATTED_FIELDS) for field in serializer().fields.values()
        )
    if not plain:
        return serializer(obj).data
    return {name: getattr(obj, name) for name in serializer.Meta.fields}


FORMATTED_FIELDS = (
    serializers.DecimalField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.DurationField,
    serializers.FileField,
)
_PLAIN_BRIEF: dict[type, bool] = {}


class UnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name"]


class PositionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "code", "title"]


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name"]


class ScopedRelatedField(serializers.RelatedField):
    """A related object given by id (a number) or code (text), found within the caller's scope.

    The lookup starts from ``Model.objects.within(request.scope)``: an object outside the
    caller's reach gives the same "not found" as one that does not exist.
    """

    default_error_messages = {
        "does_not_exist": _('No {model} "{value}" was found.'),
        "incorrect_type": _("Give the id (a number) or the code (text)."),
    }

    def __init__(self, *, brief: type[serializers.ModelSerializer], **kwargs):
        self.brief = brief
        if not kwargs.get("read_only"):
            # Only the model matters: get_queryset() narrows it to the request's scope.
            kwargs.setdefault("queryset", brief.Meta.model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        scope = getattr(request, "scope", None) or Scope.empty()
        return self.brief.Meta.model.objects.within(scope)

    def use_pk_only_optimization(self) -> bool:
        return False

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        obj = None
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        if isinstance(data, int):
            if 0 < data <= MAX_ID:
                obj = queryset.filter(pk=data).first()
        else:
            value = data.strip()
            if not value or "\x00" in value:  # PostgreSQL cannot even compare a NUL
                self.fail("incorrect_type")
            obj = queryset.filter(code=value).first()
            # isascii(): "²" and other scripts' digits pass isdigit() but are no id; the length
            # first, since int() refuses text of more than 4300 digits outright.
            is_id = value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))
            if obj is None and is_id and 0 < int(value) <= MAX_ID:
                obj = queryset.filter(pk=int(value)).first()
        if obj is None:
            self.fail("does_not_exist", model=queryset.model._meta.verbose_name, value=str(data))
        return obj

    def to_representation(self, value):
        return brief(value, self.brief)

    def get_choices(self, cutoff=None):
        # Keyed by id: the brief representation is a dict, which cannot key a choice.
        queryset = self.get_queryset()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {item.pk: self.display_value(item) for item in queryset}


class ScopedRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Document a ScopedRelatedField: an id or a code in requests, a brief object in responses."""

    target_class = ScopedRelatedField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "oneOf": [
                    {"type": "integer", "description": "id"},
                    {"type": "string", "description": "code"},
                ]
            }
        return auto_schema.resolve_serializer(self.target.brief, direction).ref


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent"]
        read_only_fields = fields


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = ScopedRelatedField(
        brief=UnitBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_("The unit above this one (id or code); empty for an agency (OPD)."),
    )
    agency = UnitBriefSerializer(read_only=True)
    region = ScopedRelatedField(
        brief=RegionBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_("Region (id or Kemendagri code such as 35.73)."),
    )
    predecessors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why the unit changes; kept in the audit trail."),
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "agency",
            "depth",
            "region",
            "duties",
            "valid_from",
            "valid_to",
            "predecessors",
            "reason",
            "created_at",
            "updated_at",
        ]
        # Closing a unit goes through POST /units/{id}/close/ with a reason and a successor.
        read_only_fields = ["depth", "valid_to", "created_at", "updated_at"]
        # Uniqueness is checked by the model inside the service: one copy of each rule.
        validators = []
        extra_kwargs = {"valid_from": {"required": False}}


class UnitCloseSerializer(serializers.Serializer):
    valid_to = serializers.DateField(help_text=_("The last day the unit exists."))
    successor = ScopedRelatedField(
        brief=UnitBriefSerializer,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The unit that carries on its work and history (id or code)."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why the unit closes (merger, renaming, dissolution)."),
    )


class PositionSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(brief=UnitBriefSerializer, help_text=_("Unit (id or code)."))
    reports_to = ScopedRelatedField(
        brief=PositionBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_("The position this one reports to (id or code)."),
    )

    class Meta:
        model = Position
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "eselon",
            "is_head",
            "unit",
            "reports_to",
            "duties",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators = []


class NipField(serializers.CharField):
    """A NIP as people write it ("19750315 200501 1 002"), stored as its 18 digits.

    `normalise_nip` runs before the model's NIP rule and the uniqueness check, exactly as in the
    form and the importer, so the API accepts what the product itself prints.
    """

    def __init__(self, **kwargs):
        kwargs["max_length"] = NIP_INPUT_MAX_LENGTH
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        try:
            return normalise_nip(super().to_internal_value(data))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from None


def superiors_context(employees) -> dict:
    """Serializer context with the superiors of ``employees`` today and their posts: a fixed
    number of queries for a whole page."""
    superiors = superiors_of(employees, timezone.localdate())
    ids = {h.position_id for h in superiors.values() if h is not None}
    posts = Position.objects.in_bulk(sorted(ids))
    return {"superiors": dict(superiors), "posts": posts}


class SuperiorSerializer(serializers.Serializer):
    """Who answers for an employee today: their superior (the evaluator)."""

    id = serializers.IntegerField(source="employee.pk")
    name = serializers.CharField(source="employee.display_name")
    position = serializers.SerializerMethodField()
    acting = serializers.ChoiceField(
        choices=["", "plt", "plh"],
        help_text=_("plt or plh when the superior is an acting official of the post; else empty."),
    )

    def get_position(self, holder) -> dict:
        post = self.context.get("posts", {}).get(holder.position_id)
        if post is None:
            post = Position.objects.get(pk=holder.position_id)
        return brief(post, PositionBriefSerializer)

    @staticmethod
    def shape(holder, posts: dict) -> dict:
        """What ``to_representation`` gives, without a serializer per row (the employee list)."""
        post = posts.get(holder.position_id)
        if post is None:
            post = Position.objects.get(pk=holder.position_id)
        return {
            "id": holder.employee.pk,
            "name": holder.employee.display_name,
            "position": brief(post, PositionBriefSerializer),
            "acting": holder.acting,
        }


class ReportSerializer(serializers.ModelSerializer):
    """A direct report: the employee and the post through which they report."""

    unit = UnitBriefSerializer(read_only=True)
    position = PositionBriefSerializer(read_only=True)
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Employee
        fields = ["id", "nip", "name", "display_name", "status", "unit", "position"]
        read_only_fields = fields


class EmployeeSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(
        brief=UnitBriefSerializer,
        required=False,
        help_text=_("Unit (id or code); taken from the position when left out."),
    )
    position = ScopedRelatedField(
        brief=PositionBriefSerializer,
        required=False,
        allow_null=True,
        help_text=_("Current position (id or code)."),
    )
    display_name = serializers.CharField(read_only=True)
    grade_label = serializers.CharField(
        read_only=True, help_text=_("Rank and grade (pangkat/golongan) as lists show it.")
    )
    # A method, not source="position.eselon" with a default: DRF skips a default in partial
    # updates, so a PATCH of someone without a post answered without the field (the fuzz saw it).
    eselon = serializers.SerializerMethodField(
        help_text=_("Eselon of the current position; empty when it has none.")
    )
    agency = ScopedRelatedField(
        brief=UnitBriefSerializer,
        source="unit.agency",
        read_only=True,
        help_text=_("Agency (OPD) of the unit."),
    )
    superior = serializers.SerializerMethodField(
        help_text=_("The superior (evaluator) today, or null at the top of the agency.")
    )
    warnings = serializers.SerializerMethodField(
        help_text=_("Warnings of the write just made, such as a post past its formation.")
    )
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why the record changes; kept in the audit trail."),
    )
    effective_date = serializers.DateField(
        write_only=True,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("When a transfer to another unit or position takes effect (default today)."),
    )

    class Meta:
        model = Employee
        fields = [
            "id",
            "nip",
            "name",
            "front_title",
            "back_title",
            "display_name",
            "status",
            "sex",
            "birth_date",
            "grade",
            "grade_label",
            "grade_tmt",
            "email",
            "unit",
            "agency",
            "position",
            "eselon",
            "superior",
            "is_active",
            "warnings",
            "reason",
            "effective_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "nip": {
                "help_text": _(
                    "18 digits; spaces, dots or dashes between the groups are ignored. "
                    "Empty for non-ASN staff."
                )
            }
        }

    def get_eselon(self, obj) -> str:
        return obj.position.eselon if obj.position_id else ""

    @extend_schema_field(SuperiorSerializer(allow_null=True))
    def get_superior(self, obj) -> dict | None:
        superiors = self.context.get("superiors")
        if superiors is None or obj.pk not in superiors:
            superiors = superiors_context([obj])
            self.context.update(superiors)
            superiors = superiors["superiors"]
        holder = superiors.get(obj.pk)
        if holder is None:
            return None
        return SuperiorSerializer.shape(holder, self.context.setdefault("posts", {}))

    def get_warnings(self, obj) -> list[str]:
        return list(self.context.get("warnings", []))

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_name == "nip":
            field_class = NipField
        return field_class, kwargs

    def validate(self, attrs):
        if self.instance is None and not attrs.get("unit") and not attrs.get("position"):
            raise serializers.ValidationError(
                {"unit": [serializers.Field.default_error_messages["required"]]}
            )
        return attrs


# Reporting lines and acting officials --------------------------------------------------------


class EmployeeBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Employee
        fields = ["id", "nip", "name"]
        read_only_fields = fields


class ScopedEmployeeField(ScopedRelatedField):
    """An employee given by id (a number) or NIP (18 digits, as text), found within the
    caller's scope: one out of reach is "not found", as one that does not exist."""

    default_error_messages = {
        "does_not_exist": _('No employee "{value}" was found.'),
        "incorrect_type": _("Give the id (a number) or the NIP (text)."),
    }

    def __init__(self, **kwargs):
        super().__init__(brief=EmployeeBriefSerializer, **kwargs)

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        obj = None
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        if isinstance(data, int):
            if 0 < data <= MAX_ID:
                obj = queryset.filter(pk=data).first()
        else:
            if "\x00" in data:  # PostgreSQL cannot even compare a NUL
                self.fail("incorrect_type")
            try:
                digits = normalise_nip(data)
            except DjangoValidationError:
                self.fail("incorrect_type")
            if digits.isascii() and digits.isdigit():
                if len(digits) == 18:
                    obj = queryset.filter(nip=digits).first()
                # The length first: int() refuses text of more than 4300 digits outright.
                if obj is None and len(digits) <= len(str(MAX_ID)) and 0 < int(digits) <= MAX_ID:
                    obj = queryset.filter(pk=int(digits)).first()
        if obj is None:
            self.fail("does_not_exist", value=str(data))
        return obj


class ScopedEmployeeFieldExtension(OpenApiSerializerFieldExtension):
    """Document a ScopedEmployeeField: an id or a NIP in requests, a brief employee in answers."""

    target_class = ScopedEmployeeField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "oneOf": [
                    {"type": "integer", "description": "id"},
                    {"type": "string", "description": "NIP"},
                ]
            }
        return auto_schema.resolve_serializer(EmployeeBriefSerializer, direction).ref


@extend_schema_field(
    {"type": "string", "enum": ActingKind.values, "description": "plt or plh."},
    component_name="ActingKind",
)
class ActingKindField(serializers.ChoiceField):
    """Plt (acting official) or Plh (daily stand-in); its own schema component."""

    def __init__(self, **kwargs):
        super().__init__(choices=ActingKind.choices, **kwargs)


class ReportingLineSerializer(serializers.ModelSerializer):
    """A dated line: from ``valid_from`` to ``valid_to`` (its last day; null while open)."""

    position = PositionBriefSerializer(read_only=True)
    reports_to = PositionBriefSerializer(read_only=True)

    class Meta:
        model = ReportingLine
        fields = ["id", "position", "reports_to", "valid_from", "valid_to"]
        read_only_fields = fields


class ReportingLineSetSerializer(serializers.Serializer):
    position = ScopedRelatedField(
        brief=PositionBriefSerializer, help_text=_("The post whose line changes (id or code).")
    )
    reports_to = ScopedRelatedField(
        brief=PositionBriefSerializer,
        allow_null=True,
        help_text=_(
            "The post it reports to from valid_from (id or code): of the same unit or a unit "
            "above it. Null ends the line: the post reports to no one from that day."
        ),
    )
    valid_from = serializers.DateField(
        help_text=_("The first day of the new line; the line before ends the day before.")
    )
    reason = serializers.CharField(
        max_length=500, help_text=_("Why the line changes; kept in the audit trail.")
    )


class PositionLinesSerializer(serializers.Serializer):
    """A post's lines after a change: today's superior post and every dated line."""

    position = PositionBriefSerializer(read_only=True)
    reports_to = PositionBriefSerializer(
        read_only=True, allow_null=True, help_text=_("The post it reports to today, or null.")
    )
    lines = ReportingLineSerializer(many=True, read_only=True)


class ActingAssignmentSerializer(serializers.ModelSerializer):
    """An acting official (Plt or Plh) of a post for a dated period, by decree (SK)."""

    employee = EmployeeBriefSerializer(read_only=True)
    position = PositionBriefSerializer(read_only=True)
    unit = UnitBriefSerializer(source="position.unit", read_only=True)
    kind = ActingKindField(read_only=True)

    class Meta:
        model = ActingAssignment
        fields = [
            "id",
            "employee",
            "position",
            "unit",
            "kind",
            "decree_number",
            "valid_from",
            "valid_to",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ActingCreateSerializer(serializers.Serializer):
    employee = ScopedEmployeeField(help_text=_("The acting official (id or NIP)."))
    position = ScopedRelatedField(
        brief=PositionBriefSerializer, help_text=_("The post they act in (id or code).")
    )
    kind = ActingKindField(help_text=_("plt (acting official) or plh (daily stand-in)."))
    decree_number = serializers.CharField(
        max_length=100, help_text=_("The number of the decree (SK).")
    )
    valid_from = serializers.DateField(help_text=_("The first day."))
    valid_to = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The last day; null until it is ended."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("Kept in the audit trail."),
    )


class ActingEndSerializer(serializers.Serializer):
    valid_to = serializers.DateField(
        help_text=_("The last day the acting official answers for the post.")
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("Kept in the audit trail."),
    )
