"""Editorial set-up of the portal: who may write, who approves, and the draft → review → publish workflow.

The rule (also in docs/deploy.md, "Portal editorial desks"):
- Every agency that manages a portal section (``SectionPage.agency``) gets two Wagtail groups:
  "Biên tập – <abbreviation>" (add and edit pages, submit them for review; no publishing) and
  "Duyệt tin – <abbreviation>" (also publish; they approve the review task). Their page permissions are
  granted on that agency's sections only, so an editor of agency A cannot touch agency B's section.
- The province (its People's Committee, a root agency) always gets its pair of groups, granted on the home
  page: the provincial editorial board covers the whole portal.
- Workflow "Duyệt tin bài" (one GroupApprovalTask for the province's reviewers) is assigned to the home
  page, so it applies to every page; each agency section gets "Duyệt tin bài – <abbreviation>" whose task
  belongs to that agency's reviewers (Wagtail takes the nearest assigned workflow).
- A user with role PORTAL_EDITOR joins the editors group of his agency (``user.official.agency``) or, when
  that agency has no section, of the nearest agency above it that has one (at worst the province's).
  Reviewers are named by hand (Wagtail: Cài đặt → Nhóm), e.g. the leader in charge of the portal.

``portal_editorial_setup`` is idempotent: run it after loading sections (``manage.py portal_setup_editorial``)
and again whenever a section changes agency or a new editor account is created.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import structlog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django_tasks import task
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from egov.accounts.roles import Role
from egov.core.audit import audit_record

logger = structlog.get_logger("egov.portal")

WORKFLOW_NAME = "Duyệt tin bài"
EDITOR_GROUP = "Biên tập – {}"
REVIEWER_GROUP = "Duyệt tin – {}"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
REVIEWER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"), ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"), ("wagtaildocs", "choose_document"),
)


@dataclass
class EditorialDesk:
    """The pair of groups of one agency and the pages they may work on."""

    agency: object
    editors: Group
    reviewers: Group
    pages: list = field(default_factory=list)
    workflow: Workflow | None = None


def _label(agency) -> str:
    return (agency.abbreviation or agency.code).strip()


def _province_agency():
    """The provincial People's Committee (a root agency; the provincial police, also a root, is not it)."""
    from egov.directory.models import Agency, AgencyKind

    roots = Agency.objects.filter(parent__isnull=True).order_by("id")
    return roots.filter(kind=AgencyKind.PROVINCE_COMMITTEE).first() or roots.first()


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group_setup(name: str, page_codenames, pages) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(_perm("wagtailadmin", "access_admin"))
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for app_label, codename in COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=_perm(app_label, codename))
    wanted = {(page.pk, codename) for page in pages for codename in page_codenames}
    existing = GroupPagePermission.objects.filter(group=group).select_related("permission")
    for grant in existing:
        if (grant.page_id, grant.permission.codename) not in wanted:
            grant.delete()  # the agency no longer manages this section
    have = {(grant.page_id, grant.permission.codename) for grant in existing}
    for page_id, codename in sorted(wanted - have):
        GroupPagePermission.objects.create(group=group, page_id=page_id, permission=_perm("wagtailcore", codename))
    return group


def _workflow_setup(name: str, reviewers: Group, pages) -> Workflow:
    workflow, _ = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    approval, _ = GroupApprovalTask.objects.get_or_create(name=f"Duyệt – {reviewers.name.split('– ', 1)[-1]}")
    approval.groups.set([reviewers])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=approval.task_ptr, defaults={"sort_order": 0})
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def _desks_plan() -> dict:
    """agency pk -> (agency, pages): the province on the home page, each other agency on its sections."""
    from egov.portal.models import HomePage, SectionPage

    plan: dict = {}
    province = _province_agency()
    home = HomePage.objects.first()
    if province is not None and home is not None:
        plan[province.pk] = (province, [home.page_ptr])
    for section in SectionPage.objects.filter(agency__isnull=False).select_related("agency").order_by("path"):
        if province is not None and section.agency_id == province.pk:
            continue  # already covered by the home page
        plan.setdefault(section.agency_id, (section.agency, []))[1].append(section.page_ptr)
    return plan


def _desk_for(agency, desks: dict) -> EditorialDesk | None:
    seen = set()
    while agency is not None and agency.pk not in seen:
        if agency.pk in desks:
            return desks[agency.pk]
        seen.add(agency.pk)
        agency = agency.parent
    return None


