"""``manage.py documents_load_demo``: registers, demo incoming and issued outgoing documents (idempotent)."""

from django.core.management.base import BaseCommand

from egov.documents.demo_incoming import incoming_demo_load
from egov.documents.demo_outgoing import outgoing_demo_load


class Command(BaseCommand):
    help = ("Nạp dữ liệu mẫu văn bản: loại văn bản, sổ văn bản của các cơ quan mẫu, một số văn bản đến đã phân "
            "công, văn bản đi đã ký số, phát hành và gửi liên thông.")

    def handle(self, *args, **options):
        result = incoming_demo_load()
        issued = outgoing_demo_load()
        self.stdout.write(f"==> Văn bản mẫu: tạo {result['registers']} sổ, {result['documents']} văn bản đến, "
                          f"{issued} văn bản đi đã ký số, phát hành và gửi liên thông.")
