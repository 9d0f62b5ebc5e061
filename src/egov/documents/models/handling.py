"""Direction and handling of incoming documents, and delivery of issued documents to other agencies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from egov.core.models import BaseModel
from egov.documents.models.choices import AssignmentRole, AssignmentStatus, DeliveryStatus


class Assignment(BaseModel):
    """One recipient of a leader's direction (bút phê): a unit or an official, as lead, cooperating or for
    information, with the instruction and a deadline from the working-day calendar. A unit that re-assigns
    inside creates child assignments; the parent keeps its history."""

    incoming = models.ForeignKey("documents.IncomingDocument", on_delete=models.CASCADE, related_name="assignments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    role = models.CharField("vai trò", max_length=16, choices=AssignmentRole.choices)
    unit = models.ForeignKey("directory.Unit", verbose_name="đơn vị", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người xử lý", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="document_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    instruction = models.TextField("ý kiến chỉ đạo", blank=True)
    due_at = models.DateTimeField("hạn xử lý", null=True, blank=True, db_index=True)
    due_days = models.DecimalField("số ngày làm việc", max_digits=5, decimal_places=1, null=True, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.ASSIGNED, db_index=True)
    completed_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    reminded_at = models.DateTimeField("đã nhắc lúc", null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "phân công xử lý"
        verbose_name_plural = "phân công xử lý"
        constraints = [
            models.CheckConstraint(condition=Q(unit__isnull=False) | Q(assignee__isnull=False),
                                   name="documents_assignment_has_target"),
        ]
        indexes = [models.Index(fields=["assignee", "status", "due_at"], name="documents_assign_mine")]

    def __str__(self) -> str:
        target = self.assignee or self.unit
        return f"{self.get_role_display()}: {target}"


class Delivery(BaseModel):
    """An issued document sent to one recipient agency on the platform, with its latest status (SPEC §4.3)."""

    outgoing = models.ForeignKey("documents.OutgoingDocument", on_delete=models.CASCADE, related_name="deliveries")
    recipient_agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan nhận", on_delete=models.PROTECT,
                                         related_name="+")
    incoming = models.OneToOneField("documents.IncomingDocument", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="delivery")
    status = models.CharField("trạng thái", max_length=2, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.DELIVERED, db_index=True)
    reason = models.CharField("lý do", max_length=500, blank=True)
    status_at = models.DateTimeField("cập nhật lúc", default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "gửi nhận liên thông"
        verbose_name_plural = "gửi nhận liên thông"
        constraints = [
            models.UniqueConstraint(fields=["outgoing", "recipient_agency"], name="documents_delivery_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.outgoing} → {self.recipient_agency}: {self.get_status_display()}"


class DeliveryEvent(models.Model):
    """Append-only trail of delivery statuses, shown to the sender."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")
    status = models.CharField("trạng thái", max_length=2, choices=DeliveryStatus.choices)
    description = models.CharField("mô tả", max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "trạng thái liên thông"

    def __str__(self) -> str:
        return f"{self.status} {self.at:%d/%m/%Y %H:%M}"
