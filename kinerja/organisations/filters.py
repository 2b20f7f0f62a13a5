"""FilterSets shared by the pages and the API, so both filter the same way."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.filters import IdFilter

from .choices import ActingKind, EmployeeStatus, PositionKind, UnitKind
from .leadership import NO_POST, grade_group, grade_group_choices
from .models import ActingAssignment, Employee, OrgUnit, Position, Region, ReportingLine
from .validators import NIP_SEPARATORS, normalise_nip


class NameOrNipField(forms.CharField):
    """A search for a name, or for a NIP prefix written as people write NIPs.

    Text that is nothing but digits and NIP separators ("19750315 2005") is a NIP prefix and
    goes through `normalise_nip`, so it searches by its digits; digits of another script get
    that normaliser's message instead of silently finding nothing. Other text is kept as typed.
    """

    def to_python(self, value):
        value = super().to_python(value)
        digits = value.translate(NIP_SEPARATORS).lstrip("'\u2018\u2019")
        if digits and digits.isdigit():
            return normalise_nip(value)
        if digits[:3].lower() == "nip" and digits[3:].lstrip(".:").isdigit():
            return normalise_nip(value)
        return value


class NameOrNipFilter(django_filters.CharFilter):
    field_class = NameOrNipField


class RegionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    class Meta:
        model = Region
        fields = ["level", "parent"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__startswith=value) | Q(name__icontains=value))


class OrgUnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("Kind"))
    parent = IdFilter(field_name="parent_id", label=_("Parent unit"))
    agency = IdFilter(field_name="agency_id", label=_("Agency"))
    active = django_filters.BooleanFilter(method="filter_active", label=_("Active today"))

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "parent", "agency", "active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def filter_active(self, queryset, name, value):
        active = queryset.active_on()
        return active if value else queryset.exclude(pk__in=active.values("pk"))


class PositionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=PositionKind.choices, label=_("Kind"))
    unit = IdFilter(method="filter_unit", label=_("Unit (with sub-units)"))

    class Meta:
        model = Position
        fields = ["q", "kind", "unit", "is_head", "is_active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value))

    def filter_unit(self, queryset, name, value):
        unit = OrgUnit.objects.filter(pk=value).only("path", "instansi_id").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)


def position_kind_choices():
    return [*PositionKind.choices, (NO_POST, _("No post"))]


class EmployeeFilter(django_filters.FilterSet):
    q = NameOrNipFilter(method="filter_q", label=_("Name or NIP"))
    status = django_filters.ChoiceFilter(choices=EmployeeStatus.choices, label=_("Status"))
    unit = IdFilter(method="filter_unit", label=_("Unit (with sub-units)"))
    is_active = django_filters.BooleanFilter(label=_("Active"))
    grade_group = django_filters.ChoiceFilter(
        choices=grade_group_choices,
        method="filter_grade_group",
        label=_("Grade group"),
        help_text=_("PNS golongan (I to IV) or PPPK grade; combine with the status."),
    )
    position_kind = django_filters.ChoiceFilter(
        choices=position_kind_choices, method="filter_position_kind", label=_("Kind of post")
    )

    class Meta:
        model = Employee
        fields = ["q", "status", "unit", "is_active", "grade_group", "position_kind"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_grade_group(self, queryset, name, value: str):
        # The grades stored under each status are few: read them (one query) and keep those
        # that `grade_group` puts in the group, so the grouping rule lives in one function.
        pairs = queryset.values_list("status", "grade").distinct().order_by()
        q = Q(pk__in=[])
        for status, grade in pairs:
            if grade_group(status, grade) == value:
                q |= Q(status=status, grade=grade)
        return queryset.filter(q)

    def filter_position_kind(self, queryset, name, value: str):
        if value == NO_POST:
            return queryset.filter(position__isnull=True)
        return queryset.filter(position__kind=value)

    def filter_unit(self, queryset, name, value):
        # The unit is looked up unscoped, but the queryset is already scoped: a foreign unit
        # narrows to nothing rather than revealing anything.
        unit = OrgUnit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)


ACTING_CURRENT, ACTING_PLANNED, ACTING_ENDED = "current", "planned", "ended"


def acting_status_choices():
    return [
        (ACTING_CURRENT, _("Current")),
        (ACTING_PLANNED, _("Planned")),
        (ACTING_ENDED, _("Ended")),
    ]


class ActingFilter(django_filters.FilterSet):
    """Acting assignments by their state today, unit (with sub-units), post and employee."""

    status = django_filters.ChoiceFilter(
        choices=acting_status_choices,
        method="filter_status",
        label=_("Status"),
        help_text=_("current: in force today; planned: from a later day; ended: before today."),
    )
    unit = IdFilter(method="filter_unit", label=_("Unit (with sub-units)"))
    position = IdFilter(field_name="position_id", label=_("Post"))
    employee = IdFilter(field_name="employee_id", label=_("Employee"))
    kind = django_filters.ChoiceFilter(choices=ActingKind.choices, label=_("Kind"))

    class Meta:
        model = ActingAssignment
        fields = ["status", "unit", "position", "employee", "kind"]

    def filter_status(self, queryset, name, value: str):
        today = timezone.localdate()
        if value == ACTING_CURRENT:
            return queryset.active_on(today)
        if value == ACTING_PLANNED:
            return queryset.filter(valid_from__gt=today)
        return queryset.filter(valid_to__lt=today)

    def filter_unit(self, queryset, name, value):
        # Looked up unscoped, on an already scoped queryset: another agency's unit finds nothing.
        unit = OrgUnit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(position__unit__path__startswith=unit.path)


class ReportingLineFilter(django_filters.FilterSet):
    """Reporting lines by post (either end) and by the day they are in force."""

    position = IdFilter(field_name="position_id", label=_("Post"))
    reports_to = IdFilter(field_name="reports_to_id", label=_("Reports to"))
    on = django_filters.DateFilter(
        method="filter_on", label=_("In force on"), help_text=_("A day, YYYY-MM-DD.")
    )

    class Meta:
        model = ReportingLine
        fields = ["position", "reports_to", "on"]

    def filter_on(self, queryset, name, value):
        return queryset.active_on(value)
