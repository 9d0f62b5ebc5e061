"""Managers' statistics through the real stack: dossiers received at the counter by the reception service, moved
by the processing and return services (early, on time, late, withdrawn, refused, still open), then counted by the
selector, the page, the API and the Excel export; who may see what; bad input answered in Vietnamese."""

import datetime as dt
import io

import pytest
from django.db import transaction
from openpyxl import load_workbook

from egov.accounts.models import User
from egov.accounts.testing import login_with_second_factor
from egov.core.errors import DomainError, NotFound, PermissionDeniedError
from egov.directory.models import Official
from egov.onestop import processing as P
from egov.onestop import reception
from egov.onestop import returns as R
from egov.onestop.models import Channel, Dossier, DossierDailyStat
from egov.onestop.statistics import can_view_statistics, dossier_statistics, statistics_scope
from egov.onestop.status import DossierStatus
from egov.onestop.tests.processing_world import at, build_world, receive
from egov.workdays import loader

MARCH = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}
PAGE = "/can-bo/mot-cua/thong-ke/"
API = "/api/v1/onestop/statistics"


def applicant(name="Nguyễn Văn Ấn"):
    return reception.Applicant(name=name, id_number="096085001234", address="Ấp 1, xã An Xuyên, Cà Mau",
                               phone="0912 345 678", email="")


def counter(w, when, *, officer=None, agency=None):
    """A dossier accepted at the counter by the reception service (code, due date, steps, Form 01)."""
    return reception.dossier_receive_at_counter(
        actor=officer or w.officer, agency=agency or w.commune, procedure_code=w.procedure.code,
        applicant=applicant(), received_at=when)


def process(w, dossier, *, start, handover, approve, returned=None):
    P.dossier_start_processing(dossier=dossier, actor=w.specialist, at=start)
    P.dossier_step_complete(dossier=dossier, actor=w.specialist, at=handover)
    P.dossier_approve(dossier=dossier, actor=w.leader, at=approve)
    if returned is not None:
        R.dossier_return_result(dossier=dossier, actor=w.officer, channel="counter", at=returned)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at the end (the receptions print real PDFs,
    which is slow); every test then runs in its own savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world()
        transaction.set_rollback(True)


@pytest.fixture
def w(world, db):
    return world


def _world():
    loader.reset()
    world = build_world()
    # Monday 02/03/2026; the 5-day procedure is due on Monday 09/03 at 17:00.
    early = counter(world, at(2, 8))
    process(world, early, start=at(2, 8, 30), handover=at(2, 10), approve=at(3, 9), returned=at(3, 10))
    on_time = counter(world, at(2, 9))
    process(world, on_time, start=at(2, 9, 30), handover=at(5, 10), approve=at(9, 10))
    late = counter(world, at(2, 10))
    process(world, late, start=at(2, 10, 30), handover=at(6, 10), approve=at(10, 9), returned=at(10, 10))
    online_open = receive(world, when=at(3, 9), channel=Channel.ONLINE)
    P.dossier_start_processing(dossier=online_open, actor=world.specialist, at=at(3, 10))
    withdrawn = receive(world, when=at(3, 10), channel=Channel.ONLINE)
    P.dossier_withdraw(dossier=withdrawn, actor=world.officer, reason="Đơn xin rút hồ sơ ngày 04/03/2026",
                       at=at(4, 9))
    reception.dossier_refuse_at_reception(actor=world.officer, agency=world.commune,
                                          procedure_code=world.procedure.code, applicant=applicant("Trần Thị Bé"),
                                          reason="Hồ sơ không thuộc thẩm quyền của xã.", received_at=at(4, 10))
    counter(world, at(4, 11), officer=world.outsider_officer, agency=world.other_commune)  # other commune, open
    receive(world, when=at(1, 9, month=4))  # April, still open
    world.agency_admin = User.objects.create_user(username="qtcq.tb", password="x-Strong-pass-1",
                                                  role="agency_admin", full_name="Quản trị xã Tân Bằng")
    Official.objects.create(user=world.agency_admin, agency=world.other_commune)
    world.governor = User.objects.create_user(username="ct.tinh", password="x-Strong-pass-1", role="leader",
                                              full_name="Chủ tịch UBND tỉnh")
    Official.objects.create(user=world.governor, agency=world.province)
    return world


def numbers(row) -> dict:
    return {name: getattr(row, name) for name in ("received", "early", "on_time", "late", "refused", "withdrawn",
                                                  "returned", "in_progress", "online")}


COMMUNE = {"received": 5, "early": 1, "on_time": 1, "late": 1, "refused": 1, "withdrawn": 1, "returned": 2,
           "in_progress": 1, "online": 2}
OTHER = {"received": 1, "early": 0, "on_time": 0, "late": 0, "refused": 0, "withdrawn": 0, "returned": 0,
         "in_progress": 1, "online": 0}


