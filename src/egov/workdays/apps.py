from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "egov.workdays"
    label = "workdays"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from egov.workdays import signals  # noqa: F401  (connects the cache invalidation)
