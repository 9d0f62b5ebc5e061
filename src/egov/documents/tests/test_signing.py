"""PAdES signing and verification over bytes (egov.documents.signing): no database."""

import io
from datetime import UTC, datetime, timedelta

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.documents import signing
from egov.documents.tests import pki

PERSON_TEXT = "CHỦ TỊCH\n\n\n\n\nNguyễn Văn Ấn\nKý số: {time}"


@pytest.fixture(scope="module")
def keys():
    ca = pki.test_ca()
    person = pki.issue("Nguyễn Văn Ấn", ca=ca)
    agency = pki.issue("Ủy ban nhân dân tỉnh Cà Mau", ca=ca)
    return {"ca": ca, "person": person, "agency": agency}


def _sign_person(pdf, keys, **kwargs):
    key, cert = keys["person"]
    media = signing.page_info(pdf)[1][-1]
    options = {"field_name": "NguoiKy1", "box": signing.person_box(media), "page": -1, "stamp_text": PERSON_TEXT,
               "stamp_image": pki.ink_png(), "reason": "Ký ban hành", "location": "Cà Mau"} | kwargs
    return signing.sign_pdf(pdf, key=key, cert=cert, chain=[keys["ca"].cert], **options)


def _sign_agency(pdf, keys):
    key, cert = keys["agency"]
    person = signing.signature_boxes(pdf)[-1][2]
    return signing.sign_pdf(pdf, key=key, cert=cert, chain=[keys["ca"].cert], field_name="CoQuan2",
                            box=signing.agency_box(person), page=-1, stamp_text="Ủy ban nhân dân tỉnh Cà Mau\n{time}",
                            stamp_image=pki.seal_png(), reason="Phát hành", location="Cà Mau", mode="agency")


@pytest.fixture(scope="module")
def both(keys):
    """A two-page PDF signed by the person, then by the agency (an incremental update each)."""
    original = pki.sample_pdf(pages=2)
    person = _sign_person(original, keys)
    return original, person, _sign_agency(person, keys)


def test_person_then_agency_both_intact_and_trusted(both, keys):
    original, person, signed = both
    assert signed.startswith(person) and person.startswith(original), "each signature is an incremental update"
    infos = signing.pdf_signatures(signed, trust_roots=[keys["ca"].cert])
    assert [i.field_name for i in infos] == ["NguoiKy1", "CoQuan2"]
    first, second = infos
    assert first.signer == "Nguyễn Văn Ấn" and second.signer == "Ủy ban nhân dân tỉnh Cà Mau"
    assert first.issuer == "CA Kiểm thử eGov Cà Mau"
    for info in infos:
        assert info.ok, info.summary
        assert info.intact and info.trusted and info.valid_at_signing_time and not info.modified_after_signing
        assert abs(info.signing_time - datetime.now(UTC)) < timedelta(minutes=5)
    assert first.reason == "Ký ban hành" and first.location == "Cà Mau"
    assert not first.covers_whole_document and second.covers_whole_document
    assert first.summary.startswith("Chữ ký hợp lệ của Nguyễn Văn Ấn, ký lúc ")


def test_subfilter_is_pades_and_agency_box_overlaps_a_third_on_the_left(both):
    _original, _person, signed = both
    pdf = pikepdf.open(io.BytesIO(signed))
    sigs = [f for f in pdf.Root.AcroForm.Fields if f.get("/FT") == "/Sig"]
    assert {str(f.V.SubFilter) for f in sigs} == {"/ETSI.CAdES.detached"}
    person = [float(v) for v in sigs[0].Rect]
    agency = [float(v) for v in sigs[1].Rect]
    width = person[2] - person[0]
    assert agency[2] == pytest.approx(person[0] + width / 3, abs=1.5)
    assert agency[0] < person[0]
    assert sigs[0].P.objgen == pdf.pages[1].objgen, "default place: the last page"


def test_appearance_embeds_a_vietnamese_font_and_renders_the_text(both):
    _original, _person, signed = both
    pdf = pikepdf.open(io.BytesIO(signed))
    fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"]
    assert any("/FontFile2" in f and ("Noto" in str(f.FontName) or "DejaVu" in str(f.FontName)) for f in fonts)
    pypdfium2 = pytest.importorskip("pypdfium2")
    doc = pypdfium2.PdfDocument(signed)
    doc.init_forms()
    image = doc[1].render(scale=1, may_draw_forms=True).to_pil().convert("RGB")
    # Blue ink of the person's box and red ink of the agency's box are drawn on the page.
    colors = image.getcolors(maxcolors=1 << 20)
    assert any(b > 120 and r < 60 for _n, (r, g, b) in colors)
    assert any(r > 150 and g < 60 and b < 60 for _n, (r, g, b) in colors)


