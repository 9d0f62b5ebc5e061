"""manage.py directory_export <file.xlsx>: the whole directory as a workbook that imports back unchanged."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from egov.directory.excel import export_directory
from egov.directory.excel.exporter import SHEETS

SHEET_NAMES = {"co-quan": "agencies", "phong-ban": "units", "can-bo": "officials"}


class Command(BaseCommand):
    help = "Xuất danh bạ cơ quan, phòng ban, cán bộ ra tệp Excel (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .xlsx sẽ ghi")
        parser.add_argument("--trang", choices=sorted(SHEET_NAMES), action="append",
                            help="Chỉ xuất trang này (có thể lặp lại); mặc định xuất cả ba trang")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError("Tên tệp phải có đuôi .xlsx.")
        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục “{path.parent}”.")
        sheets = tuple(SHEET_NAMES[name] for name in options["trang"]) if options.get("trang") else SHEETS
        path.write_bytes(export_directory(sheets=sheets))
        self.stdout.write(self.style.SUCCESS(f"Đã xuất danh bạ ra “{path}”."))
