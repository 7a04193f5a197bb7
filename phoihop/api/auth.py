from ninja.security import HttpBearer, SessionAuth

from phoihop.accounts.models import ApiToken


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `phoihop createtoken`."""

    def authenticate(self, request, token: str):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


# Browser pages may call the API with their session (CSRF checked on writes).
session = SessionAuth(csrf=True)
bearer = BearerToken()
