"""Document search through the real stack: ORM rows of two agencies, the index, the policies, the page, the API."""

import datetime as dt
import io
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from egov.documents.models import IncomingDocument, OutgoingDocument
from egov.documents.policies import incoming_visible_to, outgoing_visible_to
from egov.documents.search_index import documents_search, search_index_refresh
from egov.documents.tests.world_search import SearchWorld, assign, incoming_make, index_now, outgoing_make
from egov.search import backends
from egov.search.backends import SearchFilters

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def search_index(settings):
    """A fresh index per test: the database rolls back after each test, the index folder would not."""
    settings.EGOV_SEARCH_INDEX = f"test-{uuid.uuid4().hex[:10]}"
    return settings.EGOV_SEARCH_INDEX


@pytest.fixture
def world():
    return SearchWorld()


def _found(user, query="", **filters) -> list[str]:
    page = documents_search(user=user, query=query, filters=SearchFilters(**filters), page_size=100)
    return [h.uuid for h in page.hits]


def test_query_without_diacritics_finds_text_with_them_and_d_matches_dj(world):
    land = incoming_make(world.a, world.in_a, "Về việc giao đất, cho thuê đất tại huyện Năm Căn",
                         body="Ủy ban nhân dân tỉnh đồng ý chủ trương giao đất đai cho hộ gia đình.")
    dyke = incoming_make(world.a, world.in_a, "Kế hoạch tu bổ đê điều mùa mưa bão")
    index_now(land, dyke)
    assert _found(world.clerk_a, "giao dat nam can") == [str(land.uuid)]
    assert _found(world.clerk_a, "GIAO ĐẤT") == [str(land.uuid)]
    assert _found(world.clerk_a, "de dieu") == [str(dyke.uuid)]  # đ matches d
    assert _found(world.clerk_a, "dong y chu truong") == [str(land.uuid)]  # full text of the file


def test_exact_diacritics_and_phrases_rank_first(world):
    dyke = incoming_make(world.a, world.in_a, "Báo cáo tình hình đê bao vùng trũng")
    for_purpose = incoming_make(world.a, world.in_a, "Đề nghị kinh phí để bao tiêu sản phẩm")
    phrase = incoming_make(world.a, world.in_a, "Hướng dẫn đăng ký hộ tịch trực tuyến")
    apart = incoming_make(world.a, world.in_a, "Tịch thu phương tiện của hộ kinh doanh vi phạm")
    index_now(dyke, for_purpose, phrase, apart)
    assert _found(world.clerk_a, "đê")[0] == str(dyke.uuid)
    assert _found(world.clerk_a, "để")[0] == str(for_purpose.uuid)
    assert set(_found(world.clerk_a, "de")) == {str(dyke.uuid), str(for_purpose.uuid)}
    assert _found(world.clerk_a, "hộ tịch") == [str(phrase.uuid), str(apart.uuid)]
    assert _found(world.clerk_a, "ho tich") == [str(phrase.uuid), str(apart.uuid)]


def test_number_notation_exact_and_folded(world):
    decision = incoming_make(world.a, world.in_a, "Quyết định phê duyệt quy hoạch", number_notation="123/QĐ-UBND",
                             doc_type=world.decision)
    other = incoming_make(world.a, world.in_a, "Quyết định khác", number_notation="124/QĐ-UBND")
    letter = incoming_make(world.a, world.in_a, "Công văn đôn đốc", number_notation="123/STP-VP")
    index_now(decision, other, letter)
    for query in ("123/QĐ-UBND", "123/qd-ubnd", "123/QĐ-UBND quy hoạch"):
        assert _found(world.clerk_a, query)[0] == str(decision.uuid), query
    assert str(other.uuid) not in _found(world.clerk_a, "123/QĐ-UBND")
    assert set(_found(world.clerk_a, "qd-ubnd")) == {str(decision.uuid), str(other.uuid)}


