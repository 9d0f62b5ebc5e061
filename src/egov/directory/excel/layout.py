"""The layout of directory workbooks: sheet names, Vietnamese column headers, and cell value conversion.

Import finds a sheet by its header row (row 1), not by its name, so a renamed sheet still imports.
A column missing from a sheet leaves that field untouched on existing records."""

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from egov.accounts.roles import Role
from egov.core.errors import DomainError
from egov.directory.models import AgencyKind

INVALID_FILE_MESSAGE = "Tệp không phải là tệp Excel (.xlsx) hợp lệ."
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ROWS_PER_SHEET = 20_000
YES, NO = "Có", "Không"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 18
    required: bool = False
    text: bool = False  # stored as text in Excel, so that codes keep their leading zeros


@dataclass(frozen=True)
class SheetLayout:
    kind: str
    title: str
    columns: tuple[Column, ...]
    marker: str  # a header only this sheet has

    def header_map(self) -> dict[str, str]:
        return {normalize_header(c.header): c.key for c in self.columns}


AGENCIES = SheetLayout(
    kind="agencies",
    title="Cơ quan",
    marker="Tên đầy đủ",
    columns=(
        Column("code", "Mã", 14, required=True, text=True),
        Column("name", "Tên đầy đủ", 52, required=True),
        Column("abbreviation", "Chữ viết tắt", 14, required=True),
        Column("kind", "Loại", 22, required=True),
        Column("parent", "Mã cơ quan cấp trên", 20, text=True),
        Column("code_qcvn102", "Mã định danh (QCVN 102)", 24, text=True),
        Column("code_qd20", "Mã định danh (QĐ 20/2020)", 24, text=True),
        Column("admin_unit_code", "Mã ĐVHC", 10, text=True),
        Column("address", "Địa chỉ", 36),
        Column("phone", "Điện thoại", 16, text=True),
        Column("email", "Thư điện tử", 28),
        Column("is_active", "Đang hoạt động", 14),
        Column("valid_from", "Hiệu lực từ", 13, text=True),
        Column("valid_to", "Hiệu lực đến", 13, text=True),
    ),
)

UNITS = SheetLayout(
    kind="units",
    title="Phòng ban",
    marker="Tên phòng, ban",
    columns=(
        Column("agency", "Mã cơ quan", 14, required=True, text=True),
        Column("code", "Mã phòng, ban", 14, required=True, text=True),
        Column("name", "Tên phòng, ban", 44, required=True),
        Column("parent", "Mã phòng, ban cấp trên", 22, text=True),
        Column("is_active", "Đang hoạt động", 14),
    ),
)

OFFICIALS = SheetLayout(
    kind="officials",
    title="Cán bộ",
    marker="Tên đăng nhập",
    columns=(
        Column("username", "Tên đăng nhập", 22, required=True, text=True),
        Column("full_name", "Họ và tên", 28, required=True),
        Column("role", "Vai trò", 26, required=True),
        Column("agency", "Mã cơ quan", 14, required=True, text=True),
        Column("unit", "Mã phòng, ban", 14, text=True),
        Column("position", "Chức vụ", 22),
        Column("phone", "Điện thoại", 16, text=True),
        Column("email", "Thư điện tử", 30),
        Column("is_active", "Đang công tác", 14),
    ),
)

LAYOUTS = (AGENCIES, UNITS, OFFICIALS)


def normalize_header(value) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split()).casefold()


def cell_text(value) -> str:
    """A cell as text: numbers typed into code columns lose their ``.0``, dates become dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def parse_bool(value) -> bool | None:
    """Có/Không (also x, 1/0, true/false); an empty cell is None ("not said")."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in {"có", "co", "x", "1", "true", "đúng"}:
        return True
    if text in {"không", "khong", "0", "false", "sai"}:
        return False
    raise DomainError("invalid_bool", f"Giá trị “{cell_text(value)}” không hợp lệ, hãy ghi “{YES}” hoặc “{NO}”.")


def parse_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DomainError("invalid_date", f"Ngày “{text}” không đúng dạng dd/mm/yyyy.")


def format_date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def role_label(role: str) -> str:
    """The Vietnamese label of a role, whatever language the request runs in."""
    with translation.override(None):
        return str(Role(role).label)


def kind_label(kind: str) -> str:
    with translation.override(None):
        return str(AgencyKind(kind).label)
