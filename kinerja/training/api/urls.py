"""The training app's resources under /api/v1/ (included by config/api.py in its namespace)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .certificates import CertificateCheckViewSet, CertificateViewSet

router = SimpleRouter()
router.register("training-certificates", CertificateViewSet, basename="training-certificate")
router.register(
    "training-certificate-checks", CertificateCheckViewSet, basename="training-certificate-check"
)

urlpatterns = [
    path("", include(router.urls)),
]
