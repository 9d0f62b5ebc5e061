"""Kernel models: the base every domain model uses, and the hash-chained audit log."""

import uuid

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """UUID for URLs and the API (never the integer key), plus creation and change timestamps."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One append-only entry of the audit log. ``entry_hash`` chains it to the entry before it."""

    seq = models.PositiveBigIntegerField(unique=True, help_text="Position in the chain, from 1")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=100, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = "Nhật ký kiểm toán"
        verbose_name_plural = "Nhật ký kiểm toán"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """Single row locked while appending, so that concurrent writers cannot fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "Đầu chuỗi nhật ký"

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class WorkerHeartbeat(models.Model):
    """The lease of one database-queue worker (``run_worker``): renewed every few seconds while it lives.

    A task left RUNNING by a worker whose lease expired, or whose process is gone on this host, is queued
    again (egov.core.worker), so a SIGKILLed or powered-off worker never strands its task.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "Tiến trình xử lý nền"
        verbose_name_plural = "Tiến trình xử lý nền"

    def __str__(self) -> str:
        return self.worker_id


class TaskEffectMark(models.Model):
    """The effect of a task keyed ``key`` has been committed; written in the same transaction as the effect.

    A task re-run after its worker died (or a duplicate enqueue) finds the mark and does not repeat the
    effect: the unique key turns at-least-once delivery into exactly-once effects (task_effect_claim).
    """

    key = models.CharField(max_length=200, unique=True)
    task_id = models.CharField(max_length=64, blank=True)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Dấu hoàn thành tác vụ"
        verbose_name_plural = "Dấu hoàn thành tác vụ"

    def __str__(self) -> str:
        return self.key


class PeriodicJob(models.Model):
    """One periodic job of the worker's scheduler (egov.core.periodic): when it is due next.

    Every worker looks at these rows; the one whose conditional UPDATE moves ``next_run_at`` on enqueues the
    task, so a job runs once per period however many workers there are.
    """

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "Tác vụ định kỳ"
        verbose_name_plural = "Tác vụ định kỳ"

    def __str__(self) -> str:
        return self.name
