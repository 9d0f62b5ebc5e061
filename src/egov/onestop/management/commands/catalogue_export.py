from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.onestop.catalogue_io import catalogue_export_json, catalogue_export_xlsx


class Command(BaseCommand):
    help = "Xuất toàn bộ danh mục thủ tục hành chính (mọi phiên bản) ra tệp .json hoặc .xlsx (theo đuôi tệp)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp đích, đuôi .json hoặc .xlsx")

    def handle(self, *args, **options):
        path = Path(options["file"])
        suffix = path.suffix.lower()
        if suffix not in {".json", ".xlsx"}:
            raise CommandError("Tệp đích phải có đuôi .json hoặc .xlsx.")
        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục “{path.parent}”.")
        data = catalogue_export_json() if suffix == ".json" else catalogue_export_xlsx()
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp “{path}”: {exc.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Đã xuất danh mục ra {path} ({len(data):,} byte).".replace(",", ".")))
