"""Online submission: the happy path into the reception queue, and every refusal leaving nothing behind."""

import pytest
from django.urls import reverse

from egov.core.errors import DomainError, NotFound, PermissionDeniedError
from egov.eservices.forms import paper_field_name
from egov.eservices.services import dossier_submit_online
from egov.eservices.tests.conftest import declaration, papers_of
from egov.onestop import reception
from egov.onestop.models import Dossier, DossierEvent, DossierFile
from egov.onestop.policies import dossiers_visible_to
from egov.onestop.tests import factories


def _post_data(world, **overrides) -> dict:
    data = {
        "applicant_phone": "0912345678", "applicant_email": "an@example.vn", "applicant_address": "Ấp 1",
        "agency": world["commune"].code, "tk-ho_ten_tre": "Nguyễn Văn Bé", "tk-ngay_sinh": "2025-06-01",
        "tk-gioi_tinh": "Nam", "tk-can_nang": "3,2",
    }
    for paper in papers_of(world["procedure"]):
        data[paper_field_name(paper)] = factories.upload(f"giay-{paper.order}.pdf")
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _stored_files(settings) -> set:
    media = settings.MEDIA_ROOT / "onestop"
    return {path for path in media.rglob("*") if path.is_file()} if media.exists() else set()


def _nothing_stored():
    assert Dossier.objects.count() == 0
    assert DossierFile.objects.count() == 0
    assert DossierEvent.objects.count() == 0


