"""Rules of a procedure version: parsing of single values (JSON and Excel cells alike), cleaning of each part
(field, procedure, papers, steps, fees, results, online form) and the checks across a version.

Errors are plain Vietnamese sentences; callers add where they were (a row of a sheet, a place in a JSON file).
"""

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from egov.accounts.roles import Role
from egov.core.errors import DomainError
from egov.core.text import fold_vietnamese, format_vnd
from egov.onestop.models import OnlineMode, ProcedureLevel, RequiredPaper

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,29}$")
FIELD_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")
FORM_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
# Control characters other than tab and line breaks: PostgreSQL refuses NUL, Excel refuses the rest.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HOURS_PER_DAY = 8  # half a working day is 4 working hours (SPEC §1.10 step 4)
MAX_DAYS = Decimal(2500)
MAX_HOURS = 20000

FEE_MODES = {"truc_tiep": "Trực tiếp", "truc_tuyen": "Trực tuyến", "buu_chinh": "Bưu chính"}
PAPER_KINDS = {RequiredPaper.KIND_SUBMIT: "Nộp", RequiredPaper.KIND_SHOW: "Xuất trình"}
FORM_FIELD_TYPES = {"text": "Chữ", "textarea": "Đoạn văn", "date": "Ngày", "number": "Số", "select": "Chọn"}
STEP_ROLES = {role.value: str(role.label) for role in Role if role != Role.CITIZEN}
LEVEL_LABELS = {value: str(label) for value, label in ProcedureLevel.choices}
ONLINE_MODE_LABELS = {value: str(label) for value, label in OnlineMode.choices}
FORM_FIELD_KEYS = {"name", "label", "type", "required", "choices", "help"}
PAPER_KEYS = ("name", "kind", "originals", "copies", "condition", "mandatory")
STEP_KEYS = ("order", "name", "role", "agency_kind", "agency_code", "unit_name", "allotted_days", "allotted_hours",
             "is_consultation")
RULE_KEYS = ("implementing_agency", "processing_days", "processing_hours", "count_receipt_day", "online_mode",
             "online_result", "consultation_allowed", "fees", "result_documents", "legal_basis", "form_schema",
             "notes", "papers", "steps")


def agency_kinds() -> dict[str, str]:
    from egov.directory.models import AgencyKind

    return {kind.value: str(kind.label) for kind in AgencyKind}


class CatalogueInvalid(DomainError):
    """Several problems found at once; ``details`` lists every one (the import shows them all)."""

    def __init__(self, errors: list[str], message: str | None = None):
        shown = "; ".join(errors[:3]) + (f" (và {len(errors) - 3} lỗi khác)" if len(errors) > 3 else "")
        super().__init__("catalogue_invalid", message or f"Dữ liệu thủ tục không hợp lệ: {shown}", status=400,
                         details=errors)
        self.errors = errors


# --- parsing of single values (JSON and Excel cells alike) -----------------------------------------
def _text(raw: dict, key: str, label: str, errors: list[str], *, max_length: int, required: bool = False) -> str:
    value = raw.get(key)
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        errors.append(f"{label} phải là chuỗi ký tự.")
        return ""
    value = unicodedata.normalize("NFC", str(value).strip())
    if required and not value:
        errors.append(f"Thiếu {label.lower()}.")
    if len(value) > max_length:
        errors.append(f"{label} dài quá {max_length} ký tự.")
    if CONTROL_RE.search(value):
        errors.append(f"{label} chứa ký tự điều khiển không hợp lệ.")
    return value


