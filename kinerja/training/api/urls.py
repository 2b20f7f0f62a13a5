"""The training app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import events

router = SimpleRouter()
router.register("training-programmes", events.ProgrammeViewSet, basename="training-programme")
router.register("training-events", events.EventViewSet, basename="training-event")
router.register("training-sessions", events.SessionViewSet, basename="training-session")
router.register("training-speakers", events.SpeakerViewSet, basename="training-speaker")

urlpatterns = [
    path("", include(router.urls)),
]
