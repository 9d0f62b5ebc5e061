"""The public lookup: page, kiosk and API; masked name, no personal data, format and 404 errors, the cache,
and the per-client rate limit."""

import json
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from egov.eservices.lookup import cache_key, mask_name, names
from egov.eservices.tests.conftest import move, receive
from egov.onestop.models import EventKind
from egov.onestop.status import DossierStatus

CODE = "000.01.12.H12-250714-0007"
API = "/api/v1/public/dossiers/"
PAGE = reverse("lookup:index")
PERSONAL = ("096085000123", "0912345678", "an@example.vn", "Ấp 1", "Nguyễn Văn An", "Nguyễn Văn Bé")


@pytest.mark.parametrize(("name", "masked"), [
    ("Nguyễn Văn An", "Nguyễn V** A*"),
    ("  Trần   Thị Bích  Ngọc ", "Trần T** B*** N***"),
    ("Lý", "L*"),
    ("", ""),
    ("Nguye\u0302\u0303n Văn An", "Nguyễn V** A*"),
])
def test_mask_name_keeps_the_family_name_and_first_letters(name, masked):
    assert mask_name(name) == masked


@pytest.fixture
def received(world, submit):
    return receive(submit(), world["officer"], code=CODE)


@pytest.mark.django_db
def test_api_returns_status_dates_agency_and_a_masked_name_only(client, received):
    response = client.get(API + CODE)
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "code": CODE,
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh"},
        "status": "received", "status_label": "Đã tiếp nhận", "national_status_code": 2,
        "received_at": body["received_at"], "due_at": body["due_at"],
        "current_agency": {"code": "XA-TAN-THANH", "name": "Ủy ban nhân dân xã Tân Thành"},
        "applicant": "Nguyễn V** A*",
    }
    assert body["received_at"].endswith("+07:00") and body["due_at"].endswith("+07:00")
    raw = response.content.decode()
    assert not any(value in raw for value in PERSONAL)
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_codes_made_by_the_reception_service_are_found(client, world, submit):
    from egov.eservices.tests.conftest import accept

    dossier = accept(submit(), world["officer"])
    body = client.get(API + dossier.code).json()
    assert body["code"] == dossier.code and body["status"] == "received"
    assert body["due_at"] == dossier.due_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")).isoformat()


@pytest.mark.django_db
def test_api_accepts_a_code_typed_in_lower_case(client, received):
    assert client.get(API + CODE.lower()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["abc", "000.01.12.H12-2507-0007", "000.01.12.Z12-250714-0007", "1' OR '1'='1"])
def test_api_malformed_code_is_422_in_vietnamese(client, world, code):
    response = client.get(API + code)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_dossier_code"
    assert "Mã hồ sơ không đúng định dạng" in response.json()["message"]


@pytest.mark.django_db
def test_api_unknown_code_is_404_in_vietnamese(client, world):
    for code in ("000.01.12.H12-250714-0099", "H12.01-20250714-0000099"):
        response = client.get(API + code)
        assert response.status_code == 404
        assert response.json() == {"code": "dossier_not_found", "message": response.json()["message"]}
        assert "Không tìm thấy hồ sơ" in response.json()["message"]


@pytest.mark.django_db
def test_a_submitted_dossier_without_code_is_not_found(client, world, submit):
    submit()
    assert client.get(API + CODE).status_code == 404


@pytest.mark.django_db
def test_lookup_is_one_query_then_cached_and_refreshed_on_change(client, world, received):
    names.get(received.procedure_id, received.current_agency_id)  # the process's map of names, loaded once
    with CaptureQueriesContext(connection) as first:
        assert client.get(API + CODE).json()["status"] == "received"
    assert len(first.captured_queries) == 1
    assert "join" not in first.captured_queries[0]["sql"].lower()
    with CaptureQueriesContext(connection) as second:
        client.get(API + CODE)
    assert len(second.captured_queries) == 0
    move(received, DossierStatus.PROCESSING, EventKind.ASSIGN, world["officer"])
    body = client.get(API + CODE).json()
    assert (body["status"], body["status_label"], body["national_status_code"]) == ("processing", "Đang xử lý", 4)


