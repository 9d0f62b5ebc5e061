from django.core.management.base import BaseCommand, CommandError

from egov.core.errors import DomainError
from egov.onestop.demo import demo_catalogue_load


class Command(BaseCommand):
    help = ("Nạp danh mục 40 thủ tục hành chính mẫu (dữ liệu thật từ CSDL quốc gia về TTHC) kèm quy trình mẫu. "
            "Chạy lại nhiều lần không tạo bản trùng; thủ tục không đổi thì giữ nguyên.")

    def handle(self, *args, **options):
        try:
            report = demo_catalogue_load()
        except DomainError as exc:
            details = "\n".join(f"  - {e}" for e in (exc.details or []))
            raise CommandError(f"{exc.message}\n{details}".rstrip()) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(warning))
