"""Import and export of the procedure catalogue, in JSON and in Excel (.xlsx).

JSON format, version 1 (what ``catalogue_export_json`` writes; a bare list of procedures is accepted too)::

    {
      "format": "egov-onestop-catalogue", "version": 1, "exported_at": "2026-01-05T08:00:00+07:00",
      "fields": [{"code": "ho-tich", "name": "Hộ tịch"}],
      "procedures": [{
        "code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "ho-tich",
        "level": "xa" | "tinh" | "tinh,xa", "is_active": true,
        "versions": [{
          "number": 1, "valid_from": "2025-07-01", "valid_to": null,
          "implementing_agency": "Ủy ban nhân dân xã, phường",
          "processing_days": 1, "processing_hours": null, "count_receipt_day": false,
          "online_mode": "full" | "partial" | "none", "online_result": true, "consultation_allowed": false,
          "fees": [{"mode": "truc_tiep" | "truc_tuyen" | "buu_chinh", "vnd": 0, "text": "Miễn phí"}],
          "result_documents": [{"code": "KQ.G15.000031", "name": "Giấy khai sinh"}],
          "legal_basis": "...", "notes": "...",
          "form_schema": [{"name": "ho_ten_tre", "label": "Họ, chữ đệm, tên của trẻ", "type": "text",
                           "required": true}],
          "papers": [{"name": "Tờ khai", "kind": "nop" | "xuat_trinh", "originals": 1, "copies": 0,
                      "condition": "", "mandatory": true}],
          "steps": [{"order": 1, "name": "Tiếp nhận hồ sơ", "role": "onestop_officer", "agency_kind": "",
                     "agency_code": "", "unit_name": "", "allotted_days": 0.5, "allotted_hours": null,
                     "is_consultation": false}]
        }]
      }]
    }

Enumerations accept the code or its Vietnamese label ("xa" or "Cấp xã"). A version without ``number`` means
"the rules now": compared with the newest version, applied in place while no dossier uses it, else as a new
version. A numbered version is matched by number; one that dossiers use is never changed: different rules
become a new version (reported as a warning). Nothing is ever deleted by an import.

Excel: sheets "Lĩnh vực", "Thủ tục" (one row per version), "Giấy tờ", "Quy trình", "Phí, lệ phí" and
"Kết quả", the last four keyed by (Mã thủ tục, Phiên bản). "Hướng dẫn" and unknown sheets are ignored.

Everything is validated before anything is written, and all is written in one transaction: a file with any
error changes nothing and every error is reported, as "Dòng N (sheet X): <lý do>" for Excel.
"""

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from egov.core.audit import audit_record
from egov.core.errors import DomainError
from egov.core.text import fold_vietnamese
from egov.onestop import catalogue as cat
from egov.onestop.catalogue import CatalogueInvalid
from egov.onestop.models import Field, Procedure

FORMAT_NAME = "egov-onestop-catalogue"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
VERSION_META = ("number", "valid_from", "valid_to")
VERSION_LISTS = ("papers", "steps", "fees", "result_documents")


@dataclass
class Item:
    loc: str
    raw: dict


@dataclass
class VersionIn:
    loc: str
    raw: dict
    papers: list[Item] = field(default_factory=list)
    steps: list[Item] = field(default_factory=list)
    fees: list[Item] = field(default_factory=list)
    results: list[Item] = field(default_factory=list)
    # filled by validation
    number: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    rules: dict | None = None


@dataclass
class ProcedureIn:
    loc: str
    head: dict
    versions: list[VersionIn] = field(default_factory=list)
    cleaned: dict | None = None


@dataclass
class Bundle:
    fields: list[Item] = field(default_factory=list)
    procedures: list[ProcedureIn] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cleaned_fields: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportReport:
    dry_run: bool = False
    fields_created: list[str] = field(default_factory=list)
    fields_updated: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def summary(self) -> str:
        prefix = "Kiểm tra xong (chưa ghi): " if self.dry_run else "Đã nhập: "
        return prefix + (
            f"{len(self.created)} thủ tục mới, {len(self.updated)} thủ tục cập nhật, "
            f"{len(self.new_versions)} phiên bản mới, {len(self.unchanged)} không đổi; "
            f"{len(self.fields_created)} lĩnh vực mới."
        )


