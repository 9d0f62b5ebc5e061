"""Writes of the catalogue, each checked against the policy, validated and audited.

A version that a dossier refers to is never edited: changing its rules makes a new version and closes the
previous one (``valid_to``); a version nobody used yet may be corrected in place.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q

from egov.core.audit import audit_record
from egov.core.errors import DomainError
from egov.onestop.catalogue.rules import CatalogueInvalid, clean_field, clean_procedure_head, version_rules_validate
from egov.onestop.catalogue.selectors import (
    local_today,
    rules_payload,
    version_has_dossiers,
    version_payload,
)
from egov.onestop.models import Field, Procedure, ProcedureVersion, ProcessStep, RequiredPaper
from egov.onestop.policies import can_manage_catalogue, require


def require_manager(actor) -> None:
    """``actor=None`` is the system itself (management commands, the demo loader); people need the policy."""
    if actor is None:
        return
    require(getattr(actor, "is_authenticated", False) and can_manage_catalogue(actor),
            "Bạn không có quyền quản lý danh mục thủ tục hành chính.")


def _write_rules(version: ProcedureVersion, rules: dict) -> None:
    version.implementing_agency_text = rules["implementing_agency"]
    version.processing_days = rules["processing_days"]
    version.processing_hours = rules["processing_hours"]
    for key in ("count_receipt_day", "online_mode", "online_result", "consultation_allowed", "fees",
                "legal_basis", "form_schema", "notes"):
        setattr(version, key, rules[key])
    version.result_documents = rules["result_documents"]
    version.save()
    version.papers.all().delete()
    version.steps.all().delete()
    RequiredPaper.objects.bulk_create(
        RequiredPaper(version=version, order=index, **paper) for index, paper in enumerate(rules["papers"], 1))
    ProcessStep.objects.bulk_create(ProcessStep(version=version, **step) for step in rules["steps"])


@transaction.atomic
def field_upsert(*, actor, code: str, name: str) -> tuple[Field, bool]:
    """Create a field or rename it; returns (field, changed)."""
    require_manager(actor)
    cleaned, errors = clean_field({"code": code, "name": name})
    if errors:
        raise CatalogueInvalid(errors)
    field = Field.objects.filter(code=cleaned["code"]).first()
    if field is not None and field.name == cleaned["name"]:
        return field, False
    clash = Field.objects.filter(name=cleaned["name"]).exclude(code=cleaned["code"]).first()
    if clash is not None:
        raise DomainError("field_name_taken", f"Tên lĩnh vực “{cleaned['name']}” đã dùng cho mã “{clash.code}”.",
                          status=409)
    before = {"name": field.name} if field else None
    if field is None:
        field = Field.objects.create(**cleaned)
    else:
        field.name = cleaned["name"]
        field.save(update_fields=["name", "updated_at"])
    audit_record(actor=actor, action="onestop.field.save", obj=field, object_id=field.code, before=before,
                 after=cleaned)
    return field, True


@transaction.atomic
def procedure_version_create(*, actor, procedure: Procedure, rules: dict, valid_from: dt.date | None = None,
                             valid_to: dt.date | None = None, number: int | None = None) -> ProcedureVersion:
    """A new version of the rules; the version before it is closed the day before ``valid_from``."""
    require_manager(actor)
    cleaned = version_rules_validate(rules)
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    latest = procedure.versions.order_by("-number").first()
    valid_from = valid_from or local_today()
    if valid_to is not None and valid_to < valid_from:
        raise DomainError("invalid_validity", "Ngày hết hiệu lực phải từ ngày có hiệu lực trở đi.")
    if number is None:
        number = (latest.number + 1) if latest else 1
    elif procedure.versions.filter(number=number).exists():
        raise DomainError("version_exists", f"Thủ tục {procedure.code} đã có phiên bản {number}.", status=409)
    if latest is not None and number > latest.number:
        if valid_from < latest.valid_from:
            raise DomainError(
                "invalid_validity",
                f"Phiên bản mới phải có hiệu lực từ ngày {latest.valid_from:%d/%m/%Y} (ngày hiệu lực của phiên bản "
                f"{latest.number}) trở đi.")
        if latest.valid_to is None or latest.valid_to >= valid_from:
            latest.valid_to = max(latest.valid_from, valid_from - dt.timedelta(days=1))
            latest.save(update_fields=["valid_to", "updated_at"])
    version = ProcedureVersion(procedure=procedure, number=number, valid_from=valid_from, valid_to=valid_to)
    _write_rules(version, cleaned)
    newest = procedure.versions.aggregate(n=Max("number"))["n"]
    if newest == number:
        procedure.current_version = version
        procedure.save(update_fields=["current_version", "updated_at"])
    audit_record(actor=actor, action="onestop.procedure.version_create", obj=version,
                 object_id=f"{procedure.code}/v{number}",
                 after={"number": number, "valid_from": valid_from, "valid_to": valid_to})
    return version


_KEEP = object()


@transaction.atomic
def procedure_version_update(*, actor, version: ProcedureVersion, rules: dict, valid_from=_KEEP,
                             valid_to=_KEEP) -> ProcedureVersion:
    """Correct a version in place: only while no dossier was received under it."""
    require_manager(actor)
    cleaned = version_rules_validate(rules)
    version = ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    if version_has_dossiers(version):
        raise DomainError(
            "version_in_use",
            f"Phiên bản {version.number} của thủ tục {version.procedure.code} đã có hồ sơ tiếp nhận nên không "
            "được sửa; hãy tạo phiên bản mới.", status=409)
    before = version_payload(version)
    if valid_from is not _KEEP:
        version.valid_from = valid_from
    if valid_to is not _KEEP:
        version.valid_to = valid_to
    if version.valid_to is not None and version.valid_to < version.valid_from:
        raise DomainError("invalid_validity", "Ngày hết hiệu lực phải từ ngày có hiệu lực trở đi.")
    _write_rules(version, cleaned)
    audit_record(actor=actor, action="onestop.procedure.version_update", obj=version,
                 object_id=f"{version.procedure.code}/v{version.number}",
                 before={"valid_from": before["valid_from"], "valid_to": before["valid_to"]},
                 after={"valid_from": version.valid_from, "valid_to": version.valid_to,
                        "changed": sorted(k for k, v in version_payload(version).items() if before.get(k) != v)})
    return version


@transaction.atomic
def procedure_create(*, actor, code: str, name: str, field: Field, level: str, rules: dict,
                     valid_from: dt.date | None = None, valid_to: dt.date | None = None, number: int | None = None,
                     is_active: bool = True) -> Procedure:
    """A new procedure with its first version of rules (``number`` and ``valid_to`` only for imports)."""
    require_manager(actor)
    head, errors = clean_procedure_head({"code": code, "name": name, "field": field.code, "level": level,
                                         "is_active": is_active})
    if errors:
        raise CatalogueInvalid(errors)
    version_rules_validate(rules)
    if Procedure.objects.filter(code=head["code"]).exists():
        raise DomainError("procedure_exists", f"Đã có thủ tục mã “{head['code']}”.", status=409)
    procedure = Procedure.objects.create(code=head["code"], name=head["name"], field=field, level=head["level"],
                                         is_active=head["is_active"])
    audit_record(actor=actor, action="onestop.procedure.create", obj=procedure, object_id=procedure.code,
                 after={"name": procedure.name, "field": field.code, "level": procedure.level})
    procedure_version_create(actor=actor, procedure=procedure, rules=rules, valid_from=valid_from,
                             valid_to=valid_to, number=number)
    procedure.refresh_from_db()
    return procedure


@transaction.atomic
def procedure_update(*, actor, procedure: Procedure, name: str, field: Field, level: str,
                     is_active: bool | None = None) -> bool:
    """The attributes that are not versioned (name, field, level, active). Returns whether anything changed."""
    require_manager(actor)
    head, errors = clean_procedure_head({"code": procedure.code, "name": name, "field": field.code,
                                         "level": level, "is_active": procedure.is_active if is_active is None
                                         else is_active})
    if errors:
        raise CatalogueInvalid(errors)
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    before = {"name": procedure.name, "field": procedure.field.code, "level": procedure.level,
              "is_active": procedure.is_active}
    after = {"name": head["name"], "field": field.code, "level": head["level"], "is_active": head["is_active"]}
    if before == after:
        return False
    procedure.name, procedure.field, procedure.level = head["name"], field, head["level"]
    procedure.is_active = head["is_active"]
    procedure.save()
    audit_record(actor=actor, action="onestop.procedure.update", obj=procedure, object_id=procedure.code,
                 before=before, after=after)
    return True


@transaction.atomic
def procedure_rules_save(*, actor, procedure: Procedure, rules: dict,
                         valid_from: dt.date | None = None) -> tuple[ProcedureVersion, str]:
    """Change a procedure's rules the safe way: nothing if equal, in place if unused, else a new version.

    Returns (version, "unchanged" | "updated" | "new_version" | "created").
    """
    require_manager(actor)
    cleaned = version_rules_validate(rules)
    latest = procedure.versions.order_by("-number").first()
    if latest is None:
        return procedure_version_create(actor=actor, procedure=procedure, rules=rules, valid_from=valid_from), \
            "created"
    if version_payload(latest, with_validity=False) == rules_payload(cleaned):
        return latest, "unchanged"
    if version_has_dossiers(latest):
        start = max(valid_from or local_today(), latest.valid_from)
        return procedure_version_create(actor=actor, procedure=procedure, rules=rules, valid_from=start), \
            "new_version"
    return procedure_version_update(actor=actor, version=latest, rules=rules), "updated"


@transaction.atomic
def procedure_deactivate(*, actor, procedure: Procedure, on: dt.date | None = None) -> Procedure:
    """Stop receiving dossiers for a procedure; its open version ends on ``on`` (default today)."""
    require_manager(actor)
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if not procedure.is_active:
        raise DomainError("procedure_inactive", f"Thủ tục {procedure.code} đã ngừng áp dụng.", status=409)
    day = on or local_today()
    procedure.is_active = False
    procedure.save(update_fields=["is_active", "updated_at"])
    for version in procedure.versions.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day)):
        version.valid_to = max(version.valid_from, day)
        version.save(update_fields=["valid_to", "updated_at"])
    audit_record(actor=actor, action="onestop.procedure.deactivate", obj=procedure, object_id=procedure.code,
                 before={"is_active": True}, after={"is_active": False, "on": day})
    return procedure
