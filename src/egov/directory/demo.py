"""The demo province: the new Cà Mau (from 01/07/2025), its agencies, 64 communes and wards, demo officials.

Loaded by ``manage.py load_demo`` at every ``make run``, so it must be idempotent and fast: everything is
read once, only what is missing is created (through the services, hence audited), and a second run writes
nothing. Existing records are left as they are, so that changes made while trying the system (a rename, a
merge, a new phone number) survive a restart; ``sync=True`` puts the seed values back.

Demo passwords are set only when an account is created, never reset. They share one hash: hashing
22 passwords one by one would take seconds.
"""

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password
from django.db import transaction

from egov.accounts.roles import Role
from egov.core.audit import audit_record, snapshot
from egov.directory import services
from egov.directory.excel.layout import role_label
from egov.directory.models import Agency, Official, Position, Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "CaMau@2026"
# DEMO_PASSWORD hashed once with Django 5.2's default hasher, so that a first start does not spend half a second
# or more on PBKDF2. Used only when that hasher is configured (the test settings use a faster one); Django
# re-hashes it at first login if the configured iteration count is higher.
DEMO_PASSWORD_HASH = "pbkdf2_sha256$1000000$camaudemo2026salt0001$WucUQRIEaDwP9bl8FXhgkqitICh+QkwjOnBEA1rbuDg="
PROVINCE_FROM = dt.date(2025, 7, 1)
COMMUNE_DECISION = "Nghị quyết 1655/NQ-UBTVQH15 ngày 16/06/2025"

# The JSON's finer kinds, mapped to the model's: "sở, ban, ngành" covers the inspectorate, the boards,
# the provincial public-service centre and the provincial police, as the province's own lists do.
KIND_MAP = {
    "ubnd_tinh": "ubnd_tinh",
    "van_phong": "van_phong",
    "so": "so",
    "thanh_tra": "so",
    "ban_quan_ly": "so",
    "trung_tam_phvhcc": "so",
    "co_quan_khac": "so",
    "don_vi_truc_thuoc": "khac",
}
STATUS_VI = {"confirmed": "đã xác nhận", "inferred": "suy ra", "not_found": "chưa tìm thấy"}

POSITIONS = [
    ("CT", "Chủ tịch", 10),
    ("PCT", "Phó Chủ tịch", 20),
    ("GD", "Giám đốc", 30),
    ("CVP", "Chánh Văn phòng", 30),
    ("PGD", "Phó Giám đốc", 40),
    ("PCVP", "Phó Chánh Văn phòng", 40),
    ("TP", "Trưởng phòng", 50),
    ("PTP", "Phó Trưởng phòng", 60),
    ("CV", "Chuyên viên", 80),
    ("CC", "Công chức", 85),
    ("BTV", "Biên tập viên", 88),
    ("VT", "Văn thư", 90),
]

DEMO_COMMUNE_GSO = "32191"  # Xã Năm Căn
FORMER_DISTRICT = {
    "code": "HUYEN-NAM-CAN",
    "name": "Ủy ban nhân dân huyện Năm Căn",
    "abbreviation": "UBND",
    "kind": "huyen",
    "district": "Huyện Năm Căn",  # the communes whose GSO code was inherited from this district succeed it
    "note": "Cấp huyện kết thúc hoạt động từ 01/07/2025 (chính quyền địa phương hai cấp); lưu để tra cứu hồ sơ, "
            "văn bản cũ. Các xã kế thừa: những xã mới có mã ĐVHC kế thừa từ đơn vị thuộc huyện Năm Căn.",
}

