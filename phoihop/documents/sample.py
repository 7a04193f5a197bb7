"""A realistic sample: a joint review report (and a five-party program document).

    .venv/bin/python -m phoihop.documents.sample out.docx [--pdf] [--program]

writes out.docx (and out.pdf with --pdf); --program writes the five-party program document
instead of the review report. The figures are made up: the documents carry the
"DỮ LIỆU MINH HỌA" mark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from . import charts, docx_writer, pdf
from .layout import Document, Heading, Image, Issuer, Paragraph, Table

BAN_CHQS = Issuer(
    name="BAN CHỈ HUY QUÂN SỰ\nTHÀNH PHỐ BẮC NINH",
    parent_name="BỘ CHQS TỈNH BẮC NINH",
    number=15,
    kind_abbr="BC",
    issuer_abbr="BCHQS",
    signer_authority="KT. CHỈ HUY TRƯỞNG",
    signer_title="PHÓ CHỈ HUY TRƯỞNG",
    signer_name="Nguyễn Văn Hùng",
)
BAN_DAN_VAN = Issuer(
    name="BAN DÂN VẬN",
    parent_name="THÀNH ỦY BẮC NINH",
    is_party=True,
    number=5,
    kind_abbr="BC",
    issuer_abbr="BDVTU",
    signer_authority="KT. TRƯỞNG BAN",
    signer_title="PHÓ TRƯỞNG BAN",
    signer_name="Trần Thị Lan",
)

CONTENT_AREAS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Tuyên truyền đường lối, chủ trương, chính sách, pháp luật",
    "Chính sách hậu phương quân đội",
    "Bồi dưỡng kiến thức quốc phòng, an ninh",
]


def sample_document() -> Document:
    """The joint review report of the program's steering committee (3 pages)."""
    chart = charts.bar_chart(
        CONTENT_AREAS,
        {"Năm 2019": [12, 18, 9, 6], "Năm 2020": [10, 15, 11, 4], "Năm 2021": [14, 21, None, 8]},
        title="Số hoạt động phối hợp theo nội dung, 2019 - 2021",
        unit="hoạt động",
    )
    table = Table(
        caption="Bảng 1. Kết quả thực hiện một số chỉ tiêu phối hợp (2019 - 2021)",
        headers=["STT", "Nội dung", "Đơn vị tính", "Năm 2019", "Năm 2020", "Năm 2021", "Cộng"],
        rows=[
            [1, "Buổi tuyên truyền", "buổi", 42, 38, 51, 131],
            [2, "Lượt người nghe tuyên truyền", "lượt", 12450, 9870, 15230, 37550],
            [3, "Công dân nhập ngũ", "người", 186, 192, 201, 579],
            [4, "Nhà tình nghĩa, nhà đồng đội", "nhà", 3, 2, 4, 9],
            [5, "Kinh phí hỗ trợ an sinh xã hội", "triệu đồng",
             Decimal("1234.5"), Decimal("980.25"), Decimal("1560"), Decimal("3774.75")],
        ],
        numeric_columns={3, 4, 5, 6},
    )
    p = Paragraph
    blocks = [
        Heading("I. Đặc điểm tình hình"),
        p("Thành phố Bắc Ninh có 19 phường, xã với trên 250 nghìn nhân khẩu; tình hình chính trị, "
          "trật tự an toàn xã hội cơ bản ổn định. Chương trình phối hợp giữa Ban Chỉ huy Quân sự "
          "thành phố và Ban Dân vận Thành ủy giai đoạn 2019 - 2023 được ký kết ngày 15 tháng 01 "
          "năm 2019, xác định 08 nội dung phối hợp trọng tâm."),
        p("Thuận lợi cơ bản là sự quan tâm lãnh đạo, chỉ đạo của Ban Thường vụ Thành ủy, sự phối "
          "hợp chặt chẽ của Ủy ban Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội "
          "thành phố. Khó khăn là địa bàn đô thị hóa nhanh, lực lượng lao động di chuyển nhiều, "
          "ảnh hưởng đến công tác tuyển quân và xây dựng lực lượng dân quân."),
        Heading("II. Công tác lãnh đạo, chỉ đạo, tổ chức thực hiện"),
        p("Ban Chỉ đạo Chương trình phối hợp gồm 09 đồng chí, do đồng chí Trưởng Ban Dân vận "
          "Thành ủy làm Trưởng ban, đồng chí Chỉ huy trưởng Ban Chỉ huy Quân sự thành phố làm Phó "
          "Trưởng ban thường trực. Hằng năm, Ban Chỉ đạo ban hành kế hoạch thực hiện, phân công "
          "nhiệm vụ cụ thể cho từng thành viên; tổ chức giao ban 06 tháng và sơ kết năm."),
        p("Các cơ quan thường trực đã tham mưu ban hành 12 văn bản chỉ đạo, hướng dẫn; tổ chức "
          "03 hội nghị quán triệt với trên 450 đại biểu là cán bộ chủ chốt phường, xã tham dự."),
        Heading("III. Kết quả thực hiện các nội dung phối hợp"),
        Heading("1. Công tác tuyên truyền, giáo dục chính trị, tư tưởng", level=2),
        p("Hai cơ quan phối hợp tổ chức 131 buổi tuyên truyền với 37.550 lượt người nghe về chủ "
          "trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước về quốc phòng, an ninh; "
          "đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với "
          "cuộc vận động “Phát huy truyền thống, cống hiến tài năng, xứng danh Bộ đội Cụ Hồ”."),
        Heading("2. Công tác tuyển quân, huấn luyện, diễn tập", level=2),
        p("Trong 03 năm, thành phố giao đủ 579 công dân nhập ngũ, đạt 100% chỉ tiêu, chất lượng "
          "được nâng lên; các cơ sở phối hợp làm tốt công tác động viên, thăm hỏi gia đình tân "
          "binh. Diễn tập khu vực phòng thủ phường, xã được tổ chức đúng kế hoạch, an toàn."),
        Heading("3. Chính sách hậu phương quân đội, an sinh xã hội", level=2),
        p("Phối hợp xây dựng, sửa chữa 09 nhà tình nghĩa, nhà đồng đội; tổng kinh phí hỗ trợ an "
          "sinh xã hội 3.774,75 triệu đồng. Kết quả cụ thể tại Bảng 1 và Biểu đồ 1."),
        table,
        Image(chart, width_cm=15, caption="Biểu đồ 1. Số hoạt động phối hợp theo nội dung"),
        Heading("IV. Hạn chế, nguyên nhân"),
        Heading("1. Hạn chế", level=2),
        p("Một số cơ sở chưa chủ động xây dựng kế hoạch phối hợp; việc sơ kết, đánh giá ở một số "
          "phường, xã còn hình thức. Số liệu báo cáo của một số đơn vị chưa kịp thời, chưa đầy "
          "đủ (năm 2021 còn thiếu số liệu về chính sách hậu phương quân đội)."),
        Heading("2. Nguyên nhân", level=2),
        p("Tác động của dịch Covid-19 trong năm 2020 và 2021 làm nhiều hoạt động phải tạm dừng "
          "hoặc chuyển hình thức; một bộ phận cán bộ kiêm nhiệm, thay đổi công tác."),
        Heading("V. Bài học kinh nghiệm"),
        p("Một là, phải có sự lãnh đạo, chỉ đạo thường xuyên của cấp ủy, sự vào cuộc của cả hệ "
          "thống chính trị. Hai là, phân công rõ cơ quan chủ trì, cơ quan phối hợp cho từng nội "
          "dung. Ba là, thường xuyên kiểm tra, đôn đốc, kịp thời biểu dương, khen thưởng."),
        p("ý kiến đóng góp của Hội Cựu chiến binh thành phố", gap=True),
        Heading("VI. Phương hướng, nhiệm vụ thời gian tới"),
        p("Tiếp tục quán triệt, thực hiện có hiệu quả các nội dung của Chương trình phối hợp; "
          "nâng cao chất lượng tuyên truyền, vận động nhân dân; làm tốt công tác tuyển quân năm "
          "2023 và chính sách hậu phương quân đội; chuẩn bị tổng kết Chương trình giai đoạn "
          "2019 - 2023 và ký kết Chương trình giai đoạn 2024 - 2028."),
        p("Trên đây là báo cáo sơ kết 03 năm thực hiện Chương trình phối hợp giữa Ban Chỉ huy "
          "Quân sự thành phố và Ban Dân vận Thành ủy Bắc Ninh, giai đoạn 2019 - 2023./."),
    ]
    return Document(
        issuers=[BAN_CHQS, BAN_DAN_VAN],
        kind="BÁO CÁO",
        title="Sơ kết 03 năm thực hiện Chương trình phối hợp giữa Ban Chỉ huy Quân sự\n"
              "thành phố và Ban Dân vận Thành ủy, giai đoạn 2019 - 2023",
        place="Bắc Ninh",
        date=dt.date(2022, 7, 9),
        blocks=blocks,
        recipients=["Ban Thường vụ Thành ủy (b/c)", "Bộ CHQS tỉnh (b/c)",
                    "Ban Dân vận Tỉnh ủy (b/c)", "Thành viên Ban Chỉ đạo"],
        archive="VT, BDV, BCHQS",
        draft_watermark="DỮ LIỆU MINH HỌA",
    )


