"""The demo's calendar: the liberation day of Bắc Ninh city and the city's 2019 theme."""

import datetime as dt

from phoihop.almanac import services


def load(orgs) -> None:
    services.add_local_commemoration(
        orgs["thanh_uy"], "Ngày giải phóng thành phố Bắc Ninh", dt.date(1954, 8, 8), "giai-phong-tp-bac-ninh",
        source="Bài “Ký kết Chương trình phối hợp…”, Đài Phát thanh TP Bắc Ninh, 10/07/2019",
        administrative_unit=orgs["thanh_uy"].administrative_unit, is_demo=False,
    )
    services.save_year_theme(
        year=2019, organization=orgs["thanh_uy"], is_demo=True,
        theme="Năm đẩy mạnh cải cách hành chính, xây dựng đô thị văn minh (nội dung minh họa)",
        resolutions=[
            "Hoàn thành các chỉ tiêu phát triển kinh tế - xã hội năm 2019 (minh họa)",
            "Xây dựng thành phố Bắc Ninh đạt chuẩn đô thị loại I (minh họa)",
            "Giữ vững an ninh chính trị, trật tự an toàn xã hội (minh họa)",
            "Hoàn thành 100% chỉ tiêu tuyển quân (minh họa)",
            "Xây dựng hệ thống chính trị trong sạch, vững mạnh (minh họa)",
        ],
    )
