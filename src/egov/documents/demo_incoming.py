"""Demo data of the document system, loaded by ``manage.py documents_load_demo`` at every ``make run``.

Registers for the demo agencies (an incoming "Sổ văn bản đến", an outgoing "Sổ văn bản đi" – five digits for
the Provincial People's Committee and its Office, as Cà Mau writes ``02354/QĐ-UBND`` –, secret registers, and
one legal-normative register per VBQPPL type for the People's Committee), then a few realistic incoming
documents registered, directed and handled through the services (so audited) so that the pages are not
empty. Idempotent: what exists is left alone; a second run writes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from egov.directory.models import Agency, Unit
from egov.documents.models import Direction, DocumentRegister, DocumentType, IncomingDocument, RegisterKind
from egov.documents.services import handling, incoming
from egov.documents.services.reference import reference_data_load

WIDE_NUMBERS = {"UBND", "VP"}  # Cà Mau's committee and its office pad numbers to five digits
DEMO_AGENCIES = ["UBND", "VP", "STP", "DVHC-32191"]


def _register(agency: Agency, direction: str, name: str, kind: str = RegisterKind.REGULAR, *, width: int = 2,
              document_type: DocumentType | None = None) -> tuple[DocumentRegister, bool]:
    return DocumentRegister.objects.get_or_create(
        agency=agency, direction=direction, name=name,
        defaults={"kind": kind, "number_width": width, "document_type": document_type},
    )


def registers_load() -> int:
    """The demo agencies' registers; returns how many were created."""
    created = 0
    for agency in Agency.objects.filter(code__in=DEMO_AGENCIES):
        width = 5 if agency.code in WIDE_NUMBERS else 2
        rows = [
            (Direction.INCOMING, "Sổ văn bản đến", RegisterKind.REGULAR, None),
            (Direction.OUTGOING, "Sổ văn bản đi", RegisterKind.REGULAR, None),
            (Direction.INCOMING, "Sổ văn bản mật đến", RegisterKind.SECRET, None),
            (Direction.OUTGOING, "Sổ văn bản mật đi", RegisterKind.SECRET, None),
        ]
        if agency.code == "UBND":
            for dtype in DocumentType.objects.filter(is_legal_normative=True):
                rows.append((Direction.OUTGOING, f"Sổ văn bản quy phạm pháp luật – {dtype.name}", RegisterKind.LEGAL,
                             dtype))
        for direction, name, kind, dtype in rows:
            _, made = _register(agency, direction, name, kind, width=width, document_type=dtype)
            created += made
    return created


@dataclass
class DemoDocument:
    agency: str
    suffix: str  # demo usernames: vanthu.<suffix>, lanhdao.<suffix>, chuyenvien.<suffix>
    days_ago: int
    number: str
    notation: str
    type_code: str
    issuer: str
    summary: str
    urgency: int = 0
    direct: dict | None = None  # lead ("unit:<code>" | "user:<username>"), cooperating, information, days
    progress: list[str] = field(default_factory=list)
    complete: str = ""