@pytest.mark.django_db
def test_citizen_submits_online_into_the_agency_reception_queue(client, world):
    client.force_login(world["citizen"])
    url = reverse("eservices:submit", args=["1.001193"])
    form = client.get(url)
    assert form.status_code == 200
    page = form.content.decode()
    assert "Họ, chữ đệm, tên của trẻ" in page and "Giấy chứng sinh" in page and "0912345678" in page
    assert "Căn cước của người đi đăng ký" not in page.split("Thành phần hồ sơ</legend>")[1]  # shown, not uploaded
    response = client.post(url, _post_data(world, **{"tk-can_nang": "3.25"}))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response["Location"] == reverse("eservices:dossier", args=[dossier.uuid])
    assert (dossier.status, dossier.channel, dossier.code) == ("submitted", "online", None)
    assert dossier.receiving_agency == dossier.current_agency == world["commune"]
    assert dossier.applicant_user == world["citizen"] and dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.applicant_id_number == "096085000123" and dossier.result_delivery == "online"
    assert dossier.form_data == {"ho_ten_tre": "Nguyễn Văn Bé", "ngay_sinh": "2025-06-01", "gioi_tinh": "Nam",
                                 "can_nang": 3.25}
    files = list(dossier.files.order_by("required_paper__order"))
    assert [f.required_paper.name for f in files] == ["Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh"]
    assert all(f.content_type == "application/pdf" and f.role == "paper" for f in files)
    event = dossier.events.get()
    assert (event.kind, event.to_status, event.public) == ("submit", "submitted", True)
    detail = client.get(response["Location"]).content.decode()
    assert "Mới đăng ký" in detail and "mã trạng thái 1" in detail and "Đã nộp hồ sơ trực tuyến" in detail
    # The counter of that commune sees it in its reception queue; the other commune's does not.
    queue = Dossier.objects.filter(receiving_agency=world["commune"], status__in=reception.WAITING)
    assert dossier in dossiers_visible_to(world["officer"], queue)
    assert dossier not in dossiers_visible_to(world["other_officer"], Dossier.objects.all())
    # ...and accepts it with the counter's own service: code, due date, Form 01.
    accepted = reception.dossier_accept(actor=world["officer"], dossier=dossier)
    assert accepted.status == "received" and accepted.code.startswith("000.01.12.H12-")
    detail = client.get(response["Location"]).content.decode()
    assert accepted.code in detail and "Đã tiếp nhận" in detail
    receipt = accepted.files.get(role="form", form_code="01")
    assert f"/tep/{receipt.uuid}/" in detail  # the receipt and appointment slip, downloadable by the citizen
    download = client.get(reverse("eservices:file", args=[accepted.uuid, receipt.uuid]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_another_citizen_cannot_see_the_dossier(client, world, submit):
    dossier = submit()
    client.force_login(world["other_citizen"])
    assert client.get(reverse("eservices:dossier", args=[dossier.uuid])).status_code == 404
    assert dossier.procedure.name not in client.get(reverse("eservices:dossiers")).content.decode()


@pytest.mark.django_db
def test_unknown_procedure_is_a_clear_404(client, world):
    client.force_login(world["citizen"])
    response = client.get(reverse("eservices:submit", args=["9.999999"]))
    assert response.status_code == 404
    assert "Không tìm thấy thủ tục hành chính mã “9.999999”" in response.content.decode()
    assert client.post(reverse("eservices:submit", args=["9.999999"]), _post_data(world)).status_code == 404
    with pytest.raises(NotFound):
        dossier_submit_online(citizen=world["citizen"], procedure_code="9.999999", form_data={}, papers={})
    _nothing_stored()


@pytest.mark.django_db
def test_procedure_without_online_service_is_refused(client, world):
    client.force_login(world["citizen"])
    response = client.post(reverse("eservices:submit", args=["2.000635"]), _post_data(world))
    assert response.status_code == 409
    assert "chưa cung cấp dịch vụ công trực tuyến" in response.content.decode()
    with pytest.raises(DomainError) as caught:
        dossier_submit_online(citizen=world["citizen"], procedure_code="2.000635", form_data={}, papers={})
    assert caught.value.code == "procedure_not_online"
    _nothing_stored()


@pytest.mark.django_db
def test_missing_mandatory_paper_names_it_and_stores_nothing(client, world):
    client.force_login(world["citizen"])
    birth = papers_of(world["procedure"])[1]
    response = client.post(reverse("eservices:submit", args=["1.001193"]),
                           _post_data(world, **{paper_field_name(birth): None}))
    assert response.status_code == 400
    assert "Chưa đính kèm “Giấy chứng sinh”" in response.content.decode()
    with pytest.raises(DomainError, match="Thiếu thành phần hồ sơ bắt buộc: “Giấy chứng sinh”"):
        dossier_submit_online(citizen=world["citizen"], procedure_code="1.001193", form_data=declaration(),
                              papers={str(papers_of(world["procedure"])[0].uuid): factories.upload("a.pdf")},
                              receiving_agency_code=world["commune"].code)
    _nothing_stored()


@pytest.mark.django_db
def test_a_png_named_pdf_is_refused_with_what_it_really_is(client, world, settings):
    client.force_login(world["citizen"])
    first, second = papers_of(world["procedure"])
    before = _stored_files(settings)
    fake = factories.upload("giay-chung-sinh.pdf", factories.png_bytes(), "application/pdf")
    response = client.post(reverse("eservices:submit", args=["1.001193"]),
                           _post_data(world, **{paper_field_name(second): fake}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Giấy chứng sinh: Tệp “giay-chung-sinh.pdf” không phải là tệp PDF thật (nội dung là ảnh PNG)" in page
    _nothing_stored()
    assert _stored_files(settings) == before


@pytest.mark.django_db
def test_declaration_fields_are_validated_per_type(client, world):
    client.force_login(world["citizen"])
    response = client.post(reverse("eservices:submit", args=["1.001193"]), _post_data(
        world, **{"tk-ho_ten_tre": "", "tk-ngay_sinh": "31/02/2025", "tk-gioi_tinh": "Khác", "tk-can_nang": "ba"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("is-invalid") >= 4
    with pytest.raises(DomainError, match="Tờ khai chưa hợp lệ") as caught:
        dossier_submit_online(citizen=world["citizen"], procedure_code="1.001193",
                              form_data=declaration(ngay_sinh="hôm qua"), papers={},
                              receiving_agency_code=world["commune"].code)
    assert set(caught.value.details) == {"ngay_sinh"}
    with pytest.raises(DomainError, match="không thuộc thủ tục"):
        dossier_submit_online(citizen=world["citizen"], procedure_code="1.001193",
                              form_data=declaration(la="x"), papers={})
    _nothing_stored()


@pytest.mark.django_db
def test_receiving_agency_must_be_chosen_among_those_that_handle_it(client, world):
    client.force_login(world["citizen"])
    url = reverse("eservices:submit", args=["1.001193"])
    assert "Ủy ban nhân dân phường An Xuyên" in client.get(url).content.decode()
    assert client.post(url, _post_data(world, agency="")).status_code == 400
    assert client.post(url, _post_data(world, agency=world["department"].code)).status_code == 400
    with pytest.raises(DomainError) as caught:
        dossier_submit_online(citizen=world["citizen"], procedure_code="1.001193", form_data=declaration(),
                              papers={str(p.uuid): factories.upload("a.pdf") for p in papers_of(world["procedure"])},
                              receiving_agency_code=world["department"].code)
    assert caught.value.code == "invalid_agency"
    _nothing_stored()


@pytest.mark.django_db
def test_province_procedure_goes_to_the_department_named_in_its_rules(client, world):
    client.force_login(world["citizen"])
    paper = papers_of(world["province_level"])[0]
    response = client.post(reverse("eservices:submit", args=["1.000001"]), {
        "applicant_phone": "0912345678", "applicant_address": "Ấp 1", "tk-ho_ten_tre": "x",
        paper_field_name(paper): factories.upload("ban-chinh.pdf"),
    })
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.receiving_agency == world["department"] and dossier.result_delivery == "counter"


@pytest.mark.django_db
def test_only_citizens_submit(world):
    with pytest.raises(PermissionDeniedError):
        dossier_submit_online(citizen=world["officer"], procedure_code="1.001193", form_data=declaration(),
                              papers={})
    _nothing_stored()


@pytest.mark.django_db
def test_procedure_list_and_detail_are_public_and_searchable(client, world):
    listing = client.get(reverse("eservices:home"), {"q": "khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in listing and "Cấp bản sao trích lục" not in listing
    folded = client.get(reverse("eservices:home"), {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in folded
    every = client.get(reverse("eservices:home"), {"tat_ca": "1"}).content.decode()
    assert "Cấp bản sao trích lục hộ tịch" in every
    detail = client.get(reverse("eservices:procedure", args=["1.001193"])).content.decode()
    assert "8.000 đ" in detail and "3 ngày làm việc" in detail and "Trực tuyến toàn trình" in detail
    assert "Nộp hồ sơ trực tuyến" in detail
    offline = client.get(reverse("eservices:procedure", args=["2.000635"])).content.decode()
    assert "chưa nộp trực tuyến được" in offline
    assert client.get(reverse("eservices:procedure", args=["0.000000"])).status_code == 404