class _DryRun(Exception):
    """Raised to roll back a trial import after its report was made."""


# --- reading: JSON ------------------------------------------------------------------------------------
def _procedure_loc(index: int, raw) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return f"Thủ tục thứ {index}" + (f" ({code})" if isinstance(code, str) and code else "")


def bundle_from_json(doc) -> Bundle:
    bundle = Bundle()
    if isinstance(doc, dict):
        extra = sorted(set(doc) - {"format", "version", "exported_at", "fields", "procedures"})
        if extra:
            bundle.errors.append(f"Tệp JSON có khóa không hợp lệ: {', '.join(extra)}.")
        if doc.get("format", FORMAT_NAME) != FORMAT_NAME:
            bundle.errors.append(f"Tệp JSON không phải danh mục thủ tục (format phải là “{FORMAT_NAME}”).")
        if doc.get("version", FORMAT_VERSION) != FORMAT_VERSION:
            bundle.errors.append(f"Phiên bản định dạng {doc.get('version')!r} không được hỗ trợ (chỉ nhận 1).")
        fields, procedures = doc.get("fields") or [], doc.get("procedures")
    elif isinstance(doc, list):
        fields, procedures = [], doc
    else:
        bundle.errors.append("Tệp JSON phải là một danh sách thủ tục hoặc một đối tượng có khóa “procedures”.")
        return bundle
    if not isinstance(procedures, list) or not procedures:
        bundle.errors.append("Tệp JSON không có thủ tục nào (khóa “procedures” phải là danh sách không rỗng).")
        return bundle
    if not isinstance(fields, list):
        bundle.errors.append("Khóa “fields” phải là một danh sách lĩnh vực.")
        fields = []
    bundle.fields = [Item(f"Lĩnh vực thứ {i}", raw) for i, raw in enumerate(fields, start=1)]
    for index, raw in enumerate(procedures, start=1):
        loc = _procedure_loc(index, raw)
        if not isinstance(raw, dict):
            bundle.errors.append(f"{loc}: phải là một đối tượng JSON.")
            continue
        extra = sorted(set(raw) - {"code", "name", "field", "level", "is_active", "versions"})
        if extra:
            bundle.errors.append(f"{loc}: khóa không hợp lệ {', '.join(extra)}.")
        proc = ProcedureIn(loc, {k: raw.get(k) for k in ("code", "name", "field", "level", "is_active")})
        versions = raw.get("versions")
        if not isinstance(versions, list):
            bundle.errors.append(f"{loc}: “versions” phải là danh sách phiên bản.")
            versions = []
        for v_index, v_raw in enumerate(versions, start=1):
            v_loc = f"{loc}, phiên bản thứ {v_index}"
            if not isinstance(v_raw, dict):
                bundle.errors.append(f"{v_loc}: phải là một đối tượng JSON.")
                continue
            version = VersionIn(v_loc, {k: v for k, v in v_raw.items() if k not in VERSION_LISTS})
            for key, target, what in (("papers", version.papers, "giấy tờ"), ("steps", version.steps, "bước"),
                                      ("fees", version.fees, "phí"), ("result_documents", version.results,
                                                                      "kết quả")):
                items = v_raw.get(key) or []
                if not isinstance(items, list):
                    bundle.errors.append(f"{v_loc}: “{key}” phải là một danh sách.")
                    continue
                target.extend(Item(f"{v_loc}, {what} thứ {i}", item) for i, item in enumerate(items, start=1))
            proc.versions.append(version)
        bundle.procedures.append(proc)
    return bundle


# --- reading: Excel -----------------------------------------------------------------------------------
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
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises zipfile, XML and key errors alike for damaged files
        bundle.errors.append("Tệp Excel bị hỏng hoặc không phải định dạng .xlsx.")
        return bundle
    try:
        sheets = {spec[0]: _sheet_rows(workbook, spec, bundle)
                  for spec in (SHEET_FIELDS, SHEET_PROCEDURES, SHEET_PAPERS, SHEET_STEPS, SHEET_FEES, SHEET_RESULTS)}
    finally:
        workbook.close()
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


