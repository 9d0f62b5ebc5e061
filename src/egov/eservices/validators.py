"""Checks of what citizens type about themselves: the citizen identity number (CCCD) and a phone number."""

import re

from django.core.exceptions import ValidationError

# First three digits of a CCCD: the code of the province where the birth was registered (Thông tư
# 07/2016/TT-BCA, 63 provinces before the 2025 mergers; numbers already issued keep their code).
_PROVINCE_CODES_TEXT = (
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 "
    "040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 "
    "083 084 086 087 089 091 092 093 094 095 096"
)
CCCD_PROVINCE_CODES = frozenset(_PROVINCE_CODES_TEXT.split(" "))
_CCCD_RE = re.compile(r"^\d{12}$")
_PHONE_RE = re.compile(r"^(?:0|\+84)\d{9}$")


def normalize_cccd(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def validate_cccd(value: str) -> None:
    """12 digits whose first three are a province code; raises a Vietnamese ValidationError otherwise."""
    cleaned = normalize_cccd(value)
    if not _CCCD_RE.fullmatch(cleaned):
        raise ValidationError("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.", code="cccd_format")
    if cleaned[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            "Số định danh cá nhân (CCCD) không hợp lệ: ba chữ số đầu phải là mã tỉnh nơi đăng ký khai sinh.",
            code="cccd_province",
        )


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


def validate_phone(value: str) -> None:
    if not _PHONE_RE.fullmatch(normalize_phone(value)):
        raise ValidationError(
            "Số điện thoại không hợp lệ: 10 chữ số bắt đầu bằng 0 (hoặc +84 và 9 chữ số).", code="phone_format"
        )
