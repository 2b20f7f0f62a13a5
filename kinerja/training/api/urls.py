"""The training app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import attendance

router = SimpleRouter()
router.register("training-attendance", attendance.AttendanceViewSet, basename="training-attendance")
router.register("training-scans", attendance.ScanViewSet, basename="training-scans")

urlpatterns = [
    path("", include(router.urls)),
    path(
        "training-events/<int:pk>/jp-totals/",
        attendance.EventJpTotalsView.as_view(),
        name="training-event-jp-totals",
    ),
]
