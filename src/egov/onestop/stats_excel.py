"""The managers' statistics as an Excel workbook (openpyxl): Vietnamese headers, the period in the title,
a totals row, percentages stored as fractions with a percent format so they can be summed and charted."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from egov.onestop.statistics import Statistics, StatRow

TITLE = "BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"
PERCENT = "0.0%"
NUMBER = "#,##0"
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def _label_columns(group_by: str) -> list[tuple[str, int]]:
    return {
        "agency": [("Mã cơ quan", 14), ("Cơ quan tiếp nhận", 44)],
        "procedure": [("Mã thủ tục", 12), ("Tên thủ tục hành chính", 60)],
        "agency_procedure": [("Cơ quan tiếp nhận", 40), ("Mã thủ tục", 12), ("Tên thủ tục hành chính", 50)],
        "month": [("Tháng", 12)],
    }[group_by]


def _label_values(row: StatRow, group_by: str) -> list:
    return {
        "agency": [row.agency_code, row.agency_name],
        "procedure": [row.procedure_code, row.procedure_name],
        "agency_procedure": [row.agency_name, row.procedure_code, row.procedure_name],
        "month": [f"{row.month:%m/%Y}" if row.month else ""],
    }[group_by]


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


def _fraction(value):
    return float(value) / 100 if value is not None else None


def statistics_workbook(stats: Statistics) -> bytes:
    """The .xlsx bytes of ``stats`` (title, period, scope, header, one line per row, totals)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Thống kê"
    labels = _label_columns(stats.group_by)
    headers = [("STT", 6), *labels, *[(name, 13) for name, _ in NUMBER_COLUMNS],
               *[(name, 16) for name, _ in PERCENT_COLUMNS]]
    width = len(headers)
    last = get_column_letter(width)

    sheet["A1"] = TITLE
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = stats.period_label
    sheet["A2"].font = Font(italic=True)
    sheet["A3"] = (f"Phạm vi: {stats.scope_label}"
                   + (f" · Thủ tục: {stats.procedure.code} – {stats.procedure.name}" if stats.procedure else "")
                   + f" · Nhóm theo: {stats.group_label.lower()}")
    sheet["A4"] = (f"Số liệu tính theo ngày tiếp nhận hồ sơ; “đang giải quyết” tính đến "
                   f"{timezone.localtime():%H:%M ngày %d/%m/%Y}.")
    sheet["A4"].font = Font(italic=True, size=9)
    for row in (1, 2, 3, 4):
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet[f"A{row}"].alignment = Alignment(horizontal="center" if row <= 2 else "left")

    header_row = 6
    for index, (name, column_width) in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=index, value=name)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column_width
    sheet.row_dimensions[header_row].height = 45

    def write(row_number: int, number, row: StatRow, *, total: bool = False) -> None:
        values = ([number] + (_label_values(row, stats.group_by) if not total else
                              ["Tổng cộng"] + [""] * (len(labels) - 1))
                  + [getattr(row, attr) for _, attr in NUMBER_COLUMNS]
                  + [_fraction(getattr(row, attr)) for _, attr in PERCENT_COLUMNS])
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=index, value=value)
            cell.border = _BORDER
            if index > 1 + len(labels) + len(NUMBER_COLUMNS):
                cell.number_format = PERCENT
            elif index > 1 + len(labels):
                cell.number_format = NUMBER
            if total:
                cell.font = Font(bold=True)
                cell.fill = _TOTAL_FILL

    current = header_row + 1
    for number, row in enumerate(stats.rows, start=1):
        write(current, number, row)
        current += 1
    write(current, "", stats.totals, total=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2 + len(labels))
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statistics_filename(stats: Statistics) -> str:
    return f"thong-ke-ho-so-{stats.date_from:%Y%m%d}-{stats.date_to:%Y%m%d}.xlsx"
