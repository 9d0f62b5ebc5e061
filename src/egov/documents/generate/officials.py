"""Officials of every agency for a generated province: units, accounts with roles, positions.

Each agency gets the units a real one has (an office, professional units, a one-stop team at the communes) and a
staff by size: a province-scale department about 60, a commune about 30 (``--scale small``: a handful). Accounts
have an unusable password (sign-in only after an administrator sets one); usernames ``sinh.<agency id>.<n>``.
Resumable by agency: an agency whose generated accounts exist is skipped (one transaction per agency).
"""

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.core.generate import Progress, Table, reserve_ids
from egov.core.generate.names import People
from egov.directory.models import Agency, AgencyKind, Official, Position, Unit

PREFIX = "sinh."
LOCAL_UNITS = [("VP", "Văn phòng HĐND và UBND"), ("KT", "Phòng Kinh tế"), ("VHXH", "Phòng Văn hóa - Xã hội"),
               ("MC", "Bộ phận Một cửa")]
DEPARTMENT_UNITS = [("VP", "Văn phòng"), ("TCKH", "Phòng Kế hoạch - Tài chính"), ("NV1", "Phòng Nghiệp vụ 1"),
                    ("NV2", "Phòng Nghiệp vụ 2"), ("TTR", "Thanh tra"), ("MC", "Bộ phận Một cửa")]
# (role, position code, share of the staff; at least one each)
STAFF = [(Role.AGENCY_ADMIN, "CV", 0.02), (Role.CLERK, "VT", 0.06), (Role.LEADER, "PGD", 0.10),
         (Role.ONESTOP_OFFICER, "CC", 0.12), (Role.PORTAL_EDITOR, "BTV", 0.02), (Role.SPECIALIST, "CV", 0.68)]


@dataclass
class Staff:
    """The generated officials of one agency, by role: user ids with their unit ids."""

    agency_id: int
    by_role: dict[str, list[tuple[int, int | None, str]]]  # role -> [(user id, unit id, full name)]
    units: list[int]


def staff_size(agency: Agency, scale: str) -> int:
    local = agency.kind in (AgencyKind.COMMUNE, AgencyKind.WARD)
    if scale == "small":
        return 6 if local else 8
    return 30 if local else (80 if agency.kind == AgencyKind.PROVINCE_COMMITTEE else 55)


def _units_ensure(agency: Agency) -> list[Unit]:
    specs = LOCAL_UNITS if agency.kind in (AgencyKind.COMMUNE, AgencyKind.WARD) else DEPARTMENT_UNITS
    existing = {u.code: u for u in Unit.objects.filter(agency=agency)}
    missing = [Unit(agency=agency, code=code, name=name) for code, name in specs if code not in existing]
    Unit.objects.bulk_create(missing)
    return [existing.get(code) or next(u for u in missing if u.code == code) for code, _ in specs]


def officials_generate(*, scale: str, seed: int, progress: bool = True) -> dict:
    """Create the generated officials of every active agency (skipping agencies done before)."""
    agencies = list(Agency.objects.filter(is_active=True).exclude(kind=AgencyKind.OTHER).order_by("code"))
    positions = {p.code: p.pk for p in Position.objects.all()}
    done = set(User.objects.filter(username__startswith=PREFIX).values_list("username", flat=True)
               .distinct())
    done_agencies = {int(name.split(".")[1]) for name in done}
    bar = Progress("Cán bộ", sum(staff_size(a, scale) for a in agencies), enabled=progress)
    users_table, officials_table = Table(User), Table(Official)
    now = timezone.now()
    created = 0
    for agency in agencies:
        size = staff_size(agency, scale)
        if agency.pk in done_agencies:
            bar.skip(size)
            continue
        rng = random.Random(f"{seed}:officials:{agency.pk}")
        people = People(rng)
        with transaction.atomic():
            units = _units_ensure(agency)
            roles = []
            for role, position, share in STAFF:
                roles.extend([(role, position)] * max(1, round(size * share)))
            roles = roles[:size] if len(roles) > size else roles + [(Role.SPECIALIST, "CV")] * (size - len(roles))
            user_ids = reserve_ids(User, len(roles))
            official_ids = reserve_ids(Official, len(roles))
            users, officials = [], []
            for index, ((role, position), user_id, official_id) in enumerate(zip(roles, user_ids, official_ids,
                                                                                  strict=True)):
                full_name, _ = people.person()
                username = f"{PREFIX}{agency.pk}.{index + 1:03d}"
                unit = (units[-1] if role == Role.ONESTOP_OFFICER else units[0] if role in (Role.CLERK,
                        Role.AGENCY_ADMIN, Role.PORTAL_EDITOR) else rng.choice(units[:-1]))
                if role == Role.LEADER and index == 0:
                    position = "GD"
                users.append({"id": user_id, "uuid": _uuid(rng), "password": "!generated", "username": username,
                              "role": role, "full_name": full_name, "first_name": "", "last_name": "",
                              "email": f"{username}@camau.example", "is_active": True, "is_staff": False,
                              "is_superuser": False, "date_joined": now, "last_login": None, "phone": ""})
                officials.append({"id": official_id, "uuid": _uuid(rng), "user_id": user_id, "agency_id": agency.pk,
                                  "unit_id": unit.pk, "position_id": positions.get(position), "is_active": True,
                                  "email": f"{username}@camau.example", "phone": ""})
            users_table.write(users)
            officials_table.write(officials)
        created += len(roles)
        bar.update(len(roles))
    seconds = bar.close()
    return {"officials": created, "seconds": seconds}


def _uuid(rng: random.Random):
    import uuid

    return uuid.UUID(int=rng.getrandbits(128), version=4)


def staff_read() -> dict[int, Staff]:
    """The generated officials by agency (the documents generator's actors)."""
    found: dict[int, Staff] = {}
    rows = (Official.objects.filter(user__username__startswith=PREFIX)
            .values_list("agency_id", "user_id", "unit_id", "user__role", "user__full_name").order_by("user_id"))
    for agency_id, user_id, unit_id, role, name in rows:
        staff = found.setdefault(agency_id, Staff(agency_id, {}, []))
        staff.by_role.setdefault(role, []).append((user_id, unit_id, name))
        if unit_id is not None and unit_id not in staff.units:
            staff.units.append(unit_id)
    return found