# (agency code, username suffix, units (code, name, parent code), officials by role)
DEMO_AGENCIES = [
    (
        "VP", "vp",
        [("HCTC", "Phòng Hành chính – Tổ chức", None), ("TH", "Phòng Tổng hợp", None),
         ("KSTT", "Phòng Kiểm soát thủ tục hành chính", None), ("VT", "Bộ phận Văn thư", "HCTC"),
         ("CBTH", "Trung tâm Công báo – Tin học", None)],
        {
            Role.SYSTEM_ADMIN: ("Nguyễn Minh Trí", "CV", "CBTH"),
            Role.AGENCY_ADMIN: ("Trần Thị Thu Hà", "CV", "HCTC"),
            Role.CLERK: ("Lê Thị Mỹ Duyên", "VT", "VT"),
            Role.LEADER: ("Phạm Văn Hùng", "CVP", None),
            Role.SPECIALIST: ("Võ Thanh Tâm", "CV", "TH"),
            Role.ONESTOP_OFFICER: ("Huỳnh Ngọc Hân", "CV", "KSTT"),
            Role.PORTAL_EDITOR: ("Đặng Quốc Bảo", "BTV", "CBTH"),
        },
    ),
    (
        "STP", "stp",
        [("VPS", "Văn phòng Sở", None), ("XDKT", "Phòng Xây dựng và Kiểm tra văn bản", None),
         ("HCTP", "Phòng Hành chính tư pháp", None), ("BTTP", "Phòng Bổ trợ tư pháp", None)],
        {
            Role.SYSTEM_ADMIN: ("Bùi Thanh Phong", "CV", "VPS"),
            Role.AGENCY_ADMIN: ("Đỗ Thị Kim Ngân", "CV", "VPS"),
            Role.CLERK: ("Ngô Thị Bích Trâm", "VT", "VPS"),
            Role.LEADER: ("Lâm Quốc Khánh", "GD", None),
            Role.SPECIALIST: ("Tô Minh Luân", "CV", "XDKT"),
            Role.ONESTOP_OFFICER: ("Dương Thị Yến Nhi", "CV", "HCTP"),
            Role.PORTAL_EDITOR: ("Châu Hoàng Phúc", "CV", "VPS"),
        },
    ),
    (
        f"DVHC-{DEMO_COMMUNE_GSO}", "namcan",
        [("VP", "Văn phòng HĐND và UBND", None), ("KT", "Phòng Kinh tế", None),
         ("VHXH", "Phòng Văn hóa – Xã hội", None),
         ("TTPVHCC", "Trung tâm Phục vụ hành chính công (Bộ phận Một cửa)", None)],
        {
            Role.SYSTEM_ADMIN: ("Quách Văn Lợi", "CC", "VP"),
            Role.AGENCY_ADMIN: ("Mai Thị Hồng Nhung", "CC", "VP"),
            Role.CLERK: ("Trương Thị Cẩm Tú", "VT", "VP"),
            Role.LEADER: ("Huỳnh Văn Sáu", "CT", None),
            Role.SPECIALIST: ("Lý Thanh Nhàn", "CC", "KT"),
            Role.ONESTOP_OFFICER: ("Phan Thị Diễm My", "CC", "TTPVHCC"),
            Role.PORTAL_EDITOR: ("Tăng Văn Đạt", "CC", "VHXH"),
        },
    ),
]
USERNAME_PREFIX = {
    Role.SYSTEM_ADMIN: "qthethong",
    Role.AGENCY_ADMIN: "qtcoquan",
    Role.CLERK: "vanthu",
    Role.LEADER: "lanhdao",
    Role.SPECIALIST: "chuyenvien",
    Role.ONESTOP_OFFICER: "motcua",
    Role.PORTAL_EDITOR: "bientap",
}
CITIZEN = {"username": "congdan", "full_name": "Lê Văn Bình", "phone": "0912 000 001",
           "email": "congdan@camau.example"}