def test_an_official_of_agency_b_never_finds_agency_a_documents(world, client):
    secret_plan = incoming_make(world.a, world.in_a, "Kế hoạch phòng chống thiên tai năm 2025")
    own_b = incoming_make(world.b, world.in_b, "Kế hoạch phòng chống thiên tai của Sở")
    draft = outgoing_make(world.a, world.specialist_a, "Dự thảo kế hoạch phòng chống thiên tai", status="draft")
    index_now(secret_plan, own_b, draft)
    assert _found(world.specialist_b, "thien tai") == [str(own_b.uuid)]
    assert _found(world.clerk_b, "ke hoach") == [str(own_b.uuid)]
    client.force_login(world.specialist_b)
    api = client.get("/api/v1/documents/search", {"q": "thiên tai"})
    assert api.status_code == 200 and [i["uuid"] for i in api.json()["items"]] == [str(own_b.uuid)]
    page = client.get(reverse("documents:search"), {"q": "thien tai"})
    assert page.status_code == 200 and str(own_b.uuid) in page.content.decode()
    assert str(secret_plan.uuid) not in page.content.decode() and "Dự thảo kế hoạch" not in page.content.decode()


def test_secret_documents_and_drafts_follow_the_policies(world):
    secret = incoming_make(world.a, world.in_a_secret, "Phương án bảo vệ mục tiêu", secrecy=1)
    assigned_secret = incoming_make(world.a, world.in_a_secret, "Phương án bảo vệ khu vực biên giới", secrecy=2)
    unit_doc = incoming_make(world.a, world.in_a_secret, "Phương án bảo vệ kho lưu trữ", secrecy=1)
    assign(assigned_secret, world.leader_a, assignee=world.other_specialist_a)
    assign(unit_doc, world.leader_a, unit=world.unit_a)
    draft = outgoing_make(world.a, world.specialist_a, "Phương án bảo vệ (dự thảo)", status="draft")
    issued = outgoing_make(world.a, world.clerk_a, "Phương án bảo vệ đã ban hành", status="issued")
    index_now(secret, assigned_secret, unit_doc, draft, issued)
    uuids = {d: str(d.uuid) for d in (secret, assigned_secret, unit_doc, draft, issued)}
    assert set(_found(world.leader_a, "phuong an bao ve")) == set(uuids.values())
    assert set(_found(world.specialist_a, "phuong an bao ve")) == {uuids[unit_doc], uuids[draft], uuids[issued]}
    assert set(_found(world.other_specialist_a, "phuong an bao ve")) == {uuids[assigned_secret], uuids[issued]}
    assert _found(world.specialist_b, "phuong an bao ve") == []


def test_what_search_finds_is_what_the_policies_let_each_user_see(world):
    docs = [
        incoming_make(world.a, world.in_a, "Tài liệu chung về cải cách hành chính"),
        incoming_make(world.a, world.in_a_secret, "Tài liệu mật về cải cách hành chính", secrecy=1),
        incoming_make(world.b, world.in_b, "Tài liệu của sở khác về cải cách hành chính"),
        outgoing_make(world.a, world.specialist_a, "Tài liệu dự thảo cải cách hành chính", status="in_review"),
        outgoing_make(world.a, world.clerk_a, "Tài liệu ban hành cải cách hành chính", status="issued"),
    ]
    assign(docs[1], world.leader_a, assignee=world.specialist_b)  # even across agencies, the assignee sees it
    index_now(*docs)
    for user in (world.clerk_a, world.leader_a, world.specialist_a, world.other_specialist_a, world.clerk_b,
                 world.specialist_b):
        expected = {str(u) for u in incoming_visible_to(user).values_list("uuid", flat=True)}
        expected |= {str(u) for u in outgoing_visible_to(user).values_list("uuid", flat=True)}
        assert set(_found(user, "cai cach hanh chinh")) == expected, user.username


