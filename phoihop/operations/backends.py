"""django-axes' login throttling, first in AUTHENTICATION_BACKENDS.

The only difference from `axes.backends.AxesStandaloneBackend`: a call without a request (the
test client's `client.login()`, a shell's `authenticate()`) is not throttled instead of raising.
Every login form (the site's and the admin's) passes the request, so throttling always applies
to them.
"""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
