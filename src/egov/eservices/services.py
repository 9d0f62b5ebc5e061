"""Writes of the citizens' side: registration, online submission, supplements sent online.

An online dossier is created with status SUBMITTED (national code 1, "Mới đăng ký") and no code: it lands in
the receiving agency's reception queue, where a one-stop officer accepts it (the code and due date are given
then), asks for more or refuses (NĐ 61/2018 Art. 17). Everything a citizen sends is checked before anything
is written; uploads are checked by content with the one-stop file rules and removed again if the database
work fails, so a refused submission leaves nothing behind.
"""


from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.core.audit import audit_record
from egov.core.errors import DomainError
from egov.core.policies import require
from egov.eservices.forms import form_data_validate
from egov.eservices.models import CitizenProfile
from egov.eservices.policies import can_supplement, is_citizen
from egov.eservices.selectors import is_online, procedure_for_citizen, receiving_agencies
from egov.eservices.validators import normalize_cccd, normalize_phone, validate_cccd, validate_phone
from egov.onestop import files as onestop_files
from egov.onestop import reception
from egov.onestop.models import Channel, Dossier, EventKind, FileRole
from egov.onestop.processing import dossier_supplement_received
from egov.onestop.status import DossierStatus
from egov.onestop.workflow import dossier_event_append, dossier_lock, dossier_transition

CITIZEN_ONLY = "Chức năng này dành cho tài khoản công dân."


def _validation_message(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)


@transaction.atomic
def citizen_register(*, username: str, full_name: str, id_number: str, phone: str, password: str,
                     email: str = "", address: str = "") -> User:
    """A citizen account (role citizen) with its identity number; one account per CCCD."""
    username = (username or "").strip()
    full_name = " ".join((full_name or "").split())
    id_number = normalize_cccd(id_number)
    phone = normalize_phone(phone)
    email = (email or "").strip().lower()
    if not username or not full_name:
        raise DomainError("invalid_input", "Cần nhập tên đăng nhập và họ tên.")
    try:
        User.username_validator(username)
        validate_cccd(id_number)
        validate_phone(phone)
        password_validation.validate_password(password, User(username=username, full_name=full_name, email=email))
    except ValidationError as exc:
        raise DomainError("invalid_input", _validation_message(exc)) from None
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("username_taken", f"Tên đăng nhập “{username}” đã có người dùng.", status=409)
    if CitizenProfile.objects.filter(id_number=id_number).exists():
        raise DomainError("id_number_taken", "Số định danh cá nhân này đã được đăng ký tài khoản. "
                          "Nếu quên mật khẩu, vui lòng liên hệ Bộ phận Một cửa.", status=409)
    try:
        with transaction.atomic():
            user = User(username=username, full_name=full_name, phone=phone, email=email, role=Role.CITIZEN)
            user.set_password(password)
            user.save()
            CitizenProfile.objects.create(user=user, id_number=id_number, address=(address or "").strip()[:500])
    except IntegrityError:
        raise DomainError("account_taken", "Tên đăng nhập hoặc số định danh vừa được đăng ký.", status=409) from None
    audit_record(actor=user, action="eservices.citizen.register", obj=user, object_id=str(user.uuid),
                 after={"username": username, "role": Role.CITIZEN})
    return user


def _profile(citizen) -> CitizenProfile | None:
    return CitizenProfile.objects.filter(user=citizen).first()


def _check_papers(version, papers: dict) -> list[tuple]:
    """Every mandatory paper present, each file what its name says (the counter's checklist rules);
    nothing is written yet. A refusal names the paper and carries its UUID for the form."""
    checklist = reception.papers_of(version)
    names = {str(paper.uuid): paper.name for paper in checklist}
    checked = []
    for key, upload in (papers or {}).items():
        if not upload:
            continue
        try:
            checked.extend(reception.papers_check(version, [(key, upload)], checklist=checklist))
        except DomainError as exc:
            message = f"{names[key]}: {exc.message}" if key in names else exc.message
            raise DomainError(exc.code, message, status=422, details={"papers": [key]}) from None
    missing = reception.missing_papers(version, (paper.pk for paper, _ in checked), checklist=checklist)
    if missing:
        listed = "; ".join(f"“{paper.name}”" for paper in missing)
        raise DomainError("paper_missing", f"Thiếu thành phần hồ sơ bắt buộc: {listed}.", status=422,
                          details={"papers": [str(paper.uuid) for paper in missing]})
    return checked


