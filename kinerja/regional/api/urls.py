"""The regional app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns: list = [*router.urls]
