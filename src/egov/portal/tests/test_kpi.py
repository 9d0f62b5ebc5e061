"""The directive information KPI: published within 2 working days of issue, counted with the working calendar
(the 30/4 and 1/5 holidays and a weekend in between), per agency; late, missing and pending items; who sees it
(page and API)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from wagtail.models import Page

from egov.accounts.navigation import backoffice_menu
from egov.accounts.roles import Role
from egov.core.errors import PermissionDeniedError
from egov.documents.models import OutgoingDocument, OutgoingStatus, Secrecy
from egov.documents.tests import world_outgoing as w
from egov.portal import kpi
from egov.portal.models import DirectiveItemPage, DirectivePolicy
from egov.portal.tests import site_builders as sb
from egov.portal.tests.portal_world import portal_sections
from egov.workdays import loader

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, month: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=HCM)


def issued(world, moment: dt.datetime, number: str, *, document_type=None, secrecy=Secrecy.NONE, agency=None):
    """An ISSUED document written with the ORM: only the facts the KPI reads (no files, no deliveries)."""
    return OutgoingDocument.objects.create(
        agency=agency or world.sender, drafted_by=world.drafter, document_type=document_type or world.quyet_dinh,
        summary=f"Văn bản chỉ đạo số {number}", status=OutgoingStatus.ISSUED, issued_at=moment,
        issued_date=moment.date(), number_notation=number, secrecy=secrecy)


def item(parent: Page, document, published: dt.datetime) -> DirectiveItemPage:
    page = sb.publish(parent, DirectiveItemPage(
        title=document.summary, slug=document.number_notation.replace("/", "-").lower(),
        number_notation=document.number_notation, issued_date=document.issued_date,
        source_document_uuid=document.uuid, source_issued_at=document.issued_at))
    DirectiveItemPage.objects.filter(pk=page.pk).update(first_published_at=published)
    return page


@pytest.fixture
def crafted():
    loader.reset()  # the working calendar is cached per process; read this database's
    world = w.world_make()
    _home, directive, _legal = portal_sections()
    policy = DirectivePolicy.objects.create(agency=world.sender)
    policy.document_types.set([world.quyet_dinh])
    on_time = issued(world, at(29, 4, 10), "01/QĐ-SNV")   # Wed before the holidays; due Tue 05/05 17:00
    late = issued(world, at(29, 4, 14), "02/QĐ-SNV")
    missing = issued(world, at(29, 4, 15), "03/QĐ-SNV")
    pending = issued(world, at(8, 5, 10), "04/QĐ-SNV")   # Fri; due Tue 12/05
    issued(world, at(29, 4, 9), "05/SNV-VP", document_type=world.cong_van)  # not a directive type
    issued(world, at(29, 4, 9), "06/QĐ-SNV", secrecy=Secrecy.CONFIDENTIAL)  # secret: never on the portal
    issued(world, at(29, 4, 9), "07/QĐ-STP", agency=world.recipient)  # agency without a policy
    item(directive, on_time, at(4, 5, 16))  # three calendar days after the 2 "days": on time in working days
    item(directive, late, at(6, 5, 8))
    return world, {"on_time": on_time, "late": late, "missing": missing, "pending": pending}


def test_kpi_counts_working_days_across_the_holiday(crafted):
    world, docs = crafted
    admin = w.user_make("qt.hethong", role=Role.SYSTEM_ADMIN, agency=w.province(), full_name="Quản Trị Hệ Thống")
    result = kpi.directive_kpi(user=admin, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 5, 31),
                               now=at(10, 5, 9))
    assert [r.agency_code for r in result.rows] == ["SNV"]
    row = result.rows[0]
    assert (row.total, row.on_time, row.late, row.missing, row.pending) == (4, 1, 1, 1, 1)
    assert str(row.rate) == "33.3" and result.totals.rate == row.rate
    problems = {p.number_notation: p for p in result.problems}
    assert set(problems) == {"02/QĐ-SNV", "03/QĐ-SNV", "04/QĐ-SNV"}
    assert problems["02/QĐ-SNV"].status == "late" and problems["02/QĐ-SNV"].page_url
    assert problems["03/QĐ-SNV"].status == "missing" and problems["04/QĐ-SNV"].status == "pending"
    # 2 working days from Wed 29/04 skip Thu 30/04, Fri 01/05 and the weekend: the end of Tue 05/05.
    assert problems["03/QĐ-SNV"].deadline.astimezone(HCM) == at(5, 5, 17)
    # The period filters by issue date.
    may = kpi.directive_kpi(user=admin, date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 5, 31),
                            now=at(10, 5, 9))
    assert (may.totals.total, may.totals.pending, may.totals.rate) == (1, 1, None)


def test_who_sees_the_kpi(crafted, client):
    world, _docs = crafted
    editor = w.user_make("bientap.snv", role=Role.PORTAL_EDITOR, agency=world.sender, full_name="Biên Tập Sở")
    other_admin = w.user_make("qt.stp", role=Role.AGENCY_ADMIN, agency=world.recipient, full_name="Quản Trị STP")
    assert kpi.kpi_agency_ids(editor) == frozenset({world.sender.pk})
    with pytest.raises(PermissionDeniedError):
        kpi.directive_kpi(user=other_admin, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 5, 31),
                          agency=world.sender)
    with pytest.raises(PermissionDeniedError):
        kpi.kpi_agency_ids(world.clerk)

    client.force_login(editor)
    page = client.get("/can-bo/cong-thong-tin/chi-so/", {"tu_ngay": "01/04/2026", "den_ngay": "31/05/2026"})
    body = page.content.decode()
    assert page.status_code == 200 and "Sở Nội vụ tỉnh Cà Mau" in body and "02/QĐ-SNV" in body
    assert "Trễ hạn" in body and "05/05/2026 17:00" in body
    assert [i.url for i in backoffice_menu(editor)].count("/can-bo/cong-thong-tin/chi-so/") == 1
    assert "/can-bo/cong-thong-tin/chi-so/" not in [i.url for i in backoffice_menu(world.clerk)]
    bad = client.get("/can-bo/cong-thong-tin/chi-so/", {"tu_ngay": "31/05/2026", "den_ngay": "01/04/2026"})
    assert bad.status_code == 400 and "Đến ngày phải sau" in bad.content.decode()
    api = client.get("/api/v1/portal/directive-kpi", {"date_from": "01/04/2026", "date_to": "31/05/2026"})
    data = api.json()
    assert api.status_code == 200 and data["deadline_working_days"] == 2
    assert [(r["agency_code"], r["total"]) for r in data["rows"]] == [("SNV", 4)]
    assert {p["number_notation"] for p in data["problems"]} >= {"02/QĐ-SNV", "03/QĐ-SNV"}

    client.force_login(world.clerk)
    assert client.get("/can-bo/cong-thong-tin/chi-so/").status_code == 403
    assert client.get("/api/v1/portal/directive-kpi", {"date_from": "01/04/2026",
                                                       "date_to": "31/05/2026"}).status_code == 403
