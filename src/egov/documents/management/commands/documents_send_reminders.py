"""``manage.py documents_send_reminders``: remind assignees one working day before their deadline.

The project has no periodic scheduler in its worker, so run this from cron or a systemd timer, e.g. every
30 minutes during office hours; each assignment is reminded once, whatever the frequency."""

from django.core.management.base import BaseCommand

from egov.documents.services.handling import assignment_reminders_send


class Command(BaseCommand):
    help = "Gửi nhắc hạn xử lý văn bản đến (trước hạn 01 ngày làm việc, mỗi phân công một lần)."

    def handle(self, *args, **options):
        count = assignment_reminders_send()
        self.stdout.write(f"Đã nhắc {count} phân công sắp đến hạn.")
