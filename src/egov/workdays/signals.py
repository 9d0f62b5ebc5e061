"""Keep the process's calendar snapshot in step with the overrides and office hours tables."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from egov.workdays import loader
from egov.workdays.models import CalendarOverride, OfficeHours


@receiver(post_save, sender=CalendarOverride, dispatch_uid="workdays_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="workdays_override_deleted")
@receiver(post_save, sender=OfficeHours, dispatch_uid="workdays_hours_saved")
@receiver(post_delete, sender=OfficeHours, dispatch_uid="workdays_hours_deleted")
def calendar_changed(sender, **kwargs) -> None:
    loader.mark_changed()
