"""API of the signatures area: the PAdES signatures of a document file, checked."""

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema

from egov.apiclients.auth import scope_required
from egov.core.api import ErrorOut
from egov.documents.services import signatures

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class SignatureOut(Schema):
    field_name: str
    signer: str
    issuer: str
    signing_time: datetime | None
    intact: bool
    covers_whole_document: bool
    modified_after_signing: bool
    trusted: bool
    valid_at_signing_time: bool
    ok: bool
    reason: str
    location: str
    serial: str
    summary: str


class FileSignaturesOut(Schema):
    file: UUID
    name: str
    is_pdf: bool
    errors: list[str]
    signatures: list[SignatureOut]


@router.get("/files/{file_uuid}/signatures", response={200: FileSignaturesOut, **ERRORS},
            summary="Chữ ký số của tệp văn bản",
            description="Từng chữ ký PAdES của tệp PDF: người ký, tổ chức cấp chứng thư, thời gian ký, toàn vẹn, "
                        "bị sửa sau khi ký, chứng thư tin cậy và còn hiệu lực khi ký. Tệp hỏng trả về dòng lỗi "
                        "trong `errors`.")
@scope_required("documents:read")
def file_signatures(request, file_uuid: UUID):
    file = signatures.file_for_signatures(user=request.user, file_uuid=file_uuid,
                                          api_agency=getattr(request, "api_agency", None))
    is_pdf = signatures.is_pdf_file(file)
    infos = signatures.file_signatures(file=file) if is_pdf else []
    return {
        "file": file.uuid, "name": file.original_name, "is_pdf": is_pdf,
        "errors": [i.error for i in infos if i.error and not i.signer],
        "signatures": [{**{k: getattr(i, k) for k in SignatureOut.model_fields if k not in ("ok", "summary")},
                        "ok": i.ok, "summary": i.summary} for i in infos if i.signer],
    }
