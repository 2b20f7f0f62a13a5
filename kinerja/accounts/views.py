"""Sign-in, sign-out, one's own password and API tokens; users and their role grants."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from kinerja.core.scope import Action
from kinerja.organisations.models import Instansi, OrgUnit

from . import services
from .filters import RoleGrantFilter, UserFilter
from .forms import (
    ForcePasswordChangeForm,
    LoginForm,
    PasswordChangeForm,
    RoleGrantEndForm,
    RoleGrantForm,
    TokenCreateForm,
)
from .models import ApiToken, RoleAssignment, User

PER_PAGE = 50


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(instansi_name=deployment_name(), **kwargs)


def deployment_name() -> str:
    """The government this deployment serves, for the sign-in page (before anyone signs in).

    The setting ``KINERJA_INSTANSI_NAME`` when set; else the name of the only Instansi; else
    nothing, since with several a visitor's government is not known until they sign in.
    """
    if settings.KINERJA_INSTANSI_NAME:
        return settings.KINERJA_INSTANSI_NAME
    names = list(Instansi.objects.order_by().values_list("name", flat=True)[:2])
    return names[0] if len(names) == 1 else ""


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


class PasswordChangeView(LoginRequiredMixin, TemplateView):
    """Change one's own password, giving the current one. The session stays signed in."""

    template_name = "accounts/password_change.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PasswordChangeForm())
        return super().get_context_data(
            forced=self.request.user.must_change_password,
            next=self.request.GET.get("next", ""),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = PasswordChangeForm(request.POST)
        if form.is_valid():
            try:
                services.password_change(
                    actor=request.user,
                    user=request.user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, _("Your password has been changed."))
                target = request.POST.get("next", "")
                if not url_has_allowed_host_and_scheme(
                    target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    target = reverse("core:home")
                return redirect(target)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AccessManagerMixin(LoginRequiredMixin):
    """Pages for those who grant roles: sign-in required, and access management somewhere."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.scope.can_anywhere(Action.MANAGE_ACCESS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UserListView(AccessManagerMixin, TemplateView):
    """The accounts the caller manages: search by name, username or NIP."""

    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs):
        queryset = User.objects.within(self.request.scope).select_related("employee__unit")
        filterset = UserFilter(self.request.GET, queryset=queryset)
        users = filterset.qs if filterset.is_valid() else queryset.none()
        page = Paginator(users.order_by("username"), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            filterset=filterset, page_obj=page, users=page.object_list, query=params.urlencode()
        )


class UserDetailView(AccessManagerMixin, TemplateView):
    """One account: its grants in the caller's reach, and a forced password change."""

    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        account = get_object_or_404(
            User.objects.within(scope).select_related("employee__unit"), pk=self.kwargs["pk"]
        )
        grants = (
            RoleAssignment.objects.within(scope)
            .filter(user=account)
            .select_related("unit")
            .order_by("-valid_from")
        )
        kwargs.setdefault("force_form", ForcePasswordChangeForm())
        grants = _mark_endable(scope, list(grants))
        return super().get_context_data(
            account=account,
            grants=grants,
            can_force=services.may_manage_user(scope, account),
            **kwargs,
        )


class UserForcePasswordChangeView(AccessManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        account = get_object_or_404(User.objects.within(request.scope), pk=pk)
        form = ForcePasswordChangeForm(request.POST)
        if form.is_valid():
            try:
                services.password_force_change(
                    actor=request.user,
                    scope=request.scope,
                    user=account,
                    temporary_password=form.cleaned_data["temporary_password"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(user)s must choose a new password at the next sign-in.")
                    % {"user": account},
                )
                return redirect("accounts:user_detail", pk=account.pk)
        view = UserDetailView(request=request, kwargs={"pk": pk})
        context = view.get_context_data(force_form=form)
        return view.render_to_response(context, status=400)


class RoleGrantListView(AccessManagerMixin, TemplateView):
    """Role grants in the caller's reach, by user, by unit (with its subtree) or by role."""

    template_name = "accounts/grant_list.html"

    def get_context_data(self, **kwargs):
        scope = self.request.scope
        queryset = RoleAssignment.objects.within(scope).select_related("user", "unit")
        filterset = RoleGrantFilter(self.request.GET, queryset=queryset)
        grants = filterset.qs if filterset.is_valid() else queryset.none()
        grants = grants.order_by("unit__path", "role", "user__username")
        page = Paginator(grants, PER_PAGE).get_page(self.request.GET.get("page"))
        _mark_endable(scope, page.object_list)
        params = self.request.GET.copy()
        params.pop("page", None)
        data = filterset.form.data
        chosen_user = data.get("user")
        chosen_unit = data.get("unit") or data.get("subtree")
        return super().get_context_data(
            filterset=filterset,
            page_obj=page,
            grants=page.object_list,
            query=params.urlencode(),
            units=OrgUnit.objects.within(scope, Action.MANAGE_ACCESS).order_by("path"),
            chosen_user=User.objects.within(scope).filter(pk=chosen_user).first()
            if str(chosen_user or "").isdigit()
            else None,
            chosen_unit=str(chosen_unit or ""),
            can_grant=bool(services.grantable_roles(scope)),
            **kwargs,
        )


class RoleGrantCreateView(AccessManagerMixin, TemplateView):
    template_name = "accounts/grant_form.html"

    def get_form(self, data=None):
        scope = self.request.scope
        initial = {}
        if "user" in self.request.GET:
            account = User.objects.within(scope).filter(pk=self.request.GET["user"]).first()
            if account is not None:
                initial["user"] = account.username
        if "unit" in self.request.GET:
            initial["unit"] = self.request.GET["unit"]
        return RoleGrantForm(
            data,
            initial=initial,
            scope=scope,
            units=OrgUnit.objects.within(scope, Action.MANAGE_ACCESS).order_by("path"),
            roles=services.grantable_roles(scope),
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = services.role_grant(
                    actor=request.user,
                    scope=request.scope,
                    user=data["user"],
                    role=data["role"],
                    unit=data["unit"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    reason=data["reason"],
                )
            except (ValidationError, PermissionDenied) as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(user)s now holds %(grant)s.") % {"user": grant.user, "grant": grant},
                )
                return redirect(f"{reverse('accounts:grant_list')}?user={grant.user_id}")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RoleGrantEndView(AccessManagerMixin, TemplateView):
    template_name = "accounts/grant_end.html"

    def get_grant(self):
        return get_object_or_404(
            RoleAssignment.objects.within(self.request.scope).select_related("user", "unit"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RoleGrantEndForm())
        return super().get_context_data(grant=self.get_grant(), **kwargs)

    def post(self, request, *args, **kwargs):
        grant = self.get_grant()
        form = RoleGrantEndForm(request.POST)
        if form.is_valid():
            try:
                services.role_grant_end(
                    actor=request.user,
                    scope=request.scope,
                    assignment=grant,
                    on=form.cleaned_data["on"],
                    reason=form.cleaned_data["reason"],
                )
            except (ValidationError, PermissionDenied) as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(user)s no longer holds %(grant)s.") % {"user": grant.user, "grant": grant},
                )
                return redirect(f"{reverse('accounts:grant_list')}?user={grant.user_id}")
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _mark_endable(scope, grants):
    """Set ``can_end`` on each grant, so the page offers "End" only where the service allows it."""
    for grant in grants:
        grant.can_end = services.may_grant(scope, grant.role, grant.unit)
    return grants


def _add_errors(form, exc: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form: field errors by field, the rest above it."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
