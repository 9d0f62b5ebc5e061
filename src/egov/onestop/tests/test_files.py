"""Uploads checked by content, stored at unguessable paths, served only after a permission check."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from django.urls import reverse
from hypothesis import strategies as st

from egov.core.errors import DomainError
from egov.onestop import files, reception
from egov.onestop.models import DossierFile, FileRole
from egov.onestop.tests import factories as f

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("to-khai.pdf", f.pdf_bytes(), files.MIME_PDF),
        ("anh.PNG", f.png_bytes(), files.MIME_PNG),
        ("anh.jpg", f.jpeg_bytes(), files.MIME_JPEG),
        ("anh.jpeg", f.jpeg_bytes(), files.MIME_JPEG),
        ("van-ban.docx", f.docx_bytes(), files.MIME_DOCX),
        ("bang-tinh.xlsx", f.xlsx_bytes(), files.MIME_XLSX),
    ],
)
def test_accepted_types(name, content, mime):
    checked = files.upload_check(f.upload(name, content, "application/octet-stream"))
    assert checked.kind.mime == mime
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("giay.pdf", f.png_bytes(), "Tệp “giay.pdf” không phải là tệp PDF thật (nội dung là ảnh PNG)."),
        ("giay.pdf", "Tôi là văn bản".encode(),
         "Tệp “giay.pdf” không phải là tệp PDF thật (nội dung là văn bản thuần)."),
        ("anh.png", f.pdf_bytes(), "Tệp “anh.png” không phải là ảnh PNG thật (nội dung là tệp PDF)."),
        ("anh.jpg", f.png_bytes(), "Tệp “anh.jpg” không phải là ảnh JPEG thật (nội dung là ảnh PNG)."),
        ("bang.docx", f.xlsx_bytes(), "Tệp “bang.docx” không phải là tài liệu Word (DOCX) thật "
                                      "(nội dung là bảng tính Excel (XLSX))."),
        ("chuong-trinh.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100,
         "Tệp “chuong-trinh.pdf” không phải là tệp PDF thật (nội dung là chương trình chạy được (EXE))."),
        ("nen.xlsx", b"PK\x03\x04" + b"\x00" * 30, "Tệp “nen.xlsx” không phải là bảng tính Excel (XLSX) thật"),
        ("ngau-nhien.pdf", bytes(range(256)) * 4, "(nội dung là không xác định được)"),
    ],
)
def test_content_that_does_not_match_its_name_is_refused(name, content, message):
    with pytest.raises(DomainError) as info:
        files.upload_check(f.upload(name, content))
    assert info.value.code == "file_content_mismatch"
    assert info.value.status == 400
    assert message in info.value.message


@pytest.mark.parametrize(("name", "code"), [
    ("virus.exe", "file_type_not_allowed"), ("khong-duoi", "file_type_not_allowed"),
    ("tai-lieu.doc", "file_type_not_allowed"), ("", "file_name_missing"),
])
def test_names_refused(name, code):
    with pytest.raises(DomainError) as info:
        files.upload_check(f.upload("x.pdf"), name=name)
    assert info.value.code == code


def test_empty_and_too_large(settings):
    with pytest.raises(DomainError) as info:
        files.upload_check(f.upload("rong.pdf", b""))
    assert info.value.code == "file_empty"
    settings.ONESTOP_MAX_UPLOAD_MB = 1
    big = f.pdf_bytes() + b"%" * (1024 * 1024)
    with pytest.raises(DomainError) as info:
        files.upload_check(f.upload("lon.pdf", big))
    assert info.value.code == "file_too_large"
    assert "vượt quá giới hạn 1 MB" in info.value.message and "1,0 MB" in info.value.message


def test_clean_filename():
    assert files.clean_filename("C:\\Users\\An\\Giấy khai sinh.pdf") == "Giấy khai sinh.pdf"
    assert files.clean_filename("../../etc/passwd.pdf") == "passwd.pdf"
    assert files.clean_filename("a\x00b\nc.pdf") == "abc.pdf"
    long = files.clean_filename("x" * 400 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")


@pytest.fixture
def received(db):
    agency = f.agency_make()
    officer = f.officer_make(agency)
    procedure = f.procedure_make()
    dossier = reception.dossier_receive_at_counter(
        actor=officer, agency=agency, procedure_code=procedure.code, applicant=reception.Applicant(name="Võ Văn Kiệt"),
        papers=f.papers_for(procedure), received_at=dt.datetime(2025, 7, 14, 9, tzinfo=VN),
    )
    return {"agency": agency, "officer": officer, "dossier": dossier}


def test_download_needs_permission(client, received):
    scan = DossierFile.objects.filter(dossier=received["dossier"], role=FileRole.PAPER).first()
    url = reverse("onestop:dossier_file", kwargs={"file_uuid": scan.uuid})

    response = client.get(url)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]

    stranger_agency = f.agency_make(code="SXD", name="Sở Xây dựng", code_qcvn102="000.00.07.H12",
                                    code_qd20="H12.07")
    client.force_login(f.officer_make(stranger_agency, username="motcua.sxd"))
    assert client.get(url).status_code == 404
    client.force_login(f.user_make("congdan.khac", role="citizen"))
    assert client.get(url).status_code == 404

    client.force_login(received["officer"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "inline" in response["Content-Disposition"] and "giay-to-1.pdf" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == scan.sha256
    response = client.get(url + "?tai_ve=1")
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("onestop:dossier_file", kwargs={"file_uuid": "00000000-0000-0000-0000-000000000000"})
                      ).status_code == 404


def test_media_path_reveals_nothing(received):
    for record in DossierFile.objects.filter(dossier=received["dossier"]):
        assert record.file.name == f"onestop/{received['dossier'].uuid}/{record.uuid}"
        assert "." not in record.file.name.rsplit("/", 1)[1]


def test_selector_rejects_bad_ids(received):
    for bad in ("khong-phai-uuid", None, 42):
        with pytest.raises(DomainError) as info:
            files.dossier_file_for(user=received["officer"], file_uuid=bad)
        assert info.value.status == 404


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(name=st.text(max_size=300), content=st.binary(max_size=4096))
def test_any_upload_is_accepted_or_refused_with_a_vietnamese_error(name, content):
    """Whatever a client sends as name and content, the answer is a checked file or a 400 DomainError."""
    try:
        checked = files.upload_check(f.upload("x.pdf", content), name=name)
    except DomainError as error:
        assert error.status == 400 and error.message.startswith("Tệp")
    else:
        assert checked.kind.mime in files.KINDS and checked.size == len(content) > 0
