"""Outgoing documents (NĐ 30/2020 Art. 10–17): drafting with versions, the approval chain with return for
revision, the signer's digital signature, and the clerk's issue (number, agency signature, delivery).

Every move appends a DocumentEvent and an audit entry. Issue is one transaction: the number is drawn from the
register's locked counter, the agency signature applied and the deliveries created; if any of it fails,
nothing is issued and the number is given back (the counter row rolls back with the rest).
"""

import hashlib
import io
import uuid
import zipfile

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.audit import audit_record, snapshot
from egov.core.errors import DomainError, NotFound
from egov.core.policies import require
from egov.directory.models import Official
from egov.documents.models import (
    DocumentEvent,
    DocumentFile,
    DocumentRegister,
    DocumentType,
    FileKind,
    IncomingDocument,
    OutgoingDocument,
    OutgoingStatus,
    RegisterKind,
    Secrecy,
    Urgency,
)
from egov.documents.models.choices import Direction
from egov.documents.policies.incoming import incoming_visible_to
from egov.documents.policies.outgoing import (
    can_draft_outgoing,
    can_issue_outgoing,
    can_review_outgoing,
    can_sign_outgoing,
    may_be_reviewer,
    may_be_signer,
    official_of,
)
from egov.documents.services.numbering import register_number_next
from egov.notify.services import message_send

MIME_PDF = "application/pdf"
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFT_MIMES = {"pdf": MIME_PDF, "docx": MIME_DOCX}
AUDIT_FIELDS = ["status", "current_reviewer", "signer", "number_notation", "issued_date", "summary"]


def max_draft_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_UPLOAD_MB", 20)) * 1024 * 1024


# --- small helpers --------------------------------------------------------------------------------------
def _event(document: OutgoingDocument, action: str, actor, *, note: str = "", data: dict | None = None,
           file: DocumentFile | None = None) -> DocumentEvent:
    return DocumentEvent.objects.create(
        outgoing=document, action=action, actor=actor, actor_label=_label(actor), agency_id=document.agency_id,
        note=note, data=data or {}, file=file,
    )


def _label(user) -> str:
    if user is None:
        return ""
    return (getattr(user, "full_name", "") or user.get_username())[:150]


def _audit(actor, action: str, document: OutgoingDocument, before: dict | None, **extra) -> None:
    audit_record(actor=actor, action=action, obj=document, before=before,
                 after=snapshot(document, AUDIT_FIELDS), extra=extra or None)


def notify_users(users, *, title: str, body: str = "", url: str = "") -> None:
    """An in-app message (and an e-mail copy after commit, when mail is configured) to each user."""
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        message_send(recipient=user, title=title[:200], body=body, url=url)


def outgoing_url(document: OutgoingDocument) -> str:
    return reverse("documents:outgoing_detail", kwargs={"uuid": document.uuid})


def agency_people(agency_id: int, *roles) -> list:
    """Active officials of the agency having one of ``roles`` (clerks to issue or receive, for instance)."""
    return [o.user for o in Official.objects.select_related("user").filter(
        agency_id=agency_id, is_active=True, user__is_active=True, user__role__in=roles)]


def _locked(document: OutgoingDocument) -> OutgoingDocument:
    """Re-read the row under a lock so two clicks never move the same document twice."""
    return OutgoingDocument.objects.select_for_update().get(pk=document.pk)


def _status_error(document: OutgoingDocument, doing: str) -> DomainError:
    return DomainError("invalid_status", f"Không thể {doing}: văn bản đang ở trạng thái "
                                         f"“{document.get_status_display()}”.", status=409)


def _store_bytes(record: DocumentFile, content: bytes, name: str) -> None:
    record.size = len(content)
    record.sha256 = hashlib.sha256(content).hexdigest()
    record.file.save(f"{uuid.uuid4().hex}.{name.rpartition('.')[2] or 'bin'}", ContentFile(content), save=False)
    stored_remember(record.file.name)
    record.save()


