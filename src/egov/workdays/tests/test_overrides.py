"""Overrides: their effect on deadlines, their rules, their audit entries, and cache invalidation."""

import datetime as dt

import pytest
from django.db import connection, transaction

from egov.accounts.models import User
from egov.core.audit import audit_chain_verify
from egov.core.errors import DomainError, PermissionDeniedError
from egov.core.models import AuditEntry
from egov.workdays import loader
from egov.workdays.models import CalendarOverride, OverrideKind
from egov.workdays.services import (
    VN_TZ,
    add_working_time,
    is_working_day,
    override_create,
    override_delete,
    override_update,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 10, 9, 0, tzinfo=VN_TZ)  # an ordinary Monday


def due_date(start=START, days=3) -> dt.date:
    return add_working_time(start, days=days).astimezone(VN_TZ).date()


def make_day_off(actor, day=dt.date(2025, 3, 12), **extra):
    return override_create(actor=actor, date=day, kind=OverrideKind.DAY_OFF, reason="Nghỉ đột xuất do bão",
                           decision="QĐ 123/QĐ-UBND", **extra)


class TestEffects:
    def test_extra_day_off_moves_the_due_date_later(self, calendar_admin):
        assert due_date() == dt.date(2025, 3, 13)
        make_day_off(calendar_admin)
        assert not is_working_day(dt.date(2025, 3, 12))
        assert due_date() == dt.date(2025, 3, 14)

    def test_makeup_day_moves_the_due_date_earlier(self, calendar_admin):
        start = dt.datetime(2025, 3, 13, 9, 0, tzinfo=VN_TZ)  # Thursday
        assert due_date(start, 2) == dt.date(2025, 3, 17)
        override_create(actor=calendar_admin, date=dt.date(2025, 3, 15), kind=OverrideKind.WORKING_DAY,
                        reason="Làm bù", decision="CV 1/UBND-VX")
        assert due_date(start, 2) == dt.date(2025, 3, 15)

    def test_builtin_makeup_day_can_be_cancelled(self, calendar_admin):
        start = dt.datetime(2026, 8, 21, 10, 0, tzinfo=VN_TZ)
        assert due_date(start, 1) == dt.date(2026, 8, 22)
        override_create(actor=calendar_admin, date=dt.date(2026, 8, 22), kind=OverrideKind.DAY_OFF,
                        reason="Thông báo chính thức không hoán đổi", decision="TB 1/TB-BNV")
        assert due_date(start, 1) == dt.date(2026, 8, 24)

    def test_update_and_delete_follow(self, calendar_admin):
        override = make_day_off(calendar_admin)
        override_update(actor=calendar_admin, override=override, date=dt.date(2025, 3, 11))
        assert is_working_day(dt.date(2025, 3, 12)) and not is_working_day(dt.date(2025, 3, 11))
        override_delete(actor=calendar_admin, override=override)
        assert is_working_day(dt.date(2025, 3, 11))
        assert due_date() == dt.date(2025, 3, 13)


class TestAudit:
    def test_each_write_is_audited(self, calendar_admin):
        override = make_day_off(calendar_admin, decision_date=dt.date(2025, 3, 1))
        override_update(actor=calendar_admin, override=override, reason="  Nghỉ do bão số 3  ")
        override_delete(actor=calendar_admin, override=override)
        entries = list(AuditEntry.objects.filter(action__startswith="workdays.").order_by("seq"))
        assert [e.action for e in entries] == [
            "workdays.override.create", "workdays.override.update", "workdays.override.delete",
        ]
        assert all(e.actor == calendar_admin and e.object_id == str(override.uuid) for e in entries)
        assert entries[0].changes["after"]["decision"] == "QĐ 123/QĐ-UBND"
        assert entries[1].changes["before"]["reason"] == "Nghỉ đột xuất do bão"
        assert entries[1].changes["after"]["reason"] == "Nghỉ do bão số 3"
        assert entries[2].changes["before"]["date"] == "2025-03-12"
        assert audit_chain_verify().ok


