"""The risks app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import MitigationViewSet, RiskViewSet

router = SimpleRouter()
router.register("risks", RiskViewSet, basename="risk")
router.register("risk-mitigations", MitigationViewSet, basename="risk-mitigation")

urlpatterns = [path("", include(router.urls))]
