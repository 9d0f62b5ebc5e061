"""Writes of the directory. Every change goes through these functions: they check the policy, validate,
write, and append one audit entry per changed object. ``actor=None`` means the system itself (management
commands, the demo loader), which is trusted.

Agencies are never deleted: a renamed, merged or split agency is closed (``is_active=False``, ``valid_to``)
and linked to its successors, so records keep the agency they were made in and remain listable under the
successor (see ``selectors.agency_lineage``).
"""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from egov.accounts.roles import STAFF_ROLES, Role, parse_role
from egov.core.audit import audit_record, snapshot
from egov.core.errors import DomainError, PermissionDeniedError
from egov.directory import policies
from egov.directory.models import (
    Agency,
    AgencyKind,
    AgencyNameHistory,
    AgencySuccession,
    Official,
    Position,
    SuccessionKind,
    Unit,
)
from egov.directory.selectors import agency_descendant_ids, agency_lineage
from egov.directory.validators import validate_code_qcvn102, validate_code_qd20


class _Unset:
    """Marks an argument the caller did not pass (None is a meaningful value: "clear the parent")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()

CODE_RE = re.compile(r"^[A-Z0-9](?:[A-Z0-9._-]{0,38}[A-Z0-9])?$")
USERNAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{1,148}[a-z0-9])$")
PHONE_RE = re.compile(r"^\+?[0-9 ().-]{6,20}$")
ADMIN_UNIT_RE = re.compile(r"^\d{1,10}$")


# --- small validators shared with the Excel import ---------------------------------------------------

def clean_code(value: str, *, label: str = "Mã cơ quan") -> str:
    """Our public codes: upper-case ASCII, digits and . _ - (they appear in URLs and Excel files)."""
    code = (value or "").strip().upper()
    if not CODE_RE.fullmatch(code):
        raise DomainError(
            "invalid_code",
            f"{label} “{code}” không hợp lệ: chỉ dùng chữ in hoa không dấu, chữ số, dấu chấm, gạch ngang, "
            "gạch dưới, tối đa 40 ký tự.",
        )
    return code


def clean_agency_code(value: str) -> str:
    return clean_code(value, label="Mã cơ quan")


def clean_unit_code(value: str) -> str:
    return clean_code(value, label="Mã phòng, ban")


def clean_text(value: str | None, *, label: str, max_length: int, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise DomainError("required", f"Chưa nhập {label}.")
    if len(text) > max_length:
        raise DomainError("too_long", f"{label[:1].upper()}{label[1:]} dài quá {max_length} ký tự.")
    return text


def clean_kind(value: str) -> str:
    cleaned = (value or "").strip()
    for kind in AgencyKind:
        if cleaned.lower() in {kind.value, kind.label.lower()}:
            return kind.value
    allowed = ", ".join(f"{k.value} ({k.label})" for k in AgencyKind)
    raise DomainError("invalid_kind", f"Loại cơ quan không hợp lệ: “{cleaned}”. Các loại hợp lệ: {allowed}.")


def clean_optional_qcvn102(value: str | None) -> str | None:
    return validate_code_qcvn102(value) if (value or "").strip() else None


def clean_optional_qd20(value: str | None) -> str | None:
    return validate_code_qd20(value) if (value or "").strip() else None


def clean_admin_unit_code(value: str | None) -> str:
    code = (value or "").strip()
    if code and not ADMIN_UNIT_RE.fullmatch(code):
        raise DomainError("invalid_admin_unit_code", f"Mã đơn vị hành chính “{code}” phải gồm tối đa 10 chữ số.")
    return code


def clean_email(value: str | None) -> str:
    email = (value or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError("invalid_email", f"Thư điện tử “{email}” không hợp lệ.") from None
    return email.lower()


def clean_phone(value: str | None) -> str:
    phone = " ".join((value or "").split())
    if phone and (not PHONE_RE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 6):
        raise DomainError("invalid_phone", f"Số điện thoại “{phone}” không hợp lệ.")
    return phone


def clean_username(value: str) -> str:
    username = (value or "").strip().lower()
    if not USERNAME_RE.fullmatch(username):
        raise DomainError(
            "invalid_username",
            f"Tên đăng nhập “{username}” không hợp lệ: 3–150 ký tự gồm chữ thường không dấu, chữ số, dấu chấm, "
            "gạch ngang, gạch dưới.",
        )
    return username


def clean_staff_role(value: str | Role) -> Role:
    role = parse_role(str(value.value if isinstance(value, Role) else value))
    if role not in STAFF_ROLES:
        raise DomainError("invalid_role", "Cán bộ phải có vai trò cán bộ, không dùng vai trò “Công dân”.")
    return role


def _check_dates(valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    if valid_from and valid_to and valid_from > valid_to:
        raise DomainError(
            "invalid_dates",
            f"Ngày hiệu lực từ ({valid_from:%d/%m/%Y}) sau ngày hiệu lực đến ({valid_to:%d/%m/%Y}).",
        )


def _require(allowed: bool, actor) -> None:
    if actor is not None and not allowed:
        raise PermissionDeniedError()


# --- agencies ----------------------------------------------------------------------------------------

def _check_electronic_codes_free(*, code_qcvn102: str | None, code_qd20: str | None, exclude_pk: int | None) -> None:
    for field_name, value in (("code_qcvn102", code_qcvn102), ("code_qd20", code_qd20)):
        if not value:
            continue
        other = Agency.objects.filter(**{field_name: value}).exclude(pk=exclude_pk).first()
        if other is not None:
            raise DomainError(
                "duplicate_agency_code", f"Mã định danh “{value}” đã được cấp cho cơ quan “{other.name}”."
            )


def _check_parent(agency: Agency | None, parent: Agency | None, *, child_active: bool) -> None:
    if parent is None:
        return
    if agency is not None and agency.pk is not None:
        if parent.pk == agency.pk:
            raise DomainError("parent_cycle", "Cơ quan không thể là cấp trên của chính nó.")
        if parent.pk in agency_descendant_ids(agency, include_self=False):
            raise DomainError(
                "parent_cycle",
                f"Không thể đặt “{parent.name}” làm cấp trên của “{agency.name}” vì “{parent.name}” đang trực "
                f"thuộc “{agency.name}” (tạo thành vòng lặp).",
            )
    if child_active and not parent.is_active:
        raise DomainError("parent_inactive", f"Cơ quan cấp trên “{parent.name}” đã ngừng hoạt động.")


@transaction.atomic
def agency_create(
    *,
    actor=None,
    code: str,
    name: str,
    abbreviation: str,
    kind: str,
    parent: Agency | None = None,
    code_qcvn102: str | None = None,
    code_qd20: str | None = None,
    admin_unit_code: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    is_active: bool = True,
    note: str = "",
) -> Agency:
    """Create an agency with both electronic ID codes validated against their patterns."""
    _require(policies.can_restructure_agencies(actor), actor)
    code = clean_agency_code(code)
    if Agency.objects.filter(code__iexact=code).exists():
        raise DomainError("duplicate_code", f"Mã cơ quan “{code}” đã tồn tại.")
    agency = Agency(
        code=code,
        name=clean_text(name, label="tên cơ quan", max_length=255),
        abbreviation=clean_text(abbreviation, label="chữ viết tắt", max_length=30),
        kind=clean_kind(kind),
        parent=parent,
        code_qcvn102=clean_optional_qcvn102(code_qcvn102),
        code_qd20=clean_optional_qd20(code_qd20),
        admin_unit_code=clean_admin_unit_code(admin_unit_code),
        address=clean_text(address, label="địa chỉ", max_length=255, required=False),
        phone=clean_phone(phone),
        email=clean_email(email),
        valid_from=valid_from,
        valid_to=valid_to,
        is_active=is_active,
        note=(note or "").strip(),
    )
    _check_dates(valid_from, valid_to)
    _check_parent(None, parent, child_active=is_active)
    _check_electronic_codes_free(code_qcvn102=agency.code_qcvn102, code_qd20=agency.code_qd20, exclude_pk=None)
    agency.save()
    audit_record(actor=actor, action="directory.agency.create", obj=agency, after=snapshot(agency))
    return agency


_STRUCTURE_FIELDS = {
    "name", "abbreviation", "kind", "parent", "code_qcvn102", "code_qd20", "admin_unit_code",
    "valid_from", "valid_to", "is_active",
}


@transaction.atomic
def agency_update(
    *,
    actor=None,
    agency: Agency,
    name: str = UNSET,
    abbreviation: str = UNSET,
    kind: str = UNSET,
    parent: Agency | None = UNSET,
    code_qcvn102: str | None = UNSET,
    code_qd20: str | None = UNSET,
    admin_unit_code: str = UNSET,
    address: str = UNSET,
    phone: str = UNSET,
    email: str = UNSET,
    valid_from: dt.date | None = UNSET,
    valid_to: dt.date | None = UNSET,
    is_active: bool = UNSET,
    note: str = UNSET,
) -> Agency:
    """Correct an agency's data. Only passed fields change; nothing is written or audited if nothing differs.

    Structure (names, codes, parent, validity) is for system administrators; an agency administrator may
    update the contact details of agencies he manages. A legal rename goes through ``agency_rename``."""
    cleaners = {
        "name": lambda v: clean_text(v, label="tên cơ quan", max_length=255),
        "abbreviation": lambda v: clean_text(v, label="chữ viết tắt", max_length=30),
        "kind": clean_kind,
        "parent": lambda v: v,
        "code_qcvn102": clean_optional_qcvn102,
        "code_qd20": clean_optional_qd20,
        "admin_unit_code": clean_admin_unit_code,
        "address": lambda v: clean_text(v, label="địa chỉ", max_length=255, required=False),
        "phone": clean_phone,
        "email": clean_email,
        "valid_from": lambda v: v,
        "valid_to": lambda v: v,
        "is_active": bool,
        "note": lambda v: (v or "").strip(),
    }
    passed = {
        "name": name, "abbreviation": abbreviation, "kind": kind, "parent": parent,
        "code_qcvn102": code_qcvn102, "code_qd20": code_qd20, "admin_unit_code": admin_unit_code,
        "address": address, "phone": phone, "email": email, "valid_from": valid_from, "valid_to": valid_to,
        "is_active": is_active, "note": note,
    }
    changes: dict[str, Any] = {}
    for field_name, value in passed.items():
        if value is UNSET:
            continue
        cleaned = cleaners[field_name](value)
        current = agency.parent if field_name == "parent" else getattr(agency, field_name)
        if field_name == "parent":
            if (current.pk if current else None) != (cleaned.pk if cleaned else None):
                changes[field_name] = cleaned
        elif current != cleaned:
            changes[field_name] = cleaned
    if not changes:
        return agency
    if set(changes) & _STRUCTURE_FIELDS:
        _require(policies.can_restructure_agencies(actor), actor)
    else:
        _require(policies.can_manage_agency(actor, agency), actor)
    before = snapshot(agency)
    new_active = changes.get("is_active", agency.is_active)
    if "parent" in changes or ("is_active" in changes and new_active):
        _check_parent(agency, changes.get("parent", agency.parent), child_active=new_active)
    _check_dates(changes.get("valid_from", agency.valid_from), changes.get("valid_to", agency.valid_to))
    _check_electronic_codes_free(
        code_qcvn102=changes.get("code_qcvn102"), code_qd20=changes.get("code_qd20"), exclude_pk=agency.pk
    )
    for field_name, value in changes.items():
        setattr(agency, field_name, value)
    agency.save()
    audit_record(actor=actor, action="directory.agency.update", obj=agency, before=before, after=snapshot(agency))
    return agency


def _day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1)


def _close_agency(*, actor, agency: Agency, effective_date: dt.date, action: str, decision: str) -> None:
    before = snapshot(agency)
    agency.is_active = False
    agency.valid_to = _day_before(effective_date)
    agency.save(update_fields=["is_active", "valid_to", "updated_at"])
    audit_record(actor=actor, action=action, obj=agency, before=before, after=snapshot(agency),
                 extra={"decision": decision, "effective_date": effective_date})


def _link(*, actor, predecessor: Agency, successor: Agency, kind: str, effective_date: dt.date,
          decision: str) -> AgencySuccession:
    if predecessor.pk == successor.pk:
        raise DomainError("succession_cycle", "Cơ quan không thể kế thừa chính nó.")
    if successor.pk in agency_lineage(predecessor):
        raise DomainError(
            "succession_cycle",
            f"“{successor.name}” là cơ quan trước của “{predecessor.name}”, không thể kế thừa ngược lại.",
        )
    if AgencySuccession.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise DomainError(
            "duplicate_succession", f"Đã có quan hệ kế thừa từ “{predecessor.name}” sang “{successor.name}”."
        )
    link = AgencySuccession.objects.create(
        predecessor=predecessor, successor=successor, kind=kind, effective_date=effective_date,
        decision=(decision or "").strip()[:255],
    )
    audit_record(actor=actor, action="directory.succession.create", obj=link, after=snapshot(link))
    return link


def _move_children(*, actor, source: Agency, target: Agency, exclude: Iterable[int] = ()) -> None:
    for child in Agency.objects.filter(parent=source, is_active=True).exclude(pk__in=list(exclude)):
        before = snapshot(child)
        child.parent = target
        child.save(update_fields=["parent", "updated_at"])
        audit_record(actor=actor, action="directory.agency.update", obj=child, before=before,
                     after=snapshot(child), extra={"reason": f"kế thừa từ {source.code}"})


def _move_officials(*, actor, source: Agency, target: Agency, keep_units: bool) -> None:
    for official in Official.objects.select_related("user").filter(agency=source, is_active=True):
        before = official_snapshot(official)
        official.agency = target
        if not keep_units:
            official.unit = None
        official.save(update_fields=["agency", "unit", "updated_at"])
        audit_record(actor=actor, action="directory.official.update", obj=official, before=before,
                     after=official_snapshot(official), extra={"reason": f"kế thừa từ {source.code}"})


def _resolve_target(*, actor, spec: Agency | dict, effective_date: dt.date) -> Agency:
    if isinstance(spec, Agency):
        if not spec.is_active:
            raise DomainError("agency_inactive", f"Cơ quan “{spec.name}” đã ngừng hoạt động.")
        return spec
    data = dict(spec)
    data.setdefault("valid_from", effective_date)
    return agency_create(actor=actor, **data)


@transaction.atomic
def agency_rename(
    *,
    actor=None,
    agency: Agency,
    name: str,
    abbreviation: str | None = None,
    effective_date: dt.date,
    decision: str = "",
    new_code: str | None = None,
    code_qcvn102: str | None = UNSET,
    code_qd20: str | None = UNSET,
) -> Agency:
    """Rename an agency from ``effective_date``.

    Without ``new_code`` the agency keeps its identity and the old name goes to its name history. With
    ``new_code`` a new agency takes over (units, officials and sub-agencies move to it) and the old one is
    closed with a rename succession link, for when the renamed body also gets new codes."""
    _require(policies.can_restructure_agencies(actor), actor)
    if not agency.is_active:
        raise DomainError("agency_inactive", f"Cơ quan “{agency.name}” đã ngừng hoạt động, không thể đổi tên.")
    name = clean_text(name, label="tên mới", max_length=255)
    abbreviation = agency.abbreviation if abbreviation is None else clean_text(
        abbreviation, label="chữ viết tắt mới", max_length=30
    )
    if name == agency.name and abbreviation == agency.abbreviation and not new_code:
        raise DomainError("rename_no_change", "Tên và chữ viết tắt mới trùng với tên hiện tại.")
    valid_to = _day_before(effective_date)
    if new_code is None:
        before = snapshot(agency)
        AgencyNameHistory.objects.create(
            agency=agency, name=agency.name, abbreviation=agency.abbreviation, valid_to=valid_to,
            decision=(decision or "").strip()[:255],
        )
        agency.name = name
        agency.abbreviation = abbreviation
        changed = ["name", "abbreviation", "updated_at"]
        for field_name, value, cleaner in (
            ("code_qcvn102", code_qcvn102, clean_optional_qcvn102), ("code_qd20", code_qd20, clean_optional_qd20)
        ):
            if value is not UNSET:
                setattr(agency, field_name, cleaner(value))
                changed.append(field_name)
        _check_electronic_codes_free(code_qcvn102=agency.code_qcvn102, code_qd20=agency.code_qd20,
                                     exclude_pk=agency.pk)
        agency.save(update_fields=changed)
        audit_record(actor=actor, action="directory.agency.rename", obj=agency, before=before,
                     after=snapshot(agency), extra={"decision": decision, "effective_date": effective_date})
        return agency

    # The electronic codes follow the body unless new ones are given: free them on the old record first.
    new_qcvn = agency.code_qcvn102 if code_qcvn102 is UNSET else code_qcvn102
    new_qd20 = agency.code_qd20 if code_qd20 is UNSET else code_qd20
    before = snapshot(agency)
    agency.code_qcvn102 = None
    agency.code_qd20 = None
    agency.save(update_fields=["code_qcvn102", "code_qd20", "updated_at"])
    successor = agency_create(
        actor=actor, code=new_code, name=name, abbreviation=abbreviation, kind=agency.kind, parent=agency.parent,
        code_qcvn102=new_qcvn, code_qd20=new_qd20, admin_unit_code=agency.admin_unit_code,
        address=agency.address, phone=agency.phone, email=agency.email, valid_from=effective_date,
    )
    AgencyNameHistory.objects.create(
        agency=successor, name=agency.name, abbreviation=agency.abbreviation, valid_to=valid_to,
        decision=(decision or "").strip()[:255],
    )
    agency.is_active = False
    agency.valid_to = valid_to
    agency.save(update_fields=["is_active", "valid_to", "updated_at"])
    audit_record(actor=actor, action="directory.agency.rename", obj=agency, before=before, after=snapshot(agency),
                 extra={"decision": decision, "effective_date": effective_date, "successor": successor.code})
    _link(actor=actor, predecessor=agency, successor=successor, kind=SuccessionKind.RENAME,
          effective_date=effective_date, decision=decision)
    for unit in Unit.objects.filter(agency=agency):
        unit_before = snapshot(unit)
        unit.agency = successor
        unit.save(update_fields=["agency", "updated_at"])
        audit_record(actor=actor, action="directory.unit.update", obj=unit, before=unit_before,
                     after=snapshot(unit), extra={"reason": f"đổi tên {agency.code} → {successor.code}"})
    _move_officials(actor=actor, source=agency, target=successor, keep_units=True)
    _move_children(actor=actor, source=agency, target=successor)
    return successor


@transaction.atomic
def agency_merge(
    *,
    actor=None,
    sources: list[Agency],
    into: Agency | dict,
    effective_date: dt.date,
    decision: str = "",
    move_officials: bool = True,
) -> Agency:
    """Merge ``sources`` into an existing agency (sáp nhập) or into a new one described by a dict (hợp nhất).

    Sources are closed the day before ``effective_date`` and linked to the target; their active sub-agencies
    move under the target and, unless told otherwise, their active officials move to it (without a unit,
    since the old units belong to the closed agency)."""
    _require(policies.can_restructure_agencies(actor), actor)
    sources = list(sources)
    if not sources:
        raise DomainError("merge_no_source", "Chưa chọn cơ quan được hợp nhất, sáp nhập.")
    if len({s.pk for s in sources}) != len(sources):
        raise DomainError("merge_duplicate_source", "Một cơ quan được chọn hai lần.")
    for source in sources:
        if not source.is_active:
            raise DomainError("agency_inactive", f"Cơ quan “{source.name}” đã ngừng hoạt động.")
    target = _resolve_target(actor=actor, spec=into, effective_date=effective_date)
    source_ids = {s.pk for s in sources}
    if target.pk in source_ids:
        raise DomainError("merge_into_self", f"Cơ quan “{target.name}” không thể sáp nhập vào chính nó.")
    for source in sources:
        if target.pk in agency_descendant_ids(source, include_self=False):
            raise DomainError(
                "parent_cycle",
                f"Không thể sáp nhập “{source.name}” vào “{target.name}” vì “{target.name}” đang trực thuộc "
                f"“{source.name}”.",
            )
    for source in sources:
        _close_agency(actor=actor, agency=source, effective_date=effective_date, action="directory.agency.merge",
                      decision=decision)
        _link(actor=actor, predecessor=source, successor=target, kind=SuccessionKind.MERGE,
              effective_date=effective_date, decision=decision)
        _move_children(actor=actor, source=source, target=target, exclude=source_ids | {target.pk})
        if move_officials:
            _move_officials(actor=actor, source=source, target=target, keep_units=False)
    return target


@transaction.atomic
def agency_split(
    *,
    actor=None,
    source: Agency,
    into: list[Agency | dict],
    effective_date: dt.date,
    decision: str = "",
    keep_source: bool = False,
) -> list[Agency]:
    """Split ``source`` into several agencies (chia), or separate a part of it (tách, ``keep_source=True``).

    Every target is linked as a successor, so each lists the source's records. Officials and sub-agencies
    stay where they are: who goes where cannot be guessed, the administrator reassigns them."""
    _require(policies.can_restructure_agencies(actor), actor)
    if not source.is_active:
        raise DomainError("agency_inactive", f"Cơ quan “{source.name}” đã ngừng hoạt động.")
    specs = list(into)
    if len(specs) < (1 if keep_source else 2):
        raise DomainError("split_targets", "Chia tách cần ít nhất hai cơ quan mới (hoặc một, khi cơ quan cũ vẫn "
                                           "tiếp tục hoạt động).")
    targets = [_resolve_target(actor=actor, spec=spec, effective_date=effective_date) for spec in specs]
    if len({t.pk for t in targets}) != len(targets):
        raise DomainError("split_duplicate_target", "Một cơ quan được chọn hai lần.")
    for target in targets:
        _link(actor=actor, predecessor=source, successor=target, kind=SuccessionKind.SPLIT,
              effective_date=effective_date, decision=decision)
    if not keep_source:
        _close_agency(actor=actor, agency=source, effective_date=effective_date, action="directory.agency.split",
                      decision=decision)
    return targets


# --- units and positions -----------------------------------------------------------------------------

def _check_unit_parent(unit: Unit | None, agency: Agency, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.agency_id != agency.pk:
        raise DomainError("unit_parent_agency", f"Phòng, ban cấp trên “{parent.name}” thuộc cơ quan khác.")
    if unit is not None and unit.pk is not None:
        seen = set()
        current = parent
        while current is not None and current.pk not in seen:
            if current.pk == unit.pk:
                raise DomainError("parent_cycle", f"Không thể đặt “{parent.name}” làm cấp trên của “{unit.name}” "
                                                  "(tạo thành vòng lặp).")
            seen.add(current.pk)
            current = current.parent


@transaction.atomic
def unit_create(*, actor=None, agency: Agency, code: str, name: str, parent: Unit | None = None) -> Unit:
    """Add a unit (phòng, ban, bộ phận) to an agency the actor manages."""
    _require(policies.can_manage_agency(actor, agency), actor)
    if not agency.is_active:
        raise DomainError("agency_inactive", f"Cơ quan “{agency.name}” đã ngừng hoạt động.")
    code = clean_unit_code(code)
    if Unit.objects.filter(agency=agency, code__iexact=code).exists():
        raise DomainError("duplicate_code", f"Mã phòng, ban “{code}” đã có trong “{agency.name}”.")
    _check_unit_parent(None, agency, parent)
    unit = Unit.objects.create(
        agency=agency, code=code, name=clean_text(name, label="tên phòng, ban", max_length=255), parent=parent
    )
    audit_record(actor=actor, action="directory.unit.create", obj=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_update(
    *,
    actor=None,
    unit: Unit,
    code: str = UNSET,
    name: str = UNSET,
    parent: Unit | None = UNSET,
    is_active: bool = UNSET,
) -> Unit:
    """Change a unit; nothing is written when nothing differs."""
    changes: dict[str, Any] = {}
    if code is not UNSET:
        cleaned = clean_unit_code(code)
        if cleaned != unit.code:
            if Unit.objects.filter(agency_id=unit.agency_id, code__iexact=cleaned).exclude(pk=unit.pk).exists():
                raise DomainError("duplicate_code", f"Mã phòng, ban “{cleaned}” đã có trong cơ quan.")
            changes["code"] = cleaned
    if name is not UNSET:
        cleaned = clean_text(name, label="tên phòng, ban", max_length=255)
        if cleaned != unit.name:
            changes["name"] = cleaned
    if parent is not UNSET and (parent.pk if parent else None) != unit.parent_id:
        _check_unit_parent(unit, unit.agency, parent)
        changes["parent"] = parent
    if is_active is not UNSET and bool(is_active) != unit.is_active:
        changes["is_active"] = bool(is_active)
    if not changes:
        return unit
    _require(policies.can_manage_agency(actor, unit.agency), actor)
    before = snapshot(unit)
    for field_name, value in changes.items():
        setattr(unit, field_name, value)
    unit.save()
    audit_record(actor=actor, action="directory.unit.update", obj=unit, before=before, after=snapshot(unit))
    return unit


@transaction.atomic
def position_create(*, actor=None, code: str, name: str, rank: int = 100) -> Position:
    """Add a position (chức vụ) to the province-wide catalogue."""
    _require(policies.is_system_admin(actor), actor)
    code = clean_code(code, label="Mã chức vụ")
    if Position.objects.filter(code__iexact=code).exists():
        raise DomainError("duplicate_code", f"Mã chức vụ “{code}” đã tồn tại.")
    if not 0 <= int(rank) <= 32767:
        raise DomainError("invalid_rank", "Thứ bậc phải từ 0 đến 32767.")
    position = Position.objects.create(code=code, name=clean_text(name, label="tên chức vụ", max_length=120),
                                       rank=int(rank))
    audit_record(actor=actor, action="directory.position.create", obj=position, after=snapshot(position))
    return position


@transaction.atomic
def position_update(*, actor=None, position: Position, name: str = UNSET, rank: int = UNSET) -> Position:
    _require(policies.is_system_admin(actor), actor)
    before = snapshot(position)
    if name is not UNSET:
        position.name = clean_text(name, label="tên chức vụ", max_length=120)
    if rank is not UNSET:
        if not 0 <= int(rank) <= 32767:
            raise DomainError("invalid_rank", "Thứ bậc phải từ 0 đến 32767.")
        position.rank = int(rank)
    after = snapshot(position)
    if after == before:
        return position
    position.save()
    audit_record(actor=actor, action="directory.position.update", obj=position, before=before, after=after)
    return position


# --- officials ---------------------------------------------------------------------------------------

def official_snapshot(official: Official) -> dict:
    """The audit summary of an official: the record plus the account fields the directory manages."""
    data = snapshot(official)
    user = official.user
    data.update({"username": user.username, "full_name": user.full_name, "role": user.role,
                 "user_active": user.is_active})
    return data


def _check_official_placement(agency: Agency, unit: Unit | None) -> None:
    if unit is not None and unit.agency_id != agency.pk:
        raise DomainError("unit_agency_mismatch", f"Phòng, ban “{unit.name}” không thuộc “{agency.name}”.")


def _check_password(password: str, user) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", "Mật khẩu chưa đạt yêu cầu: " + " ".join(exc.messages)) from None


@transaction.atomic
def official_create(
    *,
    actor=None,
    username: str,
    full_name: str,
    role: str | Role,
    agency: Agency,
    unit: Unit | None = None,
    position: Position | None = None,
    phone: str = "",
    email: str = "",
    password: str | None = None,
    password_hash: str | None = None,
) -> Official:
    """Create an official's account and record. Without a password the account cannot log in until one is set.

    ``password_hash`` (an already hashed password) lets bulk provisioning avoid hashing once per account."""
    _require(policies.can_manage_agency(actor, agency), actor)
    role = clean_staff_role(role)
    _require(policies.can_assign_role(actor, role), actor)
    username = clean_username(username)
    if not agency.is_active:
        raise DomainError("agency_inactive", f"Cơ quan “{agency.name}” đã ngừng hoạt động.")
    _check_official_placement(agency, unit)
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise DomainError("duplicate_username", f"Tên đăng nhập “{username}” đã được sử dụng.")
    phone = clean_phone(phone)
    email = clean_email(email)
    user = user_model(
        username=username, full_name=clean_text(full_name, label="họ và tên", max_length=150), role=role,
        phone=phone, email=email,
    )
    if password_hash:
        user.password = password_hash
    elif password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    official = Official.objects.create(user=user, agency=agency, unit=unit, position=position, phone=phone,
                                       email=email)
    audit_record(actor=actor, action="directory.official.create", obj=official, after=official_snapshot(official))
    return official


@transaction.atomic
def official_update(
    *,
    actor=None,
    official: Official,
    full_name: str = UNSET,
    role: str | Role = UNSET,
    agency: Agency = UNSET,
    unit: Unit | None = UNSET,
    position: Position | None = UNSET,
    phone: str = UNSET,
    email: str = UNSET,
) -> Official:
    """Change an official's data, role or placement. The actor must manage both the old and the new agency."""
    user = official.user
    _require(policies.can_manage_agency(actor, official.agency), actor)
    if user.role == Role.SYSTEM_ADMIN:
        _require(policies.is_system_admin(actor), actor)
    before = official_snapshot(official)
    user_changed, official_changed = [], []
    if full_name is not UNSET:
        cleaned = clean_text(full_name, label="họ và tên", max_length=150)
        if cleaned != user.full_name:
            user.full_name = cleaned
            user_changed.append("full_name")
    if role is not UNSET:
        cleaned_role = clean_staff_role(role)
        if cleaned_role != user.role:
            _require(policies.can_assign_role(actor, cleaned_role), actor)
            if actor is not None and getattr(actor, "pk", None) == user.pk:
                raise DomainError("own_role", "Không thể tự thay đổi vai trò của chính mình.")
            user.role = cleaned_role
            user_changed.append("role")
    new_agency = official.agency if agency is UNSET else agency
    if new_agency.pk != official.agency_id:
        _require(policies.can_manage_agency(actor, new_agency), actor)
        if not new_agency.is_active:
            raise DomainError("agency_inactive", f"Cơ quan “{new_agency.name}” đã ngừng hoạt động.")
        official.agency = new_agency
        official_changed.append("agency")
        if unit is UNSET and official.unit_id is not None:
            official.unit = None  # the old unit belongs to the old agency
            official_changed.append("unit")
    if unit is not UNSET and (unit.pk if unit else None) != official.unit_id:
        official.unit = unit
        official_changed.append("unit")
    _check_official_placement(official.agency, official.unit)
    if position is not UNSET and (position.pk if position else None) != official.position_id:
        official.position = position
        official_changed.append("position")
    if phone is not UNSET:
        cleaned = clean_phone(phone)
        if cleaned != official.phone:
            official.phone = user.phone = cleaned
            official_changed.append("phone")
            user_changed.append("phone")
    if email is not UNSET:
        cleaned = clean_email(email)
        if cleaned != official.email:
            official.email = user.email = cleaned
            official_changed.append("email")
            user_changed.append("email")
    if not user_changed and not official_changed:
        return official
    if user_changed:
        user.save(update_fields=sorted(set(user_changed)))
    if official_changed:
        official.save(update_fields=sorted(set(official_changed)) + ["updated_at"])
    audit_record(actor=actor, action="directory.official.update", obj=official, before=before,
                 after=official_snapshot(official))
    return official


