"""Public procedures and statistics on the portal: the catalogue (list by field and level, search without
diacritics, detail with papers, time, fees, legal basis and the online submission link) and the dossier
statistics, equal to ``onestop.statistics`` for the same period, shown to anonymous visitors."""

import datetime as dt

import pytest
from django.core.cache import cache

from egov.onestop import processing as P
from egov.onestop.statistics import dossier_statistics
from egov.onestop.tests.processing_world import at, build_world, receive
from egov.portal.services.public_stats import public_dossier_statistics
from egov.workdays import loader

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    loader.reset()
    cache.clear()
    return build_world()


def test_procedure_catalogue_pages(world, client):
    listing = client.get("/thu-tuc-hanh-chinh/").content.decode()
    assert "Thủ tục đăng ký khai sinh" in listing and "Chuyển mục đích sử dụng đất" in listing
    found = client.get("/thu-tuc-hanh-chinh/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Thủ tục đăng ký khai sinh" in found and "Chuyển mục đích" not in found
    by_field = client.get("/thu-tuc-hanh-chinh/", {"linh_vuc": "DD"}).content.decode()
    assert "Chuyển mục đích sử dụng đất" in by_field and "khai sinh" not in by_field
    by_level = client.get("/thu-tuc-hanh-chinh/", {"cap": "xa"}).content.decode()
    assert "khai sinh" in by_level and "Chuyển mục đích" not in by_level
    assert client.get("/thu-tuc-hanh-chinh/", {"cap": "tinh-xa-sai"}).status_code == 400

    offline = client.get("/thu-tuc-hanh-chinh/1.001193/").content.decode()
    assert "Thẩm định hồ sơ" in offline and "5 ngày làm việc" in offline and "Căn cứ pháp lý" in offline
    assert "/dich-vu-cong/thu-tuc/1.001193/" not in offline
    online = client.get("/thu-tuc-hanh-chinh/1.004227/").content.decode()
    assert 'href="/dich-vu-cong/thu-tuc/1.004227/"' in online and "Nộp hồ sơ trực tuyến" in online
    missing = client.get("/thu-tuc-hanh-chinh/9.999999/")
    assert missing.status_code == 404 and "Không tìm thấy thủ tục" in missing.content.decode()


def test_public_statistics_equal_the_one_stop_numbers(world, client):
    early = receive(world, when=at(2, 8))
    P.dossier_start_processing(dossier=early, actor=world.specialist, at=at(2, 9))
    P.dossier_step_complete(dossier=early, actor=world.specialist, at=at(2, 10))
    P.dossier_approve(dossier=early, actor=world.leader, at=at(3, 9))
    receive(world, when=at(3, 9))  # still open
    receive(world, when=at(4, 9), procedure=world.inter_procedure)

    march = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}
    official = dossier_statistics(user=world.admin, group_by="agency", **march)
    public = public_dossier_statistics(**march)
    assert [(r["agency_code"], r["received"], r["resolved"], r["late"], r["in_progress"]) for r in public["rows"]] \
        == [(r.agency_code, r.received, r.resolved, r.late, r.in_progress) for r in official.rows]
    totals = public["totals"]
    assert (totals["received"], totals["resolved_on_time"], totals["in_progress"]) == (
        official.totals.received, official.totals.early + official.totals.on_time, official.totals.in_progress)
    assert totals["received"] == 3 and totals["resolved_on_time"] == 1 and totals["on_time_rate"] == 100.0

    page = client.get("/thong-ke-ho-so/", {"tu_ngay": "01/03/2026", "den_ngay": "31/03/2026"})
    body = page.content.decode()
    assert page.status_code == 200 and "Ủy ban nhân dân xã An Xuyên" in body and "100,0%" in body
    bad = client.get("/thong-ke-ho-so/", {"tu_ngay": "31/03/2026", "den_ngay": "01/03/2026"})
    assert bad.status_code == 400 and "Đến ngày phải sau" in bad.content.decode()
    api = client.get("/api/v1/portal/statistics", {"date_from": "01/03/2026", "date_to": "31/03/2026"})
    assert api.status_code == 200 and api.json()["totals"]["received"] == 3
