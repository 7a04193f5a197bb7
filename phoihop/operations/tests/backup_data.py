"""Data for the backup tests, loaded into a scratch database by a separate `phoihop` process
(`phoihop shell -c "from phoihop.operations.tests.backup_data import load; load()"`), so that it
is committed as in real life and the test database is not touched."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

PDF = b"%PDF-1.4\n% bi\xc3\xaan b\xe1\xba\xa3n h\xe1\xbb\x8dp\n" + bytes(range(256)) * 8


def load() -> None:
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from phoihop import factories as f
    from phoihop.audit.context import acting_as
    from phoihop.programs.models import ContentArea
    from phoihop.reporting import bulk, periods, services
    from phoihop.reporting.models import Activity, ActivityValue, Attachment, Indicator

    with transaction.atomic():
        org_a = f.OrganizationFactory(name="Ban Chỉ huy Quân sự thành phố Thử", short_name="Ban CHQS", kind="military_command")
        org_b = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ thành phố Thử", short_name="Hội LHPN")
        reporter = f.UserFactory(username="reporter", first_name="Nguyễn Thị", last_name="Hằng")
        approver = f.UserFactory(username="approver")
        f.MembershipFactory(user=reporter, organization=org_a, role="reporter")
        f.MembershipFactory(user=approver, organization=org_a, role="approver")
        program = f.ProgramFactory(code="ct-sao-luu", title="Chương trình sao lưu thử", start=dt.date(2019, 1, 1), end=None)
        f.PartyFactory(program=program, organization=org_a, role="lead")
        f.PartyFactory(program=program, organization=org_b)
        program.content_areas.set(ContentArea.objects.filter(code__in=["gratitude", "recruitment"]))
        period = services.get_period(periods.covering(timezone.localdate(), periods.QUARTER), services.convention_for(org_a))
        with acting_as(reporter):
            result = bulk.save_values(org_a, period, reporter, [
                services.CellInput("gratitude_houses", "1.234"), services.CellInput("recruit_called", "12")])
            assert result.ok, result.errors
            services.submit(services.submission_for(org_a, period), reporter)
        with acting_as(approver):
            services.approve(services.submission_for(org_a, period), approver)
        with acting_as(reporter):
            activity = Activity.objects.create(
                title="Thăm, tặng quà gia đình chính sách “27/7”", content_area=ContentArea.objects.get(code="gratitude"),
                lead_organization=org_a, program=program, start_date=dt.date(2019, 7, 20), end_date=dt.date(2019, 7, 27),
                participants=40, funds_spent=Decimal("12.50"),
            )
            activity.co_organizers.add(org_b)
            ActivityValue.objects.create(activity=activity, indicator=Indicator.objects.get(code="gratitude_houses"), value=Decimal(3))
        # The file through the storage, the row with bulk_create: Attachment.save() trips the audit
        # log over its FileField today (see phoihop/hardening/conftest.py).
        stored = default_storage.save(f"attachments/{activity.pk}/biên bản bàn giao.pdf", ContentFile(PDF))
        Attachment.objects.bulk_create([Attachment(activity=activity, file=stored, caption="Biên bản", size=len(PDF))])
    nested = os.path.join(settings.MEDIA_ROOT, "news", "2019", "07")
    os.makedirs(nested, exist_ok=True)
    with open(os.path.join(nested, "ảnh đẹp.jpg"), "wb") as fh:
        fh.write(os.urandom(3000))
    open(os.path.join(settings.MEDIA_ROOT, "rỗng.txt"), "wb").close()
