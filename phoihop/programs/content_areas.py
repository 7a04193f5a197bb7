"""The catalogue of content areas (nội dung phối hợp) named in the seed article (GLOSSARY.md)."""

CONTENT_AREAS: list[tuple[str, str]] = [
    ("ho_chi_minh_study", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    ("propaganda", "Tuyên truyền đường lối, chủ trương, chính sách, pháp luật"),
    ("advising", "Tham mưu cho cấp ủy, chính quyền"),
    ("gratitude", "Đền ơn đáp nghĩa"),
    ("social_security", "An sinh xã hội"),
    ("military_rear_policy", "Chính sách hậu phương quân đội"),
    ("recruitment", "Tuyển quân (gọi công dân nhập ngũ)"),
    ("training_drills", "Huấn luyện, diễn tập"),
    ("defence_education", "Bồi dưỡng kiến thức quốc phòng, an ninh"),
    ("campaigns_emulation", "Các cuộc vận động, phong trào thi đua"),
    ("socio_economic", "Phát triển kinh tế - xã hội, xây dựng nông thôn mới, đô thị văn minh"),
    ("crime_prevention", "Phòng, chống tội phạm và tệ nạn xã hội"),
    ("disaster_relief", "Khắc phục hậu quả thiên tai"),
    ("humanitarian_charity", "Nhân đạo, từ thiện"),
]
