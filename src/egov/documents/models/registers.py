"""Document types and registers (sổ văn bản) with their yearly counters (NĐ 30/2020 Art. 15, 22)."""

from django.db import models

from egov.core.models import BaseModel
from egov.documents.models.choices import Direction, RegisterKind


class DocumentType(models.Model):
    """One of the administrative types of NĐ 30/2020 Phụ lục III (Công văn has no abbreviation)."""

    code = models.CharField("mã", max_length=20, unique=True, help_text="Mã nội bộ, ví dụ quyet-dinh")
    name = models.CharField("tên loại", max_length=100)
    abbreviation = models.CharField("chữ viết tắt", max_length=10, blank=True,
                                    help_text="Giữ nguyên chữ hoa/thường: QĐ, QyĐ, TTr; để trống với Công văn")
    is_legal_normative = models.BooleanField("là văn bản quy phạm pháp luật", default=False)
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "loại văn bản"
        verbose_name_plural = "loại văn bản"

    def __str__(self) -> str:
        return self.name


class DocumentRegister(BaseModel):
    """A register of one agency: its own number series, restarting from 1 every year."""

    agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan", on_delete=models.PROTECT,
                               related_name="document_registers")
    direction = models.CharField("văn bản đến/đi", max_length=10, choices=Direction.choices)
    kind = models.CharField("loại sổ", max_length=10, choices=RegisterKind.choices, default=RegisterKind.REGULAR)
    document_type = models.ForeignKey(DocumentType, verbose_name="loại văn bản", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      help_text="Sổ riêng cho một loại văn bản (bắt buộc với văn bản QPPL)")
    name = models.CharField("tên sổ", max_length=150)
    number_width = models.PositiveSmallIntegerField(
        "số chữ số", default=2, help_text="Số nhỏ hơn được thêm số 0 phía trước: 2 → 01; Cà Mau dùng 5 → 02354")
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        ordering = ["agency__name", "direction", "name"]
        verbose_name = "sổ văn bản"
        verbose_name_plural = "sổ văn bản"
        constraints = [
            models.UniqueConstraint(fields=["agency", "direction", "name"], name="documents_register_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.abbreviation})"

    def format_number(self, value: int) -> str:
        return str(value).zfill(self.number_width)


class RegisterCounter(models.Model):
    """Last number given in a register for a year; its row is locked while the next number is taken."""

    register = models.ForeignKey(DocumentRegister, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField("số cuối đã cấp", default=0)

    class Meta:
        verbose_name = "bộ đếm sổ văn bản"
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="documents_counter_unique")]

    def __str__(self) -> str:
        return f"{self.register_id}/{self.year}: {self.last_value}"
