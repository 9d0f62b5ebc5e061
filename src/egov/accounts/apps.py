from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "egov.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from egov.accounts import receivers  # noqa: F401  (connects the audit receivers)
