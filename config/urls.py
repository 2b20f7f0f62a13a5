from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from kinerja.core import views as core_views
from kinerja.performance.views.evaluation_documents import DocumentCheckView

# The admin is for system administrators only: it bypasses scoping, so staff status is not enough.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = "Kinerja"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("accounts/", include("kinerja.accounts.urls")),
    path("org/", include("kinerja.organisations.urls")),
    path("audit/", include("kinerja.audit.urls")),
    path("corrections/", include("kinerja.corrections.urls")),
    path("plans/", include("kinerja.performance.urls")),
    path("training/", include("kinerja.training.urls")),
    path("regional/", include("kinerja.regional.urls")),
    path("dashboards/", include("kinerja.analytics.urls")),
    path("akip/", include("kinerja.akip.urls")),
    path("risks/", include("kinerja.risks.urls")),
    path("import/", include("kinerja.imports.urls")),
    path("cek/<str:code>/", DocumentCheckView.as_view(), name="document_check"),  # public
    path("", include("kinerja.core.urls")),
]

# Uploaded files (import sources, reports) are never served by a static route, not even with
# DEBUG on: their names are guessable and they hold personal data. Each app that keeps files
# offers a scoped download view instead.

__all__ = ["urlpatterns", "i18n_patterns"]
