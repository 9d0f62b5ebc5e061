"""The pure functions of the intake pipeline: metadata suggested from realistic headers (as typed, as a PDF's
two-column text layer merges them, as OCR spaces them), and a property test that any generated
number/notation round-trips through the header parser."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.documents.intake.detect import ALLOWED, content_mime, describe
from egov.documents.intake.extract import normalize_text, text_usable
from egov.documents.intake.suggest import (
    TYPE_ABBREVIATIONS,
    TypeRef,
    metadata_suggest,
    parse_date,
    parse_number_notation,
)

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"

SAMPLES = [
    pytest.param(
        f"ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU\nSố: 123/QĐ-UBND\n{MOTTO}\nCà Mau, ngày 05 tháng 01 năm 2026\n\n"
        "QUYẾT ĐỊNH\nVề việc phê duyệt Kế hoạch cải cách hành chính\nnăm 2026\n\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nCăn cứ Luật Tổ chức chính quyền địa phương;",
        {"number_notation": "123/QĐ-UBND", "number": "123", "notation": "QĐ-UBND", "issued_date": "2026-01-05",
         "issuer_name": "ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "type_name": "Quyết định",
         "summary": "Về việc phê duyệt Kế hoạch cải cách hành chính năm 2026"},
        id="quyet-dinh-typed"),
    pytest.param(  # a PDF text layer: both header columns merged line by line
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH CÀ MAU Độc lập - Tự do - Hạnh phúc\n"
        "Số: 15/2024/QĐ-UBND Cà Mau, ngày 13 tháng 11 năm 2024\nQUYẾT ĐỊNH\n"
        "Ban hành Quy định quản lý văn bản điện tử trên địa bàn tỉnh\nỦY BAN NHÂN DÂN TỈNH CÀ MAU",
        {"number_notation": "15/2024/QĐ-UBND", "number": "15", "notation": "2024/QĐ-UBND",
         "issued_date": "2024-11-13", "issuer_name": "ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "type_name": "Quyết định",
         "summary": "Ban hành Quy định quản lý văn bản điện tử trên địa bàn tỉnh"},
        id="qppl-merged-columns"),
    pytest.param(
        f"UBND TỈNH CÀ MAU\nVĂN PHÒNG\nSố: 45/UBND-VP\nV/v tổ chức Hội nghị tổng kết\ncông tác năm 2025\n{MOTTO}\n"
        "Cà Mau, ngày 8 tháng 12 năm 2025\nKính gửi: Các sở, ban, ngành tỉnh",
        {"number_notation": "45/UBND-VP", "notation": "UBND-VP", "issued_date": "2025-12-08",
         "issuer_name": "VĂN PHÒNG", "type_name": "Công văn",
         "summary": "V/v tổ chức Hội nghị tổng kết công tác năm 2025"},
        id="cong-van"),
    pytest.param(  # OCR: spaces around / and -, Eth (U+00D0) for Đ, "Số :" spacing
        "UBND TỈNH CÀ MAU\nSỞ GIÁO DỤC VÀ ÐÀO TẠO\nSố : 07 / KH - SGDÐT\nCà Mau, ngày 02 tháng 3 năm 2026\n\n"
        "KẾ HOẠCH\nTổ chức kỳ thi tuyển sinh lớp 10 năm học 2026 - 2027\n\nI. MỤC ĐÍCH, YÊU CẦU",
        {"number_notation": "07/KH-SGDĐT", "notation": "KH-SGDĐT", "issued_date": "2026-03-02",
         "issuer_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "type_name": "Kế hoạch",
         "summary": "Tổ chức kỳ thi tuyển sinh lớp 10 năm học 2026 - 2027"},
        id="ke-hoach-ocr-spacing"),
    pytest.param(
        f"HỘI ĐỒNG NHÂN DÂN\nTỈNH CÀ MAU\nSố: 12/2025/NQ-HĐND\n{MOTTO}\nCà Mau, ngày 10 tháng 7 năm 2025\n"
        "NGHỊ QUYẾT\nQuy định mức chi hỗ trợ công tác hòa giải ở cơ sở\n"
        "HỘI ĐỒNG NHÂN DÂN TỈNH CÀ MAU\nKHÓA X, KỲ HỌP THỨ 20",
        {"number_notation": "12/2025/NQ-HĐND", "issuer_name": "HỘI ĐỒNG NHÂN DÂN TỈNH CÀ MAU",
         "type_name": "Nghị quyết", "summary": "Quy định mức chi hỗ trợ công tác hòa giải ở cơ sở"},
        id="nghi-quyet-hdnd"),
    pytest.param(
        "UBND HUYỆN NĂM CĂN\nPHÒNG TƯ PHÁP\nSố: 03/TTr-PTP\nNăm Căn, ngày 21 tháng 4 năm 2026\nTỜ TRÌNH\n"
        "Đề nghị thẩm định dự thảo Quyết định\nKính gửi: Ủy ban nhân dân huyện",
        {"number_notation": "03/TTr-PTP", "issuer_name": "PHÒNG TƯ PHÁP", "issued_date": "2026-04-21",
         "type_name": "Tờ trình", "summary": "Đề nghị thẩm định dự thảo Quyết định"},
        id="to-trinh-mixed-case"),
    pytest.param(
        "ỦY BAN NHÂN DÂN\nXÃ TÂN THÀNH\nSố: 09/QyĐ-UBND\nTân Thành, ngày 30 tháng 6 năm 2026\nQUY ĐỊNH\n"
        "Về quy tắc ứng xử của cán bộ, công chức xã\n",
        {"number_notation": "09/QyĐ-UBND", "notation": "QyĐ-UBND", "issuer_name": "ỦY BAN NHÂN DÂN XÃ TÂN THÀNH",
         "type_name": "Quy định", "summary": "Về quy tắc ứng xử của cán bộ, công chức xã"},
        id="quy-dinh-QyD"),
    pytest.param(
        "UBND TỈNH CÀ MAU\nSỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nSố: 02/CTr-SVHTTDL\nCà Mau, ngày 15 tháng 01 năm 2026\n"
        "CHƯƠNG TRÌNH\nCông tác trọng tâm năm 2026\n",
        {"number_notation": "02/CTr-SVHTTDL", "issuer_name": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
         "type_name": "Chương trình", "summary": "Công tác trọng tâm năm 2026"},
        id="chuong-trinh-CTr"),
    pytest.param(
        "BỘ NỘI VỤ\nSố: 05/BNV-VP\nHà Nội, ngày 31 tháng 12 năm 2025\nV/v: hướng dẫn lưu trữ hồ sơ điện tử\n"
        "Kính gửi: Ủy ban nhân dân các tỉnh",
        {"number_notation": "05/BNV-VP", "issuer_name": "BỘ NỘI VỤ", "issued_date": "2025-12-31",
         "type_name": "Công văn", "summary": "V/v: hướng dẫn lưu trữ hồ sơ điện tử"},
        id="bo-noi-vu"),
    pytest.param(  # right column merged into the summary's line; the summary goes on below
        "SỞ TƯ PHÁP\nSố: 45/STP-VP\nV/v triển khai Luật Hộ tịch Cà Mau, ngày 13 tháng 11 năm 2019\nnăm 2014\n\n"
        "Kính gửi: Ủy ban nhân dân các huyện",
        {"summary": "V/v triển khai Luật Hộ tịch năm 2014", "issued_date": "2019-11-13", "type_name": "Công văn"},
        id="summary-merged-with-date"),
    pytest.param(
        "SỞ TƯ PHÁP\nSố: 46/STP-VP\nV/v báo cáo công tác hộ tịch\nNăm Căn, ngày 9 tháng 9 năm 2026\nKính gửi: A",
        {"summary": "V/v báo cáo công tác hộ tịch", "issued_date": "2026-09-09"},
        id="summary-then-date-line"),
    pytest.param(  # a narrow right column wraps the motto; merged with the left column line by line
        "UBND TỈNH CÀ MAU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\nSỞ NỘI VỤ NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 1234/SNV-TCBC Cà Mau, ngày 20 tháng 10 năm 2025\nV/v góp ý dự thảo Đề án\nvị trí việc làm\n",
        {"issuer_name": "SỞ NỘI VỤ", "issuer_parent": "UBND TỈNH CÀ MAU", "number_notation": "1234/SNV-TCBC",
         "summary": "V/v góp ý dự thảo Đề án vị trí việc làm"},
        id="motto-wrapped"),
    pytest.param(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH QUẢNG NAM\nSố: 5/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc A",
        {"issuer_name": "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM", "number_notation": "5/QĐ-UBND"},
        id="province-named-nam"),
    pytest.param(  # no type line: the type comes from the abbreviation in the notation
        "ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nSố: 210/TB-UBND\nCà Mau, ngày 29 tháng 02 năm 2024\n",
        {"number_notation": "210/TB-UBND", "issued_date": "2024-02-29", "type_name": "Thông báo"},
        id="type-from-notation-leap-day"),
]


@pytest.mark.parametrize(("text", "expected"), SAMPLES)
def test_metadata_suggested_from_header(text, expected):
    got = metadata_suggest(text)
    assert {key: got[key] for key in expected} == expected


def test_every_key_present_even_for_empty_text():
    got = metadata_suggest("")
    assert set(got) >= {"number_notation", "number", "notation", "issued_date", "issuer_name", "type_code",
                        "type_name", "summary"}
    assert all(value == "" for value in got.values())


def test_type_code_from_reference_data():
    types = [TypeRef("quyet-dinh", "Quyết định", "QĐ"), TypeRef("cong-van", "Công văn", "")]
    got = metadata_suggest("ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nSố: 1/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc thử", types=types)
    assert (got["type_code"], got["type_name"]) == ("quyet-dinh", "Quyết định")
    got = metadata_suggest("SỞ TƯ PHÁP\nSố: 2/STP-VP\nV/v thử nghiệm", types=types)
    assert (got["type_code"], got["type_name"]) == ("cong-van", "Công văn")


@pytest.mark.parametrize(("text", "expected"), [
    ("Cà Mau, ngày 05 tháng 01 năm 2026", dt.date(2026, 1, 5)),
    ("ngày 13 tháng 11 năm 2019", dt.date(2019, 11, 13)),
    ("Năm Căn, ngày  1  tháng  2  năm  2020", dt.date(2020, 2, 1)),
    ("ngày 31 tháng 02 năm 2026 ... ngày 01 tháng 03 năm 2026", dt.date(2026, 3, 1)),  # invalid first is skipped
    ("ngày    tháng    năm 2026", None),  # an unfilled form
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("value", ["QĐ-UBND", "123", "123/", "/QĐ-UBND", "123/qđ-ubnd", "12a/QĐ", "1/QĐ--UBND"])
def test_parse_number_notation_refuses(value):
    assert parse_number_notation(value) is None


def test_detect_and_text_helpers():
    assert content_mime(b"") is None
    assert content_mime(b"Xin chao") == "text/plain"
    assert describe("application/x-msdownload") == "chương trình chạy được (EXE)"
    assert set(ALLOWED) == {"application/pdf", "image/png", "image/jpeg", "image/tiff",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    assert normalize_text("a\r\n\r\n\r\n\x00b  c ") == "a\n\nb c"
    assert not text_usable("~ . ,", 1) and text_usable("Quyết định về việc phê duyệt kế hoạch năm 2026", 1)


# --- property: any number/notation written in a header is read back as written -----------------------------
AGENCY_CODES = st.text(alphabet="ABCDEGHKLMNPQRSTUVXYĐ", min_size=2, max_size=8).filter(lambda s: s[0] != "Đ" or
                                                                                        len(s) > 1)
TYPE_CODES = st.sampled_from(sorted({abbr for abbr in TYPE_ABBREVIATIONS.values() if abbr} | {"SY", "TrS", "SL"}))


@st.composite
def number_notations(draw):
    number = draw(st.integers(min_value=1, max_value=99999))
    width = draw(st.sampled_from([1, 2, 5]))
    number_text = str(number).zfill(width)
    groups = []
    if draw(st.booleans()):
        groups.append(draw(TYPE_CODES))  # a typed document: QĐ-UBND; otherwise a Công văn: UBND-VP
    groups.append(draw(AGENCY_CODES))
    if draw(st.booleans()) or len(groups) == 1:
        groups.append(draw(AGENCY_CODES))
    notation = "-".join(groups)
    if draw(st.booleans()):
        notation = f"{draw(st.integers(min_value=1990, max_value=2099))}/{notation}"
    return number_text, notation


@settings(max_examples=300, deadline=None)
@given(number_notations(), st.sampled_from(["Số: {}", "Số:{}", "Số {}", "Số : {}"]), st.booleans())
def test_number_notation_round_trips(value, template, merged):
    number, notation = value
    written = f"{number}/{notation}"
    line = template.format(written)
    if merged:  # the right column on the same line, as a two-column PDF text layer gives it
        line += " Cà Mau, ngày 05 tháng 01 năm 2026"
    text = f"ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU\n{line}\n{MOTTO}\nQUYẾT ĐỊNH\nVề việc thử nghiệm"
    got = metadata_suggest(text)
    assert (got["number"], got["notation"], got["number_notation"]) == (number, notation, written)
    assert parse_number_notation(written) == (number, notation)
    assert got["issuer_name"] == "ỦY BAN NHÂN DÂN TỈNH CÀ MAU"


HEADERISH = st.sampled_from(list("Số:/-QĐUBNDngàytháng năm0123456789 ,.VvỦYĐỘCLẬP\n")) | st.characters()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=HEADERISH, max_size=60), max_size=30))
def test_any_text_gives_strings_never_an_exception(lines):
    got = metadata_suggest("\n".join(lines))
    assert all(isinstance(value, str) for value in got.values())
    if got["issued_date"]:
        dt.date.fromisoformat(got["issued_date"])
    if got["number_notation"]:
        assert parse_number_notation(got["number_notation"]) == (got["number"], got["notation"])