def test_by_agency_counts_what_the_services_did(w):
    stats = dossier_statistics(user=w.admin, **MARCH)
    rows = {row.key: row for row in stats.rows}
    assert list(rows) == ["XA-AX", "XA-TB"]
    assert numbers(rows["XA-AX"]) == COMMUNE
    assert numbers(rows["XA-TB"]) == OTHER
    commune = rows["XA-AX"]
    assert commune.resolved == 3
    assert str(commune.online_share) == "40.0" and str(commune.on_time_rate) == "66.7"
    assert rows["XA-TB"].on_time_rate is None and str(rows["XA-TB"].online_share) == "0.0"
    assert numbers(stats.totals) == {k: COMMUNE[k] + OTHER[k] for k in COMMUNE}
    assert str(stats.totals.online_share) == "33.3"
    assert stats.period_label == "Từ ngày 01/03/2026 đến ngày 31/03/2026" and stats.scope_label == "Toàn tỉnh"
    # Every column describes the same dossiers: received = resolved + withdrawn + stopped + in progress.
    for row in stats.rows:
        assert row.received == row.resolved + row.withdrawn + row.in_progress


def test_counts_match_the_dossiers_themselves(w):
    """The aggregates equal a count over the dossier table (what a naive report would scan)."""
    stats = dossier_statistics(user=w.admin, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))
    received = Dossier.objects.exclude(received_at=None)
    assert stats.totals.received == received.count() == 7
    assert stats.totals.late == received.filter(timing="late").count()
    assert stats.totals.returned == received.exclude(returned_at=None).count()
    assert stats.totals.refused == Dossier.objects.filter(status=DossierStatus.REFUSED).count() == 1
    assert stats.totals.in_progress == received.filter(status__in=[DossierStatus.RECEIVED,
                                                                  DossierStatus.PROCESSING]).count() == 3


def test_by_procedure_month_and_agency_procedure(w):
    by_procedure = dossier_statistics(user=w.admin, group_by="procedure", **MARCH)
    assert [row.key for row in by_procedure.rows] == ["1.001193"]
    assert by_procedure.rows[0].label == "1.001193 – Thủ tục đăng ký khai sinh"
    assert by_procedure.rows[0].received == 6
    both = dossier_statistics(user=w.admin, group_by="agency_procedure", **MARCH)
    assert [row.key for row in both.rows] == ["XA-AX/1.001193", "XA-TB/1.001193"]
    months = dossier_statistics(user=w.admin, group_by="month", date_from=dt.date(2026, 2, 1),
                                date_to=dt.date(2026, 4, 30))
    assert [(row.label, row.received, row.in_progress) for row in months.rows] == [
        ("Tháng 03/2026", 6, 2), ("Tháng 04/2026", 1, 1)]
    assert months.totals.received == 7


def test_filters_narrow_to_an_agency_and_a_procedure(w):
    stats = dossier_statistics(user=w.admin, agency="XA-TB", **MARCH)
    assert [row.key for row in stats.rows] == ["XA-TB"] and stats.scope_label == w.other_commune.name
    by_code = dossier_statistics(user=w.admin, agency=w.other_commune.code_qcvn102, **MARCH)
    assert [row.key for row in by_code.rows] == ["XA-TB"]
    none = dossier_statistics(user=w.admin, procedure=w.inter_procedure.code, **MARCH)
    assert none.rows == [] and none.totals.received == 0
    # The province's committee counts with the agencies under it.
    province = dossier_statistics(user=w.admin, agency="UBND-T", **MARCH)
    assert province.totals.received == 6
    # A single day.
    day = dossier_statistics(user=w.admin, date_from=dt.date(2026, 3, 4), date_to=dt.date(2026, 3, 4))
    assert numbers(day.totals) == {"received": 1, "early": 0, "on_time": 0, "late": 0, "refused": 1,
                                   "withdrawn": 0, "returned": 0, "in_progress": 1, "online": 0}


def test_who_sees_what(w):
    assert statistics_scope(w.admin).agency_ids is None
    assert statistics_scope(w.governor).agency_ids >= {w.commune.pk, w.other_commune.pk, w.department.pk}
    leader = dossier_statistics(user=w.leader, **MARCH)
    assert [row.key for row in leader.rows] == ["XA-AX"]
    admin_tb = dossier_statistics(user=w.agency_admin, **MARCH)
    assert [row.key for row in admin_tb.rows] == ["XA-TB"]
    governor = dossier_statistics(user=w.governor, **MARCH)
    assert [row.key for row in governor.rows] == ["XA-AX", "XA-TB"]
    with pytest.raises(PermissionDeniedError):
        dossier_statistics(user=w.leader, agency="XA-TB", **MARCH)
    for user in (w.specialist, w.officer, w.citizen):
        with pytest.raises(PermissionDeniedError):
            dossier_statistics(user=user, **MARCH)
        assert not can_view_statistics(user)
    assert all(can_view_statistics(user) for user in (w.admin, w.leader, w.agency_admin, w.governor))


