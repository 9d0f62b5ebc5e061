"""Registers, file indexes and handling statistics as Excel workbooks (openpyxl, write-only mode like the
one-stop statistics): Vietnamese headers, the agency and the period dd/mm/yyyy above the table, rows streamed
from the database in chunks so a year's register does not sit in memory as objects."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from egov.core.errors import DomainError
from egov.documents import selectors_reports as sel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
INCOMING_WIDTHS = [9, 16, 34, 48, 30, 12, 22, 20, 20]
OUTGOING_WIDTHS = [16, 12, 48, 24, 36, 22, 9, 16, 12, 22]


def _workbook() -> Workbook:
    workbook = Workbook(write_only=True)
    for style in (
        NamedStyle(name="tieu_de", font=Font(bold=True, size=13)),
        NamedStyle(name="ky", font=Font(italic=True)),
        NamedStyle(name="cot", font=Font(bold=True), fill=PatternFill("solid", fgColor="DDEBF7"), border=_BORDER,
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle(name="dong", alignment=Alignment(vertical="top", wrap_text=True)),
        NamedStyle(name="ty_le", number_format=PERCENT),
        NamedStyle(name="tong", font=Font(bold=True), fill=PatternFill("solid", fgColor="F2F2F2"), border=_BORDER),
        NamedStyle(name="tong_ty_le", font=Font(bold=True), fill=PatternFill("solid", fgColor="F2F2F2"),
                   border=_BORDER, number_format=PERCENT),
    ):
        workbook.add_named_style(style)
    return workbook


def _sheet(workbook: Workbook, name: str, widths: list[int], header_row: int):
    sheet = workbook.create_sheet(name)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    return sheet


def _cell(sheet, value, style: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.style = style
    return cell


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_workbook(register: sel.Register) -> bytes:
    """The register as .xlsx: title, agency, register name, period, header, one line per document."""
    count = register.count()
    if count > sel.REGISTER_EXCEL_MAX_ROWS:
        raise DomainError("period_too_long", f"Kỳ đã chọn có {count:,} văn bản, quá {sel.REGISTER_EXCEL_MAX_ROWS:,} "
                          "dòng cho một tệp Excel; hãy chọn kỳ ngắn hơn.".replace(",", "."))
    workbook = _workbook()
    incoming = register.direction == sel.Direction.INCOMING
    sheet = _sheet(workbook, "Sổ văn bản đến" if incoming else "Sổ văn bản đi",
                   INCOMING_WIDTHS if incoming else OUTGOING_WIDTHS, header_row=6)
    sheet.append([_cell(sheet, register.title, "tieu_de")])
    sheet.append([register.agency.name])
    sheet.append([register.register.name if register.register else "Tất cả các sổ"])
    sheet.append([_cell(sheet, register.period_label, "ky")])
    sheet.append([_cell(sheet, f"{count} văn bản · lập lúc {timezone.localtime():%H:%M ngày %d/%m/%Y}"
                         + (" · không gồm văn bản mật" if register.secret_hidden else ""), "ky")])
    sheet.append([_cell(sheet, name, "cot") for name in register.columns])
    keys = sel.register_keys(register.direction)
    for row in register.rows():
        sheet.append([row[key] for key in keys])
    return _save(workbook)


def register_filename(register: sel.Register, ext: str) -> str:
    kind = "den" if register.direction == sel.Direction.INCOMING else "di"
    return f"so-van-ban-{kind}-{register.agency.code}-{register.start:%Y%m%d}-{register.end:%Y%m%d}.{ext}"


INDEX_COLUMNS = [("STT", 6), ("Văn bản", 8), ("Số, ký hiệu", 18), ("Ngày tháng văn bản", 12),
                 ("Tác giả văn bản", 30), ("Trích yếu nội dung", 60), ("Số trang", 8), ("Ghi chú", 24)]


def index_workbook(index: sel.FileIndex) -> bytes:
    """The index of a file (mục lục văn bản) with the file's code, title and totals."""
    work_file = index.work_file
    workbook = _workbook()
    sheet = _sheet(workbook, "Mục lục văn bản", [w for _, w in INDEX_COLUMNS], header_row=6)
    sheet.append([_cell(sheet, "MỤC LỤC VĂN BẢN", "tieu_de")])
    sheet.append([f"Hồ sơ số: {work_file.notation} · Mã hồ sơ: {index.code}"])
    sheet.append([f"Tiêu đề: {work_file.title}"])
    sheet.append([_cell(sheet, f"Thời hạn bảo quản: {work_file.retention.name} · Thời gian: "
                               f"{sel.fmt_date(work_file.start_date)} – {sel.fmt_date(work_file.end_date)}", "ky")])
    sheet.append([])
    sheet.append([_cell(sheet, name, "cot") for name, _ in INDEX_COLUMNS])
    for row in index.rows:
        sheet.append([row["ordinal"], row["direction"], row["number_notation"], sel.fmt_date(row["issued_date"]),
                      row["issuer"], _cell(sheet, row["summary"], "dong"), row["page_count"], row["description"]])
    sheet.append([_cell(sheet, "", "tong"), _cell(sheet, "Tổng cộng", "tong"),
                  _cell(sheet, f"{index.doc_total} văn bản", "tong"), *[_cell(sheet, "", "tong") for _ in range(3)],
                  _cell(sheet, index.page_total, "tong"), _cell(sheet, "", "tong")])
    return _save(workbook)


