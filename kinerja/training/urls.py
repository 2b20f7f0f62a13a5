"""Pages of the training app, under /training/."""

from django.urls import path

from .views import impact

app_name = "training"
urlpatterns: list = [
    path("impact/", impact.ImpactEventListView.as_view(), name="impact_list"),
    path("events/<int:pk>/impact/", impact.ImpactView.as_view(), name="event_impact"),
    path("events/<int:pk>/impact/xlsx/", impact.ImpactXlsxView.as_view(), name="event_impact_xlsx"),
    path("events/<int:pk>/impact/pdf/", impact.ImpactPdfView.as_view(), name="event_impact_pdf"),
]
