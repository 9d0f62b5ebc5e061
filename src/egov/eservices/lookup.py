"""The public dossier lookup (SPEC §1.12: anonymous lookup by code), shared by the page, the kiosk and the API.

It is the hottest public path (DESIGN.md performance budget), so an answer is built with one query
(``.values()`` across the joins), kept in the cache for a few seconds under the dossier code, and dropped from
the cache as soon as the dossier is saved (``signals.py``). The answer carries no personal data beyond a
masked name. Every lookup first passes a per-client fixed-window counter (``ratelimit.py``).
"""

import datetime as dt
import json
import unicodedata

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from egov.core.errors import DomainError, NotFound
from egov.eservices.conf import lookup_cache_seconds
from egov.onestop.codes import is_dossier_code
from egov.onestop.models import Dossier, DossierEvent, EventKind
from egov.onestop.status import NATIONAL_CODE, DossierStatus

CODE_FORMAT_MESSAGE = (
    "Mã hồ sơ không đúng định dạng. Mã hồ sơ in trên Giấy tiếp nhận có dạng 000.00.12.H12-250714-0007 "
    "hoặc H12.05-20250714-0000007."
)
NOT_FOUND_MESSAGE = "Không tìm thấy hồ sơ có mã này. Vui lòng kiểm tra lại mã in trên Giấy tiếp nhận hồ sơ."
_FIELDS = ("code", "status", "received_at", "due_at", "applicant_name", "procedure__code", "procedure__name",
           "current_agency__code", "current_agency__name")


def normalize_code(value: str | None) -> str:
    """Codes are printed upper case; people type them with spaces or in lower case."""
    return "".join((value or "").split()).upper()


def code_check(value: str | None) -> str:
    """The normalised code, or DomainError 422 when it has neither legal layout (SPEC §1.9)."""
    code = normalize_code(value)
    if not code or len(code) > 40 or not is_dossier_code(code):
        raise DomainError("invalid_dossier_code", CODE_FORMAT_MESSAGE, status=422)
    return code


def mask_name(name: str | None) -> str:
    """``Nguyễn Văn An`` → ``Nguyễn V** A*``: the family name, then the first letter of every other word."""
    words = unicodedata.normalize("NFC", name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:1] + "*" * (len(words[0]) - 1)
    return " ".join([words[0]] + [word[:1] + "*" * (len(word) - 1) for word in words[1:]])


def cache_key(code: str) -> str:
    return f"eservices:lookup:{code}"


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _answer(row: dict) -> dict:
    status = DossierStatus(row["status"])
    return {
        "code": row["code"],
        "procedure": {"code": row["procedure__code"], "name": row["procedure__name"]},
        "status": status.value,
        "status_label": str(status.label),
        "national_status_code": NATIONAL_CODE[status],
        "received_at": _iso(row["received_at"]),
        "due_at": _iso(row["due_at"]),
        "current_agency": {"code": row["current_agency__code"], "name": row["current_agency__name"]},
        "applicant": mask_name(row["applicant_name"]),
    }


def dossier_public_lookup(*, code: str) -> tuple[dict, bytes]:
    """The public answer for ``code`` and its JSON body; raises 422 (format) or 404 (unknown).

    An unknown code and a code of the wrong shape for this province's dossiers answer alike, so nobody learns
    which codes exist by trying."""
    code = code_check(code)
    key = cache_key(code)
    cached = cache.get(key)
    if cached is not None:
        return cached
    row = Dossier.objects.filter(code=code).values(*_FIELDS).first()
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE, code="dossier_not_found")
    answer = _answer(row)
    body = json.dumps(answer, ensure_ascii=False, cls=DjangoJSONEncoder).encode("utf-8")
    cache.set(key, (answer, body), lookup_cache_seconds())
    return answer, body


def cache_forget(code: str | None) -> None:
    if code:
        cache.delete(cache_key(code))


def dossier_public_timeline(*, code: str) -> list[dict]:
    """Status changes shown to the public: when, what, which agency; never notes, officers or files."""
    rows = (
        DossierEvent.objects.filter(dossier__code=code, public=True)
        .exclude(to_status="")
        .order_by("seq")
        .values("at", "kind", "to_status", "agency__name")
    )
    return [
        {"at": row["at"], "kind_label": str(EventKind(row["kind"]).label),
         "status_label": str(DossierStatus(row["to_status"]).label), "agency": row["agency__name"] or ""}
        for row in rows
    ]


def parse_iso(value: str | None) -> dt.datetime | None:
    """Back from the cached answer's ISO text to a datetime for the page's dd/mm/yyyy HH:MM display."""
    return dt.datetime.fromisoformat(value) if value else None
