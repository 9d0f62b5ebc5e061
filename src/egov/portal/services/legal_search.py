"""Search of the legal documents library: filters by number/notation, type, issuer, field and issue date, and a
text query matched against each page's folded ``search_text`` (a query without diacritics finds text with them;
``đ`` folds to ``d``, so ``qd-ubnd`` finds ``QĐ-UBND``)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from egov.core.text import fold_vietnamese
from egov.portal.models import LegalDocumentPage

MAX_TERMS = 10


@dataclass(frozen=True)
class LegalFilters:
    q: str = ""
    number: str = ""
    document_type: str = ""
    issuer: str = ""
    field: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def legal_documents_live() -> QuerySet:
    return LegalDocumentPage.objects.live().public()


def legal_documents_search(filters: LegalFilters) -> QuerySet:
    """Live library pages matching every filter, newest first."""
    queryset = legal_documents_live()
    for term in fold_vietnamese(filters.q).split()[:MAX_TERMS]:
        queryset = queryset.filter(search_text__contains=term)
    number = fold_vietnamese(filters.number).replace(" ", "")
    if number:
        # search_text holds the folded number/notation as written, e.g. "15/2026/qd-ubnd".
        queryset = queryset.filter(search_text__contains=number)
    if filters.document_type:
        queryset = queryset.filter(document_type_name=filters.document_type)
    if filters.issuer:
        queryset = queryset.filter(issuer_name=filters.issuer)
    if filters.field:
        queryset = queryset.filter(field=filters.field)
    if filters.date_from:
        queryset = queryset.filter(issued_date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(issued_date__lte=filters.date_to)
    return queryset.select_related("pdf").order_by("-issued_date", "-pk")


def legal_filter_choices() -> dict[str, list[str]]:
    """The values present in the library for the type, issuer and field filters."""
    live = legal_documents_live()

    def values(name: str) -> list[str]:
        return sorted({v for v in live.values_list(name, flat=True) if v}, key=str.casefold)

    return {"document_types": values("document_type_name"), "issuers": values("issuer_name"),
            "fields": values("field")}
