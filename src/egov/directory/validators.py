"""Patterns of agency electronic ID codes (SPEC §2.3): both layouts are in use and both are validated."""

import re

from egov.core.errors import DomainError

# QCVN 102:2016 (fixed four levels, level 1 at the right): 000.00.00.H12
QCVN102_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Y]\d{2}$")
# Decision 20/2020/QĐ-TTg (level 1 at the left, variable depth, at most 35 characters): H12.05.01
QD20_RE = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]+)*$")


def validate_code_qcvn102(value: str) -> str:
    value = (value or "").strip().upper()
    if not QCVN102_RE.fullmatch(value):
        raise DomainError(
            "invalid_agency_code",
            f"Mã định danh “{value}” không đúng định dạng QCVN 102:2016 (ví dụ 000.00.00.H12).",
        )
    return value


def validate_code_qd20(value: str) -> str:
    value = (value or "").strip().upper()
    if len(value) > 35 or not QD20_RE.fullmatch(value):
        raise DomainError(
            "invalid_agency_code",
            f"Mã định danh “{value}” không đúng định dạng Quyết định 20/2020/QĐ-TTg "
            "(ví dụ H12.05, tối đa 35 ký tự).",
        )
    return value
