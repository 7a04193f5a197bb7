"""Issue 12: production refuses a placeholder or weak secret key (at startup and in
`phoihop check --deploy`); development keeps its generated var/secret_key."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from phoihop.core import checks as core_checks
from phoihop.core import secretkey

REPO = Path(__file__).resolve().parents[3]
GOOD = "k" * 10 + "9f3Qz-Lr8vX2pN7wB4mT6yH1cJ5dK0sA_gE" + "u" * 20
PRODUCTION = {
    "PHOIHOP_ENV": "production",
    "PHOIHOP_ALLOWED_HOSTS": "phoihop.bacninh.gov.vn",
    "PHOIHOP_CSRF_TRUSTED_ORIGINS": "https://phoihop.bacninh.gov.vn",
}


def _example_secret() -> str:
    text = (REPO / "deploy" / "phoihop.env.example").read_text()
    return re.search(r"^PHOIHOP_SECRET_KEY=(.*)$", text, re.M).group(1).strip()


def _phoihop(args: list[str], env_overrides: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHOIHOP_") or k == "PHOIHOP_DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update({"PHOIHOP_VAR_DIR": str(tmp_path / "var"), **env_overrides})
    return subprocess.run([sys.executable, "-m", "phoihop", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize("key", [
    "change-me", "changeme", "CHANGE-ME", "secret", "django-insecure-" + GOOD, "abcd" * 20,
    GOOD[:49], "short-but-random-9f3Qz",
])
def test_placeholder_and_weak_keys_are_named(key):
    assert secretkey.weakness(key) is not None
    assert "PHOIHOP_ENV=production" in secretkey.refusal(key)


def test_the_example_files_value_is_a_placeholder():
    assert secretkey.weakness(_example_secret()) is not None


def test_a_random_key_passes():
    import secrets

    assert secretkey.weakness(GOOD) is None
    assert secretkey.weakness(secrets.token_urlsafe(50)) is None


def test_the_deploy_check_reports_an_error():
    with override_settings(SECRET_KEY="change-me"):
        [error] = core_checks.check_secret_key()
    assert error.id == "phoihop.E001" and error.is_serious()
    with override_settings(SECRET_KEY=GOOD):
        assert core_checks.check_secret_key() == []


@pytest.mark.parametrize("key", ["example", "change-me", "django-insecure"])
def test_production_refuses_to_start_with_a_placeholder_key(tmp_path, key):
    value = _example_secret() if key == "example" else key
    if key == "django-insecure":
        value = "django-insecure-" + GOOD
    completed = _phoihop(["check", "--deploy"], {**PRODUCTION, "PHOIHOP_SECRET_KEY": value}, tmp_path)
    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr
    assert "PHOIHOP_SECRET_KEY" in completed.stderr and "secrets.token_urlsafe(50)" in completed.stderr
    # The web server cannot start either: importing the WSGI application fails the same way.
    served = _phoihop(["shell", "-c", "import phoihop.wsgi"], {**PRODUCTION, "PHOIHOP_SECRET_KEY": value}, tmp_path)
    assert served.returncode != 0 and "ImproperlyConfigured" in served.stderr


def test_check_deploy_fails_on_a_placeholder_key_outside_production_too(tmp_path):
    completed = _phoihop(["check", "--deploy"], {"PHOIHOP_SECRET_KEY": "change-me"}, tmp_path)
    assert completed.returncode != 0
    assert "phoihop.E001" in completed.stderr + completed.stdout
    # ... while the plain check (development) still passes: only deployment is refused.
    assert _phoihop(["check"], {"PHOIHOP_SECRET_KEY": "change-me"}, tmp_path).returncode == 0


def test_development_generates_its_own_key_once(tmp_path):
    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _phoihop(["shell", "-c", script], {}, tmp_path)
    assert first.returncode == 0, first.stderr
    path = tmp_path / "var" / "secret_key"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert first.stdout.split()[-1] == path.read_text().strip()
    assert secretkey.weakness(first.stdout.split()[-1]) is None
    again = _phoihop(["shell", "-c", script], {}, tmp_path)
    assert again.stdout == first.stdout