def test_the_menu_links_the_statistics_for_those_who_may_see_them(w):
    from egov.accounts.navigation import backoffice_menu

    def labels(user):
        return [item.url for item in backoffice_menu(user)]

    assert PAGE in labels(w.leader) and PAGE in labels(w.admin)
    assert PAGE not in labels(w.specialist) and PAGE not in labels(w.officer)


def test_bad_input_is_a_vietnamese_domain_error(w):
    with pytest.raises(DomainError) as reversed_period:
        dossier_statistics(user=w.admin, date_from=dt.date(2026, 3, 31), date_to=dt.date(2026, 3, 1))
    assert reversed_period.value.message == "Từ ngày phải trước hoặc trùng Đến ngày."
    with pytest.raises(DomainError) as group:
        dossier_statistics(user=w.admin, group_by="week", **MARCH)
    assert group.value.code == "invalid_group"
    with pytest.raises(NotFound):
        dossier_statistics(user=w.admin, agency="KHONG-CO", **MARCH)
    with pytest.raises(NotFound):
        dossier_statistics(user=w.admin, procedure="9.999999", **MARCH)


def test_reads_only_aggregates_and_an_indexed_count(w, django_assert_max_num_queries):
    """Two statistics queries whatever the volume (plus the viewer's agency and the labels)."""
    with django_assert_max_num_queries(6):
        dossier_statistics(user=w.leader, **MARCH)
    assert DossierDailyStat.objects.filter(agency=w.commune).count() >= 2


# --- the page -------------------------------------------------------------------------------------------------
def page(client, **params):
    query = {"tu_ngay": "01/03/2026", "den_ngay": "31/03/2026", "nhom_theo": "agency"}
    query.update(params)
    return client.get(PAGE, query)


def cell(html: str, key: str, column: str) -> str:
    start = html.index(f'data-key="{key}"')
    start = html.index(f'data-col="{column}"', start)
    return html[html.index(">", start) + 1:html.index("</td>", start)].strip()


