"""Load every demo data set of the platform in one process (``make run``).

Each loader is idempotent and stays runnable on its own; running them from one process spares a Django start-up
per loader (several seconds each), which is most of the time a second ``make run`` took before it served.
"""

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

# In dependency order: the province's directory first, then what refers to it.
# The portal's sections and directive policy come before the demo documents, so that issuing them drafts the
# portal's directive items as it would in production; the signing PKI before the documents that are signed.
DEMO_LOADERS = (
    "load_demo",
    "onestop_load_demo",
    "documents_demo_pki",
    "portal_load_demo",
    "portal_directive_defaults",
    ("portal_setup_editorial", {"reviewer": ["lanhdao.vp"]}),  # the Office's leader reviews the demo editors
    "documents_load_demo",
    "feedback_load_demo",
)


class Command(BaseCommand):
    help = "Nạp toàn bộ dữ liệu mẫu của tỉnh (danh bạ, thủ tục, văn bản, cổng thông tin...) trong một tiến trình."

    def handle(self, *args, **options):
        available = get_commands()
        for entry in DEMO_LOADERS:
            name, options = entry if isinstance(entry, tuple) else (entry, {})
            if name not in available:
                continue
            try:
                call_command(name, stdout=self.stdout, stderr=self.stderr, **options)
            except CommandError as exc:
                raise CommandError(f"{name}: {exc}") from None
