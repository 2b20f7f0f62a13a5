from rest_framework import viewsets

from kinerja.organisations.models import Employee, OrgUnit, Position, Region


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.none()


OrgUnitViewSet = PositionViewSet = EmployeeViewSet = RegionViewSet
_ = (Employee, OrgUnit, Position)
