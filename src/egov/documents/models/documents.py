"""Incoming and outgoing documents, their files, the intake pipeline steps and the append-only events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from egov.core.models import BaseModel
from egov.documents.models.choices import (
    Channel,
    FileKind,
    IncomingStatus,
    IntakeStepName,
    IntakeStepStatus,
    OutgoingStatus,
    Secrecy,
    Urgency,
)


class DocumentMetadata(BaseModel):
    """Metadata shared by incoming and outgoing documents (NĐ 30/2020 Phụ lục VI, Part II)."""

    document_type = models.ForeignKey("documents.DocumentType", verbose_name="loại văn bản", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    type_name = models.CharField("tên loại văn bản", max_length=100, blank=True)  # TypeName
    number = models.CharField("số", max_length=11, blank=True)  # CodeNumber
    notation = models.CharField("ký hiệu", max_length=30, blank=True)  # CodeNotation
    number_notation = models.CharField("số, ký hiệu", max_length=50, blank=True, db_index=True,
                                       help_text="Dạng đầy đủ, ví dụ 123/QĐ-UBND")
    issued_date = models.DateField("ngày văn bản", null=True, blank=True)  # IssuedDate
    issuer_name = models.CharField("cơ quan ban hành", max_length=200, blank=True)  # OrganName
    issuer_code = models.CharField("mã định danh cơ quan ban hành", max_length=35, blank=True)  # OrganId
    summary = models.CharField("trích yếu", max_length=500)  # Subject
    language = models.CharField("ngôn ngữ", max_length=30, default="Tiếng Việt")
    page_count = models.PositiveSmallIntegerField("số trang", null=True, blank=True)
    description = models.CharField("ghi chú", max_length=500, blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=50, blank=True)
    urgency = models.PositiveSmallIntegerField("độ khẩn", choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.PositiveSmallIntegerField("độ mật", choices=Secrecy.choices, default=Secrecy.NONE)
    issued_amount = models.PositiveSmallIntegerField("số lượng bản phát hành", null=True, blank=True)
    reply_due_date = models.DateField("hạn trả lời", null=True, blank=True)  # DueDate

    class Meta:
        abstract = True


class IncomingDocument(DocumentMetadata):
    """A document received by an agency (văn bản đến), registered with its arrival number."""

    agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan nhận", on_delete=models.PROTECT,
                               related_name="incoming_documents")
    register = models.ForeignKey("documents.DocumentRegister", verbose_name="sổ văn bản đến",
                                 on_delete=models.PROTECT, related_name="incoming_documents")
    arrival_year = models.PositiveSmallIntegerField("năm")
    arrival_number = models.PositiveIntegerField("số đến")
    received_at = models.DateTimeField("ngày đến")  # ArrivalDate
    channel = models.CharField("hình thức nhận", max_length=12, choices=Channel.choices, default=Channel.PAPER)
    to_places = models.CharField("đơn vị, người nhận", max_length=1000, blank=True)  # ToPlaces
    status = models.CharField("trạng thái", max_length=12, choices=IncomingStatus.choices,
                              default=IncomingStatus.REGISTERED, db_index=True)
    handling_due_at = models.DateTimeField("hạn giải quyết", null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    possible_duplicate_of = models.ForeignKey("self", verbose_name="có thể trùng với", null=True, blank=True,
                                              on_delete=models.SET_NULL, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")

    class Meta:
        ordering = ["-received_at", "-arrival_number"]
        verbose_name = "văn bản đến"
        verbose_name_plural = "văn bản đến"
        constraints = [
            models.UniqueConstraint(fields=["register", "arrival_year", "arrival_number"],
                                    name="documents_incoming_unique_arrival"),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "handling_due_at"], name="documents_in_agency_status"),
            models.Index(fields=["agency", "received_at"], name="documents_in_agency_received"),
        ]

    def __str__(self) -> str:
        return f"Đến số {self.arrival_number}/{self.arrival_year}: {self.number_notation or self.summary[:60]}"


class OutgoingDocument(DocumentMetadata):
    """A document drafted, approved, signed and issued by an agency (văn bản đi)."""

    agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan ban hành", on_delete=models.PROTECT,
                               related_name="outgoing_documents")
    drafting_unit = models.ForeignKey("directory.Unit", verbose_name="đơn vị soạn thảo", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người soạn thảo",
                                   on_delete=models.PROTECT, related_name="+")
    status = models.CharField("trạng thái", max_length=12, choices=OutgoingStatus.choices,
                              default=OutgoingStatus.DRAFT, db_index=True)
    current_reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người đang duyệt", null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người ký", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("ký lúc", null=True, blank=True)
    agency_signed_at = models.DateTimeField("cơ quan ký số lúc", null=True, blank=True)
    agency_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    register = models.ForeignKey("documents.DocumentRegister", verbose_name="sổ văn bản đi", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="outgoing_documents")
    number_year = models.PositiveSmallIntegerField("năm cấp số", null=True, blank=True)
    number_value = models.PositiveIntegerField("số thứ tự", null=True, blank=True)
    issued_at = models.DateTimeField("phát hành lúc", null=True, blank=True, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    is_electronic = models.BooleanField("phát hành điện tử", default=True)
    external_recipients = models.TextField("nơi nhận ngoài nền tảng", blank=True)
    recipient_agencies = models.ManyToManyField("directory.Agency", verbose_name="cơ quan nhận trên nền tảng",
                                                blank=True, related_name="+")
    in_reply_to = models.ForeignKey("documents.IncomingDocument", verbose_name="trả lời văn bản đến", null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="replies")
    replaces = models.ForeignKey("self", verbose_name="thay thế văn bản", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="replaced_by")
    recalled_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    recall_reason = models.CharField("lý do thu hồi", max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "văn bản đi"
        verbose_name_plural = "văn bản đi"
        constraints = [
            models.UniqueConstraint(fields=["register", "number_year", "number_value"],
                                    condition=Q(number_value__isnull=False), name="documents_outgoing_unique_number"),
        ]
        indexes = [models.Index(fields=["agency", "status", "issued_at"], name="documents_out_agency_status")]

    def __str__(self) -> str:
        return self.number_notation or f"Dự thảo: {self.summary[:60]}"


class DocumentFile(BaseModel):
    """A file of a document. Uploaded first (the intake pipeline reads it), attached when registered."""

    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    incoming = models.ForeignKey(IncomingDocument, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="files")
    outgoing = models.ForeignKey(OutgoingDocument, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="files")
    kind = models.CharField("loại tệp", max_length=12, choices=FileKind.choices, default=FileKind.MAIN)
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    file = models.FileField("tệp", upload_to="documents/%Y/%m/", max_length=300)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content_type = models.CharField("định dạng", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("dung lượng", default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField("số trang", null=True, blank=True)
    text = models.TextField("nội dung văn bản", blank=True)
    text_source = models.CharField("nguồn nội dung", max_length=12, blank=True,
                                   help_text="pdf, docx, ocr hoặc để trống")
    suggestions = models.JSONField("thông tin gợi ý", default=dict, blank=True)
    # Scans: the original stays untouched in ``file``; OCR writes a PDF/A with a text layer here.
    searchable_file = models.FileField("bản PDF có lớp chữ (OCR)", upload_to="documents/ocr/%Y/%m/",
                                       max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "tệp văn bản"
        verbose_name_plural = "tệp văn bản"
        constraints = [
            models.CheckConstraint(condition=Q(incoming__isnull=True) | Q(outgoing__isnull=True),
                                   name="documents_file_one_owner"),
        ]

    def __str__(self) -> str:
        return self.original_name


class IntakeStep(models.Model):
    """One ordered step of the intake pipeline of a file; re-run by retry, never deleted."""

    file = models.ForeignKey(DocumentFile, on_delete=models.CASCADE, related_name="intake_steps")
    name = models.CharField("bước", max_length=20, choices=IntakeStepName.choices)
    position = models.PositiveSmallIntegerField("thứ tự")
    status = models.CharField("trạng thái", max_length=10, choices=IntakeStepStatus.choices,
                              default=IntakeStepStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    error = models.CharField("lý do lỗi", max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["file", "position"]
        verbose_name = "bước tiếp nhận tệp"
        constraints = [models.UniqueConstraint(fields=["file", "name"], name="documents_intake_step_unique")]

    def __str__(self) -> str:
        return f"{self.get_name_display()}: {self.get_status_display()}"


class DocumentEvent(models.Model):
    """Append-only history of a document: every registration, direction, move, opinion, approval, issue."""

    incoming = models.ForeignKey(IncomingDocument, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="events")
    outgoing = models.ForeignKey(OutgoingDocument, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="events")
    assignment = models.ForeignKey("documents.Assignment", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="events")
    action = models.CharField("hành động", max_length=40, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField("người thực hiện", max_length=150, blank=True)
    agency = models.ForeignKey("directory.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("nội dung", blank=True)
    data = models.JSONField(default=dict, blank=True)
    file = models.ForeignKey(DocumentFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "diễn biến văn bản"
        verbose_name_plural = "diễn biến văn bản"
        constraints = [
            models.CheckConstraint(condition=Q(incoming__isnull=True) | Q(outgoing__isnull=True),
                                   name="documents_event_one_document"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"
