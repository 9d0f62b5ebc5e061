"""Catalogue import and export: lossless JSON and Excel round trips, all-or-nothing imports with row numbers."""

import datetime as dt
import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from egov.core.models import AuditEntry
from egov.directory.models import Agency, AgencyKind
from egov.onestop import catalogue as cat
from egov.onestop.catalogue import CatalogueInvalid
from egov.onestop.catalogue_io import catalogue_export_json, catalogue_export_xlsx, catalogue_import
from egov.onestop.models import Field, Procedure, ProcedureVersion, ProcessStep, RequiredPaper
from egov.onestop.tests.test_catalogue import make_dossier, make_field, make_procedure, rules

pytestmark = pytest.mark.django_db


def build_catalogue() -> None:
    """Three procedures covering every kind of value: versions, hours, consultation, inactive, odd text."""
    make_field()
    p1 = make_procedure()
    cat.procedure_version_create(actor=None, procedure=p1, valid_from=dt.date(2026, 1, 1), rules=rules(
        processing_days=5,
        fees=[{"mode": "truc_tiep", "vnd": 8000, "text": "8.000 đ/bản"},
              {"mode": "truc_tuyen", "vnd": None, "text": ""}],
        form_schema=[{"name": "gioi_tinh", "label": "Giới tính", "type": "select", "required": True,
                      "choices": ["Nam", "Nữ"], "help": "Theo giấy chứng sinh"}]))
    land = make_field("dat-dai", "Đất đai")
    Agency.objects.create(code="SNNMT", name="Sở Nông nghiệp và Môi trường", abbreviation="SNNMT",
                          kind=AgencyKind.DEPARTMENT)
    cat.procedure_create(actor=None, code="1.013831", name="Đăng ký biến động đất đai", field=land, level="tinh",
                         valid_from=dt.date(2025, 7, 1), rules=rules(
        processing_days=None, processing_hours=16, online_mode="partial", online_result=False,
        consultation_allowed=True, count_receipt_day=True, form_schema=[], notes="Dòng 1\nDòng 2",
        result_documents=[{"code": "", "name": "Giấy chứng nhận"}],
        papers=[{"name": "=SUM(A1:A2) không phải công thức", "kind": "xuat_trinh", "originals": 0, "copies": 2,
                 "condition": "Nếu có", "mandatory": False}],
        steps=[
            {"order": 1, "name": "Tiếp nhận", "role": "onestop_officer", "allotted_hours": 2},
            {"order": 2, "name": "Thẩm định", "role": "specialist", "agency_kind": "so", "agency_code": "SNNMT",
             "unit_name": "Văn phòng Đăng ký đất đai", "allotted_hours": 12},
            {"order": 3, "name": "Lấy ý kiến cơ quan thuế", "role": "specialist", "agency_kind": "khac",
             "allotted_days": 5, "is_consultation": True},
            {"order": 4, "name": "Trả kết quả", "role": "onestop_officer"},
        ]))
    p3 = make_procedure("2.000815", "Chứng thực bản sao từ bản chính", field=make_field("chung-thuc", "Chứng thực"),
                        processing_days=0, steps=[{"order": 1, "name": "Chứng thực", "role": "specialist"}])
    cat.procedure_deactivate(actor=None, procedure=p3, on=dt.date(2026, 2, 1))
    make_field("chua-dung", "Lĩnh vực chưa dùng")


def wipe_catalogue() -> None:
    ProcessStep.objects.all().delete()
    RequiredPaper.objects.all().delete()
    Procedure.objects.update(current_version=None)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()


def exported() -> dict:
    doc = json.loads(catalogue_export_json())
    doc.pop("exported_at")
    return doc


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def set_cell(workbook, sheet: str, row: int, header: str, value) -> None:
    ws = workbook[sheet]
    column = [c.value for c in ws[1]].index(header) + 1
    ws.cell(row=row, column=column, value=value)


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(CatalogueInvalid) as exc:
        catalogue_import(actor=None, data=data)
    return exc.value.errors


# --- round trips ---------------------------------------------------------------------------------------------
def test_json_round_trip_is_lossless():
    build_catalogue()
    first = exported()
    assert [p["code"] for p in first["procedures"]] == ["1.001193", "1.013831", "2.000815"]
    assert [v["number"] for v in first["procedures"][0]["versions"]] == [1, 2]
    wipe_catalogue()
    report = catalogue_import(actor=None, data=json.dumps(first).encode())
    assert report.created == ["1.001193", "1.013831", "2.000815"]
    assert report.new_versions == ["1.001193 v2"]
    assert len(report.fields_created) == 4
    assert exported() == first
    assert not Procedure.objects.get(code="2.000815").is_active


