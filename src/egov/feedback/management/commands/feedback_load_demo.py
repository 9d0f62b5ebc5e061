"""manage.py feedback_load_demo: sample feedback and published Q&A; safe to run at every start."""

from django.core.management.base import BaseCommand

from egov.feedback.demo import feedback_load_demo


class Command(BaseCommand):
    help = ("Nạp phản ánh, kiến nghị, câu hỏi mẫu ở các trạng thái và hai câu trả lời công khai. "
            "Chạy lại không tạo trùng.")

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(feedback_load_demo()))
