"""Admin for training: read-only. Every change goes through the pages or the API, which call the
audited services with their rules; the reference data (competencies, training types) is kept
through its data files and migrations."""

from django.contrib import admin

from kinerja.core.admin import ReadOnlyAdmin

from .models import Competency, Event, Participant, Programme, Session, Speaker, TrainingType


@admin.register(Competency)
class CompetencyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind")


@admin.register(TrainingType)
class TrainingTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "route", "accredited", "min_attendance_percent")


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("name", "instansi")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("title", "starts_on", "ends_on", "status")
    list_filter = ("status",)


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ("title", "event", "starts_at", "jp", "published")


@admin.register(Speaker)
class SpeakerAdmin(ReadOnlyAdmin):
    list_display = ("name", "position", "organisation")


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("employee", "event", "status", "agency_name")
    list_filter = ("status",)
    raw_id_fields = ("employee", "event", "position", "unit", "agency", "replaces")
