"""The Excel (.xlsx) layout of the catalogue: reading a workbook into a bundle, writing an export.

Sheets "Lĩnh vực", "Thủ tục" (one row per version), "Giấy tờ", "Quy trình", "Phí, lệ phí" and "Kết quả", the
last four keyed by (Mã thủ tục, Phiên bản); headers are matched with or without diacritics. Text is always
written as text, never as a formula.
"""

import datetime as dt
import io
import json
import warnings
from decimal import Decimal, InvalidOperation

from egov.core.text import fold_vietnamese
from egov.onestop import catalogue as cat
from egov.onestop.catalogue_io.bundle import MAX_ROWS, VERSION_LISTS, Bundle, Item, ProcedureIn, VersionIn

# Sheets: (sheet name, [(key, header)]). Child sheets are keyed by procedure code and version number.
KEY_COLUMNS = [("code", "Mã thủ tục"), ("number", "Phiên bản")]
SHEET_FIELDS = ("Lĩnh vực", [("code", "Mã lĩnh vực"), ("name", "Tên lĩnh vực")])
SHEET_PROCEDURES = ("Thủ tục", [
    ("code", "Mã thủ tục"), ("name", "Tên thủ tục"), ("field", "Mã lĩnh vực"), ("level", "Cấp thực hiện"),
    ("is_active", "Đang áp dụng"), ("number", "Phiên bản"), ("valid_from", "Hiệu lực từ"),
    ("valid_to", "Hiệu lực đến"), ("implementing_agency", "Cơ quan thực hiện"),
    ("processing_days", "Thời hạn (ngày làm việc)"), ("processing_hours", "Thời hạn (giờ làm việc)"),
    ("count_receipt_day", "Tính cả ngày tiếp nhận"), ("online_mode", "Dịch vụ công trực tuyến"),
    ("online_result", "Trả kết quả trực tuyến"), ("consultation_allowed", "Cho phép lấy ý kiến cơ quan khác"),
    ("legal_basis", "Căn cứ pháp lý"), ("form_schema", "Biểu mẫu trực tuyến (JSON)"), ("notes", "Ghi chú"),
])
SHEET_PAPERS = ("Giấy tờ", [*KEY_COLUMNS, ("order", "STT"), ("name", "Tên giấy tờ"), ("kind", "Hình thức"),
                            ("originals", "Bản chính"), ("copies", "Bản sao"), ("condition", "Trường hợp áp dụng"),
                            ("mandatory", "Bắt buộc")])
SHEET_STEPS = ("Quy trình", [*KEY_COLUMNS, ("order", "Bước"), ("name", "Tên bước"), ("role", "Vai trò thực hiện"),
                             ("agency_kind", "Cấp cơ quan"), ("agency_code", "Mã cơ quan"),
                             ("unit_name", "Phòng, ban"), ("allotted_days", "Thời gian (ngày làm việc)"),
                             ("allotted_hours", "Thời gian (giờ làm việc)"),
                             ("is_consultation", "Lấy ý kiến cơ quan khác")])
SHEET_FEES = ("Phí, lệ phí", [*KEY_COLUMNS, ("mode", "Hình thức nộp"), ("vnd", "Số tiền (đồng)"),
                              ("text", "Mô tả")])
SHEET_RESULTS = ("Kết quả", [*KEY_COLUMNS, ("code_kq", "Mã kết quả"), ("name", "Tên kết quả")])
REQUIRED_SHEETS = {SHEET_PROCEDURES[0], SHEET_PAPERS[0], SHEET_STEPS[0]}


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _code_cell(value):
    """Codes typed into Excel as numbers lose trailing zeros (2.000720 → 2.00072): put them back."""
    if isinstance(value, float):
        return f"{value:.6f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _sheet_rows(workbook, spec, bundle: Bundle) -> list[tuple[int, dict]] | None:
    name, columns = spec
    sheet = next((ws for ws in workbook.worksheets if fold_vietnamese(ws.title) == fold_vietnamese(name)), None)
    if sheet is None:
        if name in REQUIRED_SHEETS:
            bundle.errors.append(f"Tệp Excel thiếu sheet “{name}”.")
        return None
    by_header = {fold_vietnamese(header): key for key, header in columns}
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    keys: list[str | None] = []
    for position, title in enumerate(header, start=1):
        text = fold_vietnamese(str(title)) if title is not None else ""
        if not text:
            keys.append(None)
            continue
        if text not in by_header:
            bundle.errors.append(f"Dòng 1 (sheet {name}): cột “{title}” (cột {position}) không hợp lệ.")
        keys.append(by_header.get(text))
    missing = [header for key, header in columns if key not in keys]
    if missing:
        bundle.errors.append(f"Dòng 1 (sheet {name}): thiếu cột {', '.join(f'“{m}”' for m in missing)}.")
        return None
    out = []
    for row_number, values in enumerate(rows, start=2):
        if row_number > MAX_ROWS:
            bundle.errors.append(f"Sheet {name} có quá {MAX_ROWS} dòng.")
            break
        record = {key: _cell_text(value) for key, value in zip(keys, values, strict=False) if key}
        if all(v is None for v in record.values()):
            continue
        if "code" in record:
            record["code"] = _code_cell(record["code"])
        out.append((row_number, record))
    return out


