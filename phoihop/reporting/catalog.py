"""The seeded indicator catalogue: about thirty indicators covering every content area.

(code, name, unit, value type, content area, aggregation, disaggregation, extra)
"""

from decimal import Decimal

SEX = ("sex", "Giới tính", [("nam", "Nam"), ("nu", "Nữ")])
TARGET_GROUP = ("target_group", "Đối tượng", [
    ("thuong_binh", "Thương binh, bệnh binh"), ("gia_dinh_liet_si", "Gia đình liệt sĩ"),
    ("gia_dinh_quan_nhan", "Gia đình quân nhân"), ("ho_ngheo", "Hộ nghèo, cận nghèo"),
])

DISAGGREGATIONS = [SEX, TARGET_GROUP]

INDICATORS = [
    # Học tập và làm theo Bác
    ("hcm_study_sessions", "Buổi học tập, quán triệt chuyên đề tư tưởng, đạo đức, phong cách Hồ Chí Minh", "buổi", "integer", "ho_chi_minh_study", "sum", None, {}),
    ("hcm_study_participants", "Lượt cán bộ, hội viên, đoàn viên tham gia học tập chuyên đề", "lượt người", "integer", "ho_chi_minh_study", "sum", None, {}),
    ("hcm_models", "Gương điển hình học tập và làm theo Bác được biểu dương", "người", "integer", "ho_chi_minh_study", "sum", None, {}),
    # Tuyên truyền
    ("propaganda_sessions", "Buổi tuyên truyền đường lối, chính sách, pháp luật", "buổi", "integer", "propaganda", "sum", None, {}),
    ("propaganda_listeners", "Lượt người nghe tuyên truyền", "lượt người", "integer", "propaganda", "sum", SEX, {}),
    ("propaganda_broadcasts", "Tin, bài phát thanh, báo chí về hoạt động phối hợp", "tin, bài", "integer", "propaganda", "sum", None, {}),
    # Tham mưu
    ("advisory_documents", "Văn bản tham mưu cấp ủy, chính quyền được ban hành", "văn bản", "integer", "advising", "sum", None, {}),
    # Đền ơn đáp nghĩa
    ("gratitude_houses", "Nhà tình nghĩa xây mới, sửa chữa", "nhà", "integer", "gratitude", "sum", None, {}),
    ("gratitude_gifts", "Suất quà tặng gia đình chính sách", "suất", "integer", "gratitude", "sum", TARGET_GROUP, {}),
    ("gratitude_gift_value", "Giá trị quà tặng gia đình chính sách", "triệu đồng", "money", "gratitude", "sum", None, {}),
    ("gratitude_savings_books", "Sổ tiết kiệm tình nghĩa trao tặng", "sổ", "integer", "gratitude", "sum", None, {}),
    # An sinh xã hội
    ("social_houses", "Nhà đại đoàn kết, nhà nhân ái bàn giao", "nhà", "integer", "social_security", "sum", None, {}),
    ("social_fund", "Quỹ “Vì người nghèo” vận động được", "triệu đồng", "money", "social_security", "sum", None, {}),
    # Hậu phương quân đội
    ("rear_families_visited", "Lượt thăm hỏi gia đình quân nhân đang tại ngũ", "lượt hộ", "integer", "military_rear_policy", "sum", None, {}),
    ("rear_veterans_jobs", "Quân nhân xuất ngũ được giới thiệu việc làm", "người", "integer", "military_rear_policy", "sum", None, {}),
    # Tuyển quân
    ("recruit_called", "Công dân được gọi khám sức khỏe nghĩa vụ quân sự", "người", "integer", "recruitment", "sum", None, {}),
    ("recruit_quota", "Chỉ tiêu giao quân được giao", "người", "integer", "recruitment", "sum", None, {}),
    ("recruit_enlisted", "Công dân nhập ngũ", "người", "integer", "recruitment", "sum", None, {}),
    ("recruit_quota_pct", "Tỷ lệ hoàn thành chỉ tiêu giao quân", "%", "percent", "recruitment", "ratio", None,
     {"numerator": "recruit_enlisted", "denominator": "recruit_quota"}),
    # Huấn luyện, diễn tập
    ("drills_held", "Cuộc diễn tập, hội thao được tổ chức", "cuộc", "integer", "training_drills", "sum", None, {}),
    ("militia_trained", "Lượt dân quân tự vệ được huấn luyện", "lượt người", "integer", "training_drills", "sum", None, {}),
    # Bồi dưỡng kiến thức QP-AN
    ("defence_trained", "Người được bồi dưỡng kiến thức quốc phòng, an ninh", "người", "integer", "defence_education", "sum", SEX, {}),
    ("defence_courses", "Lớp bồi dưỡng kiến thức quốc phòng, an ninh", "lớp", "integer", "defence_education", "sum", None, {}),
    # Vận động, thi đua
    ("emulation_models", "Mô hình, điển hình tiên tiến được xây dựng", "mô hình", "integer", "campaigns_emulation", "sum", None, {}),
    ("emulation_awards", "Tập thể, cá nhân được khen thưởng", "lượt", "integer", "campaigns_emulation", "sum", None, {}),
    # KT-XH
    ("workdays_helping", "Ngày công giúp nhân dân", "ngày công", "integer", "socio_economic", "sum", None, {}),
    ("roads_built", "Đường giao thông nông thôn làm mới, sửa chữa", "km", "decimal", "socio_economic", "sum", None, {"min_value": 0}),
    ("members_total", "Tổng số hội viên, đoàn viên (cuối kỳ)", "người", "integer", "socio_economic", "last", None, {}),
    # Phòng chống tội phạm
    ("crime_clubs", "Tổ, câu lạc bộ phòng, chống tội phạm đang hoạt động (cuối kỳ)", "tổ", "integer", "crime_prevention", "last", None, {}),
    ("crime_reports", "Tin báo tội phạm, tệ nạn xã hội được cung cấp", "tin", "integer", "crime_prevention", "sum", None, {}),
    # Thiên tai
    ("disaster_people", "Lượt người tham gia khắc phục hậu quả thiên tai", "lượt người", "integer", "disaster_relief", "sum", None, {}),
    ("disaster_households", "Hộ được hỗ trợ sau thiên tai", "hộ", "integer", "disaster_relief", "sum", None, {}),
    # Nhân đạo
    ("blood_units", "Đơn vị máu hiến", "đơn vị", "integer", "humanitarian_charity", "sum", None, {}),
    ("charity_value", "Giá trị hoạt động nhân đạo, từ thiện", "triệu đồng", "money", "humanitarian_charity", "sum", None, {}),
    ("volunteer_satisfaction", "Mức hài lòng bình quân của người được hỗ trợ (khảo sát)", "%", "percent", "humanitarian_charity", "average", None, {"max_value": 100}),
]

