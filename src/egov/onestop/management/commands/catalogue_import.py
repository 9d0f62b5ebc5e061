from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.core.errors import DomainError
from egov.onestop.catalogue_io import MAX_IMPORT_BYTES, catalogue_import


class Command(BaseCommand):
    help = ("Nhập danh mục thủ tục hành chính từ tệp JSON hoặc Excel (.xlsx). Tệp có lỗi thì không nhập phần nào "
            "và thoát với mã khác 0, liệt kê từng lỗi kèm số dòng.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .json hoặc .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì vào CSDL.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{path}”.")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(f"Tệp quá lớn (tối đa {MAX_IMPORT_BYTES // (1024 * 1024)} MB).")
        try:
            report = catalogue_import(actor=None, data=path.read_bytes(), dry_run=options["dry_run"])
        except DomainError as exc:
            lines = [exc.message] if not exc.details else ["Tệp không hợp lệ, không nhập phần nào:"]
            lines += [f"  - {e}" for e in (exc.details or [])]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(warning))