def _version_key(record: dict, errors: list[str], loc: str):
    problems: list[str] = []
    number = cat.parse_int(record.get("number"), "Phiên bản", problems, minimum=1, maximum=9999, default=None)
    errors.extend(f"{loc}: {p}" for p in problems)
    code = record.get("code")
    return (str(code).strip() if code is not None else "", number)


def bundle_from_xlsx(data: bytes) -> Bundle:
    from openpyxl import load_workbook

    bundle = Bundle()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about cells it cannot read; they fail validation
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheets = {spec[0]: _sheet_rows(workbook, spec, bundle) for spec in (
                    SHEET_FIELDS, SHEET_PROCEDURES, SHEET_PAPERS, SHEET_STEPS, SHEET_FEES, SHEET_RESULTS)}
            finally:
                workbook.close()
    except Exception:  # openpyxl raises zipfile, XML and key errors alike for damaged files, even mid-sheet
        return Bundle(errors=["Tệp Excel bị hỏng hoặc không phải định dạng .xlsx."])
    if sheets[SHEET_PROCEDURES[0]] is None:
        return bundle
    loc = "Dòng {} (sheet {})".format
    bundle.fields = [Item(loc(row, SHEET_FIELDS[0]), record) for row, record in sheets[SHEET_FIELDS[0]] or []]
    procedures: dict[str, ProcedureIn] = {}
    versions: dict[tuple, VersionIn] = {}
    head_keys = ("code", "name", "field", "level", "is_active")
    for row, record in sheets[SHEET_PROCEDURES[0]]:
        where = loc(row, SHEET_PROCEDURES[0])
        key = _version_key(record, bundle.errors, where)
        if "form_schema" in record and isinstance(record["form_schema"], str):
            try:
                record["form_schema"] = json.loads(record["form_schema"])
            except json.JSONDecodeError as exc:
                bundle.errors.append(f"{where}: biểu mẫu trực tuyến không phải JSON hợp lệ (ký tự {exc.pos + 1}).")
                record["form_schema"] = []
        head = {k: record.get(k) for k in head_keys}
        proc = procedures.get(key[0])
        if proc is None:
            proc = procedures[key[0]] = ProcedureIn(where, head)
        elif key[0]:
            problems = []
            cleaned_new, head_errors = cat.clean_procedure_head(head)
            cleaned_old, _ = cat.clean_procedure_head(proc.head)
            bundle.errors.extend(f"{where}: {e}" for e in head_errors)
            for k, label in (("name", "tên thủ tục"), ("field", "mã lĩnh vực"), ("level", "cấp thực hiện"),
                             ("is_active", "đang áp dụng")):
                if not head_errors and cleaned_new[k] != cleaned_old[k]:
                    problems.append(label)
            if problems:
                bundle.errors.append(f"{where}: {', '.join(problems)} khác với dòng trước của cùng thủ tục "
                                     f"{key[0]}.")
        if key in versions:
            number = key[1] if key[1] is not None else "(để trống)"
            bundle.errors.append(f"{where}: thủ tục {key[0]} phiên bản {number} bị lặp.")
            continue
        version = VersionIn(where, {k: v for k, v in record.items() if k not in head_keys})
        versions[key] = version
        proc.versions.append(version)
    for spec, attr in ((SHEET_PAPERS, "papers"), (SHEET_STEPS, "steps"), (SHEET_FEES, "fees"),
                       (SHEET_RESULTS, "results")):
        rows = sheets[spec[0]] or []
        if attr == "papers":
            rows = sorted(rows, key=lambda r: (_order_key(r[1].get("order")), r[0]))
        for row, record in rows:
            where = loc(row, spec[0])
            key = _version_key(record, bundle.errors, where)
            if attr == "papers":
                problems: list[str] = []
                cat.parse_int(record.get("order"), "STT", problems, minimum=1, maximum=999, default=None)
                bundle.errors.extend(f"{where}: {p}" for p in problems)
            version = versions.get(key)
            if version is None:
                number = key[1] if key[1] is not None else "(để trống)"
                bundle.errors.append(f"{where}: không có thủ tục mã “{key[0]}” phiên bản {number} "
                                     f"trong sheet {SHEET_PROCEDURES[0]}.")
                continue
            raw = {k: v for k, v in record.items() if k not in ("code", "number")}
            if attr == "papers":
                raw.pop("order", None)
            if attr == "results":
                raw["code"] = raw.pop("code_kq", None)
            getattr(version, attr).append(Item(where, raw))
    bundle.procedures = list(procedures.values())
    return bundle


