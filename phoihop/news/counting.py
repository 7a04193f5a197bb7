"""Counting article views that readers can trust.

Rules (docs/news.md):
- one view per visitor per article per 30 minutes;
- a *visitor* is a keyed hash of the network (IPv4 /24, IPv6 /48 — never the full address) and
  the browser's User-Agent, with a key derived from SECRET_KEY and today's date, so the hash
  changes every day and cannot be linked across days;
- the hash lives only in Django's cache, for 30 minutes; nothing about visitors is written to
  the database;
- known bots (by User-Agent) and prefetches are not counted, nor logged-in staff or members of the
  publishing organisation (they preview their own bulletin);
- the counter is raised by one atomic `UPDATE … SET view_count = view_count + 1`: no
  read-modify-write, no lost update under concurrent requests.

The cache is per process with Django's default LocMemCache: with several worker processes
configure a shared cache (database or Redis) so that the 30-minute rule holds across workers.
The database row stays the source of truth for the number itself.
"""

from __future__ import annotations

import ipaddress
import re

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from phoihop.accounts import permissions as perms
from phoihop.core.net import client_ip

WINDOW_SECONDS = 30 * 60
BOT_UA = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|facebookcatalog|embedly|preview|curl|wget|python-requests"
    r"|python-urllib|aiohttp|httpx|go-http-client|java/|okhttp|libwww|scrapy|headless|phantomjs|puppeteer"
    r"|playwright|selenium|lighthouse|pagespeed|monitor|uptime|pingdom|feedfetcher|validator"
    r"|whatsapp|telegram|skype|discord|slack",
    re.I,
)


def is_bot(user_agent: str) -> bool:
    """A robot, a link previewer or a script — or no User-Agent at all."""
    return not user_agent.strip() or bool(BOT_UA.search(user_agent))


def is_prefetch(request) -> bool:
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower() or "prerender" in purpose.lower()


def is_insider(user, article) -> bool:
    """Logged-in staff and members of the publishing organisation are not readers."""
    if not user or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or article.organization_id in perms.org_ids(user))


def network_of(address: str) -> str:
    """'203.0.113.57' → '203.0.113.0/24'; IPv6 → its /48; anything unparsable → ''."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def client_address(request) -> str:
    """The client's address: behind trusted proxies (PHOIHOP_PROXY_COUNT) the project's
    `core.net.client_ip` reads X-Forwarded-For safely; otherwise REMOTE_ADDR."""
    return client_ip(request) or ""


def visitor_key(request, article_id: int) -> str:
    """The cache key of (visitor, article): a daily-keyed HMAC, no address or agent in clear."""
    network = network_of(client_address(request))
    agent = request.headers.get("User-Agent", "")[:512]
    digest = salted_hmac(f"phoihop.news.view.{timezone.localdate().isoformat()}", f"{network}|{agent}",
                         algorithm="sha256").hexdigest()[:40]
    return f"news:view:{article_id}:{digest}"


def should_count(request, article) -> bool:
    if request.method != "GET" or is_prefetch(request):
        return False
    if is_bot(request.headers.get("User-Agent", "")):
        return False
    return not is_insider(request.user, article)


def count_view(request, article) -> int:
    """Count this request if the rules allow; return the article's current number of views."""
    from phoihop.news.models import Article

    if should_count(request, article) and cache.add(visitor_key(request, article.pk), 1, WINDOW_SECONDS):
        Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
        article.view_count = Article.objects.filter(pk=article.pk).values_list("view_count", flat=True).get()
    return article.view_count
