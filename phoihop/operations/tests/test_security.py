"""Issue 8 point 5: production settings pass `check --deploy`, security headers, login throttling,
password rules, session expiry, and the login log (address truncated, never stored whole)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from phoihop.conftest import PASSWORD
from phoihop.core import net
from phoihop.operations.models import LoginEvent

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
LOGIN = "/tai-khoan/dang-nhap/"


def _phoihop(args: list[str], env_overrides: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHOIHOP_") or k == "PHOIHOP_DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by phoihop/conftest.py for the tests only
    env.update({"PHOIHOP_VAR_DIR": str(tmp_path / "var"), **env_overrides})
    return subprocess.run([sys.executable, "-m", "phoihop", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


PRODUCTION = {
    "PHOIHOP_ENV": "production",
    "PHOIHOP_SECRET_KEY": "k" * 10 + "9f3Qz-Lr8vX2pN7wB4mT6yH1cJ5dK0sA_gE" + "u" * 20,
    "PHOIHOP_ALLOWED_HOSTS": "phoihop.bacninh.gov.vn",
    "PHOIHOP_CSRF_TRUSTED_ORIGINS": "https://phoihop.bacninh.gov.vn",
}


# ---------------------------------------------------------------- production settings

def test_check_deploy_is_clean_with_production_settings(tmp_path):
    completed = _phoihop(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert completed.returncode == 0, completed.stderr + completed.stdout
    assert "System check identified no issues" in completed.stdout
    assert "WARNING" not in completed.stderr + completed.stdout


def test_the_same_check_finds_the_holes_of_development_settings(tmp_path):
    """The check above is not vacuous: development settings fail it."""
    completed = _phoihop(["check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert completed.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in completed.stderr + completed.stdout


def test_production_settings_in_effect(tmp_path):
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'proxy_header': s.SECURE_PROXY_SSL_HEADER, "
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
        "'session_cookie': s.SESSION_COOKIE_NAME, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'static': s.STORAGES['staticfiles']['BACKEND'], "
        "'finders': s.WHITENOISE_USE_FINDERS, 'origins': s.CSRF_TRUSTED_ORIGINS, 'debug': s.DEBUG, "
        "'proxies': s.PHOIHOP_PROXY_COUNT, 'csp_report_only': s.PHOIHOP_CSP_REPORT_ONLY}))"
    )
    completed = _phoihop(["shell", "-c", script], PRODUCTION, tmp_path)
    assert completed.returncode == 0, completed.stderr
    found = json.loads(completed.stdout.strip().splitlines()[-1])
    assert found == {
        "ssl_redirect": True, "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"], "session_secure": True,
        "csrf_secure": True, "session_cookie": "__Host-phoihop_session", "hsts": 31536000, "subdomains": True,
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage", "finders": False,
        "origins": ["https://phoihop.bacninh.gov.vn"], "debug": False, "proxies": 1, "csp_report_only": False,
    }


def test_production_refuses_debug(tmp_path):
    completed = _phoihop(["check"], {**PRODUCTION, "PHOIHOP_DEBUG": "1"}, tmp_path)
    assert completed.returncode != 0
    assert "PHOIHOP_DEBUG phải tắt" in completed.stderr


# ---------------------------------------------------------------- headers

@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client, viewer):
    client.force_login(viewer)
    for url in ("/", LOGIN, "/api/openapi.json", "/quan-tri/login/"):
        response = client.get(url)
        assert response.headers["Content-Security-Policy"] == CSP, url
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert "geolocation=()" in response.headers["Permissions-Policy"]


def test_the_policy_can_be_report_only(settings, rf):
    from phoihop.core.protection import SecurityHeadersMiddleware

    settings.PHOIHOP_CSP_REPORT_ONLY = True
    from django.http import HttpResponse

    response = SecurityHeadersMiddleware(lambda request: HttpResponse("x"))(rf.get("/"))
    assert response.headers["Content-Security-Policy-Report-Only"] == CSP
    assert "Content-Security-Policy" not in response.headers


# ---------------------------------------------------------------- passwords and sessions

def test_passwords_need_ten_characters_and_not_a_common_one(db):
    with pytest.raises(ValidationError, match="10"):
        validate_password("Ab3$efgh9")
    with pytest.raises(ValidationError):
        validate_password("password123")
    with pytest.raises(ValidationError):
        validate_password("1234567890123")
    validate_password("Phối-hợp-2019-an-toàn")


@pytest.mark.django_db
def test_a_session_lasts_a_working_day_and_ends_with_the_browser(client, viewer):
    response = client.post(LOGIN, {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 8 * 3600
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie


@pytest.mark.django_db
def test_client_login_still_works_without_a_request(client, viewer):
    assert client.login(username="viewer", password=PASSWORD)


# ---------------------------------------------------------------- login throttling

def _try(client, username, password, ip="198.51.100.23", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_name_from_that_address_for_fifteen_minutes(client, viewer):
    statuses = [_try(client, "viewer", f"sai-mat-khau-{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 200]
    locked = _try(client, "viewer", "sai-mat-khau-5")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tạm thời không đăng nhập được" in page and "15 phút" in page and "5 lần" in page
    # Even the right password is refused while locked…
    assert _try(client, "viewer", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # …but the same user from another address, and another user from this one, are not blocked.
    assert _try(client, "viewer", PASSWORD, ip="203.0.113.9").status_code == 302
    client.logout()
    # After the cool-off the pair may try again.
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _try(client, "viewer", PASSWORD).status_code == 302
    kinds = list(LoginEvent.objects.order_by("at", "id").values_list("kind", flat=True))
    assert kinds[:7] == ["failed"] * 4 + ["locked", "locked", "login"]


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(client, sysadmin):
    for i in range(4):
        assert _try(client, "sysadmin", f"sai-{i}", url="/quan-tri/login/").status_code == 200
    assert _try(client, "sysadmin", "sai-5", url="/quan-tri/login/").status_code == 429


# ---------------------------------------------------------------- the login log

@pytest.mark.django_db
def test_logins_failures_and_logouts_are_logged_without_the_full_address(client, viewer):
    _try(client, "viewer", "sai-mat-khau", ip="203.0.113.77")
    _try(client, "khong-ton-tai", "x", ip="203.0.113.77")
    _try(client, "viewer", PASSWORD, ip="203.0.113.77")
    client.post("/tai-khoan/dang-xuat/", REMOTE_ADDR="203.0.113.77")
    events = list(LoginEvent.objects.order_by("at", "id"))
    assert [(e.kind, e.success, e.username) for e in events] == [
        ("failed", False, "viewer"), ("failed", False, "khong-ton-tai"), ("login", True, "viewer"), ("logout", True, "viewer"),
    ]
    assert events[0].user == viewer and events[1].user is None
    assert {e.network for e in events} == {"203.0.113.0/24"}
    assert len({e.address_digest for e in events}) == 1 and len(events[0].address_digest) == 20
    assert events[2].path == LOGIN
    for event in events:
        assert "203.0.113.77" not in json.dumps([str(getattr(event, f.attname)) for f in LoginEvent._meta.fields])


def test_the_address_comes_from_the_proxy_only_when_there_is_one(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    settings.PHOIHOP_PROXY_COUNT = 0
    assert net.client_ip(request) == "10.0.0.2"  # a client could have written the header itself
    settings.PHOIHOP_PROXY_COUNT = 1
    assert net.client_ip(request) == "203.0.113.5"  # the entry nginx added, not the client's "1.2.3.4"
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert net.client_ip(request) == "10.0.0.2"


def test_networks_and_digests():
    assert net.network_of("203.0.113.77") == "203.0.113.0/24"
    assert net.network_of("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert net.network_of("::ffff:203.0.113.77") == "203.0.113.0/24"
    assert net.network_of(None) == ""
    assert net.digest_of("203.0.113.77") == net.digest_of(" 203.0.113.77 ") != net.digest_of("203.0.113.78")
    assert net.digest_of("khong-phai-ip") == ""


@pytest.mark.django_db
def test_old_login_entries_are_pruned(viewer):
    from io import StringIO

    from django.core.management import call_command

    LoginEvent.objects.create(kind="login", success=True, username="cu", at=timezone.now() - dt.timedelta(days=400))
    LoginEvent.objects.create(kind="login", success=True, username="moi")
    out = StringIO()
    call_command("prune-logins", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["deleted"] == 1
    assert list(LoginEvent.objects.values_list("username", flat=True)) == ["moi"]
