"""``manage.py portal_setup_editorial``: editorial groups per agency, the review workflow, editors placed.

Idempotent; run it after loading the portal's sections and whenever a section or an editor account changes."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from egov.core.errors import DomainError
from egov.portal.editorial import portal_editorial_setup, portal_reviewer_add


class Command(BaseCommand):
    help = "Thiết lập nhóm biên tập, nhóm duyệt tin theo cơ quan và quy trình “Duyệt tin bài” của cổng."

    def add_arguments(self, parser):
        parser.add_argument("--reviewer", action="append", default=[], metavar="TÊN_ĐĂNG_NHẬP",
                            help="Thêm tài khoản vào nhóm duyệt tin của cơ quan mình (lặp lại được).")

    def handle(self, *args, **options):
        summary = portal_editorial_setup()
        for username in options["reviewer"]:
            user = get_user_model().objects.filter(username=username).select_related("official__agency").first()
            if user is None:
                raise CommandError(f"Không có tài khoản “{username}”.")
            try:
                group = portal_reviewer_add(user=user)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"{username} thuộc nhóm “{group.name}”.")
        self.stdout.write(
            f"Đã thiết lập {summary['desks']} bàn biên tập; thêm {summary['editors_joined']} biên tập viên vào nhóm; "
            f"{summary['editors_unplaced']} biên tập viên chưa có cơ quan quản lý chuyên mục.")
