"""portal_load_demo: a realistic portal for Cà Mau, idempotent (the second run changes nothing)."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision

from egov.directory.demo import load_demo
from egov.portal.models import (
    ArticlePage,
    ConsultationPage,
    ContactPage,
    EnglishHomePage,
    ProjectPage,
    Section,
    SectionPage,
)

pytestmark = pytest.mark.django_db


def _snapshot():
    return (Page.objects.count(), Revision.objects.count(),
            sorted(Page.objects.values_list("path", "title", "live", "latest_revision_id")))


def test_demo_portal_is_complete_and_idempotent(client):
    cache.clear()
    load_demo()
    call_command("portal_load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    first = _snapshot()
    call_command("portal_load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert _snapshot() == first

    kinds = set(SectionPage.objects.live().values_list("section", flat=True))
    for kind in (Section.INTRODUCTION, Section.NEWS, Section.DIRECTIVE, Section.LEGAL_DISSEMINATION, Section.STRATEGY,
                 Section.LEGAL_DOCUMENTS, Section.GAZETTE, Section.PROJECTS, Section.CONSULTATION, Section.CONTACTS):
        assert kind in kinds, kind
    news = SectionPage.objects.get(section=Section.NEWS)
    assert ArticlePage.objects.live().child_of(news).count() >= 10
    assert all(p.budget_vnd and p.budget_vnd > 0 for p in ProjectPage.objects.live())
    today = timezone.localdate()
    assert ConsultationPage.objects.live().filter(open_from__lte=today, open_until__gte=today).exists()
    english = EnglishHomePage.objects.live().get()
    assert {p.slug for p in english.get_children().live()} >= {"introduction", "contacts"}

    home = client.get("/").content.decode()
    assert "Khánh thành cầu Năm Căn mới" in home and "12/CT-UBND" in home
    assert "Lịch công tác lãnh đạo tỉnh" in home and "/chi-dao-dieu-hanh/lich-cong-tac-lanh-dao-tinh/" in home
    contact = ContactPage.objects.get(slug="van-phong-ubnd-tinh")
    html = client.get(contact.url).content.decode()
    assert "Đặng Quốc Bảo" in html  # the Office's demo portal editor, from the directory
    projects = client.get("/du-an/duong-ven-bien-ca-mau-bac-lieu/").content.decode()
    assert "4.850.000.000.000 đ" in projects
    assert '<html lang="en">' in client.get("/en/contacts/").content.decode()