def parse_bool(value, label: str, errors: list[str], *, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    folded = fold_vietnamese(str(value))
    if folded in {"co", "x", "true", "1", "yes", "dung"}:
        return True
    if folded in {"khong", "false", "0", "no", "sai"}:
        return False
    errors.append(f"{label} phải là “Có” hoặc “Không” (nhận được “{value}”).")
    return default


def parse_int(value, label: str, errors: list[str], *, minimum: int = 0, maximum: int = 99,
              default: int | None = 0) -> int | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        errors.append(f"{label} phải là số nguyên.")
        return default
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append(f"{label} phải là số nguyên (nhận được “{value}”).")
        return default
    if not number.is_finite() or number != number.to_integral_value():
        errors.append(f"{label} phải là số nguyên (nhận được “{value}”).")
        return default
    if not minimum <= number <= maximum:
        errors.append(f"{label} phải từ {minimum} đến {maximum}.")
        return default
    return int(number)


def parse_days(value, label: str, errors: list[str], *, allow_zero: bool = True) -> Decimal | None:
    """Working days in steps of half a day; "0,5" with a decimal comma is accepted."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.append(f"{label} phải là một số.")
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        errors.append(f"{label} phải là một số (nhận được “{value}”).")
        return None
    if not number.is_finite() or number < 0 or (number == 0 and not allow_zero):
        errors.append(f"{label} phải là số dương.")
        return None
    if (number * 2) != (number * 2).to_integral_value():
        errors.append(f"{label} phải là bội số của 0,5 ngày (ví dụ 1; 2; 2,5).")
        return None
    if number > MAX_DAYS:
        errors.append(f"{label} tối đa là {MAX_DAYS} ngày.")
        return None
    return number.quantize(Decimal("0.1"))


def parse_date(value, label: str, errors: list[str]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors.append(f"{label} phải là ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd (nhận được “{value}”).")
    return None


def parse_choice(value, choices: dict[str, str], label: str, errors: list[str], *, default: str | None = None,
                 allow_blank: bool = False) -> str:
    """A code (``xa``) or its Vietnamese label (``Cấp xã``), with or without diacritics."""
    if value is None or str(value).strip() == "":
        if allow_blank:
            return ""
        if default is not None:
            return default
        errors.append(f"Thiếu {label.lower()}.")
        return ""
    folded = fold_vietnamese(str(value))
    for code, name in choices.items():
        if folded in {fold_vietnamese(code), fold_vietnamese(name)}:
            return code
    allowed = ", ".join(f"{code} ({name})" for code, name in choices.items())
    errors.append(f"{label} không hợp lệ: “{value}”. Giá trị hợp lệ: {allowed}.")
    return ""


def _unknown_keys(raw: dict, allowed, what: str, errors: list[str]) -> None:
    extra = sorted(set(raw) - set(allowed))
    if extra:
        errors.append(f"{what} có khóa không hợp lệ: {', '.join(extra)}. Khóa hợp lệ: {', '.join(allowed)}.")


def _as_dict(raw, what: str, errors: list[str]) -> dict | None:
    if not isinstance(raw, dict):
        errors.append(f"{what} phải là một đối tượng JSON ({{...}}).")
        return None
    return raw


def number_out(value: Decimal | None) -> int | float | None:
    """Days as JSON: 1 rather than "1.0", 0.5 as 0.5."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


# --- cleaning of each part of a procedure (errors are plain sentences; callers add where they were) ---
def clean_field(raw) -> tuple[dict, list[str]]:
    errors: list[str] = []
    if _as_dict(raw, "Lĩnh vực", errors) is None:
        return {}, errors
    _unknown_keys(raw, ("code", "name"), "Lĩnh vực", errors)
    code = _text(raw, "code", "Mã lĩnh vực", errors, max_length=40, required=True)
    if code and not FIELD_CODE_RE.fullmatch(code):
        errors.append(f"Mã lĩnh vực “{code}” chỉ được gồm chữ, số, dấu chấm, gạch ngang, gạch dưới.")
    name = _text(raw, "name", "Tên lĩnh vực", errors, max_length=255, required=True)
    return {"code": code, "name": name}, errors


def clean_procedure_head(raw: dict) -> tuple[dict, list[str]]:
    """The attributes of a procedure that are not versioned: code, name, field, level, active."""
    errors: list[str] = []
    code = _text(raw, "code", "Mã thủ tục", errors, max_length=30, required=True)
    if code and not CODE_RE.fullmatch(code):
        errors.append(f"Mã thủ tục “{code}” không hợp lệ (ví dụ 1.001193; chỉ gồm chữ, số, dấu chấm, gạch).")
    name = _text(raw, "name", "Tên thủ tục", errors, max_length=1000, required=True)
    field = _text(raw, "field", "Mã lĩnh vực", errors, max_length=40, required=True)
    level = parse_choice(raw.get("level"), LEVEL_LABELS, "Cấp thực hiện", errors)
    is_active = parse_bool(raw.get("is_active"), "Đang áp dụng", errors, default=True)
    return {"code": code, "name": name, "field": field, "level": level, "is_active": is_active}, errors


def clean_paper(raw) -> tuple[dict, list[str]]:
    errors: list[str] = []
    if _as_dict(raw, "Giấy tờ", errors) is None:
        return {}, errors
    _unknown_keys(raw, PAPER_KEYS, "Giấy tờ", errors)
    paper = {
        "name": _text(raw, "name", "Tên giấy tờ", errors, max_length=500, required=True),
        "kind": parse_choice(raw.get("kind"), PAPER_KINDS, "Hình thức giấy tờ", errors,
                             default=RequiredPaper.KIND_SUBMIT),
        "originals": parse_int(raw.get("originals"), "Số bản chính", errors),
        "copies": parse_int(raw.get("copies"), "Số bản sao", errors),
        "condition": _text(raw, "condition", "Trường hợp áp dụng", errors, max_length=500),
        "mandatory": parse_bool(raw.get("mandatory"), "Bắt buộc", errors, default=True),
    }
    if not errors and paper["originals"] + paper["copies"] == 0:
        errors.append("Giấy tờ phải có ít nhất một bản chính hoặc một bản sao.")
    return paper, errors


def clean_step(raw) -> tuple[dict, list[str]]:
    errors: list[str] = []
    if _as_dict(raw, "Bước xử lý", errors) is None:
        return {}, errors
    _unknown_keys(raw, STEP_KEYS, "Bước xử lý", errors)
    step = {
        "order": parse_int(raw.get("order"), "Số thứ tự bước", errors, minimum=1, maximum=99, default=None),
        "name": _text(raw, "name", "Tên bước", errors, max_length=255, required=True),
        "role": parse_choice(raw.get("role"), STEP_ROLES, "Vai trò thực hiện", errors),
        "agency_kind": parse_choice(raw.get("agency_kind"), agency_kinds(), "Cấp cơ quan thực hiện", errors,
                                    allow_blank=True),
        "agency_code": _text(raw, "agency_code", "Mã cơ quan thực hiện", errors, max_length=40),
        "unit_name": _text(raw, "unit_name", "Phòng, ban thực hiện", errors, max_length=255),
        "allotted_days": parse_days(raw.get("allotted_days"), "Thời gian của bước (ngày làm việc)", errors,
                                    allow_zero=False),
        "allotted_hours": parse_int(raw.get("allotted_hours"), "Thời gian của bước (giờ làm việc)", errors,
                                    minimum=1, maximum=MAX_HOURS, default=None),
        "is_consultation": parse_bool(raw.get("is_consultation"), "Bước lấy ý kiến", errors),
    }
    if step["order"] is None and not any("thứ tự" in e for e in errors):
        errors.append("Thiếu số thứ tự bước.")
    if step["allotted_days"] is not None and step["allotted_hours"] is not None:
        errors.append("Thời gian của bước chỉ ghi theo ngày làm việc hoặc theo giờ làm việc, không ghi cả hai.")
    if step["agency_code"]:
        from egov.directory.selectors import agency_by_code

        if agency_by_code(step["agency_code"]) is None:
            errors.append(f"Không có cơ quan mã “{step['agency_code']}” trong danh bạ.")
    return step, errors


def clean_fee(raw) -> tuple[dict, list[str]]:
    errors: list[str] = []
    if _as_dict(raw, "Phí, lệ phí", errors) is None:
        return {}, errors
    _unknown_keys(raw, ("mode", "vnd", "text"), "Phí, lệ phí", errors)
    fee = {
        "mode": parse_choice(raw.get("mode"), FEE_MODES, "Hình thức nộp", errors),
        "vnd": parse_int(raw.get("vnd"), "Số tiền (đồng)", errors, maximum=10**12, default=None),
        "text": _text(raw, "text", "Mô tả phí", errors, max_length=500),
    }
    return fee, errors


def clean_result(raw) -> tuple[dict, list[str]]:
    errors: list[str] = []
    if _as_dict(raw, "Kết quả", errors) is None:
        return {}, errors
    _unknown_keys(raw, ("code", "name"), "Kết quả", errors)
    return {"code": _text(raw, "code", "Mã kết quả", errors, max_length=40),
            "name": _text(raw, "name", "Tên kết quả", errors, max_length=500, required=True)}, errors


def form_schema_errors(schema) -> list[str]:
    """The online form: a list of fields {name, label, type, required, choices, help}."""
    if schema in (None, ""):
        return []
    if not isinstance(schema, list):
        return ["Biểu mẫu trực tuyến phải là một danh sách trường (JSON [...])."]
    errors: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(schema, start=1):
        where = f"Biểu mẫu trực tuyến, trường thứ {index}"
        if not isinstance(item, dict):
            errors.append(f"{where}: phải là một đối tượng JSON.")
            continue
        extra = sorted(set(item) - FORM_FIELD_KEYS)
        if extra:
            errors.append(f"{where}: khóa không hợp lệ {', '.join(extra)}.")
        name = item.get("name")
        if not isinstance(name, str) or not FORM_NAME_RE.fullmatch(name):
            errors.append(f"{where}: tên trường phải viết thường không dấu, bắt đầu bằng chữ (ví dụ ho_ten).")
        elif name in seen:
            errors.append(f"{where}: tên trường “{name}” bị trùng.")
        else:
            seen.add(name)
        label = item.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > 200:
            errors.append(f"{where}: thiếu nhãn hiển thị (tối đa 200 ký tự).")
        texts = [label, item.get("help"), *(item.get("choices") if isinstance(item.get("choices"), list) else [])]
        if any(isinstance(t, str) and CONTROL_RE.search(t) for t in texts):
            errors.append(f"{where}: chứa ký tự điều khiển không hợp lệ.")
        kind = item.get("type", "text")
        if not isinstance(kind, str) or kind not in FORM_FIELD_TYPES:
            errors.append(f"{where}: kiểu “{kind}” không hợp lệ ({', '.join(FORM_FIELD_TYPES)}).")
        if not isinstance(item.get("required", False), bool):
            errors.append(f"{where}: “required” phải là true hoặc false.")
        choices = item.get("choices")
        if kind == "select":
            if not isinstance(choices, list) or not choices or not all(
                isinstance(c, str) and c.strip() for c in choices
            ):
                errors.append(f"{where}: trường chọn cần danh sách lựa chọn (choices) không rỗng.")
        elif choices not in (None, []):
            errors.append(f"{where}: chỉ trường kiểu select mới có danh sách lựa chọn.")
        if "help" in item and not isinstance(item["help"], str):
            errors.append(f"{where}: hướng dẫn (help) phải là chuỗi ký tự.")
    return errors


def clean_rules_head(raw: dict) -> tuple[dict, list[str]]:
    """A version's own values (without papers and steps, which the caller cleans one by one)."""
    errors: list[str] = []
    days = parse_days(raw.get("processing_days"), "Thời hạn giải quyết (ngày làm việc)", errors)
    hours = parse_int(raw.get("processing_hours"), "Thời hạn giải quyết (giờ làm việc)", errors, minimum=1,
                      maximum=MAX_HOURS, default=None)
    if (days is None) == (hours is None) and not errors:
        errors.append("Cần ghi đúng một thời hạn giải quyết: theo ngày làm việc hoặc theo giờ làm việc.")
    fees, results = [], []
    for name, target, cleaner, what in (("fees", fees, clean_fee, "phí, lệ phí"),
                                        ("result_documents", results, clean_result, "kết quả")):
        items = raw.get(name) or []
        if not isinstance(items, list):
            errors.append(f"Danh sách {what} phải là một danh sách JSON.")
            continue
        for index, item in enumerate(items, start=1):
            value, problems = cleaner(item)
            target.append(value)
            errors.extend(f"{what.capitalize()} thứ {index}: {p}" for p in problems)
    schema = raw.get("form_schema") or []
    errors.extend(form_schema_errors(schema))
    head = {
        "implementing_agency": _text(raw, "implementing_agency", "Cơ quan thực hiện", errors, max_length=500),
        "processing_days": days,
        "processing_hours": hours,
        "count_receipt_day": parse_bool(raw.get("count_receipt_day"), "Tính cả ngày tiếp nhận", errors),
        "online_mode": parse_choice(raw.get("online_mode"), ONLINE_MODE_LABELS, "Dịch vụ công trực tuyến",
                                    errors, default=OnlineMode.NONE),
        "online_result": parse_bool(raw.get("online_result"), "Trả kết quả trực tuyến", errors),
        "consultation_allowed": parse_bool(raw.get("consultation_allowed"), "Cho phép lấy ý kiến", errors),
        "fees": fees,
        "result_documents": results,
        "legal_basis": _text(raw, "legal_basis", "Căn cứ pháp lý", errors, max_length=20000),
        "form_schema": schema if isinstance(schema, list) else [],
        "notes": _text(raw, "notes", "Ghi chú", errors, max_length=20000),
    }
    return head, errors


def _hours(days: Decimal | None, hours: int | None) -> Decimal:
    return (days or Decimal(0)) * HOURS_PER_DAY + Decimal(hours or 0)


def duration_text(days: Decimal | None, hours: int | None) -> str:
    """ "2,5 ngày làm việc" or "4 giờ làm việc" (decimal comma, as Vietnamese writes it)."""
    if days is not None:
        if days == 0:
            return "Trong ngày"
        return f"{number_out(days)} ngày làm việc".replace(".", ",")
    if hours is not None:
        return f"{hours} giờ làm việc"
    return ""


def rules_cross_errors(head: dict, steps: list[dict]) -> list[str]:
    """Checks across the version: the steps fit in the legal time, orders are unique, consultation allowed."""
    errors: list[str] = []
    if not steps:
        errors.append("Quy trình nội bộ cần ít nhất một bước xử lý.")
    orders = [s["order"] for s in steps if s.get("order") is not None]
    duplicates = sorted({o for o in orders if orders.count(o) > 1})
    if duplicates:
        errors.append(f"Số thứ tự bước bị trùng: {', '.join(map(str, duplicates))}.")
    if any(s.get("is_consultation") for s in steps) and not head.get("consultation_allowed"):
        errors.append("Quy trình có bước lấy ý kiến cơ quan khác nhưng thủ tục chưa “cho phép lấy ý kiến”.")
    if head.get("processing_days") is not None or head.get("processing_hours") is not None:
        total = _hours(head.get("processing_days"), head.get("processing_hours"))
        used = sum((_hours(s.get("allotted_days"), s.get("allotted_hours"))
                    for s in steps if not s.get("is_consultation")), Decimal(0))
        if used > total:
            spent = (duration_text(used / HOURS_PER_DAY, None) if used % (HOURS_PER_DAY // 2) == 0
                     else duration_text(None, int(used)))
            errors.append(
                f"Tổng thời gian các bước xử lý ({spent}) vượt thời hạn giải quyết "
                f"({duration_text(head.get('processing_days'), head.get('processing_hours'))})."
            )
    return errors


def version_rules_validate(raw) -> dict:
    """Clean a whole version's rules or raise CatalogueInvalid listing every problem."""
    errors: list[str] = []
    if _as_dict(raw, "Quy định của thủ tục", errors) is None:
        raise CatalogueInvalid(errors)
    _unknown_keys({k: v for k, v in raw.items() if k not in {"number", "valid_from", "valid_to"}}, RULE_KEYS,
                  "Phiên bản", errors)
    head, problems = clean_rules_head(raw)
    errors.extend(problems)
    papers, steps = [], []
    for name, target, cleaner, what in (("papers", papers, clean_paper, "Giấy tờ"),
                                        ("steps", steps, clean_step, "Bước xử lý")):
        items = raw.get(name) or []
        if not isinstance(items, list):
            errors.append(f"{what}: phải là một danh sách JSON.")
            continue
        for index, item in enumerate(items, start=1):
            value, problems = cleaner(item)
            target.append(value)
            errors.extend(f"{what} thứ {index}: {p}" for p in problems)
    if not errors:
        errors.extend(rules_cross_errors(head, steps))
    if errors:
        raise CatalogueInvalid(errors)
    return {**head, "papers": papers, "steps": sorted(steps, key=lambda s: s.get("order") or 0)}


def fee_text(fee: dict) -> str:
    amount = fee.get("vnd")
    money = "Miễn phí" if amount == 0 else format_vnd(amount, empty="")
    label = FEE_MODES.get(fee.get("mode"), fee.get("mode") or "")
    parts = [p for p in (money, fee.get("text") if fee.get("text") != money else "") if p]
    return f"{label}: {' – '.join(parts) or 'chưa rõ'}"
