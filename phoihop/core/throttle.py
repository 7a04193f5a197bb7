"""Per-user throttling of the expensive routes: results, documents (.docx/PDF), Excel templates,
imports and exports, bulk writes through the API.

One counter per (scope, user) — per client address for a request without a user — in Django's
cache, shared by the API (`ApiThrottle`, django-ninja's throttle hook) and the pages
(`@throttled`). Rates are `PHOIHOP_THROTTLE_RATES` ("N/period", period s, m, h or d), read at
each request so that they can be changed in tests; `PHOIHOP_THROTTLE_ENABLED` turns them all off.
Beyond the rate: 429 with a Vietnamese message and `Retry-After`.

The cache is Django's per-process local memory unless CACHES says otherwise: with several
gunicorn workers a user may make up to the rate in each worker (still bounded).
"""

from __future__ import annotations

import math
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from ninja.throttling import BaseThrottle

from phoihop.core.net import client_ip

RESULTS = "results"
DOCUMENTS = "documents"
EXCEL = "excel"
BULK = "bulk"

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """"30/m" → (30, 60); "5/10s" → (5, 10)."""
    count, _slash, period = rate.partition("/")
    period = period.strip().lower()
    unit = period[-1:] if period[-1:] in _PERIODS else "s"
    multiple = period[:-1] if period[-1:] in _PERIODS else period
    return int(count), (int(multiple) if multiple else 1) * _PERIODS[unit]


def _rate(scope: str) -> tuple[int, int] | None:
    if not getattr(settings, "PHOIHOP_THROTTLE_ENABLED", True):
        return None
    rate = (getattr(settings, "PHOIHOP_THROTTLE_RATES", {}) or {}).get(scope)
    return parse_rate(rate) if rate else None


def _ident(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user-{user.pk}"
    return f"ip-{client_ip(request) or 'unknown'}"


def hit(scope: str, request) -> int | None:
    """Count one request of `scope`: None when allowed, else the seconds until the next one is."""
    rate = _rate(scope)
    if rate is None:
        return None
    count, duration = rate
    key = f"phoihop-throttle:{scope}:{_ident(request)}"
    now = time.time()
    history = [t for t in cache.get(key, []) if t > now - duration]
    if len(history) >= count:
        return max(1, math.ceil(min(history) + duration - now))
    history.append(now)
    cache.set(key, history, duration)
    return None


def throttled_message(wait: int) -> str:
    return _("Bạn đã gửi quá nhiều yêu cầu loại này trong thời gian ngắn; hãy thử lại sau %(s)s giây.") % {"s": wait}


def throttled_response(request, wait: int):
    from phoihop.core.protection import limit_response

    return limit_response(request, 429, _("Quá nhiều yêu cầu"), throttled_message(wait), retry_after=wait)


def throttled(scope: str, methods: tuple[str, ...] | None = None):
    """Page view decorator: count the request (only `methods`, when given) and answer 429 beyond
    the rate. Put it under @login_required so that the counter is the user's."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                wait = hit(scope, request)
                if wait is not None:
                    return throttled_response(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class ApiThrottle(BaseThrottle):
    """django-ninja's throttle hook on the same counters: `@router.get(..., throttle=ApiThrottle(RESULTS))`.
    The operation asks `allow_request` then `wait` on the same object, in the same thread."""

    def __init__(self, scope: str):
        self.scope = scope
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        self._local.wait = hit(self.scope, request)
        return self._local.wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
