"""The procedure catalogue (thủ tục hành chính), versioned: a dossier keeps the version it was received under."""

from django.db import models

from egov.core.models import BaseModel
from egov.core.text import fold_vietnamese, normalize_vietnamese


class Field(BaseModel):
    """Lĩnh vực (e.g. Hộ tịch, Đất đai)."""

    code = models.CharField("mã lĩnh vực", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=255, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"

    def __str__(self) -> str:
        return self.name


class ProcedureLevel(models.TextChoices):
    COMMUNE = "xa", "Cấp xã"
    PROVINCE = "tinh", "Cấp tỉnh"
    PROVINCE_COMMUNE = "tinh,xa", "Cấp tỉnh, cấp xã"


class OnlineMode(models.TextChoices):
    FULL = "full", "Trực tuyến toàn trình"
    PARTIAL = "partial", "Trực tuyến một phần"
    NONE = "none", "Không trực tuyến"


class Procedure(BaseModel):
    """A procedure by its national code (e.g. 1.001193); its rules live in its versions."""

    code = models.CharField("mã thủ tục", max_length=30, unique=True)
    name = models.CharField("tên thủ tục", max_length=1000)  # real names run past 500 characters
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name="lĩnh vực")
    level = models.CharField("cấp thực hiện", max_length=10, choices=ProcedureLevel.choices)
    current_version = models.ForeignKey(
        "ProcedureVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField("đang áp dụng", default=True)
    # Code and name as written and folded (no diacritics), so "dang ky" finds "đăng ký" (DESIGN.md search).
    search_text = models.TextField(default="", blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        text = f"{self.code} {self.name}"
        self.search_text = f"{normalize_vietnamese(text)}\n{fold_vietnamese(text)}"
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"code", "name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class ProcedureVersion(BaseModel):
    """One version of a procedure's rules; never edited once a dossier refers to it (a new version is made)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    implementing_agency_text = models.CharField("cơ quan thực hiện", max_length=500, blank=True)
    # Processing time: working days (may be fractional, 0.5 = half a day) or working hours.
    processing_days = models.DecimalField("thời hạn (ngày làm việc)", max_digits=6, decimal_places=1,
                                          null=True, blank=True)
    processing_hours = models.PositiveIntegerField("thời hạn (giờ làm việc)", null=True, blank=True)
    count_receipt_day = models.BooleanField("tính cả ngày tiếp nhận", default=False)
    fees = models.JSONField("phí, lệ phí", default=list, blank=True,
                            help_text='[{"mode": "truc_tiep", "vnd": 50000, "text": "..."}]')
    online_mode = models.CharField("dịch vụ công trực tuyến", max_length=10, choices=OnlineMode.choices,
                                   default=OnlineMode.NONE)
    online_result = models.BooleanField("trả kết quả trực tuyến", default=False)
    consultation_allowed = models.BooleanField("cho phép lấy ý kiến cơ quan khác", default=False)
    result_documents = models.JSONField("kết quả thực hiện", default=list, blank=True)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    form_schema = models.JSONField(
        "biểu mẫu trực tuyến", default=list, blank=True,
        help_text='[{"name": "ho_ten_tre", "label": "Họ tên trẻ", "type": "text|date|number|select|textarea",'
                  ' "required": true, "choices": [...]}]',
    )
    notes = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["procedure__code", "-number"]
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="uniq_procedure_version")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"


class RequiredPaper(BaseModel):
    """A paper of the checklist (thành phần hồ sơ)."""

    KIND_SUBMIT = "nop"
    KIND_SHOW = "xuat_trinh"

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="papers")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("tên giấy tờ", max_length=500)
    kind = models.CharField(max_length=12, choices=[(KIND_SUBMIT, "Nộp"), (KIND_SHOW, "Xuất trình")],
                            default=KIND_SUBMIT)
    originals = models.PositiveSmallIntegerField("bản chính", default=0)
    copies = models.PositiveSmallIntegerField("bản sao", default=0)
    condition = models.CharField("trường hợp áp dụng", max_length=500, blank=True)
    mandatory = models.BooleanField("bắt buộc", default=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"

    def __str__(self) -> str:
        return self.name


class ProcessStep(BaseModel):
    """A step of the internal (or inter-agency) process with who does it and its allotted time."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField("tên bước", max_length=255)
    role = models.CharField("vai trò thực hiện", max_length=32, help_text="accounts.Role value")
    agency_kind = models.CharField(
        "cấp cơ quan thực hiện", max_length=20, blank=True,
        help_text="Để trống: cơ quan tiếp nhận; hoặc loại cơ quan (so, ubnd_tinh...) / mã cơ quan cụ thể",
    )
    agency_code = models.CharField("mã cơ quan thực hiện", max_length=40, blank=True)
    unit_name = models.CharField("phòng, ban thực hiện", max_length=255, blank=True)
    allotted_days = models.DecimalField("thời gian (ngày làm việc)", max_digits=5, decimal_places=1,
                                        null=True, blank=True)
    allotted_hours = models.PositiveIntegerField("thời gian (giờ làm việc)", null=True, blank=True)
    is_consultation = models.BooleanField(
        "lấy ý kiến cơ quan khác", default=False,
        help_text="Bước xin ý kiến phối hợp: chạy song song, không cộng vào thời hạn của quy trình",
    )

    class Meta:
        ordering = ["version", "order"]
        verbose_name = "bước xử lý"
        verbose_name_plural = "bước xử lý"
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="uniq_step_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
