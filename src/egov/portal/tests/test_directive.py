"""Directive information drafted from issued documents: one item per document (idempotent), with the PDF,
submitted to the moderation workflow or published at once per the agency's policy; secret and uncovered
documents stay off the portal; the default policy of the province committee."""

import pytest
from wagtail.models import WorkflowState

from egov.core.models import TaskEffectMark
from egov.documents.models import Secrecy
from egov.documents.tests import world_outgoing as w
from egov.portal.models import DirectiveItemPage, DirectivePolicy
from egov.portal.services.directive import directive_item_draft, portal_directive_defaults
from egov.portal.tasks import issued_document_to_portal_task
from egov.portal.tests.portal_world import issue, policy_for, portal_sections, world_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    return world_setup(settings)


def test_issuing_a_directive_document_drafts_one_item_with_the_pdf(world, django_capture_on_commit_callbacks):
    _home, directive, _legal = portal_sections()
    policy_for(world)
    document = issue(world, django_capture_on_commit_callbacks, document_type=world.quyet_dinh,
                     summary="Quyết định về phòng, chống hạn hán năm 2027")

    item = DirectiveItemPage.objects.get(source_document_uuid=document.uuid)
    assert item.get_parent().pk == directive.pk
    assert not item.live and item.has_unpublished_changes
    assert (item.number_notation, item.issued_date, item.issuer_id) == (
        document.number_notation, document.issued_date, world.sender.pk)
    assert item.title == item.summary == "Quyết định về phòng, chống hạn hán năm 2027"
    assert "Nguyễn Văn Ký" in item.signer and item.source_issued_at == document.issued_at
    assert item.pdf is not None and item.pdf.file.read().startswith(b"%PDF")
    # The default Wagtail workflow (on the root) holds it for an editor's approval.
    state = WorkflowState.objects.get(object_id=str(item.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # Idempotent: the task again (a re-delivery) and a later save of the document draft nothing more.
    issued_document_to_portal_task.enqueue(str(document.uuid))
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert directive_item_draft(document_uuid=document.uuid) == item
    assert DirectiveItemPage.objects.filter(source_document_uuid=document.uuid).count() == 1
    assert TaskEffectMark.objects.filter(key=f"portal.directive_item:{document.uuid}").count() == 1


def test_publish_immediately_policy_publishes(world, django_capture_on_commit_callbacks, client):
    portal_sections()
    policy_for(world, publish_immediately=True)
    document = issue(world, django_capture_on_commit_callbacks, document_type=world.quyet_dinh)
    item = DirectiveItemPage.objects.get(source_document_uuid=document.uuid)
    assert item.live and item.first_published_at is not None
    response = client.get(item.url)
    assert response.status_code == 200 and document.number_notation in response.content.decode()


def test_documents_outside_the_policy_or_secret_stay_off_the_portal(world, django_capture_on_commit_callbacks):
    portal_sections()
    policy_for(world)  # Quyết định only
    cong_van = issue(world, django_capture_on_commit_callbacks)  # Công văn
    secret = issue(world, django_capture_on_commit_callbacks, document_type=world.quyet_dinh,
                   secrecy=Secrecy.CONFIDENTIAL)
    assert not DirectiveItemPage.objects.filter(source_document_uuid__in=[cong_van.uuid, secret.uuid]).exists()
    assert directive_item_draft(document_uuid=secret.uuid) is None


def test_no_policy_means_no_item(world, django_capture_on_commit_callbacks):
    portal_sections()
    document = issue(world, django_capture_on_commit_callbacks, document_type=world.quyet_dinh)
    assert not DirectiveItemPage.objects.filter(source_document_uuid=document.uuid).exists()


def test_default_policy_of_the_province_committee_is_created_once():
    province = w.province()
    for code, name, abbr in [("quyet-dinh", "Quyết định", "QĐ"), ("chi-thi", "Chỉ thị", "CT"),
                             ("thong-bao", "Thông báo", "TB"), ("ke-hoach", "Kế hoạch", "KH"),
                             ("cong-van", "Công văn", "")]:
        w.doc_type(code, name, abbr)
    policy = portal_directive_defaults()
    assert policy.agency == province and not policy.publish_immediately
    assert sorted(policy.document_types.values_list("abbreviation", flat=True)) == ["CT", "KH", "QĐ", "TB"]
    policy.document_types.remove(policy.document_types.get(abbreviation="TB"))  # an administrator's choice
    assert portal_directive_defaults() == policy
    assert policy.document_types.count() == 3 and DirectivePolicy.objects.count() == 1


def test_drafted_item_goes_to_the_editorial_workflow_and_a_reviewer_approves(world,
                                                                             django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    from egov.accounts.roles import Role
    from egov.portal.editorial import REVIEWER_GROUP, WORKFLOW_NAME, portal_editorial_setup

    portal_sections()
    policy_for(world)
    portal_editorial_setup()
    reviewer = w.user_make("lanhdao.ubnd", role=Role.LEADER, agency=w.province(), full_name="Lâm Quốc Duyệt")
    reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP.format("UBND")))
    document = issue(world, django_capture_on_commit_callbacks, document_type=world.quyet_dinh)
    item = DirectiveItemPage.objects.get(source_document_uuid=document.uuid)
    state = WorkflowState.objects.get(object_id=str(item.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.workflow.name == WORKFLOW_NAME
    task = state.current_task_state.task.specific
    assert "approve" in [name for name, *_ in task.get_actions(item, reviewer)]
    assert task.get_actions(item, world.clerk) == []
    state.current_task_state.approve(user=reviewer)
    item.refresh_from_db()
    assert item.live and item.first_published_at is not None


def test_a_recalled_document_leaves_the_portal(world, django_capture_on_commit_callbacks):
    from egov.documents.services.delivery import outgoing_recall
    from egov.portal.models import LegalDocumentPage

    portal_sections()
    policy_for(world, publish_immediately=True)
    document = issue(world, django_capture_on_commit_callbacks, document_type=world.quyet_dinh, register=world.legal)
    item = DirectiveItemPage.objects.get(source_document_uuid=document.uuid)
    legal = LegalDocumentPage.objects.get(source_document_uuid=document.uuid)
    assert item.live and legal.live
    with django_capture_on_commit_callbacks(execute=True):
        outgoing_recall(actor=world.clerk, document=document, reason="Ban hành sai thẩm quyền")
    item.refresh_from_db()
    legal.refresh_from_db()
    assert not item.live and not legal.live
