from phoihop.audit.context import Actor, _current


class AuditActorMiddleware:
    """Attributes changes made during a request to the logged-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = None
        if user is not None and user.is_authenticated:
            actor = Actor(user_id=user.pk, label=user.get_username())
        token = _current.set(actor)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