DOCUMENTS = [
    DemoDocument("VP", "vp", 9, "8125", "VPCP-KSTT", "cong-van", "Văn phòng Chính phủ",
                 "Về việc đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến năm 2026",
                 urgency=1, direct={"lead": "user:chuyenvien.vp", "cooperating": ["unit:KSTT"],
                                    "instruction": "Giao Phòng Tổng hợp (đ/c Tâm) chủ trì, phối hợp Phòng Kiểm soát "
                                                   "TTHC tham mưu văn bản chỉ đạo các sở, ngành.", "days": 10},
                 progress=["Đã tổng hợp số liệu dịch vụ công trực tuyến của 20 sở, ngành; đang dự thảo công văn."]),
    DemoDocument("VP", "vp", 3, "215", "STP-XDKT", "cong-van", "Sở Tư pháp tỉnh Cà Mau",
                 "Về việc góp ý dự thảo Quyết định ban hành Quy chế phối hợp quản lý nhà nước về bồi thường",
                 direct={"lead": "user:chuyenvien.vp", "instruction": "Đ/c Tâm nghiên cứu, góp ý; báo cáo trước "
                                                                      "hạn.", "days": 3}),
    DemoDocument("VP", "vp", 12, "120", "SNV-CCHC", "cong-van", "Sở Nội vụ tỉnh Cà Mau",
                 "Về việc báo cáo kết quả chấm điểm Chỉ số cải cách hành chính năm 2026 của các cơ quan, đơn vị",
                 direct={"lead": "unit:TH", "information": ["user:qtcoquan.vp"],
                         "instruction": "Phòng Tổng hợp tổng hợp, báo cáo đúng hạn.", "days": 4}),
    DemoDocument("VP", "vp", 1, "88", "BC-SNNMT", "bao-cao", "Sở Nông nghiệp và Môi trường tỉnh Cà Mau",
                 "Báo cáo tình hình sản xuất nông nghiệp và phòng, chống thiên tai tháng 11 năm 2026", urgency=2),
    DemoDocument("VP", "vp", 20, "45", "GM-SKHCN", "giay-moi", "Sở Khoa học và Công nghệ tỉnh Cà Mau",
                 "Mời dự Hội thảo chuyển đổi số tỉnh Cà Mau năm 2026",
                 direct={"lead": "user:chuyenvien.vp", "instruction": "Đ/c Tâm dự, báo cáo kết quả.", "days": 5},
                 complete="Đã dự hội thảo ngày 10/11/2026; báo cáo tóm tắt gửi lãnh đạo Văn phòng."),
    DemoDocument("STP", "stp", 4, "1502", "UBND-NC", "cong-van", "Ủy ban nhân dân tỉnh Cà Mau",
                 "Về việc rà soát văn bản quy phạm pháp luật sau sắp xếp đơn vị hành chính cấp tỉnh",
                 urgency=1, direct={"lead": "unit:XDKT", "instruction": "Phòng XDKT chủ trì rà soát, tham mưu "
                                                                        "báo cáo UBND tỉnh.", "days": 7},
                 progress=["Đã lập danh mục 312 văn bản cần rà soát."]),
    DemoDocument("STP", "stp", 2, "77", "TB-VPUBND", "thong-bao", "Văn phòng Ủy ban nhân dân tỉnh Cà Mau",
                 "Thông báo kết luận của Chủ tịch UBND tỉnh tại cuộc họp về công tác hộ tịch, chứng thực"),
]


def _demo_user(username: str):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _target(agency: Agency, value: str):
    kind, _, key = value.partition(":")
    if kind == "unit":
        return "unit", Unit.objects.filter(agency=agency, code=key).first()
    return "user", _demo_user(key)


def _load_one(spec: DemoDocument, now: dt.datetime) -> bool:
    agency = Agency.objects.filter(code=spec.agency).first()
    clerk, leader = _demo_user(f"vanthu.{spec.suffix}"), _demo_user(f"lanhdao.{spec.suffix}")
    register = DocumentRegister.objects.filter(agency=agency, direction=Direction.INCOMING,
                                               kind=RegisterKind.REGULAR, name="Sổ văn bản đến").first()
    if not (agency and clerk and leader and register):
        return False
    notation = f"{spec.number}/{spec.notation}"
    if IncomingDocument.objects.filter(agency=agency, number_notation=notation, summary=spec.summary).exists():
        return False
    received = now - dt.timedelta(days=spec.days_ago, hours=2)
    document = incoming.incoming_register(
        actor=clerk, register=register, summary=spec.summary, received_at=received, number=spec.number,
        notation=spec.notation, issued_date=(received - dt.timedelta(days=2)).date(), issuer_name=spec.issuer,
        document_type=spec.type_code, urgency=spec.urgency, channel="electronic")
    if not spec.direct:
        return True
    people = {"lead": [], "cooperating": [], "information": []}
    units = {"lead": [], "cooperating": [], "information": []}
    for key in people:
        values = spec.direct.get(key) or []
        for value in [values] if isinstance(values, str) else values:
            kind, target = _target(agency, value)
            if target is not None:
                (units if kind == "unit" else people)[key].append(target)
    if not (units["lead"] or people["lead"]):
        return True
    created = handling.incoming_direct(
        actor=leader, document=document, lead_unit=(units["lead"] or [None])[0],
        lead_assignee=(people["lead"] or [None])[0], cooperating_units=units["cooperating"],
        cooperating_assignees=people["cooperating"], information_units=units["information"],
        information_assignees=people["information"], instruction=spec.direct.get("instruction", ""),
        due_days=spec.direct.get("days"), now=received + dt.timedelta(hours=1))
    lead = created[0]
    handler = lead.assignee or _demo_user(f"chuyenvien.{spec.suffix}")
    for note in spec.progress:
        handling.assignment_progress(actor=handler, assignment=lead, note=note)
    if spec.complete:
        handling.assignment_complete(actor=handler, assignment=lead, note=spec.complete)
    return True


def incoming_demo_load() -> dict:
    """Reference data, registers and demo incoming documents; returns what was created."""
    with transaction.atomic():
        reference_data_load()
        registers = registers_load()
        now = timezone.now()
        documents = sum(_load_one(spec, now) for spec in DOCUMENTS)
    return {"registers": registers, "documents": documents}
