import datetime as dt
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from egov.accounts.models import User
from egov.core.errors import DomainError, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.directory import services
from egov.directory.excel import INVALID_FILE_MESSAGE, export_directory, import_directory
from egov.directory.excel.layout import AGENCIES, OFFICIALS, UNITS
from egov.directory.models import Agency, AgencyNameHistory, AgencySuccession, Official, Unit

AGENCY_HEADERS = [c.header for c in AGENCIES.columns]
UNIT_HEADERS = [c.header for c in UNITS.columns]
OFFICIAL_HEADERS = [c.header for c in OFFICIALS.columns]


def workbook(**sheets) -> bytes:
    """sheets: title -> list of rows (first row = headers)."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def agency_row(code, name, abbr, kind, parent="", qcvn="", qd20="", **extra):
    values = {"Mã": code, "Tên đầy đủ": name, "Chữ viết tắt": abbr, "Loại": kind, "Mã cơ quan cấp trên": parent,
              "Mã định danh (QCVN 102)": qcvn, "Mã định danh (QĐ 20/2020)": qd20, **extra}
    return [values.get(h, "") for h in AGENCY_HEADERS]


def official_row(username, name, role, agency, unit="", position="", phone="", email="", active="Có"):
    return [username, name, role, agency, unit, position, phone, email, active]


def state():
    return (Agency.objects.count(), Unit.objects.count(), Official.objects.count(), User.objects.count(),
            AuditEntry.objects.count())


def test_good_file_is_imported_and_audited(province):
    data = workbook(**{
        "Cơ quan": [AGENCY_HEADERS,
                    agency_row("SYT", "Sở Y tế", "SYT", "Sở, ban, ngành", "UBND", "000.00.07.H12", "H12.07",
                               **{"Điện thoại": "0290 3831 999", "Hiệu lực từ": "01/07/2025"}),
                    agency_row("TTKS", "Trung tâm Kiểm soát bệnh tật", "CDC", "khac", "SYT")],
        "Phòng ban": [UNIT_HEADERS, ["SYT", "VPS", "Văn phòng Sở", "", "Có"],
                      ["SYT", "VT", "Bộ phận Văn thư", "VPS", ""]],
        "Cán bộ": [OFFICIAL_HEADERS,
                   official_row("vanthu.syt", "Lê Thị Thu", "Văn thư", "SYT", "VT", "Chuyên viên",
                                "0290 3831 998", "vanthu.syt@camau.example"),
                   official_row("lanhdao.syt", "Nguyễn Văn Y", "leader", "syt")],
    })
    before = AuditEntry.objects.count()
    report = import_directory(source=data)
    assert (report.agencies.created, report.units.created, report.officials.created) == (2, 2, 2)
    assert "Cơ quan: thêm mới 2" in report.summary()
    syt = Agency.objects.get(code="SYT")
    assert (syt.parent.code, syt.code_qcvn102, syt.code_qd20, syt.kind) == ("UBND", "000.00.07.H12", "H12.07", "so")
    assert syt.valid_from.isoformat() == "2025-07-01"
    assert Agency.objects.get(code="TTKS").parent == syt
    assert Unit.objects.get(agency=syt, code="VT").parent.code == "VPS"
    clerk = Official.objects.get(user__username="vanthu.syt")
    assert (clerk.user.role, clerk.unit.code, clerk.position.name) == ("clerk", "VT", "Chuyên viên")
    assert not clerk.user.has_usable_password()
    actions = list(AuditEntry.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert actions.count("directory.agency.create") == 2 and actions.count("directory.official.create") == 2
    assert "directory.import" in actions


def test_bad_rows_are_all_reported_and_nothing_is_stored(province):
    data = workbook(**{
        "Cơ quan": [AGENCY_HEADERS,
                    agency_row("SYT", "Sở Y tế", "SYT", "so", "UBND"),
                    agency_row("SXD", "Sở Xây dựng", "SXD", "so", "UBND", "ABC"),
                    agency_row("SCT", "Sở Công Thương", "SCT", "so", "KHONGCO"),
                    agency_row("SYT", "Sở Y tế (trùng)", "SYT", "so", "UBND"),
                    agency_row("SGD", "Sở Giáo dục", "SGDĐT", "so", "UBND", "000.00.05.H12", "12.H"),
                    agency_row("", "", "", "bộ")],
        "Cán bộ": [OFFICIAL_HEADERS,
                   official_row("vanthu.syt", "Lê Thị Thu", "trưởng thôn", "SYT"),
                   official_row("cv.syt", "Trần B", "specialist", "SYT", email="không-phải-thư"),
                   official_row("cv2.syt", "Trần C", "specialist", "SNV"),
                   official_row("cv3.syt", "Trần D", "specialist", "STP", unit="KHONGCO", position="Giám đốc"),
                   official_row("cv.syt", "Trùng", "specialist", "STP")],
    })
    before = state()
    with pytest.raises(DomainError) as exc:
        import_directory(source=data)
    assert exc.value.code == "import_invalid"
    assert "chưa nhập dữ liệu nào" in exc.value.message
    messages = [(d["sheet"], d["message"]) for d in exc.value.details]
    assert ("Cơ quan", "Dòng 3: Mã định danh “ABC” không đúng định dạng QCVN 102:2016 (ví dụ 000.00.00.H12).") \
        in messages
    assert ("Cơ quan", "Dòng 4: Không có cơ quan cấp trên mã “KHONGCO”.") in messages
    assert ("Cơ quan", "Dòng 5: Mã cơ quan “SYT” trùng với dòng 2.") in messages
    assert ("Cơ quan", "Dòng 6: Mã định danh “000.00.05.H12” trùng với cơ quan “Sở Tư pháp”.") in messages
    assert any(m.startswith("Dòng 6: Mã định danh “12.H” không đúng định dạng Quyết định 20/2020") for _, m in messages)
    assert ("Cơ quan", "Dòng 7: Chưa nhập mã cơ quan.") in messages
    assert ("Cơ quan", "Dòng 7: Chưa nhập tên cơ quan.") in messages
    assert any(m.startswith("Dòng 2: Vai trò không hợp lệ: “trưởng thôn”") for s, m in messages if s == "Cán bộ")
    assert ("Cán bộ", "Dòng 3: Thư điện tử “không-phải-thư” không hợp lệ.") in messages
    assert ("Cán bộ", "Dòng 4: Không có cơ quan mã “SNV”.") in messages
    assert ("Cán bộ", "Dòng 5: Cơ quan “STP” không có phòng, ban mã “KHONGCO”.") in messages
    assert ("Cán bộ", "Dòng 5: Không có chức vụ “Giám đốc” trong danh mục chức vụ.") in messages
    assert ("Cán bộ", "Dòng 6: Tên đăng nhập “cv.syt” trùng với dòng 3.") in messages
    assert state() == before  # nothing stored, not even an audit row


def test_unknown_role_alone_rejects_the_file(province):
    data = workbook(**{"Cán bộ": [OFFICIAL_HEADERS,
                                  official_row("a.stp", "Nguyễn A", "leader", "STP"),
                                  official_row("b.stp", "Nguyễn B", "giám đốc sở", "STP")]})
    before = state()
    with pytest.raises(DomainError) as exc:
        import_directory(source=data)
    assert len(exc.value.details) == 1
    assert exc.value.details[0]["message"].startswith("Dòng 3: Vai trò không hợp lệ: “giám đốc sở”.")
    assert state() == before


def test_cycle_within_the_file_is_reported(province):
    data = workbook(**{"Cơ quan": [AGENCY_HEADERS,
                                   agency_row("A1", "Cơ quan A", "A", "khac", "B1"),
                                   agency_row("B1", "Cơ quan B", "B", "khac", "A1"),
                                   agency_row("UBND", "Ủy ban nhân dân tỉnh Cà Mau", "UBND", "ubnd_tinh", "VPDKDD",
                                              "000.00.00.H12", "H12")]})
    with pytest.raises(DomainError) as exc:
        import_directory(source=data)
    messages = [d["message"] for d in exc.value.details]
    assert "Dòng 2: Cơ quan cấp trên tạo thành vòng lặp (A1 → B1 → A1)." in messages
    assert "Dòng 3: Cơ quan cấp trên tạo thành vòng lặp (B1 → A1 → B1)." in messages
    assert "Dòng 4: Cơ quan cấp trên tạo thành vòng lặp (UBND → VPDKDD → SNNMT → UBND)." in messages


@pytest.mark.parametrize("payload", [
    b"",
    b"Ma,Ten\nSTP,So Tu phap\n",
    b"PK\x03\x04 not really a zip",
    "Tệp văn bản có dấu".encode(),
])
def test_broken_files_are_refused(province, payload):
    before = state()
    with pytest.raises(DomainError) as exc:
        import_directory(source=payload)
    assert exc.value.code == "invalid_excel" and exc.value.message == INVALID_FILE_MESSAGE
    assert state() == before


def test_zip_that_is_not_a_workbook_and_truncated_workbook(province):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    good = workbook(**{"Cán bộ": [OFFICIAL_HEADERS]})
    for payload in (buffer.getvalue(), good[: len(good) // 2]):
        with pytest.raises(DomainError, match=r"Tệp không phải là tệp Excel \(.xlsx\) hợp lệ"):
            import_directory(source=payload)


def test_workbook_without_directory_sheet_or_with_missing_column(province):
    with pytest.raises(DomainError, match="không có trang dữ liệu danh bạ"):
        import_directory(source=workbook(Sheet=[["Họ tên", "Tuổi"], ["A", 3]]))
    headers = [h for h in AGENCY_HEADERS if h != "Chữ viết tắt"]
    with pytest.raises(DomainError) as exc:
        import_directory(source=workbook(**{"Cơ quan": [headers, ["SYT", "Sở Y tế", "so"]]}))
    assert exc.value.details[0]["message"] == "Dòng 1: Thiếu cột “Chữ viết tắt”."


def test_round_trip_same_database_changes_nothing(province, make_official):
    make_official("vanthu.stp", "clerk", unit=province["units"]["stp"], position=province["position"],
                  phone="0290 3831 000", email="vanthu.stp@camau.example")
    gone = make_official("cu.stp", "specialist")
    services.official_deactivate(official=gone)
    services.agency_merge(sources=[province["vpdk"]], into=province["snnmt"], effective_date=dt.date(2025, 7, 1))
    data = export_directory()
    before = state()
    report = import_directory(source=data)
    assert report.changed == 0
    assert report.agencies.unchanged == 6 and report.units.unchanged == 3 and report.officials.unchanged == 2
    assert state() == before


def test_round_trip_restores_edits_and_rebuilds_an_empty_directory(province, make_official):
    make_official("vanthu.stp", "clerk", unit=province["units"]["stp"], position=province["position"],
                  phone="0290 3831 000", email="vanthu.stp@camau.example")
    services.unit_create(agency=province["vp"], code="VT", name="Bộ phận Văn thư", parent=province["units"]["vp"])
    data = export_directory()
    services.agency_update(agency=province["stp"], phone="0999 999 999", parent=province["snnmt"])
    report = import_directory(source=data)
    assert report.agencies.updated == 1
    assert Agency.objects.get(code="STP").parent.code == "UBND"

    def rows(payload):
        wb = load_workbook(io.BytesIO(payload), read_only=True)
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}

    # Empty the directory (keeping the position catalogue), then rebuild it from the file.
    Official.objects.all().delete()
    User.objects.filter(username="vanthu.stp").delete()
    Unit.objects.update(parent=None)
    Unit.objects.all().delete()
    AgencySuccession.objects.all().delete()
    AgencyNameHistory.objects.all().delete()
    Agency.objects.update(parent=None)
    Agency.objects.all().delete()
    report = import_directory(source=data)
    assert (report.agencies.created, report.units.created, report.officials.created) == (6, 4, 1)
    assert rows(export_directory()) == rows(data)


def test_dry_run_checks_but_stores_nothing(province):
    data = workbook(**{"Cơ quan": [AGENCY_HEADERS, agency_row("SYT", "Sở Y tế", "SYT", "so", "UBND")]})
    before = state()
    report = import_directory(source=data, dry_run=True)
    assert report.dry_run and report.agencies.created == 1 and "chưa ghi dữ liệu" in report.summary()
    assert state() == before


def test_agency_admin_imports_only_within_his_agency(province, make_official, sysadmin):
    admin = make_official("qtcoquan.stp", "agency_admin").user
    data = workbook(**{"Cán bộ": [OFFICIAL_HEADERS,
                                  official_row("cv.stp", "Nguyễn A", "specialist", "STP", "VPS"),
                                  official_row("cv.vp", "Nguyễn B", "specialist", "VP"),
                                  official_row("qt.stp", "Nguyễn C", "system_admin", "STP")],
                       "Cơ quan": [AGENCY_HEADERS, agency_row("SYT", "Sở Y tế", "SYT", "so", "UBND")]})
    with pytest.raises(DomainError) as exc:
        import_directory(actor=admin, source=data)
    messages = {d["message"] for d in exc.value.details}
    assert messages == {
        "Dòng 2: Bạn không có quyền thêm cơ quan.",
        "Dòng 3: Bạn không có quyền quản lý cán bộ của cơ quan “Văn phòng Ủy ban nhân dân tỉnh Cà Mau”.",
        "Dòng 4: Chỉ quản trị hệ thống mới được thêm hoặc sửa tài khoản quản trị hệ thống.",
    }
    ok = workbook(**{"Cán bộ": [OFFICIAL_HEADERS, official_row("cv.stp", "Nguyễn A", "specialist", "STP", "VPS")]})
    assert import_directory(actor=admin, source=ok).officials.created == 1
    leader = make_official("lanhdao.stp", "leader").user
    with pytest.raises(PermissionDeniedError):
        import_directory(actor=leader, source=ok)


def test_commands_export_and_import(province, tmp_path, capsys):
    target = tmp_path / "danh-ba.xlsx"
    call_command("directory_export", str(target))
    assert "Đã xuất danh bạ" in capsys.readouterr().out
    call_command("directory_import", str(target))
    assert "không đổi 6" in capsys.readouterr().out
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"day khong phai excel")
    with pytest.raises(CommandError, match=r"Tệp không phải là tệp Excel \(.xlsx\) hợp lệ"):
        call_command("directory_import", str(broken))
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(workbook(**{"Cán bộ": [OFFICIAL_HEADERS, official_row("a.stp", "A", "vua", "STP")]}))
    with pytest.raises(CommandError, match="Tệp có 1 lỗi"):
        call_command("directory_import", str(bad))
    assert "[Cán bộ] Dòng 2: Vai trò không hợp lệ: “vua”" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("directory_import", str(tmp_path / "khong-co.xlsx"))