def sample_program_document() -> Document:
    """A five-party program document (Party lead), to look at the joint header and signatures."""
    parties = [
        Issuer(name="BAN DÂN VẬN", parent_name="THÀNH ỦY BẮC NINH", is_party=True, number=12,
               kind_abbr="CTr", issuer_abbr="BDVTU", signer_authority="TRƯỞNG BAN",
               signer_name="Lê Minh Tuấn"),
        replace(BAN_CHQS, number=8, kind_abbr="CTr", signer_authority="",
                signer_title="CHỈ HUY TRƯỞNG", signer_name="Phạm Quốc Khánh"),
        Issuer(name="ỦY BAN MTTQ VIỆT NAM\nTHÀNH PHỐ BẮC NINH", parent_name="", number=None,
               kind_abbr="CTr", issuer_abbr="MTTQ", signer_authority="TM. BAN THƯỜNG TRỰC",
               signer_title="CHỦ TỊCH", signer_name="Đỗ Thị Hoa"),
        Issuer(name="HỘI LIÊN HIỆP PHỤ NỮ\nTHÀNH PHỐ BẮC NINH", parent_name="HỘI LHPN TỈNH BẮC NINH",
               number=3, kind_abbr="CTr", issuer_abbr="HLHPN",
               signer_authority="TM. BAN THƯỜNG VỤ", signer_title="CHỦ TỊCH",
               signer_name="Ngô Thị Thu Hà"),
        Issuer(name="BCH ĐOÀN THÀNH PHỐ\nBẮC NINH",
               parent_name="TỈNH ĐOÀN BẮC NINH", number=21, kind_abbr="CTr",
               issuer_abbr="ĐTN", signer_authority="TM. BAN THƯỜNG VỤ",
               signer_title="BÍ THƯ", signer_name=""),
    ]
    p = Paragraph
    return Document(
        issuers=parties,
        kind="CHƯƠNG TRÌNH PHỐI HỢP",
        title="Thực hiện công tác dân vận, xây dựng cơ sở vững mạnh toàn diện\n"
              "giai đoạn 2024 - 2028",
        place="Bắc Ninh",
        date=dt.date(2024, 2, 5),
        blocks=[
            Heading("I. Mục đích, yêu cầu"),
            p("Tăng cường sự phối hợp giữa các cơ quan trong thực hiện công tác dân vận, góp phần "
              "xây dựng cơ sở vững mạnh toàn diện, khu vực phòng thủ vững chắc."),
            Heading("II. Nội dung phối hợp"),
            p("1. Tuyên truyền đường lối, chủ trương của Đảng, chính sách, pháp luật của Nhà nước."),
            p("2. Thực hiện chính sách hậu phương quân đội, an sinh xã hội, đền ơn đáp nghĩa."),
            p("3. Tuyển quân, huấn luyện, diễn tập; bồi dưỡng kiến thức quốc phòng, an ninh."),
            Heading("III. Tổ chức thực hiện"),
            p("Ban Dân vận Thành ủy là cơ quan thường trực, chủ trì theo dõi, đôn đốc; hằng năm "
              "các bên xây dựng kế hoạch thực hiện và tổ chức sơ kết, tổng kết theo quy định."),
        ],
        recipients=["Thường trực Thành ủy (b/c)", "Các cơ quan ký kết",
                    "Đảng ủy, UBND các phường, xã"],
        archive="VT, BDV",
        draft_watermark="DỰ THẢO",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="the .docx to write")
    parser.add_argument("--pdf", action="store_true", help="also write a PDF (LibreOffice)")
    parser.add_argument("--program", action="store_true",
                        help="the five-party program document instead of the review report")
    args = parser.parse_args(argv)
    document = sample_program_document() if args.program else sample_document()
    data = docx_writer.render(document)
    args.output.write_bytes(data)
    print(args.output)
    if args.pdf:
        try:
            pdf_bytes = pdf.to_pdf(data)
        except pdf.PdfError as exc:
            print(exc, file=sys.stderr)
            return 1
        target = args.output.with_suffix(".pdf")
        target.write_bytes(pdf_bytes)
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