def test_highlighting_escapes_document_html(world, client):
    doc = incoming_make(world.a, world.in_a, "<img src=x onerror=alert(1)> Báo cáo đất đai",
                        body="Phần mở đầu <script>alert('xss')</script> nói về quản lý đất đai & tài nguyên.")
    index_now(doc)
    hit = documents_search(user=world.clerk_a, query="dat dai").hits[0]
    assert "&lt;img" in hit.summary_html and "<img" not in hit.summary_html
    assert "&lt;script&gt;" in hit.snippet_html and "<script>" not in hit.snippet_html
    assert "<mark>đất</mark> <mark>đai</mark>" in hit.snippet_html and "&amp;" in hit.snippet_html
    client.force_login(world.clerk_a)
    html = client.get(reverse("documents:search"), {"q": "dat dai"}).content.decode()
    assert "<script>alert('xss')" not in html and "<img src=x" not in html and "<mark>đất</mark>" in html


def _api(client, user, **params) -> list[str]:
    client.force_login(user)
    return [i["uuid"] for i in client.get("/api/v1/documents/search", params).json()["items"]]


def test_filters(world, client):
    march = incoming_make(world.a, world.in_a, "Báo cáo tháng ba", issued=dt.date(2025, 3, 5),
                          doc_type=world.decision, issuer="Sở Tài chính", status="assigned")
    june = incoming_make(world.a, world.in_a_secret, "Báo cáo tháng sáu", issued=dt.date(2025, 6, 5),
                         doc_type=world.letter, issuer="Bộ Tư pháp")
    outgoing = outgoing_make(world.a, world.clerk_a, "Báo cáo gửi tỉnh", issued=dt.date(2025, 6, 20),
                             register=world.out_a)
    index_now(march, june, outgoing)
    user = world.leader_a
    assert set(_found(user, "bao cao")) == {str(march.uuid), str(june.uuid), str(outgoing.uuid)}
    assert _found(user, "bao cao", direction="outgoing") == [str(outgoing.uuid)]
    assert _found(user, "bao cao", type_code="cong-van") == [str(june.uuid)]
    assert _found(user, "bao cao", issuer="tai chinh") == [str(march.uuid)]
    assert _found(user, "bao cao", status="assigned") == [str(march.uuid)]
    assert _found(user, "bao cao", register=str(world.in_a_secret.uuid)) == [str(june.uuid)]
    assert _api(client, user, q="bao cao", register=str(world.in_a_secret.uuid)) == [str(june.uuid)]
    assert set(_found(user, "bao cao", date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30))) == {
        str(june.uuid), str(outgoing.uuid)}
    assert _found(user, "", date_to=dt.date(2025, 3, 31)) == [str(march.uuid)]  # filters alone, newest first


def test_rebuild_command_restores_the_index_from_the_database(world):
    kept = incoming_make(world.a, world.in_a, "Công văn về chuyển đổi số")
    index_now(kept)
    backends.index_upsert([backends.IndexDoc(key="incoming:stale", direction="incoming", uuid="stale",
                                             summary="Chuyển đổi số (đã xóa)", principals=[f"a:{world.a.pk}"])])
    unindexed = outgoing_make(world.a, world.clerk_a, "Kế hoạch chuyển đổi số năm 2025")
    assert set(_found(world.clerk_a, "chuyen doi so")) == {str(kept.uuid), "stale"}
    out = io.StringIO()
    call_command("search_rebuild", stdout=out)
    assert set(_found(world.clerk_a, "chuyen doi so")) == {str(kept.uuid), str(unindexed.uuid)}
    assert "2/2 văn bản (100%)" in out.getvalue() and "Đã lập chỉ mục 2 văn bản" in out.getvalue()


