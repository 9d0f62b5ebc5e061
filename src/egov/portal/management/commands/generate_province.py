"""``manage.py generate_province --scale small|province``: a consistent province-year for demonstrations and
benchmarks. Lives in the portal app because it is the highest app it touches (portal pages); the parts are
``egov.documents.generate`` (officials, documents), ``egov.onestop.generate`` (dossiers) and
``egov.portal.generate_items`` (portal pages), with the shared tools in ``egov.core.generate``.

Every part is resumable (derived from the data: per-day marker UUIDs, generated usernames and slugs), so a rerun
after Ctrl-C or SIGKILL continues and never duplicates. On PostgreSQL, tables that are empty when their part
starts are loaded without their secondary indexes, unique constraints and foreign keys, which are rebuilt (and
validated) at the end of the part; what was dropped is recorded first (``egov.core.generate``), so the rerun
of an interrupted part rebuilds them when it ends.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from egov.core.errors import DomainError
from egov.core.generate import _n, deferred_indexes, load_session

SCALES = {
    # dossiers, documents, news pages, directive pages
    "small": {"dossiers": 3000, "documents": 3000, "news": 30, "directives": 20},
    "province": {"dossiers": 3_400_000, "documents": 1_500_000, "news": 1200, "directives": 800},
}


class Command(BaseCommand):
    help = ("Sinh dữ liệu một năm của cả tỉnh (cán bộ, hồ sơ một cửa, văn bản đến/đi, tin bài cổng thông tin) để "
            "thử tải và trình diễn. Chạy lại sau khi bị ngắt thì tiếp tục, không sinh trùng.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small",
                            help="small: vài nghìn mỗi loại (vài giây); province: 3,4 triệu hồ sơ, 1,5 triệu văn bản")
        parser.add_argument("--year", type=int, default=None, help="Năm (mặc định năm nay)")
        parser.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên")
        parser.add_argument("--dossiers", type=int, default=None, help="Số hồ sơ (thay cho mức của --scale)")
        parser.add_argument("--documents", type=int, default=None, help="Số văn bản (thay cho mức của --scale)")
        parser.add_argument("--only", default="", help="Chỉ chạy các phần này, cách nhau dấu phẩy: "
                                                        "officials,dossiers,documents,portal")
        parser.add_argument("--now", default=None,
                            help="Thời điểm coi là hiện tại, ISO 8601 (mặc định bây giờ): dữ liệu tái lập được")
        parser.add_argument("--jobs", type=int, default=1,
                            help="2: văn bản và trang cổng sinh song song với hồ sơ trong một tiến trình con "
                                 "(PostgreSQL)")
        parser.add_argument("--stop-after", type=int, default=None,
                            help="Dừng mỗi phần sau N ngày (trang) mới: mô phỏng bị ngắt giữa chừng (kiểm thử)")

    def handle(self, *args, scale, year, seed, dossiers, documents, only, stop_after, jobs, now, verbosity,
               **options):
        from egov.documents.generate import documents_generate
        from egov.documents.generate.officials import officials_generate
        from egov.documents.models import Assignment, DocumentEvent, IncomingDocument, OutgoingDocument
        from egov.onestop.generate import generate_year
        from egov.onestop.models import Dossier, DossierEvent, DossierStep
        from egov.portal.generate_items import portal_items_generate

        sizes = dict(SCALES[scale])
        sizes["dossiers"] = sizes["dossiers"] if dossiers is None else dossiers
        sizes["documents"] = sizes["documents"] if documents is None else documents
        now = self._now(now)
        year = year or timezone.localdate(now).year
        parts = {p.strip() for p in only.split(",") if p.strip()} or {"officials", "dossiers", "documents", "portal"}
        show = verbosity >= 1
        say = self.stdout.write if show else (lambda message: None)
        timings: dict[str, float] = {}
        started = time.perf_counter()

        def step(name: str, function):
            t0 = time.perf_counter()
            result = function()
            timings[name] = time.perf_counter() - t0
            return result

        with load_session():
            step("danh bạ, danh mục, cổng mẫu", self._base)
            try:
                if "officials" in parts:
                    result = step("cán bộ", lambda: officials_generate(scale=scale, seed=seed, progress=show))
                    say(f"Cán bộ: đã tạo {_n(result['officials'])}")
                child = None
                if jobs > 1 and connection.vendor == "postgresql" and "dossiers" in parts and (
                        parts & {"documents", "portal"}):
                    child = self._spawn(parts & {"documents", "portal"}, scale=scale, year=year, seed=seed, now=now,
                                        documents=sizes["documents"], stop_after=stop_after, verbosity=verbosity)
                    parts = parts - {"documents", "portal"}
                if "dossiers" in parts:
                    def dossiers_part():
                        from egov.core.generate import Progress

                        bar = Progress("Hồ sơ", sizes["dossiers"], enabled=show)
                        with deferred_indexes([Dossier, DossierStep, DossierEvent], progress=say):
                            report = generate_year(n=sizes["dossiers"], year=year, seed=seed, batch_size=50_000,
                                                   now=now, progress=say, bar=bar, stop_after_days=stop_after)
                        bar.close()
                        say(report.summary())

                    step("hồ sơ một cửa", dossiers_part)
                if "documents" in parts:
                    def documents_part():
                        with deferred_indexes([IncomingDocument, OutgoingDocument, DocumentEvent, Assignment],
                                              progress=say):
                            result = documents_generate(total=sizes["documents"], year=year, seed=seed, now=now,
                                                        progress=show, stop_after_days=stop_after)
                        say(f"Văn bản: {_n(result.get('incoming', 0))} đến, {_n(result.get('outgoing', 0))} đi, "
                            f"{_n(result.get('assignments', 0))} phân công, {_n(result.get('events', 0))} diễn biến "
                            f"({result.get('days_written', 0)} ngày mới, {result.get('days_skipped', 0)} ngày đã "
                            f"có)")
                        self._analyze([IncomingDocument, OutgoingDocument, DocumentEvent, Assignment])

                    step("văn bản", documents_part)
                if "portal" in parts:
                    result = step("trang cổng thông tin", lambda: portal_items_generate(
                        news=sizes["news"], directives=sizes["directives"], year=year, seed=seed, now=now,
                        progress=show, stop_after=stop_after))
                    say(f"Cổng thông tin: {result.get('news', 0)} tin, {result.get('directives', 0)} "
                        f"thông tin chỉ đạo điều hành mới.")
                if child is not None:
                    step("chờ tiến trình văn bản, cổng", child.wait)
                    if child.returncode != 0:
                        raise CommandError("Tiến trình con sinh văn bản và trang cổng bị lỗi (mã "
                                           f"{child.returncode}); chạy lại lệnh để tiếp tục.")
            except DomainError as exc:
                raise CommandError(exc.message) from None
        total = time.perf_counter() - started
        lines = [f"  {name}: {seconds:.1f} giây".replace(".", ",") for name, seconds in timings.items()]
        self.stdout.write(self.style.SUCCESS(f"Xong quy mô {scale}, năm {year}, trong {_n(total)} giây:"))
        self.stdout.write("\n".join(lines))

    @staticmethod
    def _spawn(parts, *, scale, year, seed, now, documents, stop_after, verbosity):
        """The documents and portal parts in a second process (own connection), started now."""
        import subprocess
        import sys

        command = [sys.executable, sys.argv[0], "generate_province", "--scale", scale, "--year", str(year),
                   "--seed", str(seed), "--now", now.isoformat(), "--documents", str(documents),
                   "--only", ",".join(sorted(parts)),
                   "--verbosity", str(verbosity)]
        if stop_after is not None:
            command += ["--stop-after", str(stop_after)]
        return subprocess.Popen(command)  # noqa: S603 - our own command line

    @staticmethod
    def _now(value: str | None):
        import datetime as dt

        if not value:
            return timezone.now()
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--now không đúng định dạng ISO 8601: “{value}”.") from None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def _base(self) -> None:
        from egov.directory.models import Agency, AgencyKind
        from egov.onestop.models import Procedure
        from egov.portal.models import HomePage, SectionPage

        if not Agency.objects.filter(kind__in=(AgencyKind.COMMUNE, AgencyKind.WARD)).exists():
            call_command("load_demo", verbosity=0)
        if not Procedure.objects.filter(current_version__isnull=False).exists():
            call_command("onestop_load_demo", verbosity=0)
        if not HomePage.objects.exists() or not SectionPage.objects.exists():
            call_command("portal_load_demo", verbosity=0)

    @staticmethod
    def _analyze(models_) -> None:
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            for model in models_:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