@transaction.atomic
def portal_editorial_setup(*, actor=None) -> dict:
    """Create or update the editorial groups, their permissions, the workflows and the editors' memberships.

    Idempotent: a second run changes nothing. Returns a summary (counts) for the command and the audit log.
    """
    desks: dict = {}
    province = _province_agency()
    for agency_pk, (agency, pages) in _desks_plan().items():
        label = _label(agency)
        editors = _group_setup(EDITOR_GROUP.format(label), EDITOR_PAGE_PERMISSIONS, pages)
        reviewers = _group_setup(REVIEWER_GROUP.format(label), REVIEWER_PAGE_PERMISSIONS, pages)
        is_province = province is not None and agency_pk == province.pk
        name = WORKFLOW_NAME if is_province else f"{WORKFLOW_NAME} – {label}"
        workflow = _workflow_setup(name, reviewers, pages)
        desks[agency_pk] = EditorialDesk(agency=agency, editors=editors, reviewers=reviewers, pages=pages,
                                         workflow=workflow)

    editor_groups = {desk.editors.pk for desk in desks.values()}
    joined = unplaced = 0
    users = get_user_model().objects.filter(role=Role.PORTAL_EDITOR, is_active=True).select_related(
        "official__agency")
    for user in users:
        official = getattr(user, "official", None)
        desk = _desk_for(official.agency if official else None, desks)
        if desk is None:
            unplaced += 1
            logger.warning("portal_editor_without_desk", username=user.username)
            continue
        other = [pk for pk in user.groups.filter(pk__in=editor_groups).values_list("pk", flat=True)
                 if pk != desk.editors.pk]
        if other:
            user.groups.remove(*other)  # moved to another agency
        if not user.groups.filter(pk=desk.editors.pk).exists():
            user.groups.add(desk.editors)
            joined += 1
    summary = {"desks": len(desks), "editors_joined": joined, "editors_unplaced": unplaced,
               "groups": sorted(g for desk in desks.values() for g in (desk.editors.name, desk.reviewers.name))}
    if joined or actor is not None:
        audit_record(actor=actor, action="portal.editorial_setup", object_type="portal.editorial",
                     after={k: v for k, v in summary.items() if k != "groups"})
    return summary


@transaction.atomic
def portal_reviewer_add(*, actor=None, user) -> Group:
    """Name ``user`` a reviewer of his agency's desk (or the nearest one above it, as for editors)."""
    from egov.core.errors import DomainError

    official = getattr(user, "official", None)
    desk = _desk_for(official.agency if official else None, editorial_desks())
    if desk is None:
        raise DomainError("no_editorial_desk", f"Cơ quan của tài khoản “{user.username}” chưa quản lý chuyên mục "
                                               "nào trên cổng; chạy portal_setup_editorial sau khi gán chuyên mục.")
    if not user.groups.filter(pk=desk.reviewers.pk).exists():
        user.groups.add(desk.reviewers)
        audit_record(actor=actor, action="portal.reviewer_added", obj=user, after={"group": desk.reviewers.name})
    return desk.reviewers


def editorial_desks() -> dict:
    """agency pk -> EditorialDesk as currently configured (read-only; for tests and the admin)."""
    desks = {}
    for agency_pk, (agency, pages) in _desks_plan().items():
        label = _label(agency)
        editors = Group.objects.filter(name=EDITOR_GROUP.format(label)).first()
        reviewers = Group.objects.filter(name=REVIEWER_GROUP.format(label)).first()
        if editors and reviewers:
            desks[agency_pk] = EditorialDesk(agency=agency, editors=editors, reviewers=reviewers, pages=pages)
    return desks


def pages_publish_scheduled() -> int:
    """Publish revisions whose go-live time has come and unpublish pages past their expiry (Wagtail's own
    ``publish_scheduled``); returns how many approved scheduled revisions were waiting before the run."""
    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Revision

    due = Revision.objects.filter(approved_go_live_at__lte=timezone.now()).count()
    call_command("publish_scheduled", verbosity=0)
    return due


@task()
def publish_scheduled_task() -> int:
    """Run by the periodic scheduler every minute (PERIODIC_TASKS): scheduled go-live and expiry happen."""
    count = pages_publish_scheduled()
    if count:
        logger.info("portal_scheduled_published", count=count)
    return count
