"""Background tasks of the feedback app (Django Tasks API). Thin: call the service."""

from django_tasks import task

from egov.feedback.services import feedback_mail_send


@task()
def feedback_mail_task(feedback_uuid: str, what: str) -> bool:
    """Mail the sender (tracking code, or the answer) off the request path; a mail outage fails only this task."""
    return feedback_mail_send(feedback_uuid=feedback_uuid, what=what)
