"""Admin for accounts: read-only. Accounts, role grants and passwords change through the
audited services (pages under /accounts/, the API, commands); the admin's own forms would
write around them and leave only django_admin_log behind. Tokens can be revoked here, through
the service."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kinerja.core.admin import ReadOnlyAdmin
from kinerja.organisations.admin import ReadOnlyInline

from . import services
from .models import ApiToken, RoleAssignment, User


class RoleAssignmentInline(ReadOnlyInline):
    model = RoleAssignment
    raw_id_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "instansi",
        "is_demo",
        "must_change_password",
        "is_active",
    )
    list_filter = ("is_active", "is_superuser", "is_demo", "must_change_password")
    raw_id_fields = ("employee",)
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Kinerja"), {"fields": ("instansi", "employee", "is_demo", "must_change_password")}),
    )
    inlines = [RoleAssignmentInline]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "unit", "valid_from", "valid_to")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens can be seen and revoked here, never read back: only the hash is stored."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    raw_id_fields = ("user",)
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            services.token_revoke(actor=request.user, token=token)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", count) % {"n": count},
            messages.SUCCESS,
        )
