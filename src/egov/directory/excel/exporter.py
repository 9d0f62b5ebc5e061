"""Export of the directory to a workbook that ``import_directory`` reads back unchanged."""

from collections import Counter
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from egov.directory import policies
from egov.directory.excel.layout import (
    AGENCIES,
    NO,
    OFFICIALS,
    UNITS,
    YES,
    SheetLayout,
    format_date,
    kind_label,
    role_label,
)
from egov.directory.models import Agency, Official, Position, Unit
from egov.directory.selectors import agency_tree, flatten_tree

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
SHEETS = ("agencies", "units", "officials")


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _write_sheet(wb: Workbook, layout: SheetLayout, rows: list[dict]) -> None:
    ws = wb.create_sheet(layout.title)
    ws.append([c.header for c in layout.columns])
    for index, column in enumerate(layout.columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for row in rows:
        ws.append([row.get(c.key, "") for c in layout.columns])
    for index, column in enumerate(layout.columns, start=1):
        if column.text:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "@"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _agency_rows(agencies: list[Agency]) -> list[dict]:
    by_pk = {a.pk: a for a in agencies}
    roots = agency_tree(queryset=Agency.objects.filter(pk__in=by_pk), include_inactive=True)
    rows = []
    for node in flatten_tree(roots):
        a = node.agency
        rows.append({
            "code": a.code, "name": a.name, "abbreviation": a.abbreviation, "kind": kind_label(a.kind),
            "parent": a.parent.code if a.parent_id and a.parent_id in by_pk else "",
            "code_qcvn102": a.code_qcvn102 or "", "code_qd20": a.code_qd20 or "",
            "admin_unit_code": a.admin_unit_code, "address": a.address, "phone": a.phone, "email": a.email,
            "is_active": _yes_no(a.is_active), "valid_from": format_date(a.valid_from),
            "valid_to": format_date(a.valid_to),
        })
    return rows


def _unit_rows(agency_ids: set[int]) -> list[dict]:
    units = Unit.objects.filter(agency_id__in=agency_ids).select_related("agency", "parent")
    ordered = sorted(units, key=lambda u: (u.agency.code, u.parent_id is not None, u.code))
    # Parents first inside each agency, so that a reader sees the tree top-down.
    rows, placed, pending = [], set(), list(ordered)
    while pending:
        progress = False
        for unit in list(pending):
            if unit.parent_id is None or unit.parent_id in placed or unit.parent_id not in {u.pk for u in ordered}:
                rows.append(unit)
                placed.add(unit.pk)
                pending.remove(unit)
                progress = True
        if not progress:
            rows.extend(pending)
            break
    return [{
        "agency": u.agency.code, "code": u.code, "name": u.name, "parent": u.parent.code if u.parent_id else "",
        "is_active": _yes_no(u.is_active),
    } for u in rows]


def _official_rows(officials: list[Official]) -> list[dict]:
    duplicated_names = {name for name, n in Counter(Position.objects.values_list("name", flat=True)).items() if n > 1}
    rows = []
    for o in officials:
        position = ""
        if o.position_id:
            position = o.position.code if o.position.name in duplicated_names else o.position.name
        rows.append({
            "username": o.user.username, "full_name": o.user.full_name, "role": role_label(o.user.role),
            "agency": o.agency.code, "unit": o.unit.code if o.unit_id else "", "position": position,
            "phone": o.phone, "email": o.email, "is_active": _yes_no(o.is_active and o.user.is_active),
        })
    return rows


def export_directory(*, actor=None, sheets: tuple[str, ...] = SHEETS) -> bytes:
    """The directory as .xlsx bytes: what ``actor`` may see (everything for ``actor=None``, the system)."""
    if actor is None:
        agencies = list(Agency.objects.select_related("parent"))
        officials_qs = Official.objects.select_related("user", "agency", "unit", "position")
    else:
        agencies = list(policies.agencies_visible_to(actor))
        officials_qs = policies.officials_visible_to(actor)
    wb = Workbook()
    wb.remove(wb.active)
    if "agencies" in sheets:
        _write_sheet(wb, AGENCIES, _agency_rows(agencies))
    if "units" in sheets:
        _write_sheet(wb, UNITS, _unit_rows({a.pk for a in agencies}))
    if "officials" in sheets:
        officials = sorted(officials_qs, key=lambda o: (o.agency.code, o.user.username))
        _write_sheet(wb, OFFICIALS, _official_rows(officials))
    wb.properties.title = "Danh bạ cơ quan, cán bộ"
    wb.properties.creator = "Hệ thống Chính quyền số tỉnh Cà Mau"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
