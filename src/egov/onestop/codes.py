"""Dossier codes (mã số hồ sơ, SPEC §1.9) and the yearly register number, from counters that never repeat.

The legal format changed over time and differs between systems (TT 01/2018 Art. 19 versus the QĐ 20/2020
layout seen on DVCQG-linked systems), so the generator is a pluggable ``DossierCodeStrategy`` chosen by the
setting ``ONESTOP_DOSSIER_CODE_STRATEGY`` (a dotted path). Every strategy draws its sequence from a counter
row locked with ``select_for_update`` inside the caller's transaction: two officers receiving at the same
second get consecutive numbers, and a rolled-back reception gives its number back.
"""

import datetime as dt
import re
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from egov.core.counters import locked_counter_next
from egov.core.errors import DomainError
from egov.onestop.models import DossierCounter, DossierRegisterCounter

# TT 01/2018/TT-VPCP Art. 19: <QCVN 102 agency code>-YYMMDD-XXXX
QCVN102_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Y]\d{2}-\d{6}-\d{4}$")
# DVCQG-linked systems: <QĐ 20/2020 agency code>-YYYYMMDD-XXXXXXX
QD20_CODE_RE = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]+)*-\d{8}-\d{7}$")


class DossierCodeStrategy(Protocol):
    """Makes the next dossier code of an agency for a receipt moment; must run inside a transaction."""

    name: str
    pattern: re.Pattern

    def next_code(self, *, agency, received_at: dt.datetime) -> str: ...


def daily_sequence_next(*, agency, day: dt.date, limit: int) -> int:
    """The next number of the agency's daily sequence; refuses to overflow the code's digits."""
    value = locked_counter_next(DossierCounter, agency=agency, day=day)
    if value > limit:
        raise DomainError(
            "dossier_sequence_exhausted",
            f"Đã hết số thứ tự cấp mã hồ sơ trong ngày {day:%d/%m/%Y} của {agency.name} (tối đa {limit:,}).".replace(
                ",", "."
            ),
            status=409,
        )
    return value


def register_number_next(*, agency, year: int) -> int:
    """The next number of the agency's tracking register (Sổ theo dõi hồ sơ) for ``year``."""
    return locked_counter_next(DossierRegisterCounter, agency=agency, year=year)


def _local_day(received_at: dt.datetime) -> dt.date:
    return timezone.localtime(received_at).date()


class Qcvn102CodeStrategy:
    """TT 01/2018 Art. 19: ``000.00.12.H12-250714-0007`` (QCVN 102 agency code, YYMMDD, 4-digit sequence)."""

    name = "qcvn102"
    pattern = QCVN102_CODE_RE

    def next_code(self, *, agency, received_at: dt.datetime) -> str:
        prefix = (agency.code_qcvn102 or "").strip().upper()
        if not prefix:
            raise DomainError(
                "agency_code_missing",
                f"{agency.name} chưa có mã định danh điện tử theo QCVN 102:2016 nên chưa thể cấp mã hồ sơ. "
                "Đề nghị quản trị cập nhật mã định danh của cơ quan trong danh bạ.",
                status=409,
            )
        day = _local_day(received_at)
        number = daily_sequence_next(agency=agency, day=day, limit=9999)
        return f"{prefix}-{day:%y%m%d}-{number:04d}"


class Qd20CodeStrategy:
    """QĐ 20/2020 layout as used on DVCQG-linked systems: ``G09.20-20260609-0092637``."""

    name = "qd20"
    pattern = QD20_CODE_RE

    def next_code(self, *, agency, received_at: dt.datetime) -> str:
        prefix = (agency.code_qd20 or "").strip().upper()
        if not prefix:
            raise DomainError(
                "agency_code_missing",
                f"{agency.name} chưa có mã định danh điện tử theo Quyết định 20/2020/QĐ-TTg nên chưa thể cấp "
                "mã hồ sơ. Đề nghị quản trị cập nhật mã định danh của cơ quan trong danh bạ.",
                status=409,
            )
        day = _local_day(received_at)
        number = daily_sequence_next(agency=agency, day=day, limit=9_999_999)
        return f"{prefix}-{day:%Y%m%d}-{number:07d}"


@lru_cache(maxsize=4)
def _strategy(path: str) -> DossierCodeStrategy:
    return import_string(path)()


def code_strategy() -> DossierCodeStrategy:
    """The configured strategy (``ONESTOP_DOSSIER_CODE_STRATEGY``), instantiated once per process."""
    return _strategy(getattr(settings, "ONESTOP_DOSSIER_CODE_STRATEGY", "egov.onestop.codes.Qcvn102CodeStrategy"))


def dossier_code_next(*, agency, received_at: dt.datetime) -> str:
    return code_strategy().next_code(agency=agency, received_at=received_at)


def is_dossier_code(value: str) -> bool:
    """Whether ``value`` has the shape of a dossier code under either layout (for lookups and URLs)."""
    text = (value or "").strip().upper()
    return bool(QCVN102_CODE_RE.fullmatch(text) or QD20_CODE_RE.fullmatch(text))
