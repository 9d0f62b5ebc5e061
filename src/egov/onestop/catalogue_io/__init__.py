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

import json

from django.db import transaction
from django.utils import timezone

from egov.core.audit import audit_record
from egov.core.errors import DomainError
from egov.onestop import catalogue as cat
from egov.onestop.catalogue import CatalogueInvalid
from egov.onestop.catalogue_io.bundle import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_IMPORT_BYTES,
    VERSION_LISTS,
    VERSION_META,
    XLSX_CONTENT_TYPE,
    Bundle,
    ImportReport,
    Item,
    ProcedureIn,
    VersionIn,
)
from egov.onestop.catalogue_io.excel import bundle_from_xlsx, workbook_from_document
from egov.onestop.models import Field, Procedure

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "MAX_IMPORT_BYTES", "XLSX_CONTENT_TYPE", "CatalogueInvalid", "ImportReport",
    "bundle_from_bytes", "bundle_from_json", "bundle_from_xlsx", "bundle_validate", "catalogue_export_data",
    "catalogue_export_json", "catalogue_export_xlsx", "catalogue_import", "catalogue_import_document",
]


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
            bundle.field_locs[value["code"]] = item.loc
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
                     "papers": lists["papers"], "steps": sorted(lists["steps"], key=lambda s: s.get("order") or 0)}
    return errors


# --- writing ------------------------------------------------------------------------------------------
def _apply(bundle: Bundle, actor, report: ImportReport) -> None:
    for code, name in bundle.cleaned_fields.items():
        existed = Field.objects.filter(code=code).exists()
        try:
            _, changed = cat.field_upsert(actor=actor, code=code, name=name)
        except DomainError as exc:
            raise CatalogueInvalid([f"{bundle.field_locs[code]}: {exc.message}"]) from None
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
    cat.require_manager(actor)
    return _import_bundle(bundle_from_bytes(data), actor=actor, dry_run=dry_run)


def catalogue_import_document(*, actor, doc, dry_run: bool = False) -> ImportReport:
    """Import an already parsed JSON document (the demo loader builds one in memory)."""
    cat.require_manager(actor)
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


def catalogue_export_xlsx(queryset=None) -> bytes:
    return workbook_from_document(catalogue_export_data(queryset))