def test_excel_round_trip_is_lossless():
    build_catalogue()
    first = exported()
    data = catalogue_export_xlsx()
    sheets = load_workbook(io.BytesIO(data)).sheetnames
    assert sheets == ["Hướng dẫn", "Lĩnh vực", "Thủ tục", "Giấy tờ", "Quy trình", "Phí, lệ phí", "Kết quả"]
    wipe_catalogue()
    catalogue_import(actor=None, data=data)
    assert exported() == first


def test_excel_text_that_looks_like_a_formula_stays_text():
    build_catalogue()
    ws = load_workbook(io.BytesIO(catalogue_export_xlsx()))["Giấy tờ"]
    cell = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("=SUM"))
    assert cell.data_type == "s"


def test_reimporting_an_unchanged_export_changes_nothing():
    build_catalogue()
    data = catalogue_export_xlsx()
    audit_before = AuditEntry.objects.count()
    report = catalogue_import(actor=None, data=data)
    assert report.unchanged == ["1.001193", "1.013831", "2.000815"]
    assert not (report.created or report.updated or report.new_versions)
    assert AuditEntry.objects.count() == audit_before


def test_changed_rules_of_a_used_version_become_a_new_version():
    build_catalogue()
    v2 = Procedure.objects.get(code="1.001193").current_version
    dossier = make_dossier(v2)
    doc = exported()
    doc["procedures"][0]["versions"][1]["fees"][0]["vnd"] = 10000
    report = catalogue_import(actor=None, data=json.dumps(doc).encode())
    assert report.new_versions == ["1.001193 v3"]
    assert "phiên bản 2 đã có hồ sơ" in report.warnings[0]
    dossier.refresh_from_db()
    v2.refresh_from_db()
    assert dossier.procedure_version_id == v2.pk and v2.fees[0]["vnd"] == 8000
    v3 = Procedure.objects.get(code="1.001193").current_version
    assert v3.number == 3 and v3.fees[0]["vnd"] == 10000 and v2.valid_to == v3.valid_from - dt.timedelta(days=1)


def test_unnumbered_version_updates_an_unused_version_in_place():
    build_catalogue()
    doc = {"procedures": [{"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "ho-tich",
                           "level": "xa", "versions": [rules(legal_basis="Nghị định 123/2015/NĐ-CP")]}]}
    report = catalogue_import(actor=None, data=json.dumps(doc).encode())
    assert report.updated == ["1.001193"] and not report.new_versions
    assert Procedure.objects.get(code="1.001193").current_version.legal_basis == "Nghị định 123/2015/NĐ-CP"


def test_dry_run_reports_and_stores_nothing():
    build_catalogue()
    data = catalogue_export_json()
    wipe_catalogue()
    report = catalogue_import(actor=None, data=data, dry_run=True)
    assert report.dry_run and len(report.created) == 3 and "Kiểm tra xong" in report.summary()
    assert not Procedure.objects.exists() and not Field.objects.exists()


# --- errors: all reported, nothing stored ---------------------------------------------------------------------
def test_bad_excel_rows_are_reported_with_row_and_sheet_and_nothing_is_stored():
    build_catalogue()
    workbook = load_workbook(io.BytesIO(catalogue_export_xlsx()))
    wipe_catalogue()
    set_cell(workbook, "Thủ tục", 4, "Cấp thực hiện", "Cấp huyện")
    set_cell(workbook, "Giấy tờ", 3, "Bản chính", "hai")
    set_cell(workbook, "Quy trình", 5, "Vai trò thực hiện", "giam_doc")
    set_cell(workbook, "Thủ tục", 5, "Mã lĩnh vực", "khong-co")
    set_cell(workbook, "Phí, lệ phí", 2, "Hình thức nộp", "ATM")
    errors = errors_of(workbook_bytes(workbook))
    assert any(e.startswith("Dòng 4 (sheet Thủ tục): Cấp thực hiện không hợp lệ: “Cấp huyện”") for e in errors)
    assert "Dòng 3 (sheet Giấy tờ): Số bản chính phải là số nguyên (nhận được “hai”)." in errors
    assert any(e.startswith("Dòng 5 (sheet Quy trình): Vai trò thực hiện không hợp lệ: “giam_doc”") for e in errors)
    assert any(e.startswith("Dòng 5 (sheet Thủ tục): lĩnh vực mã “khong-co” chưa có") for e in errors)
    assert any(e.startswith("Dòng 2 (sheet Phí, lệ phí): Hình thức nộp không hợp lệ") for e in errors)
    assert not Procedure.objects.exists() and not Field.objects.exists()


