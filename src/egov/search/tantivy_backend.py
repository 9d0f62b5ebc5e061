"""The tantivy search backend: one index directory under ``EGOV_DATA_DIR/search/``, one writer at a time.

Every text is indexed as pre-analysed token streams (``egov.search.analysis``) with tantivy's whitespace
tokenizer, so Python decides what a term is and queries are built from exactly the same terms. The writer
commits, waits for merges and garbage-collects files no segment uses any more: an index whose old segment files
were never collected grew without bound in Paperless-ngx (DESIGN.md). Only the requested page of hits is fetched.

Ranking is by tiers, each a conjunction of plain terms (fast intersections; optional clauses over very common
terms cost tens of milliseconds at 1M documents, see bench/README.md): for a query with diacritics the exact
phrase first, then the folded phrase, then all syllables anywhere; BM25 orders hits inside a tier. A phrase is
the conjunction of its syllable bigrams. The summary, issuer and number are indexed twice in the text fields, so
a match there outranks the same match in the body.
"""

import datetime as dt
import json
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import tantivy
from django.conf import settings

from egov.core.text import fold_vietnamese
from egov.search.analysis import ParsedQuery, bigrams, fold, notation_terms, syllables, text_forms
from egov.search.backends import Hit, IndexDoc, SearchFilters, SearchPage
from egov.search.snippets import highlight_all, snippet

