"""The training app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import impact

router = SimpleRouter()

urlpatterns = [
    path(
        "training-events/<int:pk>/impact/",
        impact.EventImpactView.as_view(),
        name="training-event-impact",
    ),
    path("", include(router.urls)),
]