@pytest.mark.django_db
def test_api_answers_alike_from_the_early_middleware_and_from_the_route(client, received, settings):
    """PublicLookupEarlyMiddleware answers before the session and Ninja; without it the API route answers the
    same bodies, statuses and security headers."""
    from django.core.cache import cache

    routed_only = [name for name in settings.MIDDLEWARE if not name.endswith("PublicLookupEarlyMiddleware")]
    assert len(routed_only) == len(settings.MIDDLEWARE) - 1
    headers = ("Content-Type", "X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options",
               "Referrer-Policy")
    for path in (API + CODE, API + CODE.lower(), API + "abc", API + "000.01.12.H12-250714-0099"):
        cache.clear()
        early = client.get(path)
        cache.clear()
        with override_settings(MIDDLEWARE=routed_only):
            routed = client.get(path)
        assert (early.status_code, early.json()) == (routed.status_code, routed.json()), path
        for header in headers:
            assert early.get(header) == routed.get(header) and early.get(header), (path, header)
        assert early["X-Request-ID"] and "sessionid" not in early.cookies
    assert client.post(API + CODE).status_code == 405  # other methods still reach the API's own answer


@pytest.mark.django_db
def test_renamed_agency_and_procedure_show_in_the_next_lookup(client, world, received):
    from django.core.cache import cache

    from egov.directory.services import agency_update

    assert client.get(API + CODE).json()["current_agency"]["name"] == "Ủy ban nhân dân xã Tân Thành"
    agency_update(agency=received.current_agency, name="Ủy ban nhân dân phường Tân Thành")
    received.procedure.name = "Đăng ký khai sinh (thủ tục liên thông)"
    received.procedure.save()
    cache.delete(cache_key(CODE))
    body = client.get(API + CODE).json()
    assert body["current_agency"]["name"] == "Ủy ban nhân dân phường Tân Thành"
    assert body["procedure"]["name"] == "Đăng ký khai sinh (thủ tục liên thông)"


