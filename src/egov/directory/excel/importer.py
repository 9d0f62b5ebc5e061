"""Import of a directory workbook (agencies, units, officials).

Every row of every sheet is checked first, against the database and against the other rows of the file
(codes, parents, duplicates, roles, e-mail addresses, permissions). If anything is wrong nothing is written:
a ``DomainError`` carries the list of errors, each "Dòng <n>: <reason>" with n the Excel row number. A valid
file is then applied through the services in one transaction, so each change is audited like a manual one;
rows that change nothing write nothing.
"""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from openpyxl import load_workbook

from egov.accounts.roles import Role
from egov.core.audit import audit_record
from egov.core.errors import DomainError, PermissionDeniedError
from egov.directory import policies, services
from egov.directory.excel.layout import (
    AGENCIES,
    INVALID_FILE_MESSAGE,
    LAYOUTS,
    MAX_FILE_BYTES,
    MAX_ROWS_PER_SHEET,
    MAX_UNCOMPRESSED_BYTES,
    OFFICIALS,
    UNITS,
    SheetLayout,
    cell_text,
    normalize_header,
    parse_bool,
    parse_date,
)
from egov.directory.models import Agency, Official, Position, Unit

# --- results -----------------------------------------------------------------------------------------


@dataclass
class RowError:
    sheet: str
    row: int
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "message": f"Dòng {self.row}: {self.message}"}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def text(self) -> str:
        return f"thêm mới {self.created}, cập nhật {self.updated}, không đổi {self.unchanged}"


@dataclass
class ImportReport:
    agencies: Counts = field(default_factory=Counts)
    units: Counts = field(default_factory=Counts)
    officials: Counts = field(default_factory=Counts)
    sheets: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated for c in (self.agencies, self.units, self.officials))

    def summary(self) -> str:
        parts = []
        for title, counts in ((AGENCIES.title, self.agencies), (UNITS.title, self.units),
                              (OFFICIALS.title, self.officials)):
            if title in self.sheets:
                parts.append(f"{title}: {counts.text()}")
        prefix = "Kiểm tra xong, tệp hợp lệ (chưa ghi dữ liệu). " if self.dry_run else ""
        return prefix + "; ".join(parts) + "."


class _ApplyFailed(Exception):
    def __init__(self, error: RowError):
        self.error = error


class _DryRun(Exception):
    pass


def _fail(errors: list[RowError]) -> DomainError:
    errors = sorted(errors, key=lambda e: ([lay.title for lay in LAYOUTS].index(e.sheet)
                                           if e.sheet in [lay.title for lay in LAYOUTS] else 9, e.row))
    return DomainError(
        "import_invalid",
        f"Tệp có {len(errors)} lỗi nên chưa nhập dữ liệu nào. Hãy sửa các dòng được nêu rồi nhập lại.",
        details=[e.as_dict() for e in errors],
    )


# --- reading -----------------------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    values: dict[str, Any]


@dataclass
class Sheet:
    layout: SheetLayout
    title: str
    present: set[str]
    rows: list[Row]


def _invalid_file() -> DomainError:
    return DomainError("invalid_excel", INVALID_FILE_MESSAGE)


def _read_bytes(source) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError("file_too_large", f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB).")
    return data


def _open_workbook(data: bytes):
    """Checked by content: a zip container whose parts are not absurdly large, that openpyxl can open."""
    if not data.startswith(b"PK\x03\x04"):
        raise _invalid_file()
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise DomainError("file_too_large", "Tệp Excel quá lớn sau khi giải nén.")
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except DomainError:
        raise
    except Exception:  # openpyxl and zipfile raise many types for damaged files; all mean the same here
        raise _invalid_file() from None


