"""Calendar overrides (extra days off, make-up working days) and office hours per agency.

Public holidays themselves are not stored: they come from the ``holidays`` package (SPEC §6.3); this
table records only what a government notice changes, each row citing that notice.
"""

import datetime as dt

from django.db import models
from django.db.models import F, Q

from egov.core.models import BaseModel
from egov.workdays import builtin


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", "Ngày nghỉ thêm"
    WORKING_DAY = "working_day", "Ngày làm việc (làm bù)"


class CalendarOverride(BaseModel):
    """One day whose status differs from the package's calendar, by a cited decision."""

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=20, choices=OverrideKind.choices)
    reason = models.CharField("lý do", max_length=255, help_text="Ví dụ: Nghỉ bù Quốc khánh 2027")
    decision = models.CharField(
        "văn bản quyết định", max_length=255,
        help_text="Số, ký hiệu văn bản quyết định hoặc thông báo, ví dụ CV 2450/VPCP-KGVX",
    )
    decision_date = models.DateField("ngày ban hành văn bản", null=True, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "ngày nghỉ, ngày làm bù điều chỉnh"
        verbose_name_plural = "ngày nghỉ, ngày làm bù điều chỉnh"

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}: {self.reason}"

    @property
    def is_working(self) -> bool:
        return self.kind == OverrideKind.WORKING_DAY


class OfficeHours(BaseModel):
    """Office sessions and the receipt cut-off of an agency (or of the whole province when ``agency`` is
    empty), from ``valid_from`` until the next row of the same agency."""

    agency = models.ForeignKey(
        "directory.Agency", verbose_name="cơ quan", null=True, blank=True, on_delete=models.CASCADE,
        related_name="office_hours", help_text="Để trống: giờ làm việc chung của tỉnh",
    )
    morning_start = models.TimeField("bắt đầu buổi sáng", default=builtin.DEFAULT_MORNING_START)
    morning_end = models.TimeField("kết thúc buổi sáng", default=builtin.DEFAULT_MORNING_END)
    afternoon_start = models.TimeField("bắt đầu buổi chiều", default=builtin.DEFAULT_AFTERNOON_START)
    afternoon_end = models.TimeField("kết thúc buổi chiều", default=builtin.DEFAULT_AFTERNOON_END)
    receipt_cutoff = models.TimeField(
        "giờ chốt tiếp nhận", default=builtin.DEFAULT_RECEIPT_CUTOFF,
        help_text="Hồ sơ nhận sau giờ này được tính là nhận vào ngày làm việc kế tiếp",
    )
    valid_from = models.DateField("áp dụng từ ngày", default=dt.date(2000, 1, 1))
    decision = models.CharField("văn bản quy định", max_length=255, blank=True)

    class Meta:
        ordering = ["agency__name", "-valid_from"]
        verbose_name = "giờ làm việc"
        verbose_name_plural = "giờ làm việc"
        constraints = [
            models.UniqueConstraint(fields=["agency", "valid_from"], name="workdays_hours_agency_from_uniq"),
            models.UniqueConstraint(
                fields=["valid_from"], condition=Q(agency__isnull=True), name="workdays_hours_default_from_uniq"
            ),
            models.CheckConstraint(
                condition=Q(morning_start__lt=F("morning_end"))
                & Q(morning_end__lte=F("afternoon_start"))
                & Q(afternoon_start__lt=F("afternoon_end")),
                name="workdays_hours_sessions_ordered",
            ),
        ]

    def __str__(self) -> str:
        who = self.agency.name if self.agency_id else "Mặc định của tỉnh"
        return (
            f"{who}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M} (từ {self.valid_from:%d/%m/%Y})"
        )
