"""The one search interface of the platform. Callers use the three functions below and never an engine
directly, so an OpenSearch backend can replace tantivy (setting ``EGOV_SEARCH_BACKEND``) without touching them.

- ``index_upsert(docs)``: add or replace documents (``IndexDoc``, keyed by ``key``);
- ``index_delete(keys)``: remove documents;
- ``search(query, *, filters, principals, page, page_size) -> SearchPage``: one ranked page of hits the
  principals may see. Permissions are a filter inside the engine, never a cut after the top k.

Writes are meant for the task worker (one writer); the web process only reads.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class IndexDoc:
    """What the engine knows of one document: searchable texts, filter values, principals, display fields."""

    key: str  # unique in the index, e.g. "incoming:<uuid>"
    direction: str  # "incoming" | "outgoing"
    uuid: str
    number_notation: str = ""
    summary: str = ""
    issuer: str = ""
    extra: str = ""  # other short metadata worth finding (type name, signer, recipients)
    body: str = ""  # full text of the files (OCR included)
    type_code: str = ""
    type_name: str = ""
    status: str = ""
    register: str = ""  # register uuid
    date: dt.date | None = None  # the document's own date (ngày văn bản)
    principals: list[str] = field(default_factory=list)  # who may see it, e.g. "a:12", "s:12", "u:7"
    secrecy: int = 0


@dataclass
class SearchFilters:
    direction: str = ""
    type_code: str = ""
    issuer: str = ""
    status: str = ""
    register: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class Hit:
    key: str
    direction: str
    uuid: str
    score: float
    number_notation: str
    summary: str
    issuer: str
    type_name: str
    status: str
    date: dt.date | None
    summary_html: str  # escaped, with <mark>
    snippet_html: str  # escaped, with <mark>; "" when the body has no match


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


class SearchBackend(Protocol):
    def index_upsert(self, docs: list[IndexDoc]) -> None: ...
    def index_delete(self, keys: list[str]) -> None: ...
    def index_reset(self) -> None: ...
    def search(self, query: str, *, filters: SearchFilters, principals: list[str], page: int,
               page_size: int) -> SearchPage: ...


@cache
def _backend(path: str, name: str) -> SearchBackend:
    return import_string(path)(name)


def backend(name: str | None = None) -> SearchBackend:
    """The configured backend for an index (default: the documents index named by ``EGOV_SEARCH_INDEX``)."""
    path = getattr(settings, "EGOV_SEARCH_BACKEND", "egov.search.tantivy_backend.TantivyBackend")
    return _backend(path, name or getattr(settings, "EGOV_SEARCH_INDEX", "documents"))


def index_upsert(docs: list[IndexDoc], *, name: str | None = None) -> None:
    if docs:
        backend(name).index_upsert(docs)


def index_delete(keys: list[str], *, name: str | None = None) -> None:
    if keys:
        backend(name).index_delete(keys)


def search(query: str, *, filters: SearchFilters | None = None, principals: list[str], page: int = 1,
           page_size: int = 20, name: str | None = None) -> SearchPage:
    return backend(name).search(query, filters=filters or SearchFilters(), principals=principals, page=page,
                                page_size=page_size)
