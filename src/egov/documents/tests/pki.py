"""Test-time PKI: a root CA (made once per test session), person and agency certificates, credentials.

Usage in a test that signs and verifies::

    from egov.documents.tests import pki

    def test_issue(world, settings):
        pki.credentials_for(users=[leader], agencies=[agency])        # SigningCredential rows
        settings.DOCUMENTS_TRUST_ROOTS = pki.trust_roots_paths()      # or: with pki.trust_roots_setting(): ...
        signed = person_sign_pdf(user=leader, pdf=pki.sample_pdf(), reason="Ký ban hành")
        signed = agency_sign_pdf(agency=agency, pdf=signed, number_notation="12/QĐ-UBND", issued_at=now)
        assert all(s.ok for s in pdf_verify(signed))

EC P-256 keys keep it fast (a key and a certificate take about a millisecond).
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from django.test import override_settings

from egov.documents import signing


@dataclass(frozen=True)
class TestCA:
    key: object
    cert: x509.Certificate
    pem_path: str

    __test__ = False  # not a pytest test class


def _make_ca(cn: str) -> TestCA:
    key, cert = signing.make_root(cn, org="Kiểm thử eGov")
    folder = Path(tempfile.mkdtemp(prefix="egov-pki-"))
    path = folder / "root.pem"
    path.write_text(signing.cert_pem(cert))
    return TestCA(key=key, cert=cert, pem_path=str(path))


@lru_cache(maxsize=1)
def test_ca() -> TestCA:
    """The trusted root of the tests (one per session)."""
    return _make_ca("CA Kiểm thử eGov Cà Mau")


test_ca.__test__ = False


@lru_cache(maxsize=1)
def unknown_ca() -> TestCA:
    """A root nobody configured: signatures under it verify as untrusted."""
    return _make_ca("CA lạ không được tin cậy")


def issue(cn: str, *, ca: TestCA | None = None, expired: bool = False, org: str = ""):
    """(key, certificate) for ``cn`` from ``ca``; ``expired`` gives one that ended yesterday."""
    ca = ca or test_ca()
    kwargs = {}
    if expired:
        now = datetime.now(UTC)
        kwargs = {"not_before": now - timedelta(days=400), "not_after": now - timedelta(days=1)}
    return signing.issue_certificate(ca_key=ca.key, ca_cert=ca.cert, cn=cn, org=org, **kwargs)


def trust_roots_paths(*cas: TestCA) -> list[str]:
    """Value for settings.DOCUMENTS_TRUST_ROOTS (default: the session's test CA)."""
    return [ca.pem_path for ca in (cas or (test_ca(),))]


def trust_roots_setting(*cas: TestCA):
    """``override_settings`` trusting the given roots (default: the test CA); a context manager or decorator."""
    return override_settings(DOCUMENTS_TRUST_ROOTS=trust_roots_paths(*cas))


def ink_png(color=(0, 0, 0), size=(160, 70)) -> bytes:
    """A small transparent PNG with a stroke: stands for a handwritten signature or a seal."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.line([(8, h - 10), (w // 3, 8), (2 * w // 3, h - 8), (w - 8, 12)], fill=(*color, 255), width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def seal_png(size: int = 120) -> bytes:
    """A round seal-like PNG (two rings) with a transparent background."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((3, 3, size - 3, size - 3), outline=(200, 0, 0, 255), width=4)
    draw.ellipse((18, 18, size - 18, size - 18), outline=(200, 0, 0, 255), width=2)
    draw.regular_polygon((size // 2, size // 2, size // 6), 5, fill=(200, 0, 0, 255))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def sample_pdf(pages: int = 1, text: str = "Van ban mau") -> bytes:
    """A tiny A4 PDF of ``pages`` pages with one line of (ASCII) text each."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    name = generic.pdf_name
    writer = PdfFileWriter()
    font = writer.add_object(generic.DictionaryObject({
        name("/Type"): name("/Font"), name("/Subtype"): name("/Type1"), name("/BaseFont"): name("/Helvetica")}))
    for ix in range(pages):
        stream = generic.StreamObject(stream_data=f"BT /F1 12 Tf 72 760 Td ({text} {ix + 1}) Tj ET".encode())
        resources = generic.DictionaryObject({name("/Font"): generic.DictionaryObject({name("/F1"): font})})
        writer.insert_page(PageObject(contents=writer.add_object(stream), media_box=(0, 0, 595, 842),
                                      resources=resources))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def credentials_for(*, users=(), agencies=(), ca: TestCA | None = None, expired: bool = False,
                    images: bool = True) -> dict:
    """SigningCredential rows for each user and agency, keyed by the user or agency object."""
    from egov.documents.services.signatures import credential_create

    ca = ca or test_ca()
    result = {}
    for user in users:
        key, cert = issue(user.full_name or user.get_username(), ca=ca, expired=expired)
        result[user] = credential_create(key=key, cert=cert, chain=[ca.cert], user=user,
                                         image=ink_png() if images else None)
    for agency in agencies:
        key, cert = issue(agency.name, ca=ca, expired=expired, org=agency.name)
        result[agency] = credential_create(key=key, cert=cert, chain=[ca.cert], agency=agency,
                                           image=seal_png() if images else None)
    return result
