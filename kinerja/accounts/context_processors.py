from kinerja.core.scope import Action


def access(request) -> dict:
    """Whether the user menu offers the accounts and role-grant pages."""
    scope = getattr(request, "scope", None)
    return {"can_manage_access": bool(scope and scope.can_anywhere(Action.MANAGE_ACCESS))}
