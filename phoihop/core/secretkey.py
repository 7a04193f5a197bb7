"""The secret key a production installation refuses: a known placeholder, or a weak key.

Used twice: by `phoihop/settings.py`, which refuses to start in production with such a key
(ImproperlyConfigured), and by the deploy check `phoihop.E001` (`phoihop check --deploy`), which
reports it as an error whatever the environment. Weak means what Django's own check
security.W009 means: shorter than 50 characters, fewer than 5 distinct characters, or Django's
"django-insecure-" prefix. Plain Python: settings.py imports it before Django is set up.
"""

from __future__ import annotations

MIN_LENGTH = 50
MIN_DISTINCT = 5
INSECURE_PREFIX = "django-insecure-"

# Values that appear in examples and tutorials, ours included (deploy/phoihop.env.example).
PLACEHOLDERS = frozenset({
    "change-me", "changeme", "change_me", "change-this", "changethis", "secret", "secret-key", "secret_key",
    "secretkey", "your-secret-key", "your_secret_key", "replace-me", "replaceme", "please-change-me",
    "insecure", "django-insecure", "xxx", "todo", "test", "dev", "development", "phoihop",
})


def weakness(key: str | None) -> str | None:
    """Why `key` must not be used in production (Vietnamese), or None when it is acceptable."""
    key = key or ""
    if key.strip().lower() in PLACEHOLDERS:
        return f"PHOIHOP_SECRET_KEY đang là giá trị mẫu “{key.strip()}”"
    if key.startswith(INSECURE_PREFIX):
        return f"PHOIHOP_SECRET_KEY bắt đầu bằng “{INSECURE_PREFIX}” (khóa mẫu của Django)"
    if len(key) < MIN_LENGTH:
        return f"PHOIHOP_SECRET_KEY quá ngắn ({len(key)} ký tự, cần ít nhất {MIN_LENGTH})"
    if len(set(key)) < MIN_DISTINCT:
        return f"PHOIHOP_SECRET_KEY có quá ít ký tự khác nhau (cần ít nhất {MIN_DISTINCT})"
    return None


HOW_TO_FIX = (
    "Hãy tạo một khóa ngẫu nhiên: python3 -c \"import secrets; print(secrets.token_urlsafe(50))\" "
    "và đặt vào PHOIHOP_SECRET_KEY (tệp /etc/phoihop/phoihop.env)."
)


def refusal(key: str | None) -> str | None:
    """The whole message for ImproperlyConfigured, or None."""
    reason = weakness(key)
    return f"{reason}: không dùng được khi PHOIHOP_ENV=production. {HOW_TO_FIX}" if reason else None