# --- validation ---------------------------------------------------------------------------------------
def bundle_validate(bundle: Bundle) -> None:
    """Clean every part; raise CatalogueInvalid with every error found (and nothing written)."""
    errors = list(bundle.errors)
    for item in bundle.fields:
        value, problems = cat.clean_field(item.raw)
        errors.extend(f"{item.loc}: {p}" for p in problems)
        if not problems:
            if value["code"] in bundle.cleaned_fields:
                errors.append(f"{item.loc}: mã lĩnh vực “{value['code']}” bị lặp.")
            bundle.cleaned_fields[value["code"]] = value["name"]
    known_fields = set(Field.objects.values_list("code", flat=True)) | set(bundle.cleaned_fields)
    seen: set[str] = set()
    for proc in bundle.procedures:
        head, problems = cat.clean_procedure_head(proc.head)
        errors.extend(f"{proc.loc}: {p}" for p in problems)
        if head["code"] in seen:
            errors.append(f"{proc.loc}: mã thủ tục “{head['code']}” bị lặp.")
        seen.add(head["code"])
        if head["field"] and head["field"] not in known_fields:
            errors.append(f"{proc.loc}: lĩnh vực mã “{head['field']}” chưa có trong danh mục; thêm vào danh sách "
                          "lĩnh vực (sheet “Lĩnh vực” hoặc khóa “fields”).")
        if not proc.versions:
            errors.append(f"{proc.loc}: thủ tục cần ít nhất một phiên bản quy định.")
        proc.cleaned = head
        numbers: list[int | None] = []
        for version in proc.versions:
            errors.extend(_validate_version(version))
            if version.number in numbers:
                number = version.number if version.number is not None else "(không ghi số)"
                errors.append(f"{version.loc}: phiên bản {number} bị lặp.")
            numbers.append(version.number)
    if errors:
        raise CatalogueInvalid(errors)


def _validate_version(version: VersionIn) -> list[str]:
    errors: list[str] = []
    problems: list[str] = []
    raw = version.raw
    allowed = set(VERSION_META) | (set(cat.RULE_KEYS) - set(VERSION_LISTS))
    extra = sorted(set(raw) - allowed)
    if extra:
        problems.append(f"khóa không hợp lệ {', '.join(extra)}.")
    version.number = cat.parse_int(raw.get("number"), "Số phiên bản", problems, minimum=1, maximum=9999,
                                   default=None)
    version.valid_from = cat.parse_date(raw.get("valid_from"), "Ngày có hiệu lực", problems)
    version.valid_to = cat.parse_date(raw.get("valid_to"), "Ngày hết hiệu lực", problems)
    if version.valid_from and version.valid_to and version.valid_to < version.valid_from:
        problems.append("ngày hết hiệu lực phải từ ngày có hiệu lực trở đi.")
    if version.number is not None and version.valid_from is None and not problems:
        problems.append("phiên bản có số thì phải ghi ngày có hiệu lực.")
    head, head_problems = cat.clean_rules_head(
        {k: v for k, v in raw.items() if k not in VERSION_META and k in cat.RULE_KEYS})
    problems.extend(head_problems)
    errors.extend(f"{version.loc}: {p}" for p in problems)
    lists = {}
    for attr, cleaner in (("papers", cat.clean_paper), ("steps", cat.clean_step), ("fees", cat.clean_fee),
                          ("results", cat.clean_result)):
        lists[attr] = []
        for item in getattr(version, attr):
            value, item_problems = cleaner(item.raw)
            errors.extend(f"{item.loc}: {p}" for p in item_problems)
            lists[attr].append(value)
    if not errors:
        errors.extend(f"{version.loc}: {p}" for p in cat.rules_cross_errors(head, lists["steps"]))
    version.rules = {**head, "fees": lists["fees"], "result_documents": lists["results"],
                     "papers": lists["papers"], "steps": sorted(lists["steps"], key=lambda s: s["order"] or 0)}
    return errors