def stored_remember(stored_name: str) -> None:
    """Storage is not transactional and Django has no on-rollback hook: remember what was written on the
    connection; the public service deletes it in its ``except`` if the transaction failed."""
    connection = transaction.get_connection()
    pending = getattr(connection, "_egov_outgoing_stored", None)
    if pending is None:
        pending = connection._egov_outgoing_stored = []
    pending.append(stored_name)


def _files_cleanup(*, failed: bool) -> None:
    connection = transaction.get_connection()
    names = getattr(connection, "_egov_outgoing_stored", None) or []
    connection._egov_outgoing_stored = []
    if failed:
        for name in names:
            default_storage.delete(name)


def file_bytes(record: DocumentFile) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


def _detect(head: bytes, source) -> str | None:
    guess = filetype.guess_mime(head) if head else None
    if guess in (MIME_DOCX, "application/zip") or (guess is None and head.startswith(b"PK\x03\x04")):
        try:
            source.seek(0)
            with zipfile.ZipFile(source) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return guess
        finally:
            source.seek(0)
        return MIME_DOCX if "word/document.xml" in names else "application/zip"
    return guess


def draft_file_check(upload, name: str) -> tuple[str, bytes]:
    """A draft must really be a PDF or a DOCX (checked by content) within the size limit; returns its MIME
    type and content. Raises DomainError (400) with a Vietnamese message naming the file."""
    clean = (name or "").replace("\\", "/").rpartition("/")[2].strip()[:200]
    if not clean:
        raise DomainError("file_name_missing", "Tệp tải lên không có tên.")
    expected = DRAFT_MIMES.get(clean.rpartition(".")[2].lower() if "." in clean else "")
    if expected is None:
        raise DomainError("file_type_not_allowed", f"Tệp “{clean}” không được chấp nhận: dự thảo phải là tệp PDF "
                                                   f"hoặc DOCX.")
    content = upload.read() if hasattr(upload, "read") else bytes(upload)
    if not content:
        raise DomainError("file_empty", f"Tệp “{clean}” rỗng (0 byte).")
    limit = max_draft_bytes()
    if len(content) > limit:
        raise DomainError("file_too_large", f"Tệp “{clean}” vượt quá giới hạn {limit // (1024 * 1024)} MB.")
    actual = _detect(content[:8192], io.BytesIO(content))
    if actual != expected:
        kind = "tệp PDF" if expected == MIME_PDF else "tài liệu Word (DOCX)"
        raise DomainError("file_content_mismatch", f"Tệp “{clean}” không phải là {kind} thật.")
    return expected, content


# --- drafting -------------------------------------------------------------------------------------------
def _document_type(value) -> DocumentType:
    if isinstance(value, DocumentType):
        return value
    found = DocumentType.objects.filter(code=str(value or "").strip()).first()
    if found is None:
        raise DomainError("unknown_document_type", f"Không có loại văn bản “{str(value)[:40]}”.")
    return found