def test_attachment_mark_top_right_of_first_page_without_image(keys):
    key, cert = keys["agency"]
    pdf = pki.sample_pdf(pages=2)
    media = signing.page_info(pdf)[1][0]
    box = signing.attachment_box(media)
    signed = signing.sign_pdf(pdf, key=key, cert=cert, chain=[keys["ca"].cert], field_name="PhuLuc1", box=box,
                              page=0, stamp_text="Số: 12/QĐ-UBND\n{time}", mode="attachment")
    assert box[2] > 500 and box[3] > 780
    name, page, rect = signing.signature_boxes(signed)[0]
    assert (name, page) == ("PhuLuc1", 0) and rect == pytest.approx(box, abs=1)
    assert b"/Subtype /Image" not in signed and b"/Subtype/Image" not in signed
    assert signing.pdf_signatures(signed, trust_roots=[keys["ca"].cert])[0].ok


def test_appended_bytes_are_reported_as_altered(both, keys):
    infos = signing.pdf_signatures(both[2] + b"\n% appended by someone\n", trust_roots=[keys["ca"].cert])
    assert infos and all(i.modified_after_signing and not i.ok for i in infos)
    assert "ghi thêm dữ liệu" in infos[-1].summary


def test_changed_byte_inside_the_signed_range_breaks_integrity(both, keys):
    signed = bytearray(both[2])
    at = signed.find(b"Van ban mau 1")
    signed[at] = ord("W")
    infos = signing.pdf_signatures(bytes(signed), trust_roots=[keys["ca"].cert])
    assert len(infos) == 2 and not any(i.intact for i in infos)
    assert "không còn toàn vẹn" in infos[0].summary


def test_incremental_update_with_new_content_is_reported(both, keys):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(both[2]))
    page_ref = writer.find_page_for_modification(0)[1]
    stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 500 Td (SUA DOI) Tj ET"))
    writer.add_stream_to_page(0, stream)
    writer.update_container(page_ref.get_object())
    out = io.BytesIO()
    writer.write(out)
    infos = signing.pdf_signatures(out.getvalue(), trust_roots=[keys["ca"].cert])
    assert all(i.intact for i in infos), "the bytes each signature covers are untouched"
    assert all(i.modified_after_signing and not i.ok for i in infos)
    assert "sửa nội dung sau khi ký" in infos[-1].summary


def test_unknown_root_is_untrusted(both):
    infos = signing.pdf_signatures(both[2], trust_roots=[pki.unknown_ca().cert])
    assert all(i.intact and not i.trusted and not i.ok for i in infos)
    assert "không do tổ chức chứng thực tin cậy cấp" in infos[0].summary
    assert not any(i.trusted for i in signing.pdf_signatures(both[2], trust_roots=[]))


def test_expired_certificate_is_invalid_at_signing_time(keys):
    key, cert = pki.issue("Trần Thị Hết Hạn", expired=True)
    signed = signing.sign_pdf(pki.sample_pdf(), key=key, cert=cert, chain=[keys["ca"].cert], field_name="NguoiKy1",
                              box=(300, 100, 500, 210), stamp_text="Trần Thị Hết Hạn\n{time}")
    (info,) = signing.pdf_signatures(signed, trust_roots=[keys["ca"].cert])
    assert info.intact and not info.valid_at_signing_time and not info.ok
    assert "không còn hiệu lực tại thời điểm ký" in info.summary and info.summary.count("hiệu lực") == 1


@pytest.mark.parametrize("data, message", [
    (b"", "không phải là tệp PDF"),
    (b"PK\x03\x04 a zip file", "không phải là tệp PDF"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "bị hỏng"),
])
def test_bad_files_give_an_error_line_not_an_exception(data, message):
    (info,) = signing.pdf_signatures(data, trust_roots=[])
    assert message in info.error and info.summary == info.error and not info.ok


