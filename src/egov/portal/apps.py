from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "egov.portal"
    label = "portal"
    verbose_name = "Cổng thông tin điện tử"

    def ready(self):
        from egov.portal import cache

        cache.connect_signals()  # rendered pages are cached; any publish, unpublish, move or delete invalidates
        from egov.portal import signals

        signals.connect()  # an issued directive or legal normative document drafts its portal page (tasks.py)
