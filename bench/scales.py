"""The scales the benchmarks run at, and the synthetic organisation profiles they are built from.

Every scale has the same shape (see bench/README.md "What the generator makes"):

- a root tier of 11 bodies (the city's, the province's, or the central ones for the nation);
- for the nation only, 34 provinces with the same 11 bodies each;
- communes and wards, each with its own mass organisations (`commune_orgs` of them);
- three program phases (2016–2020, 2021–2025, 2026–2030) whose parties are every organisation
  of the scale, monthly values from `first_month` to `LAST_DATA_MONTH`, all approved except a few
  returned reports and the last month (partly submitted, partly draft).
"""

from __future__ import annotations

from dataclasses import dataclass

LAST_DATA_MONTH = "2026-11"
OPEN_MONTHS = ("2026-12", "2027-01")  # draft, reopened until 2099: where the load test saves
IMPORT_YEAR = 2028  # the bulk-import benchmarks write into this year's months (then delete)
PHASES = ((2016, 2020), (2021, 2025), (2026, 2030))
REVIEWED_PHASE = (2021, 2025)  # the phase the aggregation and report benchmarks read
LOAD_USERS = 50


@dataclass(frozen=True)
class Scale:
    name: str
    root_level: str | None  # AdministrativeUnit level of the root tier (None: central bodies)
    provinces: int  # provincial tiers under the root (the nation only)
    communes: int  # communes and wards in all
    commune_orgs: int  # organisations per commune (the first n of COMMUNE_BODIES)
    first_month: str  # first month with values
    nominal_values: int  # what the issue asks for (the generator prints what it made)
    engines: tuple[str, ...] = ("sqlite", "postgres")
    iterations: int = 5  # timed runs per benchmark (after one untimed warm-up)
    import_rows: int = 20_000  # rows per bulk-import request
    excel_files: int = 20  # workbooks per Excel-import run


SCALES: dict[str, Scale] = {
    "smoke": Scale("smoke", "city", 0, 2, 3, "2025-01", 3_000, iterations=1, import_rows=500, excel_files=2),
    "city": Scale("city", "city", 0, 9, 6, "2016-01", 100_000, iterations=7, import_rows=10_000, excel_files=20),
    "province": Scale("province", "province", 0, 100, 6, "2016-01", 1_000_000, iterations=5, import_rows=20_000, excel_files=20),
    "nation": Scale("nation", None, 34, 3_321, 3, "2021-01", 10_000_000, engines=("postgres",), iterations=3,
                    import_rows=20_000, excel_files=20),
}

