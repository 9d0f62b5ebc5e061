import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from egov.apiclients.scopes import SCOPES
from egov.apiclients.services import token_issue
from egov.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Cấp mã truy cập API cho một cơ quan. Mã (bí mật) được in ra đầu ra chuẩn đúng một lần; "
        "các thông tin khác in ra stderr, nên có thể dùng TOKEN=$(manage.py apitoken_issue ...)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Mã cơ quan (Agency.code)")
        parser.add_argument("--name", required=True, help="Tên hệ thống sử dụng mã")
        parser.add_argument("--scopes", required=True, help=f"Các phạm vi, cách nhau bởi dấu phẩy: {', '.join(SCOPES)}")
        parser.add_argument("--days", type=int, default=90, help="Số ngày hiệu lực (mặc định 90, tối đa 366)")
        parser.add_argument("--by", default=None, help="Tên đăng nhập của quản trị viên cấp mã (ghi vào nhật ký)")

    def handle(self, *args, **options):
        from egov.directory.models import Agency

        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"Không tìm thấy cơ quan có mã “{options['agency']}”.")
        actor = None
        if options["by"]:
            actor = get_user_model().objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError(f"Không tìm thấy người dùng “{options['by']}”.")
        if not 1 <= options["days"] <= 366:
            raise CommandError("--days phải từ 1 đến 366.")
        try:
            token, secret = token_issue(
                actor=actor, agency=agency, name=options["name"], scopes=options["scopes"].split(","),
                expires_at=timezone.now() + dt.timedelta(days=options["days"]),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        local_expiry = timezone.localtime(token.expires_at)
        self.stderr.write(
            f"Đã cấp mã truy cập “{token.name}” cho {agency} (tiền tố {token.prefix}, phạm vi "
            f"{', '.join(token.scopes)}, hết hạn {local_expiry:%d/%m/%Y %H:%M}). "
            "Mã dưới đây chỉ hiển thị một lần:",
            style_func=str,
        )
        self.stdout.write(secret)