@cache
def _load(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def commune_code(gso_code: str) -> str:
    """Our public code of a commune or ward's People's Committee: ``DVHC-`` + its GSO administrative code."""
    return f"DVHC-{gso_code}"


def _agency_note(entry: dict) -> str:
    parts = [
        f"Tồn tại: {STATUS_VI.get(entry.get('existence_status'), entry.get('existence_status'))}",
        f"chữ viết tắt: {STATUS_VI.get(entry.get('abbreviation_status'), entry.get('abbreviation_status'))}",
        f"mã định danh: {STATUS_VI.get(entry.get('electronic_id_code_status'), '')}",
    ]
    note = "; ".join(parts) + "."
    if entry.get("note"):
        note += " " + entry["note"]
    return note


def agency_specs() -> list[dict]:
    """Seed agencies, parents before children: the province's bodies from the JSON, then the 64 communes."""
    specs = []
    for entry in _load("camau_agencies.json")["agencies"]:
        code = entry["id"].upper()
        qcvn = entry.get("electronic_id_code")
        specs.append({
            "code": code,
            "name": entry["name"],
            "abbreviation": entry["abbreviation"],
            "kind": KIND_MAP[entry["kind"]],
            "parent": entry["parent_id"].upper() if entry.get("parent_id") else None,
            "code_qcvn102": qcvn,
            # The province itself is level 1 of Decision 20/2020 (its code read from the QCVN 102 form);
            # the departments' level-2 codes are not published, so they stay empty rather than invented.
            "code_qd20": qcvn.rsplit(".", 1)[-1] if qcvn and qcvn.startswith("000.00.00.") else None,
            "valid_from": PROVINCE_FROM,  # the merged province's bodies start with it
            "note": _agency_note(entry),
        })
    for unit in _load("camau_units.json")["units"]:
        kind_word = "xã" if unit["kind"] == "xa" else "phường"
        specs.append({
            "code": commune_code(unit["code"]),
            "name": f"Ủy ban nhân dân {kind_word} {unit['name']}",
            "abbreviation": "UBND",
            "kind": unit["kind"],
            "parent": "UBND",
            "admin_unit_code": unit["code"],
            "valid_from": PROVINCE_FROM,
            "note": (f"{unit['full_name']} (thuộc tỉnh {unit['former_province']} cũ). Hình thành từ: "
                     f"{unit['predecessors_text']} (dữ liệu tham khảo, chưa đối chiếu từng khoản với "
                     f"{COMMUNE_DECISION})."),
        })
    return specs


def district_successor_codes() -> list[str]:
    return [commune_code(u["code"]) for u in _load("camau_units.json")["units"]
            if u["code_inherited_from"]["district"] == FORMER_DISTRICT["district"]]


def demo_username(role: Role, suffix: str) -> str:
    return f"{USERNAME_PREFIX[role]}.{suffix}"


@dataclass
class DemoReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        labels = {"agency": "cơ quan", "unit": "phòng, ban", "position": "chức vụ", "official": "cán bộ",
                  "citizen": "công dân", "succession": "quan hệ kế thừa"}
        made = ", ".join(f"{n} {labels[k]}" for k, n in self.created.items() if n)
        changed = ", ".join(f"{n} {labels[k]}" for k, n in self.updated.items() if n)
        if not made and not changed:
            return "Dữ liệu mẫu đã có đủ, không thay đổi gì."
        parts = []
        if made:
            parts.append(f"Đã tạo {made}")
        if changed:
            parts.append(f"đã cập nhật {changed}")
        return "; ".join(parts) + "."


class _Loader:
    def __init__(self, sync: bool):
        self.sync = sync
        self.report = DemoReport()
        self.agencies = {a.code: a for a in Agency.objects.select_related("parent")}
        self._password_hash: str | None = None

    @property
    def password_hash(self) -> str:
        if self._password_hash is None:
            try:
                usable = identify_hasher(DEMO_PASSWORD_HASH).algorithm == get_hasher().algorithm
            except ValueError:
                usable = False
            self._password_hash = DEMO_PASSWORD_HASH if usable else make_password(DEMO_PASSWORD)
        return self._password_hash

    def agencies_(self) -> None:
        for spec in agency_specs():
            data = dict(spec)
            data["parent"] = self.agencies[data["parent"]] if data["parent"] else None
            existing = self.agencies.get(data["code"])
            if existing is None:
                self.agencies[data["code"]] = services.agency_create(**data)
                self.report.created["agency"] += 1
            elif self.sync:
                before = snapshot(existing)
                data.pop("code")
                services.agency_update(agency=existing, **data)
                if snapshot(existing) != before:
                    self.report.updated["agency"] += 1

    def former_district(self) -> None:
        if FORMER_DISTRICT["code"] in self.agencies:
            return
        district = services.agency_create(
            code=FORMER_DISTRICT["code"], name=FORMER_DISTRICT["name"], abbreviation=FORMER_DISTRICT["abbreviation"],
            kind=FORMER_DISTRICT["kind"], parent=self.agencies["UBND"], note=FORMER_DISTRICT["note"],
        )
        successors = [self.agencies[code] for code in district_successor_codes()]
        services.agency_split(source=district, into=successors, effective_date=PROVINCE_FROM,
                              decision=COMMUNE_DECISION)
        self.agencies[district.code] = district
        self.report.created["agency"] += 1
        self.report.created["succession"] += len(successors)

    def positions(self) -> dict[str, Position]:
        positions = {p.code: p for p in Position.objects.all()}
        for code, name, rank in POSITIONS:
            if code not in positions:
                positions[code] = services.position_create(code=code, name=name, rank=rank)
                self.report.created["position"] += 1
            elif self.sync and (positions[code].name, positions[code].rank) != (name, rank):
                services.position_update(position=positions[code], name=name, rank=rank)
                self.report.updated["position"] += 1
        return positions

    def units(self, agency: Agency, specs: list[tuple[str, str, str | None]]) -> dict[str, Unit]:
        units = {u.code: u for u in Unit.objects.filter(agency=agency)}
        for code, name, parent_code in specs:
            parent = units.get(parent_code) if parent_code else None
            if code not in units:
                units[code] = services.unit_create(agency=agency, code=code, name=name, parent=parent)
                self.report.created["unit"] += 1
            elif self.sync:
                before = snapshot(units[code])
                services.unit_update(unit=units[code], name=name, parent=parent)
                if snapshot(units[code]) != before:
                    self.report.updated["unit"] += 1
        return units

    def officials(self, positions: dict[str, Position]) -> None:
        wanted = [demo_username(role, suffix) for _, suffix, _, people in DEMO_AGENCIES for role in people]
        existing = {o.user.username: o for o in Official.objects.select_related("user", "agency")
                    .filter(user__username__in=wanted)}
        taken = set(get_user_model().objects.filter(username__in=wanted).values_list("username", flat=True))
        for agency_code, suffix, unit_specs, people in DEMO_AGENCIES:
            agency = self.agencies[agency_code]
            units = self.units(agency, unit_specs)
            for role, (full_name, position_code, unit_code) in people.items():
                username = demo_username(role, suffix)
                fields = {
                    "full_name": full_name, "role": role, "unit": units.get(unit_code) if unit_code else None,
                    "position": positions[position_code], "email": f"{username}@camau.example",
                    "phone": f"0290 0000 {len(self.report.logins) + 100:03d}",
                }
                self.report.logins.append((username, role_label(role), agency.name))
                official = existing.get(username)
                if official is None and username not in taken:
                    services.official_create(username=username, agency=agency, password_hash=self.password_hash,
                                             **fields)
                    self.report.created["official"] += 1
                elif official is not None and self.sync:
                    before = services.official_snapshot(official)
                    services.official_update(official=official, agency=agency, **fields)
                    if services.official_snapshot(official) != before:
                        self.report.updated["official"] += 1

    def citizen(self) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username=CITIZEN["username"]).exists():
            user = user_model(role=Role.CITIZEN, password=self.password_hash, **CITIZEN)
            user.save()
            audit_record(actor=None, action="accounts.user.create", obj=user, after=snapshot(user),
                         extra={"reason": "tài khoản công dân mẫu"})
            self.report.created["citizen"] += 1
        self.report.logins.append((CITIZEN["username"], role_label(Role.CITIZEN), "—"))


@transaction.atomic
def load_demo(*, sync: bool = False) -> DemoReport:
    """Create what is missing of the demo province (or, with ``sync``, also restore the seed values)."""
    loader = _Loader(sync)
    loader.agencies_()
    loader.former_district()
    positions = loader.positions()
    loader.officials(positions)
    loader.citizen()
    return loader.report
