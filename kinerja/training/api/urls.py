"""The training app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import ledger

router = SimpleRouter()
router.register(
    "training-development-records",
    ledger.DevelopmentRecordViewSet,
    basename="training-development-record",
)
router.register(
    "training-hours/shortfall", ledger.ShortfallViewSet, basename="training-hours-shortfall"
)

urlpatterns = [
    path("", include(router.urls)),
]
