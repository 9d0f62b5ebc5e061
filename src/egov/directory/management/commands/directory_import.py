"""manage.py directory_import <file.xlsx>: import agencies, units and officials; all or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from egov.core.errors import DomainError
from egov.directory.excel import import_directory


class Command(BaseCommand):
    help = "Nhập danh bạ cơ quan, phòng ban, cán bộ từ tệp Excel (.xlsx). Có lỗi thì không nhập dòng nào."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra tệp, không ghi dữ liệu")
        parser.add_argument("--user", help="Tên đăng nhập của người nhập (để ghi nhật ký và kiểm tra quyền)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{path}”.")
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản “{options['user']}”.")
        try:
            with path.open("rb") as fh:
                report = import_directory(actor=actor, source=fh, dry_run=options["dry_run"])
        except DomainError as exc:
            for detail in exc.details or []:
                self.stderr.write(f"[{detail['sheet']}] {detail['message']}")
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
