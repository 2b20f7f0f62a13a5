"""Pages of the training app, under /training/."""

from django.urls import path

from .views import attendance

app_name = "training"
urlpatterns: list = [
    # Attendance: scanning, the room's code, self check-in, badges, corrections, paperwork.
    path("events/<int:pk>/scan/", attendance.ScanPageView.as_view(), name="attendance_scan"),
    path("events/<int:pk>/badge/", attendance.MyBadgeView.as_view(), name="attendance_badge"),
    path(
        "events/<int:pk>/badges.pdf", attendance.BadgesPdfView.as_view(), name="attendance_badges"
    ),
    path(
        "participants/<int:pk>/badge.pdf",
        attendance.BadgePdfView.as_view(),
        name="attendance_badge_pdf",
    ),
    path("events/<int:pk>/jp-totals/", attendance.JpTotalsView.as_view(), name="attendance_totals"),
    path(
        "events/<int:pk>/jp-totals.xlsx",
        attendance.JpTotalsExportView.as_view(),
        name="attendance_totals_export",
    ),
    path(
        "sessions/<int:pk>/room-code/",
        attendance.RoomCodeView.as_view(),
        name="attendance_room_code",
    ),
    path(
        "sessions/<int:pk>/check-in/",
        attendance.CheckInView.as_view(),
        name="attendance_check_in",
    ),
    path(
        "sessions/<int:pk>/attendance/",
        attendance.SessionAttendanceView.as_view(),
        name="attendance_session",
    ),
    path(
        "sessions/<int:pk>/attendance/<int:participant>/correct/",
        attendance.AttendanceCorrectView.as_view(),
        name="attendance_correct",
    ),
    path(
        "sessions/<int:pk>/sheet.pdf",
        attendance.SignatureSheetPdfView.as_view(),
        name="attendance_sheet",
    ),
]
