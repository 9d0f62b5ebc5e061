"""Catalogue services: validation of a procedure's rules, versioning (a dossier keeps its version), search."""

import datetime as dt
from decimal import Decimal

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.core.errors import DomainError, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.core.text import fold_vietnamese, format_vnd, has_diacritics, normalize_vietnamese, slugify_vietnamese
from egov.directory.models import Agency, AgencyKind
from egov.onestop import catalogue as cat
from egov.onestop.models import Channel, Dossier, Field, Procedure, ProcedureVersion
from egov.onestop.status import DossierStatus

pytestmark = pytest.mark.django_db


# --- helpers shared by the catalogue test modules --------------------------------------------------------
def rules(**overrides) -> dict:
    """A valid version: 3 working days, two papers, a four-step commune process."""
    data = {
        "implementing_agency": "Ủy ban nhân dân xã, phường",
        "processing_days": 3,
        "processing_hours": None,
        "count_receipt_day": False,
        "online_mode": "full",
        "online_result": True,
        "consultation_allowed": False,
        "fees": [{"mode": "truc_tiep", "vnd": 0, "text": "Miễn phí"}],
        "result_documents": [{"code": "KQ.G15.000031", "name": "Giấy khai sinh"}],
        "legal_basis": "Luật Hộ tịch 2014",
        "form_schema": [{"name": "ho_ten_tre", "label": "Họ tên trẻ", "type": "text", "required": True}],
        "notes": "",
        "papers": [
            {"name": "Tờ khai đăng ký khai sinh", "kind": "nop", "originals": 1, "copies": 0, "condition": "",
             "mandatory": True},
            {"name": "Giấy chứng sinh", "kind": "nop", "originals": 1, "copies": 0, "condition": "",
             "mandatory": True},
        ],
        "steps": [
            {"order": 1, "name": "Tiếp nhận", "role": "onestop_officer", "agency_kind": "", "agency_code": "",
             "unit_name": "", "allotted_days": 0.5, "allotted_hours": None, "is_consultation": False},
            {"order": 2, "name": "Thẩm định", "role": "specialist", "agency_kind": "", "agency_code": "",
             "unit_name": "Tư pháp – hộ tịch", "allotted_days": 2, "allotted_hours": None,
             "is_consultation": False},
            {"order": 3, "name": "Phê duyệt", "role": "leader", "agency_kind": "", "agency_code": "",
             "unit_name": "", "allotted_days": 0.5, "allotted_hours": None, "is_consultation": False},
            {"order": 4, "name": "Trả kết quả", "role": "onestop_officer", "agency_kind": "", "agency_code": "",
             "unit_name": "", "allotted_days": None, "allotted_hours": None, "is_consultation": False},
        ],
    }
    data.update(overrides)
    return data


def make_field(code="ho-tich", name="Hộ tịch") -> Field:
    return Field.objects.create(code=code, name=name)


def make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh", *, field=None, level="xa",
                   valid_from=dt.date(2025, 7, 1), **rule_overrides) -> Procedure:
    field = field or Field.objects.filter(code="ho-tich").first() or make_field()
    return cat.procedure_create(actor=None, code=code, name=name, field=field, level=level,
                                rules=rules(**rule_overrides), valid_from=valid_from)


def make_agency(code="XA-TANTHANH") -> Agency:
    return Agency.objects.create(code=code, name="Ủy ban nhân dân xã Tân Thành", abbreviation="UBND",
                                 kind=AgencyKind.COMMUNE)


def make_dossier(version: ProcedureVersion, agency: Agency | None = None) -> Dossier:
    """A dossier received under ``version``, made directly with the ORM (reception is not under test here)."""
    agency = agency or Agency.objects.first() or make_agency()
    return Dossier.objects.create(procedure_version=version, procedure=version.procedure, receiving_agency=agency,
                                  current_agency=agency, status=DossierStatus.RECEIVED, channel=Channel.COUNTER,
                                  applicant_name="Nguyễn Văn An")


