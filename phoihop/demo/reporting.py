"""Invented figures for the demo: 2013–2023 monthly values, plans, activities, targets, reports.

EVERY FIGURE WRITTEN HERE IS INVENTED (số liệu minh họa). Only the organisations, the programs,
the dates of the commemorations (27/7/1947, 08/8/1954, 22/12/1944, Tết) and the events of the
seed article are real; the numbers are drawn from a seeded random generator (random.Random(2019))
so every run produces the same figures. Activities carry `is_demo=True`; data values, reports
and targets have no such flag (docs/aggregation.md says so).

What is produced, for every city body that is a party of the three demo programs:
- a value per indicator and Decree 09 month (2013-01 … 2023-12) where something happened, for the
  indicators of the content areas of its programs in force that month, sized to its role;
- one report (Submission) per month in force: approved, except a few returned with a reason,
  and the last month (2023-12) still open for a few organisations (entry reopened);
- yearly targets for its main indicators, and a few program-wide phase targets;
- one plan per program and year, 5–15 activities per year, and the joint activities of the
  programs, whose figures live only on the activity (`ActivityValue`), never in `DataValue`s.

Rows are written with bulk_create (no audit entry each); one audit entry per organisation
records the import ("loaddemo: nạp N số liệu minh họa …"), and each report's workflow steps
(submitted, approved or returned) are recorded at their own dates, so the approval log shows
the demo's history. A second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from phoihop.almanac import lunar
from phoihop.audit.recorder import write_entries_bulk, write_entry
from phoihop.core.vietnamese import fold, lower_first, nfc
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program
from phoihop.reporting import periods, services
from phoihop.reporting.models import (
    Activity,
    ActivityValue,
    DataValue,
    Indicator,
    Plan,
    Submission,
    SubmissionStatus,
    Target,
)

D = dt.date
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 2019
FIRST_YEAR, LAST_YEAR = 2013, 2023
OPEN_MONTH = "2023-12"
PROGRAM_CODES = ("bn-chqs-ctxh-2013-2019", "bn-dv-chqs-2016-2019", "bn-phoihop-2019-2023")
MASS = ["MTTQ", "Hội CCB", "Hội LHPN", "Đoàn TN", "Hội ND", "LĐLĐ", "Hội CTĐ", "Hội NCT", "Hội NNCĐDC"]
ORG_KEYS = ["ban_chqs", "ban_dan_van", *MASS]
WARDS = ["Vũ Ninh", "Đáp Cầu", "Thị Cầu", "Suối Hoa", "Tiền An", "Ninh Xá", "Vệ An", "Kinh Bắc", "Đại Phúc", "Võ Cường"]

# The draft, submitted and returned reports of the demo (everything else is approved).
OPEN_DRAFT = ["Hội LHPN", "Hội ND", "Hội NNCĐDC"]
OPEN_SUBMITTED = ["Đoàn TN"]
RETURNED = [
    ("Hội CCB", "2023-09", "Số tin báo tội phạm chưa khớp với số liệu của Công an thành phố; đề nghị rà soát, bổ sung ghi chú nguồn."),
    ("LĐLĐ", "2023-10", "Tổng số đoàn viên cuối kỳ giảm bất thường so với tháng trước; đề nghị kiểm tra lại và giải trình."),
    ("Hội CTĐ", "2023-08", "Số đơn vị máu hiến đã tính cả Ngày hội hiến máu do Hội chủ trì (đã ghi ở hoạt động phối hợp); đề nghị bỏ phần trùng."),
    ("MTTQ", "2023-11", "Thiếu số liệu Quỹ “Vì người nghèo” vận động trong Tháng cao điểm; đề nghị bổ sung."),
    ("Hội NCT", "2023-06", "Giá trị quà tặng chưa khớp với số suất quà; đề nghị kiểm tra lại đơn vị tính (triệu đồng)."),
]


# ------------------------------------------------------------------ when things happen

def month_of(day: dt.date) -> str:
    """The Decree 09 month whose window holds `day` (15th of the previous month → 14th)."""
    if day.day >= 15:
        return periods.month_code(day.year + (day.month == 12), 1 if day.month == 12 else day.month + 1)
    return periods.month_code(day.year, day.month)


def tet_gifts(year: int) -> dt.date:
    return lunar.tet(year) - dt.timedelta(days=7)


def enlistment(year: int) -> dt.date:
    """The send-off of new recruits, about two weeks after Tết."""
    return lunar.tet(year) + dt.timedelta(days=16)


def _fixed(month: int, day: int):
    return lambda year: D(year, month, day)


TET = tet_gifts
JUL27 = _fixed(7, 20)  # visits and gifts for Ngày Thương binh - Liệt sĩ fall in the period 15/7 → 14/8
BAC_BIRTHDAY = _fixed(5, 19)
MID_YEAR = _fixed(6, 10)  # six-month reviews and commendations
YEAR_END = _fixed(12, 10)
POOR_MONTHS = [_fixed(10, 20), _fixed(11, 16)]  # Tháng cao điểm “Vì người nghèo” 17/10 → 18/11
QUARTER_ENDS = [_fixed(3, 10), _fixed(6, 10), _fixed(9, 10), _fixed(12, 10)]
TRAINING = [_fixed(m, 1) for m in (3, 4, 5, 6)]
DISCHARGE = [_fixed(m, 1) for m in (3, 4, 5)]


@dataclass(frozen=True)
class Flow:
    """A figure that happens: every month (`when` None) or on the given days, with probability p;
    `sizes` is the mean per occurrence by organisation key; `decimals` for money and km."""

    sizes: dict[str, float]
    when: tuple = ()
    p: float = 1.0
    decimals: int = 0
    growth: float = 0.03  # a little more every year
    gathering: bool = True  # smaller during the COVID-19 months


def _every(p: float, sizes: dict[str, float], **kw) -> Flow:
    return Flow(sizes=sizes, when=(), p=p, **kw)


def _on(when, sizes: dict[str, float], p: float = 1.0, **kw) -> Flow:
    return Flow(sizes=sizes, when=tuple(when) if isinstance(when, list) else (when,), p=p, **kw)


FLOWS: dict[str, list[Flow]] = {
    "hcm_study_sessions": [_every(0.6, {"ban_dan_van": 2, "ban_chqs": 2, "MTTQ": 1, "Hội CCB": 1, "Hội LHPN": 1.5, "Đoàn TN": 2,
                                        "Hội ND": 1, "LĐLĐ": 1.5, "Hội CTĐ": 0.8, "Hội NCT": 0.8, "Hội NNCĐDC": 0.6})],
    "hcm_models": [_on([BAC_BIRTHDAY, YEAR_END], {"ban_dan_van": 3, "ban_chqs": 4, "MTTQ": 3, "Hội CCB": 3, "Hội LHPN": 4, "Đoàn TN": 5,
                                                  "Hội ND": 3, "LĐLĐ": 4, "Hội CTĐ": 2, "Hội NCT": 2, "Hội NNCĐDC": 1}, gathering=False)],
    "propaganda_sessions": [_every(0.85, {"ban_dan_van": 3, "ban_chqs": 4, "MTTQ": 2, "Hội CCB": 2, "Hội LHPN": 3, "Đoàn TN": 3,
                                          "Hội ND": 2, "LĐLĐ": 2, "Hội CTĐ": 1, "Hội NCT": 1, "Hội NNCĐDC": 1})],
    "propaganda_broadcasts": [_every(0.6, {"ban_dan_van": 2, "ban_chqs": 3, "MTTQ": 1, "Đoàn TN": 2, "Hội LHPN": 1, "Hội CCB": 0.6,
                                           "Hội ND": 0.5, "LĐLĐ": 0.8, "Hội CTĐ": 0.6}, gathering=False)],
    "advisory_documents": [_every(0.35, {"ban_dan_van": 1.5, "ban_chqs": 1.5, "MTTQ": 1, "Hội CCB": 0.4, "Hội LHPN": 0.5, "Đoàn TN": 0.5,
                                         "Hội ND": 0.4, "LĐLĐ": 0.4, "Hội CTĐ": 0.3, "Hội NCT": 0.2, "Hội NNCĐDC": 0.2}, gathering=False, growth=0)],
    "gratitude_houses": [_on(JUL27, {"ban_chqs": 1, "MTTQ": 1.5, "Hội CCB": 0.5, "Hội LHPN": 0.5, "LĐLĐ": 0.5}, p=0.6, gathering=False, growth=0)],
    "gratitude_gifts": [_on([TET, JUL27], {"ban_chqs": 120, "ban_dan_van": 20, "MTTQ": 250, "Hội CCB": 60, "Hội LHPN": 90, "Đoàn TN": 50,
                                           "Hội ND": 50, "LĐLĐ": 70, "Hội CTĐ": 80, "Hội NCT": 30, "Hội NNCĐDC": 60}, gathering=False)],
    "gratitude_savings_books": [_on(JUL27, {"MTTQ": 4, "ban_chqs": 2, "Hội LHPN": 2, "Hội CCB": 1}, p=0.7, gathering=False, growth=0)],
    "social_houses": [_every(0.12, {"MTTQ": 1.2, "LĐLĐ": 0.8, "Hội LHPN": 0.6, "Hội ND": 0.5, "Hội CCB": 0.4, "ban_chqs": 0.3}, gathering=False, growth=0)],
    "social_fund": [_on(POOR_MONTHS, {"MTTQ": 350, "LĐLĐ": 80, "Hội LHPN": 40, "Hội CCB": 20, "Hội ND": 25, "Đoàn TN": 20,
                                      "ban_chqs": 30, "Hội CTĐ": 15, "Hội NCT": 10}, decimals=1, gathering=False, growth=0.06)],
    "rear_families_visited": [
        _on([TET, YEAR_END], {"ban_chqs": 60, "Hội CCB": 20, "Hội LHPN": 25, "Đoàn TN": 15, "MTTQ": 20}, gathering=False),
        _on(enlistment, {"ban_chqs": 40}, gathering=False),
    ],
    "rear_veterans_jobs": [_on(DISCHARGE, {"ban_chqs": 6, "LĐLĐ": 4, "Đoàn TN": 3, "Hội ND": 2, "Hội CCB": 2}, p=0.7, gathering=False)],
    "drills_held": [_on([_fixed(4, 20), _fixed(9, 20), _fixed(10, 20)], {"ban_chqs": 1.3, "Đoàn TN": 0.5, "Hội CTĐ": 0.3}, p=0.6, growth=0)],
    "militia_trained": [_on(TRAINING, {"ban_chqs": 140}, p=0.9)],
    "defence_courses": [_every(0.35, {"ban_chqs": 1.2}, growth=0)],
    "defence_trained": [_every(0.1, {"Hội CCB": 8, "Hội LHPN": 10, "Đoàn TN": 12, "Hội ND": 6, "LĐLĐ": 8, "MTTQ": 6})],
    "emulation_models": [_on([MID_YEAR, YEAR_END], {"MTTQ": 3, "Hội CCB": 3, "Hội LHPN": 4, "Đoàn TN": 3, "Hội ND": 4, "LĐLĐ": 3,
                                                    "Hội CTĐ": 2, "Hội NCT": 2, "Hội NNCĐDC": 1, "ban_chqs": 2, "ban_dan_van": 3}, p=0.8, gathering=False)],
    "emulation_awards": [_on([MID_YEAR, YEAR_END], {"ban_chqs": 20, "ban_dan_van": 10, "MTTQ": 25, "Hội CCB": 12, "Hội LHPN": 15, "Đoàn TN": 20,
                                                    "Hội ND": 12, "LĐLĐ": 25, "Hội CTĐ": 10, "Hội NCT": 8, "Hội NNCĐDC": 5}, gathering=False)],
    "workdays_helping": [_every(0.7, {"ban_chqs": 80, "Đoàn TN": 120, "Hội CCB": 40, "Hội ND": 60, "Hội LHPN": 40, "LĐLĐ": 20})],
    "roads_built": [_every(0.15, {"Hội ND": 0.8, "Hội CCB": 0.3, "Đoàn TN": 0.3, "ban_chqs": 0.2}, decimals=1, growth=0)],
    "crime_reports": [_every(0.45, {"Hội CCB": 2, "Đoàn TN": 2, "MTTQ": 2, "Hội LHPN": 1, "Hội ND": 1, "ban_chqs": 1}, gathering=False, growth=0)],
    "blood_units": [
        _on(lambda y: lunar.tet(y) + dt.timedelta(days=20), {"Hội CTĐ": 260, "Đoàn TN": 60}),  # Lễ hội Xuân hồng
        _on(_fixed(7, 5), {"Hội CTĐ": 180, "Đoàn TN": 50}),  # Hành trình Đỏ
        _every(0.3, {"Hội CTĐ": 60, "Đoàn TN": 40, "LĐLĐ": 50, "ban_chqs": 35}),
    ],
    "charity_value": [_every(0.5, {"Hội CTĐ": 40, "MTTQ": 30, "Hội LHPN": 10, "Đoàn TN": 8, "Hội CCB": 6, "Hội NCT": 4,
                                   "Hội NNCĐDC": 8, "LĐLĐ": 12}, decimals=1, gathering=False, growth=0.05)],
}

# Derived figures: (indicator, from indicator, people per unit by organisation key, default).
PER_UNIT = {
    "hcm_study_participants": ("hcm_study_sessions", {"ban_dan_van": 60, "ban_chqs": 80, "Đoàn TN": 90, "LĐLĐ": 70}, 45),
    "propaganda_listeners": ("propaganda_sessions", {"ban_chqs": 120, "ban_dan_van": 150, "Đoàn TN": 100, "Hội LHPN": 90}, 70),
}
# Share of women, to split indicators by sex.
WOMEN = {"Hội LHPN": 0.93, "Hội CCB": 0.12, "ban_chqs": 0.28, "Đoàn TN": 0.5, "Hội ND": 0.46, "LĐLĐ": 0.64, "Hội CTĐ": 0.56,
         "Hội NCT": 0.55, "Hội NNCĐDC": 0.45, "MTTQ": 0.5, "ban_dan_van": 0.5}
GIFT_GROUPS = {"thuong_binh": 0.3, "gia_dinh_liet_si": 0.3, "gia_dinh_quan_nhan": 0.2, "ho_ngheo": 0.2}
# Stocks reported at the end of each month: start (2013), yearly trend.
MEMBERS = {"Hội LHPN": (24000, 0.015), "Hội CCB": (3600, -0.004), "Đoàn TN": (11500, -0.005), "Hội ND": (8200, -0.012),
           "LĐLĐ": (19000, 0.04), "Hội CTĐ": (6200, 0.02), "Hội NCT": (17500, 0.025), "Hội NNCĐDC": (650, -0.02)}
CLUBS = {"MTTQ": 30, "Hội CCB": 22, "Đoàn TN": 15, "Hội LHPN": 18, "Hội ND": 10}
SATISFACTION = {"Hội CTĐ": 90, "Hội NCT": 88, "Hội NNCĐDC": 86}
STORM_PEOPLE = {"ban_chqs": 120, "Đoàn TN": 80, "Hội CTĐ": 30, "Hội CCB": 25, "MTTQ": 20, "Hội LHPN": 20, "Hội ND": 40}
STORM_HOUSEHOLDS = {"MTTQ": 25, "Hội CTĐ": 20, "ban_chqs": 10, "Hội LHPN": 8}

# The main indicators: every organisation reporting one gets a yearly target for it.
TARGETED = ["recruit_enlisted", "propaganda_sessions", "hcm_study_sessions", "gratitude_gifts", "social_fund", "militia_trained",
            "rear_families_visited", "workdays_helping", "blood_units", "charity_value", "members_total"]

# ------------------------------------------------------------------ activities

# content area → [(title, day or None for any day, organisation keys or None for anyone)];
# {place} is a ward, {y} the year, {y1} the next year, {bac} the years since 19/5/1890.
CHQS, BDV = ("ban_chqs",), ("ban_dan_van",)
TITLES: dict[str, list[tuple[str, object, tuple | None]]] = {
    "ho_chi_minh_study": [
        ("Học tập, quán triệt chuyên đề năm {y} về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", _fixed(3, 1), None),
        ("Sinh hoạt chuyên đề “Học tập và làm theo Bác” tại phường {place}", None, None),
        ("Tọa đàm kỷ niệm {bac} năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 - 19/5/{y})", _fixed(5, 15), None),
    ],
    "propaganda": [
        ("Tuyên truyền Luật Nghĩa vụ quân sự tại phường {place}", _fixed(11, 20), ("ban_chqs", "Đoàn TN", "Hội CCB", "ban_dan_van")),
        ("Hội nghị tuyên truyền, phổ biến pháp luật cho cán bộ, hội viên tại phường {place}", None, None),
        ("Tuyên truyền kỷ niệm các ngày lễ lớn của đất nước năm {y} tại phường {place}", None, None),
    ],
    "advising": [
        ("Tham mưu Thành ủy ban hành kế hoạch lãnh đạo công tác tuyển chọn và gọi công dân nhập ngũ năm {y1}", _fixed(10, 15), CHQS),
        ("Tham mưu xây dựng kế hoạch thực hiện công tác dân vận năm {y}", _fixed(1, 10), BDV),
        ("Tham mưu sơ kết 6 tháng thực hiện Chương trình phối hợp năm {y}", _fixed(6, 25), ("ban_chqs", "ban_dan_van", "MTTQ")),
        ("Tham mưu ban hành văn bản chỉ đạo thực hiện chính sách hậu phương quân đội", None, CHQS),
    ],
    "gratitude": [
        ("Thăm, tặng quà gia đình chính sách nhân dịp 27/7 tại phường {place}", _fixed(7, 22), None),
        ("Thăm hỏi, tặng quà thương binh, bệnh binh tại phường {place}", None, None),
        ("Bàn giao nhà tình nghĩa tại phường {place}", None, ("ban_chqs", "MTTQ", "Hội CCB", "Hội LHPN", "LĐLĐ")),
    ],
    "social_security": [
        ("Bàn giao nhà đại đoàn kết tại phường {place}", None, ("MTTQ", "LĐLĐ", "Hội LHPN", "Hội ND", "Hội CCB", "ban_chqs")),
        ("Trao quà cho hộ nghèo, cận nghèo tại phường {place}", None, None),
        ("Phát động Tháng cao điểm “Vì người nghèo” năm {y}", _fixed(10, 17), ("MTTQ",)),
    ],
    "military_rear_policy": [
        ("Thăm, tặng quà gia đình quân nhân đang tại ngũ tại phường {place}", None, None),
        ("Gặp mặt, giới thiệu việc làm cho quân nhân xuất ngũ năm {y}", _fixed(3, 20), ("ban_chqs", "LĐLĐ", "Đoàn TN")),
    ],
    "recruitment": [
        ("Khám sức khỏe nghĩa vụ quân sự năm {y1}", _fixed(11, 25), CHQS),
        ("Gặp mặt, tặng quà công dân trúng tuyển nhập ngũ tại phường {place}", None, CHQS),
        ("Sơ tuyển, đăng ký nghĩa vụ quân sự cho thanh niên 17 tuổi tại phường {place}", _fixed(4, 10), CHQS),
    ],
    "training_drills": [
        ("Huấn luyện lực lượng dân quân tự vệ năm {y}", _fixed(4, 5), CHQS),
        ("Hội thao quốc phòng lực lượng vũ trang thành phố năm {y}", _fixed(9, 20), CHQS),
        ("Diễn tập chiến đấu phòng thủ phường {place}", None, CHQS),
        ("Hội thao sơ cấp cứu cho tình nguyện viên năm {y}", _fixed(6, 5), ("Hội CTĐ",)),
        ("Hội thao thanh niên chào mừng ngày thành lập Đoàn TNCS Hồ Chí Minh (26/3)", _fixed(3, 24), ("Đoàn TN",)),
    ],
    "defence_education": [
        ("Bồi dưỡng kiến thức quốc phòng, an ninh cho đối tượng 4 năm {y}", None, CHQS),
        ("Bồi dưỡng kiến thức quốc phòng, an ninh cho chức sắc, chức việc các tôn giáo năm {y}", None, CHQS),
        ("Cử cán bộ, hội viên dự lớp bồi dưỡng kiến thức quốc phòng, an ninh năm {y}", None, None),
    ],
    "campaigns_emulation": [
        ("Phát động phong trào thi đua năm {y}", _fixed(2, 25), None),
        ("Hưởng ứng Cuộc vận động “Toàn dân đoàn kết xây dựng đời sống văn hóa” tại phường {place}", None, None),
        ("Tổng kết phong trào thi đua “Dân vận khéo” năm {y}", _fixed(12, 5), BDV),
    ],
    "socio_economic": [
        ("Ra quân giúp nhân dân làm đường giao thông tại phường {place}", None, None),
        ("Ra quân vệ sinh môi trường, xây dựng đô thị văn minh tại phường {place}", None, None),
        ("Hướng dẫn hội viên phát triển kinh tế tại phường {place}", None, ("Hội ND", "Hội LHPN", "Hội CCB")),
    ],
    "crime_prevention": [
        ("Ra mắt mô hình “Tổ tự quản về an ninh trật tự” tại phường {place}", None, None),
        ("Tuyên truyền phòng, chống ma túy trong thanh thiếu niên tại phường {place}", None, None),
    ],
    "disaster_relief": [
        ("Giúp nhân dân khắc phục hậu quả mưa lớn tại phường {place}", _fixed(8, 20), None),
        ("Tập huấn phòng, chống lụt bão, tìm kiếm cứu nạn năm {y}", _fixed(5, 20), ("ban_chqs", "Đoàn TN", "Hội CTĐ")),
    ],
    "humanitarian_charity": [
        ("Hiến máu tình nguyện tại phường {place}", None, None),
        ("Thăm, tặng quà nạn nhân chất độc da cam/dioxin nhân Ngày vì nạn nhân chất độc da cam (10/8)", _fixed(8, 8), ("Hội NNCĐDC", "Hội CTĐ")),
        ("Trao quà cho người khuyết tật, trẻ em có hoàn cảnh khó khăn tại phường {place}", None, None),
    ],
}
ACTIVITIES_PER_YEAR = {"ban_chqs": (10, 15), "ban_dan_van": (6, 10), "MTTQ": (8, 12)}  # others: (5, 10)
COVID_MONTHS = {(2020, 3), (2020, 4), (2021, 5), (2021, 6), (2021, 7)}


@dataclass
class JointActivity:
    title: str
    area: str
    lead: str
    co: list[str]
    start: dt.date
    end: dt.date
    values: dict[str, float]
    place: str = "Thành phố Bắc Ninh"
    participants: int = 200
    funds_spent: float | None = None
    funds_mobilised: float | None = None
    result: str = ""


def joint_activities(year: int, rng: random.Random) -> list[JointActivity]:
    """The joint activities of a year: the yearly ones and, in 2019, those of the seed article."""
    tet = lunar.tet(year)
    canchi = lunar.year_can_chi(year)
    gifts = rng.randint(150, 250)
    out = [
        JointActivity(
            f"Thăm, tặng quà gia đình chính sách, gia đình quân nhân nhân dịp Tết Nguyên đán {canchi} {year}", "gratitude",
            "MTTQ", ["ban_chqs", "ban_dan_van", "Hội CCB", "Hội LHPN"], tet - dt.timedelta(days=12), tet - dt.timedelta(days=6),
            {"gratitude_gifts": gifts, "gratitude_gift_value": round(gifts * rng.uniform(0.4, 0.6), 1)},
            participants=rng.randint(40, 80), funds_mobilised=round(gifts * 0.5, 1),
            result=f"Trao {gifts} suất quà tới gia đình chính sách, gia đình quân nhân trên địa bàn thành phố.",
        ),
        JointActivity(
            f"Ngày hội hiến máu tình nguyện “Lễ hội Xuân hồng” năm {year}", "humanitarian_charity",
            "Hội CTĐ", ["Đoàn TN", "ban_chqs", "LĐLĐ"], tet + dt.timedelta(days=24), tet + dt.timedelta(days=24),
            {"blood_units": rng.randint(250, 420)}, participants=rng.randint(400, 600), funds_spent=round(rng.uniform(20, 40), 1),
        ),
        JointActivity(
            f"Diễn tập phòng, chống lụt bão, tìm kiếm cứu nạn năm {year}", "disaster_relief",
            "ban_chqs", ["Đoàn TN", "Hội CTĐ", "MTTQ"], D(year, 5, 10), D(year, 5, 11),
            {"drills_held": 1, "disaster_people": rng.randint(80, 160)}, participants=rng.randint(150, 250),
            funds_spent=round(rng.uniform(30, 60), 1),
        ),
        JointActivity(
            f"Phối hợp tuyên truyền Luật Nghĩa vụ quân sự và gặp mặt thanh niên trong độ tuổi gọi nhập ngũ năm {year + 1}",
            "propaganda", "ban_chqs", ["Đoàn TN", "Hội LHPN", "ban_dan_van"], D(year, 11, 26), D(year, 11, 28),
            {"propaganda_sessions": rng.randint(3, 6), "propaganda_listeners": rng.randint(300, 600)},
            place=f"Phường {rng.choice(WARDS)}", participants=rng.randint(300, 600),
        ),
        JointActivity(
            f"Gặp mặt kỷ niệm {year - 1944} năm Ngày thành lập Quân đội nhân dân Việt Nam (22/12/1944 - 22/12/{year}) "
            f"và {year - 1989} năm Ngày hội Quốc phòng toàn dân (22/12/1989 - 22/12/{year})", "military_rear_policy",
            "ban_chqs", ["Hội CCB", "MTTQ", "ban_dan_van"], D(year, 12, 12), D(year, 12, 13),
            {"rear_families_visited": rng.randint(30, 60)}, participants=rng.randint(100, 180), funds_spent=round(rng.uniform(15, 30), 1),
        ),
    ]
    if year == 2019:
        out += [
            JointActivity(
                "Thăm, tặng quà gia đình chính sách nhân dịp kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019); "
                "thực hiện tốt công tác “Đền ơn đáp nghĩa”", "gratitude",
                "ban_chqs", ["ban_dan_van", "MTTQ", "Hội CCB", "Hội LHPN", "Đoàn TN", "Hội NNCĐDC"], D(2019, 7, 20), D(2019, 7, 26),
                {"gratitude_gifts": 420, "gratitude_gift_value": 210, "gratitude_savings_books": 6, "gratitude_houses": 1},
                place="Các phường trên địa bàn thành phố Bắc Ninh", participants=120, funds_mobilised=260,
                result="Trao 420 suất quà, 06 sổ tiết kiệm tình nghĩa; bàn giao 01 nhà tình nghĩa; thắp nến tri ân tại nghĩa trang liệt sĩ.",
            ),
            JointActivity(
                "Tuyên truyền kỷ niệm 65 năm Ngày giải phóng thành phố Bắc Ninh (08/8/1954 - 08/8/2019)", "propaganda",
                "ban_dan_van", ["ban_chqs", "Đoàn TN", "MTTQ"], D(2019, 7, 25), D(2019, 8, 8),
                {"propaganda_sessions": 12, "propaganda_broadcasts": 18, "propaganda_listeners": 1500}, participants=1500,
            ),
            JointActivity(
                "Gặp mặt cựu chiến binh, nhân chứng lịch sử nhân kỷ niệm 65 năm Ngày giải phóng thành phố Bắc Ninh "
                "(08/8/1954 - 08/8/2019)", "gratitude",
                "Hội CCB", ["ban_chqs", "MTTQ"], D(2019, 8, 6), D(2019, 8, 6),
                {"gratitude_gifts": 65, "gratitude_gift_value": 32.5}, participants=150, funds_spent=40,
            ),
            JointActivity(
                "Hội thao chào mừng kỷ niệm 65 năm Ngày giải phóng thành phố Bắc Ninh (08/8/1954 - 08/8/2019)", "training_drills",
                "Đoàn TN", ["ban_chqs", "LĐLĐ"], D(2019, 8, 3), D(2019, 8, 4),
                {"drills_held": 1}, participants=300, funds_spent=25,
            ),
        ]
    else:
        gifts = rng.randint(200, 320)
        out.append(JointActivity(
            f"Thăm, tặng quà gia đình chính sách nhân dịp kỷ niệm {year - 1947} năm Ngày Thương binh - Liệt sĩ "
            f"(27/7/1947 - 27/7/{year})", "gratitude",
            "ban_chqs", ["MTTQ", "Hội CCB", "Hội LHPN", "ban_dan_van"], D(year, 7, 20), D(year, 7, 25),
            {"gratitude_gifts": gifts, "gratitude_gift_value": round(gifts * rng.uniform(0.4, 0.6), 1)},
            place="Các phường trên địa bàn thành phố Bắc Ninh", participants=rng.randint(60, 120),
            funds_mobilised=round(gifts * 0.55, 1),
        ))
    return out


# ------------------------------------------------------------------ the loader

def _round_target(value: float) -> int:
    for step, above in ((50, 1000), (10, 100), (5, 20)):
        if value >= above:
            return max(step, int(round(value / step) * step))
    return max(1, int(round(value)))


def _count(rng: random.Random, mean: float) -> int:
    """A plausible count around `mean` (Poisson for small means, normal for large ones)."""
    if mean <= 0:
        return 0
    if mean < 12:
        limit, k, product = math.exp(-mean), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        return k
    return max(0, round(rng.gauss(mean, mean * 0.22)))


def _split(rng: random.Random, total: int, shares: dict[str, float]) -> dict[str, int]:
    """`total` split between options around `shares` (the parts add up to the total)."""
    keys = list(shares)
    weights = [max(0.01, shares[k] * rng.uniform(0.8, 1.2)) for k in keys]
    scale = total / sum(weights)
    parts = {k: int(w * scale) for k, w in zip(keys, weights, strict=True)}
    parts[keys[0]] += total - sum(parts.values())
    return parts


@dataclass
class Month:
    code: str
    year: int
    month: int
    period: object
    programs_by_org: dict[int, list[Program]] = field(default_factory=dict)


class Builder:
    def __init__(self, orgs: dict[str, Organization], programs: dict[str, Program], rng: random.Random):
        self.rng = rng
        self.programs = programs
        party_ids = {pid for p in programs.values() for pid in p.parties.values_list("organization_id", flat=True)}
        self.orgs = {k: orgs[k] for k in ORG_KEYS if k in orgs and orgs[k].pk in party_ids}
        self.key_of = {o.pk: k for k, o in self.orgs.items()}
        self.parties = {p.code: set(p.parties.values_list("organization_id", flat=True)) for p in programs.values()}
        self.areas = {p.code: set(p.content_areas.values_list("code", flat=True)) for p in programs.values()}
        self.indicators = {
            i.code: i for i in Indicator.objects.exclude(aggregation=Indicator.Aggregation.RATIO)
            .exclude(value_type=Indicator.ValueType.TEXT).select_related("content_area", "disaggregation")
        }
        self.options = {
            code: {o.code: o for o in i.disaggregation.options.all()} if i.disaggregation_id else {}
            for code, i in self.indicators.items()
        }
        self.area_objects = {i.content_area.code: i.content_area for i in self.indicators.values()}
        from phoihop.programs.models import ContentArea

        self.area_objects.update({a.code: a for a in ContentArea.objects.all()})
        self.values: list[DataValue] = []
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        # (program code, org key, indicator, year) → own total, for the targets
        self.sums: dict[tuple, float] = defaultdict(float)
        self.last: dict[tuple, float] = {}

    # -------------------------------------------------------------- calendar

    def in_force(self, org: Organization, day: dt.date) -> list[Program]:
        return [
            p for p in self.programs.values()
            if org.pk in self.parties[p.code] and p.start <= day and (p.end is None or day <= p.end)
        ]

    def months(self) -> list[Month]:
        out = []
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for month in range(1, 13):
                code = periods.month_code(year, month)
                period = services.get_period(code)
                entry = Month(code, year, month, period)
                for org in self.orgs.values():
                    programs = self.in_force(org, period.end)
                    if programs:
                        entry.programs_by_org[org.pk] = programs
                out.append(entry)
        return out

    # -------------------------------------------------------------- figures

    def run(self) -> None:
        months = self.months()
        events = self.event_months()
        storms = {year: set(self.rng.sample(range(8, 12), self.rng.choice([0, 1, 1, 2]))) for year in range(FIRST_YEAR, LAST_YEAR + 1)}
        recruitment = self.recruitment()
        stocks = self.stocks(months)
        for key, org in self.orgs.items():
            for m in months:
                programs = m.programs_by_org.get(org.pk)
                if not programs:
                    continue
                areas = set().union(*(self.areas[p.code] for p in programs))
                figures = self.month_figures(key, m, events, storms, recruitment, stocks)
                if m.code == OPEN_MONTH and key in OPEN_DRAFT:
                    figures = {c: v for c, v in figures.items() if self.rng.random() < 0.6}  # still being typed
                for code, value in figures.items():
                    indicator = self.indicators.get(code)
                    if indicator is None or indicator.content_area.code not in areas:
                        continue
                    self.add_value(org, indicator, m, value)
                    for p in programs:
                        if indicator.content_area.code in self.areas[p.code]:
                            self.sums[(p.code, key, code, m.year)] += float(sum(value.values()) if isinstance(value, dict) else value)
                            self.last[(p.code, key, code, m.year)] = float(sum(value.values()) if isinstance(value, dict) else value)
        DataValue.objects.bulk_create(self.values, batch_size=2000)
        self.submissions(months)
        self.plans_and_activities()
        self.targets(recruitment)
        self.audit()

    def event_months(self) -> dict:
        """(indicator, flow index) → the month codes its days fall in; "survey" → survey months."""
        out: dict = {}
        for code, flows in FLOWS.items():
            for n, flow in enumerate(flows):
                if flow.when:
                    out[(code, n)] = {month_of(when(y)) for when in flow.when for y in range(FIRST_YEAR, LAST_YEAR + 1)}
        out["survey"] = {month_of(when(y)) for when in QUARTER_ENDS for y in range(FIRST_YEAR, LAST_YEAR + 1)}
        return out

    def recruitment(self) -> dict[str, tuple[int, int, int]]:
        """Month code of the send-off → (called for health checks, quota, enlisted)."""
        out = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            quota = round(self.rng.gauss(230, 14))
            called = round(quota * self.rng.uniform(1.7, 2.1))
            enlisted = quota - self.rng.choice([0, 0, 0, 0, 0, 1, 2])
            out[month_of(enlistment(year))] = (called, quota, enlisted)
        return out

    def stocks(self, months: list[Month]) -> dict[tuple[str, str], dict[str, int]]:
        """(indicator, org key) → {month code: end-of-month stock}, evolving slowly."""
        out: dict[tuple[str, str], dict[str, int]] = {}
        for key, (start, trend) in MEMBERS.items():
            level, series = float(start), {}
            for m in months:
                level *= 1 + trend / 12 + self.rng.gauss(0, 0.0015)
                series[m.code] = round(level)
            out[("members_total", key)] = series
        for key, start in CLUBS.items():
            level, series = start, {}
            for m in months:
                draw = self.rng.random()
                level += 1 if draw < 0.05 else (-1 if draw > 0.99 else 0)
                series[m.code] = level
            out[("crime_clubs", key)] = series
        return out

    def month_figures(self, key, m: Month, events, storms, recruitment, stocks) -> dict[str, object]:
        rng = self.rng
        covid = (m.year, m.month) in COVID_MONTHS
        out: dict[str, object] = {}
        for code, flows in FLOWS.items():
            total, decimals = 0.0, 0
            for n, flow in enumerate(flows):
                size = flow.sizes.get(key)
                if not size:
                    continue
                if flow.when and m.code not in events[(code, n)]:
                    continue
                if rng.random() >= flow.p:
                    continue
                mean = size * (1 + flow.growth) ** (m.year - FIRST_YEAR) * (0.45 if covid and flow.gathering else 1)
                if flow.decimals:
                    total += max(0.0, rng.gauss(mean, mean * 0.3))
                    decimals = flow.decimals
                else:
                    total += _count(rng, mean)
            if total > 0:
                out[code] = round(total, decimals) if decimals else int(total)
        for code, (source, per_unit, default) in PER_UNIT.items():
            if out.get(source):
                out[code] = sum(_count(rng, per_unit.get(key, default)) for _ in range(out[source]))
        if key == "ban_chqs" and out.get("defence_courses"):
            out["defence_trained"] = sum(_count(rng, 45) for _ in range(out["defence_courses"]))
        if out.get("gratitude_gifts"):
            unit_value = 0.3 + 0.02 * (m.year - FIRST_YEAR) + (0.1 if key in ("MTTQ", "ban_chqs") else 0)
            out["gratitude_gift_value"] = round(out["gratitude_gifts"] * unit_value * rng.uniform(0.9, 1.1), 1)
            out["gratitude_gifts"] = _split(rng, out["gratitude_gifts"], GIFT_GROUPS)
        for code in ("propaganda_listeners", "defence_trained"):
            if out.get(code):
                women = WOMEN.get(key, 0.5) if code == "propaganda_listeners" else (0.25 if key == "ban_chqs" else WOMEN.get(key, 0.5))
                out[code] = _split(rng, out[code], {"nu": women, "nam": 1 - women})
        if key == "ban_chqs" and m.code in recruitment:
            called, quota, enlisted = recruitment[m.code]
            out.update({"recruit_called": called, "recruit_quota": quota, "recruit_enlisted": enlisted})
        if m.month in storms.get(m.year, ()):  # heavy rain: Decree 09 months 08–11
            for code, sizes in (("disaster_people", STORM_PEOPLE), ("disaster_households", STORM_HOUSEHOLDS)):
                if key in sizes and rng.random() < 0.8:
                    out[code] = _count(rng, sizes[key])
        for code in ("members_total", "crime_clubs"):
            series = stocks.get((code, key))
            if series:
                out[code] = series[m.code]
        if key in SATISFACTION and m.code in events["survey"]:
            out["volunteer_satisfaction"] = round(min(99.0, max(70.0, rng.gauss(SATISFACTION[key], 3))), 1)
        return out

    def add_value(self, org: Organization, indicator: Indicator, m: Month, value) -> None:
        cells = value.items() if isinstance(value, dict) else [(None, value)]
        for option_code, number in cells:
            if isinstance(value, dict) and not number:
                continue
            option = self.options[indicator.code].get(option_code) if option_code else None
            if indicator.disaggregation_id and option is None:
                continue
            self.values.append(DataValue(
                organization=org, indicator=indicator, period=m.period, option=option,
                value=Decimal(str(number)).quantize(Decimal("0.01")),
            ))
            self.counts[self.key_of[org.pk]]["values"] += 1

    # -------------------------------------------------------------- reports

    def submissions(self, months: list[Month]) -> None:
        reopened = timezone.localdate() + dt.timedelta(days=365)
        returned = {(key, code): reason for key, code, reason in RETURNED}
        rows = []
        for key, org in self.orgs.items():
            for m in months:
                if org.pk not in m.programs_by_org:
                    continue
                deadline = m.period.deadline
                submitted = dt.datetime.combine(deadline - dt.timedelta(days=self.rng.randint(0, 4)), dt.time(16, self.rng.randint(0, 59)), VN)
                approved = submitted + dt.timedelta(days=self.rng.randint(1, 5), hours=self.rng.randint(-6, 1))
                row = Submission(organization=org, period=m.period, status=SubmissionStatus.APPROVED,
                                 submitted_at=submitted, approved_at=approved)
                if (key, m.code) in returned:
                    row.status, row.approved_at = SubmissionStatus.RETURNED, None
                    row.return_reason, row.reopened_until = returned[(key, m.code)], reopened
                elif m.code == OPEN_MONTH and key in OPEN_DRAFT:
                    row.status, row.submitted_at, row.approved_at, row.reopened_until = SubmissionStatus.DRAFT, None, None, reopened
                elif m.code == OPEN_MONTH and key in OPEN_SUBMITTED:
                    row.status, row.approved_at = SubmissionStatus.SUBMITTED, None
                rows.append(row)
                self.counts[key]["submissions"] += 1
        Submission.objects.bulk_create(rows, batch_size=1000)
        write_entries_bulk(_workflow_entries(rows))

    # -------------------------------------------------------------- plans and activities

    def plans_and_activities(self) -> None:
        plans = {}
        for p in self.programs.values():
            for year in range(p.start.year, (p.end or D(LAST_YEAR, 12, 31)).year + 1):
                plan, _ = Plan.objects.get_or_create(
                    program=p, year=year,
                    defaults={"title": f"Kế hoạch năm {year} thực hiện {lower_first(p.title)} (minh họa)"[:300]},
                )
                plans[(p.code, year)] = plan
        activities: list[Activity] = []
        co: list[tuple[Activity, list[Organization]]] = []
        values: list[tuple[Activity, dict[str, float]]] = []
        for key, org in self.orgs.items():
            weights = self.area_weights(key)
            low, high = ACTIVITIES_PER_YEAR.get(key, (5, 10))
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                used: set[str] = set()  # a dated activity happens once a year
                for _ in range(self.rng.randint(low, high)):
                    for _attempt in range(10):  # draw until it fits a program in force that day
                        area = self.rng.choices(list(weights), weights=list(weights.values()))[0]
                        title, when, who = self.rng.choice(TITLES[area])
                        if (who is not None and key not in who) or (when and title in used):
                            continue
                        day = when(year) if when else D(year, 1, 1) + dt.timedelta(days=self.rng.randint(0, 364))
                        programs = [p for p in self.in_force(org, day) if area in self.areas[p.code]]
                        if programs:
                            used.add(title)
                            break
                    else:
                        continue
                    program = programs[0]
                    place = self.rng.choice(WARDS)
                    text = title.format(place=place, y=year, y1=year + 1, bac=year - 1890)
                    cancelled = (day.year, day.month) in COVID_MONTHS and self.rng.random() < 0.6
                    activity = self.activity(
                        program, plans[(program.code, year)], text, area, org, day, day + dt.timedelta(days=self.rng.choice([0, 0, 0, 1, 2])),
                        place=f"Phường {place}" if "{place}" in title else "Thành phố Bắc Ninh",
                        participants=None if area == "advising" else self.rng.randint(20, 200),
                        funds_spent=round(self.rng.uniform(2, 30), 1) if self.rng.random() < 0.7 else None,
                        status=Activity.Status.CANCELLED if cancelled else Activity.Status.DONE,
                        result="Tạm hoãn do dịch COVID-19." if cancelled else "",
                    )
                    activities.append(activity)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for joint in joint_activities(year, self.rng):
                lead = self.orgs.get(joint.lead)
                if lead is None:
                    continue
                programs = [p for p in self.in_force(lead, joint.end) if joint.area in self.areas[p.code]]
                if not programs:
                    continue
                program = programs[0]
                partners = [self.orgs[k] for k in joint.co if k in self.orgs and self.orgs[k].pk in self.parties[program.code]]
                if not partners:
                    continue
                activity = self.activity(
                    program, plans[(program.code, joint.end.year)], joint.title, joint.area, lead, joint.start, joint.end,
                    place=joint.place, participants=joint.participants, funds_spent=joint.funds_spent,
                    funds_mobilised=joint.funds_mobilised, result=joint.result,
                )
                activities.append(activity)
                co.append((activity, partners))
                allowed = {c for c, i in self.indicators.items() if i.content_area.code in self.areas[program.code]}
                values.append((activity, {c: v for c, v in joint.values.items() if c in allowed}))
        Activity.objects.bulk_create(activities, batch_size=500)
        through = Activity.co_organizers.through
        through.objects.bulk_create(
            [through(activity_id=a.pk, organization_id=o.pk) for a, partners in co for o in partners], batch_size=1000,
        )
        ActivityValue.objects.bulk_create([
            ActivityValue(activity=a, indicator=self.indicators[c], value=Decimal(str(v)).quantize(Decimal("0.01")))
            for a, figures in values for c, v in figures.items()
        ], batch_size=1000)
        for a in activities:
            self.counts[self.key_of[a.lead_organization_id]]["activities"] += 1

    def area_weights(self, key: str) -> dict[str, float]:
        weights: dict[str, float] = defaultdict(float)
        for code, flows in FLOWS.items():
            if any(key in f.sizes for f in flows) and code in self.indicators:
                weights[self.indicators[code].content_area.code] += 1
        if key in ("ban_chqs", "ban_dan_van"):
            weights["advising"] += 1
        if key == "ban_chqs":
            weights["recruitment"] += 2
        if key in CLUBS:
            weights["crime_prevention"] += 1
        return dict(sorted(weights.items()))

    def activity(self, program, plan, title, area, lead, start, end, *, place="", participants=None, funds_spent=None,
                 funds_mobilised=None, status=Activity.Status.DONE, result="") -> Activity:
        title = nfc(title)[:400]
        return Activity(
            plan=plan, program=program, title=title, content_area=self.area_objects[area], lead_organization=lead,
            status=status, start_date=start, end_date=end, place_text=nfc(place)[:300], participants=participants,
            funds_spent=Decimal(str(funds_spent)) if funds_spent is not None else None,
            funds_mobilised=Decimal(str(funds_mobilised)) if funds_mobilised is not None else None,
            result=nfc(result), is_demo=True, search_text=fold(title)[:500],
        )

    # -------------------------------------------------------------- targets

    def targets(self, recruitment) -> None:
        """Yearly targets close to what was achieved (85–110 %), the enlisted target = the quota."""
        rows = []
        quota_of_year = {int(code[:4]): quota for code, (_c, quota, _e) in recruitment.items()}
        for (program_code, key, code, year), actual in sorted(self.sums.items()):
            if code not in TARGETED or not actual:
                continue
            indicator = self.indicators[code]
            if code == "recruit_enlisted":
                value = quota_of_year[year]
            elif indicator.aggregation == Indicator.Aggregation.LAST:
                value = _round_target(self.last[(program_code, key, code, year)] * self.rng.uniform(1.0, 1.03))
            else:
                value = _round_target(actual * self.rng.uniform(0.85, 1.1))
            rows.append(Target(program=self.programs[program_code], organization=self.orgs[key], indicator=indicator,
                               year=year, value=Decimal(value)))
            self.counts[key]["targets"] += 1
        new = self.programs.get("bn-phoihop-2019-2023")
        if new is not None:
            ratio = Indicator.objects.filter(code="recruit_quota_pct").first()
            if ratio is not None:
                rows.append(Target(program=new, organization=None, indicator=ratio, year=None, value=Decimal(100)))
                chqs = self.orgs.get("ban_chqs")
                if chqs is not None:
                    for year in range(2020, LAST_YEAR + 1):
                        rows.append(Target(program=new, organization=chqs, indicator=ratio, year=year, value=Decimal(100)))
            for code in ("blood_units", "gratitude_gifts", "social_fund", "workdays_helping"):
                actual = sum(v for (pc, _k, c, _y), v in self.sums.items() if pc == new.code and c == code)
                if actual and code in self.indicators:
                    rows.append(Target(program=new, organization=None, indicator=self.indicators[code], year=None,
                                       value=Decimal(_round_target(actual * 1.05))))
        Target.objects.bulk_create(rows, batch_size=1000)

    # -------------------------------------------------------------- history

    def audit(self) -> None:
        for key, org in self.orgs.items():
            c = self.counts[key]
            note = (
                f"loaddemo: nạp {c['values']} số liệu minh họa {FIRST_YEAR}–{LAST_YEAR}, {c['submissions']} báo cáo kỳ, "
                f"{c['activities']} hoạt động chủ trì, {c['targets']} chỉ tiêu (toàn bộ là số liệu bịa để minh họa)"
            )
            write_entry(org, "create", {"demo_figures": [None, dict(c)]}, note)


def _already_loaded(org_ids) -> bool:
    return (
        DataValue.objects.filter(organization_id__in=org_ids, period__year__gte=FIRST_YEAR, period__year__lte=LAST_YEAR).exists()
        or Activity.objects.filter(Q(is_demo=True), Q(lead_organization_id__in=org_ids)).exists()
    )


def load(orgs: dict[str, Organization], figures: bool = True) -> None:
    """Add the demo figures once (skipped when `figures` is False or when they are already there)."""
    if not figures:
        return
    programs = {p.code: p for p in Program.objects.filter(code__in=PROGRAM_CODES)}
    if len(programs) != len(PROGRAM_CODES):
        return
    org_ids = [orgs[k].pk for k in ORG_KEYS if k in orgs]
    if _already_loaded(org_ids):
        return
    Builder(orgs, programs, random.Random(SEED)).run()


def _workflow_entries(submissions):
    """The transition entries the workflow would have written for reports loaded in bulk:
    draft → submitted when sent, then → approved or → returned (with the reason)."""
    for row in submissions:
        if row.submitted_at is None:
            continue
        yield row, "transition", {"status": [SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED]}, row.submitted_at
        if row.status == SubmissionStatus.APPROVED:
            yield row, "transition", {"status": [SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED]}, row.approved_at
        elif row.status == SubmissionStatus.RETURNED:
            yield (row, "transition", {"status": [SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED]},
                   row.submitted_at + dt.timedelta(days=2), row.return_reason)
