"""Pages of the training app, under /training/."""

from django.urls import path

from .views import events as ev

app_name = "training"
urlpatterns: list = [
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
    path("speakers/", ev.SpeakerListView.as_view(), name="speaker_list"),
    path("speakers/new/", ev.SpeakerCreateView.as_view(), name="speaker_create"),
    path("speakers/<int:pk>/edit/", ev.SpeakerEditView.as_view(), name="speaker_edit"),
    path("mine/", ev.MyEventsView.as_view(), name="my_events"),
    path("mine/timetable/", ev.MyTimetableView.as_view(), name="my_timetable"),
    path("mine/calendar.ics", ev.MyIcsView.as_view(), name="my_ics"),
    path("notices/<int:pk>/read/", ev.NoticeReadView.as_view(), name="notice_read"),
]
