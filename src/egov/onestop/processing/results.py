"""Result documents: PDF checked by content, with the presence of a digital signature recorded."""

import datetime as dt
import io

from egov.core.errors import DomainError
from egov.onestop import files as onestop_files
from egov.onestop.models import (
    Dossier,
    DossierEvent,
    DossierFile,
    EventKind,
    FileRole,
)
from egov.onestop.processing.rules import (
    _atomic_with_files,
    _audit_side,
    _current_step,
    _now,
    _require,
    _require_status,
    _text,
    can_act_on_step,
    is_onestop_officer_of,
)
from egov.onestop.status import DossierStatus
from egov.onestop.workflow import dossier_event_append, dossier_lock


# --- results ----------------------------------------------------------------------------------------------
def pdf_signature_info(data: bytes) -> dict:
    """Whether a PDF carries a digital signature: a /Sig field or a signature dictionary with /ByteRange.

    Detection only; verifying the signer and the chain (PAdES) belongs to the documents app's pyHanko."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        fields = reader.get_fields() or {}
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        fields = {}
        reader = None
    names = []
    for name, field in fields.items():
        value = field.get("/V") if hasattr(field, "get") else None
        try:
            value = value.get_object() if value is not None else None
        except (AttributeError, PdfReadError, ValueError):
            value = None
        if field.get("/FT") == "/Sig" and value is not None and "/ByteRange" in value:
            names.append(str(name))
    signed = bool(names)
    if not signed:
        # A signature whose field is not reachable from the AcroForm still leaves its dictionary behind.
        signed = b"/ByteRange" in data and b"/Contents" in data and (b"/Sig" in data or b"/DocTimeStamp" in data)
    del reader
    return {"signed": signed, "fields": names}


def _store_file(*, dossier: Dossier, upload, actor, role: str, title: str = "") -> DossierFile:
    """Check by content with the reception's file rules (a result must be a PDF), then store."""
    checked = onestop_files.upload_check(upload)
    if role == FileRole.RESULT and checked.kind.mime != onestop_files.MIME_PDF:
        raise DomainError("result_not_pdf", f"Kết quả giải quyết phải là tệp PDF (tệp “{checked.name}” là "
                          f"{checked.kind.description}).")
    return onestop_files.dossier_file_store(dossier=dossier, checked=checked, role=role, actor=actor, title=title)


@_atomic_with_files
def dossier_attach_result(*, dossier: Dossier, actor, upload, title: str = "", at: dt.datetime | None = None
                          ) -> DossierFile:
    """Attach a result document (PDF, checked by content) and record whether it is digitally signed."""
    at = _now(at)
    title = _text(title or getattr(upload, "name", ""), field="tên kết quả", limit=500)
    dossier = dossier_lock(dossier)
    _require_status(dossier, DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.DONE,
                    DossierStatus.REJECTED)
    step = _current_step(dossier)
    _require(can_act_on_step(actor, step) or is_onestop_officer_of(actor, dossier.receiving_agency_id))
    record = _store_file(dossier=dossier, upload=upload, actor=actor, role=FileRole.RESULT, title=title)
    record.file.open("rb")
    try:
        info = pdf_signature_info(record.file.read())
    finally:
        record.file.close()
    data = {"file": str(record.uuid), "title": record.title, "signed": info["signed"],
            "signature_fields": info["fields"], "sha256": record.sha256}
    dossier_event_append(dossier=dossier, kind=EventKind.ATTACH_RESULT, actor=actor, step=step, data=data,
                         note=f"{record.title} ({'Đã ký số' if info['signed'] else 'Chưa ký số'})", at=at)
    _audit_side(actor=actor, dossier=dossier, kind="attach_result", after=data)
    return record


def result_signatures(dossier: Dossier) -> dict[str, bool]:
    """File uuid → signed, as recorded when each result was attached."""
    found = {}
    for data in DossierEvent.objects.filter(dossier=dossier, kind=EventKind.ATTACH_RESULT).values_list("data",
                                                                                                       flat=True):
        if isinstance(data, dict) and data.get("file"):
            found[data["file"]] = bool(data.get("signed"))
    return found