class TestRules:
    def test_redundant_overrides_are_refused(self, calendar_admin):
        with pytest.raises(DomainError) as err:
            override_create(actor=calendar_admin, date=dt.date(2026, 2, 15), kind=OverrideKind.DAY_OFF,
                            reason="x", decision="y")
        assert err.value.code == "override_redundant" and "15/02/2026" in err.value.message
        with pytest.raises(DomainError) as err:
            override_create(actor=calendar_admin, date=dt.date(2025, 3, 10), kind=OverrideKind.WORKING_DAY,
                            reason="x", decision="y")
        assert err.value.code == "override_redundant"

    def test_decision_and_reason_are_required(self, calendar_admin):
        with pytest.raises(DomainError) as err:
            override_create(actor=calendar_admin, date=dt.date(2025, 3, 12), kind=OverrideKind.DAY_OFF,
                            reason="Bão", decision="  ")
        assert err.value.code == "decision_required"
        with pytest.raises(DomainError) as err:
            override_create(actor=calendar_admin, date=dt.date(2025, 3, 12), kind=OverrideKind.DAY_OFF,
                            reason="", decision="QĐ 1")
        assert err.value.code == "reason_required"
        assert not CalendarOverride.objects.exists()

    def test_one_override_per_date(self, calendar_admin):
        make_day_off(calendar_admin)
        with pytest.raises(DomainError) as err:
            make_day_off(calendar_admin)
        assert err.value.code == "override_exists" and err.value.status == 409

    def test_date_out_of_range_and_bad_kind(self, calendar_admin):
        with pytest.raises(DomainError) as err:
            make_day_off(calendar_admin, day=dt.date(1999, 3, 12))
        assert err.value.code == "out_of_range"
        with pytest.raises(DomainError) as err:
            override_create(actor=calendar_admin, date=dt.date(2025, 3, 12), kind="holiday", reason="x",
                            decision="y")
        assert err.value.code == "invalid_kind"

    def test_only_administrators_may_change_the_calendar(self, calendar_admin):
        citizen = User.objects.create_user(username="congdan", password="x-Strong-pass-1", role="citizen")
        with pytest.raises(PermissionDeniedError):
            make_day_off(citizen)
        override = make_day_off(None)  # the system itself (commands, migrations)
        with pytest.raises(PermissionDeniedError):
            override_delete(actor=citizen, override=override)
        assert AuditEntry.objects.get(action__startswith="workdays.").actor_label == "system"


class TestCacheInvalidation:
    def test_snapshot_is_reused_until_something_changes(self, calendar_admin):
        first = loader.get_calendar()
        assert loader.get_calendar() is first
        make_day_off(calendar_admin)
        assert loader.get_calendar() is not first

    def test_warm_calendar_does_not_touch_the_database(self, django_assert_num_queries):
        due_date()
        with django_assert_num_queries(0):
            for n in range(200):
                due_date(days=n % 20)

    def test_rolled_back_write_leaves_no_trace(self, calendar_admin):
        due_date()
        with pytest.raises(RuntimeError), transaction.atomic():
            make_day_off(calendar_admin)
            assert due_date() == dt.date(2025, 3, 14)  # seen inside its own transaction
            raise RuntimeError("roll back")
        assert due_date() == dt.date(2025, 3, 13)

    def test_change_by_another_process_is_seen_after_the_check_interval(self, settings, monkeypatch):
        settings.EGOV_WORKDAYS_CHECK_SECONDS = 60
        assert due_date() == dt.date(2025, 3, 13)
        # Another process writes the row: no signal reaches this one.
        CalendarOverride.objects.bulk_create([CalendarOverride(
            date=dt.date(2025, 3, 12), kind=OverrideKind.DAY_OFF, reason="Bão", decision="QĐ 1/QĐ-UBND")])
        assert due_date() == dt.date(2025, 3, 13)  # still the cached snapshot, within the interval
        now = loader._clock()
        monkeypatch.setattr(loader, "_clock", lambda: now + 61)
        assert due_date() == dt.date(2025, 3, 14)
        # ...and deletes it, again behind this process's back.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM workdays_calendaroverride")
        monkeypatch.setattr(loader, "_clock", lambda: now + 200)
        assert due_date() == dt.date(2025, 3, 13)