def _read_sheets(data: bytes, errors: list[RowError]) -> dict[str, Sheet]:
    workbook = _open_workbook(data)
    sheets: dict[str, Sheet] = {}
    try:
        for ws in workbook.worksheets:
            rows = ws.iter_rows(values_only=True, max_col=60)
            header = next(rows, None)
            if not header:
                continue
            headers = [normalize_header(h) for h in header]
            layout = next((lay for lay in LAYOUTS if normalize_header(lay.marker) in headers), None)
            if layout is None:
                continue
            if layout.kind in sheets:
                errors.append(RowError(layout.title, 1, f"Tệp có hai trang dữ liệu “{layout.title}” "
                                                        f"(“{sheets[layout.kind].title}” và “{ws.title}”)."))
                continue
            known = layout.header_map()
            positions = {known[h]: i for i, h in enumerate(headers) if h in known}
            for column in layout.columns:
                if column.required and column.key not in positions:
                    errors.append(RowError(layout.title, 1, f"Thiếu cột “{column.header}”."))
            parsed: list[Row] = []
            for number, values in enumerate(rows, start=2):
                if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                if number > MAX_ROWS_PER_SHEET + 1:
                    limit = f"{MAX_ROWS_PER_SHEET:,}".replace(",", ".")
                    errors.append(RowError(layout.title, number, f"Trang có quá {limit} dòng, hãy chia thành "
                                                                 "nhiều tệp."))
                    break
                parsed.append(Row(number, {key: values[i] if i < len(values) else None
                                           for key, i in positions.items()}))
            sheets[layout.kind] = Sheet(layout=layout, title=ws.title, present=set(positions), rows=parsed)
    except DomainError:
        raise
    except Exception:
        raise _invalid_file() from None
    finally:
        workbook.close()
    if not sheets and not errors:
        raise DomainError(
            "excel_no_sheet",
            "Tệp không có trang dữ liệu danh bạ nào: cần trang “Cơ quan”, “Phòng ban” hoặc “Cán bộ” với dòng "
            "tiêu đề ở dòng 1 như tệp xuất từ hệ thống.",
        )
    return sheets


# --- checking ----------------------------------------------------------------------------------------


def _clean_cells(row: Row, cleaners: dict[str, Callable[[Any], Any]], present: set[str],
                 problems: list[str]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, cleaner in cleaners.items():
        if key not in present:
            continue
        try:
            cleaned[key] = cleaner(row.values.get(key))
        except DomainError as exc:
            problems.append(exc.message)
    return cleaned


def _text(fn: Callable[[str], Any]) -> Callable[[Any], Any]:
    return lambda raw: fn(cell_text(raw))


def _required(label: str, fn: Callable[[str], Any]) -> Callable[[Any], Any]:
    def clean(raw):
        text = cell_text(raw)
        if not text:
            raise DomainError("required", f"Chưa nhập {label}.")
        return fn(text)
    return clean


def _optional_code(raw) -> str | None:
    text = cell_text(raw).upper()
    return services.clean_agency_code(text) if text else None


def _optional_unit_code(raw) -> str | None:
    text = cell_text(raw).upper()
    return services.clean_unit_code(text) if text else None


AGENCY_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": _text(lambda v: services.clean_text(v, label="tên cơ quan", max_length=255)),
    "abbreviation": _text(lambda v: services.clean_text(v, label="chữ viết tắt", max_length=30)),
    "kind": _required("loại cơ quan", services.clean_kind),
    "parent": _optional_code,
    "code_qcvn102": _text(services.clean_optional_qcvn102),
    "code_qd20": _text(services.clean_optional_qd20),
    "admin_unit_code": _text(services.clean_admin_unit_code),
    "address": _text(lambda v: services.clean_text(v, label="địa chỉ", max_length=255, required=False)),
    "phone": _text(services.clean_phone),
    "email": _text(services.clean_email),
    "is_active": parse_bool,
    "valid_from": parse_date,
    "valid_to": parse_date,
}
AGENCY_STRUCTURE = {"name", "abbreviation", "kind", "parent", "code_qcvn102", "code_qd20", "admin_unit_code",
                    "is_active", "valid_from", "valid_to"}

UNIT_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": _text(lambda v: services.clean_text(v, label="tên phòng, ban", max_length=255)),
    "parent": _optional_unit_code,
    "is_active": parse_bool,
}

OFFICIAL_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "full_name": _text(lambda v: services.clean_text(v, label="họ và tên", max_length=150)),
    "role": _required("vai trò", services.clean_staff_role),
    "agency": _required("mã cơ quan", services.clean_agency_code),
    "unit": _optional_unit_code,
    "position": cell_text,
    "phone": _text(services.clean_phone),
    "email": _text(services.clean_email),
    "is_active": parse_bool,
}


