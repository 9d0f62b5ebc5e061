"""Registering incoming documents (vào sổ văn bản đến, NĐ 30/2020 Art. 22): the clerk records the Phụ lục VI
fields, the register gives the arrival number, the files uploaded beforehand are attached.

A probable duplicate (same issuer, number/notation and issued date already registered in the agency) does
not stop the clerk, who may receive a second copy on purpose: it is recorded in ``possible_duplicate_of`` and
shown as a warning.
"""

import datetime as dt
import hashlib
import unicodedata
import uuid as uuid_module
from decimal import Decimal

import filetype
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from egov.core.audit import audit_record, snapshot
from egov.core.errors import DomainError, PermissionDeniedError
from egov.documents.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Direction,
    DocumentEvent,
    DocumentFile,
    DocumentRegister,
    DocumentType,
    FileKind,
    IncomingDocument,
    RegisterKind,
    Secrecy,
    Urgency,
)
from egov.documents.policies.incoming import can_register_incoming
from egov.documents.services.delivery_status import delivery_status_update
from egov.documents.services.numbering import register_number_next
from egov.documents.services.reference import number_notation_build

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ALLOWED_MIME = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
}
# Lengths of the Phụ lục VI fields, checked here so that a long value is a Vietnamese error, not a 500.
TEXT_LIMITS = {
    "summary": ("Trích yếu", 500), "number": ("Số", 11), "notation": ("Ký hiệu", 30),
    "issuer_name": ("Cơ quan ban hành", 200), "issuer_code": ("Mã định danh cơ quan ban hành", 35),
    "type_name": ("Tên loại văn bản", 100), "language": ("Ngôn ngữ", 30), "description": ("Ghi chú", 500),
    "signer_position": ("Chức vụ người ký", 100), "signer_name": ("Họ tên người ký", 50),
    "to_places": ("Đơn vị, người nhận", 1000),
}
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def actor_label(actor) -> str:
    return ((getattr(actor, "full_name", "") or actor.get_username()) if actor is not None else "Hệ thống")[:150]


def event_add(*, document: IncomingDocument, action: str, actor, note: str = "", data: dict | None = None,
              assignment=None, file: DocumentFile | None = None) -> DocumentEvent:
    """Append one row to the document's history (never edited afterwards)."""
    official = getattr(actor, "official", None) if actor is not None else None
    return DocumentEvent.objects.create(
        incoming=document, assignment=assignment, action=action, actor=actor, actor_label=actor_label(actor),
        agency_id=getattr(official, "agency_id", None) or document.agency_id, note=note, data=data or {},
        file=file,
    )


def _clean_text(values: dict) -> dict:
    cleaned = {}
    for field, (label, limit) in TEXT_LIMITS.items():
        value = " ".join(str(values.get(field) or "").split()) if field != "to_places" else \
            str(values.get(field) or "").strip()
        if len(value) > limit:
            raise DomainError("invalid_input", f"{label} dài quá {limit} ký tự ({len(value)} ký tự).")
        cleaned[field] = value
    if not cleaned["summary"]:
        raise DomainError("summary_required", "Cần nhập trích yếu nội dung văn bản.")
    if cleaned["number"] and not cleaned["number"].isdigit():
        raise DomainError("invalid_number", f"Số văn bản “{cleaned['number']}” chỉ gồm chữ số (ví dụ 123 hoặc 02354).")
    return cleaned


def _choice(value, choices, *, label: str, default):
    if value in (None, ""):
        return default
    try:
        return choices(int(value)) if choices in (Urgency, Secrecy) else choices(value)
    except (ValueError, TypeError):
        allowed = ", ".join(str(c.label) for c in choices)
        raise DomainError("invalid_input", f"{label} không hợp lệ: “{str(value)[:20]}”. Chọn một trong: {allowed}.") \
            from None


