from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "egov.workdays"
    label = "workdays"
    verbose_name = "Lịch làm việc"