STAT_COLUMNS = [("Được giao", "total"), ("Đã xong", "done"), ("Trước hạn", "early"), ("Đúng hạn", "on_time"),
                ("Quá hạn", "late"), ("Đang xử lý trong hạn", "in_progress"), ("Chưa xong, đã quá hạn", "overdue")]


def statistics_workbook(stats: sel.HandlingStatistics, shares: list[sel.ElectronicShare]) -> bytes:
    """Handling per unit (with totals) and the share of outgoing documents issued electronically."""
    workbook = _workbook()
    sheet = _sheet(workbook, "Xử lý văn bản đến", [6, 44, *[12] * len(STAT_COLUMNS), 14], header_row=6)
    sheet.append([_cell(sheet, "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN", "tieu_de")])
    sheet.append([stats.agency.name])
    sheet.append([_cell(sheet, stats.period_label, "ky")])
    sheet.append([_cell(sheet, "Theo ngày giao xử lý; “đang xử lý”, “quá hạn” tính đến "
                               f"{timezone.localtime(stats.as_of):%H:%M ngày %d/%m/%Y}.", "ky")])
    sheet.append([])
    sheet.append([_cell(sheet, n, "cot") for n in ("STT", "Phòng, ban", *[c for c, _ in STAT_COLUMNS],
                                                   "Tỷ lệ đúng hạn")])
    for number, row in enumerate(stats.rows, start=1):
        rate = row.on_time_rate
        sheet.append([number, row.label, *[getattr(row, a) for _, a in STAT_COLUMNS],
                      _cell(sheet, rate / 100 if rate is not None else None, "ty_le")])
    totals = stats.totals
    rate = totals.on_time_rate
    sheet.append([_cell(sheet, "", "tong"), _cell(sheet, "Tổng cộng", "tong"),
                  *[_cell(sheet, getattr(totals, a), "tong") for _, a in STAT_COLUMNS],
                  _cell(sheet, rate / 100 if rate is not None else None, "tong_ty_le")])

    share_sheet = _sheet(workbook, "Văn bản đi điện tử", [14, 44, 14, 14, 16], header_row=4)
    share_sheet.append([_cell(share_sheet, "TỶ LỆ VĂN BẢN ĐI PHÁT HÀNH ĐIỆN TỬ", "tieu_de")])
    share_sheet.append([_cell(share_sheet, f"{stats.period_label} · chỉ tiêu {sel.ELECTRONIC_TARGET}%", "ky")])
    share_sheet.append([])
    share_sheet.append([_cell(share_sheet, n, "cot") for n in ("Mã cơ quan", "Cơ quan", "Văn bản đi đã phát hành",
                                                               "Phát hành điện tử", "Tỷ lệ điện tử")])
    for share in shares:
        value = share.share
        share_sheet.append([share.agency_code, share.agency_name, share.issued, share.electronic,
                            _cell(share_sheet, value / 100 if value is not None else None, "ty_le")])
    return _save(workbook)
