"""The admin writes through the services: rules appear as form errors and every change is audited."""

import datetime as dt

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import User
from egov.core.models import AuditEntry
from egov.workdays.models import CalendarOverride, OfficeHours
from egov.workdays.services import is_working_day

pytestmark = pytest.mark.django_db
URL = "/admin/workdays/calendaroverride/"


@pytest.fixture
def editor(client):
    """A system administrator whose session has passed the second factor (administrators must use one)."""
    user = User.objects.create_user(username="qtht", password="x-Strong-pass-1", role="system_admin",
                                    is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user


def workdays_entries():
    return AuditEntry.objects.filter(action__startswith="workdays.").order_by("seq")


def test_add_change_delete_override(client, editor):
    response = client.post(f"{URL}add/", {
        "date": "12/03/2025", "kind": "day_off", "reason": "Nghỉ do bão", "decision": "QĐ 5/QĐ-UBND",
        "decision_date": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    override = CalendarOverride.objects.get()
    assert not is_working_day(dt.date(2025, 3, 12))

    response = client.post(f"{URL}{override.pk}/change/", {
        "date": "13/03/2025", "kind": "day_off", "reason": "Nghỉ do bão", "decision": "QĐ 5/QĐ-UBND",
        "decision_date": "01/03/2025",
    })
    assert response.status_code == 302
    assert is_working_day(dt.date(2025, 3, 12)) and not is_working_day(dt.date(2025, 3, 13))

    response = client.post(f"{URL}{override.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    actions = list(workdays_entries().values_list("action", "actor"))
    assert actions == [
        ("workdays.override.create", editor.pk),
        ("workdays.override.update", editor.pk),
        ("workdays.override.delete", editor.pk),
    ]


def test_rule_violation_is_a_form_error(client, editor):
    response = client.post(f"{URL}add/", {
        "date": "15/02/2026", "kind": "day_off", "reason": "Nghỉ", "decision": "QĐ 1", "decision_date": "",
    })
    assert response.status_code == 200
    assert "vốn đã là ngày nghỉ" in response.content.decode()
    assert not CalendarOverride.objects.exists() and not workdays_entries().exists()


def test_bulk_delete_action_is_audited(client, editor):
    from egov.workdays.services import override_create

    for day in (10, 11):
        override_create(actor=None, date=dt.date(2025, 3, day), kind="day_off", reason="Bão", decision="QĐ 1")
    ids = list(CalendarOverride.objects.values_list("pk", flat=True))
    response = client.post(URL, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEntry.objects.filter(action="workdays.override.delete", actor=editor).count() == 2


def test_office_hours_through_admin(client, editor):
    response = client.post("/admin/workdays/officehours/add/", {
        "agency": "", "valid_from": "01/01/2026", "morning_start": "07:30", "morning_end": "11:30",
        "afternoon_start": "13:30", "afternoon_end": "17:00", "receipt_cutoff": "15:00", "decision": "QĐ 9",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    row = OfficeHours.objects.get()
    assert row.agency is None and row.morning_start == dt.time(7, 30)
    response = client.post("/admin/workdays/officehours/add/", {
        "agency": "", "valid_from": "01/01/2026", "morning_start": "07:30", "morning_end": "11:30",
        "afternoon_start": "13:30", "afternoon_end": "17:00", "receipt_cutoff": "18:00", "decision": "",
    })
    assert response.status_code == 200
    assert "Giờ chốt tiếp nhận phải nằm trong giờ làm việc" in response.content.decode()
    assert AuditEntry.objects.filter(action="workdays.office_hours.create", actor=editor).count() == 1
    assert client.get("/admin/workdays/officehours/").status_code == 200
    assert client.get(URL).status_code == 200