def test_truncated_signed_pdf_gives_an_error_line(both):
    infos = signing.pdf_signatures(both[2][: len(both[2]) // 2], trust_roots=[])
    assert infos and all(not i.ok for i in infos)
    assert all(i.summary for i in infos)


def test_unsigned_pdf_has_no_signatures():
    assert signing.pdf_signatures(pki.sample_pdf(), trust_roots=[]) == []


def test_signing_a_broken_file_or_a_missing_page_raises_signing_error(keys):
    key, cert = keys["person"]
    common = {"key": key, "cert": cert, "field_name": "X", "box": (10, 10, 100, 100), "stamp_text": "x"}
    with pytest.raises(signing.SigningError, match="không phải là tệp PDF"):
        signing.sign_pdf(b"hello", **common)
    with pytest.raises(signing.SigningError, match="bị hỏng"):
        signing.sign_pdf(b"%PDF-1.4\ngarbage", **common)
    with pytest.raises(signing.SigningError, match="Trang 5"):
        signing.sign_pdf(pki.sample_pdf(), page=4, **common)


@pytest.fixture(scope="module")
def signed_once(keys):
    return _sign_person(pki.sample_pdf(), keys)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damage_gives_lines_never_an_exception(signed_once, keys, data):
    """Cut, flipped, inserted or appended bytes anywhere: verification answers, and never says "valid"
    for bytes that are not the signed ones (unless the change falls outside what any check reads)."""
    original = signed_once
    kind = data.draw(st.sampled_from(["cut", "flip", "insert", "append"]))
    at = data.draw(st.integers(min_value=0, max_value=len(original) - 1))
    if kind == "cut":
        damaged = original[:at]
    elif kind == "flip":
        damaged = original[:at] + bytes([original[at] ^ data.draw(st.integers(1, 255))]) + original[at + 1:]
    elif kind == "insert":
        damaged = original[:at] + data.draw(st.binary(min_size=1, max_size=20)) + original[at:]
    else:
        damaged = original + data.draw(st.binary(min_size=1, max_size=40))
    infos = signing.pdf_signatures(damaged, trust_roots=[keys["ca"].cert])
    assert isinstance(infos, list)
    for info in infos:
        assert info.summary
    if kind in ("cut", "insert") and infos and infos[0].signer:
        assert not infos[0].ok, infos[0].summary


def _nested_landscape_pdf() -> bytes:
    """Three pages in a two-level page tree, the landscape media box inherited from the root."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 3 /MediaBox [0 0 842 595] >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << >> >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
        b"<< /Type /Page /Parent 6 0 R /Contents 4 0 R /Resources << >> >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 7 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 6 0 R /Contents 4 0 R /Resources << >> /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_nested_page_tree_and_inherited_media_box(keys):
    pdf = _nested_landscape_pdf()
    count, boxes = signing.page_info(pdf)
    assert count == 3 and boxes == [(0, 0, 842, 595), (0, 0, 842, 595), (0, 0, 595, 842)]
    key, cert = keys["person"]
    signed = signing.sign_pdf(pdf, key=key, cert=cert, chain=[keys["ca"].cert], field_name="NguoiKy1",
                              box=signing.person_box(boxes[1]), page=1, stamp_text="A\n{time}")
    ((_name, page, rect),) = signing.signature_boxes(signed)
    assert page == 1 and rect[2] > 600
    assert signing.pdf_signatures(signed, trust_roots=[keys["ca"].cert])[0].ok


def test_key_usage_digital_signature_is_enough_key_agreement_is_not(keys):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    ca = keys["ca"]
    key, cert = signing.issue_certificate(ca_key=ca.key, ca_cert=ca.cert, cn="Chỉ ký số", non_repudiation=False)
    signed = signing.sign_pdf(pki.sample_pdf(), key=key, cert=cert, chain=[ca.cert], field_name="A",
                              box=(300, 100, 500, 210), stamp_text="{time}")
    assert signing.pdf_signatures(signed, trust_roots=[ca.cert])[0].ok
    key = signing.new_key()
    now = datetime.now(UTC)
    usage = x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=True, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Y")]))
            .issuer_name(ca.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(usage, critical=True).sign(ca.key, hashes.SHA256()))
    signed = signing.sign_pdf(pki.sample_pdf(), key=key, cert=cert, chain=[ca.cert], field_name="A",
                              box=(300, 100, 500, 210), stamp_text="{time}")
    (info,) = signing.pdf_signatures(signed, trust_roots=[ca.cert])
    assert info.intact and not info.trusted and "mục đích sử dụng khóa" in info.summary


def test_intermediate_ca_in_the_chain_verifies_against_the_root_only(keys):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    ca, now = keys["ca"], datetime.now(UTC)
    inter_key = signing.new_key()
    sign_only = x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                              encipher_only=False, decipher_only=False)
    inter = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME,
                                                                                  "CA trung gian")]))
             .issuer_name(ca.cert.subject).public_key(inter_key.public_key())
             .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
             .not_valid_after(now + timedelta(days=300))
             .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
             .add_extension(sign_only, critical=True).sign(ca.key, hashes.SHA256()))
    key, cert = signing.issue_certificate(ca_key=inter_key, ca_cert=inter, cn="Người ký")
    for chain, ok in (([inter, ca.cert], True), ([], False)):
        signed = signing.sign_pdf(pki.sample_pdf(), key=key, cert=cert, chain=chain, field_name="A",
                                  box=(300, 100, 500, 210), stamp_text="{time}")
        (info,) = signing.pdf_signatures(signed, trust_roots=[ca.cert])
        assert info.ok is ok and info.issuer == "CA trung gian"


def test_password_protected_pdf_says_so(keys):
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pki.sample_pdf())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="chu", user="mat-khau"))
    (info,) = signing.pdf_signatures(out.getvalue(), trust_roots=[keys["ca"].cert])
    assert "mã hóa" in info.error
    key, cert = keys["person"]
    with pytest.raises(signing.SigningError, match="mã hóa"):
        signing.sign_pdf(out.getvalue(), key=key, cert=cert, field_name="A", box=(10, 10, 100, 100), stamp_text="x")
