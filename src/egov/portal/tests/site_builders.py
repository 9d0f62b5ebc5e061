"""Small builders of portal pages for the site tests (real Wagtail pages with published revisions)."""

from datetime import date

from wagtail.models import Page

from egov.portal.models import ArticlePage, DirectiveItemPage, EnglishHomePage, HomePage, SectionPage


def publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def home() -> HomePage:
    """The HomePage created by the portal's data migration (the default site's root)."""
    page = HomePage.objects.get()
    if not page.address:
        page.address = "Số 2 Hùng Vương, phường An Xuyên, tỉnh Cà Mau"
        page.phone = "0290 3831 234"
        page.fax = "0290 3831 235"
        page.email = "congthongtin@camau.gov.vn"
        page.save_revision().publish()
    return page


def section(parent: Page, title: str, kind: str, slug: str | None = None) -> SectionPage:
    return publish(parent, SectionPage(title=title, slug=slug or kind.replace("_", "-"), section=kind,
                                       show_in_menus=True, summary=f"Chuyên mục {title.lower()}"))


def article(parent: Page, title: str, day: date, summary: str = "", slug: str | None = None) -> ArticlePage:
    page = ArticlePage(title=title, date=day, summary=summary, slug=slug or "")
    page.body = [("paragraph", f"<p>{summary or title}</p>")]
    if not slug:
        from django.utils.text import slugify

        from egov.core.text import slugify_vietnamese

        page.slug = slugify_vietnamese(title, max_length=60) or slugify(title)
    return publish(parent, page)


def directive_item(parent: Page, title: str, number: str, day: date) -> DirectiveItemPage:
    from egov.core.text import slugify_vietnamese

    return publish(parent, DirectiveItemPage(
        title=title, slug=slugify_vietnamese(number + " " + title, max_length=60), number_notation=number,
        issued_date=day, issuer_name="Ủy ban nhân dân tỉnh Cà Mau", signer="Nguyễn Văn A (dữ liệu mẫu)",
        summary=f"{title} — văn bản số {number}",
    ))


def english_home(parent: Page) -> EnglishHomePage:
    return publish(parent, EnglishHomePage(title="Ca Mau Province e-Portal", slug="en",
                                           summary="Official information of Ca Mau Province in English"))
