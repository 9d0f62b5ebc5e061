from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from egov.core.errors import DomainError
from egov.directory.models import Agency, AgencyKind
from egov.onestop.generate import generate_year
from egov.onestop.models import Procedure


class Command(BaseCommand):
    help = ("Sinh dữ liệu hồ sơ một cửa của một năm cho tỉnh mẫu (thử tải, trình diễn): hồ sơ, các bước xử lý, "
            "lịch sử, số liệu tổng hợp. Chạy lại sau khi bị ngắt thì tiếp tục từ ngày chưa sinh. Cần danh bạ mẫu và "
            "danh mục thủ tục mẫu; lệnh tự nạp nếu chưa có.")

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=300_000, help="Số hồ sơ cần sinh (mặc định 300.000)")
        parser.add_argument("--year", type=int, default=None, help="Năm tiếp nhận (mặc định năm nay)")
        parser.add_argument("--seed", type=int, default=2026,
                            help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)")
        parser.add_argument("--batch-size", type=int, default=5000, help="Số dòng mỗi lần ghi (mặc định 5.000)")

    def handle(self, *args, n, year, seed, batch_size, verbosity, **options):
        from django.utils import timezone

        year = year or timezone.localdate().year
        if not Agency.objects.filter(kind__in=(AgencyKind.COMMUNE, AgencyKind.WARD)).exists():
            self.stdout.write("Chưa có danh bạ tỉnh mẫu: nạp bằng load_demo…")
            call_command("load_demo", verbosity=0)
        if not Procedure.objects.filter(current_version__isnull=False).exists():
            self.stdout.write("Chưa có danh mục thủ tục: nạp bằng onestop_load_demo…")
            call_command("onestop_load_demo", verbosity=0)
        progress = self.stdout.write if verbosity >= 1 else None
        try:
            report = generate_year(n=n, year=year, seed=seed, batch_size=batch_size, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if report.codes_assigned and progress is None:
            self.stdout.write(f"Gán mã định danh tạm cho {len(report.codes_assigned)} cơ quan chưa có mã.")
        self.stdout.write(self.style.SUCCESS(report.summary()))
