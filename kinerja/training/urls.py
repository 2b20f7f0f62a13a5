"""Pages of the training app, under /training/."""

from django.urls import path

from .views import action_plans, attendance, feedback, gaps, impact, ledger
from .views import certificates as certificate_views
from .views import events as ev
from .views import nominations as nominations_views

app_name = "training"
urlpatterns: list = [
    # Development needs: competency gaps (views/gaps.py).
    path("gaps/", gaps.GapListView.as_view(), name="gaps"),
    path("gaps/staff-lookup/", gaps.GapStaffLookupView.as_view(), name="gap_staff_lookup"),
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
    path("", ev.EventListView.as_view(), name="event_list"),
    path("programmes/", ev.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", ev.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/edit/", ev.ProgrammeEditView.as_view(), name="programme_edit"),
    path("events/new/", ev.EventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/", ev.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", ev.EventEditView.as_view(), name="event_edit"),
    path("events/<int:pk>/setup/", ev.EventSetupView.as_view(), name="event_setup"),
    path("events/<int:pk>/quotas/", ev.EventQuotaView.as_view(), name="event_quotas"),
    path("events/<int:pk>/status/", ev.EventStatusView.as_view(), name="event_status"),
    path("events/<int:pk>/publish/", ev.EventPublishView.as_view(), name="event_publish"),
    path("events/<int:pk>/timetable/", ev.TimetableView.as_view(), name="event_timetable"),
    path("events/<int:pk>/calendar.ics", ev.EventIcsView.as_view(), name="event_ics"),
    path("events/<int:pk>/sessions/new/", ev.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<int:pk>/", ev.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/edit/", ev.SessionEditView.as_view(), name="session_edit"),
    path("sessions/<int:pk>/delete/", ev.SessionDeleteView.as_view(), name="session_delete"),
    path("sessions/<int:pk>/materials/", ev.MaterialUploadView.as_view(), name="material_upload"),
    path("materials/<int:pk>/", ev.MaterialDownloadView.as_view(), name="material_download"),
    path("materials/<int:pk>/remove/", ev.MaterialRemoveView.as_view(), name="material_remove"),
    path("speakers/", ev.SpeakerListView.as_view(), name="speaker_list"),
    path("speakers/new/", ev.SpeakerCreateView.as_view(), name="speaker_create"),
    path("speakers/<int:pk>/edit/", ev.SpeakerEditView.as_view(), name="speaker_edit"),
    path("mine/", ev.MyEventsView.as_view(), name="my_events"),
    path("mine/timetable/", ev.MyTimetableView.as_view(), name="my_timetable"),
    path("mine/calendar.ics", ev.MyIcsView.as_view(), name="my_ics"),
    path("notices/<int:pk>/read/", ev.NoticeReadView.as_view(), name="notice_read"),
    path(
        "nominees/progress/",
        nominations_views.AgencyProgressView.as_view(),
        name="our_progress",
    ),
    path("nominees/", nominations_views.AgencyNomineesView.as_view(), name="our_nominees"),
    path(
        "participants/<int:pk>/withdraw/",
        nominations_views.WithdrawView.as_view(),
        name="participant_withdraw",
    ),
    path(
        "events/<int:pk>/staff-lookup/",
        nominations_views.StaffLookupView.as_view(),
        name="staff_lookup",
    ),
    path(
        "events/<int:pk>/nominate/",
        nominations_views.NominateView.as_view(),
        name="nominate",
    ),
    path(
        "events/<int:pk>/nominations/quota/",
        nominations_views.QuotaSetView.as_view(),
        name="nominations_quota",
    ),
    path(
        "events/<int:pk>/nominations/invite/",
        nominations_views.InviteView.as_view(),
        name="nominations_invite",
    ),
    path(
        "events/<int:pk>/nominations/confirm/",
        nominations_views.ConfirmView.as_view(),
        name="nominations_confirm",
    ),
    path(
        "events/<int:pk>/nominations/",
        nominations_views.EventNominationsView.as_view(),
        name="event_nominations",
    ),
    path(
        "events/<int:event>/action-plans/",
        action_plans.EventActionPlansView.as_view(),
        name="event_action_plans",
    ),
    path(
        "action-plans/<int:pk>/",
        action_plans.ActionPlanDetailView.as_view(),
        name="action_plan_detail",
    ),
    path(
        "action-plans/reviews/",
        action_plans.ReviewsAskedView.as_view(),
        name="action_plan_reviews",
    ),
    path(
        "action-plans/mentoring/",
        action_plans.MentoringView.as_view(),
        name="action_plan_mentoring",
    ),
    path(
        "action-plans/mine/",
        action_plans.MyActionPlansView.as_view(),
        name="action_plan_mine",
    ),
    path(
        "sessions/<int:pk>/sheet.pdf",
        attendance.SignatureSheetPdfView.as_view(),
        name="attendance_sheet",
    ),
    path(
        "sessions/<int:pk>/attendance/<int:participant>/correct/",
        attendance.AttendanceCorrectView.as_view(),
        name="attendance_correct",
    ),
    path(
        "sessions/<int:pk>/attendance/",
        attendance.SessionAttendanceView.as_view(),
        name="attendance_session",
    ),
    path(
        "sessions/<int:pk>/check-in/",
        attendance.CheckInView.as_view(),
        name="attendance_check_in",
    ),
    path(
        "sessions/<int:pk>/room-code/",
        attendance.RoomCodeView.as_view(),
        name="attendance_room_code",
    ),
    path(
        "events/<int:pk>/jp-totals.xlsx",
        attendance.JpTotalsExportView.as_view(),
        name="attendance_totals_export",
    ),
    path("events/<int:pk>/jp-totals/", attendance.JpTotalsView.as_view(), name="attendance_totals"),
    path(
        "participants/<int:pk>/badge.pdf",
        attendance.BadgePdfView.as_view(),
        name="attendance_badge_pdf",
    ),
    path(
        "events/<int:pk>/badges.pdf", attendance.BadgesPdfView.as_view(), name="attendance_badges"
    ),
    path("events/<int:pk>/badge/", attendance.MyBadgeView.as_view(), name="attendance_badge"),
    path("events/<int:pk>/scan/", attendance.ScanPageView.as_view(), name="attendance_scan"),
    path(
        "certificates/check/<str:code>/",
        certificate_views.CertificateCheckView.as_view(),
        name="certificate_check",
    ),
    path(
        "my/certificates/",
        certificate_views.MyCertificatesView.as_view(),
        name="my_certificates",
    ),
    path(
        "certificates/<int:pk>/pdf/",
        certificate_views.CertificatePdfView.as_view(),
        name="certificate_pdf",
    ),
    path(
        "certificates/<int:pk>/revoke/",
        certificate_views.RevokeView.as_view(),
        name="certificate_revoke",
    ),
    path(
        "certificates/batches/<int:pk>/sign/",
        certificate_views.BatchSignView.as_view(),
        name="certificate_sign",
    ),
    path(
        "certificates/batches/<int:pk>/initial/",
        certificate_views.BatchInitialView.as_view(),
        name="certificate_initial",
    ),
    path(
        "certificates/batches/<int:pk>/progress/",
        certificate_views.BatchProgressView.as_view(),
        name="certificate_batch_progress",
    ),
    path(
        "participants/<int:pk>/certificate/",
        certificate_views.IssueOneView.as_view(),
        name="certificate_issue",
    ),
    path(
        "events/<int:pk>/certificates/issue/",
        certificate_views.BatchStartView.as_view(),
        name="certificate_batch_start",
    ),
    path(
        "events/<int:pk>/certificates/",
        certificate_views.EventCertificatesView.as_view(),
        name="certificate_event",
    ),
    path("certificates/", certificate_views.CertificatesHomeView.as_view(), name="certificates"),
]
