"""Reception of dossiers (tiếp nhận, NĐ 61/2018 Art. 17; SPEC §1.2, §1.9, §1.10).

At the counter the officer checks the papers against the procedure's checklist, scans them, and either
accepts (dossier code, due date, Form 01 receipt with a QR code), asks for more (Form 02, no code: a code is
given only to accepted dossiers) or refuses (Form 03 with the reason). Online submissions waiting in the
queue are accepted the same way, or sent back once with full guidance, or refused.

Every outcome is one transaction: the dossier, its scans, its steps, its events and its form either all
exist or none does (stored files are removed again if the transaction fails). Status changes go through
``workflow.dossier_transition``; every deadline comes from the workdays service.
"""

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from egov.accounts.roles import Role
from egov.core.errors import DomainError, NotFound, PermissionDeniedError
from egov.directory.models import Agency, Official
from egov.onestop import catalogue
from egov.onestop.codes import dossier_code_next, is_dossier_code, register_number_next
from egov.onestop.files import (
    CheckedFile,
    atomic_with_files,
    checked_from_bytes,
    dossier_file_store,
    upload_check,
)
from egov.onestop.forms_pdf import form_template, format_moment, lookup_url, render_form_pdf
from egov.onestop.models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierStep,
    EventKind,
    FileRole,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredPaper,
)
from egov.onestop.policies import can_receive, dossiers_visible_to
from egov.onestop.processing import step_agency, step_deadline, step_unit
from egov.onestop.status import DossierStatus
from egov.onestop.workflow import dossier_event_append, dossier_lock, dossier_transition, timing_of
from egov.workdays.services import add_working_time, effective_receipt

UNIT_LABEL = "Bộ phận Tiếp nhận và Trả kết quả"
RESULT_DELIVERY = dict(Dossier._meta.get_field("result_delivery").choices)
MAX_COPIES = 50
MAX_TEXT = 4000
WAITING = (DossierStatus.SUBMITTED, DossierStatus.RECEPTION_SUPPLEMENT)

_PERSON_ID_RE = re.compile(r"^(\d{9}|\d{12})$")           # CMND (9) or CCCD / personal ID (12)
_BUSINESS_ID_RE = re.compile(r"^\d{10}(-\d{3})?$")        # enterprise tax code, branch suffix -001
_PHONE_RE = re.compile(r"^\+?\d{8,15}$")


# --- input -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Applicant:
    """The person or business a dossier is for (người nộp / tổ chức)."""

    name: str
    kind: str = ApplicantKind.PERSON
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


def applicant_clean(applicant: Applicant) -> Applicant:
    """Trim and check the applicant's details; one message lists every problem."""
    errors: list[str] = []
    name = " ".join(str(applicant.name or "").split())
    kind = str(applicant.kind or ApplicantKind.PERSON)
    id_number = re.sub(r"\s+", "", str(applicant.id_number or ""))
    address = " ".join(str(applicant.address or "").split())
    phone = re.sub(r"[\s.\-()]", "", str(applicant.phone or ""))
    email = str(applicant.email or "").strip()
    if kind not in ApplicantKind.values:
        errors.append("loại người nộp phải là cá nhân hoặc tổ chức, doanh nghiệp")
    if not name:
        errors.append("chưa nhập họ tên người nộp (hoặc tên tổ chức)")
    elif len(name) > 255:
        errors.append("họ tên / tên tổ chức dài quá 255 ký tự")
    if id_number:
        if kind == ApplicantKind.BUSINESS and not _BUSINESS_ID_RE.fullmatch(id_number):
            errors.append(f"mã số doanh nghiệp “{id_number}” phải gồm 10 chữ số (chi nhánh: thêm -001)")
        elif kind == ApplicantKind.PERSON and not _PERSON_ID_RE.fullmatch(id_number):
            errors.append(f"số định danh cá nhân “{id_number}” phải gồm 12 chữ số (hoặc CMND 9 chữ số)")
    if len(address) > 500:
        errors.append("địa chỉ dài quá 500 ký tự")
    if phone and not _PHONE_RE.fullmatch(phone):
        errors.append(f"số điện thoại “{applicant.phone}” không hợp lệ")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"thư điện tử “{email}” không hợp lệ")
    if errors:
        raise DomainError("invalid_applicant", "Thông tin người nộp chưa đúng: " + "; ".join(errors) + ".",
                          details=errors)
    return Applicant(name=name, kind=kind, id_number=id_number, address=address, phone=phone, email=email)


