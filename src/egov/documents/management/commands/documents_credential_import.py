"""Import a signing certificate with its key from a PKCS#12 file (.p12/.pfx) for an official or an agency.

The software fallback for real certificates (a token/HSM or remote signing service is the proper place for
keys): the key is re-encrypted with the key derived from SECRET_KEY. The PKCS#12 password is read from the
environment variable named by --password-env (default EGOV_P12_PASSWORD), never from the command line.
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management.base import BaseCommand, CommandError

from egov.accounts.models import User
from egov.core.errors import DomainError
from egov.directory.models import Agency
from egov.documents.services.signatures import credential_create


class Command(BaseCommand):
    help = "Nhập chứng thư ký số (tệp PKCS#12 .p12/.pfx) cho một cán bộ hoặc một cơ quan."

    def add_arguments(self, parser):
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--user", help="tên đăng nhập của người ký")
        owner.add_argument("--agency", help="mã cơ quan (chữ ký số của cơ quan)")
        parser.add_argument("--p12", required=True, help="đường dẫn tệp .p12/.pfx")
        parser.add_argument("--password-env", default="EGOV_P12_PASSWORD",
                            help="tên biến môi trường chứa mật khẩu tệp .p12 (mặc định EGOV_P12_PASSWORD)")
        parser.add_argument("--image", help="ảnh PNG nền trong suốt: chữ ký (người) hoặc con dấu (cơ quan)")
        parser.add_argument("--label", default="", help="tên gợi nhớ")

    def handle(self, *args, **options):
        try:
            data = Path(options["p12"]).read_bytes()
            image = Path(options["image"]).read_bytes() if options["image"] else None
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp: {exc}") from None
        password = os.environ.get(options["password_env"])
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
        except ValueError:
            raise CommandError("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp hỏng.") from None
        if key is None or cert is None:
            raise CommandError("Tệp PKCS#12 không có khóa bí mật và chứng thư số.")
        user = agency = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có tài khoản {options['user']}.")
        else:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"Không có cơ quan mã {options['agency']}.")
        try:
            credential = credential_create(key=key, cert=cert, chain=list(extra or []), user=user, agency=agency,
                                           label=options["label"], image=image)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Đã nhập chứng thư {credential.serial} ({credential.label}), hiệu lực đến "
                          f"{credential.valid_to:%d/%m/%Y}.")
