"""Scheduled publishing actually happens: a page approved with a go-live time goes live when the worker's
periodic scheduler runs after that time, and an expired page is taken down."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Revision

from egov.accounts.roles import Role
from egov.core.models import PeriodicJob
from egov.core.periodic import periodic_jobs_enqueue_due
from egov.documents.tests import world_outgoing as w
from egov.portal.editorial import portal_editorial_setup
from egov.portal.models import ArticlePage, Section
from egov.portal.tests import site_builders as sb

pytestmark = pytest.mark.django_db


def test_approved_page_goes_live_when_the_scheduler_runs_and_expires_later(client):
    province = w.province()
    editor = w.user_make("bientap.vp", role=Role.PORTAL_EDITOR, agency=province, full_name="Đặng Quốc Bảo")
    reviewer = w.user_make("lanhdao.vp", role=Role.LEADER, agency=province, full_name="Phạm Văn Hùng")
    news = sb.section(sb.home(), "Tin tức – sự kiện", Section.NEWS, slug="tin-tuc")
    portal_editorial_setup()
    Group.objects.get(name="Duyệt tin – UBND").user_set.add(reviewer)

    page = ArticlePage(title="Khai mạc Lễ hội Nghinh Ông Sông Đốc", slug="nghinh-ong", date=date(2026, 11, 27),
                       summary="Lễ hội", live=False, go_live_at=timezone.now() + timedelta(hours=2))
    page.body = [("paragraph", "<p>Lễ hội Nghinh Ông</p>")]
    news.add_child(instance=page)
    page.save_revision(user=editor)
    state = page.get_workflow().start(page, editor)
    state.current_task_state.approve(user=reviewer)
    page.refresh_from_db()
    assert not page.live
    revision = Revision.page_revisions.get(object_id=str(page.pk), approved_go_live_at__isnull=False)

    # Before its time the scheduler publishes nothing.
    assert "portal.publish_scheduled" in periodic_jobs_enqueue_due()
    page.refresh_from_db()
    assert not page.live and client.get("/tin-tuc/nghinh-ong/").status_code == 404

    # Two hours later (the go-live time moved into the past): the next minute's run publishes it.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    PeriodicJob.objects.filter(name="portal.publish_scheduled").update(next_run_at=timezone.now())
    assert "portal.publish_scheduled" in periodic_jobs_enqueue_due()
    page.refresh_from_db()
    assert page.live
    response = client.get(page.url)
    assert response.status_code == 200 and "Khai mạc Lễ hội Nghinh Ông Sông Đốc" in response.content.decode()

    # Its expiry time passes: the next run takes it down.
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    PeriodicJob.objects.filter(name="portal.publish_scheduled").update(next_run_at=timezone.now())
    periodic_jobs_enqueue_due()
    page.refresh_from_db()
    assert not page.live and page.expired