def _positive_small(value, *, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError("invalid_input", f"{label} phải là số nguyên.") from None
    if not 0 < number < 10000:
        raise DomainError("invalid_input", f"{label} phải từ 1 đến 9999.")
    return number


def _document_type(value) -> DocumentType | None:
    if value in (None, ""):
        return None
    if isinstance(value, DocumentType):
        return value
    found = DocumentType.objects.filter(code=str(value)).first()
    if found is None:
        raise DomainError("invalid_document_type", f"Không có loại văn bản mã “{str(value)[:20]}”.")
    return found


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def duplicate_find(*, agency, issuer_name: str, issuer_code: str, number_notation: str,
                   issued_date: dt.date | None, exclude_pk=None) -> IncomingDocument | None:
    """The earliest document of ``agency`` with the same issuer (name or code), number/notation and issued
    date. Compared case-insensitively in Python: SQLite's ``iexact`` ignores case of ASCII letters only, and
    Vietnamese names are mostly not ASCII. The candidates (one agency, one issued date) are few."""
    if not (number_notation and issued_date and (issuer_name or issuer_code)):
        return None
    qs = IncomingDocument.objects.filter(agency=agency, issued_date=issued_date).exclude(number_notation="")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    wanted = _fold(number_notation)
    for candidate in qs.order_by("received_at", "pk").only("pk", "number_notation", "issuer_name", "issuer_code",
                                                          "received_at"):
        if _fold(candidate.number_notation) != wanted:
            continue
        same_code = issuer_code and _fold(candidate.issuer_code) == _fold(issuer_code)
        same_name = issuer_name and _fold(candidate.issuer_name) == _fold(issuer_name)
        if same_code or same_name:
            return IncomingDocument.objects.get(pk=candidate.pk)
    return None


def _file_store(*, actor, agency, uploaded_file) -> DocumentFile:
    """Store an upload as a DocumentFile of ``agency`` not yet attached, checked by its content.

    Used only until the intake area's ``file_upload`` exists (see ``file_upload_any``)."""
    size = getattr(uploaded_file, "size", None) or 0
    if size > MAX_UPLOAD_BYTES:
        raise DomainError("file_too_large", f"Tệp “{uploaded_file.name}” lớn quá 50 MB.")
    content = uploaded_file.read()
    if not content:
        raise DomainError("file_empty", f"Tệp “{uploaded_file.name}” rỗng.")
    kind = filetype.guess(content[:8192])
    mime = kind.mime if kind else ""
    if mime not in ALLOWED_MIME:
        what = f"định dạng {mime}" if mime else "định dạng không nhận ra"
        raise DomainError("file_type_refused", f"Tệp “{uploaded_file.name}” có {what}; chỉ nhận "
                                               f"{', '.join(ALLOWED_MIME.values())} (kiểm tra theo nội dung tệp).")
    record = DocumentFile(agency=agency, kind=FileKind.MAIN, original_name=(uploaded_file.name or "tep")[:255],
                          content_type=mime, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                          uploaded_by=actor)
    record.file.save(uuid_module.uuid4().hex, ContentFile(content), save=False)
    record.save()
    return record


def file_upload_any(*, actor, agency, uploaded_file) -> DocumentFile:
    """The intake area's ``file_upload`` when it exists (text extraction, OCR, suggestions), else a plain
    content-checked store."""
    try:
        from egov.documents.services.intake import file_upload
    except ImportError:
        return _file_store(actor=actor, agency=agency, uploaded_file=uploaded_file)
    return file_upload(actor=actor, agency=agency, uploaded_file=uploaded_file)


def _files_pending(*, agency, file_ids) -> list[DocumentFile]:
    wanted = []
    for raw in file_ids or []:
        try:
            wanted.append(uuid_module.UUID(str(raw)))
        except ValueError:
            raise DomainError("invalid_file", f"Mã tệp “{str(raw)[:40]}” không hợp lệ.") from None
    if not wanted:
        return []
    files = list(DocumentFile.objects.select_for_update().filter(uuid__in=wanted))
    found = {f.uuid: f for f in files}
    for key in wanted:
        record = found.get(key)
        if record is None or record.agency_id != agency.pk:
            raise DomainError("invalid_file", "Tệp đã tải lên không tìm thấy hoặc không thuộc cơ quan của bạn.")
        if record.incoming_id or record.outgoing_id:
            raise DomainError("file_attached", f"Tệp “{record.original_name}” đã gắn với văn bản khác.")
    return [found[k] for k in dict.fromkeys(wanted)]


def _received_at(value) -> dt.datetime:
    now = timezone.now()
    if value in (None, ""):
        return now
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise DomainError("invalid_received_at", "Ngày đến cần có cả giờ, phút.")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + FUTURE_TOLERANCE:
        raise DomainError("invalid_received_at", "Ngày đến không được sau thời điểm hiện tại.")
    return value


@transaction.atomic
def incoming_register(*, actor, register: DocumentRegister, summary: str, received_at: dt.datetime | None = None,
                      channel: str = Channel.PAPER, number: str = "", notation: str = "",
                      issued_date: dt.date | None = None, issuer_name: str = "", issuer_code: str = "",
                      document_type=None, type_name: str = "", language: str = "", page_count=None,
                      description: str = "", signer_position: str = "", signer_name: str = "",
                      urgency=Urgency.NORMAL, secrecy=Secrecy.NONE, issued_amount=None,
                      reply_due_date: dt.date | None = None, to_places: str = "", files=(), uploads=(),
                      delivery: Delivery | None = None) -> IncomingDocument:
    """Register an incoming document with the next arrival number of ``register`` for the year of arrival.

    ``files`` are uuids of DocumentFile rows uploaded earlier by the clerk's agency (intake); ``uploads`` are
    Django uploaded files stored now. ``delivery`` links a platform delivery (its sender then sees 03)."""
    register = DocumentRegister.objects.select_related("agency").get(pk=register.pk)
    agency = register.agency
    if not can_register_incoming(actor, agency):
        raise PermissionDeniedError("Chỉ văn thư của cơ quan mới được vào sổ văn bản đến.")
    if register.direction != Direction.INCOMING or not register.is_active:
        raise DomainError("invalid_register", "Sổ đã chọn không phải sổ văn bản đến đang sử dụng.")
    values = _clean_text({"summary": summary, "number": number, "notation": notation, "issuer_name": issuer_name,
                          "issuer_code": issuer_code, "type_name": type_name, "language": language,
                          "description": description, "signer_position": signer_position,
                          "signer_name": signer_name, "to_places": to_places})
    urgency = _choice(urgency, Urgency, label="Độ khẩn", default=Urgency.NORMAL)
    secrecy = _choice(secrecy, Secrecy, label="Độ mật", default=Secrecy.NONE)
    channel = _choice(channel, Channel, label="Hình thức nhận", default=Channel.PAPER)
    if secrecy > 0 and register.kind != RegisterKind.SECRET:
        raise DomainError("secret_register_required", "Văn bản mật phải vào sổ văn bản mật đến.")
    if secrecy == 0 and register.kind == RegisterKind.SECRET:
        raise DomainError("secret_register_only", "Sổ văn bản mật chỉ dùng cho văn bản có độ mật.")
    received_at = _received_at(received_at)
    received_local = timezone.localtime(received_at)
    if issued_date and issued_date > received_local.date():
        raise DomainError("invalid_issued_date", "Ngày văn bản không được sau ngày đến.")
    dtype = _document_type(document_type)
    if dtype and not values["type_name"]:
        values["type_name"] = dtype.name
    pending = _files_pending(agency=agency, file_ids=files)
    if delivery is not None:
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.recipient_agency_id != agency.pk:
            raise DomainError("invalid_delivery", "Văn bản liên thông này không gửi đến cơ quan của bạn.")
        if delivery.incoming_id:
            raise DomainError("delivery_registered", "Văn bản liên thông này đã được vào sổ.")
    number_notation = number_notation_build(number=values["number"], notation=values["notation"])
    duplicate = duplicate_find(agency=agency, issuer_name=values["issuer_name"], issuer_code=values["issuer_code"],
                               number_notation=number_notation, issued_date=issued_date)

    year = received_local.year
    arrival_number = register_number_next(register=register, year=year)
    document = IncomingDocument.objects.create(
        agency=agency, register=register, arrival_year=year, arrival_number=arrival_number, received_at=received_at,
        channel=channel, document_type=dtype, number_notation=number_notation, issued_date=issued_date,
        urgency=urgency, secrecy=secrecy, page_count=_positive_small(page_count, label="Số trang"),
        issued_amount=_positive_small(issued_amount, label="Số lượng bản"), reply_due_date=reply_due_date,
        language=values.pop("language") or "Tiếng Việt", possible_duplicate_of=duplicate, registered_by=actor,
        **values,
    )
    for record in pending:
        record.incoming = document
        record.save(update_fields=["incoming", "updated_at"])
    for uploaded in uploads or []:
        record = file_upload_any(actor=actor, agency=agency, uploaded_file=uploaded)
        record.incoming = document
        record.save(update_fields=["incoming", "updated_at"])
    data = {"register": register.name, "arrival_number": arrival_number, "year": year,
            "files": [str(f.uuid) for f in document.files.all()]}
    if duplicate is not None:
        data["possible_duplicate_of"] = str(duplicate.uuid)
    event_add(document=document, action="registered", actor=actor,
              note=f"Vào sổ {register.name}, số đến {register.format_number(arrival_number)}", data=data)
    audit_record(actor=actor, action="documents.incoming_register", obj=document, after=snapshot(document))
    if delivery is not None:
        delivery.incoming = document
        delivery.save(update_fields=["incoming", "updated_at"])
        delivery_status_update(delivery=delivery, status=DeliveryStatus.REGISTERED, actor=actor,
                               description=f"Đã vào sổ văn bản đến, số đến {arrival_number}/{year}")
    return document


def arrival_label(document: IncomingDocument) -> str:
    return f"{document.register.format_number(document.arrival_number)}/{document.arrival_year}"


def incoming_delivery(document: IncomingDocument) -> Delivery | None:
    """The platform delivery the document came by, if any."""
    try:
        return document.delivery
    except Delivery.DoesNotExist:
        return None


def due_days_parse(value) -> Decimal | None:
    """Working days typed by a person ("3", "1,5"), in half-day steps; None when empty."""
    if value in (None, ""):
        return None
    text = str(value).strip().replace(",", ".")
    try:
        days = Decimal(text)
    except ArithmeticError:
        raise DomainError("invalid_due_days", f"Số ngày làm việc “{text[:10]}” không hợp lệ.") from None
    if not days.is_finite() or days <= 0 or days > 365 or (days * 2) % 1 != 0:
        raise DomainError("invalid_due_days", "Số ngày làm việc phải lớn hơn 0, tối đa 365, theo bước nửa ngày "
                                              "(ví dụ 3 hoặc 1,5).")
    return days

