"""The training app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = [
    path("", include(router.urls)),
]