# --- writing ------------------------------------------------------------------------------------------
def _apply(bundle: Bundle, actor, report: ImportReport) -> None:
    for code, name in bundle.cleaned_fields.items():
        existed = Field.objects.filter(code=code).exists()
        _, changed = cat.field_upsert(actor=actor, code=code, name=name)
        if changed:
            (report.fields_updated if existed else report.fields_created).append(code)
    fields = {f.code: f for f in Field.objects.all()}
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[p.cleaned["code"] for p in bundle.procedures])
                .select_related("field").prefetch_related("versions__papers", "versions__steps")}
    for proc in bundle.procedures:
        head = proc.cleaned
        code = head["code"]
        ordered = sorted(proc.versions, key=lambda v: (v.number is None, v.number or 0))
        procedure = existing.get(code)
        if procedure is not None and _unchanged(procedure, proc):
            report.unchanged.append(code)
            continue
        try:
            if procedure is None:
                first = ordered[0]
                procedure = cat.procedure_create(
                    actor=actor, code=code, name=head["name"], field=fields[head["field"]], level=head["level"],
                    rules=first.rules, valid_from=first.valid_from, valid_to=first.valid_to, number=first.number,
                    is_active=head["is_active"])
                report.created.append(code)
                ordered = ordered[1:]
                outcome = "created"
            else:
                changed = cat.procedure_update(actor=actor, procedure=procedure, name=head["name"],
                                               field=fields[head["field"]], level=head["level"],
                                               is_active=head["is_active"])
                outcome = "updated" if changed else "unchanged"
            for version in ordered:
                result = _apply_version(procedure, version, actor, report)
                if result == "new_version" and outcome != "created":
                    outcome = "new_version"
                elif result == "updated" and outcome == "unchanged":
                    outcome = "updated"
        except CatalogueInvalid as exc:
            raise CatalogueInvalid([f"{proc.loc}: {e}" for e in exc.errors]) from None
        except DomainError as exc:
            raise CatalogueInvalid([f"{proc.loc}: {exc.message}"]) from None
        if outcome == "updated":
            report.updated.append(code)
        elif outcome == "unchanged":
            report.unchanged.append(code)


def _unchanged(procedure: Procedure, proc: ProcedureIn) -> bool:
    """True when the file says exactly what is stored (the common case of a re-import), read from prefetched
    rows; anything else goes through the services."""
    head = proc.cleaned
    if (procedure.name, procedure.field.code, procedure.level, procedure.is_active) != (
            head["name"], head["field"], head["level"], head["is_active"]):
        return False
    stored = {v.number: v for v in procedure.versions.all()}
    newest = stored[max(stored)] if stored else None
    for version in proc.versions:
        target = stored.get(version.number) if version.number is not None else newest
        if target is None or cat.version_payload(target, with_validity=False) != cat.rules_payload(version.rules):
            return False
        if version.number is not None and (target.valid_from, target.valid_to) != (version.valid_from,
                                                                                   version.valid_to):
            return False
    return True


def _apply_version(procedure: Procedure, version: VersionIn, actor, report: ImportReport) -> str:
    code = procedure.code
    if version.number is None:
        saved, result = cat.procedure_rules_save(actor=actor, procedure=procedure, rules=version.rules,
                                                 valid_from=version.valid_from)
        if result in ("new_version", "created"):
            report.new_versions.append(f"{code} v{saved.number}")
            if result == "new_version":
                report.warnings.append(f"Thủ tục {code}: phiên bản {saved.number - 1} đã có hồ sơ nên quy định mới "
                                       f"được lưu thành phiên bản {saved.number}.")
            return "new_version"
        return result
    existing = procedure.versions.filter(number=version.number).first()
    if existing is None:
        cat.procedure_version_create(actor=actor, procedure=procedure, rules=version.rules,
                                     valid_from=version.valid_from, valid_to=version.valid_to, number=version.number)
        report.new_versions.append(f"{code} v{version.number}")
        return "new_version"
    same_rules = cat.version_payload(existing, with_validity=False) == cat.rules_payload(version.rules)
    same_dates = (existing.valid_from, existing.valid_to) == (version.valid_from, version.valid_to)
    if same_rules and same_dates:
        return "unchanged"
    in_use = cat.version_has_dossiers(existing)
    if not in_use:
        cat.procedure_version_update(actor=actor, version=existing, rules=version.rules,
                                     valid_from=version.valid_from, valid_to=version.valid_to)
        return "updated"
    if same_rules:
        report.warnings.append(f"Thủ tục {code}: phiên bản {existing.number} đã có hồ sơ nên giữ nguyên ngày "
                               "hiệu lực.")
        return "unchanged"
    latest = procedure.versions.order_by("-number").first()
    start = version.valid_from if version.valid_from > existing.valid_from else cat.local_today()
    start = max(start, latest.valid_from)
    end = version.valid_to if version.valid_to and version.valid_to >= start else None
    created = cat.procedure_version_create(actor=actor, procedure=procedure, rules=version.rules, valid_from=start,
                                           valid_to=end)
    report.new_versions.append(f"{code} v{created.number}")
    report.warnings.append(f"Thủ tục {code}: phiên bản {existing.number} đã có hồ sơ nên quy định sửa đổi được lưu "
                           f"thành phiên bản {created.number}, hiệu lực từ {start:%d/%m/%Y}.")
    return "new_version"