def _choice(value, choices, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number not in choices.values:
        raise DomainError("invalid_choice", f"{label} không hợp lệ.")
    return number


def _draft_values(*, agency, official, document_type, summary, urgency, secrecy, drafting_unit, recipients,
                  external_recipients, description) -> dict:
    """Checked metadata of a draft (shared by create and update)."""
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("summary_required", "Vui lòng nhập trích yếu nội dung văn bản.")
    if len(summary) > 500:
        raise DomainError("summary_too_long", "Trích yếu dài quá 500 ký tự.")
    doc_type = _document_type(document_type)
    unit = drafting_unit if drafting_unit is not None else official.unit
    if unit is not None and unit.agency_id != agency.pk:
        raise DomainError("invalid_unit", "Đơn vị soạn thảo không thuộc cơ quan của bạn.")
    if any(r.pk == agency.pk for r in recipients):
        raise DomainError("invalid_recipient", "Không gửi liên thông văn bản cho chính cơ quan mình.")
    if any(not r.is_active for r in recipients):
        raise DomainError("invalid_recipient", "Có cơ quan nhận đã ngừng hoạt động.")
    return {"document_type": doc_type, "type_name": doc_type.name, "summary": summary, "drafting_unit": unit,
            "urgency": _choice(urgency, Urgency, "Độ khẩn"), "secrecy": _choice(secrecy, Secrecy, "Độ mật"),
            "external_recipients": (external_recipients or "").strip(),
            "description": (description or "").strip()[:500]}


@transaction.atomic
def outgoing_draft_create(*, actor, document_type, summary: str, urgency=Urgency.NORMAL, secrecy=Secrecy.NONE,
                          drafting_unit=None, recipient_agencies=(), external_recipients: str = "",
                          in_reply_to: IncomingDocument | None = None, description: str = "",
                          replaces: OutgoingDocument | None = None) -> OutgoingDocument:
    """A new draft of the actor's agency (optionally replacing an issued one); files come with
    ``outgoing_version_upload``."""
    require(can_draft_outgoing(actor), "Chỉ cán bộ, công chức của một cơ quan mới soạn thảo được văn bản đi.")
    official = official_of(actor)
    agency = official.agency
    recipients = list(recipient_agencies or [])
    values = _draft_values(agency=agency, official=official, document_type=document_type, summary=summary,
                           urgency=urgency, secrecy=secrecy, drafting_unit=drafting_unit, recipients=recipients,
                           external_recipients=external_recipients, description=description)
    if in_reply_to is not None and (in_reply_to.agency_id != agency.pk
                                    or not incoming_visible_to(actor).filter(pk=in_reply_to.pk).exists()):
        raise NotFound("Không tìm thấy văn bản đến được trả lời.")  # e.g. a secret one the drafter may not see
    if replaces is not None and (replaces.agency_id != agency.pk or replaces.status != OutgoingStatus.ISSUED):
        raise DomainError("invalid_replaces", "Chỉ thay thế được văn bản đã phát hành của chính cơ quan mình.")
    document = OutgoingDocument.objects.create(
        agency=agency, drafted_by=actor, in_reply_to=in_reply_to, issuer_name=agency.name,
        issuer_code=agency.code_qcvn102 or agency.code, replaces=replaces, **values,
    )
    if recipients:
        document.recipient_agencies.set(recipients)
    _event(document, "draft_created", actor, data={"recipients": [str(r.uuid) for r in recipients]})
    _audit(actor, "documents.outgoing_draft_create", document, None)
    return document


@transaction.atomic
def outgoing_draft_update(*, actor, document: OutgoingDocument, document_type, summary: str,
                          urgency=Urgency.NORMAL, secrecy=Secrecy.NONE, drafting_unit=None, recipient_agencies=(),
                          external_recipients: str = "", description: str = "") -> OutgoingDocument:
    """The drafter corrects the metadata while the draft is with him (draft, or returned for revision)."""
    document = _locked(document)
    require(document.drafted_by_id == actor.pk, "Chỉ người soạn thảo mới sửa được thông tin dự thảo.")
    if document.status not in (OutgoingStatus.DRAFT, OutgoingStatus.RETURNED):
        raise _status_error(document, "sửa thông tin dự thảo")
    official = official_of(actor)
    recipients = list(recipient_agencies or [])
    values = _draft_values(agency=document.agency, official=official, document_type=document_type,
                           summary=summary, urgency=urgency, secrecy=secrecy, drafting_unit=drafting_unit,
                           recipients=recipients, external_recipients=external_recipients, description=description)
    before = snapshot(document, AUDIT_FIELDS + list(values))
    for name, value in values.items():
        setattr(document, name, value)
    document.save()
    document.recipient_agencies.set(recipients)
    _event(document, "draft_updated", actor, data={"recipients": [str(r.uuid) for r in recipients]})
    audit_record(actor=actor, action="documents.outgoing_draft_update", obj=document, before=before,
                 after=snapshot(document, AUDIT_FIELDS + list(values)))
    return document


def outgoing_version_upload(*, actor, document: OutgoingDocument, upload, name: str | None = None,
                            note: str = "") -> DocumentFile:
    """Store a new version of the draft (1, 2, ...); every version is kept."""
    try:
        with transaction.atomic():
            record = _version_upload(actor=actor, document=document, upload=upload, name=name, note=note)
    except BaseException:
        _files_cleanup(failed=True)
        raise
    _files_cleanup(failed=False)
    return record


def _version_upload(*, actor, document, upload, name, note) -> DocumentFile:
    document = _locked(document)
    require(document.drafted_by_id == actor.pk, "Chỉ người soạn thảo mới tải lên được phiên bản dự thảo.")
    if document.status not in (OutgoingStatus.DRAFT, OutgoingStatus.RETURNED):
        raise _status_error(document, "tải lên phiên bản mới")
    mime, content = draft_file_check(upload, name if name is not None else getattr(upload, "name", ""))
    last = document.files.filter(kind=FileKind.DRAFT).order_by("-version").first()
    version = (last.version if last else 0) + 1
    clean = (name if name is not None else getattr(upload, "name", "")).replace("\\", "/").rpartition("/")[2]
    record = DocumentFile(agency_id=document.agency_id, outgoing=document, kind=FileKind.DRAFT, version=version,
                          original_name=clean.strip()[:255], content_type=mime, uploaded_by=actor,
                          note=(note or "").strip()[:300])
    _store_bytes(record, content, clean)
    _event(document, "draft_version", actor, note=record.note, data={"version": version}, file=record)
    audit_record(actor=actor, action="documents.outgoing_version_upload", obj=document,
                 extra={"version": version, "sha256": record.sha256, "file": str(record.uuid)})
    return record


def latest_draft(document: OutgoingDocument) -> DocumentFile | None:
    return document.files.filter(kind=FileKind.DRAFT).order_by("-version").first()


# --- approval chain -------------------------------------------------------------------------------------
def _reviewer_check(reviewer, document: OutgoingDocument) -> None:
    if reviewer is None or not may_be_reviewer(reviewer, document):
        raise DomainError("invalid_reviewer", "Người được trình không có quyền duyệt văn bản này (phải là lãnh đạo "
                                              "cơ quan, hoặc người cùng đơn vị soạn thảo có chức vụ cao hơn).")


@transaction.atomic
def outgoing_submit(*, actor, document: OutgoingDocument, reviewer, note: str = "") -> OutgoingDocument:
    """The drafter submits the draft (or the revised draft after a return) to a named reviewer."""
    document = _locked(document)
    require(document.drafted_by_id == actor.pk, "Chỉ người soạn thảo mới trình được dự thảo.")
    if document.status not in (OutgoingStatus.DRAFT, OutgoingStatus.RETURNED):
        raise _status_error(document, "trình duyệt")
    if latest_draft(document) is None:
        raise DomainError("draft_file_missing", "Chưa có tệp dự thảo: hãy tải lên bản dự thảo trước khi trình.")
    _reviewer_check(reviewer, document)
    before = snapshot(document, AUDIT_FIELDS)
    document.status, document.current_reviewer = OutgoingStatus.IN_REVIEW, reviewer
    document.save(update_fields=["status", "current_reviewer", "updated_at"])
    _event(document, "submitted", actor, note=(note or "").strip(),
           data={"reviewer": reviewer.pk, "reviewer_label": _label(reviewer),
                 "version": latest_draft(document).version})
    _audit(actor, "documents.outgoing_submit", document, before)
    notify_users([reviewer], title=f"Văn bản chờ bạn duyệt: {document.summary[:150]}",
                 body=f"{_label(actor)} trình dự thảo {document.type_name.lower()}.", url=outgoing_url(document))
    return document


@transaction.atomic
def outgoing_approve(*, actor, document: OutgoingDocument, next_reviewer=None, signer=None,
                     note: str = "") -> OutgoingDocument:
    """The current reviewer approves: forwards to the next reviewer, or marks APPROVED naming the signer."""
    document = _locked(document)
    require(can_review_outgoing(actor, document), "Bạn không phải người đang duyệt văn bản này.")
    if (next_reviewer is None) == (signer is None):
        raise DomainError("approve_target", "Chọn người duyệt tiếp theo hoặc người ký (một trong hai).")
    before = snapshot(document, AUDIT_FIELDS)
    if next_reviewer is not None:
        _reviewer_check(next_reviewer, document)
        if next_reviewer.pk == actor.pk:
            raise DomainError("invalid_reviewer", "Không chuyển văn bản cho chính mình.")
        document.current_reviewer = next_reviewer
        document.save(update_fields=["current_reviewer", "updated_at"])
        _event(document, "forwarded", actor, note=(note or "").strip(),
               data={"reviewer": next_reviewer.pk, "reviewer_label": _label(next_reviewer)})
        notify_users([next_reviewer], title=f"Văn bản chờ bạn duyệt: {document.summary[:150]}",
                     body=f"{_label(actor)} đã duyệt và chuyển tiếp.", url=outgoing_url(document))
    else:
        if not may_be_signer(signer, document):
            raise DomainError("invalid_signer", "Người ký phải là lãnh đạo của cơ quan ban hành.")
        signer_official = official_of(signer)
        document.status, document.current_reviewer, document.signer = OutgoingStatus.APPROVED, None, signer
        document.signer_name = (signer.full_name or signer.get_username())[:50]
        document.signer_position = (signer_official.position.name if signer_official.position else "Lãnh đạo")[:100]
        document.save(update_fields=["status", "current_reviewer", "signer", "signer_name", "signer_position",
                                     "updated_at"])
        _event(document, "approved", actor, note=(note or "").strip(),
               data={"signer": signer.pk, "signer_label": _label(signer)})
        notify_users([signer], title=f"Văn bản chờ bạn ký: {document.summary[:150]}",
                     body=f"{_label(actor)} đã duyệt dự thảo.", url=outgoing_url(document))
    _audit(actor, "documents.outgoing_approve", document, before)
    return document


@transaction.atomic
def outgoing_return(*, actor, document: OutgoingDocument, comment: str) -> OutgoingDocument:
    """The current reviewer (or the signer before signing) returns the draft to the drafter with a comment."""
    document = _locked(document)
    allowed = can_review_outgoing(actor, document) or (
        document.status == OutgoingStatus.APPROVED and document.signer_id == actor.pk)
    require(allowed, "Bạn không phải người đang duyệt hoặc ký văn bản này.")
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("comment_required", "Vui lòng ghi ý kiến (nội dung cần sửa) khi trả lại dự thảo.")
    before = snapshot(document, AUDIT_FIELDS)
    document.status, document.current_reviewer = OutgoingStatus.RETURNED, None
    document.save(update_fields=["status", "current_reviewer", "updated_at"])
    _event(document, "returned", actor, note=comment[:2000])
    _audit(actor, "documents.outgoing_return", document, before)
    notify_users([document.drafted_by], title=f"Dự thảo bị trả lại: {document.summary[:150]}", body=comment,
                 url=outgoing_url(document))
    return document


# --- signing --------------------------------------------------------------------------------------------
def outgoing_sign(*, actor, document: OutgoingDocument, reason: str = "") -> DocumentFile:
    """The signer signs the latest draft version, which must be a PDF; the signed PDF is kept (kind SIGNED)."""
    try:
        with transaction.atomic():
            record = _sign(actor=actor, document=document, reason=reason)
    except BaseException:
        _files_cleanup(failed=True)
        raise
    _files_cleanup(failed=False)
    return record


def _sign(*, actor, document, reason) -> DocumentFile:
    from egov.documents.services import signatures

    document = _locked(document)
    require(can_sign_outgoing(actor, document), "Chỉ người ký được chọn (lãnh đạo) mới ký được văn bản đã duyệt.")
    draft = latest_draft(document)
    if draft is None or draft.content_type != MIME_PDF:
        raise DomainError("no_pdf_to_sign", "Phiên bản dự thảo mới nhất không phải tệp PDF: người soạn thảo cần "
                                            "tải lên bản PDF trước khi ký.")
    signed = signatures.person_sign_pdf(user=actor, pdf=file_bytes(draft),
                                        reason=(reason or "").strip() or f"Ký ban hành: {document.summary[:80]}")
    before = snapshot(document, AUDIT_FIELDS)
    record = DocumentFile(agency_id=document.agency_id, outgoing=document, kind=FileKind.SIGNED, version=1,
                          original_name=f"van-ban-da-ky-v{draft.version}.pdf", content_type=MIME_PDF,
                          uploaded_by=actor, note=f"Ký từ dự thảo phiên bản {draft.version}")
    _store_bytes(record, signed, record.original_name)
    document.status, document.signed_at = OutgoingStatus.SIGNED, timezone.now()
    document.save(update_fields=["status", "signed_at", "updated_at"])
    _event(document, "signed", actor, data={"version": draft.version}, file=record)
    _audit(actor, "documents.outgoing_sign", document, before, file=str(record.uuid), sha256=record.sha256)
    notify_users(agency_people(document.agency_id, Role.CLERK), title=f"Văn bản chờ phát hành: "
                 f"{document.summary[:150]}", body=f"{_label(actor)} đã ký số.", url=outgoing_url(document))
    return record


# --- issue ----------------------------------------------------------------------------------------------
def issue_register_for(document: OutgoingDocument, register: DocumentRegister | None = None) -> DocumentRegister:
    """The outgoing register the number comes from (Art. 15: secret documents and each legal normative type
    have their own series). A document with a secrecy mark takes the secret register. Otherwise the clerk may
    choose the legal normative register of the document's type (the document is then a VBQPPL, numbered with
    the year: ``15/2026/QĐ-UBND``) or a regular register; by default the regular register of the document's
    type, else the agency's general regular register."""
    doc_type = document.document_type
    registers = DocumentRegister.objects.filter(agency_id=document.agency_id, direction=Direction.OUTGOING,
                                                is_active=True)
    if document.secrecy > Secrecy.NONE:
        allowed = registers.filter(kind=RegisterKind.SECRET)
        wanted = "sổ văn bản mật"
    else:
        legal = registers.filter(kind=RegisterKind.LEGAL, document_type=doc_type) if (
            doc_type is not None and doc_type.is_legal_normative) else registers.none()
        allowed = registers.filter(kind=RegisterKind.REGULAR) | legal
        wanted = "sổ văn bản đi thường hoặc sổ văn bản QPPL đúng loại"
    if register is not None:
        if not allowed.filter(pk=register.pk).exists():
            raise DomainError("invalid_register", f"Sổ “{register.name}” không dùng được cho văn bản này "
                                                  f"(cần {wanted}).")
        return register
    default = allowed.exclude(kind=RegisterKind.LEGAL)
    chosen = (default.filter(document_type=doc_type).first() if doc_type else None) or default.filter(
        document_type__isnull=True).first() or default.first()
    if chosen is None:
        raise DomainError("register_missing", f"Cơ quan chưa có {wanted.split(' hoặc ')[0]} đang dùng; quản trị "
                                              f"cơ quan cần mở sổ trước khi phát hành.")
    return chosen


def issue_registers_for(document: OutgoingDocument) -> list[DocumentRegister]:
    """The registers the clerk may choose from (for the issue form)."""
    doc_type = document.document_type
    registers = DocumentRegister.objects.filter(agency_id=document.agency_id, direction=Direction.OUTGOING,
                                                is_active=True)
    if document.secrecy > Secrecy.NONE:
        return list(registers.filter(kind=RegisterKind.SECRET))
    legal = registers.filter(kind=RegisterKind.LEGAL, document_type=doc_type) if (
        doc_type is not None and doc_type.is_legal_normative) else registers.none()
    return list(registers.filter(kind=RegisterKind.REGULAR) | legal)


def number_notation_for(document: OutgoingDocument, register: DocumentRegister, value: int,
                        year: int) -> tuple[str, str, str]:
    """(number, notation, number + notation) per NĐ 30/2020 Art. 15 and Phụ lục III (SPEC §3.2)."""
    number = register.format_number(value)
    agency_abbr = document.agency.abbreviation
    doc_type = document.document_type
    abbr = doc_type.abbreviation if doc_type else ""
    if not abbr:  # Công văn: <agency>-<drafting unit>
        unit_abbr = document.drafting_unit.code if document.drafting_unit else ""
        notation = f"{agency_abbr}-{unit_abbr}" if unit_abbr else agency_abbr
        return number, notation, f"{number}/{notation}"
    notation = f"{abbr}-{agency_abbr}"
    if register.kind == RegisterKind.LEGAL:
        return number, notation, f"{number}/{year}/{notation}"
    return number, notation, f"{number}/{notation}"


def outgoing_issue(*, actor, document: OutgoingDocument, register: DocumentRegister | None = None
                   ) -> OutgoingDocument:
    """The clerk issues a signed document: number, date, agency signature, deliveries; all or nothing."""
    try:
        with transaction.atomic():
            issued = _issue(actor=actor, document=document, register=register)
    except BaseException:
        _files_cleanup(failed=True)
        raise
    _files_cleanup(failed=False)
    return issued


def _issue(*, actor, document, register) -> OutgoingDocument:
    from egov.documents.services import delivery, signatures

    document = _locked(document)
    official = official_of(actor)
    clerk = official is not None and official.agency_id == document.agency_id and actor.role == Role.CLERK
    require(clerk, "Chỉ văn thư của cơ quan ban hành mới phát hành được văn bản.")
    if not can_issue_outgoing(actor, document):
        raise _status_error(document, "phát hành")
    signed = document.files.filter(kind=FileKind.SIGNED).order_by("-created_at").first()
    if signed is None:
        raise DomainError("signed_file_missing", "Văn bản chưa có bản đã ký số của người có thẩm quyền.")
    if document.replaces_id and document.replaces.status != OutgoingStatus.ISSUED:
        raise DomainError("invalid_replaces", "Văn bản được thay thế không còn ở trạng thái đã phát hành.")
    register = issue_register_for(document, register)
    issued_at = timezone.now()
    year = timezone.localdate(issued_at).year
    value = register_number_next(register=register, year=year)
    number, notation, full = number_notation_for(document, register, value, year)
    pdf = signatures.agency_sign_pdf(agency=document.agency, pdf=file_bytes(signed), number_notation=full,
                                     issued_at=issued_at, actor=actor)
    before = snapshot(document, AUDIT_FIELDS)
    record = DocumentFile(agency_id=document.agency_id, outgoing=document, kind=FileKind.MAIN, version=1,
                          original_name=f"{full.replace('/', '_')}.pdf", content_type=MIME_PDF, uploaded_by=actor,
                          note="Bản phát hành (chữ ký số của người ký và của cơ quan)")
    _store_bytes(record, pdf, record.original_name)
    document.register, document.number_year, document.number_value = register, year, value
    document.number, document.notation, document.number_notation = number, notation, full
    document.issued_at, document.issued_date, document.issued_by = issued_at, timezone.localdate(issued_at), actor
    document.agency_signed_at, document.agency_signed_by = issued_at, actor
    document.status = OutgoingStatus.ISSUED
    document.save()
    _event(document, "issued", actor, data={"number_notation": full, "register": str(register.uuid)}, file=record)
    _audit(actor, "documents.outgoing_issue", document, before, register=str(register.uuid), number=value)
    delivery.deliveries_create(document=document, actor=actor, main_file=record)
    if document.replaces_id:
        delivery.outgoing_mark_replaced(document=document, actor=actor)
    return document
