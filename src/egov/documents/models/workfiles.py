"""Work files (hồ sơ công việc) of the yearly file list, and retention periods (NĐ 30/2020 Art. 28–31)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from egov.core.models import BaseModel
from egov.documents.models.choices import WorkFileStatus


class RetentionPeriod(models.Model):
    """A retention period of the records table (TT 10/2022/TT-BNV): a number of years, or permanent."""

    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên", max_length=100)
    years = models.PositiveSmallIntegerField("số năm", null=True, blank=True, help_text="Để trống: vĩnh viễn")
    legal_basis = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        ordering = ["years"]
        verbose_name = "thời hạn bảo quản"
        verbose_name_plural = "thời hạn bảo quản"

    def __str__(self) -> str:
        return self.name


class WorkFile(BaseModel):
    """One file of an agency's yearly file list; opened, filled with documents, closed, handed to the archive."""

    agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan", on_delete=models.PROTECT,
                               related_name="work_files")
    year = models.PositiveSmallIntegerField("năm")  # FileCatalog
    heading = models.CharField("đề mục", max_length=255, blank=True)
    notation = models.CharField("số, ký hiệu hồ sơ", max_length=20)  # FileNotation
    title = models.CharField("tiêu đề", max_length=500)
    retention = models.ForeignKey(RetentionPeriod, verbose_name="thời hạn bảo quản", on_delete=models.PROTECT,
                                  related_name="+")
    rights = models.CharField("chế độ sử dụng", max_length=30, default="Công khai")
    unit = models.ForeignKey("directory.Unit", verbose_name="đơn vị lập", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người lập", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    language = models.CharField("ngôn ngữ", max_length=50, default="Tiếng Việt")
    status = models.CharField("trạng thái", max_length=10, choices=WorkFileStatus.choices,
                              default=WorkFileStatus.PLANNED)
    start_date = models.DateField("ngày bắt đầu", null=True, blank=True)
    end_date = models.DateField("ngày kết thúc", null=True, blank=True)
    description = models.CharField("ghi chú", max_length=500, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người duyệt danh mục", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("duyệt danh mục lúc", null=True, blank=True)
    archived_at = models.DateTimeField("nộp lưu lúc", null=True, blank=True)

    class Meta:
        ordering = ["agency", "-year", "notation"]
        verbose_name = "hồ sơ công việc"
        verbose_name_plural = "hồ sơ công việc"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "notation"], name="documents_workfile_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.notation} {self.title}"


class WorkFileItem(models.Model):
    """A document placed in a work file, in order (DocOrdinal). A document may sit in several files."""

    work_file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="items")
    incoming = models.ForeignKey("documents.IncomingDocument", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    outgoing = models.ForeignKey("documents.OutgoingDocument", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    ordinal = models.PositiveSmallIntegerField("số thứ tự trong hồ sơ")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["work_file", "ordinal"]
        verbose_name = "văn bản trong hồ sơ"
        constraints = [
            models.CheckConstraint(condition=(Q(incoming__isnull=False) & Q(outgoing__isnull=True))
                                   | (Q(incoming__isnull=True) & Q(outgoing__isnull=False)),
                                   name="documents_item_one_document"),
            models.UniqueConstraint(fields=["work_file", "incoming"], name="documents_item_unique_in"),
            models.UniqueConstraint(fields=["work_file", "outgoing"], name="documents_item_unique_out"),
            models.UniqueConstraint(fields=["work_file", "ordinal"], name="documents_item_unique_ordinal"),
        ]

    def __str__(self) -> str:
        return f"{self.work_file_id}#{self.ordinal}"
