"""Editorial workflow: groups per agency on their sections only, the "Duyệt tin bài" workflow (idempotent
set-up), an editor submits and a reviewer approves (published), another agency's editor and reviewer refused."""

import io
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowState, WorkflowTask

from egov.accounts.roles import Role
from egov.core.models import AuditEntry
from egov.directory.models import Agency
from egov.documents.tests import world_outgoing as w
from egov.portal.editorial import portal_editorial_setup
from egov.portal.models import ArticlePage, Section
from egov.portal.tests import site_builders as sb

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """Province home, a news section managed by the province, a section managed by the Justice department."""
    province = w.province()
    justice = w.agency_make("STP", "Sở Tư pháp tỉnh Cà Mau", "STP", "000.00.05.H12")
    health = w.agency_make("SYT", "Sở Y tế tỉnh Cà Mau", "SYT", "000.00.07.H12")
    home = sb.home()
    news = sb.section(home, "Tin tức – sự kiện", Section.NEWS, slug="tin-tuc")
    dissemination = sb.section(home, "Phổ biến pháp luật", Section.LEGAL_DISSEMINATION, slug="pho-bien")
    dissemination.agency = justice
    dissemination.save_revision().publish()
    health_section = sb.section(home, "Y tế", Section.OTHER, slug="y-te")
    health_section.agency = health
    health_section.save_revision().publish()
    users = {
        "province": w.user_make("bientap.vp", role=Role.PORTAL_EDITOR, agency=province, full_name="Đặng Quốc Bảo"),
        "justice": w.user_make("bientap.stp", role=Role.PORTAL_EDITOR, agency=justice, full_name="Châu Hoàng Phúc"),
        "health": w.user_make("bientap.syt", role=Role.PORTAL_EDITOR, agency=health, full_name="Tô Thị Y"),
        "justice_reviewer": w.user_make("lanhdao.stp", role=Role.LEADER, agency=justice, full_name="Lâm Quốc Khánh"),
        "health_reviewer": w.user_make("lanhdao.syt", role=Role.LEADER, agency=health, full_name="Lê Văn Y"),
    }
    return {"home": home, "news": news, "dissemination": dissemination, "health": health_section, **users}


def _counts():
    return (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count(),
            WorkflowTask.objects.count(), WorkflowPage.objects.count())


def test_setup_creates_groups_workflows_and_places_editors_idempotently(desk):
    summary = portal_editorial_setup()
    assert summary["desks"] == 3 and summary["editors_joined"] == 3 and summary["editors_unplaced"] == 0
    assert {"Biên tập – UBND", "Duyệt tin – UBND", "Biên tập – STP", "Duyệt tin – STP"} <= set(summary["groups"])

    home_flow = WorkflowPage.objects.get(page=desk["home"].page_ptr).workflow
    assert home_flow.name == "Duyệt tin bài" and home_flow.active
    task = home_flow.tasks.get().specific
    assert [g.name for g in task.groups.all()] == ["Duyệt tin – UBND"]
    # Every page under home goes through a review; the Justice section through the Justice reviewers.
    assert desk["news"].get_workflow() == home_flow
    justice_flow = desk["dissemination"].get_workflow()
    assert justice_flow.name == "Duyệt tin bài – STP"
    assert [g.name for g in justice_flow.tasks.get().specific.groups.all()] == ["Duyệt tin – STP"]

    editors = Group.objects.get(name="Biên tập – STP")
    assert sorted(GroupPagePermission.objects.filter(group=editors).values_list("permission__codename", flat=True)
                  ) == ["add_page", "change_page"]
    assert editors.permissions.filter(codename="access_admin").exists()
    assert list(desk["justice"].groups.values_list("name", flat=True)) == ["Biên tập – STP"]
    assert list(desk["province"].groups.values_list("name", flat=True)) == ["Biên tập – UBND"]

    before = _counts()
    again = portal_editorial_setup()
    assert again["editors_joined"] == 0 and _counts() == before

    # The command names reviewers (make run: the office's leader); an agency without a section is refused.
    out = io.StringIO()
    call_command("portal_setup_editorial", "--reviewer", "lanhdao.stp", stdout=out)
    assert "Duyệt tin – STP" in out.getvalue()
    assert list(desk["justice_reviewer"].groups.values_list("name", flat=True)) == ["Duyệt tin – STP"]
    assert _counts() == before
    police = w.user_make("lanhdao.cat", role=Role.LEADER, full_name="Công an", agency=Agency.objects.create(
        code="CAT", name="Công an tỉnh Cà Mau", abbreviation="CAT", kind="khac"))
    with pytest.raises(CommandError, match="chưa quản lý chuyên mục"):
        call_command("portal_setup_editorial", "--reviewer", police.username, stdout=out)


