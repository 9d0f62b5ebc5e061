from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "egov.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị, hỏi đáp"
