"""What the search engine knows of a document, who may find it, and how the index follows the database.

The database is the source of truth. Saving a document, one of its files, an assignment or a delivery adds its
key to a per-transaction set; on commit one task (``search_index_task``) re-reads those documents and upserts or
deletes them. ``manage.py search_rebuild`` rebuilds everything from the database.

Permissions are principals indexed with each document and matched inside the engine. They mirror
``policies.incoming.incoming_visible_to`` and ``policies.outgoing.outgoing_visible_to`` exactly (a test checks
both agree); ``document_principals`` and ``user_principals`` are the one place this rule lives:

- ``a:<agency>``  every official of the agency: a non-secret incoming document, an issued outgoing one;
- ``m:<agency>``  the agency's clerks and leaders: secret incoming documents and outgoing drafts;
- ``u:<user>``    a person: assignee of an incoming document; drafter, reviewer, signer or actor of a draft;
- ``n:<unit>``    the officials of a unit given an assignment without a named person;
- ``*``           system administrators, who see every document.
"""

import itertools
import threading
from collections.abc import Iterable, Iterator

import structlog
from django.db import connection, transaction
from django.db.models import Prefetch
from django_tasks import task

from egov.accounts.policies import is_system_admin
from egov.accounts.roles import Role
from egov.core.policies import is_authenticated
from egov.documents.models import (
    Assignment,
    DocumentEvent,
    DocumentFile,
    IncomingDocument,
    OutgoingDocument,
)
from egov.search import backends
from egov.search.backends import IndexDoc, SearchFilters, SearchPage

logger = structlog.get_logger("egov.search")
INCOMING, OUTGOING = "incoming", "outgoing"
PUBLISHED = ("issued", "recalled", "replaced")  # policies.outgoing.PUBLISHED_STATUSES
BATCH = 500


def document_key(direction: str, uuid) -> str:
    return f"{direction}:{uuid}"


# --- who may find what --------------------------------------------------------------------------------------


def document_principals(document, *, assignments=(), actor_ids=()) -> list[str]:
    """Principals that may see ``document`` (an IncomingDocument or OutgoingDocument), per the policies."""
    found = ["*"]
    if isinstance(document, IncomingDocument):
        found.append(f"m:{document.agency_id}" if document.secrecy else f"a:{document.agency_id}")
        for assignee_id, unit_id in assignments:
            found.append(f"u:{assignee_id}" if assignee_id else f"n:{unit_id}")
    else:
        if document.status in PUBLISHED:
            found.append(f"a:{document.agency_id}")
        found.append(f"m:{document.agency_id}")
        people = {document.drafted_by_id, document.current_reviewer_id, document.signer_id, *actor_ids}
        found += [f"u:{pk}" for pk in sorted(p for p in people if p)]
    return list(dict.fromkeys(found))


def user_principals(user) -> list[str]:
    """Principals of ``user``: what ``document_principals`` must contain for him to find a document."""
    if not is_authenticated(user):
        return []
    if is_system_admin(user):
        return ["*"]
    from egov.directory.models import Official

    found = [f"u:{user.pk}"]
    official = Official.objects.filter(user_id=user.pk, is_active=True).only("agency_id", "unit_id").first()
    if official is not None:
        found.append(f"a:{official.agency_id}")
        if user.role in (Role.CLERK, Role.LEADER):
            found.append(f"m:{official.agency_id}")
        if official.unit_id:
            found.append(f"n:{official.unit_id}")
    return found


def api_client_principals(agency) -> list[str]:
    """An agency's API token (no person behind it): the agency's documents every official of it may see."""
    return [f"a:{agency.pk}"] if agency is not None else []


# --- from the database to index documents -------------------------------------------------------------------


def _body(files) -> str:
    texts = [f.text for f in files if f.text]
    return "\n".join(dict.fromkeys(texts))


def _common(document, direction: str, *, principals: list[str], body: str) -> IndexDoc:
    doc_type = document.document_type
    extra = " ".join(p for p in (document.type_name, doc_type.name if doc_type else "", document.signer_name,
                                 document.signer_position, document.description) if p)
    return IndexDoc(
        key=document_key(direction, document.uuid), direction=direction, uuid=str(document.uuid),
        number_notation=document.number_notation, summary=document.summary, issuer=document.issuer_name,
        extra=extra, body=body, type_code=doc_type.code if doc_type else "",
        type_name=document.type_name or (doc_type.name if doc_type else ""), status=document.status,
        register=str(document.register.uuid) if document.register_id else "", date=document.issued_date,
        principals=principals, secrecy=document.secrecy)


_FILES = Prefetch("files", queryset=DocumentFile.objects.only("id", "incoming_id", "outgoing_id", "text"))


def _incoming_docs(pks: list[int]) -> list[IndexDoc]:
    docs = (IncomingDocument.objects.filter(pk__in=pks).select_related("document_type", "register")
            .prefetch_related(_FILES, Prefetch("assignments", queryset=Assignment.objects.only(
                "id", "incoming_id", "assignee_id", "unit_id"))))
    return [_common(d, INCOMING, body=_body(d.files.all()), principals=document_principals(
        d, assignments=[(a.assignee_id, a.unit_id) for a in d.assignments.all()])) for d in docs]


