"""Wagtail page types of the provincial portal.

One ``HomePage`` at the root of the site; under it one ``SectionPage`` per mandatory section (SPEC §5.1), holding
the section's items: ``ArticlePage`` (news, introduction, dissemination, plans...), ``DirectiveItemPage``
(directive information, drafted automatically from issued documents), ``LegalDocumentPage`` (the legal documents
library), ``ProjectPage``, ``ConsultationPage`` and ``ContactPage``. English versions of the introduction and the
contacts (NĐ 43/2011 Art. 13) live under an ``EnglishHomePage`` at ``/en/``; every page knows its language.

Search: every item stores ``search_text``, its text folded without diacritics (``egov.core.text.fold_vietnamese``),
so a visitor typing without diacritics finds it (DESIGN.md, Vietnamese search).
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from egov.core.text import fold_vietnamese
from egov.portal.models.blocks import BodyBlock
from egov.portal.models.sections import Section


class PortalPage(Page):
    """Common behaviour: the page language, a summary for listings and metadata, folded search text."""

    summary = models.TextField("tóm tắt", blank=True, help_text="Hiện trong danh sách và thẻ mô tả (meta description)")
    search_text = models.TextField(editable=False, blank=True)

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("search_text")]
    promote_panels = [*Page.promote_panels]
    is_creatable = False

    class Meta:
        abstract = True

    def folded_parts(self) -> list[str]:
        return [self.title, self.summary]

    def save(self, *args, **kwargs):
        self.search_text = fold_vietnamese(" ".join(part for part in self.folded_parts() if part))
        return super().save(*args, **kwargs)

    @property
    def language(self) -> str:
        """English below the English home page (slug ``en`` directly under the site root), else Vietnamese."""
        parts = (self.url_path or "").strip("/").split("/")
        return "en" if len(parts) > 1 and parts[1] == "en" else "vi"

    def get_meta_description(self) -> str:
        return self.search_description or self.summary[:300]


class HomePage(PortalPage):
    """The portal's home page: latest news and directive information, quick links to the public services."""

    intro = RichTextField("lời giới thiệu", blank=True)
    hotline = models.CharField("đường dây nóng", max_length=50, blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    phone = models.CharField("điện thoại", max_length=50, blank=True)
    fax = models.CharField("fax", max_length=50, blank=True)

    max_count = 1
    is_creatable = True
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.SectionPage", "portal.EnglishHomePage"]
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro"), MultiFieldPanel([
        FieldPanel("address"), FieldPanel("phone"), FieldPanel("fax"), FieldPanel("email"), FieldPanel("hotline"),
    ], heading="Thông tin giao dịch của cổng")]

    class Meta:
        verbose_name = "trang chủ cổng thông tin"


class EnglishHomePage(PortalPage):
    """The English part of the portal (introduction and contacts at least, NĐ 43/2011 Art. 13)."""

    intro = RichTextField("introduction", blank=True)

    max_count = 1
    is_creatable = True
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.ArticlePage", "portal.ContactPage"]
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro")]

    class Meta:
        verbose_name = "trang tiếng Anh"

    @property
    def language(self) -> str:
        return "en"


class SectionPage(PortalPage):
    """One section of the portal; lists its items newest first, with an RSS feed."""

    section = models.CharField("chuyên mục", max_length=30, choices=Section.choices, default=Section.OTHER)
    intro = RichTextField("giới thiệu chuyên mục", blank=True)
    agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan quản lý nội dung", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    is_creatable = True
    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = ["portal.SectionPage", "portal.ArticlePage", "portal.DirectiveItemPage",
                     "portal.LegalDocumentPage", "portal.ProjectPage", "portal.ConsultationPage", "portal.ContactPage"]
    content_panels = [*Page.content_panels, FieldPanel("section"), FieldPanel("agency"), FieldPanel("summary"),
                      FieldPanel("intro")]

    class Meta:
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"


