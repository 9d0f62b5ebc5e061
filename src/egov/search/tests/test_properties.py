"""Property tests: whatever an official types, and whatever a document contains, search answers a page (never an
exception) and its HTML carries no markup but our own <mark>."""

import re
import uuid

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from egov.search.backends import IndexDoc, SearchFilters
from egov.search.snippets import highlight_all, snippet
from egov.search.tantivy_backend import TantivyBackend

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÊƯ"
TEXT = st.text(alphabet=st.sampled_from(list(VIETNAMESE + " /-.<>&\"'*:()[]^~0123456789\t\n")), max_size=80)
ONLY_MARK = re.compile(r"</?(?!mark>)[a-zA-Z]")


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=TEXT, text=TEXT)
def test_snippets_never_let_markup_through(query, text):
    terms = set(re.findall(r"\w+", query.lower()))
    for html in (snippet(text, terms), highlight_all(text, terms)):
        assert not ONLY_MARK.search(html)


def test_any_query_answers_a_page(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    engine = TantivyBackend(f"p{uuid.uuid4().hex[:8]}")
    engine.index_upsert([IndexDoc(key="incoming:1", direction="incoming", uuid="1", number_notation="12/QĐ-UBND",
                                  summary="Quyết định <b>về</b> đất đai", body="Nội dung: đê điều & thủy lợi.",
                                  principals=["a:1"])])

    @given(query=TEXT, page=st.integers(min_value=-3, max_value=5))
    @hypothesis_settings(max_examples=60, deadline=None)
    def check(query, page):
        result = engine.search(query, filters=SearchFilters(issuer=query[:20]), principals=["a:1"], page=page)
        assert result.total >= len(result.hits) and result.page >= 1
        for hit in result.hits:
            assert not ONLY_MARK.search(hit.summary_html + hit.snippet_html)

    check()
