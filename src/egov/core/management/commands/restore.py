"""manage.py restore DIR: rebuild an empty instance from a backup, then prove every table and file came back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Khôi phục CSDL và tệp tải lên từ một thư mục sao lưu vào hệ thống đang cấu hình (CSDL phải trống, "
            "trừ khi có --force). Kiểm tra mã kiểm tra trước khi ghi; sau khi ghi, so số dòng và mã kiểm tra "
            "từng bảng, từng tệp với manifest và kiểm tra chuỗi nhật ký kiểm toán. Dừng web và tác vụ nền trước.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Thư mục sao lưu (có manifest.json)")
        parser.add_argument("--force", action="store_true",
                            help="Xóa dữ liệu đang có của CSDL đích rồi ghi đè (không thể hoàn tác)")

    def handle(self, *args, **options):
        try:
            report = backup_restore(folder=options["folder"], force=options["force"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"Khôi phục thất bại: {exc}") from None
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"  khác: {problem}"))
        audit = report.audit
        audit_line = (f"nhật ký kiểm toán toàn vẹn ({audit.checked} bản ghi)" if audit.ok else
                      f"nhật ký kiểm toán bị phá vỡ tại bản ghi số {audit.broken_seq}: {audit.reason}")
        if report.problems:
            raise CommandError(f"Khôi phục xong nhưng {len(report.problems)} bảng/tệp khác bản sao lưu "
                               f"(đầu tiên: {report.problems[0]}); {audit_line}.")
        if not audit.ok:
            raise CommandError(f"Khôi phục xong, các bảng và tệp khớp bản sao lưu, nhưng {audit_line}.")
        rows = f"{report.rows:,}".replace(",", ".")
        self.stdout.write(self.style.SUCCESS(
            f"Khôi phục xong: {report.tables} bảng, {rows} dòng, {report.files} tệp khớp bản sao lưu "
            f"(số dòng và mã kiểm tra); {audit_line}."))