def _text(value, *, code: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise DomainError(code, message)
    if len(text) > MAX_TEXT:
        raise DomainError("text_too_long", f"Nội dung dài quá {MAX_TEXT} ký tự.")
    return text


def _items(items) -> list[str]:
    if isinstance(items, str):
        items = items.splitlines()
    cleaned: list[str] = []
    for item in items or ():
        text = " ".join(str(item).split())[:500]
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > 50:
        raise DomainError("too_many_items", "Danh sách nội dung cần bổ sung tối đa 50 mục.")
    return cleaned


def _copies(copies) -> int:
    try:
        value = int(copies)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_COPIES:
        raise DomainError("invalid_copies", f"Số bộ hồ sơ phải từ 1 đến {MAX_COPIES}.")
    return value


def _delivery(value: str) -> str:
    value = str(value or "counter")
    if value not in RESULT_DELIVERY:
        raise DomainError("invalid_result_delivery",
                          "Nơi nhận kết quả phải là tại Bộ phận Một cửa, qua bưu chính hoặc trực tuyến.")
    return value


def form_data_clean(version: ProcedureVersion, data) -> dict:
    """The declaration's fields as typed at the counter: only fields of the procedure's form, as text.

    At the counter the signed declaration is a paper of the checklist, so fields are optional here."""
    if data in (None, ""):
        return {}
    if not isinstance(data, dict):
        raise DomainError("invalid_form_data", "Nội dung tờ khai phải là một đối tượng JSON (tên trường: giá trị).")
    fields = {f.get("name"): f for f in (version.form_schema or []) if isinstance(f, dict)}
    cleaned: dict[str, str] = {}
    for key, value in data.items():
        if key not in fields:
            raise DomainError("unknown_form_field", f"Tờ khai của thủ tục này không có trường “{str(key)[:50]}”.")
        label = fields[key].get("label", key)
        if value is None or isinstance(value, dict | list):
            raise DomainError("invalid_form_data", f"Giá trị của trường “{label}” không hợp lệ.")
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise DomainError("text_too_long", f"Trường “{label}” dài quá {MAX_TEXT} ký tự.")
        choices = fields[key].get("choices") or []
        if text and choices and text not in [str(c) for c in choices]:
            raise DomainError("invalid_form_data", f"Giá trị “{text[:50]}” không có trong danh sách chọn của trường "
                              f"“{label}”.")
        if text:
            cleaned[key] = text
    return cleaned


# --- catalogue -------------------------------------------------------------------------------------
def procedure_for_reception(procedure_code: str, *, on: dt.date) -> tuple[Procedure, ProcedureVersion]:
    """The procedure and the version in force on the receipt day; a dossier keeps that version for life."""
    code = str(procedure_code or "").strip()
    if not code:
        raise DomainError("procedure_required", "Chưa chọn thủ tục hành chính.")
    procedure = Procedure.objects.select_related("field").filter(code=code[:30]).first()
    if procedure is None or not procedure.is_active:
        raise DomainError("unknown_procedure",
                          f"Không tìm thấy thủ tục hành chính mã “{code[:40]}” đang áp dụng.", status=400)
    version = catalogue.procedure_current_version(procedure, at=on)
    if version is None:
        raise DomainError("procedure_not_in_force",
                          f"Thủ tục “{procedure.name}” chưa có quy định có hiệu lực vào ngày {on:%d/%m/%Y}.")
    return procedure, version


def papers_of(version: ProcedureVersion) -> list[RequiredPaper]:
    return list(RequiredPaper.objects.filter(version=version).order_by("order", "pk"))


def _paper_key(value) -> uuid.UUID | None:
    if isinstance(value, RequiredPaper):
        return value.uuid
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def papers_check(version: ProcedureVersion, papers: Iterable,
                 checklist: list[RequiredPaper] | None = None) -> list[tuple[RequiredPaper, CheckedFile]]:
    """Match each ``(required paper uuid, file)`` to the version's checklist and check each file's content.
    ``checklist``: the version's papers when the caller has read them already (``papers_of``)."""
    by_uuid = {p.uuid: p for p in (papers_of(version) if checklist is None else checklist)}
    checked: list[tuple[RequiredPaper, CheckedFile]] = []
    for key, upload in papers or ():
        paper = by_uuid.get(_paper_key(key))
        if paper is None:
            raise DomainError("unknown_paper",
                              f"Giấy tờ “{str(key)[:40]}” không thuộc thành phần hồ sơ của thủ tục này.")
        if paper.kind != RequiredPaper.KIND_SUBMIT:
            raise DomainError("paper_not_submitted",
                              f"“{paper.name}” là giấy tờ xuất trình để đối chiếu, không nộp tệp.")
        checked.append((paper, upload_check(upload)))
    return checked


def missing_papers(version: ProcedureVersion, present: Iterable[int],
                   checklist: list[RequiredPaper] | None = None) -> list[RequiredPaper]:
    """Mandatory papers to submit (kind "nop") with no file among ``present`` (required paper ids)."""
    have = set(present)
    return [p for p in (papers_of(version) if checklist is None else checklist)
            if p.mandatory and p.kind == RequiredPaper.KIND_SUBMIT and p.pk not in have]


def _missing_error(missing: list[RequiredPaper]) -> DomainError:
    names = "; ".join(f"“{p.name}”" for p in missing)
    return DomainError(
        "missing_papers", f"Hồ sơ còn thiếu giấy tờ bắt buộc: {names}.",
        details=[{"required_paper": str(p.uuid), "name": p.name} for p in missing],
    )


# --- who may receive -------------------------------------------------------------------------------
def _official(user) -> Official | None:
    return Official.objects.select_related("agency", "unit").filter(user_id=user.pk, is_active=True).first()


def receiving_agency_of(user) -> Agency | None:
    """The agency at whose counter ``user`` works (one-stop officers only)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != Role.ONESTOP_OFFICER:
        return None
    official = _official(user)
    return official.agency if official else None


def _require_receiver(actor, agency: Agency) -> None:
    if not getattr(actor, "is_authenticated", False) or not hasattr(actor, "role"):
        raise PermissionDeniedError("Tiếp nhận hồ sơ cần tài khoản cán bộ một cửa đã đăng nhập.")
    if not can_receive(actor, agency):
        raise PermissionDeniedError(f"Chỉ cán bộ một cửa của {agency.name} được tiếp nhận hồ sơ tại cơ quan này.")


def _moment(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return timezone.now()
    if timezone.is_naive(value):
        raise DomainError("naive_datetime", "Thời điểm tiếp nhận phải có múi giờ.")
    return value


# --- deadlines and work items ----------------------------------------------------------------------
def dossier_due(version: ProcedureVersion, received_at: dt.datetime, agency: Agency) -> dt.datetime:
    """Due moment from the receipt: the version's working days (or hours) with the 15:00 cut-off."""
    if version.processing_hours:
        return add_working_time(received_at, hours=version.processing_hours, agency=agency)
    if version.processing_days is None:
        raise DomainError(
            "procedure_without_deadline",
            f"Thủ tục “{version.procedure.name}” chưa quy định thời hạn giải quyết; đề nghị cập nhật danh mục "
            "thủ tục trước khi tiếp nhận.", status=409,
        )
    days = Decimal(version.processing_days)
    if version.count_receipt_day and days >= 1:
        days -= 1  # the (effective) receipt day is itself the first of the N days
    return add_working_time(received_at, days=days, agency=agency)


def _is_reception_step(process_step: ProcessStep) -> bool:
    return process_step.role == Role.ONESTOP_OFFICER and not process_step.agency_code


def _steps_create(dossier: Dossier, *, actor, at: dt.datetime) -> tuple[DossierStep, DossierStep]:
    """Step 1: the reception, done now by the officer. Step 2: the first processing step, started now with
    its own deadline (forwarded the same day, or next morning after the 15:00 cut-off)."""
    catalogue_steps = list(ProcessStep.objects.filter(version=dossier.procedure_version, is_consultation=False)
                           .order_by("order"))
    reception_ps = catalogue_steps[0] if catalogue_steps and _is_reception_step(catalogue_steps[0]) else None
    following = catalogue_steps[1:] if reception_ps else catalogue_steps
    agency = dossier.receiving_agency
    official = _official(actor)
    reception_deadline = (step_deadline(start=at, days=reception_ps.allotted_days, hours=reception_ps.allotted_hours,
                                        agency=agency) if reception_ps else None)
    reception = DossierStep.objects.create(
        dossier=dossier, order=1, process_step=reception_ps,
        name=(reception_ps.name if reception_ps else "Tiếp nhận hồ sơ")[:255], agency=agency,
        unit=official.unit if official and official.agency_id == agency.pk else None, handler=actor,
        started_at=at, deadline_at=reception_deadline, finished_at=at, finished_by=actor, outcome="received",
        timing=timing_of(at, reception_deadline),
    )
    if following:
        ps = following[0]
        step_agency_ = step_agency(ps, dossier)
        deadline = step_deadline(start=at, days=ps.allotted_days, hours=ps.allotted_hours, agency=step_agency_,
                                 apply_cutoff=True) or dossier.due_at
        nxt = DossierStep.objects.create(
            dossier=dossier, order=2, process_step=ps, name=ps.name[:255], agency=step_agency_,
            unit=step_unit(ps, step_agency_), started_at=at, deadline_at=deadline,
        )
    else:
        nxt = DossierStep.objects.create(dossier=dossier, order=2, name="Giải quyết hồ sơ", agency=agency,
                                         started_at=at, deadline_at=dossier.due_at)
    return reception, nxt


# --- forms -----------------------------------------------------------------------------------------
def _person_name(user) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "get_full_name", lambda: "")() or
            getattr(user, "username", "")) if user is not None else ""


