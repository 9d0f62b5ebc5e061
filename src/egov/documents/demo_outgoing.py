"""Demo outgoing documents, loaded by ``manage.py documents_load_demo`` after the incoming ones, so that ``make
run`` shows the whole outgoing flow: drafted by a specialist (a real PDF made by WeasyPrint), submitted,
approved, signed by the leader and by the agency with the demo PKI (``documents_demo_pki``, run first; it is
idempotent), numbered from the outgoing register, issued and delivered on the platform to another demo agency,
some of them already accepted by the recipient's clerk.

Everything goes through the services (so audited and evented). Idempotent: a document whose agency and
summary already exist is skipped; each document is one transaction, so a failure leaves nothing half-made.
"""

import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.template.defaultfilters import upper
from django.utils import timezone
from django.utils.html import escape

from egov.directory.models import Agency
from egov.documents.models import Delivery, DocumentType, IncomingDocument, OutgoingDocument
from egov.documents.services import delivery as delivery_svc
from egov.documents.services import outgoing


@dataclass
class DemoOutgoing:
    agency: str
    suffix: str  # demo usernames: chuyenvien.<suffix> drafts, lanhdao.<suffix> approves and signs, vanthu issues
    type_code: str
    summary: str
    recipients: list[str]
    body: list[str]
    accepted_by: list[str] = field(default_factory=list)  # recipient agencies whose clerk accepts it (03)
    reply_to: str = ""  # summary of the sender's incoming document this one answers


DOCUMENTS = [
    DemoOutgoing(
        "STP", "stp", "cong-van",
        "Về việc báo cáo kết quả rà soát văn bản quy phạm pháp luật sau sắp xếp đơn vị hành chính cấp tỉnh",
        ["VP"],
        ["Thực hiện Công văn số 1502/UBND-NC của Ủy ban nhân dân tỉnh về việc rà soát văn bản quy phạm pháp "
         "luật sau sắp xếp đơn vị hành chính cấp tỉnh, Sở Tư pháp báo cáo như sau:",
         "1. Đã rà soát 312 văn bản quy phạm pháp luật do Hội đồng nhân dân, Ủy ban nhân dân tỉnh Cà Mau và "
         "tỉnh Bạc Liêu (cũ) ban hành; trong đó 187 văn bản còn hiệu lực, 98 văn bản cần sửa đổi, bổ sung, "
         "27 văn bản đề nghị bãi bỏ.",
         "2. Đề nghị Văn phòng Ủy ban nhân dân tỉnh tổng hợp, trình Chủ tịch Ủy ban nhân dân tỉnh xem xét."],
        accepted_by=["VP"],
        reply_to="Về việc rà soát văn bản quy phạm pháp luật sau sắp xếp đơn vị hành chính cấp tỉnh"),
    DemoOutgoing(
        "STP", "stp", "ke-hoach", "Tuyên truyền, phổ biến, giáo dục pháp luật năm 2027",
        ["VP", "DVHC-32191"],
        ["Căn cứ Luật Phổ biến, giáo dục pháp luật ngày 20 tháng 6 năm 2012; Sở Tư pháp ban hành Kế hoạch "
         "tuyên truyền, phổ biến, giáo dục pháp luật năm 2027 như sau:",
         "I. MỤC ĐÍCH, YÊU CẦU: Nâng cao nhận thức, ý thức chấp hành pháp luật của cán bộ, công chức, viên "
         "chức và Nhân dân trên địa bàn tỉnh; chú trọng chuyển đổi số trong phổ biến pháp luật.",
         "II. NỘI DUNG: Phổ biến các luật mới được Quốc hội thông qua; tổ chức Ngày Pháp luật nước Cộng hòa xã "
         "hội chủ nghĩa Việt Nam 09/11; hỗ trợ pháp lý cho doanh nghiệp nhỏ và vừa."]),
    DemoOutgoing(
        "VP", "vp", "thong-bao",
        "Lịch làm việc của Lãnh đạo Văn phòng Ủy ban nhân dân tỉnh tuần 49 năm 2026",
        ["STP"],
        ["Văn phòng Ủy ban nhân dân tỉnh thông báo lịch làm việc của Lãnh đạo Văn phòng từ ngày 30/11/2026 "
         "đến ngày 04/12/2026 như sau:",
         "Thứ Hai: Chánh Văn phòng dự họp giao ban Ủy ban nhân dân tỉnh. Thứ Ba: làm việc với Sở Tư pháp về "
         "kết quả rà soát văn bản quy phạm pháp luật. Thứ Tư đến Thứ Sáu: làm việc tại cơ quan.",
         "Đề nghị các cơ quan, đơn vị liên quan chuẩn bị nội dung, tài liệu."],
        accepted_by=["STP"]),
]


