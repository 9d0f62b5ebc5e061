"""The search engine on its own (no database): analysis, snippets, ranking, paging, bounded index size."""

import datetime as dt
import threading
import time
import uuid

import pytest

from egov.search.analysis import ParsedQuery, bigrams, notation_terms, syllables, text_forms
from egov.search.backends import IndexDoc, SearchFilters
from egov.search.snippets import highlight_all, snippet
from egov.search.tantivy_backend import TantivyBackend


@pytest.fixture
def engine(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return TantivyBackend(f"t{uuid.uuid4().hex[:8]}")


def _doc(n: int, summary: str, body: str = "", **kw) -> IndexDoc:
    return IndexDoc(key=f"incoming:{n}", direction="incoming", uuid=str(n), summary=summary, body=body,
                    principals=kw.pop("principals", ["a:1"]), **kw)


def _keys(page) -> list[str]:
    return [h.key for h in page.hits]


def test_analysis_forms_and_notation_terms():
    assert syllables("Về việc  ĐĂNG KÝ, khai sinh!") == ["về", "việc", "đăng", "ký", "khai", "sinh"]
    assert bigrams(["hộ", "tịch", "xã"]) == ["hộ_tịch", "tịch_xã"]
    forms = text_forms("Đất đai Năm Căn")
    assert forms["f"] == "dat dai nam can" and forms["bf"] == "dat_dai dai_nam nam_can"
    assert forms["be"] == "đất_đai đai_năm năm_căn"
    terms = notation_terms("123/QĐ-UBND")
    assert {"123/qđ-ubnd", "123/qd-ubnd", "qđ-ubnd", "qd-ubnd", "123", "ubnd"} <= set(terms)
    parsed = ParsedQuery("Quyết định 123/QĐ-UBND đất đai")
    assert parsed.notations == ["123/qđ-ubnd"] and parsed.folded == ["quyet", "dinh", "dat", "dai"]
    assert parsed.diacritics and not ParsedQuery("dat dai").diacritics


def test_snippet_marks_folded_matches_and_escapes_html():
    text = "Mở đầu. <script>alert('x')</script> Về quản lý ĐẤT ĐAI tại huyện Năm Căn & vùng ven biển."
    html = snippet(text, {"dat", "dai"})
    assert "<mark>ĐẤT</mark> <mark>ĐAI</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert snippet(text, {"khong", "co"}) == ""
    assert highlight_all("<b>Đê</b> điều", {"de"}) == "&lt;b&gt;<mark>Đê</mark>&lt;/b&gt; điều"
    long_text = "lorem ipsum " * 400 + "báo cáo đê điều" + " dolor" * 400
    cut = snippet(long_text, {"de", "dieu"}, max_chars=120)
    assert cut.startswith("…") and cut.endswith("…") and "<mark>đê</mark> <mark>điều</mark>" in cut
    assert len(cut) < 200


def test_folded_query_diacritics_rank_and_phrase(engine):
    engine.index_upsert([
        _doc(1, "Kế hoạch tu bổ đê điều năm 2025"),
        _doc(2, "Để triển khai kế hoạch năm 2025"),
        _doc(3, "Đăng ký hộ tịch cho trẻ em", body="đăng ký khai sinh và hộ tịch"),
        _doc(4, "Tịch thu tang vật, hộ gia đình vi phạm"),
    ])
    no_marks = engine.search("de", filters=SearchFilters(), principals=["a:1"])
    assert set(_keys(no_marks)) == {"incoming:1", "incoming:2"}
    exact = engine.search("đê", filters=SearchFilters(), principals=["a:1"])
    assert _keys(exact)[0] == "incoming:1"  # agreeing diacritics rank first
    assert _keys(engine.search("để", filters=SearchFilters(), principals=["a:1"]))[0] == "incoming:2"
    phrase = engine.search("ho tich", filters=SearchFilters(), principals=["a:1"])
    assert _keys(phrase) == ["incoming:3", "incoming:4"]  # the phrase first, then both syllables apart
    assert "<mark>" in phrase.hits[0].summary_html


def test_principals_and_filters_inside_the_engine(engine):
    engine.index_upsert([
        _doc(1, "Báo cáo đất đai", principals=["a:1"], date=dt.date(2025, 3, 1), status="registered",
             type_code="bao-cao", issuer="Sở Tài nguyên và Môi trường"),
        _doc(2, "Báo cáo đất đai", principals=["a:2"], date=dt.date(2025, 3, 1), status="registered"),
        _doc(3, "Báo cáo đất đai quý II", principals=["a:1"], date=dt.date(2025, 6, 1), status="done",
             issuer="Sở Tư pháp"),
    ])
    everything = engine.search("dat dai", filters=SearchFilters(), principals=["a:1"])
    assert set(_keys(everything)) == {"incoming:1", "incoming:3"} and everything.total == 2
    assert engine.search("dat dai", filters=SearchFilters(), principals=[]).total == 0
    by_date = SearchFilters(date_from=dt.date(2025, 5, 1), date_to=dt.date(2025, 12, 31))
    assert _keys(engine.search("dat dai", filters=by_date, principals=["a:1"])) == ["incoming:3"]
    assert _keys(engine.search("", filters=SearchFilters(status="registered"), principals=["a:1"])) == [
        "incoming:1"]
    assert _keys(engine.search("bao cao", filters=SearchFilters(type_code="bao-cao"), principals=["a:1"])) == [
        "incoming:1"]
    assert _keys(engine.search("bao cao", filters=SearchFilters(issuer="tu phap"), principals=["a:1"])) == [
        "incoming:3"]


def test_only_the_requested_page_is_fetched(engine):
    engine.index_upsert([_doc(n, f"Công văn số {n} về đất đai") for n in range(45)])
    first = engine.search("đất đai", filters=SearchFilters(), principals=["a:1"], page=1, page_size=20)
    third = engine.search("đất đai", filters=SearchFilters(), principals=["a:1"], page=3, page_size=20)
    assert first.total == 45 and first.pages == 3 and len(first.hits) == 20 and len(third.hits) == 5
    assert not set(_keys(first)) & set(_keys(third))


def test_index_size_stays_bounded_under_repeated_updates(engine):
    docs = [_doc(n, f"Văn bản {n} về cải cách hành chính", body="nội dung " * 300) for n in range(20)]
    engine.index_upsert(docs)
    baseline = engine.stats()
    for _round in range(40):
        engine.index_upsert(docs)
    after = engine.stats()
    assert after["documents"] == 20
    assert after["bytes"] <= baseline["bytes"] * 3 and after["files"] <= baseline["files"] + 12
    engine.index_delete(["incoming:0", "incoming:1"])
    assert engine.stats()["documents"] == 18


def test_a_second_writer_waits_for_the_first(engine):
    """The rebuild command and the worker may overlap: the later writer waits for tantivy's lock, then writes."""
    engine.index_upsert([_doc(1, "Công văn thứ nhất")])
    held = engine._open(create=True).writer(heap_size=15_000_000, num_threads=1)
    release = threading.Timer(0.5, held.wait_merging_threads)  # dropping the writer frees the lock
    release.start()
    started = time.monotonic()
    TantivyBackend(engine.name).index_upsert([_doc(2, "Công văn thứ hai")])
    release.join()
    assert time.monotonic() - started >= 0.4
    assert engine.search("cong van", filters=SearchFilters(), principals=["a:1"]).total == 2