def make_user(username: str, role: str, **extra) -> User:
    return User.objects.create_user(username=username, password="Mat-khau-rat-manh-2026", role=role,
                                    full_name=extra.pop("full_name", "Nguyễn Thị Thu"), **extra)


def login(client, user):
    """Log in through the session; administrators also pass the second factor (as the middleware requires)."""
    client.force_login(user)
    if user.is_superuser or user.role in (Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


# --- text helpers ------------------------------------------------------------------------------------------
def test_fold_vietnamese_removes_marks_and_d_stroke():
    assert fold_vietnamese("Thủ tục Đăng ký khai sinh") == "thu tuc dang ky khai sinh"
    decomposed = "Thu\u0309 tu\u0323c"  # NFD input folds the same way
    assert fold_vietnamese(decomposed) == "thu tuc"
    assert normalize_vietnamese("  ĐĂNG   KÝ ") == "đăng ký"
    assert has_diacritics("đăng ký") and not has_diacritics("dang ky")
    assert slugify_vietnamese("Đăng ký, quản lý cư trú") == "dang-ky-quan-ly-cu-tru"


def test_format_vnd():
    assert format_vnd(50000) == "50.000 đ"
    assert format_vnd(1250000) == "1.250.000 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(None, empty="—") == "—"


# --- creating and validating -------------------------------------------------------------------------------
def test_procedure_create_makes_version_one_and_audits():
    procedure = make_procedure()
    version = procedure.current_version
    assert version.number == 1 and version.valid_from == dt.date(2025, 7, 1) and version.valid_to is None
    assert version.processing_days == Decimal("3.0")
    assert [p.name for p in version.papers.all()] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [s.order for s in version.steps.all()] == [1, 2, 3, 4]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"onestop.procedure.create", "onestop.procedure.version_create"} <= actions
    assert procedure.search_text.startswith("1.001193 thủ tục đăng ký khai sinh")


def test_duplicate_code_is_refused():
    make_procedure()
    with pytest.raises(DomainError) as exc:
        make_procedure()
    assert exc.value.code == "procedure_exists" and exc.value.status == 409


@pytest.mark.parametrize(("overrides", "fragment"), [
    ({"processing_days": 3, "processing_hours": 4}, "đúng một thời hạn"),
    ({"processing_days": None}, "đúng một thời hạn"),
    ({"processing_days": 1.3}, "bội số của 0,5"),
    ({"steps": []}, "ít nhất một bước"),
    ({"processing_days": 1}, "vượt thời hạn giải quyết"),
    ({"online_mode": "mot-phan"}, "Dịch vụ công trực tuyến không hợp lệ"),
    ({"form_schema": [{"name": "Họ tên", "label": "x", "type": "text"}]}, "viết thường không dấu"),
    ({"form_schema": [{"name": "gioi_tinh", "label": "Giới tính", "type": "select"}]}, "danh sách lựa chọn"),
    ({"fees": [{"mode": "atm", "vnd": 1}]}, "Hình thức nộp không hợp lệ"),
    ({"papers": [{"name": "Tờ khai", "originals": 0, "copies": 0}]}, "ít nhất một bản chính"),
    ({"color": "red"}, "khóa không hợp lệ"),
    ({"legal_basis": "Luật\x00Hộ tịch"}, "ký tự điều khiển"),
    ({"form_schema": [{"name": "ho_ten", "label": "Họ\x1ftên", "type": "text"}]}, "ký tự điều khiển"),
])
def test_invalid_rules_are_refused_with_a_vietnamese_reason(overrides, fragment):
    field = make_field()
    with pytest.raises(cat.CatalogueInvalid) as exc:
        cat.procedure_create(actor=None, code="1.001193", name="Khai sinh", field=field, level="xa",
                             rules=rules(**overrides))
    assert any(fragment in error for error in exc.value.errors), exc.value.errors
    assert not Procedure.objects.exists()