def _user(username: str):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def draft_pdf(agency: Agency, doc_type: DocumentType, spec: DemoOutgoing) -> bytes:
    """The draft as an agency writes it (NĐ 30/2020 layout, number left blank until issue)."""
    from weasyprint import HTML  # heavy import, only when a demo document is made

    abbr = doc_type.abbreviation or agency.abbreviation
    year = timezone.localdate().year
    if doc_type.abbreviation:  # a named type: its name as the title, the summary below in bold
        title = f"<p class='c b'>{escape(upper(doc_type.name))}</p>"
        summary = f"<p class='c b'>{escape(spec.summary)}</p>"
    else:  # Công văn: no title, "V/v ..." under the number
        title, summary = "", f"<p class='c'>{escape(spec.summary.replace('Về việc', 'V/v', 1))}</p>"
    body = "".join(f"<p class='j'>{escape(line)}</p>" for line in spec.body)
    parent = escape(upper(agency.parent.name)) if agency.parent_id else ""
    html = f"""<html><head><style>
      @page {{ size: A4; margin: 20mm 15mm 20mm 30mm }}
      body {{ font-family: 'DejaVu Serif', serif; font-size: 12.5pt }}
      table {{ width: 100% }} td {{ vertical-align: top; text-align: center; font-size: 12pt }}
      .c {{ text-align: center }} .b {{ font-weight: bold }} .j {{ text-align: justify; text-indent: 10mm }}
    </style></head><body>
      <table><tr><td>{parent}<br><b>{escape(upper(agency.name))}</b><br>Số: &nbsp; &nbsp; /{escape(abbr)}-
      {escape(agency.abbreviation)}</td><td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do -
      Hạnh phúc</b><br><i>Cà Mau, ngày &nbsp; &nbsp; tháng &nbsp; &nbsp; năm {year}</i></td></tr></table>
      {title}{summary}{body}
      <p><b><i>Nơi nhận:</i></b><br>- Như trên;<br>- Lưu: VT.</p>
    </body></html>"""
    return HTML(string=html).write_pdf()


def _load_one(spec: DemoOutgoing) -> bool:
    agency = Agency.objects.filter(code=spec.agency).first()
    drafter, leader, clerk = (_user(f"{role}.{spec.suffix}") for role in ("chuyenvien", "lanhdao", "vanthu"))
    doc_type = DocumentType.objects.filter(code=spec.type_code).first()
    recipients = list(Agency.objects.filter(code__in=spec.recipients, is_active=True))
    if not (agency and drafter and leader and clerk and doc_type and recipients):
        return False
    if OutgoingDocument.objects.filter(agency=agency, summary=spec.summary).exists():
        return False
    reply_to = IncomingDocument.objects.filter(agency=agency, summary=spec.reply_to).first() if spec.reply_to \
        else None
    with transaction.atomic():
        document = outgoing.outgoing_draft_create(
            actor=drafter, document_type=doc_type, summary=spec.summary, recipient_agencies=recipients,
            in_reply_to=reply_to)
        upload = SimpleUploadedFile("du-thao.pdf", draft_pdf(agency, doc_type, spec), content_type="application/pdf")
        outgoing.outgoing_version_upload(actor=drafter, document=document, upload=upload, note="Dự thảo lần 1")
        outgoing.outgoing_submit(actor=drafter, document=document, reviewer=leader, note="Kính trình Lãnh đạo duyệt.")
        outgoing.outgoing_approve(actor=leader, document=document, signer=leader, note="Đồng ý ban hành.")
        outgoing.outgoing_sign(actor=leader, document=document)
        document = outgoing.outgoing_issue(actor=clerk, document=document)
        for code in spec.accepted_by:
            found = Delivery.objects.filter(outgoing=document, recipient_agency__code=code).first()
            recipient_clerk = found and _user(f"vanthu.{_suffix(code)}")
            if recipient_clerk:
                delivery_svc.delivery_accept(actor=recipient_clerk, delivery=found)
    return True


def _suffix(agency_code: str) -> str:
    return {"VP": "vp", "STP": "stp", "DVHC-32191": "namcan"}.get(agency_code, agency_code.lower())


def outgoing_demo_load() -> int:
    """The demo PKI, then the demo outgoing documents; returns how many documents were created."""
    if all(OutgoingDocument.objects.filter(agency__code=s.agency, summary=s.summary).exists() for s in DOCUMENTS):
        return 0
    call_command("documents_demo_pki", stdout=io.StringIO())
    return sum(_load_one(spec) for spec in DOCUMENTS)
