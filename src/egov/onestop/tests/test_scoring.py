"""The nine indices of TT 01/2018 on a small, hand-checked set of dossiers."""

import datetime as dt
from decimal import Decimal

import pytest

from egov.onestop import processing as P
from egov.onestop import returns as R
from egov.onestop import scoring
from egov.onestop.tests.processing_world import at, build_world, receive
from egov.workdays import loader

MARCH = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}


@pytest.fixture
def w(db):
    loader.reset()
    return build_world()


@pytest.fixture
def three(w):
    """d1 early (rated: no extra contact, only the one-stop unit), d2 late, d3 on time after one supplement."""
    d1 = receive(w, when=at(2, 8), applicant_user=w.citizen)
    P.dossier_start_processing(dossier=d1, actor=w.specialist, at=at(2, 9))
    P.dossier_step_complete(dossier=d1, actor=w.specialist, at=at(2, 10))        # step 2 early
    P.dossier_approve(dossier=d1, actor=w.leader, at=at(3, 9))                   # step 3 on time; dossier early
    R.rating_submit(dossier=d1, actor=w.citizen, overall=5, answers={
        "thoi_gian": "som", "so_co_quan": "1", "so_lan_lien_he": "0", "thong_tin_cong_khai": "chinh_xac",
        "thai_do": "hai_long", "ket_qua": "dung"})

    d2 = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d2, actor=w.specialist, at=at(2, 9))
    P.dossier_step_complete(dossier=d2, actor=w.specialist, at=at(6, 10))        # step 2 late
    P.dossier_approve(dossier=d2, actor=w.leader, at=at(10, 9))                  # step 3 late; dossier late

    d3 = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=d3, actor=w.specialist, at=at(2, 9))
    P.dossier_request_supplement(dossier=d3, actor=w.specialist, reason="Thiếu", items=["Bản sao"], at=at(2, 10))
    P.dossier_supplement_received(dossier=d3, actor=w.officer, at=at(3, 9))      # restart: due 10/03 17:00
    P.dossier_step_complete(dossier=d3, actor=w.specialist, at=at(5, 10))        # step 2 on time
    P.dossier_approve(dossier=d3, actor=w.leader, at=at(10, 16))                 # step 3 late; dossier on time

    april = receive(w, when=at(2, 8))
    P.dossier_start_processing(dossier=april, actor=w.specialist, at=at(2, 9))
    P.dossier_step_complete(dossier=april, actor=w.specialist, at=at(3, 9))
    P.dossier_approve(dossier=april, actor=w.leader, at=at(1, 9, month=4))       # outside the period
    for d in (d1, d2, d3):
        d.refresh_from_db()
    return d1, d2, d3


def scores_of(report):
    return {i.number: i.score for i in report.indices}


def test_dossier_scores(w, three):
    d1, d2, d3 = three
    assert scoring.dossier_scores(d1) == {1: 2, 2: 1, 3: 2, 4: 1, 7: 2}
    assert scoring.dossier_scores(d2) == {1: 0, 2: 0, 3: 2, 4: 1, 7: 0}
    assert scoring.dossier_scores(d3) == {1: 1, 2: 0, 3: 1, 4: 1, 7: 1}
    assert scoring.dossier_scores(receive(w)) == dict.fromkeys((1, 2, 3, 4, 7))


def test_unit_scores_on_nine_indices(w, three):
    report = scoring.unit_scores(agency=w.commune, **MARCH)
    assert report.dossiers == 3
    assert scores_of(report) == {
        1: Decimal("1.0"), 2: Decimal("0.3"), 3: Decimal("1.7"), 4: Decimal("1.0"), 5: Decimal(0), 6: None,
        7: Decimal("1.0"), 8: None, 9: Decimal(0),
    }
    by_number = {i.number: i for i in report.indices}
    assert by_number[8].display == "chưa có dữ liệu" and "phản ánh" in by_number[8].note
    assert "niêm yết" in by_number[6].note
    assert "0/1 thủ tục" in by_number[5].note and "ngưỡng 100%" in by_number[5].note
    assert report.total == Decimal("5.0") and report.missing == [6, 8]
    assert report.classification == "Yếu (tạm tính trên 7/9 chỉ số)"
    assert report.as_dict()["indices"][7]["note"].startswith("chưa có dữ liệu")
    empty = scoring.unit_scores(agency=w.other_commune, **MARCH)
    assert empty.dossiers == 0 and empty.total is None and empty.classification == "chưa có dữ liệu"


def test_officer_scores_count_their_own_steps(w, three):
    specialist = scoring.officer_scores(user=w.specialist, **MARCH)
    assert specialist.dossiers == 3
    assert scores_of(specialist) == {1: Decimal("1.0"), 2: Decimal("1.0"), 3: Decimal("1.7"), 4: Decimal("1.0"),
                                     7: Decimal("1.0")}
    assert specialist.total == Decimal("5.7") and specialist.classification == "Hoàn thành 100% nhiệm vụ"
    leader = scoring.officer_scores(user=w.leader, **MARCH)
    assert scores_of(leader)[2] == Decimal("0.3") and leader.total == Decimal("5.0")
    nobody = scoring.officer_scores(user=w.outsider, **MARCH)
    assert nobody.dossiers == 0 and nobody.total is None


def test_classifications_and_rounding():
    assert scoring.round1(Decimal(5) / Decimal(3)) == Decimal("1.7")
    assert scoring.round1(Decimal("0.25")) == Decimal("0.3")
    assert scoring.officer_classification(Decimal("5")) == "Hoàn thành 100% nhiệm vụ"
    assert scoring.officer_classification(Decimal("3.5")) == "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"
    assert scoring.officer_classification(Decimal("3.4")) == "Hoàn thành dưới 70% nhiệm vụ"
    assert [scoring.unit_classification(Decimal(v)) for v in ("15", "14.9", "12", "9", "6", "5.9")] == [
        "Xuất sắc", "Tốt", "Tốt", "Khá", "Trung bình", "Yếu"]


def test_bad_period_is_a_domain_error(w):
    with pytest.raises(Exception) as bad:
        scoring.unit_scores(agency=w.commune, start=dt.date(2026, 3, 31), end=dt.date(2026, 3, 1))
    assert getattr(bad.value, "code", "") == "invalid_period"


def test_scores_page(client, w, three):
    client.force_login(w.leader)
    page = client.get("/can-bo/mot-cua/cham-diem/", {"tu": "2026-03-01", "den": "2026-03-31"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Yếu (tạm tính trên 7/9 chỉ số)" in html and "chưa có dữ liệu" in html and "Trần Văn Tư Pháp" in html
    bad = client.get("/can-bo/mot-cua/cham-diem/", {"tu": "hôm qua"})
    assert bad.status_code == 400