def form_context(dossier: Dossier, *, officer=None, issued_at: dt.datetime | None = None) -> dict:
    """What every one-stop form prints about the dossier, its agency, applicant and officer."""
    agency = dossier.receiving_agency
    official = _official(officer) if getattr(officer, "is_authenticated", False) else None
    is_business = dossier.applicant_kind == ApplicantKind.BUSINESS
    context = {
        "dossier": dossier,
        "code": dossier.code or "",
        "agency_name": agency.name,
        "agency_parent": agency.parent.name if agency.parent_id else "",
        "unit_label": UNIT_LABEL,
        "applicant_name": dossier.applicant_name,
        "applicant_kind_label": ApplicantKind(dossier.applicant_kind).label,
        "applicant_id_label": "Mã số doanh nghiệp" if is_business else "Số định danh cá nhân",
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_address": dossier.applicant_address,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_signatory": "" if is_business else dossier.applicant_name,
        "procedure_name": dossier.procedure.name,
        "procedure_code": dossier.procedure.code,
        "submitted_at": dossier.submitted_at or dossier.received_at,
        "officer_name": _person_name(officer),
        "officer_phone": (official.phone if official else "") or getattr(officer, "phone", ""),
        "officer_email": (official.email if official else "") or getattr(officer, "email", ""),
        "issued_at": issued_at or timezone.now(),
    }
    if dossier.code:
        context["lookup_url"] = lookup_url(dossier.code)
    return context


