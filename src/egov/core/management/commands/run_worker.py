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
            import django_rq

            # Fail fast with manage.py's one-line message rather than rq's own English one.
            django_rq.get_connection("default").ping()
            extra = ["--burst"] if options["batch"] else []
            # django-tasks-rq's Job class runs the Task object RQ stores; RQ's own would call it and fail.
            call_command("rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job", *extra)
        else:
            extra = ["--batch"] if options["batch"] else []
            call_command("db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay", *extra)