def test_page_shows_the_table_with_totals_and_excel_link(client, w):
    login_with_second_factor(client, w.admin)
    response = page(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thống kê tiếp nhận, giải quyết hồ sơ" in html
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in html
    assert cell(html, "XA-AX", "received") == "5" and cell(html, "XA-AX", "late") == "1"
    assert cell(html, "XA-AX", "online_share") == "40,0%" and cell(html, "XA-AX", "on_time_rate") == "66,7%"
    assert cell(html, "XA-TB", "on_time_rate") == "–"
    assert cell(html, "total", "received") == "6" and cell(html, "total", "in_progress") == "2"
    assert "Tải Excel" in html and "thong-ke/excel/?tu_ngay=01%2F03%2F2026" in html
    assert "<script>" not in html


def test_page_opens_on_this_year_by_default(client, w):
    client.force_login(w.leader)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="01/01/' in html and "Tổng cộng" in html


def test_page_bad_dates_are_form_errors_in_vietnamese(client, w):
    client.force_login(w.leader)
    response = page(client, tu_ngay="32/13/2026")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="error-tu_ngay"' in html and 'id="error-tu_ngay"' in html
    response = page(client, tu_ngay="31/03/2026", den_ngay="01/03/2026")
    assert response.status_code == 400
    assert "Đến ngày phải sau hoặc trùng Từ ngày." in response.content.decode()
    response = page(client, co_quan="XA-TB")  # not in a commune leader's list
    assert response.status_code == 400
    assert "Cơ quan đã chọn không có trong danh sách." in response.content.decode()
    response = page(client, den_ngay="")
    assert response.status_code == 400 and "Vui lòng nhập ngày." in response.content.decode()


def test_page_permissions(client, w):
    assert client.get(PAGE).status_code == 302  # to the login page
    for user in (w.specialist, w.citizen):
        client.force_login(user)
        assert page(client).status_code == 403
    login_with_second_factor(client, w.agency_admin)
    response = page(client)
    assert response.status_code == 200
    assert 'data-key="XA-TB"' in response.content.decode() and 'data-key="XA-AX"' not in response.content.decode()


def test_excel_export(client, w):
    client.force_login(w.governor)
    response = client.get(PAGE + "excel/", {"tu_ngay": "01/03/2026", "den_ngay": "31/03/2026",
                                             "nhom_theo": "agency"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="thong-ke-ho-so-20260301-20260331.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ")
    assert sheet["A2"].value == "Từ ngày 01/03/2026 đến ngày 31/03/2026"
    headers = [c.value for c in sheet[6]]
    assert headers[:6] == ["STT", "Mã cơ quan", "Cơ quan tiếp nhận", "Tiếp nhận", "Trực tuyến", "Đã giải quyết"]
    assert "Tỷ lệ trực tuyến" in headers and "Quá hạn" in headers
    first = {headers[i]: c.value for i, c in enumerate(sheet[7])}
    assert first["Mã cơ quan"] == "XA-AX" and first["Tiếp nhận"] == 5 and first["Quá hạn"] == 1
    assert first["Tỷ lệ trực tuyến"] == pytest.approx(0.4)
    assert sheet.cell(row=7, column=headers.index("Tỷ lệ trực tuyến") + 1).number_format == "0.0%"
    total = {headers[i]: c.value for i, c in enumerate(sheet[9])}
    assert total["Mã cơ quan"] == "Tổng cộng" and total["Tiếp nhận"] == 6 and total["Đang giải quyết"] == 2
    bad = client.get(PAGE + "excel/", {"tu_ngay": "hôm qua", "den_ngay": "31/03/2026"})
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.content.decode()


# --- the API --------------------------------------------------------------------------------------------------
def test_api_rows_and_totals(client, w):
    client.force_login(w.governor)
    response = client.get(API, {"date_from": "01/03/2026", "date_to": "2026-03-31", "group_by": "agency"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "Từ ngày 01/03/2026 đến ngày 31/03/2026"
    assert [row["key"] for row in body["rows"]] == ["XA-AX", "XA-TB"]
    first = body["rows"][0]
    assert {k: first[k] for k in COMMUNE} == COMMUNE
    assert first["online_share"] == 40.0 and first["on_time_rate"] == 66.7 and first["resolved"] == 3
    assert body["totals"]["received"] == 6 and body["rows"][1]["on_time_rate"] is None
    months = client.get(API, {"date_from": "01/03/2026", "date_to": "30/04/2026", "group_by": "month"}).json()
    assert [row["month"] for row in months["rows"]] == ["03/2026", "04/2026"]
    excel = client.get(API + ".xlsx", {"date_from": "01/03/2026", "date_to": "31/03/2026",
                                       "group_by": "agency_procedure"})
    assert excel.status_code == 200
    sheet = load_workbook(io.BytesIO(excel.content)).active
    assert sheet["D7"].value == "Thủ tục đăng ký khai sinh"


def test_api_bad_input_and_permissions(client, w):
    assert client.get(API, {"date_from": "01/03/2026", "date_to": "31/03/2026"}).status_code == 401
    client.force_login(w.specialist)
    denied = client.get(API, {"date_from": "01/03/2026", "date_to": "31/03/2026"})
    assert denied.status_code == 403 and "thống kê" in denied.json()["message"]
    client.force_login(w.leader)
    cases = [
        ({"date_from": "31/02/2026", "date_to": "31/03/2026"}, 422, "invalid_date"),
        ({"date_from": "31/03/2026", "date_to": "01/03/2026"}, 400, "invalid_period"),
        ({"date_from": "01/03/2026", "date_to": "31/03/2026", "group_by": "tuan"}, 422, "invalid_group"),
        ({"date_from": "01/03/2026", "date_to": "31/03/2026", "agency": "KHONG-CO"}, 404, "agency_not_found"),
        ({"date_from": "01/03/2026", "date_to": "31/03/2026", "agency": "XA-TB"}, 403, "forbidden"),
        ({"date_from": "01/03/2026", "date_to": "31/03/2026", "procedure": "0.000"}, 404, "procedure_not_found"),
    ]
    for params, status, code in cases:
        response = client.get(API, params)
        assert response.status_code == status, params
        assert response.json()["code"] == code and response.json()["message"], params
    missing = client.get(API, {"date_from": "01/03/2026"})
    assert missing.status_code == 422 and missing.json()["code"]


def test_api_token_of_an_agency_sees_that_agency(client, w):
    from django.utils import timezone

    from egov.apiclients.services import token_issue

    expires = timezone.now() + dt.timedelta(days=30)
    _, secret = token_issue(actor=None, agency=w.commune, name="Phần mềm báo cáo xã", scopes=["onestop:read"],
                            expires_at=expires)
    _, other = token_issue(actor=None, agency=w.commune, name="Hệ thống văn bản", scopes=["directory:read"],
                           expires_at=expires)
    params = {"date_from": "01/03/2026", "date_to": "31/03/2026"}
    response = client.get(API, params, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert [row["key"] for row in response.json()["rows"]] == ["XA-AX"] and response.json()["totals"]["received"] == 5
    assert client.get(API, {**params, "agency": "XA-TB"},
                      HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 403
    refused = client.get(API, params, HTTP_AUTHORIZATION=f"Bearer {other}")
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
