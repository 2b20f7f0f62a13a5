"""The regional app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from rest_framework.routers import SimpleRouter

from .views import AreaViewSet, MilestoneViewSet, ProgressViewSet, ProjectViewSet

router = SimpleRouter()
router.register("regional-areas", AreaViewSet, basename="regional-area")
router.register("regional-projects", ProjectViewSet, basename="regional-project")
router.register("regional-milestones", MilestoneViewSet, basename="regional-milestone")
router.register("regional-progress-updates", ProgressViewSet, basename="regional-progress-update")

urlpatterns: list = [*router.urls]