def bundle_from_bytes(data: bytes) -> Bundle:
    """Recognise the file by its content (never by its name): .xlsx is a zip, JSON is UTF-8 text."""
    if not data:
        return Bundle(errors=["Tệp rỗng."])
    if len(data) > MAX_IMPORT_BYTES:
        return Bundle(errors=[f"Tệp quá lớn (tối đa {MAX_IMPORT_BYTES // (1024 * 1024)} MB)."])
    if data[:4] == b"PK\x03\x04":
        return bundle_from_xlsx(data)
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return Bundle(errors=["Tệp Excel 97-2003 (.xls) không được hỗ trợ; hãy lưu lại dạng .xlsx."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Bundle(errors=["Tệp không phải JSON (UTF-8) hay Excel (.xlsx)."])
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return Bundle(errors=[f"Tệp JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}."])
    except RecursionError:
        return Bundle(errors=["Tệp JSON lồng nhau quá sâu."])
    return bundle_from_json(doc)


def catalogue_import(*, actor, data: bytes, dry_run: bool = False) -> ImportReport:
    """Import a JSON or Excel file: all or nothing. ``dry_run`` reports what would change and writes nothing."""
    cat._require_manager(actor)
    return _import_bundle(bundle_from_bytes(data), actor=actor, dry_run=dry_run)


def catalogue_import_document(*, actor, doc, dry_run: bool = False) -> ImportReport:
    """Import an already parsed JSON document (the demo loader builds one in memory)."""
    cat._require_manager(actor)
    return _import_bundle(bundle_from_json(doc), actor=actor, dry_run=dry_run)


def _import_bundle(bundle: Bundle, *, actor, dry_run: bool) -> ImportReport:
    bundle_validate(bundle)
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(bundle, actor, report)
            counts = {k: len(v) for k, v in report.as_dict().items() if isinstance(v, list)}
            if any(counts[k] for k in ("fields_created", "fields_updated", "created", "updated", "new_versions")):
                audit_record(actor=actor, action="onestop.catalogue.import", object_type="onestop.catalogue",
                             object_id="catalogue", after=counts)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


# --- export -------------------------------------------------------------------------------------------
def _export_queryset(queryset=None):
    qs = queryset if queryset is not None else Procedure.objects.all()
    return qs.select_related("field").prefetch_related("versions__papers", "versions__steps").order_by("code")


def catalogue_export_data(queryset=None) -> dict:
    procedures = list(_export_queryset(queryset))
    if queryset is None:
        fields = Field.objects.order_by("code")
    else:
        fields = Field.objects.filter(pk__in={p.field_id for p in procedures}).order_by("code")
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": timezone.localtime().isoformat(timespec="seconds"),
        "fields": [{"code": f.code, "name": f.name} for f in fields],
        "procedures": [{"code": p.code, "name": p.name, "field": p.field.code, "level": p.level,
                        "is_active": p.is_active,
                        "versions": [cat.version_payload(v) for v in sorted(p.versions.all(), key=lambda v: v.number)]}
                       for p in procedures],
    }


def catalogue_export_json(queryset=None) -> bytes:
    return json.dumps(catalogue_export_data(queryset), ensure_ascii=False, indent=2).encode("utf-8")


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
        return cat._agency_kinds().get(value, value) if value else None
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


def catalogue_export_xlsx(queryset=None) -> bytes:
    from openpyxl import Workbook

    data = catalogue_export_data(queryset)
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

