"""Pages of the training app, under /training/."""

from django.urls import path

from .views import feedback, impact, ledger

app_name = "training"
urlpatterns: list = [
    # The impact report (views/impact.py).
    path("impact/", impact.ImpactEventListView.as_view(), name="impact_list"),
    path("events/<int:pk>/impact/", impact.ImpactView.as_view(), name="event_impact"),
    path("events/<int:pk>/impact/xlsx/", impact.ImpactXlsxView.as_view(), name="event_impact_xlsx"),
    path("events/<int:pk>/impact/pdf/", impact.ImpactPdfView.as_view(), name="event_impact_pdf"),
    # Reaction feedback and test scores (views/feedback.py).
    path("feedback/", feedback.MyFeedbackView.as_view(), name="my_feedback"),
    path(
        "feedback/<int:pk>/answer/", feedback.FeedbackAnswerView.as_view(), name="feedback_answer"
    ),
    path(
        "feedback/<int:pk>/move/",
        feedback.FeedbackFormMoveView.as_view(),
        name="feedback_form_move",
    ),
    path(
        "feedback/comments/<uuid:pk>/moderate/",
        feedback.CommentModerateView.as_view(),
        name="feedback_comment_moderate",
    ),
    path("feedback/events/", feedback.FeedbackEventsView.as_view(), name="feedback_events"),
    path("events/<int:pk>/feedback/", feedback.FeedbackFormsView.as_view(), name="feedback_forms"),
    path(
        "events/<int:pk>/feedback/moderation/",
        feedback.FeedbackModerationView.as_view(),
        name="feedback_moderation",
    ),
    path(
        "events/<int:pk>/feedback/results/",
        feedback.FeedbackResultsView.as_view(),
        name="feedback_results",
    ),
    path("events/<int:pk>/scores/", feedback.TestScoresView.as_view(), name="test_scores"),
    path(
        "events/<int:pk>/scores/export/",
        feedback.TestScoresExportView.as_view(),
        name="test_scores_export",
    ),
    path(
        "events/<int:pk>/scores/import/",
        feedback.TestScoresImportView.as_view(),
        name="test_scores_import",
    ),
    path(
        "speakers/<int:pk>/feedback/",
        feedback.SpeakerFeedbackView.as_view(),
        name="speaker_feedback",
    ),
    # The development-hours ledger (views/ledger.py).
    path("hours/", ledger.MyHoursView.as_view(), name="hours_mine"),
    path("hours/shortfall/", ledger.ShortfallView.as_view(), name="hours_shortfall"),
    path(
        "hours/shortfall/export/",
        ledger.ShortfallExportView.as_view(),
        name="hours_shortfall_export",
    ),
    path("hours/records/", ledger.RecordListView.as_view(), name="hours_records"),
    path("hours/records/new/", ledger.RecordCreateView.as_view(), name="hours_record_new"),
    path(
        "hours/records/<int:pk>/edit/",
        ledger.RecordUpdateView.as_view(),
        name="hours_record_edit",
    ),
    path(
        "hours/records/<int:pk>/delete/",
        ledger.RecordDeleteView.as_view(),
        name="hours_record_delete",
    ),
    path("hours/records/export/", ledger.RecordExportView.as_view(), name="hours_records_export"),
    path(
        "hours/records/national/",
        ledger.NationalExportView.as_view(),
        name="hours_national_export",
    ),
]
