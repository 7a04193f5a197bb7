from ninja.security import HttpBearer, SessionAuth

from phoihop.accounts.models import ApiToken, FeedToken
from phoihop.audit.context import Actor, _current


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `phoihop createtoken`. A calendar feed
    token (accounts.FeedToken) is never accepted: it only reads the iCalendar feeds."""

    def authenticate(self, request, token: str):
        if token.startswith(FeedToken.PREFIX):
            return None
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
            # The middleware ran before authentication: attribute this request's changes now.
            _current.set(Actor(user_id=user.pk, label=user.get_username()))
        return user


# Browser pages may call the API with their session (CSRF checked on writes).
session = SessionAuth(csrf=True)
bearer = BearerToken()
