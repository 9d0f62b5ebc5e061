"""The public calendar API through Django's test client, including every kind of bad input."""

import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.directory.models import Agency

pytestmark = pytest.mark.django_db
VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)


def get(client, path, **params):
    return client.get(f"/api/v1/workdays/{path}?{urlencode(params)}")


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert VIETNAMESE.search(body["message"]), body["message"]
    return body


class TestDue:
    def test_after_cutoff_before_tet(self, client):
        response = get(client, "due", start="2026-02-13T15:30:00+07:00", days=0)
        assert response.status_code == 200
        assert response.json() == {
            "start": "2026-02-13T15:30:00+07:00",
            "effective_start": "2026-02-23T07:00:00+07:00",
            "effective_start_display": "23/02/2026 07:00",
            "due": "2026-02-23T17:00:00+07:00",
            "due_display": "23/02/2026 17:00",
            "days": 0.0,
            "hours": None,
            "agency": None,
            "apply_cutoff": True,
        }

    def test_unencoded_plus_naive_and_utc_forms(self, client):
        raw = client.get("/api/v1/workdays/due?start=2025-03-10T09:00:00+07:00&days=5")  # '+' arrives as ' '
        assert raw.status_code == 200 and raw.json()["due"] == "2025-03-17T17:00:00+07:00"
        naive = get(client, "due", start="2025-03-10T09:00", days=5)
        assert naive.json()["start"] == "2025-03-10T09:00:00+07:00"
        utc = get(client, "due", start="2025-03-10T02:00:00Z", days=5)
        assert utc.json()["start"] == "2025-03-10T09:00:00+07:00"
        assert utc.json()["due_display"] == "17/03/2025 17:00"

    def test_hours_half_days_and_cutoff_flag(self, client):
        assert get(client, "due", start="2025-03-10T09:00", hours=4).json()["due"] == "2025-03-10T15:00:00+07:00"
        assert get(client, "due", start="2025-03-10T09:00", days="0,5").json()["due_display"] == "11/03/2025 11:00"
        assert get(client, "due", start="2025-03-10T09:00", days="1.5").json()["days"] == 1.5
        late = get(client, "due", start="2025-03-10T16:00", days=1, cutoff="false").json()
        assert late["due_display"] == "11/03/2025 17:00" and late["apply_cutoff"] is False

    def test_agency_hours(self, client, calendar_admin):
        import datetime as dt

        from egov.workdays.services import office_hours_create

        agency = Agency.objects.create(code="STP", name="Sở Tư pháp", abbreviation="STP", kind="so")
        office_hours_create(actor=calendar_admin, agency=agency, valid_from=dt.date(2025, 1, 1),
                            afternoon_end=dt.time(16, 30))
        body = get(client, "due", start="2025-03-10T09:00", days=1, agency="STP").json()
        assert body["due_display"] == "11/03/2025 16:30" and body["agency"] == "STP"
        assert_error(get(client, "due", start="2025-03-10T09:00", days=1, agency="KHONG-CO"), 404, "not_found")

    def test_anonymous_and_documented(self, client):
        assert get(client, "due", start="2025-03-10T09:00", days=1).status_code == 200
        schema = client.get("/api/v1/openapi.json").json()
        assert "/api/v1/workdays/due" in schema["paths"]

    @pytest.mark.parametrize(
        ("params", "status", "code"),
        [
            ({"start": "abc", "days": 1}, 422, "invalid_input"),
            ({"start": "2026-02-30T10:00", "days": 1}, 422, "invalid_input"),
            ({"start": "13/02/2026 09:00", "days": 1}, 422, "invalid_input"),
            ({"start": "", "days": 1}, 422, "invalid_input"),
            ({"start": "x" * 5000, "days": 1}, 422, "invalid_input"),
            ({"days": 1}, 422, "invalid_input"),
            ({"start": "2026-02-13T09:00"}, 422, "invalid_input"),
            ({"start": "2026-02-13T09:00", "days": "abc"}, 422, "invalid_input"),
            ({"start": "2026-02-13T09:00", "days": "NaN"}, 422, "invalid_input"),
            ({"start": "2026-02-13T09:00", "hours": "1e"}, 422, "invalid_input"),
            ({"start": "2026-02-13T09:00", "days": 1, "cutoff": "abc"}, 422, "invalid_input"),
            ({"start": "2026-02-13T09:00", "days": -1}, 400, "negative_duration"),
            ({"start": "2026-02-13T09:00", "hours": -1}, 400, "negative_duration"),
            ({"start": "2026-02-13T09:00", "days": "0.3"}, 400, "invalid_days"),
            ({"start": "2026-02-13T09:00", "days": 1, "hours": 2}, 400, "invalid_input"),
            ({"start": "2026-02-13T09:00", "days": "1e9"}, 400, "out_of_range"),
            ({"start": "2026-02-13T09:00", "days": "1e999999"}, 400, "out_of_range"),
            ({"start": "1900-01-01T09:00", "days": 1}, 400, "out_of_range"),
            ({"start": "9999-12-31T23:59:59+07:00", "days": 1}, 400, "out_of_range"),
            ({"start": "0001-01-01T00:00:00+07:00", "days": 1}, 400, "out_of_range"),
            ({"start": "9999-12-31T23:59:59-07:00", "days": 1}, 400, "out_of_range"),
            ({"start": "2099-12-30T09:00", "days": 30}, 400, "out_of_range"),
        ],
    )
    def test_bad_input_is_a_4xx_json_in_vietnamese(self, client, params, status, code):
        assert_error(get(client, "due", **params), status, code)

    def test_message_says_what_is_wrong(self, client):
        body = get(client, "due", start="abc", days=1).json()
        assert "start" in body["message"] and "ISO 8601" in body["message"]
        body = get(client, "due", start="2026-02-13T09:00", days=-1).json()
        assert body["message"] == "Số ngày làm việc không được âm."


