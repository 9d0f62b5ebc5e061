"""The hash-chained audit log: every service that changes data appends one entry here.

Each entry's hash covers its own content and the previous entry's hash, so altering or removing a row
breaks the chain from that row on; ``manage.py audit_verify`` finds the first broken entry.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from egov.core.context import current_context
from egov.core.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def to_json_safe(value):
    """Round-trip through JSON so that what we hash is exactly what the database returns later."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """A JSON-safe summary of a model instance's concrete fields, for before/after audit records."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"created_at", "updated_at", "password"}:
            continue
        value = field.value_from_object(instance)
        data[field.attname if field.is_relation else field.name] = value
    return to_json_safe(data)


def compute_hash(*, prev_hash: str, seq: int, at: dt.datetime, actor_id, actor_label: str, action: str,
                 object_type: str, object_id: str, object_repr: str, changes, ip, request_id: str) -> str:
    payload = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": None if actor_id is None else str(actor_id),
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "changes": changes,
        "ip": ip,
        "request_id": request_id,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    return compute_hash(
        prev_hash=prev_hash, seq=entry.seq, at=entry.at, actor_id=entry.actor_id,
        actor_label=entry.actor_label, action=entry.action, object_type=entry.object_type,
        object_id=entry.object_id, object_repr=entry.object_repr, changes=entry.changes, ip=entry.ip,
        request_id=entry.request_id,
    )


@transaction.atomic(savepoint=False)
def audit_record(*, actor, action: str, obj: models.Model | None = None, object_type: str = "",
                 object_id: str = "", object_repr: str = "", before: dict | None = None,
                 after: dict | None = None, extra: dict | None = None, ip: str | None = None) -> AuditEntry:
    """Append one entry (who, when, action, object, before/after summary, IP) to the chain.

    Joins the caller's transaction without a savepoint: a failed append rolls the caller's change back with it,
    never leaving a change without its entry."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "uuid", None) or obj.pk)
        object_repr = object_repr or str(obj)[:300]
    changes = {}
    if before is not None:
        changes["before"] = before
    if after is not None:
        changes["after"] = after
    if extra:
        changes["extra"] = extra
    changes = to_json_safe(changes)
    ctx = current_context()
    ip = ip if ip is not None else ctx.ip
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_label = getattr(actor, "username", "") if actor_id is not None else "system"

    head = AuditChainHead.objects.select_for_update().filter(id=1).first()
    if head is None:  # the very first entry
        AuditChainHead.objects.get_or_create(id=1)
        head = AuditChainHead.objects.select_for_update().get(id=1)
    seq = head.last_seq + 1
    at = timezone.now()
    digest = compute_hash(
        prev_hash=head.last_hash, seq=seq, at=at, actor_id=actor_id, actor_label=actor_label, action=action,
        object_type=object_type, object_id=object_id, object_repr=object_repr[:300], changes=changes, ip=ip,
        request_id=ctx.request_id,
    )
    entry = AuditEntry.objects.create(
        seq=seq, at=at, actor_id=actor_id, actor_label=actor_label, action=action, object_type=object_type,
        object_id=object_id, object_repr=object_repr[:300], changes=changes, ip=ip,
        request_id=ctx.request_id, prev_hash=head.last_hash, entry_hash=digest,
    )
    head.last_seq = seq
    head.last_hash = digest
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def audit_chain_verify(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order; report the first entry whose content, link or position is wrong."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainReport(False, checked, expected_seq,
                               f"thiếu bản ghi số {expected_seq} (bản ghi kế tiếp là số {entry.seq})")
        if entry.prev_hash != expected_prev:
            return ChainReport(False, checked, entry.seq, "liên kết tới bản ghi trước không khớp")
        if entry_hash(entry, expected_prev) != entry.entry_hash:
            return ChainReport(False, checked, entry.seq, "nội dung đã bị sửa sau khi ghi")
        expected_prev = entry.entry_hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq != checked or (head and head.last_hash != expected_prev and checked):
        return ChainReport(False, checked, checked + 1,
                           f"thiếu các bản ghi cuối chuỗi (đầu chuỗi ghi nhận {last_seq} bản ghi)")
    return ChainReport(True, checked)