def test_excel_structure_errors():
    build_catalogue()
    workbook = load_workbook(io.BytesIO(catalogue_export_xlsx()))
    del workbook["Quy trình"]
    workbook["Giấy tờ"].cell(row=1, column=12, value="Màu sắc")
    set_cell(workbook, "Thủ tục", 3, "Tên thủ tục", "Tên khác")
    set_cell(workbook, "Kết quả", 2, "Phiên bản", 9)
    errors = errors_of(workbook_bytes(workbook))
    assert "Tệp Excel thiếu sheet “Quy trình”." in errors
    assert "Dòng 1 (sheet Giấy tờ): cột “Màu sắc” (cột 12) không hợp lệ." in errors
    assert "Dòng 3 (sheet Thủ tục): tên thủ tục khác với dòng trước của cùng thủ tục 1.001193." in errors
    assert "Dòng 2 (sheet Kết quả): không có thủ tục mã “1.001193” phiên bản 9 trong sheet Thủ tục." in errors


def test_excel_code_typed_as_a_number_keeps_its_zeros():
    make_field()
    workbook = Workbook()
    workbook.active.title = "Thủ tục"
    workbook["Thủ tục"].append(["Mã thủ tục", "Tên thủ tục", "Mã lĩnh vực", "Cấp thực hiện", "Đang áp dụng",
                                "Phiên bản", "Hiệu lực từ", "Hiệu lực đến", "Cơ quan thực hiện",
                                "Thời hạn (ngày làm việc)", "Thời hạn (giờ làm việc)", "Tính cả ngày tiếp nhận",
                                "Dịch vụ công trực tuyến", "Trả kết quả trực tuyến",
                                "Cho phép lấy ý kiến cơ quan khác", "Căn cứ pháp lý", "Biểu mẫu trực tuyến (JSON)",
                                "Ghi chú"])
    workbook["Thủ tục"].append([2.00072, "Đăng ký thay đổi hộ kinh doanh", "ho-tich", "Cấp xã", "Có", None,
                                dt.date(2025, 7, 1), None, "UBND xã", 1, None, "Không", "Trực tuyến toàn trình",
                                "Có", "Không", "", "", ""])
    workbook.create_sheet("Giấy tờ").append(["Mã thủ tục", "Phiên bản", "STT", "Tên giấy tờ", "Hình thức",
                                             "Bản chính", "Bản sao", "Trường hợp áp dụng", "Bắt buộc"])
    steps = workbook.create_sheet("Quy trình")
    steps.append(["Mã thủ tục", "Phiên bản", "Bước", "Tên bước", "Vai trò thực hiện", "Cấp cơ quan", "Mã cơ quan",
                  "Phòng, ban", "Thời gian (ngày làm việc)", "Thời gian (giờ làm việc)", "Lấy ý kiến cơ quan khác"])
    steps.append(["2.000720", None, 1, "Xử lý", "Chuyên viên", None, None, None, 0.5, None, "Không"])
    report = catalogue_import(actor=None, data=workbook_bytes(workbook))
    assert report.created == ["2.000720"]
    version = Procedure.objects.get(code="2.000720").current_version
    assert version.online_mode == "full" and version.steps.get().role == "specialist"


def test_json_errors_name_their_place_and_nothing_is_stored():
    doc = {"fields": [{"code": "ho-tich", "name": "Hộ tịch"}], "procedures": [
        {"code": "1.001193", "name": "Khai sinh", "field": "ho-tich", "level": "xa", "versions": [rules()]},
        {"code": "1.000894", "name": "Kết hôn", "field": "khong-co", "level": "huyen", "versions": [
            rules(steps=[{"order": 1, "name": "Xử lý", "role": "giam_doc"}])]},
    ]}
    with pytest.raises(CatalogueInvalid) as exc:
        catalogue_import(actor=None, data=json.dumps(doc).encode())
    errors = exc.value.errors
    assert any(e.startswith("Thủ tục thứ 2 (1.000894): Cấp thực hiện không hợp lệ: “huyen”") for e in errors)
    assert any(e.startswith("Thủ tục thứ 2 (1.000894): lĩnh vực mã “khong-co” chưa có") for e in errors)
    assert any(e.startswith("Thủ tục thứ 2 (1.000894), phiên bản thứ 1, bước thứ 1: Vai trò thực hiện không hợp lệ")
               for e in errors)
    assert exc.value.code == "catalogue_invalid" and exc.value.status == 400
    assert not Procedure.objects.exists() and not Field.objects.exists()


