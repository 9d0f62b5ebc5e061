"""The public dossier lookup (SPEC §1.12: anonymous lookup by code), shared by the page, the kiosk and the API.

It is the hottest public path (DESIGN.md performance budget), so an answer is built with one query, kept in the
cache for a few seconds under the dossier code, and dropped from the cache as soon as the dossier is saved
(``signals.py``). The answer carries no personal data beyond a masked name. Every lookup first passes a per-client
fixed-window counter (``ratelimit.py``).

Performance note (bench/onestop, issue 4 point 9): a lookup of a code not in the cache cost ~3 ms, ~2 ms of it the
ORM compiling the three-table join with the model's default ordering (ORDER BY on two columns for a unique code)
for a single row. It is now one plain SQL statement on the dossier table alone, built once from the model's column
names, with the procedure's and agency's code and name from a map kept in the process (``_Names``).
"""

import datetime as dt
import functools
import json
import time
import unicodedata
import weakref

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import InterfaceError, OperationalError, connection
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
_COLUMNS = ("code", "status", "received_at", "due_at", "applicant_name", "procedure", "current_agency")


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
    """The dossier's public columns with its procedure's and current agency's ids, by the unique code."""
    quote = connection.ops.quote_name
    meta = Dossier._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in _COLUMNS)
    return (f"SELECT {columns} FROM {quote(meta.db_table)} "  # noqa: S608 (names from the models)
            f"WHERE {quote(meta.get_field('code').column)} = %s")


class _Names:
    """Code and name of every procedure and agency, kept in this process: the lookup then reads one row of one
    table instead of joining three (half the database's work per uncached lookup, measured in bench/onestop).

    Both tables are small (a catalogue and a province's agencies). An id not in the map reloads it at once (a new
    procedure or agency); a saved one clears it in the saving process (``signals.py``); other processes reload
    after ``MAX_AGE`` seconds, so a renamed agency shows its old name in other processes' lookups for at most that
    long, about as long as a cached answer lives."""

    MAX_AGE = 60.0

    def __init__(self):
        self.loaded_at = 0.0
        self.procedures: dict[int, tuple[str, str]] = {}
        self.agencies: dict[int, tuple[str, str]] = {}

    def clear(self) -> None:
        self.loaded_at = 0.0

    def get(self, procedure_id: int, agency_id: int) -> tuple[tuple[str, str], tuple[str, str]]:
        fresh = time.monotonic() - self.loaded_at < self.MAX_AGE
        if not fresh or procedure_id not in self.procedures or agency_id not in self.agencies:
            self.procedures = {pk: (code, name) for pk, code, name in Procedure.objects.values_list("pk", "code",
                                                                                                   "name")}
            self.agencies = {pk: (code, name) for pk, code, name in Agency.objects.values_list("pk", "code", "name")}
            self.loaded_at = time.monotonic()
        return self.procedures[procedure_id], self.agencies[agency_id]


names = _Names()


def _moment(value) -> dt.datetime | None:
    """A timestamp as the driver returns it (aware on PostgreSQL, text in UTC on SQLite) made aware."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, dt.UTC) if timezone.is_naive(value) else value


_PREPARED_NAME = "egov_public_lookup"
_prepared_on: "weakref.WeakSet" = weakref.WeakSet()  # driver connections holding the prepared statement


def _fetch(code: str, *, prepared: bool = False) -> tuple | None:
    """The row; ``prepared`` (PostgreSQL, outside a transaction) runs the statement prepared once per database
    session, which spares the server parsing and planning it on every lookup (a third of its work for one).
    Only with persistent connections: with ``DB_CONN_MAX_AGE=0`` (behind PgBouncer in transaction pooling, see
    docs/deploy.md) a session-level PREPARE would neither last nor follow the next statement."""
    persistent = connection.settings_dict.get("CONN_MAX_AGE") != 0
    with connection.cursor() as cursor:
        if not (prepared and persistent and connection.vendor == "postgresql"):
            cursor.execute(_row_sql(), [code])
            return cursor.fetchone()
        driver = connection.connection
        if driver not in _prepared_on:
            cursor.execute(f"PREPARE {_PREPARED_NAME}(text) AS {_row_sql().replace('%s', '$1')}")
            _prepared_on.add(driver)
        cursor.execute(f"EXECUTE {_PREPARED_NAME}(%s)", [code])
        return cursor.fetchone()


def _dossier_row(code: str) -> dict | None:
    """One row by code. Outside a transaction, Django's per-request check of a reused connection (a ``SELECT 1``
    round trip before the first query, ``CONN_HEALTH_CHECKS``; a fifth of an uncached lookup's time) is replaced
    by its effect: a connection found broken by the query itself is closed and the query made once more on a
    new one, so a restarted database still never costs the citizen an error."""
    if connection.in_atomic_block:
        found = _fetch(code)
    else:
        connection.health_check_done = True  # Django's flag for "checked in this request"
        try:
            found = _fetch(code, prepared=True)
        except (OperationalError, InterfaceError):
            connection.close()
            found = _fetch(code, prepared=True)
    if found is None:
        return None
    row = dict(zip(_COLUMNS, found, strict=True))
    (row["procedure__code"], row["procedure__name"]), (row["current_agency__code"], row["current_agency__name"]) = (
        names.get(row.pop("procedure"), row.pop("current_agency")))
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