# (left, operator, right, severity, message)
RULES = [
    ("recruit_enlisted", "<=", "recruit_called", "error", "Số công dân nhập ngũ không thể lớn hơn số được gọi khám sức khỏe"),
    ("recruit_enlisted", ">=", "recruit_quota", "warning", "Số nhập ngũ chưa đạt chỉ tiêu giao quân"),
]


def seed(Indicator, ContentArea, Disaggregation, DisaggregationOption, ValidationRule) -> None:
    """Create or refresh the catalogue (used by the migration and by loaddemo)."""
    groups = {}
    for code, name, options in DISAGGREGATIONS:
        group, _ = Disaggregation.objects.update_or_create(code=code, defaults={"name": name})
        for order, (opt_code, opt_name) in enumerate(options):
            DisaggregationOption.objects.update_or_create(disaggregation=group, code=opt_code, defaults={"name": opt_name, "order": order})
        groups[code] = group
    areas = {a.code: a for a in ContentArea.objects.all()}
    created = {}
    for order, (code, name, unit, vtype, area, rule, dis, extra) in enumerate(INDICATORS):
        defaults = {
            "name": name, "unit": unit, "value_type": vtype, "content_area": areas[area], "aggregation": rule,
            "disaggregation": groups[dis[0]] if dis else None, "order": order,
        }
        for key in ("min_value", "max_value"):
            if key in extra:
                defaults[key] = Decimal(extra[key]).quantize(Decimal("0.01"))
        if "numerator" in extra:
            defaults["numerator"] = created[extra["numerator"]]
            defaults["denominator"] = created[extra["denominator"]]
        created[code], _ = Indicator.objects.update_or_create(code=code, defaults=defaults)
    for left, op, right, severity, message in RULES:
        ValidationRule.objects.update_or_create(
            left=created[left], right=created[right], operator=op,
            defaults={"severity": severity, "message": message},
        )
