"""Reminders e-mailed N days ahead (`phoihop remind`, run by cron), each sent at most once.

A provider returns the reminders that are due; for every recipient the reminder's key is first
*claimed* by inserting a SentReminder row (unique key) in its own committed transaction, and only
then is the e-mail sent. A second run — or one running at the same time — finds the key taken and
skips it; a run killed between the claim and the send leaves a row without `sent_at`, which
`phoihop remind` reports and never resends (at most once: a missed reminder is better than two).

The almanac registers the provider for programs.Event; the reporting app adds deadlines with
`register_reminder_provider(...)` from its AppConfig.ready().
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from phoihop.almanac.models import SentReminder
from phoihop.core.formatting import doc_date

DEFAULT_DAYS = (7, 1)


@dataclass
class Reminder:
    key: str  # identifies the thing, its date and the threshold; the recipient is appended
    due: dt.date
    subject: str
    body: str
    recipients: list = field(default_factory=list)  # users


ReminderProvider = Callable[[dt.date, Sequence[int]], Iterable[Reminder]]
_PROVIDERS: list[ReminderProvider] = []


def register_reminder_provider(provider: ReminderProvider) -> ReminderProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def threshold_for(days_left: int, days: Sequence[int]) -> int | None:
    """The smallest reminder threshold that `days_left` falls within (7 days, then 1 day…)."""
    candidates = [n for n in days if 0 <= days_left <= n]
    return min(candidates) if candidates else None


def users_of(organization_ids: Iterable[int]):
    """Active users with a membership in any of these organisations."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__organization_id__in=list(organization_ids))
        .distinct()
        .order_by("pk")
    )


@register_reminder_provider
def event_reminders(today: dt.date, days: Sequence[int]) -> Iterable[Reminder]:
    from phoihop.programs.models import Event

    if not days:
        return
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=max(days) + 1), dt.time.min))
    events = Event.objects.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at")
    for event in events:
        local = timezone.localtime(event.starts_at)
        days_left = (local.date() - today).days
        threshold = threshold_for(days_left, days)
        if threshold is None:
            continue
        when = f"{local:%H:%M} ngày {doc_date(local.date())}"
        body_lines = [
            f"Sự kiện: {event.title}",
            f"Loại: {event.get_kind_display()}",
            f"Thời gian: {when}",
        ]
        if event.place:
            body_lines.append(f"Địa điểm: {event.place}")
        body_lines += ["", "Thư này do Phối Hợp gửi tự động (lệnh phoihop remind)."]
        yield Reminder(
            key=f"event:{event.pk}:{local.date().isoformat()}:{threshold}d",
            due=local.date(),
            subject=f"[Phối Hợp] Nhắc việc: {event.title} — {doc_date(local.date())}",
            body="\n".join(body_lines),
            recipients=list(users_of(event.related_organization_ids())),
        )


@dataclass
class RemindResult:
    sent: list[SentReminder] = field(default_factory=list)
    skipped: int = 0  # already claimed by an earlier (or concurrent) run
    without_email: int = 0
    failed: list[SentReminder] = field(default_factory=list)
    would_send: list[tuple[str, str]] = field(default_factory=list)  # dry run: (email, subject)
    unsent_claims: list[SentReminder] = field(default_factory=list)


def _claim(key: str, user, reminder: Reminder) -> SentReminder | None:
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                key=key[:255], user=user, email=user.email, subject=reminder.subject[:300], due=reminder.due
            )
    except IntegrityError:
        return None


def send_reminders(
    today: dt.date | None = None,
    days: Sequence[int] = DEFAULT_DAYS,
    *,
    dry_run: bool = False,
    providers: Iterable[ReminderProvider] | None = None,
) -> RemindResult:
    """Send every due reminder not sent before. Safe to run twice, or twice at once."""
    today = today or timezone.localdate()
    result = RemindResult()
    for provider in providers if providers is not None else _PROVIDERS:
        for reminder in provider(today, days):
            for user in reminder.recipients:
                if not user.email:
                    result.without_email += 1
                    continue
                key = f"{reminder.key}:user:{user.pk}"
                if dry_run:
                    if not SentReminder.objects.filter(key=key[:255]).exists():
                        result.would_send.append((user.email, reminder.subject))
                    continue
                claim = _claim(key, user, reminder)
                if claim is None:
                    result.skipped += 1
                    continue
                try:
                    send_mail(
                        reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL, [user.email],
                        fail_silently=False,
                    )
                except Exception as exc:  # the claim stays: never retried automatically
                    SentReminder.objects.filter(pk=claim.pk).update(error=str(exc)[:2000])
                    claim.error = str(exc)
                    result.failed.append(claim)
                    continue
                claim.sent_at = timezone.now()
                SentReminder.objects.filter(pk=claim.pk).update(sent_at=claim.sent_at)
                result.sent.append(claim)
    result.unsent_claims = list(
        SentReminder.objects.filter(sent_at__isnull=True, error="").exclude(
            pk__in=[c.pk for c in result.failed]
        )
    )
    return result
