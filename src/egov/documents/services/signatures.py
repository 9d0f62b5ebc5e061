"""Digital signatures of documents: signing as a person or as the agency, credentials, verification.

The outgoing-documents area calls ``person_sign_pdf`` (the competent person signs, ô 7c) and then
``agency_sign_pdf`` (the văn thư applies the agency's signature, ô 8, or marks a separate attachment);
both return the new PDF bytes and raise DomainError when no valid credential exists or the PDF cannot be
signed. Keys are held in SigningCredential, encrypted with a key derived from SECRET_KEY: the software
fallback. A token/HSM or a remote signing service would replace ``credential_signer``.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from egov.core.audit import audit_record
from egov.core.errors import DomainError
from egov.documents import signing
from egov.documents.models import SigningCredential

logger = logging.getLogger(__name__)

NO_CREDENTIAL_PERSON = ("Bạn chưa có chứng thư số còn hiệu lực để ký văn bản. "
                        "Đề nghị liên hệ quản trị hệ thống để được cấp chứng thư số.")
NO_CREDENTIAL_AGENCY = ("Cơ quan chưa có chứng thư số còn hiệu lực để ký số văn bản. "
                        "Đề nghị liên hệ quản trị hệ thống để được cấp chứng thư số của cơ quan.")


# --- keys at rest ----------------------------------------------------------------------------------


def _key_password() -> bytes:
    """The PKCS#8 password of stored keys: HKDF-SHA256 of SECRET_KEY (changing SECRET_KEY needs re-import)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"egov.documents.signing-credential",
                info=b"private-key-encryption").derive(settings.SECRET_KEY.encode())


def private_key_encrypt(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(_key_password())).decode()


def private_key_load(pem: str):
    try:
        return serialization.load_pem_private_key(pem.encode(), password=_key_password())
    except (ValueError, TypeError) as exc:
        raise DomainError("signing_key_unreadable",
                          "Không mở được khóa bí mật của chứng thư số (khóa hỏng hoặc SECRET_KEY đã đổi).") from exc


@transaction.atomic
def credential_create(*, key, cert: x509.Certificate, chain: list[x509.Certificate] = (), user=None, agency=None,
                      label: str = "", image: bytes | None = None, actor=None) -> SigningCredential:
    """Store a certificate with its key (encrypted) for a user or an agency; exactly one of the two."""
    if (user is None) == (agency is None):
        raise DomainError("credential_owner", "Chứng thư số phải thuộc về đúng một người hoặc một cơ quan.")
    credential = SigningCredential.objects.create(
        user=user, agency=agency, label=label or signing.common_name(cert.subject),
        certificate_pem=signing.cert_pem(cert), chain_pem=signing.cert_pem(*chain),
        private_key_pem=private_key_encrypt(key), image=image or None,
        serial=format(cert.serial_number, "X")[:80],
        valid_from=cert.not_valid_before_utc, valid_to=cert.not_valid_after_utc,
    )
    audit_record(actor=actor, action="documents.credential_created", obj=credential,
                 after={"serial": credential.serial, "owner": str(user or agency),
                        "valid_to": credential.valid_to.isoformat()})
    return credential


def _valid_credential(queryset) -> SigningCredential | None:
    now = timezone.now()
    return queryset.filter(is_active=True, valid_from__lte=now, valid_to__gte=now).order_by("-valid_to").first()


def user_credential(user) -> SigningCredential | None:
    """The user's personal credential valid now, if any."""
    if user is None or not getattr(user, "pk", None):
        return None
    return _valid_credential(SigningCredential.objects.filter(user=user))


def agency_credential(agency) -> SigningCredential | None:
    """The agency's credential valid now, if any."""
    if agency is None:
        return None
    return _valid_credential(SigningCredential.objects.filter(agency=agency))


def credential_signer(credential: SigningCredential) -> dict:
    """Key, certificate and chain of a credential, as ``signing.sign_pdf`` takes them."""
    certs = signing.load_pem_certificates(credential.certificate_pem)
    if not certs:
        raise DomainError("signing_key_unreadable", "Chứng thư số lưu trong hệ thống bị hỏng.")
    return {"key": private_key_load(credential.private_key_pem), "cert": certs[0],
            "chain": signing.load_pem_certificates(credential.chain_pem)}


