"""The client's address, and how it is kept: truncated to its network, plus a keyed digest.

Behind `PHOIHOP_PROXY_COUNT` trusted reverse proxies the address is read from X-Forwarded-For,
counting from the right (the entries the proxies themselves added); a client cannot push a
forged address past them. With no proxy the header is ignored and REMOTE_ADDR is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac

IPV4_PREFIX = 24
IPV6_PREFIX = 48
_DIGEST_SALT = "phoihop.operations.client-address"


def _valid(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip()
    if raw.startswith("[") and "]" in raw:  # [2001:db8::1]:443
        raw = raw[1:raw.index("]")]
    elif raw.count(":") == 1:  # 203.0.113.5:443
        raw = raw.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address of the client (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    proxies = getattr(settings, "PHOIHOP_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            found = _valid(forwarded[-proxies])
            if found:
                return found
    return _valid(meta.get("REMOTE_ADDR"))


def network_of(ip: str | None) -> str:
    """'203.0.113.77' → '203.0.113.0/24'; IPv6 → its /48. Empty when unknown."""
    if not ip:
        return ""
    address = ipaddress.ip_address(ip)
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def digest_of(ip: str | None) -> str:
    """A keyed digest (HMAC with SECRET_KEY) of the full address: equal addresses give equal
    digests, but the address cannot be read back from it without the key (an unkeyed hash of an
    IPv4 address is reversed by trying all 2³² of them)."""
    if not ip:
        return ""
    normalized = _valid(ip)
    if normalized is None:
        return ""
    address = ipaddress.ip_address(normalized)
    if address.version == 6 and address.ipv4_mapped:
        normalized = str(address.ipv4_mapped)
    return salted_hmac(_DIGEST_SALT, normalized, algorithm="sha256").hexdigest()[:20]