@transaction.atomic
def official_deactivate(*, actor=None, official: Official, reason: str = "") -> Official:
    """An official leaves (retirement, transfer out): the record stays for history, the account is locked."""
    _require(policies.can_manage_agency(actor, official.agency), actor)
    if official.user.role == Role.SYSTEM_ADMIN:
        _require(policies.is_system_admin(actor), actor)
    if actor is not None and getattr(actor, "pk", None) == official.user_id:
        raise DomainError("deactivate_self", "Không thể tự khóa tài khoản của chính mình.")
    if not official.is_active and not official.user.is_active:
        return official
    before = official_snapshot(official)
    official.is_active = False
    official.save(update_fields=["is_active", "updated_at"])
    official.user.is_active = False
    official.user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="directory.official.deactivate", obj=official, before=before,
                 after=official_snapshot(official), extra={"reason": (reason or "").strip()})
    return official


@transaction.atomic
def official_reactivate(*, actor=None, official: Official) -> Official:
    """An official returns to work: the record and the account are opened again."""
    _require(policies.can_manage_agency(actor, official.agency), actor)
    if official.user.role == Role.SYSTEM_ADMIN:
        _require(policies.is_system_admin(actor), actor)
    if official.is_active and official.user.is_active:
        return official
    if not official.agency.is_active:
        raise DomainError("agency_inactive", f"Cơ quan “{official.agency.name}” đã ngừng hoạt động; hãy chuyển "
                                             "cán bộ sang cơ quan kế thừa trước.")
    before = official_snapshot(official)
    official.is_active = True
    official.save(update_fields=["is_active", "updated_at"])
    official.user.is_active = True
    official.user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="directory.official.reactivate", obj=official, before=before,
                 after=official_snapshot(official))
    return official