def _outgoing_docs(pks: list[int]) -> list[IndexDoc]:
    docs = (OutgoingDocument.objects.filter(pk__in=pks).select_related("document_type", "register")
            .prefetch_related(_FILES))
    actors: dict[int, set[int]] = {}
    for outgoing_id, actor_id in (DocumentEvent.objects.filter(outgoing_id__in=pks, actor__isnull=False)
                                  .values_list("outgoing_id", "actor_id").distinct()):
        actors.setdefault(outgoing_id, set()).add(actor_id)
    return [_common(d, OUTGOING, body=_body(d.files.all()), principals=document_principals(
        d, actor_ids=actors.get(d.pk, ()))) for d in docs]


def _split(keys: Iterable[str]) -> tuple[dict[str, set[str]], dict[str, set[int]]]:
    """Keys are "<direction>:<uuid>" (index keys) or "<direction>#<pk>" (scheduled by a related object)."""
    uuids: dict[str, set[str]] = {INCOMING: set(), OUTGOING: set()}
    pks: dict[str, set[int]] = {INCOMING: set(), OUTGOING: set()}
    for key in keys:
        if "#" in key:
            direction, _, pk = key.partition("#")
            if direction in pks and pk.isdigit():
                pks[direction].add(int(pk))
        else:
            direction, _, uuid = key.partition(":")
            if direction in uuids and uuid:
                uuids[direction].add(uuid)
    return uuids, pks


def search_index_refresh(*, keys: Iterable[str]) -> dict:
    """Bring the index in line with the database for these document keys: upsert what exists, delete the rest.

    Called by the task on commit; tests call it directly to index synchronously."""
    wanted, by_pk = _split(keys)
    docs: list[IndexDoc] = []
    for direction, model, loader in ((INCOMING, IncomingDocument, _incoming_docs),
                                     (OUTGOING, OutgoingDocument, _outgoing_docs)):
        if wanted[direction] or by_pk[direction]:
            pks = set(model.objects.filter(uuid__in=wanted[direction]).values_list("pk", flat=True))
            docs += loader(sorted(pks | by_pk[direction]))
    present = {d.key for d in docs}
    missing = [document_key(direction, uuid) for direction, uuids in wanted.items() for uuid in uuids
               if document_key(direction, uuid) not in present]
    backends.index_upsert(docs)
    backends.index_delete(missing)
    return {"upserted": len(docs), "deleted": len(missing)}


def search_index_batches(*, progress=None, batch: int = BATCH) -> Iterator[list[IndexDoc]]:
    """Every document of the database, in batches, for a rebuild; ``progress(done, total)`` after each."""
    total = IncomingDocument.objects.count() + OutgoingDocument.objects.count()
    done = 0
    for model, loader in ((IncomingDocument, _incoming_docs), (OutgoingDocument, _outgoing_docs)):
        pks = model.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)
        while chunk := list(itertools.islice(pks, batch)):
            docs = loader(chunk)
            done += len(chunk)
            yield docs
            if progress:
                progress(done, total)


def search_index_rebuild(*, progress=None) -> int:
    """Replace the index with what the database holds now (``manage.py search_rebuild``)."""
    engine = backends.backend()
    if hasattr(engine, "index_rebuild"):
        return engine.index_rebuild(search_index_batches(progress=progress))
    engine.index_reset()
    count = 0
    for docs in search_index_batches(progress=progress):
        engine.index_upsert(docs)
        count += len(docs)
    return count


# --- keeping the index current on commit ------------------------------------------------------------------


@task()
def search_index_task(keys: list[str]) -> dict:
    """The worker's side: the only writer of the index in production."""
    result = search_index_refresh(keys=keys)
    logger.info("search_index_refreshed", **result)
    return result


_pending = threading.local()


def _flush() -> None:
    keys = sorted(getattr(_pending, "keys", set()))
    _pending.keys = set()
    if keys:
        search_index_task.enqueue(keys)


def search_index_schedule(key: str) -> None:
    """Remember ``key`` and enqueue one index task for all keys of the transaction when it commits."""
    keys = getattr(_pending, "keys", None)
    if keys is None:
        keys = _pending.keys = set()
    if keys and not any(cb is _flush for _s, cb, _r in connection.run_on_commit):
        keys.clear()  # the transaction that collected them rolled back: nothing of it reached the database
    first = not keys
    keys.add(key)
    if first:
        transaction.on_commit(_flush, robust=True)


# --- searching ----------------------------------------------------------------------------------------------


def documents_search(*, user, query: str, filters: SearchFilters | None = None, page: int = 1,
                     page_size: int = 20, api_agency=None) -> SearchPage:
    """One ranked page of the documents ``user`` (or an agency's API token) may see that match ``query`` and
    ``filters``. The principals filter runs inside the engine, before ranking and paging."""
    principals = user_principals(user) if is_authenticated(user) else api_client_principals(api_agency)
    return backends.search(query, filters=filters, principals=principals, page=page, page_size=page_size)