@dataclass
class AgencyPlan:
    row: int
    code: str
    existing: Agency | None
    values: dict[str, Any]
    diff: dict[str, Any] = field(default_factory=dict)


@dataclass
class UnitPlan:
    row: int
    agency_code: str
    code: str
    existing: Unit | None
    values: dict[str, Any]
    diff: dict[str, Any] = field(default_factory=dict)


@dataclass
class OfficialPlan:
    row: int
    username: str
    existing: Official | None
    values: dict[str, Any]
    position: Position | None = None


class _Checker:
    """Holds the database state and the file's rows while every row is checked."""

    def __init__(self, actor, sheets: dict[str, Sheet], errors: list[RowError]):
        self.actor = actor
        self.sheets = sheets
        self.errors = errors
        self.db_agencies = {a.code.upper(): a for a in Agency.objects.select_related("parent")}
        self.agency_plans: dict[str, AgencyPlan] = {}
        self.unit_plans: dict[tuple[str, str], UnitPlan] = {}
        self.official_plans: dict[str, OfficialPlan] = {}
        self.managed = policies.managed_agency_ids(actor) if actor is not None else None
        self.restructure = actor is None or policies.can_restructure_agencies(actor)

    def err(self, layout: SheetLayout, row: int, message: str) -> None:
        self.errors.append(RowError(layout.title, row, message))

    def can_manage(self, agency_code: str) -> bool:
        if self.managed is None:
            return True
        agency = self.db_agencies.get(agency_code)
        if agency is None:  # created by this file: only a system administrator may do that anyway
            return self.restructure
        return agency.pk in self.managed

    def agency_exists(self, code: str) -> bool:
        return code in self.agency_plans or code in self.db_agencies

    def final_agency_value(self, code: str, key: str):
        plan = self.agency_plans.get(code)
        if plan is not None and key in plan.values and not (key == "is_active" and plan.values[key] is None):
            return plan.values[key]
        agency = self.db_agencies.get(code)
        if agency is None:
            return {"is_active": True}.get(key)
        if key == "parent":
            return agency.parent.code.upper() if agency.parent_id else None
        return getattr(agency, key)

    def agency_name(self, code: str) -> str:
        plan = self.agency_plans.get(code)
        if plan is not None and plan.values.get("name"):
            return plan.values["name"]
        agency = self.db_agencies.get(code)
        return agency.name if agency else code

    # -- agencies

    def check_agencies(self, sheet: Sheet) -> None:
        layout = sheet.layout
        seen: dict[str, int] = {}
        for row in sheet.rows:
            problems: list[str] = []
            try:
                code = _required("mã cơ quan", services.clean_agency_code)(row.values.get("code"))
            except DomainError as exc:
                problems.append(exc.message)
                code = None
            values = _clean_cells(row, AGENCY_CLEANERS, sheet.present, problems)
            if code is not None and code in seen:
                problems.append(f"Mã cơ quan “{code}” trùng với dòng {seen[code]}.")
                code = None
            existing = self.db_agencies.get(code) if code else None
            for key, label in (("name", "tên cơ quan"), ("abbreviation", "chữ viết tắt"), ("kind", "loại cơ quan")):
                if existing is None and key not in sheet.present:
                    problems.append(f"Chưa nhập {label}.")
            for problem in problems:
                self.err(layout, row.number, problem)
            if code is not None:
                seen[code] = row.number
                self.agency_plans[code] = AgencyPlan(row.number, code, existing, values)
        self._check_agency_links(layout)

    def _check_agency_links(self, layout: SheetLayout) -> None:
        holders: dict[tuple[str, str], list[str]] = {}
        for agency in self.db_agencies.values():
            for key in ("code_qcvn102", "code_qd20"):
                value = getattr(agency, key)
                code = agency.code.upper()
                if value and not (code in self.agency_plans and key in self.agency_plans[code].values):
                    holders.setdefault((key, value), []).append(code)
        for plan in self.agency_plans.values():
            for key in ("code_qcvn102", "code_qd20"):
                if plan.values.get(key):
                    holders.setdefault((key, plan.values[key]), []).append(plan.code)
        for plan in self.agency_plans.values():
            for key in ("code_qcvn102", "code_qd20"):
                value = plan.values.get(key)
                others = [c for c in holders.get((key, value), []) if c != plan.code] if value else []
                for other in others:
                    where = (f"dòng {self.agency_plans[other].row}" if other in self.agency_plans
                             else f"cơ quan “{self.agency_name(other)}”")
                    self.err(layout, plan.row, f"Mã định danh “{value}” trùng với {where}.")
            parent = plan.values.get("parent")
            if parent is not None:
                if parent == plan.code:
                    self.err(layout, plan.row, "Cơ quan không thể là cấp trên của chính nó.")
                elif not self.agency_exists(parent):
                    self.err(layout, plan.row, f"Không có cơ quan cấp trên mã “{parent}”.")
            valid_from = self.final_agency_value(plan.code, "valid_from")
            valid_to = self.final_agency_value(plan.code, "valid_to")
            if valid_from and valid_to and valid_from > valid_to:
                self.err(layout, plan.row, f"Ngày hiệu lực từ ({valid_from:%d/%m/%Y}) sau ngày hiệu lực đến "
                                           f"({valid_to:%d/%m/%Y}).")
        for plan in self.agency_plans.values():
            chain, current = [plan.code], self.final_agency_value(plan.code, "parent")
            while current is not None and self.agency_exists(current):
                if current in chain:
                    if current == plan.code and len(chain) > 1:
                        loop = " → ".join([*chain, current])
                        self.err(layout, plan.row, f"Cơ quan cấp trên tạo thành vòng lặp ({loop}).")
                    break
                chain.append(current)
                current = self.final_agency_value(current, "parent")
            parent = self.final_agency_value(plan.code, "parent")
            child_active = self.final_agency_value(plan.code, "is_active")
            if (parent and self.agency_exists(parent) and child_active
                    and not self.final_agency_value(parent, "is_active")
                    and (plan.existing is None or "parent" in plan.values or "is_active" in plan.values)):
                self.err(layout, plan.row, f"Cơ quan cấp trên “{self.agency_name(parent)}” đã ngừng hoạt động.")
            self._agency_diff_and_rights(layout, plan)

    def _agency_diff_and_rights(self, layout: SheetLayout, plan: AgencyPlan) -> None:
        if plan.existing is None:
            if not self.restructure:
                self.err(layout, plan.row, "Bạn không có quyền thêm cơ quan.")
            return
        agency = plan.existing
        for key, value in plan.values.items():
            if key == "parent":
                current = agency.parent.code.upper() if agency.parent_id else None
            else:
                current = getattr(agency, key)
            if key == "is_active" and value is None:
                continue
            if value != current:
                plan.diff[key] = value
        if plan.diff:
            if set(plan.diff) & AGENCY_STRUCTURE and not self.restructure:
                self.err(layout, plan.row, f"Bạn không có quyền sửa tên, mã, cấp trên hoặc hiệu lực của cơ quan "
                                           f"“{agency.name}”.")
            elif not self.can_manage(plan.code):
                self.err(layout, plan.row, f"Bạn không có quyền sửa thông tin cơ quan “{agency.name}”.")

    # -- units

    def check_units(self, sheet: Sheet) -> None:
        layout = sheet.layout
        db_units = {(u.agency.code.upper(), u.code.upper()): u
                    for u in Unit.objects.select_related("agency", "parent")}
        for row in sheet.rows:
            problems: list[str] = []
            agency_code = code = None
            try:
                agency_code = _required("mã cơ quan", services.clean_agency_code)(row.values.get("agency"))
                if not self.agency_exists(agency_code):
                    problems.append(f"Không có cơ quan mã “{agency_code}”.")
                    agency_code = None
            except DomainError as exc:
                problems.append(exc.message)
            try:
                code = _required("mã phòng, ban", services.clean_unit_code)(row.values.get("code"))
            except DomainError as exc:
                problems.append(exc.message)
            values = _clean_cells(row, UNIT_CLEANERS, sheet.present, problems)
            key = (agency_code, code)
            if agency_code and code and key in self.unit_plans:
                problems.append(f"Phòng, ban “{code}” của cơ quan “{agency_code}” trùng với dòng "
                                f"{self.unit_plans[key].row}.")
            elif agency_code and code:
                self.unit_plans[key] = UnitPlan(row.number, agency_code, code, db_units.get(key), values)
            for problem in problems:
                self.err(layout, row.number, problem)

        def final_parent(key):
            plan = self.unit_plans.get(key)
            if plan is not None and "parent" in plan.values:
                return plan.values["parent"]
            unit = db_units.get(key)
            return unit.parent.code.upper() if unit is not None and unit.parent_id else None

        def exists(key):
            return key in self.unit_plans or key in db_units

        for plan in self.unit_plans.values():
            parent = plan.values.get("parent")
            if parent is not None:
                if parent == plan.code:
                    self.err(layout, plan.row, "Phòng, ban không thể là cấp trên của chính nó.")
                elif not exists((plan.agency_code, parent)):
                    self.err(layout, plan.row, f"Cơ quan “{plan.agency_code}” không có phòng, ban cấp trên mã "
                                               f"“{parent}”.")
                else:
                    chain, current = [plan.code], parent
                    while current is not None and exists((plan.agency_code, current)):
                        if current in chain:
                            if current == plan.code:
                                loop = " → ".join([*chain, current])
                                self.err(layout, plan.row, f"Phòng, ban cấp trên tạo thành vòng lặp ({loop}).")
                            break
                        chain.append(current)
                        current = final_parent((plan.agency_code, current))
            if plan.existing is None:
                if not self.final_agency_value(plan.agency_code, "is_active"):
                    self.err(layout, plan.row, f"Cơ quan “{self.agency_name(plan.agency_code)}” đã ngừng hoạt động, "
                                               "không thêm được phòng, ban.")
                if not self.can_manage(plan.agency_code):
                    self.err(layout, plan.row, f"Bạn không có quyền quản lý cơ quan "
                                               f"“{self.agency_name(plan.agency_code)}”.")
                continue
            unit = plan.existing
            for field_name, value in plan.values.items():
                current = (unit.parent.code.upper() if unit.parent_id else None) if field_name == "parent" \
                    else getattr(unit, field_name)
                if not (field_name == "is_active" and value is None) and value != current:
                    plan.diff[field_name] = value
            if plan.diff and not self.can_manage(plan.agency_code):
                self.err(layout, plan.row, f"Bạn không có quyền quản lý cơ quan "
                                           f"“{self.agency_name(plan.agency_code)}”.")
        self.db_units = db_units

    # -- officials

    def check_officials(self, sheet: Sheet) -> None:
        layout = sheet.layout
        db_units = getattr(self, "db_units", None)
        if db_units is None:
            db_units = {(u.agency.code.upper(), u.code.upper()): u for u in Unit.objects.select_related("agency")}
        positions = list(Position.objects.all())
        by_code = {p.code.upper(): p for p in positions}
        by_name: dict[str, list[Position]] = {}
        for p in positions:
            by_name.setdefault(p.name.casefold(), []).append(p)
        usernames = []
        for row in sheet.rows:
            try:
                usernames.append(services.clean_username(cell_text(row.values.get("username"))))
            except DomainError:
                continue
        user_model = get_user_model()
        users = {u.username.lower(): u for u in user_model.objects.filter(username__in=usernames)}
        officials = {o.user_id: o for o in Official.objects.select_related("user", "agency")
                     .filter(user__username__in=usernames)}
        for row in sheet.rows:
            problems: list[str] = []
            try:
                username = _required("tên đăng nhập", services.clean_username)(row.values.get("username"))
            except DomainError as exc:
                problems.append(exc.message)
                username = None
            values = _clean_cells(row, OFFICIAL_CLEANERS, sheet.present, problems)
            existing = None
            if username is not None:
                if username in self.official_plans:
                    problems.append(f"Tên đăng nhập “{username}” trùng với dòng {self.official_plans[username].row}.")
                    username = None
                elif username in users:
                    existing = officials.get(users[username].pk)
                    if existing is None:
                        problems.append(f"Tên đăng nhập “{username}” đã được dùng cho một tài khoản không phải "
                                        "cán bộ.")
            agency_code = values.get("agency")
            if agency_code and not self.agency_exists(agency_code):
                problems.append(f"Không có cơ quan mã “{agency_code}”.")
                agency_code = None
            target_agency = agency_code or (existing.agency.code.upper() if existing else None)
            unit_code = values.get("unit")
            if unit_code and target_agency and not (
                (target_agency, unit_code) in self.unit_plans or (target_agency, unit_code) in db_units
            ):
                problems.append(f"Cơ quan “{target_agency}” không có phòng, ban mã “{unit_code}”.")
            position = None
            if values.get("position"):
                wanted = values["position"]
                position = by_code.get(wanted.upper())
                if position is None:
                    matches = by_name.get(wanted.casefold(), [])
                    if len(matches) > 1:
                        problems.append(f"Có nhiều chức vụ tên “{wanted}”, hãy ghi mã chức vụ.")
                    elif not matches:
                        problems.append(f"Không có chức vụ “{wanted}” trong danh mục chức vụ.")
                    else:
                        position = matches[0]
            if self.actor is not None and target_agency:
                role = values.get("role")
                if not self.can_manage(target_agency) or (
                    existing is not None and not self.can_manage(existing.agency.code.upper())
                ):
                    problems.append(f"Bạn không có quyền quản lý cán bộ của cơ quan "
                                    f"“{self.agency_name(target_agency)}”.")
                elif (role == Role.SYSTEM_ADMIN or (existing and existing.user.role == Role.SYSTEM_ADMIN)) \
                        and not policies.is_system_admin(self.actor):
                    problems.append("Chỉ quản trị hệ thống mới được thêm hoặc sửa tài khoản quản trị hệ thống.")
                if existing is not None and existing.user_id == self.actor.pk:
                    if values.get("is_active") is False:
                        problems.append("Không thể tự khóa tài khoản của chính mình.")
                    if role is not None and role != existing.user.role:
                        problems.append("Không thể tự thay đổi vai trò của chính mình.")
            if existing is None and username is not None and target_agency and values.get("is_active") is not False \
                    and not self.final_agency_value(target_agency, "is_active"):
                problems.append(f"Cơ quan “{self.agency_name(target_agency)}” đã ngừng hoạt động.")
            for problem in problems:
                self.err(layout, row.number, problem)
            if username is not None:
                self.official_plans[username] = OfficialPlan(row.number, username, existing, values, position)


