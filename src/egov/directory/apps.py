from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "egov.directory"
    label = "directory"
    verbose_name = "Danh bạ cơ quan"