def _image(credential: SigningCredential) -> bytes | None:
    return bytes(credential.image) if credential.image else None


def _sign(pdf: bytes, credential: SigningCredential, **kwargs) -> bytes:
    try:
        return signing.sign_pdf(pdf, **credential_signer(credential), **kwargs)
    except signing.SigningError as exc:
        raise DomainError("pdf_not_signable", exc.message) from exc


def _field_name(pdf: bytes, prefix: str) -> str:
    taken = {name for name, _page, _box in signing.signature_boxes(pdf)}
    n = len(taken) + 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _media_boxes(pdf: bytes):
    try:
        return signing.page_info(pdf)[1]
    except signing.SigningError as exc:
        raise DomainError("pdf_not_signable", exc.message) from exc


def _audit_signed(*, actor, action: str, credential: SigningCredential, pdf: bytes, signed: bytes, extra: dict):
    audit_record(actor=actor, action=action, obj=credential,
                 after={"sha256_before": hashlib.sha256(pdf).hexdigest(),
                        "sha256_after": hashlib.sha256(signed).hexdigest(), **extra})


# --- signing ---------------------------------------------------------------------------------------


def person_sign_pdf(*, user, pdf: bytes, reason: str, page: int = -1,
                    box: tuple[float, float, float, float] | None = None) -> bytes:
    """The competent person's signature (ô 7c): position, blue signature image, name, time.

    Placed at ``box`` on ``page`` (default: bottom right of the last page). Returns the signed PDF.
    """
    credential = user_credential(user)
    if credential is None:
        raise DomainError("no_signing_credential", NO_CREDENTIAL_PERSON)
    boxes = _media_boxes(pdf)
    page_ix = page if page >= 0 else len(boxes) + page
    if not 0 <= page_ix < len(boxes):
        raise DomainError("pdf_not_signable", f"Trang {page + 1 if page >= 0 else page} không có trong tệp PDF.")
    official = getattr(user, "official", None)
    position = official.position.name if official is not None and official.position_id else ""
    name = user.full_name or user.get_username()
    text = f"{position.upper()}\n\n\n\n\n{name}\nKý số: {{time}}" if position else f"\n\n\n\n{name}\nKý số: {{time}}"
    signed = _sign(pdf, credential, field_name=_field_name(pdf, "NguoiKy"), page=page_ix,
                   box=box or signing.person_box(boxes[page_ix]), stamp_text=text, stamp_image=_image(credential),
                   reason=reason, location=settings.EGOV_PROVINCE_NAME, mode="person")
    _audit_signed(actor=user, action="documents.pdf_signed_person", credential=credential, pdf=pdf, signed=signed,
                  extra={"reason": reason[:200]})
    return signed


def agency_sign_pdf(*, agency, pdf: bytes, number_notation: str, issued_at: datetime | None = None,
                    attachment: bool = False, actor=None) -> bytes:
    """The agency's signature (ô 8) over the person's, or the attachment mark (top right of page 1).

    The seal overlaps about a third of the last person signature on the left; with no person signature
    in the file it goes where a person's would. Returns the signed PDF.
    """
    credential = agency_credential(agency)
    if credential is None:
        raise DomainError("no_signing_credential", NO_CREDENTIAL_AGENCY)
    boxes = _media_boxes(pdf)
    issued = timezone.localtime(issued_at).strftime("%d/%m/%Y") if issued_at else ""
    reason = f"Phát hành văn bản số {number_notation}" + (f" ngày {issued}" if issued else "")
    if attachment:
        text = f"{agency.name}\nSố: {number_notation}" + (f" ngày {issued}" if issued else "") + "\n{time}"
        kwargs = {"page": 0, "box": signing.attachment_box(boxes[0]), "stamp_image": None, "mode": "attachment",
                  "field_name": _field_name(pdf, "PhuLuc")}
    else:
        people = [(p, b) for name, p, b in signing.signature_boxes(pdf) if name.startswith("NguoiKy")]
        page_ix, person = people[-1] if people else (len(boxes) - 1, signing.person_box(boxes[-1]))
        text = signing.wrap_lines(f"Ký bởi: {agency.name}\n{{time}}", 28)
        kwargs = {"page": page_ix, "box": signing.agency_box(person), "stamp_image": _image(credential),
                  "mode": "agency", "field_name": _field_name(pdf, "CoQuan")}
    signed = _sign(pdf, credential, stamp_text=text, reason=reason, location=settings.EGOV_PROVINCE_NAME, **kwargs)
    _audit_signed(actor=actor, action="documents.pdf_signed_agency", credential=credential, pdf=pdf, signed=signed,
                  extra={"number_notation": number_notation, "attachment": attachment})
    return signed


