"""Signing credentials: a certificate and its private key, for a person or for an agency (the seal).

The private key is kept here only as the software fallback: it is encrypted (PKCS#8,
BestAvailableEncryption) with a key derived from SECRET_KEY by HKDF, so a database dump alone does not
reveal it. A real deployment signs with a token/HSM (the văn thư keeps the agency's key device, SPEC §3.7)
or a remote signing service; those replace ``egov.documents.services.signatures.credential_signer``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from egov.core.models import BaseModel


class SigningCredential(BaseModel):
    """A signing certificate of one official (personal signature) or one agency (agency signature)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="signing_credentials", verbose_name="người ký")
    agency = models.ForeignKey("directory.Agency", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="signing_credentials", verbose_name="cơ quan")
    label = models.CharField("tên gợi nhớ", max_length=200)
    certificate_pem = models.TextField("chứng thư số (PEM)")
    chain_pem = models.TextField("chuỗi chứng thư trung gian và gốc (PEM)", blank=True)
    private_key_pem = models.TextField("khóa bí mật (PEM, đã mã hóa)")
    image = models.BinaryField("ảnh chữ ký hoặc con dấu (PNG)", null=True, blank=True)
    serial = models.CharField("số hiệu chứng thư", max_length=80, blank=True)
    valid_from = models.DateTimeField("hiệu lực từ")
    valid_to = models.DateTimeField("hiệu lực đến")
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        ordering = ["-valid_to"]
        verbose_name = "chứng thư ký số"
        verbose_name_plural = "chứng thư ký số"
        constraints = [
            models.CheckConstraint(condition=(Q(user__isnull=False) & Q(agency__isnull=True))
                                   | (Q(user__isnull=True) & Q(agency__isnull=False)),
                                   name="documents_credential_one_owner"),
        ]

    def __str__(self) -> str:
        return self.label
