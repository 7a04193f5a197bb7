"""Anniversaries, local commemorations and year themes: the almanac's workflows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.almanac import lunar
from phoihop.almanac.models import (
    CalendarKind,
    Commemoration,
    PoliticalResolution,
    Scope,
    YearTheme,
)
from phoihop.core.formatting import doc_date
from phoihop.organizations.models import AdministrativeUnit, Organization

ROUND = "round"
HALF_ROUND = "half_round"
OTHER = "other"
# What an anniversary is called: 10, 20… years "năm tròn", 15, 25… "năm lẻ 5", others nothing.
KIND_LABELS = {ROUND: gettext_lazy("năm tròn"), HALF_ROUND: gettext_lazy("năm lẻ 5"), OTHER: ""}
# Round anniversaries first, then those ending in 5 (Decree 145/2013, amended by 111/2018).
KIND_RANK = {ROUND: 0, HALF_ROUND: 1, OTHER: 2}
MAX_WINDOW_DAYS = 3 * 366


def anniversary_kind(years: int | None) -> str:
    """'round' for 10, 20, 30… years; 'half_round' for 5, 15, 25…; else 'other'."""
    if not years:
        return OTHER
    if years % 10 == 0:
        return ROUND
    if years % 10 == 5:
        return HALF_ROUND
    return OTHER


@dataclass(frozen=True)
class Anniversary:
    commemoration: Commemoration
    date: dt.date
    years: int | None
    origin: dt.date | None

    @property
    def kind(self) -> str:
        return anniversary_kind(self.years)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def rank(self) -> int:
        return KIND_RANK[self.kind]

    @property
    def name(self) -> str:
        return self.commemoration.name

    @property
    def text(self) -> str:
        """'Kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019)';
        'Giỗ Tổ Hùng Vương (10/3 âm lịch)' for a day without a known origin year."""
        c = self.commemoration
        if self.years is None or self.origin is None:
            return f"{c.name} ({c.day_month_label})"
        return _("Kỷ niệm %(n)s năm %(name)s (%(a)s - %(b)s)") % {
            "n": self.years, "name": c.name, "a": doc_date(self.origin), "b": doc_date(self.date)}

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "origin": self.origin.isoformat() if self.origin else None,
            "date": self.date.isoformat(),
            "years": self.years,
            "kind": self.kind,
            "text": self.text,
            "code": self.commemoration.code,
            "calendar": self.commemoration.calendar,
            "scope": self.commemoration.scope,
        }


class WindowError(ValueError):
    """A date window that is reversed, too long or outside 1900–2100 (message in Vietnamese)."""


def check_window(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise WindowError(
            f"Ngày kết thúc ({doc_date(end)}) phải sau hoặc bằng ngày bắt đầu ({doc_date(start)})."
        )
    if (end - start).days > MAX_WINDOW_DAYS:
        raise WindowError("Khoảng thời gian tối đa là 3 năm.")
    if start < lunar.MIN_DATE or end > lunar.MAX_DATE:
        raise WindowError(
            f"Chỉ hỗ trợ các ngày từ 01/01/{lunar.MIN_YEAR} đến 31/12/{lunar.MAX_YEAR}."
        )


def occurrences(commemoration: Commemoration, start: dt.date, end: dt.date) -> list[Anniversary]:
    """Every anniversary of `commemoration` falling between `start` and `end` (inclusive)."""
    found: list[Anniversary] = []
    years = range(start.year - 1, end.year + 1) if commemoration.is_lunar else range(start.year, end.year + 1)
    origin = commemoration.origin_date if commemoration.origin_year is not None else None
    for year in years:
        day = commemoration.occurrence_in(year)
        if day is None or not (start <= day <= end):
            continue
        if commemoration.origin_year is None:
            found.append(Anniversary(commemoration, day, None, None))
        elif year > commemoration.origin_year:
            found.append(Anniversary(commemoration, day, year - commemoration.origin_year, origin))
    return found


def commemorations_for(
    organization_ids: Iterable[int] | None = None, unit_ids: Iterable[int] | None = None
) -> QuerySet[Commemoration]:
    """National days plus the local days of these organisations and administrative units.
    With no ids at all: every commemoration (the system-wide view)."""
    qs = Commemoration.objects.select_related("organization", "administrative_unit")
    if organization_ids is None and unit_ids is None:
        return qs
    return qs.filter(
        Q(scope=Scope.NATIONAL)
        | Q(organization_id__in=list(organization_ids or []))
        | Q(administrative_unit_id__in=list(unit_ids or []))
    )


def anniversaries(
    start: dt.date, end: dt.date, commemorations: Iterable[Commemoration] | None = None
) -> list[Anniversary]:
    """Anniversaries in the window, by date (then round ones first, then name)."""
    check_window(start, end)
    if commemorations is None:
        commemorations = Commemoration.objects.select_related("organization", "administrative_unit")
    found = [a for c in commemorations for a in occurrences(c, start, end)]
    return sorted(found, key=lambda a: (a.date, a.rank, a.name))


def unit_ids_for(organization_ids: Iterable[int]) -> set[int]:
    """The administrative units these organisations sit in, and every unit above them."""
    ids: set[int] = set()
    units = AdministrativeUnit.objects.filter(organizations__id__in=list(organization_ids)).distinct()
    for unit in units:
        ids.add(unit.pk)
        ids |= {u.pk for u in unit.ancestors()}
    return ids


@transaction.atomic
def add_local_commemoration(
    organization: Organization | None,
    name: str,
    origin: dt.date,
    code: str,
    *,
    calendar: str = CalendarKind.SOLAR,
    short_name: str = "",
    source: str = "",
    note: str = "",
    administrative_unit: AdministrativeUnit | None = None,
    is_demo: bool = False,
) -> Commemoration:
    """Create (or update, by `code`) a local commemoration for `organization` (or for
    `administrative_unit`) whose origin is the solar date `origin`. With calendar="lunar" the day
    is kept on the lunar date of `origin` (e.g. a local festival counted in the lunar calendar)."""
    if organization is None and administrative_unit is None:
        raise ValueError("add_local_commemoration needs an organization or an administrative_unit")
    if calendar == CalendarKind.LUNAR:
        lunar_origin = lunar.to_lunar(origin)
        if lunar_origin.leap:
            raise lunar.LunarError("Ngày gốc rơi vào tháng nhuận: hãy nhập ngày âm lịch của tháng thường.")
        day, month, year = lunar_origin.day, lunar_origin.month, lunar_origin.year
    else:
        day, month, year = origin.day, origin.month, origin.year
    values = {
        "name": name,
        "short_name": short_name,
        "calendar": calendar,
        "day": day,
        "month": month,
        "origin_year": year,
        "scope": Scope.LOCAL,
        "organization": organization,
        "administrative_unit": administrative_unit,
        "source": source,
        "note": note,
        "is_demo": is_demo,
    }
    commemoration = Commemoration.objects.filter(code=code).first() or Commemoration(code=code)
    for field, value in values.items():
        setattr(commemoration, field, value)
    commemoration.full_clean()
    commemoration.save()
    return commemoration


@transaction.atomic
def save_year_theme(
    *,
    year: int,
    theme: str,
    resolutions: Iterable[str] = (),
    organization: Organization | None = None,
    administrative_unit: AdministrativeUnit | None = None,
    source: str = "",
    is_demo: bool = False,
    instance: YearTheme | None = None,
) -> YearTheme:
    """Create or update the year theme of an organisation or unit and its numbered resolutions.

    Resolutions are matched by number: a changed text is an update, a new number a creation,
    a dropped number a deletion — so the audit log shows exactly what changed."""
    if instance is None:
        instance = YearTheme.objects.filter(
            organization=organization, administrative_unit=administrative_unit, year=year
        ).first() or YearTheme()
    instance.organization = organization
    instance.administrative_unit = administrative_unit
    instance.year = year
    instance.theme = theme
    instance.source = source
    instance.is_demo = is_demo
    instance.full_clean()
    instance.save()
    set_resolutions(instance, resolutions)
    return instance


def set_resolutions(theme: YearTheme, texts: Iterable[str]) -> None:
    wanted = {i: text.strip() for i, text in enumerate((t for t in texts if t and t.strip()), start=1)}
    existing = {r.number: r for r in theme.resolutions.all()}
    for number, resolution in existing.items():
        if number not in wanted:
            resolution.delete()
    for number, text in wanted.items():
        resolution = existing.get(number)
        if resolution is None:
            PoliticalResolution.objects.create(theme=theme, number=number, text=text)
        elif resolution.text != text:
            resolution.text = text
            resolution.save()


def themes_for(
    organization_ids: Iterable[int], unit_ids: Iterable[int], years: Iterable[int]
) -> QuerySet[YearTheme]:
    return (
        YearTheme.objects.filter(
            Q(organization_id__in=list(organization_ids)) | Q(administrative_unit_id__in=list(unit_ids)),
            year__in=list(years),
        )
        .select_related("organization", "administrative_unit")
        .prefetch_related("resolutions")
    )
