"""The counter pages through Django's test client: access, search and checklist partials, the three outcomes,
errors shown on the page with nothing stored, the waiting queue, and the printed forms."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from egov.onestop.forms_pdf import format_moment
from egov.onestop.models import Channel, Dossier, DossierFile
from egov.onestop.status import DossierStatus
from egov.onestop.tests import factories as f

VN = ZoneInfo("Asia/Ho_Chi_Minh")
COUNTER = "/can-bo/mot-cua/tiep-nhan/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    agency = f.agency_make()
    return {"agency": agency, "officer": f.officer_make(agency), "procedure": f.procedure_make()}


@pytest.fixture
def officer(client, world):
    client.force_login(world["officer"])
    return client


def post_data(world, **extra):
    data = {"procedure_code": world["procedure"].code, "applicant_kind": "person",
            "applicant_name": "Nguyễn Văn Ấn", "applicant_id_number": "096085001234", "copies": "1",
            "result_delivery": "counter", "action": "accept"}
    for paper in f.submit_papers(world["procedure"]):
        data[f"paper_{paper.uuid}"] = f.upload(f"giay-{paper.order}.pdf")
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_access(client, world):
    assert reverse("onestop:counter") == COUNTER
    response = client.get(COUNTER)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    client.force_login(f.user_make("chuyenvien", role="specialist", agency=world["agency"]))
    assert client.get(COUNTER).status_code == 403
    assert client.get(reverse("onestop:counter_procedures") + "?q=khai").status_code == 403


def test_search_and_checklist(officer, world):
    page = officer.get(COUNTER).content.decode()
    assert "Tiếp nhận hồ sơ tại quầy" in page and 'src="/static/onestop/counter.js"' in page
    assert "<script>" not in page  # CSP: no inline scripts

    results = officer.get(reverse("onestop:counter_procedures"), {"q": "dang ky khai sinh"}).content.decode()
    assert "Thủ tục đăng ký khai sinh" in results and "thu_tuc=1.001193" in results
    assert "Không tìm thấy" in officer.get(reverse("onestop:counter_procedures"), {"q": "xyz"}).content.decode()

    checklist = officer.get(reverse("onestop:counter_checklist"), {"thu_tuc": "1.001193"}).content.decode()
    for paper in f.submit_papers(world["procedure"]):
        assert f'name="paper_{paper.uuid}"' in checklist and paper.name in checklist
    assert "Đã đối chiếu bản chính" in checklist and "Căn cước của người đi đăng ký" in checklist
    assert 'value="accept"' in checklist and 'value="supplement"' in checklist and 'value="refuse"' in checklist
    assert "Họ tên trẻ" in checklist  # declaration fields of the procedure
    assert "Không tìm thấy thủ tục" in officer.get(reverse("onestop:counter_checklist"),
                                                   {"thu_tuc": "9.9"}).content.decode()
    # without JavaScript the same choice renders the whole page
    full = officer.get(COUNTER, {"thu_tuc": "1.001193", "q": "khai sinh"}).content.decode()
    assert "2. Kiểm tra thành phần hồ sơ" in full and "Thủ tục đăng ký khai sinh" in full


def test_accept_then_result_page_and_form01(officer, world):
    response = officer.post(COUNTER, post_data(world, **{"form__ho_ten_tre": "Bé Ấn", "shown": "x"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert response["Location"] == reverse("onestop:counter_result", kwargs={"uuid": dossier.uuid})
    assert dossier.status == DossierStatus.RECEIVED and dossier.form_data == {"ho_ten_tre": "Bé Ấn"}
    page = officer.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận hồ sơ" in page and dossier.code in page
    assert "Cần bổ sung" not in page and "register_number" not in page
    assert format_moment(dossier.due_at) in page
    link = reverse("onestop:dossier_form_pdf", kwargs={"ref": dossier.code, "form_code": "01"})
    assert link in page and "In giấy tiếp nhận (Mẫu 01)" in page
    pdf = officer.get(link)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"procedure_code": "9.999999"}, "Không tìm thấy thủ tục hành chính mã “9.999999”"),
        ({"action": "bay"}, "Hãy chọn Tiếp nhận, Yêu cầu bổ sung hoặc Từ chối"),
        ({"applicant_name": ""}, "chưa nhập họ tên"),
        ({"action": "refuse"}, "Cần ghi rõ lý do từ chối"),
    ],
)
def test_errors_are_shown_on_the_page_and_nothing_is_stored(officer, world, changes, fragment):
    response = officer.post(COUNTER, post_data(world, applicant_address="Ấp Tân Hưng", **changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert fragment in page and 'data-testid="reception-error"' in page
    if "procedure_code" not in changes:
        assert 'value="Ấp Tân Hưng"' in page  # what was typed is kept, under the same checklist
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0


def test_missing_paper_and_fake_pdf_on_the_page(officer, world):
    papers = f.submit_papers(world["procedure"])
    data = post_data(world)
    del data[f"paper_{papers[1].uuid}"]
    page = officer.post(COUNTER, data).content.decode()
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc: “Giấy chứng sinh”." in page
    data = post_data(world)
    data[f"paper_{papers[0].uuid}"] = f.upload("to-khai.pdf", f.png_bytes(), "application/pdf")
    response = officer.post(COUNTER, data)
    assert response.status_code == 400
    assert "Tệp “to-khai.pdf” không phải là tệp PDF thật (nội dung là ảnh PNG)." in response.content.decode()
    assert Dossier.objects.count() == 0


def test_supplement_at_the_counter_and_come_back(officer, world):
    papers = f.submit_papers(world["procedure"])
    data = post_data(world, action="supplement", reason="Thiếu giấy chứng sinh", items="")
    del data[f"paper_{papers[1].uuid}"]
    response = officer.post(COUNTER, data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    page = officer.get(response["Location"]).content.decode()
    assert "Đã yêu cầu bổ sung, hoàn thiện hồ sơ" in page and "<li>Bổ sung: Giấy chứng sinh</li>" in page
    assert "Thiếu giấy chứng sinh" in page
    assert "In phiếu yêu cầu bổ sung (Mẫu 02)" in page
    assert officer.get(reverse("onestop:dossier_form_pdf", kwargs={"ref": dossier.uuid, "form_code": "02"})
                       ).status_code == 200

    counter_page = officer.get(COUNTER).content.decode()
    waiting_url = reverse("onestop:counter_waiting", kwargs={"uuid": dossier.uuid})
    assert waiting_url in counter_page and "Hồ sơ đang chờ tiếp nhận" in counter_page
    waiting = officer.get(waiting_url).content.decode()
    assert "Giấy chứng sinh" in waiting and "giay-1.pdf" in waiting
    assert 'value="supplement"' not in waiting  # a counter dossier back from a supplement: accept or refuse
    response = officer.post(waiting_url, {"action": "accept"})
    assert response.status_code == 400 and "Giấy chứng sinh" in response.content.decode()
    response = officer.post(waiting_url, {"action": "accept", f"paper_{papers[1].uuid}": f.upload("cs.pdf")})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED and dossier.code


def test_online_dossier_in_the_queue(officer, world):
    procedure = world["procedure"]
    dossier = Dossier.objects.create(
        procedure=procedure, procedure_version=procedure.current_version, receiving_agency=world["agency"],
        current_agency=world["agency"], status=DossierStatus.SUBMITTED, channel=Channel.ONLINE,
        applicant_name="Phạm Thị Mai", submitted_at=dt.datetime(2025, 7, 11, 20, tzinfo=VN),
    )
    url = reverse("onestop:counter_waiting", kwargs={"uuid": dossier.uuid})
    assert 'value="supplement"' in officer.get(url).content.decode()
    response = officer.post(url, {"action": "supplement", "reason": "Thiếu giấy tờ", "items": "Tải tờ khai"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEPTION_SUPPLEMENT
    response = officer.post(url, {"action": "refuse", "reason": ""})
    assert response.status_code == 400 and "Cần ghi rõ lý do từ chối" in response.content.decode()
    assert officer.post(url, {"action": "refuse", "reason": "Không bổ sung"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.REFUSED
    assert officer.post(url, {"action": "refuse", "reason": "Lại"}).status_code == 409


def test_forms_and_files_of_other_agencies_are_hidden(client, officer, world):
    officer.post(COUNTER, post_data(world))
    dossier = Dossier.objects.get()
    other = f.agency_make(code="SXD", name="Sở Xây dựng", code_qcvn102="000.00.07.H12", code_qd20="H12.07")
    client.force_login(f.officer_make(other, username="motcua.sxd"))
    assert client.get(reverse("onestop:dossier_form_pdf", kwargs={"ref": dossier.code, "form_code": "01"})
                      ).status_code == 404
    assert client.get(reverse("onestop:counter_result", kwargs={"uuid": dossier.uuid})).status_code == 404
    client.force_login(world["officer"])
    assert client.get(reverse("onestop:dossier_form_pdf", kwargs={"ref": dossier.code, "form_code": "07"})
                      ).status_code == 404
