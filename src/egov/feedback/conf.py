"""Settings of the feedback app, each with a default that follows the cited rule."""

from decimal import Decimal

from django.conf import settings

# Working days per (kind, step): forward within 5 WD (NĐ 20/2008 Art. 9), answer within 15 WD
# (NĐ 43/2011 Art. 17 for portal Q&A; used for feedback until a provincial rule sets otherwise).
DEFAULT_SLA = {
    ("phan_anh", "chuyen"): Decimal(5), ("kien_nghi", "chuyen"): Decimal(5), ("hoi_dap", "chuyen"): Decimal(5),
    ("phan_anh", "xu_ly"): Decimal(15), ("kien_nghi", "xu_ly"): Decimal(15), ("hoi_dap", "xu_ly"): Decimal(15),
}
MAX_FILES = 3


def max_file_bytes() -> int:
    return int(getattr(settings, "FEEDBACK_MAX_UPLOAD_MB", 10)) * 1024 * 1024


def submit_rate_per_minute() -> int:
    return int(getattr(settings, "FEEDBACK_SUBMIT_RATE_PER_MINUTE", 5))


def default_agency_code() -> str:
    """Where feedback without a chosen agency goes: the provincial committee's office by default."""
    return str(getattr(settings, "FEEDBACK_DEFAULT_AGENCY_CODE", "VP"))


def due_soon_working_days() -> int:
    return int(getattr(settings, "FEEDBACK_DUE_SOON_WORKING_DAYS", 2))
