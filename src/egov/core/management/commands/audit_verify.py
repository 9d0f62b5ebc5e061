from django.core.management.base import BaseCommand, CommandError

from egov.core.audit import audit_chain_verify


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký kiểm toán (chuỗi băm). Thoát khác 0 nếu có bản ghi bị sửa/xoá."

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"Nhật ký kiểm toán bị phá vỡ tại bản ghi số {report.broken_seq}: {report.reason} "
                f"({report.checked} bản ghi trước đó hợp lệ)."
            )
        self.stdout.write(self.style.SUCCESS(f"Nhật ký kiểm toán toàn vẹn: {report.checked} bản ghi."))
