from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from egov.conf.env import env_int
from egov.core.worker import DEFAULT_LEASE_SECONDS, DEFAULT_MAX_ATTEMPTS, leased_db_worker_class, worker_id_new


class Command(BaseCommand):
    help = (
        "Chạy tiến trình xử lý nền: hàng đợi trong CSDL (mặc định) hoặc Redis khi đặt REDIS_URL. "
        "Tác vụ của một tiến trình đã chết (kể cả bị SIGKILL) được xếp hàng lại và chạy lại."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Xử lý hết tác vụ đang chờ rồi thoát.")
        parser.add_argument(
            "--lease-seconds", type=int, default=None,
            help="Hàng đợi CSDL: sau bao nhiêu giây không gia hạn thì coi tiến trình là đã chết "
                 f"(mặc định TASK_WORKER_LEASE_SECONDS hoặc {DEFAULT_LEASE_SECONDS}).",
        )
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Hàng đợi CSDL: số giây chờ giữa hai lần tìm tác vụ khi hàng đợi trống.")

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            import django_rq

            # Fail fast with manage.py's one-line message rather than rq's own English one.
            django_rq.get_connection("default").ping()
            extra = ["--burst"] if options["batch"] else []
            # django-tasks-rq's Job class runs the Task object RQ stores; RQ's own would call it and fail.
            # RecoveringWorker queues again the jobs of workers that died (egov.core.worker).
            call_command("rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job",
                         "--worker-class", "egov.core.worker.RecoveringWorker", *extra)
            return
        self._run_db_worker(options)

    def _run_db_worker(self, options):
        from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

        lease = options["lease_seconds"] or env_int("TASK_WORKER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
        DbWorkerCommand(stdout=self.stdout, stderr=self.stderr).configure_logging(options["verbosity"])
        worker = leased_db_worker_class()(
            queue_names=["*"], interval=options["interval"], batch=options["batch"], backend_name="default",
            startup_delay=False, max_tasks=None, worker_id=worker_id_new(), excluded_queue_names=[],
            lease_seconds=lease, max_attempts=DEFAULT_MAX_ATTEMPTS,
        )
        worker.configure_signals()
        worker.run()
