from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý nền: hàng đợi trong CSDL (mặc định) hoặc Redis khi đặt REDIS_URL."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Xử lý hết tác vụ đang chờ rồi thoát.")

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            extra = ["--burst"] if options["batch"] else []
            call_command("rqworker", "default", "--with-scheduler", *extra)
        else:
            extra = ["--batch"] if options["batch"] else []
            call_command("db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay", *extra)
