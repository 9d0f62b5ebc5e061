"""Dossiers (hồ sơ TTHC), their work steps, their append-only event history, files and ratings."""

from django.conf import settings
from django.db import models

from egov.core.models import BaseModel
from egov.onestop.status import UNRETURNED, DossierStatus


class ApplicantKind(models.TextChoices):
    PERSON = "person", "Cá nhân"
    BUSINESS = "business", "Tổ chức, doanh nghiệp"


class Channel(models.TextChoices):
    COUNTER = "counter", "Trực tiếp"          # 1 truc_tiep
    ONLINE = "online", "Trực tuyến"           # 2 truc_tuyen
    POST = "post", "Bưu chính công ích"       # 3 buu_chinh_cong_ich


class StepTiming(models.TextChoices):
    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Quá hạn"


class Dossier(BaseModel):
    code = models.CharField("mã hồ sơ", max_length=40, unique=True, null=True, blank=True)
    procedure_version = models.ForeignKey("onestop.ProcedureVersion", on_delete=models.PROTECT,
                                          related_name="dossiers")
    procedure = models.ForeignKey("onestop.Procedure", on_delete=models.PROTECT, related_name="dossiers")
    receiving_agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    current_agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("trạng thái", max_length=24, choices=DossierStatus.choices, db_index=True)
    channel = models.CharField("kênh nộp", max_length=10, choices=Channel.choices)

    applicant_kind = models.CharField(max_length=10, choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    applicant_name = models.CharField("người nộp / tổ chức", max_length=255)
    applicant_id_number = models.CharField("số định danh / mã số doanh nghiệp", max_length=20, blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=500, blank=True)
    applicant_phone = models.CharField("điện thoại", max_length=20, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="dossiers")
    form_data = models.JSONField("nội dung tờ khai", default=dict, blank=True)
    copies = models.PositiveSmallIntegerField("số bộ hồ sơ", default=1)
    result_delivery = models.CharField("nhận kết quả tại", max_length=20, default="counter",
                                       choices=[("counter", "Tại Bộ phận Một cửa"), ("post", "Qua bưu chính"),
                                                ("online", "Trực tuyến")])

    submitted_at = models.DateTimeField("thời điểm nộp", null=True, blank=True)
    received_at = models.DateTimeField("thời điểm tiếp nhận", null=True, blank=True, db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    clock_start_at = models.DateTimeField("bắt đầu tính hạn", null=True, blank=True)
    original_due_at = models.DateTimeField("hạn ban đầu", null=True, blank=True)
    due_at = models.DateTimeField("hạn trả kết quả", null=True, blank=True, db_index=True)
    extended = models.BooleanField("đã gia hạn", default=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField("thời điểm xử lý xong", null=True, blank=True)
    returned_at = models.DateTimeField("thời điểm trả kết quả", null=True, blank=True)
    timing = models.CharField("kết quả đúng hạn", max_length=10, choices=StepTiming.choices, blank=True)
    late_step = models.ForeignKey("onestop.DossierStep", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    current_step = models.ForeignKey("onestop.DossierStep", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    current_handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    register_number = models.PositiveIntegerField("số thứ tự sổ theo dõi", null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-created_at"]
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [
            models.Index(fields=["current_agency", "status"]),
            models.Index(fields=["current_handler", "status"]),
            models.Index(fields=["status", "due_at"]),
            # The work queues walk this (ordered by due date) instead of every dossier of the year: without it
            # PostgreSQL chose the full due_at index and filtered 290,000 rows for 30 (bench/officer).
            models.Index(fields=["due_at", "received_at"], name="onestop_dossier_unreturned_due",
                         condition=models.Q(status__in=sorted(UNRETURNED))),
        ]

    def __str__(self) -> str:
        return self.code or f"(chưa cấp mã) {self.applicant_name}"


class DossierCounter(models.Model):
    """The daily sequence per receiving agency, locked with select_for_update so codes never repeat."""

    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="uniq_dossier_counter")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.day}: {self.last_value}"


class DossierRegisterCounter(models.Model):
    """The yearly sequence of the tracking register (Sổ theo dõi hồ sơ, Form 06) per receiving agency.

    TT 01/2018 Art. 10.2: numbers run from 01 through the year; locked like ``DossierCounter``."""

    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="uniq_dossier_register_counter")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last_value}"


class DossierStep(BaseModel):
    """One piece of work on a dossier (a process step, a consultation, a reception), with its own deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField()
    process_step = models.ForeignKey("onestop.ProcessStep", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    name = models.CharField(max_length=255)
    # Indexed with the dossier (Meta.indexes), not alone: officers' visibility reads dossier ids by agency and
    # by handler from the index only.
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+", db_index=False)
    unit = models.ForeignKey("directory.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    outcome = models.CharField(max_length=30, blank=True)
    timing = models.CharField(max_length=10, choices=StepTiming.choices, blank=True)
    is_consultation = models.BooleanField(default=False)

    class Meta:
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="uniq_dossier_step_order")]
        indexes = [
            # Visibility (policies.dossiers_visible_to): dossier ids of the agency's and the handler's steps by
            # index-only scans; one index over both columns made PostgreSQL visit every step of the agency's
            # year in the table (bench/officer: 7.7 → 1.5 ms per page at 300,000 dossiers).
            models.Index(fields=["agency", "dossier"], name="onestop_step_agency_dossier"),
            models.Index(fields=["handler", "dossier"], name="onestop_step_handler_dossier"),
            # "Mine" (selectors): the open steps only, a few per dossier in progress.
            models.Index(fields=["agency"], name="onestop_step_open_agency", condition=models.Q(finished_at=None)),
            models.Index(fields=["handler"], name="onestop_step_open_handler", condition=models.Q(finished_at=None)),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.order}. {self.name}"


class EventKind(models.TextChoices):
    SUBMIT = "submit", "Nộp hồ sơ"
    RECEIVE = "receive", "Tiếp nhận"
    REFUSE = "refuse", "Từ chối tiếp nhận"
    REQUEST_SUPPLEMENT = "request_supplement", "Yêu cầu bổ sung"
    SUPPLEMENT = "supplement", "Bổ sung hồ sơ"
    TRANSFER = "transfer", "Chuyển xử lý"
    ASSIGN = "assign", "Phân công"
    CONSULT = "consult", "Xin ý kiến"
    CONSULT_REPLY = "consult_reply", "Trả lời xin ý kiến"
    SEND_BACK = "send_back", "Trả lại bước trước"
    REQUEST_PAYMENT = "request_payment", "Yêu cầu nghĩa vụ tài chính"
    PAYMENT = "payment", "Hoàn thành nghĩa vụ tài chính"
    APOLOGY = "apology", "Xin lỗi, gia hạn"
    APPROVE = "approve", "Phê duyệt"
    REJECT = "reject", "Từ chối giải quyết"
    ATTACH_RESULT = "attach_result", "Đính kèm kết quả"
    FINISH = "finish", "Xử lý xong"
    RETURN = "return", "Trả kết quả"
    EARLY_NOTICE = "early_notice", "Thông báo trả kết quả sớm"
    WITHDRAW = "withdraw", "Rút hồ sơ"
    STOP = "stop", "Dừng xử lý"
    RATE = "rate", "Đánh giá"
    MESSAGE = "message", "Tin nhắn"


class DossierEvent(models.Model):
    """Append-only history: every transition and side event (never edited, never deleted)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    agency = models.ForeignKey("directory.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("directory.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    deadline_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=True, help_text="Hiển thị cho người nộp")

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="uniq_dossier_event_seq")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.kind}"


class FileRole(models.TextChoices):
    PAPER = "paper", "Thành phần hồ sơ"
    SUPPLEMENT = "supplement", "Hồ sơ bổ sung"
    RESULT = "result", "Kết quả giải quyết"
    FORM = "form", "Phiếu, mẫu"
    WORKING = "working", "Tài liệu xử lý"


def dossier_file_path(instance, filename: str) -> str:
    return f"onestop/{instance.dossier.uuid}/{instance.uuid}"


class DossierFile(BaseModel):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="files")
    role = models.CharField(max_length=12, choices=FileRole.choices)
    required_paper = models.ForeignKey("onestop.RequiredPaper", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    title = models.CharField(max_length=500)
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to=dossier_file_path, max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    form_code = models.CharField(max_length=10, blank=True, help_text="01..07 for generated forms")

    class Meta:
        ordering = ["dossier", "created_at"]

    def __str__(self) -> str:
        return self.title


class Rating(BaseModel):
    """The applicant's rating of the service (NĐ 61/2018 Art. 31 content), one per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    answers = models.JSONField(default=dict)
    overall = models.PositiveSmallIntegerField(help_text="1 (rất không hài lòng) … 5 (rất hài lòng)")
    comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.dossier}: {self.overall}/5"