class ArticlePage(PortalPage):
    """A news item, an introduction page, a dissemination article, a plan: title, date, summary, body."""

    date = models.DateField("ngày đăng")
    body = StreamField(BodyBlock(), verbose_name="nội dung", blank=True)
    agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    image = models.ForeignKey("wagtailimages.Image", verbose_name="ảnh đại diện", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    is_creatable = True
    parent_page_types = ["portal.SectionPage", "portal.EnglishHomePage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("agency"), FieldPanel("summary"),
                      FieldPanel("image"), FieldPanel("body")]
    search_fields = [*PortalPage.search_fields, index.SearchField("body"), index.FilterField("date")]

    class Meta:
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"
        ordering = ["-date"]

    def folded_parts(self) -> list[str]:
        return [self.title, self.summary, self.body.render_as_block() if self.body else ""]


class DocumentFacts(models.Model):
    """What the portal shows of an issued official document (number/notation, date, issuer, signer, PDF)."""

    number_notation = models.CharField("số, ký hiệu", max_length=50, db_index=True)
    document_type_name = models.CharField("loại văn bản", max_length=100, blank=True)
    issued_date = models.DateField("ngày ban hành")
    issuer = models.ForeignKey("directory.Agency", verbose_name="cơ quan ban hành", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    issuer_name = models.CharField("tên cơ quan ban hành", max_length=200, blank=True)
    signer = models.CharField("người ký", max_length=150, blank=True)
    pdf = models.ForeignKey("wagtaildocs.Document", verbose_name="tệp văn bản (PDF)", null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    source_document_uuid = models.UUIDField("văn bản đi nguồn", null=True, blank=True, unique=True,
                                            help_text="Văn bản đi trên hệ thống đã sinh trang này")
    source_issued_at = models.DateTimeField("thời điểm phát hành văn bản", null=True, blank=True)

    class Meta:
        abstract = True

    facts_panels = [MultiFieldPanel([
        FieldPanel("number_notation"), FieldPanel("document_type_name"), FieldPanel("issued_date"),
        FieldPanel("issuer"), FieldPanel("issuer_name"), FieldPanel("signer"), FieldPanel("pdf"),
    ], heading="Thông tin văn bản")]


class DirectiveItemPage(DocumentFacts, PortalPage):
    """An item of "Thông tin chỉ đạo, điều hành", usually drafted from an issued directive document."""

    body = RichTextField("nội dung", blank=True)

    is_creatable = True
    parent_page_types = ["portal.SectionPage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("summary"), *DocumentFacts.facts_panels, FieldPanel("body")]
    search_fields = [*PortalPage.search_fields, index.SearchField("number_notation"),
                     index.FilterField("issued_date")]

    class Meta:
        verbose_name = "thông tin chỉ đạo, điều hành"
        verbose_name_plural = "thông tin chỉ đạo, điều hành"
        ordering = ["-issued_date"]

    def __str__(self) -> str:
        return self.title

    def folded_parts(self) -> list[str]:
        return [self.title, self.summary, self.number_notation, self.issuer_name, self.signer]


class LegalDocumentPage(DocumentFacts, PortalPage):
    """A document of the legal documents library (SPEC §5.1 item 6): searchable by number, type, issuer, field
    and date, with the PDF."""

    field = models.CharField("lĩnh vực", max_length=150, blank=True)
    effective_date = models.DateField("ngày có hiệu lực", null=True, blank=True)
    expiry_date = models.DateField("ngày hết hiệu lực", null=True, blank=True)

    is_creatable = True
    parent_page_types = ["portal.SectionPage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("summary"), *DocumentFacts.facts_panels,
                      FieldPanel("field"), FieldPanel("effective_date"), FieldPanel("expiry_date")]
    search_fields = [*PortalPage.search_fields, index.SearchField("number_notation"),
                     index.FilterField("issued_date"), index.FilterField("document_type_name")]

    class Meta:
        verbose_name = "văn bản pháp luật"
        verbose_name_plural = "văn bản pháp luật"
        ordering = ["-issued_date"]
        indexes = [models.Index(fields=["issued_date"], name="portal_legal_issued")]

    def __str__(self) -> str:
        return self.title

    def folded_parts(self) -> list[str]:
        return [self.title, self.summary, self.number_notation, self.document_type_name, self.issuer_name,
                self.field, self.signer]


class ProjectPage(PortalPage):
    """A project, investment, tender or public procurement (SPEC §5.1 item 8)."""

    class Status(models.TextChoices):
        PREPARING = "preparing", "Đang chuẩn bị đầu tư"
        ONGOING = "ongoing", "Đang triển khai"
        COMPLETED = "completed", "Đã hoàn thành"

    goal = models.TextField("mục tiêu", blank=True)
    field = models.CharField("lĩnh vực", max_length=150, blank=True)
    project_type = models.CharField("loại dự án", max_length=150, blank=True)
    duration = models.CharField("thời gian thực hiện", max_length=100, blank=True)
    budget_vnd = models.DecimalField("tổng vốn (đồng)", max_digits=18, decimal_places=0, null=True, blank=True)
    funding = models.CharField("hình thức vốn", max_length=150, blank=True)
    donor = models.CharField("nhà tài trợ", max_length=150, blank=True)
    status = models.CharField("tình trạng", max_length=12, choices=Status.choices, default=Status.PREPARING)
    approved_date = models.DateField("ngày phê duyệt", null=True, blank=True)
    body = RichTextField("nội dung", blank=True)

    is_creatable = True
    parent_page_types = ["portal.SectionPage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("goal"), FieldPanel("field"),
                      FieldPanel("project_type"), FieldPanel("duration"), FieldPanel("budget_vnd"),
                      FieldPanel("funding"), FieldPanel("donor"), FieldPanel("status"), FieldPanel("approved_date"),
                      FieldPanel("body")]

    class Meta:
        verbose_name = "dự án"
        verbose_name_plural = "dự án"


class ConsultationPage(PortalPage):
    """A draft document open for comments (SPEC §5.1 item 9): full text, deadline, how to comment."""

    body = RichTextField("toàn văn dự thảo", blank=True)
    draft = models.ForeignKey("wagtaildocs.Document", verbose_name="tệp dự thảo", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    open_from = models.DateField("lấy ý kiến từ ngày")
    open_until = models.DateField("đến hết ngày")
    contact_email = models.EmailField("thư điện tử nhận góp ý", blank=True)
    agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan chủ trì soạn thảo", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    is_creatable = True
    parent_page_types = ["portal.SectionPage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("agency"), FieldPanel("open_from"),
                      FieldPanel("open_until"), FieldPanel("contact_email"), FieldPanel("draft"), FieldPanel("body")]

    class Meta:
        verbose_name = "dự thảo lấy ý kiến"
        verbose_name_plural = "dự thảo lấy ý kiến"


class ContactPage(PortalPage):
    """Contacts of competent officials (item 10) and the portal's transaction details (item 11)."""

    body = StreamField(BodyBlock(), verbose_name="nội dung", blank=True)
    agency = models.ForeignKey("directory.Agency", verbose_name="cơ quan", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               help_text="Danh sách cán bộ có thẩm quyền lấy từ danh bạ của cơ quan này")

    is_creatable = True
    parent_page_types = ["portal.SectionPage", "portal.EnglishHomePage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("agency"), FieldPanel("body")]

    class Meta:
        verbose_name = "thông tin liên hệ"
        verbose_name_plural = "thông tin liên hệ"
