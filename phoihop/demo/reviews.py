"""The afternoon of 09/7/2019: the review of the 2016–2019 and 2013–2019 programs and the
signing of the 2019–2023 program (contributions are invented and marked as demo)."""

from __future__ import annotations

import datetime as dt

from phoihop.audit import workflow
from phoihop.programs.models import Event, Program, ProgramStatus
from phoihop.reviews import services
from phoihop.reviews.models import Contribution, Narrative, Review, ReviewStatus, Section

D = dt.date
TITLE = ("Sơ kết Chương trình phối hợp hoạt động công tác dân vận giữa Ban Dân vận Thành ủy với Ban CHQS thành phố "
         "giai đoạn 2016 - 2019 và Chương trình phối hợp hoạt động giữa Ban CHQS thành phố với các tổ chức chính trị - xã hội, "
         "tổ chức xã hội nhân đạo thành phố giai đoạn 2013 - 2019")

CONTRIBUTIONS = {
    ("ban_chqs", Section.SITUATION): "Thành phố Bắc Ninh có 19 phường, xã; tình hình chính trị ổn định, kinh tế - xã hội phát triển; nhiệm vụ quân sự, quốc phòng địa phương được triển khai đồng bộ. (Nội dung minh họa.)",
    ("ban_dan_van", Section.SITUATION): "Các cấp ủy, chính quyền quan tâm lãnh đạo, chỉ đạo công tác dân vận; sự phối hợp giữa Ban Dân vận Thành ủy và Ban CHQS thành phố ngày càng chặt chẽ. (Nội dung minh họa.)",
    ("ban_chqs", Section.RESULTS): "Chương trình phối hợp được triển khai tích cực, toàn diện với nhiều nội dung phong phú, đa dạng và đạt hiệu quả thiết thực; góp phần củng cố nền quốc phòng, giữ vững an ninh chính trị, trật tự an toàn xã hội.",
    ("Hội LHPN", Section.SHORTCOMINGS): "Một số hoạt động phối hợp ở cơ sở còn mang tính hình thức; việc báo cáo số liệu có lúc chưa kịp thời. (Nội dung minh họa.)",
    ("Đoàn TN", Section.SHORTCOMINGS): "Nguồn lực cho các hoạt động đền ơn đáp nghĩa, an sinh xã hội còn hạn chế, chủ yếu dựa vào vận động xã hội hóa. (Nội dung minh họa.)",
    ("ban_dan_van", Section.LESSONS): "Phải có sự lãnh đạo, chỉ đạo thường xuyên của cấp ủy; xây dựng kế hoạch cụ thể, phân công rõ đơn vị chủ trì, phối hợp; thường xuyên sơ kết, rút kinh nghiệm. (Nội dung minh họa.)",
    ("ban_chqs", Section.DIRECTIONS): "Tiếp tục đổi mới nội dung, phương pháp, nâng cao chất lượng, hiệu quả công tác dân vận; thực hiện tốt công tác tuyên truyền chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; đẩy mạnh các phong trào thi đua, các cuộc vận động gắn với phong trào thi đua quyết thắng của cơ quan quân sự.",
    ("MTTQ", Section.PROPOSALS): "Đề nghị Thường trực Thành ủy, UBND thành phố tiếp tục quan tâm bố trí kinh phí cho hoạt động của Ban chỉ đạo. (Nội dung minh họa.)",
}


def load(orgs) -> None:
    dv = Program.objects.get(code="bn-dv-chqs-2016-2019")
    ctxh = Program.objects.get(code="bn-chqs-ctxh-2013-2019")
    new = Program.objects.get(code="bn-phoihop-2019-2023")
    review = Review.objects.filter(title=TITLE, date=D(2019, 7, 9)).first()
    if review is None:
        from phoihop.programs.models import SteeringCommittee

        committee = SteeringCommittee.objects.filter(programs=new).first()
        event = Event.objects.filter(kind=Event.Kind.INTERIM_REVIEW, programs=dv).first()
        review = services.prepare_review(
            title=TITLE, kind="interim", date=D(2019, 7, 9), organizer=orgs["ban_chqs"], committee=committee,
            place="Bắc Ninh", user=None, contribution_deadline=D(2019, 7, 1), is_demo=True,
            chair=event.chair if event else None,
            items=[services.ItemInput(dv.code, dv.start, D(2019, 6, 30)), services.ItemInput(ctxh.code, ctxh.start, D(2019, 6, 30))],
            issuers=[
                {"organization": orgs["ban_chqs"], "number": 15, "signer_authority": "T/M BAN CHỈ HUY", "signer_title": "CHỈ HUY TRƯỞNG",
                 "signer": new.parties.get(organization=orgs["ban_chqs"]).signatory},
                {"organization": orgs["ban_dan_van"], "number": 15, "signer_authority": "T/M BAN DÂN VẬN", "signer_title": "TRƯỞNG BAN",
                 "signer": new.parties.get(organization=orgs["ban_dan_van"]).signatory},
            ],
        )
        Review.objects.filter(pk=review.pk).update(event=event)
        for (key, section), text in CONTRIBUTIONS.items():
            Contribution.objects.get_or_create(review=review, organization=orgs[key], section=section, defaults={"text": text})
        Narrative.objects.get_or_create(review=review, section=Section.RESULTS, defaults={"text": CONTRIBUTIONS[("ban_chqs", Section.RESULTS)]})
        workflow.move(review, ReviewStatus.HELD, "Hội nghị chiều 09/7/2019")
    if new.status == ProgramStatus.DRAFT:
        signing = Event.objects.filter(kind=Event.Kind.SIGNING, programs=new).first()
        services.record_signing(new, signed_on=D(2019, 7, 9), user=None, event=signing, review=review)
        new.refresh_from_db()
        workflow.move(new, ProgramStatus.ENDED, "Kết thúc giai đoạn 2019 - 2023 (minh họa)")