# (key, kind, name, short name). The root tier and each province have all eleven.
ROOT_BODIES = [
    ("chqs", "military_command", "Ban Chỉ huy Quân sự", "Ban CHQS"),
    ("bdv", "party_board", "Ban Dân vận", "BDV"),
    ("mttq", "fatherland_front", "Ủy ban Mặt trận Tổ quốc Việt Nam", "MTTQ"),
    ("ccb", "socio_political", "Hội Cựu chiến binh", "Hội CCB"),
    ("lhpn", "socio_political", "Hội Liên hiệp Phụ nữ", "Hội LHPN"),
    ("dtn", "socio_political", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn TN"),
    ("nd", "socio_political", "Hội Nông dân", "Hội ND"),
    ("ldld", "socio_political", "Liên đoàn Lao động", "LĐLĐ"),
    ("ctd", "social_humanitarian", "Hội Chữ thập đỏ", "Hội CTĐ"),
    ("nct", "social_humanitarian", "Hội Người cao tuổi", "Hội NCT"),
    ("nncddc", "social_humanitarian", "Hội Nạn nhân chất độc da cam/dioxin", "Hội NNCĐDC"),
]
# A commune's bodies, in the order they are taken (a scale with commune_orgs=3 has the first three).
COMMUNE_BODIES = ["chqs", "mttq", "dtn", "lhpn", "ccb", "nd"]

# Four indicators added to the seeded catalogue (36) so the benchmark has 40, with disaggregations.
EXTRA_INDICATORS = [
    # (code, name, unit, value type, content area, aggregation, disaggregation code)
    ("bench_meetings", "Buổi giao ban, sinh hoạt định kỳ (chỉ số thử tải)", "buổi", "integer", "campaigns_emulation", "sum", None),
    ("bench_volunteers", "Lượt tình nguyện viên tham gia (chỉ số thử tải)", "lượt người", "integer", "socio_economic", "sum", "sex"),
    ("bench_beneficiaries", "Người được hỗ trợ (chỉ số thử tải)", "người", "integer", "social_security", "sum", "target_group"),
    ("bench_coverage", "Tỷ lệ hộ được tuyên truyền (chỉ số thử tải)", "%", "percent", "propaganda", "average", None),
]

# Monthly report profile per organisation kind: (indicator code, probability a month has it,
# mean value at commune level). Special months: "feb" only in February, "quarter" only at
# quarter ends. Disaggregated indicators give one value per option.
PROFILES: dict[str, list[tuple]] = {
    "military_command": [
        ("hcm_study_sessions", 0.8, 2), ("hcm_study_participants", 0.8, 60), ("propaganda_sessions", 0.9, 3),
        ("propaganda_listeners", 0.9, 120), ("propaganda_broadcasts", 0.5, 2), ("advisory_documents", 0.5, 1),
        ("rear_families_visited", 0.6, 20), ("rear_veterans_jobs", 0.3, 3), ("recruit_called", "feb", 40),
        ("recruit_quota", "feb", 20), ("recruit_enlisted", "feb", 20), ("drills_held", 0.4, 1),
        ("militia_trained", 0.6, 60), ("defence_courses", 0.5, 1), ("defence_trained", 0.5, 30),
        ("workdays_helping", 0.7, 50), ("disaster_people", 0.2, 40), ("emulation_awards", 0.4, 5),
        ("bench_meetings", 0.95, 2), ("bench_volunteers", 0.6, 30), ("bench_coverage", 0.5, 70),
    ],
    "party_board": [
        ("hcm_study_sessions", 0.9, 2), ("hcm_study_participants", 0.9, 80), ("hcm_models", 0.3, 3),
        ("propaganda_sessions", 0.9, 3), ("propaganda_listeners", 0.9, 150), ("propaganda_broadcasts", 0.6, 2),
        ("advisory_documents", 0.8, 2), ("emulation_models", 0.4, 2), ("emulation_awards", 0.4, 8),
        ("bench_meetings", 0.95, 2), ("bench_coverage", 0.6, 75),
    ],
    "fatherland_front": [
        ("propaganda_sessions", 0.9, 2), ("propaganda_listeners", 0.8, 100), ("gratitude_houses", 0.2, 1),
        ("gratitude_gifts", 0.5, 30), ("gratitude_gift_value", 0.5, 15), ("gratitude_savings_books", 0.2, 2),
        ("social_houses", 0.3, 1), ("social_fund", 0.5, 40), ("emulation_models", 0.4, 2),
        ("emulation_awards", 0.4, 6), ("crime_clubs", 1.0, 8), ("crime_reports", 0.6, 2),
        ("disaster_households", 0.2, 10), ("charity_value", 0.5, 12), ("bench_meetings", 0.95, 2),
        ("bench_volunteers", 0.6, 40), ("bench_beneficiaries", 0.4, 10), ("bench_coverage", 0.5, 80),
    ],
    "socio_political": [
        ("hcm_study_sessions", 0.7, 1), ("hcm_study_participants", 0.7, 40), ("propaganda_sessions", 0.8, 2),
        ("propaganda_listeners", 0.8, 60), ("gratitude_gifts", 0.3, 10), ("members_total", 1.0, 900),
        ("workdays_helping", 0.5, 30), ("crime_reports", 0.4, 1), ("emulation_models", 0.4, 1),
        ("emulation_awards", 0.4, 4), ("defence_trained", 0.2, 8), ("charity_value", 0.3, 5),
        ("roads_built", 0.2, 1), ("bench_meetings", 0.9, 1), ("bench_volunteers", 0.6, 25),
        ("bench_beneficiaries", 0.3, 6),
    ],
    "social_humanitarian": [
        ("blood_units", 0.7, 40), ("charity_value", 0.8, 20), ("volunteer_satisfaction", "quarter", 88),
        ("members_total", 1.0, 600), ("disaster_people", 0.3, 20), ("gratitude_gifts", 0.3, 10),
        ("hcm_study_sessions", 0.5, 1), ("propaganda_sessions", 0.5, 1), ("bench_meetings", 0.9, 1),
        ("bench_volunteers", 0.7, 30), ("bench_beneficiaries", 0.5, 8),
    ],
}
# Indicators that get a yearly target for every organisation that reports them.
TARGETED = ["propaganda_sessions", "hcm_study_sessions", "gratitude_gifts", "workdays_helping", "blood_units",
            "members_total", "militia_trained", "bench_meetings"]
# Values are bigger higher up the tree.
TIER_FACTOR = {"root": 6.0, "province": 3.0, "commune": 1.0}


def months_from(first: str, last: str = LAST_DATA_MONTH) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def expected_values(scale: Scale, options: dict[str, int] | None = None) -> int:
    """The expected number of data values (for planning; the generator prints the real count)."""
    options = options or {"propaganda_listeners": 2, "defence_trained": 2, "gratitude_gifts": 4,
                          "bench_volunteers": 2, "bench_beneficiaries": 4}

    def per_month(kind: str) -> float:
        total = 0.0
        for code, p, _size in PROFILES[kind]:
            prob = 1 / 12 if p == "feb" else 1 / 3 if p == "quarter" else p
            total += prob * options.get(code, 1)
        return total

    kinds = {key: kind for key, kind, _n, _s in ROOT_BODIES}
    root = sum(per_month(kind) for _k, kind, _n, _s in ROOT_BODIES)
    commune = sum(per_month(kinds[key]) for key in COMMUNE_BODIES[: scale.commune_orgs])
    monthly = root * (1 + scale.provinces) + commune * scale.communes
    return round(monthly * len(months_from(scale.first_month)))


def organisation_count(scale: Scale) -> int:
    return len(ROOT_BODIES) * (1 + scale.provinces) + scale.communes * scale.commune_orgs
