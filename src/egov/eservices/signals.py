"""Drop a cached lookup answer as soon as its dossier changes (status, due date, agency), and the lookup's map of
procedure and agency names in this process when one of them changes.

Removed right away and again after commit: a reader between the save and the commit could otherwise put the
old answer back for the cache's lifetime. Bulk ``update()`` calls send no signal; the short cache lifetime
bounds what they can leave stale.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from egov.directory.models import Agency
from egov.eservices.lookup import cache_forget, names
from egov.onestop.models import Dossier, Procedure


@receiver(post_save, sender=Dossier, dispatch_uid="eservices_lookup_cache_forget")
def dossier_saved(sender, instance: Dossier, **kwargs) -> None:
    code = instance.code
    if code:
        cache_forget(code)
        transaction.on_commit(lambda: cache_forget(code))


@receiver(post_save, sender=Agency, dispatch_uid="eservices_lookup_names_agency_saved")
@receiver(post_delete, sender=Agency, dispatch_uid="eservices_lookup_names_agency_deleted")
@receiver(post_save, sender=Procedure, dispatch_uid="eservices_lookup_names_procedure_saved")
@receiver(post_delete, sender=Procedure, dispatch_uid="eservices_lookup_names_procedure_deleted")
def lookup_names_changed(sender, **kwargs) -> None:
    names.clear()
