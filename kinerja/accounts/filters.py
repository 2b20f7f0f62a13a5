"""FilterSets shared by the pages and the API."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.filters import IdFilter
from kinerja.organisations.validators import normalise_nip

from .models import RoleAssignment, User
from .roles import Role


class RoleGrantFilter(django_filters.FilterSet):
    user = IdFilter(field_name="user_id", label=_("User"))
    unit = IdFilter(field_name="unit_id", label=_("Unit"))
    subtree = IdFilter(method="filter_subtree", label=_("Unit and below"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    active = django_filters.BooleanFilter(method="filter_active", label=_("Active today"))

    class Meta:
        model = RoleAssignment
        fields = ["user", "unit", "subtree", "role", "active"]

    def filter_subtree(self, queryset, name, value):
        from kinerja.organisations.models import OrgUnit

        unit = OrgUnit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_active(self, queryset, name, value):
        active = queryset.active_on()
        return active if value else queryset.exclude(pk__in=active.values("pk"))


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    class Meta:
        model = User
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        try:
            nip = normalise_nip(value)  # a NIP as people write it: spaces, dots, apostrophe
        except ValidationError:
            nip = ""
        by_nip = Q(employee__nip__startswith=nip) if nip.isdigit() else Q(pk__in=[])
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(employee__name__icontains=value)
            | by_nip
        )