def _paper_form(paper: RequiredPaper) -> str:
    if paper.originals and paper.copies:
        return f"Bản chính: {paper.originals}; bản sao: {paper.copies}"
    if paper.originals:
        return "Bản chính"
    if paper.copies:
        return "Bản sao"
    return "Bản chụp"


def _fees_text(version: ProcedureVersion, channel: str) -> str:
    mode = "truc_tuyen" if channel == Channel.ONLINE else ("buu_chinh" if channel == Channel.POST else "truc_tiep")
    fees = [f for f in (version.fees or []) if isinstance(f, dict)]
    chosen = [f for f in fees if f.get("mode") in (mode, None, "")] or fees
    return "; ".join(catalogue.fee_text(f) for f in chosen)


def received_paper_ids(dossier: Dossier) -> list[int]:
    """The checklist papers handed over so far (scans at the counter, online uploads, reception supplements)."""
    return sorted(set(DossierFile.objects.filter(dossier=dossier, role__in=(FileRole.PAPER, FileRole.SUPPLEMENT),
                                                 required_paper__isnull=False)
                      .values_list("required_paper_id", flat=True)))


def form01_context(dossier: Dossier, *, officer, paper_ids: Iterable[int] | None = None) -> dict:
    """What Form 01 prints, as at acceptance: ``paper_ids`` are the papers received then (default: now)."""
    version = dossier.procedure_version
    received = set(received_paper_ids(dossier) if paper_ids is None else paper_ids)
    papers = [{"name": p.name, "form": _paper_form(p), "count": max(1, p.originals + p.copies)}
              for p in papers_of(version) if p.pk in received]
    delivery = RESULT_DELIVERY.get(dossier.result_delivery, "")
    if dossier.result_delivery == "counter":
        delivery = f"{UNIT_LABEL} – {dossier.receiving_agency.name}"
    local = timezone.localtime(dossier.received_at)
    return {
        **form_context(dossier, officer=officer, issued_at=dossier.received_at),
        "papers": papers,
        "copies": dossier.copies,
        "processing_time": catalogue.duration_text(version.processing_days, version.processing_hours),
        "received_at": dossier.received_at,
        "due_at": dossier.original_due_at or dossier.due_at,  # the date promised at reception
        "result_delivery_label": delivery,
        "fee_text": _fees_text(version, dossier.channel),
        "register_book": local.year,
        "register_number": dossier.register_number,
    }