def _agency(procedure, version, code: str | None):
    candidates = receiving_agencies(procedure, version)
    if not candidates:
        raise DomainError("no_receiving_agency", "Chưa có cơ quan tiếp nhận hồ sơ trực tuyến cho thủ tục này; "
                          "vui lòng liên hệ Bộ phận Một cửa.", status=409)
    if code:
        for agency in candidates:
            if agency.code == code:
                return agency
        raise DomainError("invalid_agency", "Nơi tiếp nhận đã chọn không giải quyết thủ tục này.", status=422)
    if len(candidates) == 1:
        return candidates[0]
    raise DomainError("agency_required", "Vui lòng chọn nơi tiếp nhận hồ sơ (xã, phường hoặc cơ quan).",
                      status=422)


@onestop_files.atomic_with_files
def dossier_submit_online(*, citizen, procedure_code: str, form_data: dict, papers: dict,
                          receiving_agency_code: str | None = None, applicant: dict | None = None) -> Dossier:
    """Create an online dossier (SUBMITTED, channel online) in the receiving agency's reception queue.

    ``papers`` maps a RequiredPaper UUID (text) to its upload; ``applicant`` may carry the contact data the
    citizen corrected (phone, email, address); name and identity number always come from the account."""
    require(is_citizen(citizen), CITIZEN_ONLY)
    procedure, version = procedure_for_citizen(procedure_code)
    if not is_online(version):
        raise DomainError("procedure_not_online",
                          f"Thủ tục “{procedure.name}” chưa cung cấp dịch vụ công trực tuyến; vui lòng nộp hồ sơ "
                          "trực tiếp tại Bộ phận Một cửa hoặc qua bưu chính.", status=409)
    cleaned = form_data_validate(version.form_schema, form_data)
    checked = _check_papers(version, papers or {})
    agency = _agency(procedure, version, receiving_agency_code)
    applicant = applicant or {}
    profile = _profile(citizen)
    phone = normalize_phone(applicant.get("phone") or citizen.phone)
    email = (applicant.get("email") or citizen.email or "").strip()[:254]
    try:
        validate_phone(phone)
        if email:
            validate_email(email)
    except ValidationError as exc:
        raise DomainError("invalid_contact", _validation_message(exc), status=422) from None
    now = timezone.now()
    dossier = Dossier.objects.create(
        procedure=procedure, procedure_version=version, receiving_agency=agency, current_agency=agency,
        status=DossierStatus.SUBMITTED, channel=Channel.ONLINE,
        applicant_name=citizen.full_name or citizen.username,
        applicant_id_number=profile.id_number if profile else "", applicant_phone=phone,
        applicant_email=email,
        applicant_address=(applicant.get("address") or (profile.address if profile else "")).strip()[:500],
        applicant_user=citizen, form_data=cleaned, submitted_at=now,
        result_delivery="online" if version.online_result else "counter",
    )
    for paper, upload in checked:
        onestop_files.dossier_file_store(dossier=dossier, checked=upload, role=FileRole.PAPER, actor=citizen,
                                         required_paper=paper, title=paper.name)
    dossier_event_append(dossier=dossier, kind=EventKind.SUBMIT, actor=citizen, to_status=DossierStatus.SUBMITTED,
                         note=f"Nộp hồ sơ trực tuyến tới {agency.name}", at=now,
                         data={"papers": len(checked), "channel": Channel.ONLINE})
    audit_record(actor=citizen, action="eservices.dossier.submit", obj=dossier, object_id=str(dossier.uuid),
                 after={"procedure": procedure.code, "version": version.number, "agency": agency.code,
                        "papers": len(checked)})
    return dossier


@onestop_files.atomic_with_files
def dossier_supplement_online(*, citizen, dossier: Dossier, files, note: str = "") -> Dossier:
    """The applicant sends what was asked for, online.

    While processing (SUPPLEMENT) the processing service resumes the clock; at reception
    (RECEPTION_SUPPLEMENT) the dossier goes back to the reception queue as SUBMITTED with the new files."""
    files = [upload for upload in files or () if upload]
    if not files:
        raise DomainError("files_required", "Chưa chọn tệp bổ sung nào.", status=422)
    dossier = dossier_lock(dossier)
    require(can_supplement(citizen, dossier), "Hồ sơ này hiện không ở trạng thái chờ bổ sung.")
    note = (note or "").strip()[:2000]
    if dossier.status == DossierStatus.SUPPLEMENT:
        dossier_supplement_received(dossier=dossier, actor=citizen, note=note, files=files)
    else:
        checked = [onestop_files.upload_check(upload) for upload in files]
        stored = [onestop_files.dossier_file_store(dossier=dossier, checked=item, role=FileRole.SUPPLEMENT,
                                                   actor=citizen) for item in checked]
        dossier_transition(dossier=dossier, to=DossierStatus.SUBMITTED, kind=EventKind.SUPPLEMENT, actor=citizen,
                           note=note or "Người nộp đã bổ sung hồ sơ trực tuyến.",
                           data={"files": [str(item.uuid) for item in stored]},
                           audit_action="eservices.dossier.supplement")
    dossier.refresh_from_db()
    return dossier