class TestBetween:
    def test_between(self, client):
        body = get(client, "between", start="2026-02-13T17:00+07:00", end="2026-02-23T17:00+07:00").json()
        assert body["days"] == 1.0 and body["hours"] == 8.0 and body["working_minutes"] == 480
        body = get(client, "between", start="2025-03-10T09:00", end="2025-03-11T11:00").json()
        assert body["days"] == 0.5 and body["hours"] == 10.0

    @pytest.mark.parametrize(
        ("params", "status"),
        [
            ({"start": "2025-03-10T09:00"}, 422),
            ({"start": "2025-03-10T09:00", "end": "hôm qua"}, 422),
            ({"start": "2025-03-10T09:00", "end": "2199-01-01T00:00"}, 400),
        ],
    )
    def test_bad_input(self, client, params, status):
        assert_error(get(client, "between", **params), status, "invalid_input" if status == 422 else "out_of_range")


class TestHolidays:
    def test_year_listing(self, client):
        body = get(client, "holidays", year=2026).json()
        off = {day["date"]: day for day in body["days_off"]}
        assert off["2026-02-16"]["name"] == "Giao thừa Tết Nguyên Đán"
        assert off["2026-02-16"]["display"] == "16/02/2026" and off["2026-02-16"]["weekday"] == "Thứ Hai"
        assert "2026-11-24" in off and "2026-08-31" in off
        working = {day["date"]: day for day in body["working_days"]}
        assert list(working) == ["2026-08-22"] and working["2026-08-22"]["decision"]

    def test_default_year_and_bad_years(self, client):
        assert get(client, "holidays").status_code == 200
        assert_error(get(client, "holidays", year="abc"), 422, "invalid_input")
        assert_error(get(client, "holidays", year=1800), 400, "out_of_range")
        assert_error(get(client, "holidays", year=10**30), 400, "out_of_range")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.one_of(st.text(max_size=40), st.datetimes().map(lambda d: d.isoformat())),
    days=st.one_of(st.none(), st.text(max_size=12), st.decimals(allow_nan=True).map(str)),
    hours=st.one_of(st.none(), st.text(max_size=12), st.integers(-10**6, 10**6).map(str)),
)
def test_no_input_produces_a_server_error(client, start, days, hours):
    params = {"start": start}
    if days is not None:
        params["days"] = days
    if hours is not None:
        params["hours"] = hours
    response = get(client, "due", **params)
    assert response.status_code in (200, 400, 404, 409, 422), (params, response.content)
    if response.status_code != 200:
        assert set(response.json()) >= {"code", "message"}
