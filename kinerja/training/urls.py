"""Pages of the training app, under /training/."""

from django.urls import path

from .views import certificates as certificate_views

app_name = "training"
urlpatterns: list = [
    path("certificates/", certificate_views.CertificatesHomeView.as_view(), name="certificates"),
    # Certificates (STTPP): the organiser's page, the background issue, initial, signature,
    # revocation, the PDF, a participant's own, and the public check page.
    path(
        "events/<int:pk>/certificates/",
        certificate_views.EventCertificatesView.as_view(),
        name="certificate_event",
    ),
    path(
        "events/<int:pk>/certificates/issue/",
        certificate_views.BatchStartView.as_view(),
        name="certificate_batch_start",
    ),
    path(
        "participants/<int:pk>/certificate/",
        certificate_views.IssueOneView.as_view(),
        name="certificate_issue",
    ),
    path(
        "certificates/batches/<int:pk>/progress/",
        certificate_views.BatchProgressView.as_view(),
        name="certificate_batch_progress",
    ),
    path(
        "certificates/batches/<int:pk>/initial/",
        certificate_views.BatchInitialView.as_view(),
        name="certificate_initial",
    ),
    path(
        "certificates/batches/<int:pk>/sign/",
        certificate_views.BatchSignView.as_view(),
        name="certificate_sign",
    ),
    path(
        "certificates/<int:pk>/revoke/",
        certificate_views.RevokeView.as_view(),
        name="certificate_revoke",
    ),
    path(
        "certificates/<int:pk>/pdf/",
        certificate_views.CertificatePdfView.as_view(),
        name="certificate_pdf",
    ),
    path(
        "my/certificates/",
        certificate_views.MyCertificatesView.as_view(),
        name="my_certificates",
    ),
    path(
        "certificates/check/<str:code>/",
        certificate_views.CertificateCheckView.as_view(),
        name="certificate_check",
    ),
]
