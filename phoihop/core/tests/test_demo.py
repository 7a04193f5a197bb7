import json

import pytest
from django.apps import apps
from django.core.management import call_command

from phoihop.programs.models import Event, Program


def _table_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_loaddemo_twice_changes_nothing():
    call_command("loaddemo", verbosity=0)
    first = _table_counts()
    snapshot = list(Program.objects.order_by("code").values())
    call_command("loaddemo", verbosity=0)
    assert _table_counts() == first
    assert list(Program.objects.order_by("code").values()) == snapshot


@pytest.mark.django_db
def test_the_demo_holds_the_seed_article(capsys):
    call_command("loaddemo", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert {u["username"] for u in out["users"]} >= {"admin", "phunu"}
    new = Program.objects.get(code="bn-phoihop-2019-2023")
    assert {p.code for p in new.predecessors.all()} == {"bn-dv-chqs-2016-2019", "bn-chqs-ctxh-2013-2019"}
    assert new.signing_date.isoformat() == "2019-07-09"
    events = Event.objects.filter(starts_at__date="2019-07-09")
    assert {e.kind for e in events} == {"interim_review", "signing"}


@pytest.mark.django_db
def test_loaddemo_if_empty_leaves_existing_data(capsys):
    call_command("loaddemo", verbosity=0)
    call_command("loaddemo", "--if-empty")
    assert "không nạp lại" in capsys.readouterr().out


@pytest.mark.django_db
def test_createtoken_prints_a_working_token(client, viewer, capsys):
    call_command("createtoken", "viewer")
    token = capsys.readouterr().out.strip()
    assert client.get("/api/programs", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


@pytest.mark.django_db
def test_createtoken_for_an_unknown_user_fails_clearly():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("createtoken", "khong-ai")


@pytest.mark.django_db
def test_no_migrations_are_missing():
    from io import StringIO

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations would create migrations: {out.getvalue()} ({exit_})")