SCHEMA_VERSION = 2
FORMS = ("e", "f", "be", "bf")
HEAD_WEIGHT = 2  # times the summary, issuer and number are repeated in the text fields
BODY_STORED_CHARS = 100_000
WRITER_HEAP = 32_000_000
REBUILD_HEAP = 128_000_000
LOCK_WAIT_SECONDS = 300
Must, Should = tantivy.Occur.Must, tantivy.Occur.Should
Q = tantivy.Query


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("key", stored=True, tokenizer_name="raw")
    for name in ("direction", "principals", "type_code", "status", "register"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("num", tokenizer_name="whitespace", index_option="basic")
    sb.add_text_field("issuer_f", tokenizer_name="whitespace", index_option="position")
    for form in FORMS:
        sb.add_text_field(f"text_{form}", tokenizer_name="whitespace", index_option="freq")
    sb.add_date_field("date", indexed=True, fast=True)
    sb.add_unsigned_field("secrecy", indexed=True)
    sb.add_bytes_field("disp", stored=True)
    sb.add_bytes_field("body_s", stored=True)
    return sb.build()


def _as_datetime(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


class TantivyBackend:
    """Search over one named tantivy index. Thread-safe; writes are serialised in-process and by tantivy's
    lock file across processes (a second writer waits for the first)."""

    def __init__(self, name: str):
        self.name = name
        self.schema = _schema()
        self._write_lock = threading.Lock()
        self._index: tantivy.Index | None = None

    @property
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "search" / f"{self.name}-v{SCHEMA_VERSION}"

    def _open(self, *, create: bool) -> tantivy.Index | None:
        if self._index is None:
            path = self.path
            if not create and not tantivy.Index.exists(str(path)):
                return None
            path.mkdir(parents=True, exist_ok=True)
            self._index = tantivy.Index(self.schema, path=str(path), reuse=True)
        return self._index

    # --- writing ---------------------------------------------------------------------------------------------

    def _writer(self, index: tantivy.Index, heap: int = WRITER_HEAP) -> tantivy.IndexWriter:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return index.writer(heap_size=heap, num_threads=1)
            except ValueError as exc:  # LockBusy: another process is writing
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _write(self, action, *, heap: int = WRITER_HEAP) -> None:
        with self._write_lock:
            index = self._open(create=True)
            writer = self._writer(index, heap)
            try:
                action(writer)
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
            collector = self._writer(index)
            collector.garbage_collect_files()
            collector.wait_merging_threads()
            index.reload()

    def _document(self, doc: IndexDoc) -> tantivy.Document:
        out = tantivy.Document()
        out.add_text("key", doc.key)
        out.add_text("direction", doc.direction)
        for principal in doc.principals:
            out.add_text("principals", principal)
        for name in ("type_code", "status", "register"):
            if value := getattr(doc, name):
                out.add_text(name, value)
        out.add_text("num", " ".join(notation_terms(doc.number_notation)))
        out.add_text("issuer_f", text_forms(doc.issuer)["f"])
        head_parts = [text_forms(part) for part in (doc.number_notation, doc.summary, doc.issuer, doc.extra)]
        body = text_forms(doc.body)
        for form in FORMS:
            head = " ".join(p[form] for p in head_parts if p[form])
            out.add_text(f"text_{form}", " ".join([head] * HEAD_WEIGHT + [body[form]]))
        if doc.date:
            out.add_date("date", _as_datetime(doc.date))
        out.add_unsigned("secrecy", doc.secrecy)
        disp = {"direction": doc.direction, "uuid": doc.uuid, "number_notation": doc.number_notation,
                "summary": doc.summary, "issuer": doc.issuer, "type_name": doc.type_name, "status": doc.status,
                "date": doc.date.isoformat() if doc.date else None}
        out.add_bytes("disp", json.dumps(disp, ensure_ascii=False).encode())
        out.add_bytes("body_s", doc.body[:BODY_STORED_CHARS].encode())
        return out

    def index_upsert(self, docs: list[IndexDoc]) -> None:
        def action(writer):
            for doc in docs:
                writer.delete_documents_by_term("key", doc.key)
                writer.add_document(self._document(doc))

        self._write(action)

    def index_delete(self, keys: list[str]) -> None:
        def action(writer):
            for key in keys:
                writer.delete_documents_by_term("key", key)

        self._write(action)

    def index_reset(self) -> None:
        self._write(lambda writer: writer.delete_all_documents())

    def index_rebuild(self, batches: Iterable[list[IndexDoc]]) -> int:
        """Replace the whole content in one commit: searches see the old index until the new one is complete."""
        count = 0

        def action(writer):
            nonlocal count
            writer.delete_all_documents()
            for batch in batches:
                for doc in batch:
                    writer.add_document(self._document(doc))
                count += len(batch)

        self._write(action, heap=REBUILD_HEAP)
        return count

    def stats(self) -> dict:
        index = self._open(create=False)
        files = list(self.path.glob("*")) if self.path.exists() else []
        if index is None:
            return {"documents": 0, "segments": 0, "bytes": 0, "files": 0}
        index.reload()
        searcher = index.searcher()
        return {"documents": searcher.num_docs, "segments": searcher.num_segments,
                "bytes": sum(f.stat().st_size for f in files if f.is_file()), "files": len(files)}

    # --- searching -------------------------------------------------------------------------------------------

    def _term(self, field: str, value: str):
        return Q.term_query(self.schema, field, value)

    def _all(self, field: str, terms: list[str]):
        """Documents with every term (one term: a plain term query)."""
        terms = list(dict.fromkeys(terms))
        if len(terms) == 1:
            return self._term(field, terms[0])
        return Q.boolean_query([(Must, self._term(field, t)) for t in terms])

    def _text_tiers(self, exact: list[str], folded: list[str]) -> list:
        """Exact phrase (diacritics as typed), then folded phrase, then all syllables anywhere."""
        tiers = []
        if len(folded) == 1:
            if exact != folded:
                tiers.append(self._term("text_e", exact[0]))
            tiers.append(self._term("text_f", folded[0]))
            return tiers
        if exact != folded:
            tiers.append(self._all("text_be", bigrams(exact)))
        tiers.append(self._all("text_bf", bigrams(folded)))
        tiers.append(self._all("text_f", folded))
        return tiers

    def _notation_tiers(self, notations: list[str], rest: list[str]) -> list:
        """The number/notation field first; then the notation's syllables written in the text (cited in a body)."""
        exact = [Q.boolean_query([(Should, self._term("num", t)) for t in dict.fromkeys([n, fold_vietnamese(n)])])
                 for n in notations]
        in_text = [self._all("text_f", fold(syllables(n))) for n in notations if syllables(n)]
        words = [self._all("text_f", rest)] if rest else []
        tiers = [Q.boolean_query([(Must, q) for q in exact + words])]
        if in_text:
            tiers.append(Q.boolean_query([(Must, q) for q in in_text + words]))
        return tiers

    def _filters(self, filters: SearchFilters) -> list:
        out = []
        for field, value in (("direction", filters.direction), ("type_code", filters.type_code),
                             ("status", filters.status), ("register", filters.register)):
            if value:
                out.append((Must, self._term(field, value)))
        if filters.issuer:
            words = fold(syllables(filters.issuer))
            if len(words) == 1:
                out.append((Must, self._term("issuer_f", words[0])))
            elif words:
                out.append((Must, Q.phrase_query(self.schema, "issuer_f", words)))
        if filters.date_from or filters.date_to:
            out.append((Must, Q.range_query(
                self.schema, "date", tantivy.FieldType.Date,
                _as_datetime(filters.date_from) if filters.date_from else None,
                _as_datetime(filters.date_to) if filters.date_to else None)))
        return out

    def search(self, query: str, *, filters: SearchFilters, principals: list[str], page: int = 1,
               page_size: int = 20) -> SearchPage:
        page, page_size = max(1, page), max(1, min(page_size, 100))
        parsed = ParsedQuery(query)
        filter_clauses = self._filters(filters)
        index = self._open(create=False)
        if index is None or not principals or (parsed.empty and not filter_clauses):
            return SearchPage(hits=[], total=0, page=page, page_size=page_size)
        base = [(Must, Q.term_set_query(self.schema, "principals", list(principals))), *filter_clauses]
        index.reload()
        searcher = index.searcher()
        offset = (page - 1) * page_size
        if parsed.empty:  # filters only: newest first
            result = searcher.search(Q.boolean_query(base), limit=page_size, offset=offset, count=True,
                                     order_by_field="date")
            found, total = list(result.hits), result.count or 0
        else:
            if parsed.notations:
                tiers = self._notation_tiers(parsed.notations, parsed.folded)
            else:
                tiers = self._text_tiers(parsed.exact, parsed.folded)
            found, total = self._tiered(searcher, base, tiers, offset, page_size)
        terms = parsed.highlight_terms()
        hits = [self._hit(searcher, score, address, terms) for score, address in found]
        return SearchPage(hits=hits, total=total, page=page, page_size=page_size)

    def _tiered(self, searcher, base: list, tiers: list, offset: int, limit: int) -> tuple[list, int]:
        """Hits ``offset``..``offset + limit`` of the tiers laid end to end; each tier excludes the earlier ones,
        so a document appears once, in its best tier. Every tier is counted; only the page is fetched."""
        found, seen = [], 0
        for i, tier in enumerate(tiers):
            clauses = [*base, (Must, tier)] + [(tantivy.Occur.MustNot, earlier) for earlier in tiers[:i]]
            wanted = limit - len(found)
            start = max(0, offset - seen)
            result = searcher.search(Q.boolean_query(clauses), limit=max(wanted, 1), offset=start, count=True)
            if wanted > 0:
                found += list(result.hits)[:wanted]
            seen += result.count or 0
        return found, seen

    def _hit(self, searcher, score, address, terms: set[str]) -> Hit:
        doc = searcher.doc(address)
        disp = json.loads(bytes(doc.get_first("disp")).decode())
        body = bytes(doc.get_first("body_s") or b"").decode()
        return Hit(key=doc.get_first("key"), direction=disp["direction"], uuid=disp["uuid"], score=float(score),
                   number_notation=disp["number_notation"], summary=disp["summary"], issuer=disp["issuer"],
                   type_name=disp["type_name"], status=disp["status"],
                   date=dt.date.fromisoformat(disp["date"]) if disp["date"] else None,
                   summary_html=highlight_all(disp["summary"], terms), snippet_html=snippet(body, terms))
