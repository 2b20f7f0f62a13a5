"""The account's card on the home page: the instansi and the caller's roles."""

from __future__ import annotations

from typing import Any

from kinerja.organisations.models import Instansi

from .models import RoleAssignment


def identity_card(request) -> dict[str, Any]:
    scope = request.scope
    labels = dict(RoleAssignment._meta.get_field("role").flatchoices)
    user = request.user
    if scope.instansi_id is not None and scope.instansi_id == user.instansi_id:
        instansi = user.instansi  # loaded with the user (backends.get_user)
    else:
        instansi = Instansi.objects.filter(pk=scope.instansi_id).first()
    return {
        "instansi": instansi,
        "roles": sorted(str(labels.get(r, r)) for r in scope.roles),
    }