@pytest.mark.django_db(transaction=True)
def test_lookup_survives_a_database_connection_cut_between_requests(client, received):
    """The lookup skips the per-request ``SELECT 1`` health check; a connection the server dropped is noticed by
    the query itself, re-opened, and the citizen still gets the answer."""
    if connection.vendor != "postgresql":
        pytest.skip("Chỉ PostgreSQL giữ kết nối bền giữa các yêu cầu")
    import psycopg

    assert client.get(API + CODE).status_code == 200
    backend = connection.connection.info.backend_pid
    settings_dict = connection.settings_dict
    with psycopg.connect(host=settings_dict["HOST"] or None, port=settings_dict["PORT"] or None,
                         user=settings_dict["USER"] or None, dbname=settings_dict["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    from django.core.cache import cache

    cache.delete(cache_key(CODE))
    response = client.get(API + CODE)
    assert response.status_code == 200 and response.json()["code"] == CODE
    assert connection.connection.info.backend_pid != backend
    with connection.cursor() as cursor:  # prepared again on the new session, used by the next lookups
        cursor.execute("SELECT name FROM pg_prepared_statements")
        assert "egov_public_lookup" in {row[0] for row in cursor.fetchall()}
    assert client.get(API + "000.01.12.H12-250714-0099").status_code == 404


@pytest.mark.django_db
def test_api_is_in_the_openapi_schema_without_auth(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/public/dossiers/{code}"]["get"]
    assert "security" not in operation or operation["security"] == []
    assert {"200", "404", "422", "429"} <= set(operation["responses"])


@pytest.mark.django_db
def test_page_shows_the_result_from_the_qr_link(client, received, world):
    move(received, DossierStatus.PROCESSING, EventKind.ASSIGN, world["officer"])
    response = client.get(PAGE, {"ma": CODE})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đang xử lý" in page and "mã trạng thái 4" in page and "Nguyễn V** A*" in page
    assert "Đăng ký khai sinh" in page and "Ủy ban nhân dân xã Tân Thành" in page
    local_due = received.due_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh"))
    assert local_due.strftime("%d/%m/%Y %H:%M") in page
    assert "Mới đăng ký" in page and "Đã tiếp nhận" in page  # the public timeline
    assert not any(value in page for value in PERSONAL)


@pytest.mark.django_db
def test_page_errors_are_vietnamese_never_500(client, world):
    empty = client.get(PAGE)
    assert empty.status_code == 200 and 'name="ma"' in empty.content.decode()
    bad = client.get(PAGE, {"ma": "khong-phai-ma"})
    assert bad.status_code == 422 and "Mã hồ sơ không đúng định dạng" in bad.content.decode()
    unknown = client.get(PAGE, {"ma": "000.01.12.H12-250714-0099"})
    assert unknown.status_code == 404 and "Không tìm thấy hồ sơ" in unknown.content.decode()
    blank = client.get(PAGE, {"ma": ""})
    assert blank.status_code == 422


@pytest.mark.django_db
def test_kiosk_has_a_keypad_and_shows_results(client, received):
    start = client.get(reverse("lookup:kiosk")).content.decode()
    assert 'data-key="7"' in start and 'data-key="H"' in start and "eservices/kiosk.js" in start
    assert "<script>" not in start and "onclick" not in start
    answer = client.get(reverse("lookup:kiosk"), {"ma": CODE}).content.decode()
    assert "Nguyễn V** A*" in answer and "Tra cứu hồ sơ khác" in answer


@pytest.mark.django_db
def test_rate_limit_per_client_on_api_and_page(client, world, received, settings):
    settings.PUBLIC_LOOKUP_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(API + CODE).status_code == 200
    limited = client.get(API + CODE)
    assert limited.status_code == 429
    assert limited.json() == {"code": "too_many_requests",
                              "message": "Quá nhiều yêu cầu tra cứu, vui lòng thử lại sau ít phút."}
    assert 1 <= int(limited["Retry-After"]) <= 60
    page = client.get(PAGE, {"ma": CODE})
    assert page.status_code == 429 and "Quá nhiều yêu cầu tra cứu" in page.content.decode()
    # Another client address has its own budget.
    assert client.get(API + CODE, REMOTE_ADDR="127.0.0.9").status_code == 200
    settings.PUBLIC_LOOKUP_RATE_PER_MINUTE = 0
    assert client.get(API + CODE).status_code == 200


@pytest.mark.django_db
def test_cache_is_keyed_by_code(client, received):
    from django.core.cache import cache

    client.get(API + CODE)
    answer, body = cache.get(cache_key(CODE))
    assert json.loads(body) == answer


# A raw newline cannot reach the route at all (Django's path converter stops at it): the URL resolver answers
# 404 before the API does, so newlines are left out here.
TYPED = st.text(min_size=1, max_size=80).filter(lambda text: "\n" not in text)
CODE_SHAPED = st.from_regex(r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Y]\d{2}-\d{6}-\d{4}", fullmatch=True)


@pytest.mark.django_db
@override_settings(PUBLIC_LOOKUP_RATE_PER_MINUTE=0)
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(TYPED, CODE_SHAPED))
def test_any_text_typed_as_a_code_gets_a_vietnamese_4xx(client, world, text):
    """Whatever a visitor types (or a QR reader mangles), the answer is 422 or 404 JSON, never a 500."""
    response = client.get(API + quote(text, safe=""))
    assert response.status_code in (404, 422), (text, response.status_code)
    assert response.json()["message"]
