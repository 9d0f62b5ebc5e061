"""Demo PKI so that `make run` can sign: a demo root CA in DATA_DIR/pki/ (trusted by the verification page)
and a signing credential for every leader and for every agency that has a leader or a clerk.

Idempotent: the CA is made once (its key kept encrypted beside it); a user or agency that already has a
valid credential is skipped. Never for production: real certificates come from VGCA or a public CA.
"""

import io

from django.core.management.base import BaseCommand
from django.db import transaction

from egov.accounts.roles import Role
from egov.directory.models import Official
from egov.documents import signing
from egov.documents.services.signatures import (
    agency_credential,
    credential_create,
    demo_pki_dir,
    private_key_encrypt,
    private_key_load,
    user_credential,
)

CA_NAME = "CA Demo Hệ thống eGov Cà Mau (chỉ dùng thử)"


def demo_ca():
    """(key, cert) of the demo root, created on first use under DATA_DIR/pki/."""
    folder = demo_pki_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "root-ca.pem", folder / "root-ca.key"
    if cert_path.is_file() and key_path.is_file():
        return private_key_load(key_path.read_text()), signing.load_pem_certificates(cert_path.read_bytes())[0]
    key, cert = signing.make_root(CA_NAME, org="Demo eGov Cà Mau")
    key_path.write_text(private_key_encrypt(key))
    key_path.chmod(0o600)
    cert_path.write_text(signing.cert_pem(cert))
    return key, cert


def _font(size: int):
    from PIL import ImageFont

    for path in signing.FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def signature_png(name: str) -> bytes:
    """A handwriting-like stroke with the given name's last word: stands for a scanned signature."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (240, 90), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.text((20, 14), name.split()[-1] if name.split() else name, font=_font(40), fill=(0, 0, 0, 255))
    draw.line([(12, 72), (80, 62), (160, 76), (228, 58)], fill=(0, 0, 0, 255), width=3)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def seal_png(abbreviation: str) -> bytes:
    """A round seal with two rings, a star and the agency's abbreviation (red is applied when stamping)."""
    from PIL import Image, ImageDraw

    size = 200
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, size - 4, size - 4), outline=(0, 0, 0, 255), width=6)
    draw.ellipse((30, 30, size - 30, size - 30), outline=(0, 0, 0, 255), width=3)
    draw.regular_polygon((size // 2, size // 2 - 22, 22), 5, rotation=0, fill=(0, 0, 0, 255))
    font = _font(24)
    width = draw.textlength(abbreviation, font=font)
    draw.text(((size - width) / 2, size // 2 + 8), abbreviation, font=font, fill=(0, 0, 0, 255))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


class Command(BaseCommand):
    help = "Tạo CA demo và chứng thư ký số cho lãnh đạo và cơ quan demo (chạy lại không tạo trùng)."

    @transaction.atomic
    def handle(self, *args, **options):
        ca_key, ca_cert = demo_ca()
        officials = (Official.objects.filter(is_active=True, user__is_active=True,
                                             user__role__in=[Role.LEADER, Role.CLERK])
                     .select_related("user", "agency").order_by("agency__code", "user__username"))
        people = agencies = 0
        seen = set()
        for official in officials:
            user, agency = official.user, official.agency
            if user.role == Role.LEADER and user_credential(user) is None:
                name = user.full_name or user.get_username()
                key, cert = signing.issue_certificate(ca_key=ca_key, ca_cert=ca_cert, cn=name, org=agency.name)
                credential_create(key=key, cert=cert, chain=[ca_cert], user=user, label=f"{name} (demo)",
                                  image=signature_png(name))
                people += 1
            if agency.pk not in seen:
                seen.add(agency.pk)
                if agency_credential(agency) is None:
                    key, cert = signing.issue_certificate(ca_key=ca_key, ca_cert=ca_cert, cn=agency.name,
                                                          org=agency.name)
                    credential_create(key=key, cert=cert, chain=[ca_cert], agency=agency,
                                      label=f"{agency.name} (demo)", image=seal_png(agency.abbreviation))
                    agencies += 1
        self.stdout.write(f"Chữ ký số demo: CA tại {demo_pki_dir()}; thêm {people} chứng thư lãnh đạo, "
                          f"{agencies} chứng thư cơ quan.")
