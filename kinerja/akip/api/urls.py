"""The akip app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from rest_framework.routers import SimpleRouter

from .views import EvaluationViewSet, RecommendationViewSet

router = SimpleRouter()
router.register("akip-evaluations", EvaluationViewSet, basename="akip-evaluation")
router.register("akip-recommendations", RecommendationViewSet, basename="akip-recommendation")

urlpatterns = router.urls