def test_unknown_role_and_consultation_not_allowed_in_steps():
    steps = rules()["steps"]
    steps[1] = {**steps[1], "role": "giam_doc"}
    steps[2] = {**steps[2], "is_consultation": True}
    with pytest.raises(cat.CatalogueInvalid) as exc:
        cat.version_rules_validate(rules(steps=steps))
    assert any("Bước xử lý thứ 2: Vai trò thực hiện không hợp lệ: “giam_doc”" in e for e in exc.value.errors)
    steps = rules()["steps"]
    steps[2] = {**steps[2], "is_consultation": True}
    with pytest.raises(cat.CatalogueInvalid) as exc_cross:
        cat.version_rules_validate(rules(steps=steps))
    assert "chưa “cho phép lấy ý kiến”" in exc_cross.value.errors[0]


def test_consultation_steps_do_not_count_against_the_time_limit():
    steps = rules()["steps"] + [{"order": 5, "name": "Lấy ý kiến cơ quan thuế", "role": "specialist",
                                 "agency_kind": "khac", "agency_code": "", "unit_name": "Thuế",
                                 "allotted_days": 5, "allotted_hours": None, "is_consultation": True}]
    cleaned = cat.version_rules_validate(rules(steps=steps, consultation_allowed=True))
    assert cleaned["steps"][-1]["is_consultation"] is True


def test_labels_are_accepted_for_codes():
    cleaned = cat.version_rules_validate(rules(online_mode="Trực tuyến một phần", steps=[
        {"order": 1, "name": "Xử lý", "role": "Chuyên viên", "allotted_hours": 4}], processing_days=None,
        processing_hours=8))
    assert cleaned["online_mode"] == "partial" and cleaned["steps"][0]["role"] == "specialist"


def test_only_catalogue_managers_may_change_it():
    field = make_field()
    clerk = make_user("vanthu", Role.CLERK)
    with pytest.raises(PermissionDeniedError):
        cat.procedure_create(actor=clerk, code="1.001193", name="Khai sinh", field=field, level="xa", rules=rules())
    admin = make_user("quantri", Role.AGENCY_ADMIN)
    assert cat.procedure_create(actor=admin, code="1.001193", name="Khai sinh", field=field, level="xa",
                                rules=rules()).current_version.number == 1
    assert Procedure.objects.count() == 1


# --- versions ------------------------------------------------------------------------------------------------
def test_dossier_keeps_the_version_it_was_received_under():
    procedure = make_procedure()
    v1 = procedure.current_version
    dossier = make_dossier(v1)
    v2 = cat.procedure_version_create(actor=None, procedure=procedure, rules=rules(processing_days=5),
                                      valid_from=dt.date(2026, 1, 1))
    v1.refresh_from_db()
    dossier.refresh_from_db()
    procedure.refresh_from_db()
    assert dossier.procedure_version_id == v1.pk
    assert v1.valid_to == dt.date(2025, 12, 31)
    assert v1.processing_days == Decimal("3.0")
    assert procedure.current_version_id == v2.pk and v2.number == 2
    assert cat.procedure_current_version(procedure, at=dt.date(2025, 12, 31)) == v1
    assert cat.procedure_current_version(procedure, at=dt.date(2026, 1, 1)) == v2
    assert cat.procedure_current_version(procedure, at=dt.date(2025, 6, 30)) is None


def test_version_with_dossiers_is_never_edited_in_place():
    procedure = make_procedure()
    v1 = procedure.current_version
    make_dossier(v1)
    with pytest.raises(DomainError) as exc:
        cat.procedure_version_update(actor=None, version=v1, rules=rules(processing_days=10))
    assert exc.value.code == "version_in_use" and exc.value.status == 409
    v1.refresh_from_db()
    assert v1.processing_days == Decimal("3.0")


def test_unused_version_is_corrected_in_place():
    procedure = make_procedure()
    v1 = procedure.current_version
    cat.procedure_version_update(actor=None, version=v1, rules=rules(processing_days=4, papers=[]))
    v1.refresh_from_db()
    assert v1.processing_days == Decimal("4.0") and v1.papers.count() == 0
    assert procedure.versions.count() == 1


