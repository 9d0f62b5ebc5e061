from django.apps import AppConfig


class EservicesConfig(AppConfig):
    name = "egov.eservices"
    label = "eservices"
    verbose_name = "Dịch vụ công trực tuyến"

    def ready(self) -> None:
        from egov.eservices import signals  # noqa: F401  (connects the lookup cache invalidation)
