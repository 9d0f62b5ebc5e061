"""The managers' statistics as an Excel workbook (openpyxl): Vietnamese headers, the period dd/mm/yyyy in the
title, a totals row, percentages stored as fractions with a percent format so they can be summed and charted.

Written in openpyxl's write-only mode, with styles only where they carry meaning (title, header, totals and
the percentage cells): a province-wide table by agency and procedure has well over a thousand rows."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from egov.onestop.statistics import Statistics, StatRow

TITLE = "BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"
PERCENT = "0.0%"
NUMBER = "#,##0"
HEADER_ROW = 6
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

LABEL_COLUMNS = {
    "agency": [("Mã cơ quan", 14), ("Cơ quan tiếp nhận", 44)],
    "procedure": [("Mã thủ tục", 12), ("Tên thủ tục hành chính", 60)],
    "agency_procedure": [("Cơ quan tiếp nhận", 40), ("Mã thủ tục", 12), ("Tên thủ tục hành chính", 50)],
    "month": [("Tháng", 12)],
}
NUMBER_COLUMNS = [
    ("Tiếp nhận", "received"),
    ("Trực tuyến", "online"),
    ("Đã giải quyết", "resolved"),
    ("Trước hạn", "early"),
    ("Đúng hạn", "on_time"),
    ("Quá hạn", "late"),
    ("Đang giải quyết", "in_progress"),
    ("Từ chối tiếp nhận", "refused"),
    ("Rút hồ sơ", "withdrawn"),
    ("Đã trả kết quả", "returned"),
]
PERCENT_COLUMNS = [
    ("Tỷ lệ trực tuyến", "online_share"),
    ("Tỷ lệ đúng hạn (trước và đúng hạn)", "on_time_rate"),
]


def _label_values(row: StatRow, group_by: str) -> list:
    return {
        "agency": lambda: [row.agency_code, row.agency_name],
        "procedure": lambda: [row.procedure_code, row.procedure_name],
        "agency_procedure": lambda: [row.agency_name, row.procedure_code, row.procedure_name],
        "month": lambda: [f"{row.month:%m/%Y}" if row.month else ""],
    }[group_by]()


def _fraction(value):
    return float(value) / 100 if value is not None else None


def _styles(workbook: Workbook) -> None:
    bold = Font(bold=True)
    for style in (
        NamedStyle(name="tieu_de", font=Font(bold=True, size=13)),
        NamedStyle(name="ky", font=Font(italic=True)),
        NamedStyle(name="ghi_chu", font=Font(italic=True, size=9)),
        NamedStyle(name="cot", font=bold, fill=PatternFill("solid", fgColor="DDEBF7"), border=_BORDER,
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle(name="ty_le", number_format=PERCENT),
        NamedStyle(name="tong", font=bold, fill=PatternFill("solid", fgColor="F2F2F2"), border=_BORDER,
                   number_format=NUMBER),
        NamedStyle(name="tong_ty_le", font=bold, fill=PatternFill("solid", fgColor="F2F2F2"), border=_BORDER,
                   number_format=PERCENT),
    ):
        workbook.add_named_style(style)


def statistics_workbook(stats: Statistics) -> bytes:
    """The .xlsx bytes of ``stats`` (title, period, scope, header, one line per row, totals)."""
    workbook = Workbook(write_only=True)
    _styles(workbook)
    sheet = workbook.create_sheet("Thống kê")
    labels = LABEL_COLUMNS[stats.group_by]
    headers = [("STT", 6), *labels, *[(name, 13) for name, _ in NUMBER_COLUMNS],
               *[(name, 16) for name, _ in PERCENT_COLUMNS]]
    for index, (_, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"{get_column_letter(2 + len(labels))}{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"

    def styled(value, style: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.style = style
        return cell

    scope = f"Phạm vi: {stats.scope_label}"
    if stats.procedure is not None:
        scope += f" · Thủ tục: {stats.procedure.code} – {stats.procedure.name}"
    scope += f" · Nhóm theo: {stats.group_label.lower()}"
    sheet.append([styled(TITLE, "tieu_de")])
    sheet.append([styled(stats.period_label, "ky")])
    sheet.append([scope])
    sheet.append([styled("Số liệu tính theo ngày tiếp nhận hồ sơ; “đang giải quyết” tính đến "
                         f"{timezone.localtime():%H:%M ngày %d/%m/%Y}.", "ghi_chu")])
    sheet.append([])
    sheet.append([styled(name, "cot") for name, _ in headers])

    percent_attrs = [attr for _, attr in PERCENT_COLUMNS]
    number_attrs = [attr for _, attr in NUMBER_COLUMNS]
    for number, row in enumerate(stats.rows, start=1):
        sheet.append([number, *_label_values(row, stats.group_by), *[getattr(row, a) for a in number_attrs],
                      *[styled(_fraction(getattr(row, a)), "ty_le") for a in percent_attrs]])
    totals = stats.totals
    sheet.append([styled("", "tong"), styled("Tổng cộng", "tong"), *[styled("", "tong") for _ in labels[1:]],
                  *[styled(getattr(totals, a), "tong") for a in number_attrs],
                  *[styled(_fraction(getattr(totals, a)), "tong_ty_le") for a in percent_attrs]])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statistics_filename(stats: Statistics) -> str:
    return f"thong-ke-ho-so-{stats.date_from:%Y%m%d}-{stats.date_to:%Y%m%d}.xlsx"