def test_rules_save_is_unchanged_in_place_or_new_version():
    procedure = make_procedure()
    version, outcome = cat.procedure_rules_save(actor=None, procedure=procedure, rules=rules())
    assert outcome == "unchanged" and version.number == 1
    version, outcome = cat.procedure_rules_save(actor=None, procedure=procedure, rules=rules(legal_basis="Mới"))
    assert outcome == "updated" and version.number == 1 and version.legal_basis == "Mới"
    dossier = make_dossier(version)
    version, outcome = cat.procedure_rules_save(actor=None, procedure=procedure, rules=rules(processing_days=5))
    assert outcome == "new_version" and version.number == 2 and version.valid_from == cat.local_today()
    dossier.refresh_from_db()
    assert dossier.procedure_version.number == 1 and dossier.procedure_version.processing_days == Decimal("3.0")


def test_new_version_cannot_start_before_the_previous_one():
    procedure = make_procedure()
    with pytest.raises(DomainError) as exc:
        cat.procedure_version_create(actor=None, procedure=procedure, rules=rules(),
                                     valid_from=dt.date(2025, 1, 1))
    assert exc.value.code == "invalid_validity" and "01/07/2025" in exc.value.message
    assert procedure.versions.count() == 1


def test_deactivate_closes_the_open_version_and_hides_the_procedure():
    procedure = make_procedure()
    stopped = cat.procedure_deactivate(actor=None, procedure=procedure, on=dt.date(2026, 3, 1))
    assert not stopped.is_active
    assert procedure.versions.get().valid_to == dt.date(2026, 3, 1)
    assert not cat.procedures_public().exists()
    with pytest.raises(DomainError) as exc:
        cat.procedure_deactivate(actor=None, procedure=procedure)
    assert exc.value.status == 409


# --- search ----------------------------------------------------------------------------------------------------
def test_search_with_or_without_diacritics():
    make_procedure()
    make_procedure("1.000894", "Thủ tục đăng ký kết hôn")
    make_procedure("2.000815", "Chứng thực bản sao từ bản chính", field=make_field("chung-thuc", "Chứng thực"))
    public = cat.procedures_public()
    assert [p.code for p in cat.procedures_search(public, "khai sinh")] == ["1.001193"]
    assert {p.code for p in cat.procedures_search(public, "dang ky")} == {"1.001193", "1.000894"}
    assert {p.code for p in cat.procedures_search(public, "ĐĂNG KÝ")} == {"1.001193", "1.000894"}
    assert [p.code for p in cat.procedures_search(public, "1.001193")] == ["1.001193"]
    assert [p.code for p in cat.procedures_search(public, "chung thuc ban sao")] == ["2.000815"]
    assert not cat.procedures_search(public, "hộ chiếu").exists()
    assert cat.procedures_search(public, "  ").count() == 3


def test_search_ranks_matches_with_the_typed_diacritics_first():
    make_procedure("9.000001", "Thủ tục về đê điều")
    make_procedure("9.000002", "Thủ tục để lại di sản")
    public = cat.procedures_public()
    assert [p.code for p in cat.procedures_search(public, "đê")] == ["9.000001", "9.000002"]
    assert [p.code for p in cat.procedures_search(public, "để")] == ["9.000002", "9.000001"]


def test_display_helpers():
    assert cat.duration_text(Decimal("2.5"), None) == "2,5 ngày làm việc"
    assert cat.duration_text(Decimal("0"), None) == "Trong ngày"
    assert cat.duration_text(None, 4) == "4 giờ làm việc"
    assert cat.fee_text({"mode": "truc_tiep", "vnd": 50000, "text": "50,000 VNĐ"}) == "Trực tiếp: 50.000 đ – 50,000 VNĐ"
    assert cat.fee_text({"mode": "truc_tuyen", "vnd": 0, "text": "Miễn phí"}) == "Trực tuyến: Miễn phí"
    assert cat.fee_text({"mode": "buu_chinh", "vnd": None, "text": ""}) == "Bưu chính: chưa rõ"
