"""The training app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import attendance, events, impact, ledger
from .action_plans import ActionPlanViewSet
from .certificates import CertificateCheckViewSet, CertificateViewSet
from .feedback import AssessmentViewSet, FeedbackFormViewSet
from .nominations import CompetencyGapViewSet, EventSuggestionsView, ParticipantViewSet

router = SimpleRouter()
router.register("training-feedback-forms", FeedbackFormViewSet, basename="training-feedback-form")
router.register("training-assessments", AssessmentViewSet, basename="training-assessment")

router.register(
    "training-development-records",
    ledger.DevelopmentRecordViewSet,
    basename="training-development-record",
)
router.register(
    "training-hours/shortfall", ledger.ShortfallViewSet, basename="training-hours-shortfall"
)

router.register("training-programmes", events.ProgrammeViewSet, basename="training-programme")
router.register("training-events", events.EventViewSet, basename="training-event")
router.register("training-sessions", events.SessionViewSet, basename="training-session")
router.register("training-speakers", events.SpeakerViewSet, basename="training-speaker")
router.register(
    "training-competency-gaps", CompetencyGapViewSet, basename="training-competency-gap"
)
router.register("training-participants", ParticipantViewSet, basename="training-participant")
router.register("training-action-plans", ActionPlanViewSet, basename="training-action-plan")
router.register("training-scans", attendance.ScanViewSet, basename="training-scans")
router.register("training-attendance", attendance.AttendanceViewSet, basename="training-attendance")
router.register(
    "training-certificate-checks", CertificateCheckViewSet, basename="training-certificate-check"
)
router.register("training-certificates", CertificateViewSet, basename="training-certificate")

urlpatterns = [
    path(
        "training-events/<int:pk>/impact/",
        impact.EventImpactView.as_view(),
        name="training-event-impact",
    ),
    path(
        "training-events/<int:pk>/suggestions/",
        EventSuggestionsView.as_view(),
        name="training-event-suggestions",
    ),
    path(
        "training-events/<int:pk>/jp-totals/",
        attendance.EventJpTotalsView.as_view(),
        name="training-event-jp-totals",
    ),
    path("", include(router.urls)),
]
