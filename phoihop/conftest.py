"""The shared test base: two organisations and named people.

- `org_a` (a military command) and `org_b` (a women's union);
- `sysadmin`; for org_a: `manager` (committee admin), `approver`, `reporter`, `viewer`;
- `outsider`: a reporter of org_b, who must never see org_a's non-public objects.
"""

import os

import pytest

from phoihop import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "mat-khau-thu-1"


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords the production way costs ~0.25 s per user; tests need no such strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Throttling counts per user in the process's cache, across tests (user ids repeat): off here;
    # phoihop/hardening/test_input_limits.py turns it on where it is the subject.
    settings.PHOIHOP_THROTTLE_ENABLED = False


@pytest.fixture
def org_a(db):
    return f.OrganizationFactory(name="Ban Chỉ huy Quân sự thành phố Thử", short_name="Ban CHQS", kind="military_command")


@pytest.fixture
def org_b(db):
    return f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ thành phố Thử", short_name="Hội LHPN", kind="socio_political")


def _member(username, org, role):
    user = f.UserFactory(username=username)
    f.MembershipFactory(user=user, organization=org, role=role)
    return user


@pytest.fixture
def sysadmin(db):
    return f.UserFactory(username="sysadmin", is_superuser=True, is_staff=True)


@pytest.fixture
def manager(org_a):
    return _member("manager", org_a, "committee_admin")


@pytest.fixture
def approver(org_a):
    return _member("approver", org_a, "approver")


@pytest.fixture
def reporter(org_a):
    return _member("reporter", org_a, "reporter")


@pytest.fixture
def viewer(org_a):
    return _member("viewer", org_a, "viewer")


@pytest.fixture
def outsider(org_b):
    return _member("outsider", org_b, "reporter")


@pytest.fixture
def people(sysadmin, manager, approver, reporter, viewer, outsider):
    return {
        "sysadmin": sysadmin, "manager": manager, "approver": approver,
        "reporter": reporter, "viewer": viewer, "outsider": outsider,
    }


@pytest.fixture
def draft_program(org_a):
    """A draft program of org_a alone: private to org_a."""
    program = f.ProgramFactory(code="ct-nhap", title="Chương trình dự thảo của Ban CHQS")
    f.PartyFactory(program=program, organization=org_a, role="lead")
    return program


@pytest.fixture
def private_event(draft_program, org_a):
    event = f.EventFactory(title="Giao ban nội bộ")
    event.programs.add(draft_program)
    event.organizations.add(org_a)
    return event


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def log_in(page, live_server):
    """For browser journeys: `log_in(username)` signs that user (password PASSWORD) in through the
    login page of the live server and waits for the home page."""

    def log_in(username):
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return log_in


@pytest.fixture(autouse=True)
def _vietnamese_again_after_each_test():
    """A request in English leaves English active in this thread (the locale middleware does not
    switch back); the next test on the same worker must start in Vietnamese."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path_factory):
    """Files uploaded by a test (activity and event attachments, images) go to a folder of their
    own, never to the working copy's var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
