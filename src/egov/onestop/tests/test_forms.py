"""Forms 01, 02, 03 as real PDFs: A5, Vietnamese text extractable, the code, applicant, due date, a QR code
that encodes the public lookup URL; the versioned registry of form templates."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import segno
from pypdf import PdfReader

from egov.core.errors import DomainError
from egov.onestop import forms_pdf, reception
from egov.onestop.models import DossierFile, FileRole
from egov.onestop.tests import factories as f

VN = ZoneInfo("Asia/Ho_Chi_Minh")
A5_POINTS = (419.5, 595.3)


def pdf_of(record: DossierFile) -> PdfReader:
    record.file.open("rb")
    try:
        data = record.file.read()
    finally:
        record.file.close()
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def link_targets(reader: PdfReader) -> list[str]:
    targets = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if action.get("/URI"):
                targets.append(action["/URI"])
    return targets


def page_size(reader: PdfReader) -> tuple[float, float]:
    box = reader.pages[0].mediabox
    return round(float(box.width), 1), round(float(box.height), 1)


@pytest.fixture
def world(db, settings):
    settings.SITE_URL = "https://dichvucong.camau.gov.vn"
    agency = f.agency_make()
    officer = f.officer_make(agency, full_name="Lê Thị Tiếp Nhận", phone="0290 3822 111")
    return {"agency": agency, "officer": officer, "procedure": f.procedure_make()}


def test_form01_is_an_a5_pdf_with_code_applicant_due_date_and_qr(world):
    dossier = reception.dossier_receive_at_counter(
        actor=world["officer"], agency=world["agency"], procedure_code=world["procedure"].code,
        applicant=reception.Applicant(name="Nguyễn Thị Ửng", address="Ấp Cái Nước, xã Năm Căn", phone="0912345678"),
        papers=f.papers_for(world["procedure"]), received_at=dt.datetime(2025, 7, 14, 15, 30, tzinfo=VN),
    )
    record = DossierFile.objects.get(dossier=dossier, role=FileRole.FORM, form_code="01")
    reader = pdf_of(record)
    assert page_size(reader) == A5_POINTS
    text = text_of(reader)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert dossier.code in text
    assert "Nguyễn Thị Ửng" in text and "Ấp Cái Nước, xã Năm Căn" in text
    assert "Thủ tục đăng ký khai sinh" in text
    assert "Tờ khai đăng ký khai sinh theo mẫu" in text and "Giấy chứng sinh" in text
    # received 15:30 Monday, after the cut-off: counted from Tuesday, 3 working days, due Friday at closing
    assert "15 giờ 30 phút, ngày 14/07/2025" in text
    assert "17 giờ 00 phút, ngày 18/07/2025" in text
    assert "3 ngày làm việc" in text
    assert "8.000 đ" in text
    assert "Lê Thị Tiếp Nhận" in text
    assert "Mẫu số 01" in text and "03/2025/TT-VPCP" in text
    assert f"Số thứ tự: {dossier.register_number}" in text
    lookup = f"https://dichvucong.camau.gov.vn/tra-cuu/?ma={dossier.code}"
    assert lookup in link_targets(reader)
    assert len(reader.pages) == 1
    # the QR is drawn as vector paths: the page's drawing has the QR's modules as path segments
    content = reader.pages[0].get_contents().get_data()
    assert content.count(b" l\n") + content.count(b" h\n") > 50


def test_qr_code_encodes_the_lookup_url():
    url = forms_pdf.lookup_url("000.00.05.H12-250714-0001")
    assert url.endswith("/tra-cuu/?ma=000.00.05.H12-250714-0001")
    svg = str(forms_pdf.qr_svg(url))
    assert svg.startswith("<svg") and 'class="segno"' in svg
    expected = segno.make(url, error="m")
    path = re.search(r' d="([^"]+)"', svg).group(1)
    # segno draws one horizontal run per group of dark modules: rebuild the matrix from the path
    rebuilt = _matrix_from_path(path, expected.symbol_size()[0])
    assert rebuilt == [[bool(v) for v in row] for row in expected.matrix_iter(border=4)]


def _matrix_from_path(path: str, size: int) -> list[list[bool]]:
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, a, b in re.findall(r"([mMh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y - 0.5)
            for col in range(int(x), int(x + float(a))):
                grid[row][col] = True
            x += float(a)
    return grid


def test_form02_lists_what_to_add_and_who_guides(world):
    dossier = reception.dossier_request_supplement_at_reception(
        actor=world["officer"], agency=world["agency"], procedure_code=world["procedure"].code,
        applicant=reception.Applicant(name="Trần Văn Bổ Sung"), reason="Tờ khai chưa có chữ ký của người yêu cầu",
        items="Ký tờ khai đăng ký khai sinh\nBản chính giấy chứng sinh", received_at=dt.datetime(2025, 7, 14, 9,
                                                                                                 tzinfo=VN),
    )
    reader = pdf_of(DossierFile.objects.get(dossier=dossier, form_code="02"))
    assert page_size(reader) == A5_POINTS
    text = text_of(reader)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Trần Văn Bổ Sung" in text
    assert "Ký tờ khai đăng ký khai sinh" in text and "Bản chính giấy chứng sinh" in text
    assert "Tờ khai chưa có chữ ký của người yêu cầu" in text
    assert "Lê Thị Tiếp Nhận" in text and "0290 3822 111" in text
    assert "Mẫu số 02" in text


def test_form03_carries_the_reason(world):
    dossier = reception.dossier_refuse_at_reception(
        actor=world["officer"], agency=world["agency"], procedure_code=world["procedure"].code,
        applicant=reception.Applicant(name="Đặng Thị Từ Chối"), reason="Hồ sơ không thuộc thẩm quyền giải quyết",
        received_at=dt.datetime(2025, 7, 14, 9, tzinfo=VN),
    )
    text = text_of(pdf_of(DossierFile.objects.get(dossier=dossier, form_code="03")))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Đặng Thị Từ Chối" in text and "Hồ sơ không thuộc thẩm quyền giải quyết" in text
    assert "Mẫu số 03" in text


def test_form_versions_follow_the_date():
    old = forms_pdf.form_template("01", on=dt.date(2024, 12, 31))
    new = forms_pdf.form_template("01", on=dt.date(2025, 7, 1))
    assert old.version == "2018" and "01/2018/TT-VPCP" in old.legal_basis
    assert new.version == "2025" and "03/2025/TT-VPCP" in new.legal_basis
    assert forms_pdf.form_template("05", on=dt.date(2026, 1, 1)).number == "06"  # renumbered in the 2025 set
    assert forms_pdf.form_template("06").page_size.startswith("A4")
    assert all(forms_pdf.form_template(c).page_size == "A5" for c in ("01", "02", "03", "04", "05"))
    assert forms_pdf.form_template("01", on=dt.date(2010, 1, 1)).version == "2018"
    with pytest.raises(DomainError) as info:
        forms_pdf.form_template("99")
    assert info.value.code == "unknown_form" and info.value.status == 404


def test_formatting_helpers():
    moment = dt.datetime(2025, 7, 14, 1, 5, tzinfo=dt.UTC)
    assert forms_pdf.format_moment(moment) == "14/07/2025 08:05"
    assert forms_pdf.format_moment_long(moment) == "08 giờ 05 phút, ngày 14/07/2025"
    assert forms_pdf.format_date_long(dt.date(2025, 7, 4)) == "ngày 04 tháng 07 năm 2025"
    assert forms_pdf.format_days(2.5) == "2,5" and forms_pdf.format_days(3) == "3"
    assert forms_pdf.place_name() == "Cà Mau"
