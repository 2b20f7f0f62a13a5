"""API of programmes, events, sessions and speakers (``/api/v1/training-*``).

Reads are scoped as the pages (every signed-in member of the instansi reads the events out of
planning; the organiser reads them all); writes are the organiser's and go through
`services.events`, whose refusals answer 400 (field errors) or 403."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import ics
from ..choices import EventStatus
from ..models import Event, Programme, Session, Speaker
from ..selectors_events import (
    events_for,
    programmes_for,
    sessions_for,
    shown_title,
    speakers_for,
    timetable_changed,
)
from ..services import events as svc

# Serializers --------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "purpose", "organiser_unit"]


class ProgrammeWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    purpose = serializers.CharField(required=False, allow_blank=True)
    organiser_unit = serializers.IntegerField(required=False, allow_null=True)


class EventSerializer(serializers.ModelSerializer):
    venue_region = serializers.SerializerMethodField()
    training_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    quotas = serializers.SerializerMethodField()
    timetable_changed = serializers.SerializerMethodField()
    status = serializers.CharField(
        read_only=True, help_text="planned, nomination, running, finished or evaluated"
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "programme",
            "title",
            "description",
            "venue",
            "venue_region",
            "starts_on",
            "ends_on",
            "organiser_unit",
            "training_type",
            "audience_kinds",
            "audience_eselons",
            "audience_note",
            "planned_sessions",
            "capacity",
            "status",
            "opened_by",
            "timetable_version",
            "timetable_changed",
            "quotas",
        ]

    def get_venue_region(self, obj) -> str:
        return obj.venue_region.code if obj.venue_region_id else ""

    def get_quotas(self, obj) -> dict[str, int]:
        return {str(q.agency_id): q.seats for q in obj.quotas.all()}

    def get_timetable_changed(self, obj) -> bool:
        return timetable_changed(obj)


class EventWriteSerializer(serializers.Serializer):
    programme = serializers.IntegerField(required=False)
    title = serializers.CharField(max_length=250, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    venue = serializers.CharField(max_length=250, required=False, allow_blank=True)
    venue_region = serializers.CharField(max_length=13, required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    organiser_unit = serializers.IntegerField(required=False)
    training_type = serializers.CharField(max_length=40, required=False)
    audience_kinds = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False
    )
    audience_eselons = serializers.ListField(
        child=serializers.CharField(max_length=6), required=False
    )
    audience_note = serializers.CharField(max_length=250, required=False, allow_blank=True)
    planned_sessions = serializers.IntegerField(min_value=0, required=False)
    capacity = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    opened_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    quotas = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)


class EventStatusChangeSerializer(serializers.Serializer):
    # Checked by the service (one step forward); a plain string keeps the schema's enum names.
    status = serializers.CharField(
        max_length=12, help_text="The next status: nomination, running, finished or evaluated."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class TimetablePublishSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class TimetableVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    note = serializers.CharField()
    changes = serializers.JSONField()


class SpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "position", "organisation", "bio"]


class SpeakerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    position = serializers.CharField(max_length=250, required=False, allow_blank=True)
    organisation = serializers.CharField(max_length=250, required=False, allow_blank=True)
    bio = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)


class SessionSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    speakers = serializers.SerializerMethodField()
    competencies = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "event",
            "title",
            "published",
            "objectives",
            "starts_at",
            "ends_at",
            "room",
            "jp",
            "speakers",
            "competencies",
        ]

    def _hidden(self, obj) -> bool:
        return shown_title(obj, self.context["scope"]) != obj.title

    def get_title(self, obj) -> str:
        return shown_title(obj, self.context["scope"])

    def get_speakers(self, obj) -> list[dict[str, Any]]:
        if self._hidden(obj):
            return []
        return [
            {"id": link.speaker_id, "name": link.speaker.name} for link in obj.speaker_links.all()
        ]

    def get_competencies(self, obj) -> list[str]:
        return [c.code for c in obj.competencies.all()]

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if self._hidden(obj):
            data["objectives"] = ""
        return data


class SessionWriteSerializer(serializers.Serializer):
    event = serializers.IntegerField(required=False)
    title = serializers.CharField(max_length=300, required=False)
    objectives = serializers.CharField(required=False, allow_blank=True)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    room = serializers.CharField(max_length=120, required=False, allow_blank=True)
    jp = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    published = serializers.BooleanField(required=False)
    speakers = serializers.ListField(child=serializers.IntegerField(), required=False)
    competencies = serializers.ListField(child=serializers.CharField(max_length=40), required=False)


# Viewsets -----------------------------------------------------------------------------------


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_serializer = None

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["scope"] = self.request.scope
        return context

    def call(self) -> dict[str, Any]:
        return {"actor": self.request.user, "scope": self.request.scope}

    def data(self) -> dict[str, Any]:
        form = self.write_serializer(data=self.request.data)
        form.is_valid(raise_exception=True)
        return dict(form.validated_data)

    def answer(self, obj, code=status.HTTP_200_OK, **extra) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        data = self.get_serializer(fresh).data
        data.update(extra)
        return Response(data, status=code)


@extend_schema_view(
    list=extend_schema(summary="List the training programmes of the instansi"),
    create=extend_schema(
        summary="Create a programme (organiser)",
        request=ProgrammeWriteSerializer,
        responses={201: ProgrammeSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a programme (organiser)", request=ProgrammeWriteSerializer
    ),
)
class ProgrammeViewSet(_Base):
    serializer_class = ProgrammeSerializer
    write_serializer = ProgrammeWriteSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Programme.objects.none()
        return programmes_for(self.request.scope).order_by("name", "pk")

    def create(self, request, *args, **kwargs):
        programme = svc.programme_create(**self.call(), **self.data())
        return self.answer(programme, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        programme = svc.programme_update(**self.call(), programme=self.get_object(), **self.data())
        return self.answer(programme)


@extend_schema_view(
    list=extend_schema(
        summary="List training events",
        description="Events out of planning for every member of the instansi; planned ones "
        "for the organiser too. Filters: `year`, `status`, `programme`.",
    ),
    create=extend_schema(
        summary="Create an event (organiser)",
        description="Planned; `quotas` maps agency ids to seats; `venue_region` is the "
        "Kemendagri code; `training_type` its code.",
        request=EventWriteSerializer,
        responses={201: EventSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an event's details (organiser)",
        description="Refused once the event is finished. `quotas`, when given, replaces them.",
        request=EventWriteSerializer,
    ),
)
class EventViewSet(_Base):
    serializer_class = EventSerializer
    write_serializer = EventWriteSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        qs = events_for(self.request.scope).prefetch_related("quotas")
        get = self.request.query_params
        if get.get("year", "").isdigit():
            qs = qs.filter(starts_on__year=int(get["year"]))
        if get.get("programme", "").isdigit():
            qs = qs.filter(programme_id=int(get["programme"]))
        if get.get("status") in EventStatus.values:
            qs = qs.filter(status=get["status"])
        return qs.order_by("-starts_on", "pk")

    def create(self, request, *args, **kwargs):
        event = svc.event_create(**self.call(), **self.data())
        return self.answer(event, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        event = self.get_object()
        data = self.data()
        quotas = data.pop("quotas", None)
        event = svc.event_update(**self.call(), event=event, **data)
        if quotas is not None:
            event = svc.event_set_quotas(**self.call(), event=event, quotas=quotas)
        return self.answer(event)

    @extend_schema(
        summary="Move the event's status one step forward (organiser)",
        description="planned > nomination > running > finished > evaluated; running needs a "
        "published timetable.",
        request=EventStatusChangeSerializer,
        responses=EventSerializer,
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        event = self.get_object()
        form = EventStatusChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        event = svc.event_set_status(
            **self.call(),
            event=event,
            status=form.validated_data["status"],
            reason=form.validated_data.get("reason", ""),
        )
        return self.answer(event)

    @extend_schema(
        summary="Publish the timetable as its next version (organiser)",
        description="Snapshots the sessions with the difference from the last version; from "
        "the second version on, the confirmed participants and the speakers of the changed "
        "sessions are told.",
        request=TimetablePublishSerializer,
        responses={201: TimetableVersionSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        event = self.get_object()
        form = TimetablePublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        version = svc.timetable_publish(
            **self.call(), event=event, note=form.validated_data.get("note", "")
        )
        return Response(TimetableVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The published timetable as a calendar file (ICS)",
        responses={(200, "text/calendar"): bytes},
    )
    @action(detail=True, methods=["get"])
    def ics(self, request, pk=None):
        event = self.get_object()
        response = HttpResponse(
            ics.event_calendar(event), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
        return response


@extend_schema_view(
    list=extend_schema(
        summary="List sessions",
        description="Sessions of the events within reach; filters `event`, `day` "
        "(YYYY-MM-DD). An unpublished subject shows a neutral title to all but the organiser.",
    ),
    create=extend_schema(
        summary="Add a session (organiser)",
        description="`speakers`: speaker ids in order; `competencies`: dictionary codes; `jp` "
        "empty for the default. The answer's `warnings` lists what did not refuse it.",
        request=SessionWriteSerializer,
        responses={201: SessionSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a session (organiser)", request=SessionWriteSerializer
    ),
    destroy=extend_schema(summary="Delete a session (organiser)"),
)
class SessionViewSet(mixins.DestroyModelMixin, _Base):
    serializer_class = SessionSerializer
    write_serializer = SessionWriteSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Session.objects.none()
        qs = sessions_for(self.request.scope)
        get = self.request.query_params
        if get.get("event", "").isdigit():
            qs = qs.filter(event_id=int(get["event"]))
        day = get.get("day", "")
        if len(day) == 10:
            with contextlib.suppress(ValueError):
                qs = qs.filter(starts_at__date=dt.date.fromisoformat(day))
        return qs.order_by("starts_at", "pk")

    def create(self, request, *args, **kwargs):
        data = self.data()
        event = events_for(request.scope).filter(pk=data.pop("event", None) or 0).first()
        if event is None:
            raise ValidationError({"event": _("No such event.")})
        session = svc.session_create(**self.call(), event=event, **data)
        return self.answer(session, status.HTTP_201_CREATED, warnings=session.warnings)

    def partial_update(self, request, *args, **kwargs):
        session = self.get_object()
        data = self.data()
        data.pop("event", None)
        session = svc.session_update(**self.call(), session=session, **data)
        return self.answer(session, warnings=session.warnings)

    def destroy(self, request, *args, **kwargs):
        svc.session_delete(**self.call(), session=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="List speakers"),
    create=extend_schema(
        summary="Add a speaker (organiser); an external speaker needs no account",
        request=SpeakerWriteSerializer,
        responses={201: SpeakerSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a speaker (organiser)", request=SpeakerWriteSerializer
    ),
)
class SpeakerViewSet(_Base):
    serializer_class = SpeakerSerializer
    write_serializer = SpeakerWriteSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Speaker.objects.none()
        return speakers_for(self.request.scope).order_by("name", "pk")

    def create(self, request, *args, **kwargs):
        speaker = svc.speaker_create(**self.call(), **self.data())
        return self.answer(speaker, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        speaker = svc.speaker_update(**self.call(), speaker=self.get_object(), **self.data())
        return self.answer(speaker)
