from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class EventListView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"
