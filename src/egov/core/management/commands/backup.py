"""manage.py backup: a consistent copy of the database and the uploaded files, with a manifest of checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Sao lưu CSDL (SQLite: bản sao trực tuyến; PostgreSQL: pg_dump), tệp tải lên và manifest.json có mã "
            "kiểm tra từng bảng, từng tệp. Mặc định vào EGOV_DATA_DIR/backups/<thời điểm>/; chạy được khi hệ "
            "thống đang phục vụ.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Thư mục bản sao lưu (chưa có, hoặc trống)")

    def handle(self, *args, **options):
        try:
            backup_create(output=options["output"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"Sao lưu thất bại: {exc}") from None
