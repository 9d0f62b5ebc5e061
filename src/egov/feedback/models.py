"""Citizens' feedback (phản ánh, kiến nghị) and questions (hỏi đáp): NĐ 20/2008 Art. 9, 14; NĐ 43/2011 Art. 17.

One record follows the item from submission to the published answer. A forward to another agency moves the
record (``agency``) and keeps the previous one in ``forwarded_from``, so the sender keeps one tracking code.
Every state change is a ``FeedbackEvent`` (append-only) plus an audit entry.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from egov.core.models import BaseModel


class Kind(models.TextChoices):
    PHAN_ANH = "phan_anh", "Phản ánh"
    KIEN_NGHI = "kien_nghi", "Kiến nghị"
    HOI_DAP = "hoi_dap", "Hỏi đáp"


class Status(models.TextChoices):
    MOI = "moi", "Mới gửi"
    DA_TIEP_NHAN = "da_tiep_nhan", "Đã tiếp nhận (vào sổ)"
    CHO_BO_SUNG_THONG_TIN = "cho_bo_sung", "Chờ bổ sung thông tin"
    KHONG_TIEP_NHAN = "khong_tiep_nhan", "Không tiếp nhận"
    CHUYEN_CO_QUAN_KHAC = "chuyen_co_quan_khac", "Đã chuyển cơ quan khác"
    DANG_XU_LY = "dang_xu_ly", "Đang xử lý"
    DA_XU_LY = "da_xu_ly", "Đã xử lý, trả lời"
    DA_CONG_KHAI = "da_cong_khai", "Đã công khai"


OPEN_STATUSES = (Status.DA_TIEP_NHAN, Status.CHO_BO_SUNG_THONG_TIN, Status.DANG_XU_LY)
ANSWERED_STATUSES = (Status.DA_XU_LY, Status.DA_CONG_KHAI)


class Classification(models.TextChoices):
    KHONG_TIEP_NHAN = "khong_tiep_nhan", "Không tiếp nhận (không đáp ứng Điều 7)"
    HANH_VI = "hanh_vi", "Về hành vi của cán bộ, công chức (chuyển cơ quan có thẩm quyền)"
    THUOC_THAM_QUYEN = "thuoc_tham_quyen", "Thuộc thẩm quyền xử lý"
    NGOAI_THAM_QUYEN = "ngoai_tham_quyen", "Ngoài thẩm quyền (chuyển cơ quan có thẩm quyền)"


class Step(models.TextChoices):
    FORWARD = "chuyen", "Phân loại, chuyển cơ quan có thẩm quyền"
    HANDLE = "xu_ly", "Xử lý, trả lời"


class Feedback(BaseModel):
    code = models.CharField("mã theo dõi", max_length=20, unique=True)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    status = models.CharField("trạng thái", max_length=24, choices=Status.choices, default=Status.MOI,
                              db_index=True)
    sender_name = models.CharField("họ và tên", max_length=150)
    sender_address = models.CharField("địa chỉ", max_length=255)
    sender_phone = models.CharField("điện thoại", max_length=30, blank=True)
    sender_email = models.EmailField("thư điện tử", blank=True)
    sender_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="tài khoản người gửi", null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField("tiêu đề", max_length=255)
    content = models.TextField("nội dung")
    agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan đang xử lý", on_delete=models.PROTECT,
                               related_name="feedback_items")
    forwarded_from = models.ForeignKey("directory.Agency", verbose_name="chuyển từ cơ quan", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("thời điểm gửi")
    register_year = models.PositiveSmallIntegerField("năm sổ", null=True, blank=True)
    register_number = models.PositiveIntegerField("số thứ tự trong sổ", null=True, blank=True)
    received_at = models.DateTimeField("thời điểm tiếp nhận", null=True, blank=True)
    classification = models.CharField("phân loại", max_length=20, choices=Classification.choices, blank=True)
    reason = models.TextField("lý do, ghi chú", blank=True)
    forward_due_at = models.DateTimeField("hạn phân loại, chuyển", null=True, blank=True)
    forwarded_at = models.DateTimeField("thời điểm chuyển", null=True, blank=True)
    due_at = models.DateTimeField("hạn xử lý, trả lời", null=True, blank=True, db_index=True)
    answer = models.TextField("nội dung trả lời", blank=True)
    answered_at = models.DateTimeField("thời điểm trả lời", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người trả lời", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    public_question = models.TextField("câu hỏi công khai (đã lược thông tin cá nhân)", blank=True)
    published_at = models.DateTimeField("thời điểm công khai", null=True, blank=True)
    search_text = models.TextField("nội dung tìm kiếm (không dấu)", blank=True)

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "register_year", "register_number"],
                                    name="feedback_register_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.subject[:80]}"

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None or self.due_at is None:
            return None
        return self.answered_at <= self.due_at


class FeedbackAttachment(BaseModel):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=300)
    name = models.CharField("tên tệp", max_length=255)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"
        ordering = ["created_at"]


class FeedbackEvent(models.Model):
    """One step of the history; never changed or removed (save/delete refuse)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    agency = models.ForeignKey("directory.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="The deadline this step was held to")

    class Meta:
        ordering = ["at", "id"]

    ACTION_LABELS = {"submit": "Gửi", "receive": "Tiếp nhận, vào sổ", "classify": "Phân loại",
                     "request_info": "Đề nghị bổ sung thông tin", "resume": "Tiếp tục xử lý", "answer": "Trả lời",
                     "publish": "Công khai"}

    def __str__(self) -> str:
        return f"{self.action} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("FeedbackEvent is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("FeedbackEvent is append-only.")

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)

    @property
    def to_status_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else self.to_status


class SlaRule(BaseModel):
    """SLA(kind, step) → working days (SPEC §7.3); missing rules fall back to ``feedback.conf`` defaults."""

    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    step = models.CharField("bước", max_length=20, choices=Step.choices)
    working_days = models.DecimalField("số ngày làm việc", max_digits=5, decimal_places=1,
                                       default=Decimal(15))
    basis = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        verbose_name = "thời hạn xử lý PAKN"
        verbose_name_plural = "thời hạn xử lý PAKN"
        constraints = [models.UniqueConstraint(fields=["kind", "step"], name="feedback_sla_kind_step_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.get_step_display()}: {self.working_days} ngày làm việc"