def dossier_form_store(*, dossier: Dossier, form_code: str, context: dict, actor=None,
                       on: dt.date | None = None) -> DossierFile:
    """Render a form to PDF and keep it with the dossier (role "form"): the issued paper, as printed."""
    pdf = render_form_pdf(form_code, context, on=on)
    ref = dossier.code or str(dossier.uuid)
    checked = checked_from_bytes(pdf, name=f"mau-{form_code}-{ref}.pdf", mime="application/pdf")
    return dossier_file_store(dossier=dossier, checked=checked, role=FileRole.FORM, actor=actor,
                              title=form_title(form_code, dossier, on=on), form_code=form_code)


def form_title(form_code: str, dossier: Dossier, *, on: dt.date | None = None) -> str:
    """“Mẫu số 01 – …” in the version of the form in force on ``on`` (default: the day of acceptance, or today)."""
    if on is None:
        on = timezone.localtime(dossier.received_at).date() if dossier.received_at else timezone.localdate()
    form = form_template(form_code, on=on)
    return f"Mẫu số {form.number} – {form.title}"


# --- the services ----------------------------------------------------------------------------------
def _dossier_create(*, actor, agency: Agency, procedure: Procedure, version: ProcedureVersion, applicant: Applicant,
                    form_data: dict, copies: int, result_delivery: str, at: dt.datetime,
                    papers: list[tuple[RequiredPaper, CheckedFile]]) -> Dossier:
    """The dossier as handed over at the counter (status "submitted", no code yet) with its scans."""
    dossier = Dossier.objects.create(
        procedure_version=version, procedure=procedure, receiving_agency=agency, current_agency=agency,
        status=DossierStatus.SUBMITTED, channel=Channel.COUNTER, applicant_kind=applicant.kind,
        applicant_name=applicant.name, applicant_id_number=applicant.id_number,
        applicant_address=applicant.address, applicant_phone=applicant.phone, applicant_email=applicant.email,
        form_data=form_data, copies=copies, result_delivery=result_delivery, submitted_at=at,
    )
    dossier_event_append(dossier=dossier, kind=EventKind.SUBMIT, actor=actor, to_status=DossierStatus.SUBMITTED,
                         at=at, note="Nộp hồ sơ trực tiếp tại Bộ phận Một cửa")
    for paper, checked in papers:
        dossier_file_store(dossier=dossier, checked=checked, role=FileRole.PAPER, actor=actor, required_paper=paper,
                           title=paper.name)
    return dossier


def _accept(dossier: Dossier, *, actor, at: dt.datetime, note: str = "", data: dict | None = None,
            paper_ids: Iterable[int] | None = None) -> Dossier:
    """Give the code, the due date, the register number and the work items; move to RECEIVED; print Form 01.

    The new fields are written by the transition's save (one UPDATE of the row); ``paper_ids``: the checklist
    papers received, when the caller knows them (default: read from the dossier's files)."""
    agency = dossier.receiving_agency
    version = dossier.procedure_version
    due = dossier_due(version, at, agency)
    dossier.code = dossier_code_next(agency=agency, received_at=at)
    dossier.register_number = register_number_next(agency=agency, year=timezone.localtime(at).year)
    dossier.received_at = at
    dossier.received_by = actor
    dossier.clock_start_at = effective_receipt(at, agency=agency)
    dossier.original_due_at = due
    dossier.due_at = due
    reception, nxt = _steps_create(dossier, actor=actor, at=at)
    dossier.current_step = nxt
    dossier.current_agency = nxt.agency
    dossier.current_handler = None
    dossier_transition(
        dossier=dossier, to=DossierStatus.RECEIVED, kind=EventKind.RECEIVE, actor=actor, step=reception,
        deadline_at=due, at=at, note=note or f"Tiếp nhận hồ sơ, hẹn trả kết quả {format_moment(due)}",
        data={"code": dossier.code, "register_number": dossier.register_number, "due_at": due.isoformat(),
              "next_step": nxt.name, "next_agency": nxt.agency.code, "form": "01", **(data or {})},
    )
    form01_schedule(dossier, paper_ids=paper_ids)
    return dossier


