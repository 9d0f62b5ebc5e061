"""Drop a cached lookup answer as soon as its dossier changes (status, due date, agency).

Removed right away and again after commit: a reader between the save and the commit could otherwise put the
old answer back for the cache's lifetime. Bulk ``update()`` calls send no signal; the short cache lifetime
bounds what they can leave stale.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from egov.eservices.lookup import cache_forget
from egov.onestop.models import Dossier


@receiver(post_save, sender=Dossier, dispatch_uid="eservices_lookup_cache_forget")
def dossier_saved(sender, instance: Dossier, **kwargs) -> None:
    code = instance.code
    if code:
        cache_forget(code)
        transaction.on_commit(lambda: cache_forget(code))