def _draft(parent, editor, title):
    page = ArticlePage(title=title, slug="bai-" + str(abs(hash(title)) % 10**6), date=date(2026, 11, 26),
                       summary=title, live=False)
    page.body = [("paragraph", f"<p>{title}</p>")]
    parent.add_child(instance=page)
    page.save_revision(user=editor)
    return page


def test_editor_submits_reviewer_approves_and_page_is_published(desk, client):
    portal_editorial_setup()
    Group.objects.get(name="Duyệt tin – STP").user_set.add(desk["justice_reviewer"])
    editor, reviewer = desk["justice"], desk["justice_reviewer"]
    section = desk["dissemination"]

    assert section.permissions_for_user(editor).can_add_subpage()
    page = _draft(section, editor, "Tuyên truyền Luật Hòa giải ở cơ sở")
    perms = page.permissions_for_user(editor)
    assert perms.can_edit() and perms.can_submit_for_moderation() and not perms.can_publish()

    state = page.get_workflow().start(page, editor)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task = state.current_task_state.task.specific
    assert task.get_actions(page, editor) == []  # an editor cannot approve his own submission
    assert "approve" in [name for name, *_ in task.get_actions(page, reviewer)]

    state.current_task_state.approve(user=reviewer)
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live and state.status == WorkflowState.STATUS_APPROVED
    response = client.get(page.url)
    assert response.status_code == 200 and "Tuyên truyền Luật Hòa giải ở cơ sở" in response.content.decode()
    # The review is in the platform's audit chain (wagtail_hooks), with who did each step.
    entries = {e.action: e for e in AuditEntry.objects.filter(object_type="wagtailcore.page", object_id=str(page.pk))}
    assert entries["portal.page_submitted"].actor == editor
    assert entries["portal.page_approved"].actor == reviewer
    assert entries["portal.page_published"].changes["after"]["revision_author"] == editor.username
    # The editor's admin has no "Help" menu linking to an outside site.
    client.force_login(editor)
    dashboard = client.get("/cms/").content.decode()
    assert "editor-guide" not in dashboard and "whats-new-in-wagtail" not in dashboard


def test_editor_and_reviewer_of_another_agency_are_refused(desk, client):
    portal_editorial_setup()
    Group.objects.get(name="Duyệt tin – SYT").user_set.add(desk["health_reviewer"])
    own = _draft(desk["dissemination"], desk["justice"], "Bài của Sở Tư pháp")
    other_editor = desk["health"]

    assert not own.permissions_for_user(other_editor).can_edit()
    assert not desk["dissemination"].permissions_for_user(other_editor).can_add_subpage()
    assert not desk["news"].permissions_for_user(desk["justice"]).can_add_subpage()
    client.force_login(other_editor)
    assert client.get(f"/cms/pages/{own.pk}/edit/").status_code in (302, 403)
    assert client.get(f"/cms/pages/add/portal/articlepage/{desk['dissemination'].pk}/").status_code in (302, 403)
    client.force_login(desk["justice"])
    assert client.get(f"/cms/pages/{own.pk}/edit/").status_code == 200

    state = own.get_workflow().start(own, desk["justice"])
    assert state.current_task_state.task.specific.get_actions(own, desk["health_reviewer"]) == []
