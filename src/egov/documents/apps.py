from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "egov.documents"
    label = "documents"
    verbose_name = "Văn bản và điều hành"

    def ready(self) -> None:
        from egov.documents import signals

        signals.connect()
