"""The /api/v1/ router: each app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from kinerja.accounts.api import views as accounts_api
from kinerja.corrections.api import CorrectionRequestViewSet
from kinerja.organisations.api import views as org_api
from kinerja.performance.api import views as perf_api
from kinerja.performance.api.views import actions as action_api
from kinerja.performance.api.views import documents as perf_documents
from kinerja.performance.api.views.realisations import RealisationViewSet

router = DefaultRouter()
router.register("regions", org_api.RegionViewSet, basename="region")
router.register("units", org_api.OrgUnitViewSet, basename="unit")
router.register("positions", org_api.PositionViewSet, basename="position")
router.register("employees", org_api.EmployeeViewSet, basename="employee")
router.register("reporting-lines", org_api.ReportingLineViewSet, basename="reporting-line")
router.register("acting-assignments", org_api.ActingAssignmentViewSet, basename="acting-assignment")
router.register("role-grants", accounts_api.RoleGrantViewSet, basename="role-grant")
router.register("correction-requests", CorrectionRequestViewSet, basename="correction-request")
router.register("periods", perf_api.PeriodViewSet, basename="period")
router.register("sub-periods", perf_api.SubPeriodViewSet, basename="sub-period")
router.register("late-entry-windows", perf_api.LateEntryWindowViewSet, basename="late-entry-window")
router.register("goals", perf_api.GoalViewSet, basename="goal")
router.register(
    "indicator-templates", perf_api.IndicatorTemplateViewSet, basename="indicator-template"
)
router.register("indicators", perf_api.IndicatorViewSet, basename="indicator")
router.register("targets", perf_api.TargetViewSet, basename="target")
router.register("key-indicator-sets", perf_api.KeyIndicatorSetViewSet, basename="key-indicator-set")
router.register("agreements", perf_api.AgreementViewSet, basename="agreement")
router.register("realisations", RealisationViewSet, basename="realisation")
router.register("actions", action_api.ActionViewSet, basename="action")

app_name = "api"
urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path(
        "agreements/<int:pk>/pdf/",
        perf_documents.AgreementPdfView.as_view(),
        name="agreement-pdf",
    ),
    path("", include(router.urls)),
]