def form01_schedule(dossier: Dossier, paper_ids: Iterable[int] | None = None) -> None:
    """Form 01 is rendered off the request path: WeasyPrint takes most of a second per slip, nine tenths of a
    reception. The task is queued with the acceptance (same transaction on the database queue) and carries the
    papers received, so the slip prints the dossier as accepted; a print before the worker got to it renders it
    on the spot (``dossier_form_file``)."""
    from egov.core.tasks import task_enqueue_with_transaction
    from egov.onestop.tasks import dossier_form01_task

    paper_ids = received_paper_ids(dossier) if paper_ids is None else sorted(set(paper_ids))
    task_enqueue_with_transaction(dossier_form01_task, dossier_id=dossier.pk, paper_ids=paper_ids)


@atomic_with_files
def form01_ensure(*, dossier_id: int, paper_ids: Iterable[int] | None = None) -> tuple[DossierFile, bool]:
    """The accepted dossier's Form 01, rendered and stored the first time it is needed and never twice (the
    dossier row is locked): by the task, or by the first print. Returns the file and whether it was made now."""
    dossier = (Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version", "procedure",
                                                                                "receiving_agency", "received_by")
               .get(pk=dossier_id))
    existing = (DossierFile.objects.filter(dossier=dossier, role=FileRole.FORM, form_code="01")
                .order_by("created_at", "pk").first())
    if existing is not None:
        return existing, False
    if dossier.received_at is None:
        raise NotFound("Hồ sơ chưa được tiếp nhận nên chưa có Giấy tiếp nhận (Mẫu số 01).", code="form_not_found")
    officer = dossier.received_by
    record = dossier_form_store(dossier=dossier, form_code="01", actor=officer,
                                context=form01_context(dossier, officer=officer, paper_ids=paper_ids),
                                on=timezone.localtime(dossier.received_at).date())
    return record, True


def issued_form_codes(dossier: Dossier) -> list[str]:
    """Codes of the forms the dossier has issued: those stored, and Form 01 from acceptance on (it may still be
    waiting for the worker; printing it renders it)."""
    codes = set(DossierFile.objects.filter(dossier=dossier, role=FileRole.FORM).values_list("form_code", flat=True))
    if dossier.received_at is not None:
        codes.add("01")
    return sorted(codes)


@atomic_with_files
def dossier_receive_at_counter(*, actor, agency: Agency, procedure_code: str, applicant: Applicant,
                               papers: Iterable = (), shown_papers: Iterable = (), form_data: dict | None = None,
                               copies: int = 1, result_delivery: str = "counter",
                               received_at: dt.datetime | None = None) -> Dossier:
    """Accept a complete dossier at the counter: code, due date, steps, register number and Form 01.

    ``papers``: ``(required paper uuid, uploaded file)`` pairs, several files per paper allowed;
    ``shown_papers``: uuids of papers whose originals were shown for comparison (recorded, not stored)."""
    _require_receiver(actor, agency)
    at = _moment(received_at)
    procedure, version = procedure_for_reception(procedure_code, on=timezone.localtime(at).date())
    applicant = applicant_clean(applicant)
    cleaned_form = form_data_clean(version, form_data)
    copies, delivery = _copies(copies), _delivery(result_delivery)
    checklist = papers_of(version)
    checked = papers_check(version, papers, checklist=checklist)
    missing = missing_papers(version, (paper.pk for paper, _ in checked), checklist=checklist)
    if missing:
        raise _missing_error(missing)
    shown = [str(k) for k in {_paper_key(k) for k in shown_papers or ()} if k is not None]
    dossier = _dossier_create(actor=actor, agency=agency, procedure=procedure, version=version, applicant=applicant,
                              form_data=cleaned_form, copies=copies, result_delivery=delivery, at=at, papers=checked)
    return _accept(dossier, actor=actor, at=at, data={"shown_papers": shown},
                   paper_ids=[paper.pk for paper, _ in checked])


