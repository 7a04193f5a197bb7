"""The national catalog seeded by migration 0002 (idempotent: update_or_create by `code`).

Every origin date here was checked against the act or the official account that sets the day;
see docs/almanac.md ("Commemorations") for the notes. Local days (a city's liberation, a unit's
founding) are not here: users add them for their unit (services.add_local_commemoration).
"""

from __future__ import annotations

NATIONAL_COMMEMORATIONS: list[dict] = [
    {
        "code": "tet-nguyen-dan",
        "name": "Tết Nguyên đán",
        "short_name": "Tết",
        "calendar": "lunar", "day": 1, "month": 1, "origin_year": None,
        "source": "Ngày lễ lớn: Nghị định 145/2013/NĐ-CP, Điều 4, khoản 1 (01 tháng Giêng âm lịch).",
    },
    {
        "code": "thanh-lap-dang",
        "name": "Ngày thành lập Đảng Cộng sản Việt Nam",
        "short_name": "Thành lập Đảng",
        "calendar": "solar", "day": 3, "month": 2, "origin_year": 1930,
        "source": "Ngày lễ lớn: Nghị định 145/2013/NĐ-CP, Điều 4, khoản 2 (03-02-1930). "
        "Đại hội đại biểu toàn quốc lần thứ III của Đảng (1960) quyết định lấy ngày 3/2 làm ngày kỷ niệm thành lập Đảng.",
    },
    {
        "code": "gio-to-hung-vuong",
        "name": "Giỗ Tổ Hùng Vương",
        "short_name": "Giỗ Tổ Hùng Vương",
        "calendar": "lunar", "day": 10, "month": 3, "origin_year": None,
        "source": "Ngày lễ lớn: Nghị định 145/2013/NĐ-CP, Điều 4, khoản 3 (10-3 âm lịch); "
        "ngày nghỉ lễ theo Bộ luật Lao động 2019, Điều 112.",
    },
    {
        "code": "dan-quan-tu-ve",
        "name": "Ngày truyền thống Dân quân tự vệ",
        "short_name": "Dân quân tự vệ",
        "calendar": "solar", "day": 28, "month": 3, "origin_year": 1935,
        "source": "Luật Dân quân tự vệ năm 2019 (và Luật năm 2009, Pháp lệnh năm 2004): ngày 28 tháng 3 hằng năm là "
        "Ngày truyền thống của Dân quân tự vệ — ngày Đại hội lần thứ nhất của Đảng (Ma Cao, 28/3/1935) "
        "ra Nghị quyết về đội tự vệ.",
    },
    {
        "code": "thanh-lap-doan",
        "name": "Ngày thành lập Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "short_name": "Thành lập Đoàn",
        "calendar": "solar", "day": 26, "month": 3, "origin_year": 1931,
        "source": "Đại hội Đoàn toàn quốc lần thứ III (1961) quyết định lấy ngày 26/3/1931 "
        "(Hội nghị Trung ương lần thứ hai, tháng 3/1931) làm ngày thành lập Đoàn.",
    },
    {
        "code": "giai-phong-mien-nam",
        "name": "Ngày Giải phóng miền Nam, thống nhất đất nước",
        "short_name": "Giải phóng miền Nam",
        "calendar": "solar", "day": 30, "month": 4, "origin_year": 1975,
        "source": "Ngày lễ lớn: Nghị định 145/2013/NĐ-CP, Điều 4, khoản 4 (30-4-1975).",
    },
    {
        "code": "chien-thang-dien-bien-phu",
        "name": "Chiến thắng Điện Biên Phủ",
        "short_name": "Điện Biên Phủ",
        "calendar": "solar", "day": 7, "month": 5, "origin_year": 1954,
        "source": "Ngày lễ lớn: Nghị định 145/2013/NĐ-CP, Điều 4, khoản 5 (07-5-1954).",
    },
    {
        "code": "sinh-nhat-bac",
        "name": "Ngày sinh Chủ tịch Hồ Chí Minh",
        "short_name": "Sinh nhật Bác",
        "calendar": "solar", "day": 19, "month": 5, "origin_year": 1890,
        "source": "Ngày lễ lớn: Nghị định 145/2013/NĐ-CP, Điều 4, khoản 6 (19-5-1890).",
    },
    {
        "code": "thuong-binh-liet-si",
        "name": "Ngày Thương binh - Liệt sĩ",
        "short_name": "Thương binh - Liệt sĩ",
        "calendar": "solar", "day": 27, "month": 7, "origin_year": 1947,
        "source": "Hội nghị tại Phú Minh (Đại Từ, Thái Nguyên), tháng 6/1947, chọn ngày 27/7 làm Ngày Thương binh toàn quốc; "
        "từ năm 1955 là Ngày Thương binh - Liệt sĩ.",
    },
    {
        "code": "thanh-lap-cong-doan",
        "name": "Ngày thành lập Công đoàn Việt Nam",
        "short_name": "Thành lập Công đoàn",
        "calendar": "solar", "day": 28, "month": 7, "origin_year": 1929,
        "source": "Ngày thành lập Tổng Công hội Đỏ Bắc Kỳ (28/7/1929), tổ chức tiền thân của Công đoàn Việt Nam.",
    },
    {
        "code": "cach-mang-thang-tam",
        "name": "Cách mạng Tháng Tám thành công",
        "short_name": "Cách mạng Tháng Tám",
        "calendar": "solar", "day": 19, "month": 8, "origin_year": 1945,
        "source": "Ngày lễ lớn: Nghị định 145/2013/NĐ-CP, Điều 4, khoản 7 (19-8-1945).",
    },
    {
        "code": "quoc-khanh",
        "name": "Ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam",
        "short_name": "Quốc khánh",
        "calendar": "solar", "day": 2, "month": 9, "origin_year": 1945,
        "source": "Ngày lễ lớn: Nghị định 145/2013/NĐ-CP, Điều 4, khoản 7 (02-9-1945).",
    },
    {
        "code": "thanh-lap-hoi-nong-dan",
        "name": "Ngày thành lập Hội Nông dân Việt Nam",
        "short_name": "Thành lập Hội Nông dân",
        "calendar": "solar", "day": 14, "month": 10, "origin_year": 1930,
        "source": "Ngày 14/10/1930 Hội nghị Ban Chấp hành Trung ương lần thứ nhất quyết định thành lập Tổng Nông hội Đỏ, "
        "tiền thân của Hội Nông dân Việt Nam.",
    },
    {
        "code": "truyen-thong-dan-van",
        "name": "Ngày truyền thống công tác Dân vận của Đảng",
        "short_name": "Truyền thống Dân vận",
        "calendar": "solar", "day": 15, "month": 10, "origin_year": 1930,
        "source": "Tính từ Hội nghị Ban Chấp hành Trung ương lần thứ nhất (tháng 10/1930), nơi ra đời các ban vận động quần chúng; "
        "ngày 15/10 là ngày báo Sự Thật đăng bài “Dân vận” của Chủ tịch Hồ Chí Minh (15/10/1949). "
        "Cách ghi chính thức: “... Ngày truyền thống công tác Dân vận của Đảng (15/10/1930 - 15/10/...)”.",
    },
    {
        "code": "ngay-dan-van",
        "name": "Ngày “Dân vận” của cả nước",
        "short_name": "Ngày Dân vận",
        "calendar": "solar", "day": 15, "month": 10, "origin_year": 1999,
        "source": "Công văn số 293-CV/TW ngày 14/10/1999 của Bộ Chính trị: lấy ngày 15 tháng 10 hằng năm làm "
        "ngày “Dân vận” của cả nước.",
    },
    {
        "code": "thanh-lap-hoi-phu-nu",
        "name": "Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam",
        "short_name": "Thành lập Hội Phụ nữ",
        "calendar": "solar", "day": 20, "month": 10, "origin_year": 1930,
        "source": "Ngày thành lập Hội Phụ nữ phản đế Việt Nam (20/10/1930), tiền thân của Hội Liên hiệp Phụ nữ Việt Nam; "
        "Ngày Phụ nữ Việt Nam.",
    },
    {
        "code": "thanh-lap-mttq",
        "name": "Ngày truyền thống Mặt trận Tổ quốc Việt Nam",
        "short_name": "Truyền thống MTTQ",
        "calendar": "solar", "day": 18, "month": 11, "origin_year": 1930,
        "source": "Ngày thành lập Hội Phản đế Đồng minh (18/11/1930), hình thức đầu tiên của Mặt trận dân tộc thống nhất; "
        "từ năm 2003 cũng là Ngày hội Đại đoàn kết toàn dân tộc.",
    },
    {
        "code": "thanh-lap-hoi-chu-thap-do",
        "name": "Ngày thành lập Hội Chữ thập đỏ Việt Nam",
        "short_name": "Thành lập Hội Chữ thập đỏ",
        "calendar": "solar", "day": 23, "month": 11, "origin_year": 1946,
        "source": "Hội Chữ thập đỏ Việt Nam thành lập ngày 23/11/1946.",
    },
    {
        "code": "thanh-lap-hoi-ccb",
        "name": "Ngày truyền thống Hội Cựu chiến binh Việt Nam",
        "short_name": "Truyền thống Hội CCB",
        "calendar": "solar", "day": 6, "month": 12, "origin_year": 1989,
        "source": "Bộ Chính trị (khóa VI), phiên họp ngày 06/12/1989, quyết định thành lập Hội Cựu chiến binh Việt Nam "
        "(Thông báo số 173/TB-TW ngày 18/12/1989 của Ban Bí thư).",
    },
    {
        "code": "thanh-lap-qdnd",
        "name": "Ngày thành lập Quân đội nhân dân Việt Nam",
        "short_name": "Thành lập QĐND",
        "calendar": "solar", "day": 22, "month": 12, "origin_year": 1944,
        "source": "Ngày thành lập Đội Việt Nam Tuyên truyền Giải phóng quân (22/12/1944, Nguyên Bình, Cao Bằng).",
    },
    {
        "code": "quoc-phong-toan-dan",
        "name": "Ngày hội Quốc phòng toàn dân",
        "short_name": "Quốc phòng toàn dân",
        "calendar": "solar", "day": 22, "month": 12, "origin_year": 1989,
        "source": "Chỉ thị số 381-CT/TW ngày 17/10/1989 của Ban Bí thư: lấy ngày 22/12, Ngày thành lập Quân đội nhân dân "
        "Việt Nam, đồng thời là Ngày hội Quốc phòng toàn dân.",
    },
]


def seed(Commemoration) -> int:
    """Create or update the national catalog (also used by the data migration)."""
    from phoihop.core.vietnamese import fold

    for row in NATIONAL_COMMEMORATIONS:
        values = {k: v for k, v in row.items() if k != "code"}
        values["scope"] = "national"
        values["search_text"] = f"{fold(row['name'])} {fold(row['short_name'])}"
        Commemoration.objects.update_or_create(code=row["code"], defaults=values)
    return len(NATIONAL_COMMEMORATIONS)
