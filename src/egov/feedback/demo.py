"""Demo feedback for `make run`: items in each state at the provincial office (VP) and the Department of
Justice (STP), with two answers published on the portal's Q&A page. Idempotent: skipped when loaded once.

Needs the demo directory (``load_demo``): agencies VP and STP and their one-stop officers motcua.vp, motcua.stp.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from egov.directory.models import Agency
from egov.feedback import services
from egov.feedback.models import Classification, Feedback

DEMO_DOMAIN = "@demo-pakn.camau.example"
ITEMS = [
    # (kind, name, subject, content, path of states)
    ("hoi_dap", "Trần Thị Lan", "Thủ tục đăng ký khai sinh cho con khi cha mẹ chưa đăng ký kết hôn",
     "Tôi và chồng chưa đăng ký kết hôn, nay sinh con thì làm khai sinh ở đâu, cần giấy tờ gì?",
     ["receive", "classify", "answer", "publish"],
     "Theo Luật Hộ tịch, cha hoặc mẹ đến UBND xã nơi cư trú để đăng ký khai sinh cho con; nộp giấy chứng sinh "
     "và xuất trình giấy tờ tùy thân. Nếu cha muốn nhận con thì làm thủ tục nhận cha, con cùng lúc."),
    ("kien_nghi", "Phạm Văn Tuấn", "Kiến nghị mở rộng giờ tiếp nhận hồ sơ vào sáng thứ Bảy",
     "Người lao động khó đến bộ phận một cửa trong giờ hành chính; đề nghị tiếp nhận hồ sơ sáng thứ Bảy.",
     ["receive", "classify", "answer", "publish"],
     "UBND tỉnh ghi nhận kiến nghị; từ quý tới, Trung tâm Phục vụ hành chính công tiếp nhận hồ sơ sáng thứ Bảy "
     "đối với một số thủ tục thường gặp, đồng thời khuyến khích nộp hồ sơ trực tuyến."),
    ("phan_anh", "Lê Hoàng Nam", "Đèn chiếu sáng hư hỏng trên đường Phan Ngọc Hiển",
     "Nhiều trụ đèn trên đường Phan Ngọc Hiển, phường An Xuyên không sáng từ hai tuần nay, gây mất an toàn.",
     ["receive", "classify"], ""),
    ("phan_anh", "Võ Thị Hạnh", "Cán bộ hẹn trả kết quả chứng thực nhiều lần",
     "Tôi nộp hồ sơ chứng thực bản sao nhưng bị hẹn lại nhiều lần, đề nghị xem xét.",
     ["receive", "forward"], ""),
    ("hoi_dap", "Nguyễn Minh Khoa", "Hỏi về lệ phí cấp phiếu lý lịch tư pháp trực tuyến",
     "Khi nộp hồ sơ cấp phiếu lý lịch tư pháp trực tuyến thì lệ phí là bao nhiêu và thanh toán thế nào?",
     ["receive"], ""),
    ("kien_nghi", "Đặng Thu Trang", "Kiến nghị bổ sung bến xe buýt tại xã Năm Căn",
     "Đề nghị bố trí thêm điểm dừng xe buýt gần chợ Năm Căn để người dân đi lại thuận tiện.", [], ""),
]


@transaction.atomic
def feedback_load_demo() -> str:
    if Feedback.objects.filter(sender_email__endswith=DEMO_DOMAIN).exists():
        return "Dữ liệu phản ánh, kiến nghị mẫu đã có; không nạp lại."
    office = Agency.objects.filter(code="VP").first()
    stp = Agency.objects.filter(code="STP").first()
    users = get_user_model().objects.filter(username__in=["motcua.vp", "motcua.stp"]).in_bulk(field_name="username")
    if office is None or stp is None or len(users) < 2:
        return "Chưa có danh bạ mẫu (chạy manage.py load_demo trước); bỏ qua phản ánh, kiến nghị mẫu."
    officer, stp_officer = users["motcua.vp"], users["motcua.stp"]
    now = timezone.now()
    made = 0
    for index, (kind, name, subject, content, path, answer) in enumerate(ITEMS):
        sent = now - dt.timedelta(days=24 - 4 * index)
        fb = services.feedback_submit(
            kind=kind, sender_name=name, sender_address="Phường An Xuyên, tỉnh Cà Mau", sender_phone="0290 3800 000",
            sender_email=f"nguoigui{index + 1}{DEMO_DOMAIN}", subject=subject, content=content, now=sent)
        made += 1
        for step in path:
            if step == "receive":
                fb = services.feedback_receive(actor=officer, feedback=fb, now=sent + dt.timedelta(hours=2))
            elif step == "classify":
                fb = services.feedback_classify(actor=officer, feedback=fb, now=sent + dt.timedelta(days=1),
                                                classification=Classification.THUOC_THAM_QUYEN)
            elif step == "forward":
                fb = services.feedback_classify(actor=officer, feedback=fb, target_agency=stp,
                                                now=sent + dt.timedelta(days=1),
                                                classification=Classification.HANH_VI,
                                                reason="Nội dung về hành vi của công chức Sở Tư pháp.")
                fb = services.feedback_receive(actor=stp_officer, feedback=fb, now=sent + dt.timedelta(days=2))
            elif step == "answer":
                fb = services.feedback_answer(actor=officer, feedback=fb, answer=answer,
                                              now=sent + dt.timedelta(days=5))
            elif step == "publish":
                fb = services.feedback_publish(actor=officer, feedback=fb, now=sent + dt.timedelta(days=6))
    return f"Đã nạp {made} phản ánh, kiến nghị, câu hỏi mẫu (2 câu trả lời công khai tại /phan-anh-kien-nghi/hoi-dap/)."