@atomic_with_files
def dossier_request_supplement_at_reception(*, actor, agency: Agency, procedure_code: str, applicant: Applicant,
                                            reason: str, items=(), papers: Iterable = (),
                                            form_data: dict | None = None, copies: int = 1,
                                            result_delivery: str = "counter",
                                            received_at: dt.datetime | None = None) -> Dossier:
    """Incomplete at the counter: keep what was brought (status "reception_supplement", no code) and issue
    Form 02 listing what to add; the applicant comes back and the officer accepts with ``dossier_accept``.

    When the officer lists nothing, the missing mandatory papers are the list."""
    _require_receiver(actor, agency)
    at = _moment(received_at)
    procedure, version = procedure_for_reception(procedure_code, on=timezone.localtime(at).date())
    applicant = applicant_clean(applicant)
    reason = _text(reason, code="reason_required", message="Cần ghi rõ lý do yêu cầu bổ sung, hoàn thiện hồ sơ.")
    cleaned_form = form_data_clean(version, form_data)
    copies, delivery = _copies(copies), _delivery(result_delivery)
    checklist = papers_of(version)
    checked = papers_check(version, papers, checklist=checklist)
    listed = _items(items) or [f"Bổ sung: {p.name}"
                               for p in missing_papers(version, (p.pk for p, _ in checked), checklist=checklist)]
    if not listed:
        raise DomainError("items_required", "Cần nêu cụ thể giấy tờ, nội dung cần bổ sung, hoàn thiện.")
    dossier = _dossier_create(actor=actor, agency=agency, procedure=procedure, version=version, applicant=applicant,
                              form_data=cleaned_form, copies=copies, result_delivery=delivery, at=at, papers=checked)
    return _request_supplement(dossier, actor=actor, at=at, items=listed, reason=reason)


def _request_supplement(dossier: Dossier, *, actor, at: dt.datetime, items: list[str], reason: str) -> Dossier:
    context = {**form_context(dossier, officer=actor, issued_at=at), "items": items, "reason": reason}
    official = _official(actor)
    dossier_transition(
        dossier=dossier, to=DossierStatus.RECEPTION_SUPPLEMENT, kind=EventKind.REQUEST_SUPPLEMENT, actor=actor,
        note=reason, at=at,
        data={"items": items, "reason": reason, "form": "02", "officer": _person_name(actor),
              "officer_phone": context["officer_phone"], "officer_email": context["officer_email"],
              "agency": official.agency.name if official else dossier.receiving_agency.name},
    )
    dossier_form_store(dossier=dossier, form_code="02", context=context, actor=actor, on=timezone.localtime(at).date())
    return dossier


@atomic_with_files
def dossier_refuse_at_reception(*, actor, agency: Agency, procedure_code: str, applicant: Applicant, reason: str,
                                papers: Iterable = (), form_data: dict | None = None,
                                received_at: dt.datetime | None = None) -> Dossier:
    """Refused at the counter (outside competence, not eligible): recorded with Form 03 and the reason."""
    _require_receiver(actor, agency)
    at = _moment(received_at)
    procedure, version = procedure_for_reception(procedure_code, on=timezone.localtime(at).date())
    applicant = applicant_clean(applicant)
    reason = _text(reason, code="reason_required", message="Cần ghi rõ lý do từ chối tiếp nhận hồ sơ.")
    cleaned_form = form_data_clean(version, form_data)
    checked = papers_check(version, papers)
    dossier = _dossier_create(actor=actor, agency=agency, procedure=procedure, version=version, applicant=applicant,
                              form_data=cleaned_form, copies=1, result_delivery="counter", at=at, papers=checked)
    return _refuse(dossier, actor=actor, at=at, reason=reason)


def _refuse(dossier: Dossier, *, actor, at: dt.datetime, reason: str) -> Dossier:
    dossier_transition(dossier=dossier, to=DossierStatus.REFUSED, kind=EventKind.REFUSE, actor=actor, note=reason,
                       at=at, data={"reason": reason, "form": "03"})
    dossier_form_store(dossier=dossier, form_code="03",
                       context={**form_context(dossier, officer=actor, issued_at=at), "reason": reason},
                       actor=actor, on=timezone.localtime(at).date())
    return dossier


def _waiting(dossier: Dossier, actor) -> Dossier:
    dossier = dossier_lock(dossier)
    _require_receiver(actor, dossier.receiving_agency)
    if dossier.status not in WAITING:
        raise DomainError(
            "not_waiting_for_reception",
            f"Hồ sơ đang ở trạng thái “{DossierStatus(dossier.status).label}”, không còn chờ tiếp nhận.", status=409,
        )
    return dossier


