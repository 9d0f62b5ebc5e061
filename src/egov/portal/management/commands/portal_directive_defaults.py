"""``manage.py portal_directive_defaults``: the province committee's default directive policy (QĐ, CT, TB, KH),
created once; safe to run again (an administrator's later changes are kept)."""

from django.core.management.base import BaseCommand

from egov.portal.services.directive import portal_directive_defaults


class Command(BaseCommand):
    help = "Tạo cấu hình mặc định thông tin chỉ đạo, điều hành cho Ủy ban nhân dân tỉnh (chạy lại an toàn)."

    def handle(self, *args, **options):
        policy = portal_directive_defaults()
        if policy is None:
            self.stdout.write("Chưa có Ủy ban nhân dân tỉnh trong danh bạ: chưa tạo cấu hình.")
            return
        types = ", ".join(policy.document_types.values_list("abbreviation", flat=True))
        self.stdout.write(f"Cấu hình thông tin chỉ đạo, điều hành của {policy.agency.name}: {types or 'chưa có loại'}.")
