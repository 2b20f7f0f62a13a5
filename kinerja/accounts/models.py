"""Users, their role assignments on org units, and hashed API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.models import EffectiveDated
from kinerja.organisations.models import Employee, Instansi, OrgUnit

from .querysets import AccountUserManager, RoleAssignmentQuerySet
from .roles import Role


class User(AbstractUser):
    """A person who signs in; linked to their employee record when they are staff."""

    instansi = models.ForeignKey(
        Instansi,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("instansi"),
    )
    employee = models.OneToOneField(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("employee"),
    )
    is_demo = models.BooleanField(
        _("demo account"), default=False, help_text=_("Refused by production settings.")
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set by an administrator: the next sign-in leads to the password page."),
    )

    objects = AccountUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(EffectiveDated):
    """A role held by a user on a unit (covering its subtree) or across the whole instansi.

    Effective-dated like every dated row, but without the ``valid_range`` check: a grant ended
    on its first day is stored as the empty range ``valid_to = valid_from - 1 day``
    (`services.role_grant_end`), a grant that never took effect.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    instansi = models.ForeignKey(
        Instansi, on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi")
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
        help_text=_("Empty: the whole instansi."),
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="%(app_label)s_%(class)s_unique"
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["opd_head", "opd_admin", "evaluator"])
                | Q(unit__isnull=False),
                name="%(app_label)s_%(class)s_unit_role_has_unit",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit or self.instansi
        return f"{self.get_role_display()} @ {where}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A token for another system. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return "kin_" + secrets.token_urlsafe(32)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
