from django.apps import AppConfig


class ApiClientsConfig(AppConfig):
    name = "egov.apiclients"
    label = "apiclients"
    verbose_name = "Kết nối hệ thống (API)"
