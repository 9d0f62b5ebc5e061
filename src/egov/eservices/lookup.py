"""The public dossier lookup (SPEC §1.12: anonymous lookup by code), shared by the page, the kiosk and the API.

It is the hottest public path (DESIGN.md performance budget), so an answer is built with one query, kept in the
cache for a few seconds under the dossier code, and dropped from the cache as soon as the dossier is saved
(``signals.py``). The answer carries no personal data beyond a masked name. Every lookup first passes a per-client
fixed-window counter (``ratelimit.py``).

Performance note (bench/onestop, issue 4 point 9): a lookup of a code not in the cache cost ~3 ms, ~2 ms of it the
ORM compiling the three-table join with the model's default ordering (ORDER BY on two columns for a unique code)
for a single row. The same join is now one plain SQL statement built once from the models' table and column names
(no ORDER BY, no query compilation per call): under 1 ms on the benchmark machine.
"""

import datetime as dt
import functools
import json
import unicodedata

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from egov.core.errors import DomainError, NotFound
from egov.directory.models import Agency
from egov.eservices.conf import lookup_cache_seconds
from egov.onestop.codes import is_dossier_code
from egov.onestop.models import Dossier, DossierEvent, EventKind, Procedure
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


@functools.cache
def _row_sql() -> str:
    """The dossier's public columns with its procedure's and current agency's code and name, by the unique code."""
    quote = connection.ops.quote_name
    dossier, procedure, agency = Dossier._meta, Procedure._meta, Agency._meta

    def column(meta, name):
        return quote(meta.get_field(name).column)

    columns = ", ".join([*(f"d.{column(dossier, name)}" for name in ("code", "status", "received_at", "due_at",
                                                                       "applicant_name")),
                         f"p.{column(procedure, 'code')}", f"p.{column(procedure, 'name')}",
                         f"a.{column(agency, 'code')}", f"a.{column(agency, 'name')}"])
    return (f"SELECT {columns} FROM {quote(dossier.db_table)} d "  # noqa: S608 (names from the models)
            f"JOIN {quote(procedure.db_table)} p ON p.{column(procedure, 'id')} = d.{column(dossier, 'procedure')} "
            f"JOIN {quote(agency.db_table)} a ON a.{column(agency, 'id')} = d.{column(dossier, 'current_agency')} "
            f"WHERE d.{column(dossier, 'code')} = %s")


def _moment(value) -> dt.datetime | None:
    """A timestamp as the driver returns it (aware on PostgreSQL, text in UTC on SQLite) made aware."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, dt.UTC) if timezone.is_naive(value) else value


def _dossier_row(code: str) -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(_row_sql(), [code])
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip(_FIELDS, found, strict=True))
    row["received_at"], row["due_at"] = _moment(row["received_at"]), _moment(row["due_at"])
    return row


def dossier_public_lookup(*, code: str) -> tuple[dict, bytes]:
    """The public answer for ``code`` and its JSON body; raises 422 (format) or 404 (unknown).

    An unknown code and a code of the wrong shape for this province's dossiers answer alike, so nobody learns
    which codes exist by trying."""
    code = code_check(code)
    key = cache_key(code)
    cached = cache.get(key)
    if cached is not None:
        return cached
    row = _dossier_row(code)
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
