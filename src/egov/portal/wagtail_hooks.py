"""Wagtail admin integration of the portal's editorial workflow (loaded by Wagtail at startup).

- Every step of a page's review (submitted, approved, changes requested, cancelled) and every publication or
  withdrawal, including those done by the scheduler (go-live / expiry times), is written to the platform's
  audit chain, with the acting user: Wagtail's own log is not tamper-evident.
- The admin's "Help" menu (links to wagtail.org, an outside site) is hidden from portal editors.
"""

from wagtail import hooks
from wagtail.signals import (
    page_published,
    page_unpublished,
    workflow_approved,
    workflow_cancelled,
    workflow_rejected,
    workflow_submitted,
)

from egov.core.audit import audit_record


def _page_facts(page) -> dict:
    return {"page_id": page.pk, "title": page.title[:200], "url_path": page.url_path[:300]}


def _on_workflow(action: str):
    def receiver(sender, instance, user=None, **kwargs):
        page = instance.content_object
        if page is None or not hasattr(page, "url_path"):
            return
        audit_record(actor=user, action=f"portal.page_{action}", object_type="wagtailcore.page",
                     object_id=str(page.pk), object_repr=page.title[:300],
                     after={**_page_facts(page), "workflow": instance.workflow.name})
    return receiver


def _on_published(sender, instance, revision=None, **kwargs):
    """Wagtail does not pass who published: the approval entry (or the scheduler) says it; the revision's
    author is recorded here."""
    author = getattr(getattr(revision, "user", None), "username", "")
    audit_record(actor=None, action="portal.page_published", object_type="wagtailcore.page",
                 object_id=str(instance.pk), object_repr=instance.title[:300],
                 after={**_page_facts(instance), "revision_id": getattr(revision, "pk", None),
                        "revision_author": author})


def _on_unpublished(sender, instance, **kwargs):
    audit_record(actor=None, action="portal.page_unpublished", object_type="wagtailcore.page",
                 object_id=str(instance.pk), object_repr=instance.title[:300], after=_page_facts(instance))


for _signal, _action in ((workflow_submitted, "submitted"), (workflow_approved, "approved"),
                         (workflow_rejected, "changes_requested"), (workflow_cancelled, "review_cancelled")):
    _signal.connect(_on_workflow(_action), dispatch_uid=f"egov-portal-audit-{_action}", weak=False)
page_published.connect(_on_published, dispatch_uid="egov-portal-audit-published")
page_unpublished.connect(_on_unpublished, dispatch_uid="egov-portal-audit-unpublished")


@hooks.register("construct_main_menu")
def hide_help_menu(request, menu_items):
    """Portal editors need no links to wagtail.org; system administrators keep them."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "help"]