# --- verification ----------------------------------------------------------------------------------


def demo_pki_dir() -> Path:
    return Path(settings.DATA_DIR) / "pki"


def trust_roots() -> list[x509.Certificate]:
    """Roots from DOCUMENTS_TRUST_ROOTS plus the demo CA in DATA_DIR/pki/ (when documents_demo_pki made it)."""
    paths = [Path(p) for p in getattr(settings, "DOCUMENTS_TRUST_ROOTS", [])]
    demo = demo_pki_dir() / "root-ca.pem"
    if demo.is_file():
        paths.append(demo)
    roots = []
    for path in paths:
        try:
            roots.extend(signing.load_pem_certificates(path.read_bytes()))
        except (OSError, ValueError):
            logger.warning("trust root unreadable: %s", path)
    return roots


def pdf_verify(pdf: bytes) -> list[signing.SignatureInfo]:
    """Every signature of the PDF checked against the configured roots (never raises on a bad file)."""
    return signing.pdf_signatures(pdf, trust_roots=trust_roots())


def file_signatures(*, file) -> list[signing.SignatureInfo]:
    """Signatures of a stored DocumentFile; a file that cannot be opened gives one error line."""
    try:
        with file.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return [signing.SignatureInfo(error="Không mở được tệp trong kho lưu trữ.", modified_after_signing=False)]
    return pdf_verify(data)


def is_pdf_file(file) -> bool:
    return (file.content_type == "application/pdf" or file.original_name.lower().endswith(".pdf")
            or str(file.file.name).lower().endswith(".pdf"))


# --- who may see a file's signatures ---------------------------------------------------------------


def can_view_file(user, file, *, api_agency=None) -> bool:
    """Who sees the signatures of a file: whoever may see its document.

    Registered files follow the incoming / outgoing policies. A file not yet attached to a document is
    seen by its uploader and by the officials of the agency that holds it (same-agency rule), as is any
    file when a policy function is not available. A token client sees its own agency's files.
    """
    from egov.accounts.policies import is_system_admin
    from egov.directory.selectors import user_agency
    from egov.documents import policies

    if api_agency is not None and (user is None or not user.is_authenticated):
        return file.agency_id == api_agency.pk
    if user is None or not user.is_authenticated:
        return False
    if is_system_admin(user):
        return True
    if file.incoming_id and hasattr(policies, "can_view_incoming"):
        return policies.can_view_incoming(user, file.incoming)
    if file.outgoing_id and hasattr(policies, "outgoing_can_view"):
        return policies.outgoing_can_view(user, file.outgoing)
    if file.uploaded_by_id == user.pk:
        return True
    agency = user_agency(user)
    return agency is not None and agency.pk == file.agency_id


def file_for_signatures(*, user, file_uuid, api_agency=None):
    """The DocumentFile to check; 404 when unknown or not visible (its existence is not revealed)."""
    from egov.core.errors import NotFound
    from egov.documents.models import DocumentFile

    file = (DocumentFile.objects.select_related("agency", "incoming", "outgoing")
            .filter(uuid=file_uuid).first())
    if file is None or not can_view_file(user, file, api_agency=api_agency):
        raise NotFound("Không tìm thấy tệp văn bản hoặc bạn không có quyền xem.")
    return file