# --- applying ----------------------------------------------------------------------------------------


def _topological(keys: list, parent_of: Callable[[Any], Any]) -> list:
    """Parents before children among the file's rows (cycles were rejected while checking)."""
    pending, placed, ordered = list(keys), set(), []
    key_set = set(keys)
    while pending:
        ready = [k for k in pending if parent_of(k) not in key_set or parent_of(k) in placed]
        if not ready:  # cannot happen after checking; keep order rather than loop forever
            ordered.extend(pending)
            break
        for k in ready:
            ordered.append(k)
            placed.add(k)
            pending.remove(k)
    return ordered


def _call(layout: SheetLayout, row: int, fn: Callable, **kwargs):
    try:
        return fn(**kwargs)
    except DomainError as exc:
        raise _ApplyFailed(RowError(layout.title, row, exc.message)) from None


def _apply(actor, checker: _Checker, report: ImportReport) -> None:
    agencies = {a.code.upper(): a for a in Agency.objects.all()}
    plans = checker.agency_plans
    for code in _topological(list(plans), lambda c: plans[c].values.get("parent")):
        plan = plans[code]
        values = dict(plan.values)
        if "parent" in values:
            values["parent"] = agencies[values["parent"]] if values["parent"] else None
        if plan.existing is None:
            if values.get("is_active") is None:
                values.pop("is_active", None)
            agencies[code] = _call(AGENCIES, plan.row, services.agency_create, actor=actor, code=code, **values)
            report.agencies.created += 1
        elif plan.diff:
            diff = {k: values[k] for k in plan.diff}
            _call(AGENCIES, plan.row, services.agency_update, actor=actor, agency=agencies[code], **diff)
            report.agencies.updated += 1
        else:
            report.agencies.unchanged += 1

    units = {(u.agency.code.upper(), u.code.upper()): u for u in Unit.objects.select_related("agency")}
    unit_plans = checker.unit_plans
    order = _topological(list(unit_plans), lambda k: (k[0], unit_plans[k].values.get("parent")))
    for key in order:
        plan = unit_plans[key]
        parent_code = plan.values.get("parent")
        parent = units.get((plan.agency_code, parent_code)) if parent_code else None
        if plan.existing is None:
            unit = _call(UNITS, plan.row, services.unit_create, actor=actor, agency=agencies[plan.agency_code],
                         code=plan.code, name=plan.values.get("name", ""), parent=parent)
            if plan.values.get("is_active") is False:
                _call(UNITS, plan.row, services.unit_update, actor=actor, unit=unit, is_active=False)
            units[key] = unit
            report.units.created += 1
        elif plan.diff:
            diff = dict(plan.diff)
            if "parent" in diff:
                diff["parent"] = parent
            _call(UNITS, plan.row, services.unit_update, actor=actor, unit=units[key], **diff)
            report.units.updated += 1
        else:
            report.units.unchanged += 1

    for plan in checker.official_plans.values():
        values = plan.values
        if plan.existing is None:
            agency = agencies[values["agency"]]
            unit = units.get((values["agency"], values["unit"])) if values.get("unit") else None
            official = _call(OFFICIALS, plan.row, services.official_create, actor=actor, username=plan.username,
                             full_name=values.get("full_name", ""), role=values.get("role", ""), agency=agency,
                             unit=unit, position=plan.position, phone=values.get("phone", ""),
                             email=values.get("email", ""))
            if values.get("is_active") is False:
                _call(OFFICIALS, plan.row, services.official_deactivate, actor=actor, official=official)
            report.officials.created += 1
            continue
        official = plan.existing
        before = services.official_snapshot(official)
        changes: dict[str, Any] = {}
        for key in ("full_name", "role", "phone", "email"):
            if key in values:
                changes[key] = values[key]
        agency_code = values.get("agency") or official.agency.code.upper()
        if "agency" in values:
            changes["agency"] = agencies[agency_code]
        if "unit" in values:
            changes["unit"] = units.get((agency_code, values["unit"])) if values["unit"] else None
        if "position" in values:
            changes["position"] = plan.position
        official = _call(OFFICIALS, plan.row, services.official_update, actor=actor, official=official, **changes)
        if values.get("is_active") is False:
            _call(OFFICIALS, plan.row, services.official_deactivate, actor=actor, official=official)
        elif values.get("is_active") is True:
            _call(OFFICIALS, plan.row, services.official_reactivate, actor=actor, official=official)
        if services.official_snapshot(official) != before:
            report.officials.updated += 1
        else:
            report.officials.unchanged += 1


@transaction.atomic
def import_directory(*, actor=None, source, dry_run: bool = False) -> ImportReport:
    """Check the whole workbook, then apply it (or, with ``dry_run``, only check and roll back)."""
    if actor is not None and not policies.can_import(actor):
        raise PermissionDeniedError("Bạn không có quyền nhập danh bạ từ tệp Excel.")
    errors: list[RowError] = []
    sheets = _read_sheets(_read_bytes(source), errors)
    checker = _Checker(actor, sheets, errors)
    if "agencies" in sheets:
        checker.check_agencies(sheets["agencies"])
    if "units" in sheets:
        checker.check_units(sheets["units"])
    if "officials" in sheets:
        checker.check_officials(sheets["officials"])
    if errors:
        raise _fail(errors)
    report = ImportReport(sheets=[sheet.layout.title for sheet in sheets.values()], dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(actor, checker, report)
            if report.changed and not dry_run:
                audit_record(actor=actor, action="directory.import", object_type="directory.import",
                             object_repr="Nhập danh bạ từ tệp Excel",
                             extra={"summary": report.summary()})
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except _ApplyFailed as exc:
        raise _fail([exc.error]) from None
    return report