def test_changes_reach_the_index_on_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = incoming_make(world.a, world.in_a, "Giấy mời họp giao ban", body="Thời gian: 8 giờ sáng thứ hai.")
    assert _found(world.clerk_a, "giao ban") == [str(doc.uuid)]
    with django_capture_on_commit_callbacks(execute=True):
        assign(doc, world.leader_a, assignee=world.specialist_b)
    assert _found(world.specialist_b, "giao ban") == [str(doc.uuid)]
    with django_capture_on_commit_callbacks(execute=True):
        IncomingDocument.objects.filter(pk=doc.pk).update(summary="x")  # no signal: the next save catches up
        doc.refresh_from_db()
        doc.summary = "Giấy mời họp sơ kết"
        doc.save()
    assert _found(world.clerk_a, "giao ban") == [] and _found(world.clerk_a, "so ket") == [str(doc.uuid)]
    with django_capture_on_commit_callbacks(execute=True):
        doc.delete()
    assert _found(world.clerk_a, "so ket") == []
    assert search_index_refresh(keys=[f"outgoing:{uuid.uuid4()}"]) == {"upserted": 0, "deleted": 1}
    assert OutgoingDocument.objects.count() == 0


def test_api_validates_and_pages(world, client):
    docs = [incoming_make(world.a, world.in_a, f"Thông báo số {n} về lịch tiếp công dân") for n in range(25)]
    index_now(*docs)
    client.force_login(world.clerk_a)
    first = client.get("/api/v1/documents/search", {"q": "tiep cong dan", "page_size": 10}).json()
    third = client.get("/api/v1/documents/search", {"q": "tiep cong dan", "page_size": 10, "page": 3}).json()
    assert first["count"] == 25 and first["pages"] == 3 and len(first["items"]) == 10 and len(third["items"]) == 5
    assert first["items"][0]["date"] == "2025-03-10" and "<mark>" in first["items"][0]["summary_html"]
    bad = client.get("/api/v1/documents/search", {"q": "x", "date_from": "31/02/2025"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_date"
    assert client.get("/api/v1/documents/search", {"direction": "sideways"}).status_code == 422
    client.logout()
    assert client.get("/api/v1/documents/search", {"q": "x"}).status_code == 401


def test_page_shows_ranked_hits_with_dates_and_rejects_bad_dates(world, client):
    doc = incoming_make(world.a, world.in_a, "Quyết định thành lập tổ công tác", number_notation="45/QĐ-STP",
                        issued=dt.date(2025, 2, 7), doc_type=world.decision)
    index_now(doc)
    client.force_login(world.specialist_a)
    empty = client.get(reverse("documents:search"))
    assert empty.status_code == 200 and 'name="q"' in empty.content.decode()
    blank = client.get(reverse("documents:search"), {"q": " "}).content.decode()
    assert "Nhập từ khóa hoặc chọn ít nhất một bộ lọc" in blank
    html = client.get(reverse("documents:search"), {"q": "to cong tac"}).content.decode()
    assert "45/QĐ-STP" in html and "07/02/2025" in html and "Tìm thấy 1 văn bản" in html
    assert f'href="{reverse("documents:incoming_detail", args=[doc.uuid])}"' in html
    bad = client.get(reverse("documents:search"), {"q": "x", "tu_ngay": "2025-01-01"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()


def test_api_token_of_an_agency_finds_only_what_every_official_of_it_may_see(world, client):
    from django.utils import timezone

    from egov.apiclients.services import token_issue

    ordinary = incoming_make(world.a, world.in_a, "Thông báo lịch trực tết")
    secret = incoming_make(world.a, world.in_a_secret, "Thông báo mật lịch trực tết", secrecy=1)
    other = incoming_make(world.b, world.in_b, "Thông báo lịch trực tết của sở khác")
    index_now(ordinary, secret, other)
    expires = timezone.now() + dt.timedelta(days=30)
    _, token = token_issue(actor=None, agency=world.a, name="Phần mềm tổng hợp", scopes=["documents:read"],
                           expires_at=expires)
    _, wrong = token_issue(actor=None, agency=world.a, name="Danh bạ", scopes=["directory:read"], expires_at=expires)
    found = client.get("/api/v1/documents/search", {"q": "lich truc tet"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert found.status_code == 200 and [i["uuid"] for i in found.json()["items"]] == [str(ordinary.uuid)]
    refused = client.get("/api/v1/documents/search", {"q": "lich truc tet"}, HTTP_AUTHORIZATION=f"Bearer {wrong}")
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
