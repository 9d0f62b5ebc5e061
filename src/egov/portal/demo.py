"""Demo content of the provincial portal of Cà Mau (issue 5, point 7), loaded by ``manage.py portal_load_demo``.

A realistic portal after the merger of Cà Mau and Bạc Liêu (01/07/2025): the home page's transaction details,
one section per mandatory section of SPEC §5.1 with items, and the English introduction and contacts. Names of
leaders and figures marked "dữ liệu mẫu" are fictional. Idempotent: a page is created (and published) only when
no page with its slug exists under its parent; existing pages, even edited ones, are left as they are.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from egov.portal import cache as portal_cache
from egov.portal.demo_content import (
    DIRECTIVE_ITEMS,
    ENGLISH_CONTACTS,
    ENGLISH_INTRO,
    GAZETTE,
    INTRODUCTION,
    LEGAL_DISSEMINATION,
    LEGAL_DOCUMENTS,
    NEWS,
    PROJECTS,
    SCHEDULE,
    STRATEGY,
)
from egov.portal.models import (
    ArticlePage,
    ConsultationPage,
    ContactPage,
    DirectiveItemPage,
    EnglishHomePage,
    HomePage,
    LegalDocumentPage,
    ProjectPage,
    Section,
    SectionPage,
)

HOME_DETAILS = {
    "summary": "Cổng thông tin điện tử chính thức của Ủy ban nhân dân tỉnh Cà Mau",
    "address": "Số 2 Hùng Vương, phường An Xuyên, tỉnh Cà Mau (dữ liệu mẫu)",
    "phone": "0290 3831 234",
    "fax": "0290 3831 235",
    "email": "congthongtin@camau.gov.vn",
    "hotline": "1900 0000 (dữ liệu mẫu)",
    "intro": "<p>Cà Mau — tỉnh cực Nam của Tổ quốc, hình thành từ việc hợp nhất tỉnh Cà Mau và tỉnh Bạc Liêu "
             "(từ 01/07/2025), với 64 xã, phường, ba mặt giáp biển.</p>",
}

# (slug, title, section kind, summary)
SECTIONS = [
    ("gioi-thieu", "Giới thiệu", Section.INTRODUCTION, "Tổng quan về tỉnh Cà Mau, bộ máy hành chính, lãnh đạo tỉnh"),
    ("tin-tuc", "Tin tức, sự kiện", Section.NEWS, "Tin tức, sự kiện nổi bật của tỉnh Cà Mau"),
    ("chi-dao-dieu-hanh", "Thông tin chỉ đạo, điều hành", Section.DIRECTIVE,
     "Văn bản chỉ đạo, điều hành của Ủy ban nhân dân tỉnh, lịch công tác của lãnh đạo tỉnh"),
    ("pho-bien-phap-luat", "Tuyên truyền, phổ biến pháp luật", Section.LEGAL_DISSEMINATION,
     "Tuyên truyền, phổ biến, hướng dẫn thực hiện pháp luật, chế độ, chính sách"),
    ("quy-hoach-ke-hoach", "Chiến lược, quy hoạch, kế hoạch", Section.STRATEGY,
     "Chiến lược, định hướng, quy hoạch, kế hoạch phát triển kinh tế – xã hội của tỉnh"),
    ("van-ban", "Văn bản", Section.LEGAL_DOCUMENTS,
     "Hệ thống văn bản quy phạm pháp luật và văn bản quản lý của tỉnh"),
    ("cong-bao", "Công báo điện tử", Section.GAZETTE, "Công báo tỉnh Cà Mau"),
    ("du-an", "Dự án, đầu tư", Section.PROJECTS, "Dự án, đầu tư, đấu thầu, mua sắm công"),
    ("lay-y-kien", "Lấy ý kiến dự thảo", Section.CONSULTATION,
     "Lấy ý kiến góp ý của tổ chức, cá nhân đối với dự thảo văn bản"),
    ("lien-he", "Liên hệ", Section.CONTACTS, "Thông tin liên hệ của cán bộ có thẩm quyền"),
]


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.created and not self.updated:
            return "Cổng thông tin mẫu đã có đủ, không thay đổi gì."
        return f"Cổng thông tin mẫu: tạo {len(self.created)} trang, cập nhật {len(self.updated)} trang."


def _agency(code: str):
    from egov.directory.models import Agency

    return Agency.objects.filter(code=code).first()


def _body(paragraphs: list[str]) -> list[tuple[str, str]]:
    return [("paragraph", "".join(f"<p>{p}</p>" for p in paragraphs))]


class _Loader:
    def __init__(self):
        self.report = DemoReport()

    def child(self, parent: Page, page: Page) -> Page:
        """The existing child with this slug, or the page added and published."""
        existing = parent.get_children().filter(slug=page.slug).first()
        if existing is not None:
            return existing.specific
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.report.created.append(page.url_path)
        return page

    def home(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:  # the portal's migration normally made it; a database set up otherwise gets one here
            root = Page.get_first_root_node()
            home = root.add_child(instance=HomePage(title="Cổng thông tin điện tử tỉnh Cà Mau", slug="cong"))
            site = Site.objects.filter(is_default_site=True).first()
            if site is None:
                Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
            else:
                site.root_page = home
                site.save()
            self.report.created.append(home.url_path)
        if not home.address:  # first run: the transaction details (an editor's later changes are kept)
            for name, value in HOME_DETAILS.items():
                setattr(home, name, value)
            home.save_revision().publish()
            self.report.updated.append(home.url_path)
        return home

    def articles(self, parent: Page, entries, *, agency=None) -> None:
        for entry in entries:
            self.child(parent, ArticlePage(title=entry["title"], slug=entry["slug"], date=entry["date"],
                                           summary=entry["summary"], body=_body(entry["body"]), agency=agency))

    def load(self) -> DemoReport:
        today = timezone.localdate()
        province = _agency("UBND")
        office = _agency("VP")
        justice = _agency("STP")
        home = self.home()
        sections = {}
        for slug, title, kind, summary in SECTIONS:
            sections[kind] = self.child(home, SectionPage(title=title, slug=slug, section=kind, summary=summary,
                                                          show_in_menus=True, agency=province))
        self.articles(sections[Section.INTRODUCTION], INTRODUCTION, agency=province)
        self.articles(sections[Section.NEWS], NEWS, agency=office)
        self.articles(sections[Section.DIRECTIVE], [SCHEDULE], agency=office)
        for item in DIRECTIVE_ITEMS:
            self.child(sections[Section.DIRECTIVE], DirectiveItemPage(
                title=item["title"], slug=item["slug"], summary=item["summary"],
                number_notation=item["number"], document_type_name=item["type"], issued_date=item["date"],
                issuer=province, issuer_name="Ủy ban nhân dân tỉnh Cà Mau", signer=item["signer"],
                body="".join(f"<p>{p}</p>" for p in item["body"])))
        self.articles(sections[Section.LEGAL_DISSEMINATION], LEGAL_DISSEMINATION, agency=justice)
        self.articles(sections[Section.STRATEGY], STRATEGY, agency=province)
        self.articles(sections[Section.GAZETTE], GAZETTE, agency=office)
        for item in LEGAL_DOCUMENTS:
            self.child(sections[Section.LEGAL_DOCUMENTS], LegalDocumentPage(
                title=item["title"], slug=item["slug"], summary=item["summary"], number_notation=item["number"],
                document_type_name=item["type"], issued_date=item["date"], effective_date=item["effective"],
                issuer=province, issuer_name=item["issuer"], signer=item["signer"], field=item["field"]))
        for item in PROJECTS:
            self.child(sections[Section.PROJECTS], ProjectPage(
                title=item["title"], slug=item["slug"], summary=item["summary"], goal=item["goal"],
                field=item["field"], project_type=item["type"], duration=item["duration"],
                budget_vnd=Decimal(item["budget"]), funding=item["funding"], donor=item.get("donor", ""),
                status=item["status"], approved_date=item["approved"]))
        self.consultations(sections[Section.CONSULTATION], today, justice)
        self.contacts(sections[Section.CONTACTS], office, justice)
        self.english(home, office)
        if self.report.created or self.report.updated:
            portal_cache.invalidate()
        return self.report

    def consultations(self, parent: Page, today: date, justice) -> None:
        self.child(parent, ConsultationPage(
            title="Dự thảo Quyết định quy định phân cấp quản lý đường thủy nội địa trên địa bàn tỉnh Cà Mau",
            slug="du-thao-phan-cap-quan-ly-duong-thuy-noi-dia",
            summary="Lấy ý kiến góp ý của tổ chức, cá nhân đối với dự thảo quy định phân cấp quản lý các tuyến "
                    "đường thủy nội địa địa phương sau hợp nhất tỉnh.",
            open_from=today - timedelta(days=5), open_until=today + timedelta(days=25),
            contact_email="gopyduthao@stp.camau.gov.vn", agency=justice,
            body="<p><b>Điều 1. Phạm vi điều chỉnh.</b> Quyết định này quy định phân cấp quản lý nhà nước đối với "
                 "các tuyến đường thủy nội địa địa phương trên địa bàn tỉnh Cà Mau.</p><p><b>Điều 2. Đối tượng áp "
                 "dụng.</b> Các sở, ban, ngành tỉnh; Ủy ban nhân dân các xã, phường và tổ chức, cá nhân có liên "
                 "quan.</p><p><b>Điều 3. Phân cấp quản lý.</b> Sở Xây dựng quản lý các tuyến liên xã; Ủy ban nhân "
                 "dân cấp xã quản lý các tuyến nằm trọn trong địa bàn xã, phường.</p>"))
        self.child(parent, ConsultationPage(
            title="Dự thảo Nghị quyết quy định mức chi hỗ trợ công tác phổ biến, giáo dục pháp luật",
            slug="du-thao-muc-chi-pho-bien-giao-duc-phap-luat",
            summary="Đã kết thúc lấy ý kiến; Sở Tư pháp tổng hợp, tiếp thu ý kiến góp ý.",
            open_from=date(2025, 9, 1), open_until=date(2025, 9, 30), contact_email="gopyduthao@stp.camau.gov.vn",
            agency=justice, body="<p>Toàn văn dự thảo đã đăng trong thời gian lấy ý kiến.</p>"))

    def contacts(self, parent: Page, office, justice) -> None:
        self.child(parent, ContactPage(
            title="Văn phòng Ủy ban nhân dân tỉnh", slug="van-phong-ubnd-tinh", agency=office,
            summary="Cán bộ đầu mối tiếp nhận thông tin, liên hệ công tác của Văn phòng Ủy ban nhân dân tỉnh",
            body=_body(["Giờ làm việc: sáng 7 giờ – 11 giờ, chiều 13 giờ – 17 giờ, từ thứ Hai đến thứ Sáu."])))
        self.child(parent, ContactPage(
            title="Sở Tư pháp", slug="so-tu-phap", agency=justice,
            summary="Đầu mối về thẩm định, kiểm tra văn bản, phổ biến giáo dục pháp luật, hộ tịch, lý lịch tư pháp",
            body=_body(["Tiếp nhận hồ sơ lý lịch tư pháp tại Trung tâm Phục vụ hành chính công tỉnh."])))
        self.child(parent, ContactPage(
            title="Ban biên tập Cổng thông tin điện tử", slug="ban-bien-tap", agency=office,
            summary="Thông tin giao dịch của Cổng thông tin điện tử tỉnh Cà Mau",
            body=_body([f"Địa chỉ: {HOME_DETAILS['address']}. Điện thoại: {HOME_DETAILS['phone']}. "
                        f"Fax: {HOME_DETAILS['fax']}. Thư điện tử: {HOME_DETAILS['email']}."])))

    def english(self, home: Page, office) -> None:
        english = EnglishHomePage.objects.first() or self.child(home, EnglishHomePage(
            title="Ca Mau Province e-Portal", slug="en",
            summary="Official information of the People's Committee of Ca Mau Province in English",
            intro="<p>Welcome to the e-Portal of Ca Mau, the southernmost province of Viet Nam.</p>"))
        self.child(english, ArticlePage(title=ENGLISH_INTRO["title"], slug="introduction", date=ENGLISH_INTRO["date"],
                                        summary=ENGLISH_INTRO["summary"], body=_body(ENGLISH_INTRO["body"])))
        self.child(english, ContactPage(title="Contacts", slug="contacts", agency=office,
                                        summary=ENGLISH_CONTACTS["summary"], body=_body(ENGLISH_CONTACTS["body"])))


@transaction.atomic
def portal_load_demo() -> DemoReport:
    """Create the demo portal pages that are missing (see the module docstring)."""
    return _Loader().load()
