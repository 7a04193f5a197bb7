"""Administrative units and organisations of the demo, with the real changes of 2025.

Organisation names are the real bodies of Bắc Ninh city and province. Where the exact name or
date of a 2025 successor is not certain, the row is marked `is_demo` and says so in `source`.
"""

from __future__ import annotations

import datetime as dt

from phoihop.organizations.models import (
    AdministrativeUnit,
    Organization,
    OrganizationParent,
    OrganizationSuccession,
    SuccessionKind,
    UnitSuccession,
)

D = dt.date
MERGE_2025 = D(2025, 7, 1)  # Nghị quyết 202/2025/QH15: provinces merged; district level ended.
LAST_DAY_OLD = D(2025, 6, 30)
BOARDS_MERGED = D(2025, 3, 1)  # Ban Tuyên giáo + Ban Dân vận → Ban Tuyên giáo và Dân vận (early 2025)
SRC_202 = "Nghị quyết 202/2025/QH15 (12/6/2025) về sắp xếp đơn vị hành chính cấp tỉnh; Luật Tổ chức chính quyền địa phương 2025"
SRC_BOARDS = "Hợp nhất Ban Tuyên giáo và Ban Dân vận theo chủ trương sắp xếp tổ chức bộ máy năm 2025 (ngày hiệu lực trong dữ liệu là ngày minh họa)"
SRC_MTTQ = "Từ 01/7/2025 các tổ chức chính trị - xã hội trực thuộc Mặt trận Tổ quốc Việt Nam (Hiến pháp sửa đổi 2025)"


def unit(key: str, **fields) -> AdministrativeUnit:
    obj, _ = AdministrativeUnit.objects.update_or_create(name=fields.pop("name"), level=fields.pop("level"), valid_from=fields.pop("valid_from", None), defaults=fields)
    return obj


def org(name: str, valid_from: dt.date | None = None, **fields) -> Organization:
    obj, _ = Organization.objects.update_or_create(name=name, valid_from=valid_from, defaults=fields)
    return obj


def under(child: Organization, parent: Organization, valid_from=None, valid_to=None) -> None:
    OrganizationParent.objects.update_or_create(
        child=child, parent=parent, valid_from=valid_from, defaults={"valid_to": valid_to}
    )


def succeeded(old, new, kind: str, effective: dt.date, note: str = "") -> None:
    model = UnitSuccession if isinstance(old, AdministrativeUnit) else OrganizationSuccession
    model.objects.update_or_create(predecessor=old, successor=new, defaults={"kind": kind, "effective": effective, "note": note})


# (name, short name, kind, provincial counterpart name)
MASS_ORGANISATIONS = [
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", "MTTQ", Organization.Kind.FATHERLAND_FRONT),
    ("Hội Cựu chiến binh", "Hội CCB", Organization.Kind.SOCIO_POLITICAL),
    ("Hội Liên hiệp Phụ nữ", "Hội LHPN", Organization.Kind.SOCIO_POLITICAL),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn TN", Organization.Kind.SOCIO_POLITICAL),
    ("Hội Nông dân", "Hội ND", Organization.Kind.SOCIO_POLITICAL),
    ("Liên đoàn Lao động", "LĐLĐ", Organization.Kind.SOCIO_POLITICAL),
    ("Hội Chữ thập đỏ", "Hội CTĐ", Organization.Kind.SOCIAL_HUMANITARIAN),
    ("Hội Người cao tuổi", "Hội NCT", Organization.Kind.SOCIAL_HUMANITARIAN),
    ("Hội Nạn nhân chất độc da cam/dioxin", "Hội NNCĐDC", Organization.Kind.SOCIAL_HUMANITARIAN),
]


