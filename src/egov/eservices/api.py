"""Public API without login: ``GET /api/v1/public/dossiers/{code}`` (the lookup; see ``lookup.py``)."""

from django.http import HttpResponse, JsonResponse
from ninja import Router, Schema

from egov.core.api import ErrorOut
from egov.core.errors import DomainError
from egov.eservices.lookup import dossier_public_lookup
from egov.eservices.ratelimit import TooManyLookups, lookup_rate_check

router = Router(tags=["Tra cứu công khai"])


class CodeName(Schema):
    code: str
    name: str


class PublicDossierOut(Schema):
    code: str
    procedure: CodeName
    status: str
    status_label: str
    national_status_code: int
    received_at: str | None
    due_at: str | None
    current_agency: CodeName
    applicant: str


@router.get(
    "/dossiers/{path:code}",
    auth=None,
    response={200: PublicDossierOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Tra cứu hồ sơ theo mã",
    description=(
        "Trạng thái, thời điểm tiếp nhận, hạn trả kết quả và cơ quan đang giải quyết của một hồ sơ thủ tục "
        "hành chính; tên người nộp được che một phần. Không cần đăng nhập; giới hạn số lần tra cứu mỗi phút "
        "theo địa chỉ máy khách (429 kèm Retry-After)."
    ),
)
def public_dossier(request, code: str):
    # Normally answered earlier by PublicLookupEarlyMiddleware; this route documents it and serves without it.
    return public_dossier_response(request, code)


def public_dossier_response(request, code: str) -> HttpResponse:
    """The lookup's HTTP answer, errors included (429 with Retry-After, 422, 404 as the API's JSON errors)."""
    try:
        lookup_rate_check(request)
        _, body = dossier_public_lookup(code=code)
    except DomainError as exc:
        response = JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})
        if isinstance(exc, TooManyLookups):
            response["Retry-After"] = str(exc.retry_after)
        return response
    # The cached JSON body is sent as is: no schema validation or serialisation on the hot path.
    return HttpResponse(body, content_type="application/json; charset=utf-8")
