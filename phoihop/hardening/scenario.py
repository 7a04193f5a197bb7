"""Scenarios for the crash tests (test_crash_safety.py), run in a subprocess against a database
of their own (PHOIHOP_DATABASE_URL): `python -m phoihop.hardening.scenario COMMAND DIR`.

- `setup DIR`: an organisation with a reporter, an approver and a committee administrator, a
  signed program, a filled-in Excel template (DIR/filled.xlsx), a submitted report waiting for
  approval and a review held and ready to be issued; DIR/scenario.json says what was made.
- `approve DIR`: approve the submitted report (reporting.services.approve).
- `issue DIR`: issue the review through its page (POST /so-ket/<id>/trang-thai/), as a browser would.

Not a test module; crash_hooks.py can slow any of them down at a chosen point so the test can
kill the process there.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    import django

    django.setup()


def setup(out: Path) -> None:
    import datetime as dt
    import io

    import openpyxl
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from phoihop.accounts.models import Membership
    from phoihop.audit import workflow
    from phoihop.organizations.models import Organization
    from phoihop.programs.models import (
        ContentArea,
        Program,
        ProgramParty,
        ProgramStatus,
        SteeringCommittee,
    )
    from phoihop.reporting import bulk, excel, periods, services
    from phoihop.reporting.models import Indicator, SubmissionStatus
    from phoihop.reviews.models import Narrative, Section
    from phoihop.reviews.services import ItemInput, prepare_review

    org = Organization.objects.create(name="Hội Liên hiệp Phụ nữ thử nghiệm", short_name="Hội LHPN", kind="socio_political")
    office = Organization.objects.create(name="Ban CHQS thử nghiệm", short_name="Ban CHQS", kind="military_command")
    users = {}
    for username, role, member_of in (("baocao", "reporter", org), ("duyet", "approver", org), ("quantri", "committee_admin", office)):
        user = get_user_model().objects.create(username=username)
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, organization=member_of, role=role)
        users[username] = user.pk
    program = Program.objects.create(code="ct-thu-sap", title="Chương trình phối hợp thử nghiệm", start=dt.date(2019, 1, 1),
                                     status=ProgramStatus.SIGNED, signing_date=dt.date(2019, 1, 1))
    program.content_areas.set(ContentArea.objects.filter(code__in=["gratitude", "recruitment", "propaganda"]))
    ProgramParty.objects.create(program=program, organization=office, role="lead")
    ProgramParty.objects.create(program=program, organization=org, role="member")
    SteeringCommittee.objects.create(name="Ban chỉ đạo thử nghiệm", standing_office=office).programs.add(program)

    # The Excel import: every input row of an open period filled in.
    period = services.get_period(periods.covering(timezone.localdate(), periods.QUARTER), services.convention_for(org))
    workbook = openpyxl.load_workbook(io.BytesIO(excel.build_template(org, period)))
    sheet = workbook[excel.DATA_SHEET]
    types = dict(Indicator.objects.values_list("code", "value_type"))
    rows = 0
    for r in range(excel.FIRST_DATA_ROW, sheet.max_row + 1):
        code = sheet[f"B{r}"].value
        if not code:
            continue
        kind = types[code]
        sheet[f"H{r}"] = "có" if kind == "boolean" else (50 if kind == "percent" else r)
        sheet[f"I{r}"] = f"Dòng {r} — nhập từ tệp"
        rows += 1
    workbook.save(out / "filled.xlsx")

    # A report waiting for approval.
    july = services.get_period("2019-07", services.convention_for(org))
    result = bulk.save_values(org, july, None, [services.CellInput("recruit_called", 120), services.CellInput("recruit_enlisted", 30)],
                                  check_permission=False, today=july.start)
    assert result.ok, result.errors
    submission = services.submission_for(org, july)
    workflow.move(submission, SubmissionStatus.SUBMITTED)

    # A review held, to be issued.
    review = prepare_review(title="Sơ kết chương trình phối hợp thử nghiệm", kind="interim", date=dt.date(2019, 12, 20),
                            organizer=office, user=None, items=[ItemInput(program.code, dt.date(2019, 1, 1), dt.date(2019, 12, 14))])
    Narrative.objects.create(review=review, section=Section.SITUATION, text="Tình hình địa phương ổn định.")
    workflow.move(review, "held")

    (out / "scenario.json").write_text(json.dumps({
        "organization": org.pk, "office": office.pk, "users": users, "program": program.code,
        "import_period": period.code, "import_rows": rows, "submission": submission.pk, "review": review.pk,
    }))


def _scenario(folder: Path) -> dict:
    return json.loads((folder / "scenario.json").read_text())


def approve(folder: Path) -> None:
    from django.contrib.auth import get_user_model

    from phoihop.audit.context import acting_as
    from phoihop.reporting import services
    from phoihop.reporting.models import Submission

    data = _scenario(folder)
    user = get_user_model().objects.get(pk=data["users"]["duyet"])
    with acting_as(user):
        services.approve(Submission.objects.get(pk=data["submission"]), user)
    print("approved")


def issue(folder: Path) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.messages import get_messages
    from django.test import Client

    data = _scenario(folder)
    client = Client()
    client.force_login(get_user_model().objects.get(pk=data["users"]["quantri"]))
    response = client.post(f"/so-ket/{data['review']}/trang-thai/", {"status": "issued"})
    notes = [str(m) for m in get_messages(response.wsgi_request)] if hasattr(response, "wsgi_request") else []
    print(json.dumps({"status": response.status_code, "messages": notes}, ensure_ascii=False))


def main(argv: list[str]) -> None:
    command, folder = argv[1], Path(argv[2])
    _django()
    {"setup": setup, "approve": approve, "issue": issue}[command](folder)


if __name__ == "__main__":
    main(sys.argv)