def load() -> dict[str, Organization]:
    """Create (or leave unchanged) the demo structure; return the organisations by key."""
    province = unit("province", name="Tỉnh Bắc Ninh", level="province", valid_from=D(1997, 1, 1), valid_to=LAST_DAY_OLD,
                    source="Tái lập từ 01/01/1997 (Nghị quyết Kỳ họp thứ 10 Quốc hội khóa IX)")
    new_province = unit("province2025", name="Tỉnh Bắc Ninh", level="province", valid_from=MERGE_2025,
                        source=SRC_202 + "; hợp nhất tỉnh Bắc Giang và tỉnh Bắc Ninh")
    succeeded(province, new_province, SuccessionKind.MERGED, MERGE_2025, "Hợp nhất với tỉnh Bắc Giang")
    city = unit("city", name="Thành phố Bắc Ninh", level="city", parent=province, valid_from=D(2006, 1, 26), valid_to=LAST_DAY_OLD,
                source="Thành lập theo Nghị định 15/2006/NĐ-CP; kết thúc khi bỏ cấp huyện từ 01/7/2025")
    for name in ("Phường Kinh Bắc", "Phường Võ Cường", "Phường Vũ Ninh"):
        ward = unit(name, name=name, level="ward", parent=new_province, valid_from=MERGE_2025, is_demo=True,
                    source="Phường mới sau sắp xếp năm 2025 (danh sách minh họa, không đầy đủ)")
        succeeded(city, ward, SuccessionKind.REORGANISED, MERGE_2025, "Bỏ cấp huyện; địa bàn thành phố chia về các phường")

    o: dict[str, Organization] = {}
    # Province level, before and after the 2025 merger.
    o["tinh_uy"] = org("Tỉnh ủy Bắc Ninh", kind="party_committee", short_name="Tỉnh ủy", administrative_unit=province, valid_to=LAST_DAY_OLD,
                       header_parent_name="ĐẢNG BỘ TỈNH BẮC NINH")
    o["tinh_uy_2025"] = org("Tỉnh ủy Bắc Ninh", MERGE_2025, kind="party_committee", short_name="Tỉnh ủy", administrative_unit=new_province,
                            header_parent_name="ĐẢNG BỘ TỈNH BẮC NINH", source=SRC_202)
    succeeded(o["tinh_uy"], o["tinh_uy_2025"], SuccessionKind.MERGED, MERGE_2025, "Hợp nhất Đảng bộ hai tỉnh Bắc Ninh và Bắc Giang")
    o["bo_chqs"] = org("Bộ Chỉ huy Quân sự tỉnh Bắc Ninh", kind="military_command", short_name="Bộ CHQS tỉnh", administrative_unit=province, valid_to=LAST_DAY_OLD,
                       header_parent_name="QUÂN KHU 1")
    o["bo_chqs_2025"] = org("Bộ Chỉ huy Quân sự tỉnh Bắc Ninh", MERGE_2025, kind="military_command", short_name="Bộ CHQS tỉnh",
                            administrative_unit=new_province, header_parent_name="QUÂN KHU 1", source=SRC_202)
    succeeded(o["bo_chqs"], o["bo_chqs_2025"], SuccessionKind.MERGED, MERGE_2025, "Hợp nhất với Bộ CHQS tỉnh Bắc Giang")

    under_front = {short for _base, short, _kind in MASS_ORGANISATIONS[1:6]}
    for base, short, kind in MASS_ORGANISATIONS:
        old = org(f"{base} tỉnh Bắc Ninh", kind=kind, short_name=f"{short} tỉnh", administrative_unit=province, valid_to=LAST_DAY_OLD)
        source = SRC_202 + (". " + SRC_MTTQ if short in under_front else "")
        new = org(f"{base} tỉnh Bắc Ninh", MERGE_2025, kind=kind, short_name=f"{short} tỉnh", administrative_unit=new_province, source=source)
        succeeded(old, new, SuccessionKind.MERGED, MERGE_2025, "Hợp nhất với tổ chức cùng cấp của tỉnh Bắc Giang")
        o[f"{short}_tinh"] = old
        o[f"{short}_tinh_2025"] = new
    for short in under_front:
        under(o[f"{short}_tinh_2025"], o["MTTQ_tinh_2025"], valid_from=MERGE_2025)

    # City level, 2019 (all end when the district level is abolished on 01/7/2025).
    o["thanh_uy"] = org("Thành ủy Bắc Ninh", kind="party_committee", short_name="Thành ủy", administrative_unit=city, valid_to=LAST_DAY_OLD,
                        header_parent_name="ĐẢNG BỘ TỈNH BẮC NINH", document_abbreviation="TU", header_name="THÀNH ỦY BẮC NINH")
    under(o["thanh_uy"], o["tinh_uy"], valid_to=LAST_DAY_OLD)
    o["ban_dan_van"] = org("Ban Dân vận Thành ủy Bắc Ninh", kind="party_board", short_name="Ban Dân vận Thành ủy", administrative_unit=city,
                           valid_to=BOARDS_MERGED - dt.timedelta(days=1), header_parent_name="THÀNH ỦY BẮC NINH", document_abbreviation="BDVTU",
                           header_name="BAN DÂN VẬN")
    o["ban_tuyen_giao"] = org("Ban Tuyên giáo Thành ủy Bắc Ninh", kind="party_board", short_name="Ban Tuyên giáo Thành ủy", administrative_unit=city,
                              valid_to=BOARDS_MERGED - dt.timedelta(days=1), header_parent_name="THÀNH ỦY BẮC NINH", document_abbreviation="BTGTU")
    o["ban_tgdv"] = org("Ban Tuyên giáo và Dân vận Thành ủy Bắc Ninh", BOARDS_MERGED, kind="party_board", short_name="Ban TG&DV Thành ủy",
                        administrative_unit=city, valid_to=LAST_DAY_OLD, header_parent_name="THÀNH ỦY BẮC NINH", document_abbreviation="BTGDVTU",
                        is_demo=True, source=SRC_BOARDS)
    for key in ("ban_dan_van", "ban_tuyen_giao"):
        under(o[key], o["thanh_uy"], valid_to=o[key].valid_to)
        succeeded(o[key], o["ban_tgdv"], SuccessionKind.MERGED, BOARDS_MERGED, "Hợp nhất Ban Tuyên giáo và Ban Dân vận")
    under(o["ban_tgdv"], o["thanh_uy"], valid_from=BOARDS_MERGED, valid_to=LAST_DAY_OLD)

    o["ban_chqs"] = org("Ban Chỉ huy Quân sự thành phố Bắc Ninh", kind="military_command", short_name="Ban CHQS thành phố", administrative_unit=city,
                        valid_to=LAST_DAY_OLD, header_parent_name="BỘ CHQS TỈNH BẮC NINH", document_abbreviation="BCHQS",
                        header_name="BAN CHQS THÀNH PHỐ")
    under(o["ban_chqs"], o["bo_chqs"], valid_to=LAST_DAY_OLD)
    o["ban_chpt"] = org("Ban Chỉ huy Phòng thủ khu vực (địa bàn thành phố Bắc Ninh cũ)", MERGE_2025, kind="military_command",
                        short_name="Ban CHPTKV", administrative_unit=new_province, is_demo=True,
                        source="Từ 07/2025 cơ quan quân sự cấp huyện tổ chức lại thành Ban Chỉ huy Phòng thủ khu vực (tên cụ thể minh họa)")
    under(o["ban_chpt"], o["bo_chqs_2025"], valid_from=MERGE_2025)
    succeeded(o["ban_chqs"], o["ban_chpt"], SuccessionKind.REORGANISED, MERGE_2025, "Tổ chức lại cơ quan quân sự địa phương")
    o["ubnd"] = org("Ủy ban nhân dân thành phố Bắc Ninh", kind="state_agency", short_name="UBND thành phố", administrative_unit=city, valid_to=LAST_DAY_OLD)
    o["dai_pt"] = org("Đài Phát thanh thành phố Bắc Ninh", kind="state_agency", short_name="Đài Phát thanh TP", administrative_unit=city, valid_to=LAST_DAY_OLD)
    under(o["dai_pt"], o["ubnd"], valid_to=LAST_DAY_OLD)

    for base, short, kind in MASS_ORGANISATIONS:
        city_org = org(f"{base} thành phố Bắc Ninh", kind=kind, short_name=f"{short} thành phố", administrative_unit=city, valid_to=LAST_DAY_OLD)
        under(city_org, o[f"{short}_tinh"], valid_to=LAST_DAY_OLD)
        o[short] = city_org
    return o
