"""Sign-in, sign-out and the caller's own API tokens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from . import services
from .forms import LoginForm, TokenCreateForm
from .models import ApiToken


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires) and return to the sign-in page."""


class TokenListView(LoginRequiredMixin, TemplateView):
    """The caller's API tokens, with a form for a new one. A new raw key is shown only once."""

    template_name = "accounts/token_list.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", TokenCreateForm())
        return super().get_context_data(
            tokens=self.request.user.api_tokens.order_by("-created_at"),
            **kwargs,
        )


class TokenCreateView(TokenListView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                token, raw = services.token_create(
                    actor=request.user,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                # Rendered, not redirected: the raw key must never sit in a session or a URL.
                response = self.render_to_response(
                    self.get_context_data(new_token=token, raw_key=raw)
                )
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TokenRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        if token.revoked_at is not None:
            messages.info(
                request, _("The token “%(name)s” was already revoked.") % {"name": token.name}
            )
        else:
            services.token_revoke(actor=request.user, token=token)
            messages.success(
                request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
            )
        return redirect("accounts:token_list")


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
