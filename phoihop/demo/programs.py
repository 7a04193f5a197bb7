"""The three programs of the seed article, the steering committee and the events of 09/7/2019."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from phoihop.audit import workflow
from phoihop.organizations.models import Organization, Person, Position
from phoihop.programs.content_areas import CONTENT_AREAS
from phoihop.programs.models import (
    CommitteeMember,
    ContentArea,
    Event,
    EventStatus,
    Program,
    ProgramParty,
    ProgramStatus,
    Responsibility,
    SteeringCommittee,
)

D = dt.date
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
CITY_MASS = ["MTTQ", "Hội CCB", "Hội LHPN", "Đoàn TN", "Hội ND", "LĐLĐ", "Hội CTĐ", "Hội NCT", "Hội NNCĐDC"]

# Invented people (names marked "minh họa" on every page). Key → (name, org key, title).
PEOPLE = {
    "truong_ban": ("Nguyễn Văn Hòa", "thanh_uy", "Phó Bí thư Thường trực Thành ủy"),
    "truong_bdv": ("Trần Thị Lan", "ban_dan_van", "Trưởng Ban Dân vận Thành ủy"),
    "chqs": ("Lê Minh Đức", "ban_chqs", "Chỉ huy trưởng Ban CHQS thành phố"),
    "chinh_tri_vien": ("Phạm Quốc Hưng", "ban_chqs", "Chính trị viên Ban CHQS thành phố"),
    "MTTQ": ("Đỗ Văn Bình", "MTTQ", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố"),
    "Hội CCB": ("Vũ Đình Thắng", "Hội CCB", "Chủ tịch Hội Cựu chiến binh thành phố"),
    "Hội LHPN": ("Ngô Thị Mai", "Hội LHPN", "Chủ tịch Hội Liên hiệp Phụ nữ thành phố"),
    "Đoàn TN": ("Hoàng Anh Tuấn", "Đoàn TN", "Bí thư Thành đoàn"),
    "Hội ND": ("Bùi Văn Nam", "Hội ND", "Chủ tịch Hội Nông dân thành phố"),
    "LĐLĐ": ("Đặng Thị Hương", "LĐLĐ", "Chủ tịch Liên đoàn Lao động thành phố"),
    "Hội CTĐ": ("Phan Thị Thu", "Hội CTĐ", "Chủ tịch Hội Chữ thập đỏ thành phố"),
    "Hội NCT": ("Nguyễn Hữu Phúc", "Hội NCT", "Chủ tịch Hội Người cao tuổi thành phố"),
    "Hội NNCĐDC": ("Trịnh Văn Sơn", "Hội NNCĐDC", "Chủ tịch Hội Nạn nhân chất độc da cam/dioxin thành phố"),
}

# Content area → (leading party keys). Everyone else supports. Illustrative, not from the article.
LEADS = {
    "ho_chi_minh_study": ["ban_dan_van"],
    "propaganda": ["ban_dan_van"],
    "advising": ["ban_dan_van", "ban_chqs"],
    "gratitude": ["ban_chqs", "MTTQ"],
    "social_security": ["MTTQ"],
    "military_rear_policy": ["ban_chqs"],
    "recruitment": ["ban_chqs"],
    "training_drills": ["ban_chqs"],
    "defence_education": ["ban_chqs"],
    "campaigns_emulation": ["MTTQ", "Hội CCB"],
    "socio_economic": ["Hội ND", "Hội LHPN"],
    "crime_prevention": ["Đoàn TN", "Hội CCB"],
    "disaster_relief": ["ban_chqs", "Đoàn TN"],
    "humanitarian_charity": ["Hội CTĐ"],
}


def _person(key: str, orgs: dict[str, Organization]) -> Person:
    name, org_key, title = PEOPLE[key]
    person, _ = Person.objects.update_or_create(full_name=name, defaults={"is_demo": True})
    Position.objects.update_or_create(
        person=person, organization=orgs[org_key], title=title,
        defaults={"valid_from": D(2015, 10, 1), "valid_to": D(2020, 9, 30)},
    )
    return person


def _program(code: str, **fields) -> Program:
    """Create or refresh a program without moving its status by hand (status is set via transitions)."""
    program = Program.objects.filter(code=code).first()
    if program is None:
        return Program.objects.create(code=code, **fields)
    changed = [k for k, v in fields.items() if getattr(program, k) != v]
    if changed:
        for key in changed:
            setattr(program, key, fields[key])
        program.save()
    return program


def _walk_status(program: Program, target: str) -> None:
    path = [ProgramStatus.DRAFT, ProgramStatus.SIGNED, ProgramStatus.IN_FORCE, ProgramStatus.ENDED]
    while path.index(program.status) < path.index(target):
        workflow.move(program, path[path.index(program.status) + 1], note="Dữ liệu minh họa")


def _party(program, org, order, role="member", signer=None, title="", prefix="", number="", symbol=""):
    ProgramParty.objects.update_or_create(
        program=program, organization=org,
        defaults={"role": role, "order": order, "signatory": signer, "signatory_title": title,
                  "signing_prefix": prefix, "document_number": number, "document_symbol": symbol},
    )


def load(orgs: dict[str, Organization]) -> dict[str, Program]:
    people = {key: _person(key, orgs) for key in PEOPLE}
    all_areas = {a.code: a for a in ContentArea.objects.all()}
    p: dict[str, Program] = {}

    p["dv"] = _program(
        "bn-dv-chqs-2016-2019",
        title="Chương trình phối hợp hoạt động công tác dân vận giữa Ban Dân vận Thành ủy với Ban CHQS thành phố giai đoạn 2016 - 2019",
        start=D(2016, 1, 1), end=D(2019, 7, 9), is_demo=True,
        purpose="Phối hợp thực hiện công tác dân vận trong lực lượng vũ trang thành phố và tham gia xây dựng hệ thống chính trị cơ sở. (Ngày bắt đầu và nội dung chi tiết: minh họa.)",
        review_schedule="Sơ kết hằng năm; tổng kết cuối giai đoạn",
    )
    _party(p["dv"], orgs["ban_dan_van"], 0, "lead", people["truong_bdv"], "Trưởng ban", "T/M BAN DÂN VẬN")
    _party(p["dv"], orgs["ban_chqs"], 1, "lead", people["chqs"], "Chỉ huy trưởng", "T/M BAN CHỈ HUY")
    p["dv"].content_areas.set([all_areas[c] for c in ("ho_chi_minh_study", "propaganda", "advising", "campaigns_emulation", "recruitment", "gratitude")])

    p["ctxh"] = _program(
        "bn-chqs-ctxh-2013-2019",
        title="Chương trình phối hợp hoạt động giữa Ban CHQS thành phố với các tổ chức chính trị - xã hội, tổ chức xã hội nhân đạo thành phố giai đoạn 2013 - 2019",
        start=D(2013, 1, 1), end=D(2019, 7, 9), is_demo=True,
        purpose="Phối hợp giữa cơ quan quân sự và các tổ chức chính trị - xã hội, xã hội nhân đạo trong thực hiện nhiệm vụ quốc phòng, quân sự địa phương và chính sách hậu phương quân đội. (Ngày bắt đầu và nội dung chi tiết: minh họa.)",
        review_schedule="Sơ kết hằng năm; tổng kết cuối giai đoạn",
    )
    _party(p["ctxh"], orgs["ban_chqs"], 0, "lead", people["chqs"], "Chỉ huy trưởng", "T/M BAN CHỈ HUY")
    for i, key in enumerate(CITY_MASS, start=1):
        _party(p["ctxh"], orgs[key], i, "member", people[key], "Chủ tịch" if key != "Đoàn TN" else "Bí thư", "TM. BAN THƯỜNG VỤ" if key != "MTTQ" else "TM. BAN THƯỜNG TRỰC")
    p["ctxh"].content_areas.set([all_areas[c] for c in ("propaganda", "gratitude", "social_security", "military_rear_policy", "recruitment", "training_drills", "defence_education", "disaster_relief", "humanitarian_charity")])

    p["new"] = _program(
        "bn-phoihop-2019-2023",
        title="Chương trình phối hợp hoạt động giữa Ban CHQS thành phố với Ban Dân vận Thành ủy và các tổ chức chính trị - xã hội, xã hội nhân đạo thành phố giai đoạn 2019 - 2023",
        start=D(2019, 7, 9), end=D(2023, 12, 31), signing_date=D(2019, 7, 9), is_demo=True,
        purpose=(
            "Tiếp tục đổi mới nội dung, phương pháp, nâng cao chất lượng, hiệu quả công tác dân vận; thực hiện tốt công tác "
            "tuyên truyền chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; đẩy mạnh các phong trào thi đua, "
            "các cuộc vận động gắn với phong trào thi đua quyết thắng của cơ quan quân sự; tích cực tham gia phát triển kinh tế - "
            "xã hội, giữ vững an ninh chính trị, bảo đảm trật tự an toàn xã hội; xây dựng hệ thống chính trị trong sạch, vững mạnh."
        ),
        meeting_cadence="Giao ban 6 tháng một lần (minh họa)",
        review_schedule="Sơ kết hằng năm; tổng kết cuối giai đoạn năm 2023 (minh họa)",
    )
    _party(p["new"], orgs["ban_chqs"], 0, "lead", people["chqs"], "Chỉ huy trưởng", "T/M BAN CHỈ HUY", "15", "CTPH-BCHQS")
    _party(p["new"], orgs["ban_dan_van"], 1, "lead", people["truong_bdv"], "Trưởng ban", "T/M BAN DÂN VẬN", "15", "CTPH-BDVTU")
    for i, key in enumerate(CITY_MASS, start=2):
        _party(p["new"], orgs[key], i, "member", people[key], "Chủ tịch" if key != "Đoàn TN" else "Bí thư", "TM. BAN THƯỜNG VỤ" if key != "MTTQ" else "TM. BAN THƯỜNG TRỰC")
    p["new"].content_areas.set([all_areas[code] for code, _name in CONTENT_AREAS])
    p["new"].predecessors.set([p["dv"], p["ctxh"]])
    party_by_org = {party.organization_id: party for party in p["new"].parties.all()}
    for code, leaders in LEADS.items():
        lead_ids = {orgs[k].pk for k in leaders}
        for org_id, party in party_by_org.items():
            Responsibility.objects.update_or_create(
                program=p["new"], party=party, content_area=all_areas[code],
                defaults={"level": "lead" if org_id in lead_ids else "support"},
            )

    # The 2019–2023 program stays a draft here: the reviews demo records its signing on 09/7/2019.
    for key, target in (("dv", ProgramStatus.ENDED), ("ctxh", ProgramStatus.ENDED)):
        _walk_status(p[key], target)

    committee, _ = SteeringCommittee.objects.update_or_create(
        name="Ban chỉ đạo thực hiện Chương trình phối hợp hoạt động thành phố Bắc Ninh",
        defaults={"standing_office": orgs["ban_chqs"], "administrative_unit": orgs["ban_chqs"].administrative_unit,
                  "valid_from": D(2013, 1, 1), "valid_to": D(2025, 6, 30), "is_demo": True},
    )
    committee.programs.set([p["dv"], p["ctxh"], p["new"]])
    members = [("truong_ban", "head"), ("truong_bdv", "deputy"), ("chqs", "deputy"), ("chinh_tri_vien", "secretary")] + [(k, "member") for k in CITY_MASS]
    for key, role in members:
        CommitteeMember.objects.update_or_create(
            committee=committee, person=people[key],
            defaults={"role": role, "organization": orgs[PEOPLE[key][1]], "valid_from": D(2019, 7, 9), "valid_to": D(2023, 12, 31)},
        )

    participants = [orgs["ban_chqs"], orgs["ban_dan_van"]] + [orgs[k] for k in CITY_MASS]
    review, _ = Event.objects.update_or_create(
        kind=Event.Kind.INTERIM_REVIEW, starts_at=dt.datetime(2019, 7, 9, 14, 0, tzinfo=VN),
        defaults={
            "title": "Sơ kết Chương trình phối hợp hoạt động công tác dân vận giai đoạn 2016 - 2019 và Chương trình phối hợp giữa Ban CHQS thành phố với các tổ chức chính trị - xã hội, xã hội nhân đạo giai đoạn 2013 - 2019",
            "place": "Thành phố Bắc Ninh", "chair": people["truong_ban"], "chair_title": "Trưởng Ban chỉ đạo",
            "committee": committee, "is_public": True, "is_demo": True,
            "status": EventStatus.HELD, "held_on": D(2019, 7, 9),
            "outcome": "Các chương trình được triển khai tích cực, toàn diện với nhiều nội dung phong phú, đa dạng và đạt hiệu quả thiết thực; góp phần củng cố nền quốc phòng, giữ vững an ninh chính trị, trật tự an toàn xã hội.",
        },
    )
    review.programs.set([p["dv"], p["ctxh"]])
    review.organizations.set(participants)
    signing, _ = Event.objects.update_or_create(
        kind=Event.Kind.SIGNING, starts_at=dt.datetime(2019, 7, 9, 16, 0, tzinfo=VN),
        defaults={
            "title": "Ký kết Chương trình phối hợp hoạt động giữa Ban CHQS thành phố với Ban Dân vận Thành ủy và các tổ chức chính trị - xã hội, xã hội nhân đạo giai đoạn 2019 - 2023",
            "place": "Thành phố Bắc Ninh", "chair": people["truong_ban"], "chair_title": "Trưởng Ban chỉ đạo",
            "committee": committee, "is_public": True, "is_demo": True,
            "status": EventStatus.HELD, "held_on": D(2019, 7, 9),
            "witnesses": "Lãnh đạo Ban Dân vận Thành ủy, Ban CHQS thành phố và các tổ chức chính trị - xã hội, xã hội nhân đạo thành phố; các đại biểu dự hội nghị.",
            "outcome": "Lãnh đạo Ban Dân vận Thành ủy và Ban CHQS thành phố ký kết Chương trình phối hợp hoạt động giai đoạn 2019 - 2023 trước sự chứng kiến của các đại biểu. Trước mắt tập trung tuyên truyền, thực hiện tốt công tác “Đền ơn đáp nghĩa” dịp kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019) và kỷ niệm 65 năm Ngày giải phóng thành phố Bắc Ninh (08/8/1954 - 08/8/2019).",
        },
    )
    signing.programs.set([p["new"]])
    signing.organizations.set(participants)
    # An upcoming event the standing office can record as held (or cancel) from its page.
    upcoming, _ = Event.objects.update_or_create(
        kind=Event.Kind.FINAL_REVIEW, starts_at=dt.datetime(2026, 12, 29, 8, 0, tzinfo=VN),
        defaults={
            "title": "Hội nghị tổng kết công tác phối hợp năm 2026",
            "place": "Hội trường Ban CHQS thành phố", "chair": people["chqs"], "chair_title": "Chỉ huy trưởng Ban CHQS thành phố",
            "committee": committee, "is_public": False, "is_demo": True, "status": EventStatus.PLANNED,
            "held_on": None, "attendees": "", "outcome": "",
        },
    )
    upcoming.organizations.set(participants)
    return p
