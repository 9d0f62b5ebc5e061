"""manage.py portal_load_demo: the demo provincial portal of Cà Mau; safe to run at every start."""

from django.core.management.base import BaseCommand

from egov.portal.demo import portal_load_demo


class Command(BaseCommand):
    help = ("Nạp cổng thông tin điện tử mẫu tỉnh Cà Mau: trang chủ, các chuyên mục bắt buộc, tin bài, dự án, dự "
            "thảo lấy ý kiến, liên hệ, trang tiếng Anh. Chạy lại không tạo trùng, không sửa trang đã có.")

    def handle(self, *args, **options):
        report = portal_load_demo()
        self.stdout.write(self.style.SUCCESS(report.summary()))