def test_an_error_found_while_writing_rolls_everything_back():
    build_catalogue()
    doc = exported()
    doc["procedures"][0]["versions"].append({**doc["procedures"][0]["versions"][1], "number": 3,
                                             "valid_from": "2020-01-01", "valid_to": None})
    doc["fields"].append({"code": "moi", "name": "Lĩnh vực mới"})
    with pytest.raises(CatalogueInvalid) as exc:
        catalogue_import(actor=None, data=json.dumps(doc).encode())
    assert "phiên bản mới phải có hiệu lực từ ngày" in exc.value.errors[0].lower()
    assert not Field.objects.filter(code="moi").exists()
    assert Procedure.objects.get(code="1.001193").versions.count() == 2


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Tệp rỗng."),
    (b"\x00\xff\xfe garbage", "Tệp không phải JSON (UTF-8) hay Excel (.xlsx)."),
    (b'{"procedures": [', "Tệp JSON không hợp lệ ở dòng 1, cột 17."),
    (b"PK\x03\x04 not really a zip", "Tệp Excel bị hỏng hoặc không phải định dạng .xlsx."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Tệp Excel 97-2003 (.xls) không được hỗ trợ; hãy lưu lại dạng .xlsx."),
    (b'{"format": "khac", "procedures": []}', "Tệp JSON không phải danh mục thủ tục"),
    (b"42", "Tệp JSON phải là một danh sách thủ tục"),
])
def test_broken_files_are_refused_with_a_clear_message(data, message):
    errors = errors_of(data)
    assert errors[0].startswith(message)
    assert not Procedure.objects.exists()


def test_a_workbook_with_a_damaged_sheet_is_refused():
    build_catalogue()
    source = zipfile.ZipFile(io.BytesIO(catalogue_export_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for info in source.infolist():
            content = source.read(info.filename)
            damaged.writestr(info, b"<worksheet><sheetData><row" if info.filename.endswith("sheet3.xml") else content)
    wipe_catalogue()
    assert errors_of(buffer.getvalue()) == ["Tệp Excel bị hỏng hoặc không phải định dạng .xlsx."]
    assert not Procedure.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert errors_of(buffer.getvalue()) == ["Tệp Excel bị hỏng hoặc không phải định dạng .xlsx."]


def test_policy_is_checked_before_reading_the_file():
    from egov.accounts.roles import Role
    from egov.core.errors import PermissionDeniedError
    from egov.onestop.tests.test_catalogue import make_user

    with pytest.raises(PermissionDeniedError):
        catalogue_import(actor=make_user("chuyenvien", Role.SPECIALIST), data=b"{}")


# --- any input: a Vietnamese error or a clean import, never a crash ------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**13) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaf_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaf_paths(child, (*path, index))
    yield path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_json_is_either_imported_or_refused_with_vietnamese_errors(data):
    if not Field.objects.filter(code="ho-tich").exists():
        make_field()
    doc = {"procedures": [{"code": "1.001193", "name": "Khai sinh", "field": "ho-tich", "level": "xa",
                           "versions": [rules()]}]}
    if data.draw(st.booleans()):
        doc = data.draw(JSON_VALUES)
    else:
        paths = list(_leaf_paths(doc))
        path = data.draw(st.sampled_from(paths))
        replacement = data.draw(JSON_VALUES)
        if path:
            target = doc
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = replacement
        else:
            doc = replacement
    try:
        report = catalogue_import(actor=None, data=json.dumps(doc).encode(), dry_run=True)
    except CatalogueInvalid as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
    else:
        assert report.dry_run


CELL_VALUES = (st.none() | st.booleans() | st.integers(-10**6, 10**13)
               | st.floats(allow_nan=False, allow_infinity=False)
               | st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)
               | st.dates(min_value=dt.date(1900, 1, 1)))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_cell_typed_into_the_workbook_is_imported_or_refused_with_row_errors(data):
    if not Procedure.objects.exists():
        build_catalogue()
    workbook = load_workbook(io.BytesIO(catalogue_export_xlsx()))
    for _ in range(data.draw(st.integers(1, 3))):
        ws = workbook[data.draw(st.sampled_from(workbook.sheetnames[1:]))]
        row = data.draw(st.integers(1, ws.max_row + 1))
        column = data.draw(st.integers(1, ws.max_column))
        ws.cell(row=row, column=column, value=data.draw(CELL_VALUES))
    try:
        catalogue_import(actor=None, data=workbook_bytes(workbook), dry_run=True)
    except CatalogueInvalid as exc:
        assert all(e.startswith(("Dòng ", "Tệp Excel", "Sheet ")) for e in exc.errors), exc.errors
