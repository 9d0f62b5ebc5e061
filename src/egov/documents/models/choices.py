"""Choice lists of the document domain (SPEC §3.3, §4.3)."""

from django.db import models


class Direction(models.TextChoices):
    INCOMING = "incoming", "Văn bản đến"
    OUTGOING = "outgoing", "Văn bản đi"


class RegisterKind(models.TextChoices):
    """Separate number series (NĐ 30/2020 Art. 15): ordinary, secret, each legal normative type."""

    REGULAR = "regular", "Thường"
    SECRET = "secret", "Mật"
    LEGAL = "legal", "Văn bản quy phạm pháp luật"


class Urgency(models.IntegerChoices):
    """edXML ``Priority`` codes."""

    NORMAL = 0, "Thường"
    URGENT = 1, "Khẩn"
    VERY_URGENT = 2, "Thượng khẩn"
    FLASH = 3, "Hỏa tốc"
    FLASH_TIMED = 4, "Hỏa tốc hẹn giờ"


class Secrecy(models.IntegerChoices):
    NONE = 0, "Thường"
    CONFIDENTIAL = 1, "Mật"
    SECRET = 2, "Tối mật"
    TOP_SECRET = 3, "Tuyệt mật"


class Channel(models.TextChoices):
    PAPER = "paper", "Giấy (bản quét)"
    ELECTRONIC = "electronic", "Điện tử (thư điện tử, trục liên thông)"
    PLATFORM = "platform", "Liên thông trên nền tảng"


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", "Đã vào sổ, chờ phân công"
    ASSIGNED = "assigned", "Đã phân công xử lý"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    DONE = "done", "Đã hoàn thành xử lý"
    RECALLED = "recalled", "Đã thu hồi"
    REJECTED = "rejected", "Đã từ chối tiếp nhận"


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    IN_REVIEW = "in_review", "Đang trình duyệt"
    RETURNED = "returned", "Trả lại để sửa"
    APPROVED = "approved", "Đã duyệt, chờ ký"
    SIGNED = "signed", "Người có thẩm quyền đã ký"
    ISSUED = "issued", "Đã phát hành"
    RECALLED = "recalled", "Đã thu hồi"
    REPLACED = "replaced", "Đã được thay thế"


class DeliveryStatus(models.TextChoices):
    """Status codes of the edXML status message (SPEC §4.3), used for delivery on the platform too."""

    DELIVERED = "01", "Đã đến, chờ tiếp nhận"
    REJECTED = "02", "Từ chối tiếp nhận"
    REGISTERED = "03", "Đã tiếp nhận (vào sổ)"
    ASSIGNED = "04", "Đã phân công xử lý"
    IN_PROGRESS = "05", "Đang xử lý"
    DONE = "06", "Đã hoàn thành xử lý"
    RECALLED = "13", "Đã thu hồi"
    UPDATE_ACCEPTED = "15", "Đã đồng ý cập nhật"
    UPDATE_REJECTED = "16", "Từ chối cập nhật"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COOPERATING = "cooperating", "Phối hợp"
    FOR_INFORMATION = "for_information", "Để biết"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Đã giao"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    DONE = "done", "Đã hoàn thành"
    REASSIGNED = "reassigned", "Đã giao lại"


class FileKind(models.TextChoices):
    MAIN = "main", "Văn bản chính"
    ATTACHMENT = "attachment", "Phụ lục, tài liệu kèm theo"
    DRAFT = "draft", "Bản dự thảo"
    SIGNED = "signed", "Bản đã ký số"
    RESULT = "result", "Kết quả xử lý"


class IntakeStepName(models.TextChoices):
    """Ordered steps of the intake pipeline for an uploaded file."""

    DETECT_TYPE = "detect_type", "Kiểm tra định dạng theo nội dung"
    EXTRACT_TEXT = "extract_text", "Trích xuất văn bản"
    OCR = "ocr", "Nhận dạng ký tự (OCR) tiếng Việt"
    SUGGEST_METADATA = "suggest_metadata", "Gợi ý thông tin văn bản"


class IntakeStepStatus(models.TextChoices):
    PENDING = "pending", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Hoàn thành"
    SKIPPED = "skipped", "Không cần"
    FAILED = "failed", "Lỗi"


class WorkFileStatus(models.TextChoices):
    PLANNED = "planned", "Trong danh mục, chưa mở"
    OPEN = "open", "Đang mở"
    CLOSED = "closed", "Đã đóng"
    ARCHIVED = "archived", "Đã nộp lưu"
