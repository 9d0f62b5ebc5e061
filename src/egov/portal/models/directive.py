"""Which issued documents of an agency become directive information on the portal, and how."""

from django.db import models

from egov.core.models import BaseModel


class DirectivePolicy(BaseModel):
    """Per agency: the document types whose issue drafts a portal item, and whether it is published at once or
    after an editor approves it (issue 5 point 2)."""

    agency = models.OneToOneField("directory.Agency", verbose_name="cơ quan", on_delete=models.CASCADE,
                                  related_name="directive_policy")
    document_types = models.ManyToManyField("documents.DocumentType", verbose_name="loại văn bản chỉ đạo, điều hành",
                                            blank=True, related_name="+")
    publish_immediately = models.BooleanField("đăng ngay, không cần duyệt", default=False)
    legal_library = models.BooleanField("đưa văn bản QPPL vào thư viện văn bản", default=True)

    class Meta:
        verbose_name = "cấu hình thông tin chỉ đạo, điều hành"
        verbose_name_plural = "cấu hình thông tin chỉ đạo, điều hành"

    def __str__(self) -> str:
        return f"Thông tin chỉ đạo, điều hành: {self.agency}"
