"""The mandatory sections of a government portal (NĐ 43/2011 Art. 10, SPEC §5.1)."""

from django.db import models


class Section(models.TextChoices):
    INTRODUCTION = "introduction", "Giới thiệu"
    NEWS = "news", "Tin tức, sự kiện"
    DIRECTIVE = "directive", "Thông tin chỉ đạo, điều hành"
    LEGAL_DISSEMINATION = "legal_dissemination", "Tuyên truyền, phổ biến, hướng dẫn pháp luật"
    STRATEGY = "strategy", "Chiến lược, định hướng, quy hoạch, kế hoạch"
    LEGAL_DOCUMENTS = "legal_documents", "Văn bản quy phạm pháp luật và văn bản quản lý"
    GAZETTE = "gazette", "Công báo điện tử"
    PROJECTS = "projects", "Dự án, đầu tư, đấu thầu, mua sắm công"
    CONSULTATION = "consultation", "Lấy ý kiến góp ý dự thảo văn bản"
    CONTACTS = "contacts", "Thông tin liên hệ"
    PROCEDURES = "procedures", "Thủ tục hành chính, dịch vụ công"
    STATISTICS = "statistics", "Thống kê"
    QA = "qa", "Hỏi đáp, phản ánh kiến nghị"
    OTHER = "other", "Chuyên mục khác"


# Update deadlines in working days after issue or approval (NĐ 43/2011 Art. 17), checked by the portal's reports.
UPDATE_DEADLINE_WORKING_DAYS = {
    Section.LEGAL_DISSEMINATION: 15,
    Section.LEGAL_DOCUMENTS: 2,
    Section.DIRECTIVE: 2,
    Section.PROJECTS: 10,
    Section.STRATEGY: 10,
    Section.QA: 15,
}
