from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "egov.onestop"
    label = "onestop"
    verbose_name = "Một cửa"
