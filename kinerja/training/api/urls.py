"""The training app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .nominations import CompetencyGapViewSet, EventSuggestionsView, ParticipantViewSet

router = SimpleRouter()
router.register("training-participants", ParticipantViewSet, basename="training-participant")
router.register(
    "training-competency-gaps", CompetencyGapViewSet, basename="training-competency-gap"
)

urlpatterns = [
    path(
        "training-events/<int:pk>/suggestions/",
        EventSuggestionsView.as_view(),
        name="training-event-suggestions",
    ),
    path("", include(router.urls)),
]
