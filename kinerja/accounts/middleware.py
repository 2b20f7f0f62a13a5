from django.utils.functional import SimpleLazyObject

from .scope import scope_for


class ScopeMiddleware:
    """Put the caller's Scope on ``request.scope``, computed at most once per request.

    It is lazy, so an API request authenticated by token (after this middleware runs) still gets
    the scope of the token's user: DRF sets ``request.user`` before the view reads the scope.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_for(request.user))
        return self.get_response(request)