@atomic_with_files
def dossier_accept(*, actor, dossier: Dossier, papers: Iterable = (),
                   received_at: dt.datetime | None = None) -> Dossier:
    """Accept a dossier waiting for reception: submitted online, or brought back after a supplement request
    (at the counter the officer adds the scans of what was brought). Same outcome as counter acceptance."""
    at = _moment(received_at)
    dossier = _waiting(dossier, actor)
    checklist = papers_of(dossier.procedure_version)
    checked = papers_check(dossier.procedure_version, papers, checklist=checklist)
    role = FileRole.SUPPLEMENT if dossier.status == DossierStatus.RECEPTION_SUPPLEMENT else FileRole.PAPER
    for paper, item in checked:
        dossier_file_store(dossier=dossier, checked=item, role=role, actor=actor, required_paper=paper,
                           title=paper.name)
    present = DossierFile.objects.filter(dossier=dossier, role__in=(FileRole.PAPER, FileRole.SUPPLEMENT),
                                         required_paper__isnull=False).values_list("required_paper_id", flat=True)
    missing = missing_papers(dossier.procedure_version, present, checklist=checklist)
    if missing:
        raise _missing_error(missing)
    return _accept(dossier, actor=actor, at=at)


@atomic_with_files
def dossier_request_supplement_online(*, actor, dossier: Dossier, reason: str, items=(),
                                      at: dt.datetime | None = None) -> Dossier:
    """An online submission is incomplete: tell the applicant once, with full and specific guidance (Art. 17),
    through Form 02 and a public message on the dossier. A second request is refused: accept or refuse."""
    at = _moment(at)
    reason = _text(reason, code="reason_required", message="Cần ghi rõ lý do yêu cầu bổ sung, hoàn thiện hồ sơ.")
    listed = _items(items)
    if not listed:
        raise DomainError("items_required", "Cần nêu cụ thể giấy tờ, nội dung cần bổ sung, hoàn thiện.")
    dossier = _waiting(dossier, actor)
    if dossier.status != DossierStatus.SUBMITTED:
        raise DomainError("supplement_already_requested",
                          "Hồ sơ đang chờ người nộp bổ sung theo yêu cầu trước đó.", status=409)
    if DossierEvent.objects.filter(dossier=dossier, kind=EventKind.REQUEST_SUPPLEMENT,
                                   to_status=DossierStatus.RECEPTION_SUPPLEMENT).exists():
        raise DomainError(
            "supplement_once",
            "Hồ sơ trực tuyến chỉ được yêu cầu bổ sung một lần khi tiếp nhận, với hướng dẫn đầy đủ; "
            "hãy tiếp nhận hoặc từ chối hồ sơ.", status=409,
        )
    return _request_supplement(dossier, actor=actor, at=at, items=listed, reason=reason)


@atomic_with_files
def dossier_reject_online_submission(*, actor, dossier: Dossier, reason: str,
                                     at: dt.datetime | None = None) -> Dossier:
    """Refuse a dossier waiting for reception (not eligible, outside the agency's competence): Form 03."""
    at = _moment(at)
    reason = _text(reason, code="reason_required", message="Cần ghi rõ lý do từ chối tiếp nhận hồ sơ.")
    dossier = _waiting(dossier, actor)
    return _refuse(dossier, actor=actor, at=at, reason=reason)


# --- reads -----------------------------------------------------------------------------------------
def dossier_by_ref(*, user, ref: str) -> Dossier:
    """A dossier by its code or, before it has one, by its UUID, if ``user`` may see it; else 404."""
    text = str(ref or "").strip()
    qs = dossiers_visible_to(user, Dossier.objects.select_related(
        "procedure", "procedure_version", "receiving_agency", "current_agency"))
    dossier = None
    if is_dossier_code(text):
        dossier = qs.filter(code=text.upper()).first()
    else:
        try:
            dossier = qs.filter(uuid=uuid.UUID(text)).first()
        except ValueError:
            dossier = None
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ “{text[:50]}” hoặc bạn không có quyền xem.", code="dossier_not_found")
    return dossier


def dossier_form_file(*, dossier: Dossier, form_code: str) -> DossierFile:
    """The latest issued copy of form ``form_code`` of the dossier."""
    form_template(form_code)  # unknown form codes get their own message
    record = (DossierFile.objects.filter(dossier=dossier, role=FileRole.FORM, form_code=form_code)
              .order_by("-created_at", "-pk").first())
    if record is None and form_code == "01" and dossier.received_at is not None:
        record, _made = form01_ensure(dossier_id=dossier.pk)  # printed before the worker rendered it
    if record is None:
        raise NotFound(f"Hồ sơ chưa có phiếu Mẫu số {form_code}.", code="form_not_found")
    return record