def _order_key(value) -> tuple[int, Decimal]:
    """Papers sort by their STT; an empty one keeps its row order after the numbered ones."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return (1, Decimal(0))
    return (0, number) if number.is_finite() else (1, Decimal(0))


LABELS = {
    "level": cat.LEVEL_LABELS,
    "online_mode": cat.ONLINE_MODE_LABELS,
    "kind": cat.PAPER_KINDS,
    "role": cat.STEP_ROLES,
    "mode": cat.FEE_MODES,
}
BOOL_KEYS = {"is_active", "count_receipt_day", "online_result", "consultation_allowed", "mandatory",
             "is_consultation"}
DATE_KEYS = {"valid_from", "valid_to"}


def _excel_value(key: str, value):
    if key in BOOL_KEYS:
        return "Có" if value else "Không"
    if key in DATE_KEYS:
        return dt.date.fromisoformat(value) if value else None
    if key == "agency_kind":
        return cat.agency_kinds().get(value, value) if value else None
    if key in LABELS:
        return LABELS[key].get(value, value)
    if key == "form_schema":
        return json.dumps(value, ensure_ascii=False) if value else None
    if value == "":
        return None
    return value


def _write_sheet(workbook, spec, rows: list[dict], widths: dict[str, int] | None = None) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    name, columns = spec
    ws = workbook.create_sheet(name)
    ws.append([header for _, header in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number, record in enumerate(rows, start=2):
        for col, (key, _) in enumerate(columns, start=1):
            value = _excel_value(key, record.get(key))
            cell = ws.cell(row=row_number, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A2"
    for col, (key, header) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = (widths or {}).get(key, max(12, len(header) + 2))


GUIDE = [
    "Danh mục thủ tục hành chính – tệp nhập/xuất",
    "",
    "Sheet “Thủ tục”: mỗi dòng là một phiên bản quy định của một thủ tục; các dòng của cùng một thủ tục phải "
    "ghi giống nhau tên, lĩnh vực, cấp thực hiện, trạng thái áp dụng.",
    "Để trống cột “Phiên bản” nghĩa là “quy định hiện hành”: hệ thống so với phiên bản mới nhất; nếu khác thì "
    "sửa tại chỗ khi chưa có hồ sơ, hoặc tạo phiên bản mới khi đã có hồ sơ tiếp nhận theo phiên bản đó.",
    "Các sheet “Giấy tờ”, “Quy trình”, “Phí, lệ phí”, “Kết quả” gắn với thủ tục qua hai cột Mã thủ tục và "
    "Phiên bản.",
    "Thời hạn ghi theo ngày làm việc (bội số của 0,5) hoặc theo giờ làm việc, không ghi cả hai.",
    "Cột có danh mục nhận mã hoặc tên: Cấp thực hiện (xa / Cấp xã...), Dịch vụ công trực tuyến (full / "
    "Trực tuyến toàn trình...), Vai trò (onestop_officer / Cán bộ một cửa...), Có / Không.",
    "Tệp có lỗi sẽ không được nhập phần nào; mọi lỗi được báo kèm số dòng và tên sheet.",
]


def workbook_from_document(data: dict) -> bytes:
    """The export document (``catalogue_export_data``) as an .xlsx workbook."""
    from openpyxl import Workbook

    workbook = Workbook()
    guide = workbook.active
    guide.title = "Hướng dẫn"
    for line in GUIDE:
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    _write_sheet(workbook, SHEET_FIELDS, data["fields"], {"name": 40})
    procedures, papers, steps, fees, results = [], [], [], [], []
    for p in data["procedures"]:
        for v in p["versions"]:
            key = {"code": p["code"], "number": v["number"]}
            procedures.append({**{k: p[k] for k in ("code", "name", "field", "level", "is_active")},
                               **{k: val for k, val in v.items() if k not in VERSION_LISTS}})
            papers.extend({**key, "order": i, **paper} for i, paper in enumerate(v["papers"], start=1))
            steps.extend({**key, **step} for step in v["steps"])
            fees.extend({**key, **fee} for fee in v["fees"])
            results.extend({**key, "code_kq": r.get("code"), "name": r.get("name")} for r in v["result_documents"])
    _write_sheet(workbook, SHEET_PROCEDURES, procedures,
                 {"name": 50, "implementing_agency": 40, "legal_basis": 40, "notes": 40, "form_schema": 40})
    _write_sheet(workbook, SHEET_PAPERS, papers, {"name": 60, "condition": 40})
    _write_sheet(workbook, SHEET_STEPS, steps, {"name": 40, "role": 22, "unit_name": 30})
    _write_sheet(workbook, SHEET_FEES, fees, {"text": 60})
    _write_sheet(workbook, SHEET_RESULTS, results, {"name": 60, "code_kq": 18})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
