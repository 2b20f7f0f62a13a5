"""Navigation by role: each item shows only when the caller's scope allows its action."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kinerja.core.scope import Action

NAV = [
    # (label, url name, action needed; None = any signed-in user, "self" = has own record)
    (_("Home"), "core:home", None, "home"),
    (_("Units"), "organisations:unit_tree", Action.VIEW_ORG, "units"),
    (_("Employees"), "organisations:employee_list", Action.VIEW_PEOPLE, "employees"),
    (_("My record"), "organisations:employee_me", "self", "me"),
    (_("Import"), "core:import_start", Action.IMPORT, "import"),
    (_("Audit trail"), "audit:event_list", Action.VIEW_AUDIT, "audit"),
    (_("API"), "api-docs", None, "api"),
]


def navigation(request):
    scope = getattr(request, "scope", None)
    if scope is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, name, action, key in NAV:
        if action == "self":
            if not scope.employee_id:
                continue
        elif action is not None and not scope.can_anywhere(action):
            continue
        items.append({"label": label, "url": reverse(name), "key": key})
    return {"nav_items": items}
