"""The training app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .action_plans import ActionPlanViewSet

router = SimpleRouter()
router.register(r"training/action-plans", ActionPlanViewSet, basename="training-action-plan")

urlpatterns = [
    path("", include(router.urls)),
]
