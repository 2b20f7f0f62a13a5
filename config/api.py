"""The /api/v1/ router: each app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from kinerja.accounts.api import views as accounts_api
from kinerja.corrections.api import CorrectionRequestViewSet
from kinerja.organisations.api import views as org_api
from kinerja.performance.api import views as perf_api
from kinerja.performance.api.views import achievement as achievement_api
from kinerja.performance.api.views import actions as action_api
from kinerja.performance.api.views import consequences as consequences_api
from kinerja.performance.api.views import documents as perf_documents
from kinerja.performance.api.views import evaluation as evaluation_api
from kinerja.performance.api.views import evaluation_documents as evaluation_docs_api
from kinerja.performance.api.views import objections as objections_api
from kinerja.performance.api.views import skp as skp_api
from kinerja.performance.api.views import skp_extra as skp_extra_api
from kinerja.performance.api.views import unit_predikat as unit_predikat_api
from kinerja.performance.api.views.collaboration import CollaborationViewSet
from kinerja.performance.api.views.finder import CollaborationCandidateViewSet
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
router.register("collaborations", CollaborationViewSet, basename="collaboration")
router.register(
    "collaboration-candidates", CollaborationCandidateViewSet, basename="collaboration-candidate"
)
router.register("plans", skp_api.PlanViewSet, basename="plan")
router.register("plan-results", skp_api.PlanResultViewSet, basename="plan-result")
router.register("evaluations", evaluation_api.EvaluationViewSet, basename="evaluation")
router.register("unit-predikat", unit_predikat_api.UnitPredikatViewSet, basename="unit-predikat")
router.register("objections", objections_api.ObjectionViewSet, basename="objection")
router.register(
    "evaluation-inputs", objections_api.EvaluationInputViewSet, basename="evaluation-input"
)

app_name = "api"
urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("tpp/", consequences_api.TppView.as_view(), name="tpp"),
    path(
        "achievement/calculate/",
        achievement_api.AchievementCalculateView.as_view(),
        name="achievement-calculate",
    ),
    path(
        "agreements/<int:pk>/pdf/",
        perf_documents.AgreementPdfView.as_view(),
        name="agreement-pdf",
    ),
    path("plans/<int:pk>/pdf/", skp_extra_api.PlanPdfApiView.as_view(), name="plan-pdf"),
    path(
        "unit-predikat/<int:pk>/pdf/",
        evaluation_docs_api.UnitPredikatPdfApiView.as_view(),
        name="unit-predikat-pdf",
    ),
    path(
        "evaluations/<int:pk>/pdf/",
        evaluation_docs_api.EvaluationPdfApiView.as_view(),
        name="evaluation-pdf",
    ),
    path(
        "evaluations/<int:pk>/document-pdf/",
        evaluation_docs_api.EvaluationDocumentPdfApiView.as_view(),
        name="evaluation-document-pdf",
    ),
    path(
        "document-checks/<str:code>/",
        evaluation_docs_api.DocumentCheckApiView.as_view(),
        name="document-check",
    ),
    path(
        "plans/<int:pk>/ekinerja/", skp_extra_api.PlanExportApiView.as_view(), name="plan-ekinerja"
    ),
    path(
        "plan-results/<int:pk>/cascade/",
        skp_extra_api.PlanCascadeApiView.as_view(),
        name="plan-result-cascade",
    ),
    path(
        "plan-results/<int:pk>/tree/",
        skp_extra_api.PlanResultTreeApiView.as_view(),
        name="plan-result-tree",
    ),
    path(
        "plan-results/<int:pk>/dialogue/",
        skp_extra_api.PlanDialogueApiView.as_view(),
        name="plan-result-dialogue",
    ),
    path(
        "plan-results/<int:pk>/work-log/",
        skp_extra_api.PlanWorkLogApiView.as_view(),
        name="plan-result-work-log",
    ),
    path(
        "periods/<int:pk>/work-log/",
        skp_extra_api.WorkLogSettingApiView.as_view(),
        name="period-work-log",
    ),
    path("", include("kinerja.training.api.urls")),
    path("", include("kinerja.regional.api.urls")),
    path("", include("kinerja.analytics.api.urls")),
    path("", include("kinerja.akip.api.urls")),
    path("", include("kinerja.risks.api.urls")),
    path("", include(router.urls)),
]
