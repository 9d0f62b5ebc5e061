"""manage.py load_demo: the demo province (new Cà Mau), safe to run at every start."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.core.errors import DomainError
from egov.directory.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = ("Nạp dữ liệu mẫu tỉnh Cà Mau (từ 01/07/2025): UBND tỉnh, Văn phòng, các sở, 64 xã, phường, "
            "cán bộ mẫu cho mọi vai trò. Chạy lại nhiều lần không tạo trùng, không đặt lại mật khẩu.")

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true",
                            help="Đưa các bản ghi mẫu đã có về giá trị gốc (trừ mật khẩu)")
        parser.add_argument("--allow-production", action="store_true",
                            help="Cho phép chạy với cấu hình production (tài khoản mẫu có mật khẩu công khai)")
        parser.add_argument("--quiet-table", action="store_true", help="Không in bảng tài khoản mẫu")

    def handle(self, *args, **options):
        if str(getattr(settings, "SETTINGS_MODULE", "")).endswith(".production") and not options["allow_production"]:
            raise CommandError("Không nạp dữ liệu mẫu trên hệ thống production: các tài khoản mẫu dùng mật khẩu "
                               "công khai. Dùng --allow-production nếu thật sự cần.")
        started = time.perf_counter()
        try:
            report = load_demo(sync=options["sync"])
        except DomainError as exc:
            raise CommandError(f"Không nạp được dữ liệu mẫu: {exc.message}") from None
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{report.summary()} ({elapsed:.1f} giây)"))
        if options["quiet_table"]:
            return
        headers = ("Tên đăng nhập", "Vai trò", "Cơ quan")
        widths = [max(len(headers[i]), *(len(row[i]) for row in report.logins)) for i in range(3)]
        line = "+".join("-" * (w + 2) for w in widths)
        self.stdout.write("Tài khoản mẫu:")
        self.stdout.write(line)
        self.stdout.write(" " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
        self.stdout.write(line)
        for row in report.logins:
            self.stdout.write(" " + " | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
        self.stdout.write(line)
        self.stdout.write(f"Mật khẩu chung: {DEMO_PASSWORD} (chỉ đặt khi tạo tài khoản lần đầu; đổi mật khẩu ngay "
                          "nếu hệ thống mở ra ngoài). Quản trị hệ thống và quản trị cơ quan phải cài đặt xác thực "
                          "hai bước (TOTP) ở lần đăng nhập đầu.")
