"""The audit trail, read-only: events in the caller's scope, filtered and paged."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kinerja.core.scope import Action
from kinerja.core.views import PartialTemplateMixin

from .models import AuditEvent
from .templatetags.audit_tags import describe_events

EVENTS_PER_PAGE = 50


class EventListView(PartialTemplateMixin, LoginRequiredMixin, TemplateView):
    """Audit events within the caller's scope; needs the view_audit action somewhere."""

    template_name = "audit/event_list.html"
    partial_template_name = "audit/partials/_event_table.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.scope.can_anywhere(Action.VIEW_AUDIT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        scoped = AuditEvent.objects.within(self.request.scope)
        action = self.request.GET.get("action", "").strip()
        text = self.request.GET.get("q", "").strip()
        events = scoped
        if action:
            events = events.filter(action=action)
        if text:
            match = (
                Q(target_repr__icontains=text)
                | Q(actor_repr__icontains=text)
                | Q(reason__icontains=text)
                | Q(action__icontains=text)
            )
            if len(text) >= 3 and str(_("System")).lower().startswith(text.lower()):
                match |= Q(actor__isnull=True)  # the page calls these "Sistem"
            events = events.filter(match)
        page = Paginator(events.order_by("-sequence"), EVENTS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        describe_events(page.object_list)
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            nav_active="audit",
            page_obj=page,
            events=page.object_list,
            actions=scoped.order_by("action").values_list("action", flat=True).distinct(),
            action=action,
            q=text,
            query=params.urlencode(),
            **kwargs,
        )
