"""``manage.py search_rebuild``: rebuild the document search index from the database (the source of truth)."""

import time

from django.core.management.base import BaseCommand

from egov.documents.search_index import search_index_rebuild
from egov.search import backends


def _n(value: float) -> str:
    """Vietnamese thousands separator: 1.234.567."""
    return f"{value:,.0f}".replace(",", ".")


class Command(BaseCommand):
    help = "Xây dựng lại chỉ mục tìm kiếm văn bản từ cơ sở dữ liệu (hiển thị tiến độ)."

    def handle(self, *args, **options):
        started = time.monotonic()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if done >= total or now - last[0] >= 1.0:
                last[0] = now
                rate = done / max(now - started, 1e-6)
                self.stdout.write(f"  {_n(done)}/{_n(total)} văn bản ({done * 100 // max(total, 1)}%), "
                                  f"{_n(rate)} văn bản/giây")

        self.stdout.write("Đang đọc văn bản từ cơ sở dữ liệu và lập chỉ mục…")
        count = search_index_rebuild(progress=progress)
        engine = backends.backend()
        stats = engine.stats() if hasattr(engine, "stats") else {}
        size = f", chỉ mục {stats['bytes'] / 1_048_576:.1f} MiB".replace(".", ",") if stats else ""
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(f"Đã lập chỉ mục {_n(count)} văn bản trong {seconds} giây{size}."))
